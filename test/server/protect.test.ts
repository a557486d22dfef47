import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import {
  protectedTables, scrubSnapshots, isSecretKey, SEALED_CHANGED, SEALED_SET, SEALED_UNCHANGED,
} from '../../src/server/platform/protect.js';
import { residentIdCheckChar } from '../../src/shared/validators.js';

// Secrets and sealed personal fields never reach an audit snapshot, whatever a command passes to
// the audit writer; and a client's request id can no longer recover a receipt code.

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

describe('audit snapshot rules (protect.ts)', () => {
  it('drops every secret and marks every sealed field, for every registered table, in any spelling and at any depth', () => {
    expect(protectedTables().size).toBeGreaterThan(5);
    for (const [table, f] of protectedTables()) {
      const before: Record<string, unknown> = { id: 'row-1', keep: 'visible' };
      const after: Record<string, unknown> = { id: 'row-1', keep: 'visible' };
      for (const k of f.secret) {
        before[k] = `SECRET-${table}-${k}-b`;
        after[camel(k)] = `SECRET-${table}-${k}-a`;
      }
      for (const k of f.sealed) {
        before[k] = `SEALED-${table}-${k}-old`;
        after[k] = `SEALED-${table}-${k}-new`;
      }
      // The same fields nested (a symposium's list of opinions, say).
      after.nested = [{ ...after }];
      const out = scrubSnapshots(before, after);
      const text = JSON.stringify(out);
      expect(text, table).not.toMatch(/SECRET-|SEALED-/);
      expect(text).toContain('visible');
      for (const k of f.sealed) {
        expect((out.before as any)[k], `${table}.${k}`).toBeTruthy();
        expect((out.after as any)[k], `${table}.${k}`).toBe(SEALED_CHANGED);
      }
    }
  });

  it('says whether a sealed field changed, without its value', () => {
    const same = scrubSnapshots({ birth_date: '1990-01-02' }, { birth_date: '1990-01-02' });
    expect(same.after).toEqual({ birth_date: SEALED_UNCHANGED });
    const created = scrubSnapshots(undefined, { birth_date: '1990-01-02', lat: null });
    expect(created.after).toEqual({ birth_date: SEALED_SET, lat: null });
    expect(created.before).toBeUndefined();
  });

  it.each(targets())('knows every column that looks secret (%s): a new table must register its secrets', async (target) => {
    const s = await startServer(target);
    try {
      const cols =
        s.deps.dialect === 'sqlite'
          ? (
              await sql<{ t: string; c: string }>`select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p
                 where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'opinion_fts%'`.execute(s.deps.db)
            ).rows
          : (
              await sql<{ t: string; c: string }>`select table_name as t, column_name as c from information_schema.columns
                 where table_schema = current_schema()`.execute(s.deps.db)
            ).rows;
      const looksSecret = /(^|_)(enc|hash|digest|index|token|password|secret)$/;
      // The audit chain's own links are not secrets, nor is a flag about a password.
      const exempt = new Set(['audit_log.hash', 'audit_log.prev_hash', 'audit_head.hash', 'app_user.must_change_password']);
      const unregistered = cols
        .filter((c) => looksSecret.test(c.c) && !exempt.has(`${c.t}.${c.c}`))
        .filter((c) => !(protectedTables().get(c.t)?.secret ?? []).includes(c.c))
        .map((c) => `${c.t}.${c.c}`);
      expect(unregistered).toEqual([]);
      expect(cols.length).toBeGreaterThan(50);
      expect(isSecretKey('requestDigest')).toBe(true);
    } finally {
      await s.close();
    }
  });
});

function idNumber(serial: number) {
  const first17 = `150402198507${String(10 + (serial % 18)).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

describe.each(targets())('what the audit log holds on %s', (target) => {
  let s: TestServer;
  let pub: Client;
  let office: Client;
  let admin: Client;
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' } });
    pub = s.client();
    office = await s.as('office');
    admin = await s.as('admin');
  });
  afterAll(async () => s?.close());

  const allAuditText = async () =>
    (await s.deps.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute())
      .map((r) => `${r.before_json ?? ''}\n${r.after_json ?? ''}`)
      .join('\n');
  const count = async (t: 'opinion' | 'audit_log') =>
    Number((await s.deps.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('a named opinion through triage leaves no request id, receipt code, place, name or phone in any snapshot', async () => {
    const requestId = crypto.randomUUID();
    const place = `红山区长青街${crypto.randomBytes(2).toString('hex')}号`;
    const body = {
      category: 'notary_service', content: `公证处窗口少排队久，希望增加窗口（${requestId.slice(0, 6)}）`, identity: 'named',
      name: '乌兰图雅', phone: '13847612345', wantsContact: true, clientRequestId: requestId,
      location: { text: place, lat: 42.2671, lon: 118.9583 },
    };
    const r = await pub.post('/api/public/opinions', body);
    expect(r.status).toBe(201);
    const id = (await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', r.body.publicNo).executeTakeFirstOrThrow()).id;
    const other = await pub.post('/api/public/opinions', { ...body, clientRequestId: crypto.randomUUID(), content: `${body.content}又一条` });
    const otherId = (await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', other.body.publicNo).executeTakeFirstOrThrow()).id;
    const hsq = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow()).id;
    expect((await office.post(`/api/opinions/${id}/categorize`, { category: 'public_legal_service' })).status).toBe(200);
    expect((await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 5 })).status).toBe(200);
    expect((await office.post(`/api/opinions/${otherId}/merge`, { intoId: id })).status).toBe(200);
    expect((await office.post(`/api/opinions/${id}/reply`, { reply: '已增加两个窗口' })).status).toBe(200);
    const third = await pub.post('/api/public/opinions', { ...body, clientRequestId: crypto.randomUUID(), content: `${body.content}第三条` });
    const thirdId = (await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', third.body.publicNo).executeTakeFirstOrThrow()).id;
    expect((await office.post(`/api/opinions/${thirdId}/reject`, { reason: '重复反映' })).status).toBe(200);

    const text = await allAuditText();
    for (const secret of [requestId, r.body.receiptCode, other.body.receiptCode, place, '42.2671', '118.9583', '乌兰图雅', '13847612345']) {
      expect(text, secret).not.toContain(secret);
    }
    // The assign entry still says the place changed or not, never what it is.
    const assign = await s.deps.db.selectFrom('audit_log').select('before_json').where('action', '=', 'assign').where('entity_id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(assign.before_json!).location_text).toBe('（受保护字段）');
  });

  it('an Open311 submission leaves no token in any snapshot', async () => {
    const sec = await s.as('secadmin');
    const key = await sec.post('/api/open311/keys', { name: '测试客户端' });
    expect(key.status).toBe(201);
    const form = new URLSearchParams({ api_key: key.body.apiKey, service_code: 'notary_service', description: '公证处取号机经常故障' });
    const res = await fetch(`${s.url}/open311/v2/requests.json`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const [answer] = (await res.json()) as { token: string }[];
    const text = await allAuditText();
    expect(text).not.toContain(answer!.token);
    expect(text).not.toContain(key.body.apiKey);
  });

  it('a person keeps no birth date, ID number or phone in any snapshot; a changed birth date is marked as changed', async () => {
    const id = idNumber(7);
    const created = await admin.post('/api/people', {
      name: '审计留痕甲', orgUnitId: (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ-01').executeTakeFirstOrThrow()).id,
      idNumber: id, phone: '13904760007',
    });
    expect(created.status).toBe(201);
    const other = idNumber(8);
    expect((await admin.patch(`/api/people/${created.body.id}`, { idNumber: other })).status).toBe(200);
    const text = await allAuditText();
    for (const v of [id, other, '13904760007', `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, `${other.slice(6, 10)}-${other.slice(10, 12)}-${other.slice(12, 14)}`]) {
      expect(text, v).not.toContain(v);
    }
    const upd = await s.deps.db.selectFrom('audit_log').select('after_json').where('action', '=', 'update').where('entity_id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(JSON.parse(upd.after_json!).birth_date).toBe(SEALED_CHANGED);
  });

  it('a known request id recovers nothing: another text with it gets no earlier receipt code; only the same submission is a retry', async () => {
    const requestId = crypto.randomUUID();
    const first = { category: 'notary_service', content: `社区矫正报到要跑三趟（${requestId.slice(0, 8)}）`, identity: 'anonymous', clientRequestId: requestId };
    const a = await pub.post('/api/public/opinions', first);
    expect(a.status).toBe(201);
    // The genuine retry (weak network): the same request, answered with the same code, nothing written.
    const before = { opinion: await count('opinion'), audit: await count('audit_log') };
    const retry = await pub.post('/api/public/opinions', first);
    expect(retry.status).toBe(200);
    expect(retry.body.receiptCode).toBe(a.body.receiptCode);
    expect({ opinion: await count('opinion'), audit: await count('audit_log') }).toEqual(before);
    // Someone who learnt the request id sends something else with it: a submission of their own, never A's code.
    for (const attack of [
      { ...first, content: `我想看看别人的答复（${crypto.randomBytes(3).toString('hex')}）` },
      { ...first, identity: 'named', name: '冒充者', phone: '13900000000' },
      { ...first, category: 'team_conduct' },
    ]) {
      const r = await pub.post('/api/public/opinions', attack);
      expect([201, 409]).toContain(r.status);
      expect(r.text).not.toContain(a.body.receiptCode);
    }
    // The request id is nowhere in clear.
    const row = await s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', a.body.publicNo).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(requestId);
    expect(row.request_digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
