import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { routeRegistry } from '../../src/server/platform/http.js';
import { BUILTIN_ROLES } from '../../src/shared/permissions.js';

// Every route × every built-in role (plus anonymous): a permission denial is exactly the
// FORBIDDEN answer, and it happens where, and only where, the role lacks the route's permission.

const LOGIN_OF: Record<string, string> = {
  sysadmin: 'admin',
  secadmin: 'secadmin',
  auditor: 'auditor',
  campaign_office: 'office',
  unit_admin: 'unitadmin',
  officer: 'officer',
  clue_handler: 'cluehandler',
};

// Routes that change the caller's own session are exercised in the auth suite instead.
const SKIP = new Set(['POST /api/auth/logout', 'POST /api/auth/login']);

function concrete(url: string) {
  return url.replace(/:[A-Za-z]+/g, 'no-such-id').replace(/\*$/, 'x');
}

function isPermissionDenial(r: { status: number; body: any }) {
  return r.status === 403 && r.body?.error === 'FORBIDDEN' && r.body?.message === '没有权限执行此操作';
}

async function call(c: Client, method: string, url: string) {
  return c.request(method, concrete(url), method === 'GET' || method === 'DELETE' ? undefined : {});
}

// Hand-written expectations for the separated duties and the officer, independent of the role table.
const EXPLICIT: [role: string, method: string, url: string, allowed: boolean][] = [
  ['auditor', 'GET', '/api/audit-logs', true],
  ['auditor', 'GET', '/api/login-logs', true],
  ['auditor', 'POST', '/api/people', false],
  ['auditor', 'GET', '/api/users', false],
  ['auditor', 'POST', '/api/users', false],
  ['auditor', 'POST', '/api/roles', false],
  ['secadmin', 'GET', '/api/audit-logs', false],
  ['secadmin', 'POST', '/api/users', true],
  ['secadmin', 'POST', '/api/roles', true],
  ['secadmin', 'POST', '/api/people', false],
  ['sysadmin', 'GET', '/api/audit-logs', false],
  ['sysadmin', 'POST', '/api/users', false],
  ['sysadmin', 'POST', '/api/roles', false],
  ['sysadmin', 'POST', '/api/people', true],
  ['sysadmin', 'POST', '/api/org-units', true],
  ['officer', 'GET', '/api/users', false],
  ['officer', 'POST', '/api/org-units', false],
  ['officer', 'POST', '/api/people', false],
  ['officer', 'GET', '/api/people', true],
  ['officer', 'GET', '/api/audit-logs', false],
  ['unit_admin', 'POST', '/api/users', true],
  ['unit_admin', 'POST', '/api/roles', false],
  ['unit_admin', 'POST', '/api/people', true],
  ['unit_admin', 'GET', '/api/sessions', false],
  ['campaign_office', 'GET', '/api/stats', true],
  ['campaign_office', 'POST', '/api/people', false],
  ['campaign_office', 'POST', '/api/campaigns', true],
  ['clue_handler', 'POST', '/api/people', false],
  ['clue_handler', 'GET', '/api/audit-logs', false],
  // Privileged changes: the security admin asks, the other two duties decide, nobody else takes part.
  ['secadmin', 'GET', '/api/approvals', true],
  ['secadmin', 'POST', '/api/approvals/:id/collect', true],
  ['secadmin', 'POST', '/api/approvals/:id/approve', false],
  ['secadmin', 'POST', '/api/approvals/:id/reject', false],
  ['sysadmin', 'POST', '/api/approvals/:id/approve', true],
  ['auditor', 'POST', '/api/approvals/:id/approve', true],
  ['auditor', 'POST', '/api/approvals/:id/reject', true],
  ['unit_admin', 'GET', '/api/approvals', false],
  ['unit_admin', 'POST', '/api/approvals/:id/approve', false],
  ['officer', 'GET', '/api/approvals', false],
  ['officer', 'POST', '/api/approvals/:id/collect', false],
  ['campaign_office', 'POST', '/api/approvals/:id/approve', false],
  ['clue_handler', 'GET', '/api/approvals/:id', false],
];

describe.each(targets())('authorisation matrix on %s', (target) => {
  let s: TestServer;
  const clients = new Map<string, Client>();
  beforeAll(async () => {
    s = await startServer(target);
    for (const [role, login] of Object.entries(LOGIN_OF)) clients.set(role, await s.as(login));
  });
  afterAll(async () => s?.close());

  it('knows every module\'s routes', () => {
    const urls = [...routeRegistry.keys()];
    for (const must of ['GET /api/people', 'GET /api/users', 'GET /api/audit-logs', 'GET /api/roles', 'GET /api/dicts', 'POST /api/files', 'GET /api/campaigns']) {
      expect(urls).toContain(must);
    }
    expect(urls.length).toBeGreaterThan(40);
  });

  it('anonymous callers get 401 on every session route and through on public ones', async () => {
    const anon = s.client();
    for (const r of routeRegistry.values()) {
      if (SKIP.has(`${r.method} ${r.url}`)) continue;
      const res = await call(anon, r.method, r.url);
      if (r.auth === 'public') expect(res.status, `${r.method} ${r.url}`).not.toBe(401);
      else expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('each role is denied exactly where it lacks the permission', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const role of BUILTIN_ROLES) {
      const c = clients.get(role.code)!;
      for (const r of routeRegistry.values()) {
        if (SKIP.has(`${r.method} ${r.url}`) || r.auth === 'public') continue;
        const allowed = r.permissions.length === 0 || r.permissions.some((p) => (role.permissions as string[]).includes(p));
        const res = await call(c, r.method, r.url);
        checked++;
        expect(res.status, `${role.code} ${r.method} ${r.url}`).not.toBe(401);
        expect(res.status, `${role.code} ${r.method} ${r.url}: no server error`).toBeLessThan(500);
        if (isPermissionDenial(res) === allowed) mismatches.push(`${role.code} ${r.method} ${r.url} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(mismatches).toEqual([]);
  });

  it.each(EXPLICIT)('%s %s %s allowed=%s', async (role, method, url, allowed) => {
    const res = await call(clients.get(role)!, method, url);
    expect(isPermissionDenial(res)).toBe(!allowed);
  });
});
