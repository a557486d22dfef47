import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { buildApp } from '../../src/server/app.js';
import { createDeps } from '../../src/server/deps.js';
import type { Deps } from '../../src/server/platform/context.js';
import { Client, startServer, type TestServer } from '../support/http.js';
import { DEMO_PASSWORD, targets } from '../support/db.js';

// The session's actor is cached per process and checked against the auth epoch on every request.
// Two apps on one database play two processes: A changes accounts, roles, sessions and units; B
// must answer accordingly on its very next request. B also counts its queries.

const NEW_PASSWORD = 'Cache#2026pass';

/** Counts every statement run through the Kysely instance it is plugged into. */
function counter() {
  const c = { n: 0, plugin: undefined as unknown as KyselyPlugin };
  c.plugin = {
    transformQuery: (args) => {
      c.n++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return c;
}

describe.each(targets())('session and actor cache across processes on %s', (target) => {
  let a: TestServer;
  let depsB: Deps;
  let appB: FastifyInstance;
  let urlB: string;
  let closeB: () => Promise<void>;
  const queries = counter();
  const unit = new Map<string, string>();

  beforeAll(async () => {
    a = await startServer(target);
    // Process B: its own connection to the same database (PGlite lives in-process: its own Kysely instance).
    let own: Deps | undefined;
    if (target === 'pglite') own = { ...a.deps, db: a.deps.db.withPlugin({ transformQuery: (x) => x.node, transformResult: async (x) => x.result }) };
    else own = await createDeps(a.config, { schema: a.deps.database.schema, poolSize: 2 });
    depsB = { ...own, db: own.db.withPlugin(queries.plugin) };
    appB = await buildApp(depsB, { logger: false, webRoot: false });
    await appB.listen({ port: 0, host: '127.0.0.1' });
    const addr = appB.server.address();
    urlB = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    closeB = async () => {
      await appB.close();
      if (target !== 'pglite') await own!.database.close();
    };
    for (const u of await a.deps.db.selectFrom('org_unit').select(['id', 'code']).execute()) unit.set(u.code, u.id);
  });
  afterAll(async () => {
    await closeB?.();
    await a?.close();
  });

  /** Logs in on B. */
  async function onB(username: string, password = DEMO_PASSWORD) {
    const c = new Client(urlB);
    const r = await c.login(username, password);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return c;
  }

  /** An everyday account made on A by the security admin, activated with its own password. */
  async function account(username: string, roleCodes = ['officer'], orgUnit = 'HSQ-01') {
    const sec = await a.as('secadmin');
    const r = await sec.post('/api/users', { username, displayName: username, orgUnitId: unit.get(orgUnit), roleCodes });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const c = new Client(urlB);
    expect((await c.login(username, r.body.initialPassword)).status).toBe(200);
    expect((await c.post('/api/auth/password', { oldPassword: r.body.initialPassword, newPassword: NEW_PASSWORD })).status).toBe(200);
    return { id: r.body.id as string, b: c, sec };
  }

  /** The statements B runs for one request. */
  async function counted(fn: () => Promise<unknown>) {
    const before = queries.n;
    await fn();
    return queries.n - before;
  }

  it('an authenticated request costs one query once the actor is cached (it was 3–4)', async () => {
    const sec = await onB('secadmin');
    // GET /api/permissions reads nothing itself: what it costs is the session and the actor.
    const first = await counted(async () => expect((await sec.get('/api/permissions')).status).toBe(200));
    const warm = await counted(async () => expect((await sec.get('/api/permissions')).status).toBe(200));
    const again = await counted(async () => expect((await sec.get('/api/permissions')).status).toBe(200));
    expect(warm).toBe(1);
    expect(again).toBe(1);
    // The actor's own queries (account, roles) are paid once, not per request.
    expect(first).toBeGreaterThanOrEqual(3);
  });

  it('a forced logout in A ends the session in B at once', async () => {
    const acc = await account('cache.logout');
    expect((await acc.b.get('/api/me')).status).toBe(200);
    const sessions = (await acc.sec.get('/api/sessions?pageSize=200')).body.items as { id: string; username: string }[];
    const mine = sessions.filter((x) => x.username === 'cache.logout');
    expect(mine.length).toBeGreaterThan(0);
    for (const x of mine) expect((await acc.sec.delete(`/api/sessions/${x.id}`)).status).toBe(200);
    expect((await acc.b.get('/api/me')).status).toBe(401);
  });

  it('a disabled account in A is out in B at once', async () => {
    const acc = await account('cache.disabled');
    expect((await acc.b.get('/api/people?pageSize=1')).status).toBe(200);
    expect((await acc.sec.patch(`/api/users/${acc.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await acc.b.get('/api/people?pageSize=1')).status).toBe(401);
  });

  it('a role change, a role’s permissions and a unit move in A are seen by B on the next request', async () => {
    const acc = await account('cache.roles');
    const me = async () => (await acc.b.get('/api/me')).body;
    expect((await me()).permissions).not.toContain('users:read');
    expect((await acc.b.get('/api/users?pageSize=1')).status).toBe(403);

    // Another role: B answers with its permissions at once.
    expect((await acc.sec.patch(`/api/users/${acc.id}`, { roleCodes: ['unit_admin'] })).status).toBe(200);
    expect((await me()).permissions).toContain('users:read');
    expect((await acc.b.get('/api/users?pageSize=1')).status).toBe(200);

    // A custom role gains a permission.
    const role = await acc.sec.post('/api/roles', { code: 'cache_x', name: '缓存测试', permissions: ['people:read'], dataScope: 'unit' });
    expect(role.status).toBe(201);
    expect((await acc.sec.patch(`/api/users/${acc.id}`, { roleCodes: ['cache_x'] })).status).toBe(200);
    expect((await me()).permissions).toEqual(['people:read']);
    expect((await acc.sec.patch(`/api/roles/${role.body.id}`, { permissions: ['people:read', 'campaign:read'] })).status).toBe(200);
    expect((await me()).permissions).toEqual(['campaign:read', 'people:read']);

    // Any writer counts, not only the commands: a role granted by hand in the database.
    const officerRole = await a.deps.db.selectFrom('role').select('id').where('code', '=', 'officer').executeTakeFirstOrThrow();
    await a.deps.db.insertInto('user_role').values({ user_id: acc.id, role_id: officerRole.id }).execute();
    expect((await me()).roles.map((r: { code: string }) => r.code).sort()).toEqual(['cache_x', 'officer']);
    expect((await me()).permissions).toContain('people:read');
  });

  it('moving the unit of a county admin in A moves their scope in B at once', async () => {
    const unitadmin = await onB('unitadmin');
    const admin = await a.as('admin');
    const seen = async () => (await unitadmin.get('/api/people?pageSize=1')).body.total as number;
    const before = await seen();
    expect(before).toBeGreaterThan(0);
    // 红山区司法局 moves under 宁城县司法局: its path (the admin's scope) changes, its people do not.
    expect((await admin.patch(`/api/org-units/${unit.get('HSQ')}`, { parentId: unit.get('NCX') })).status).toBe(200);
    expect(await seen()).toBe(before);
    expect((await admin.patch(`/api/org-units/${unit.get('HSQ')}`, { parentId: unit.get('CFSJ') })).status).toBe(200);
    expect(await seen()).toBe(before);
  });

  it('a person with an account moved to another unit in A: their account moves in B at once', async () => {
    const admin = await a.as('admin');
    const officer = await onB('officer');
    const me1 = (await officer.get('/api/me')).body;
    const target = unit.get('HSQ-02')!;
    expect(me1.orgUnit.id).not.toBe(target);
    expect((await admin.patch(`/api/people/${me1.user.personId}`, { orgUnitId: target })).status).toBe(200);
    expect((await officer.get('/api/me')).body.orgUnit.id).toBe(target);
  });

  it('a password change ends the other sessions everywhere and renews this one: the old id no longer works', async () => {
    const acc = await account('cache.pw');
    // A second session of the same account, in A.
    const other = new Client(a.url);
    expect((await other.login('cache.pw', NEW_PASSWORD)).status).toBe(200);
    expect((await other.get('/api/me')).status).toBe(200);

    const oldCookies = new Map(acc.b.cookies);
    const changed = await acc.b.post('/api/auth/password', { oldPassword: NEW_PASSWORD, newPassword: 'Cache#2026again' });
    expect(changed.status).toBe(200);
    const fresh = acc.b.cookies.get('rectify_sid');
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(oldCookies.get('rectify_sid'));

    // This session goes on under its new id, in B and in A.
    expect((await acc.b.get('/api/me')).status).toBe(200);
    const inA = new Client(a.url);
    inA.cookies = new Map(acc.b.cookies);
    inA.csrf = acc.b.csrf;
    expect((await inA.get('/api/me')).status).toBe(200);
    // The same client keeps changing things (its CSRF token carried over to the new session).
    expect((await acc.b.post('/api/notifications/read-all')).status).toBe(200);
    // The old id is dead in both processes, and so is the other session.
    for (const url of [a.url, urlB]) {
      const stale = new Client(url);
      stale.cookies = new Map(oldCookies);
      expect((await stale.get('/api/me')).status).toBe(401);
    }
    expect((await other.get('/api/me')).status).toBe(401);
  });
});
