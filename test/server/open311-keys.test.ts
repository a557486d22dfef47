import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { sm3 } from '../../src/server/platform/crypto.js';

// Open311 API keys: only holders of open311:keys (the security administrator) issue and revoke
// them; a key is shown once, stored only as a digest, and never written to the audit log.

describe.each(targets())('Open311 keys on %s', (target) => {
  let s: TestServer;
  let sec: Client;
  let office: Client;

  const count = async (table: 'open311_key' | 'audit_log') =>
    Number((await s.deps.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  /** Files an opinion through Open311 with the given key; answers the HTTP status. */
  async function submitWith(apiKey: string) {
    const res = await fetch(`${s.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({
        api_key: apiKey,
        service_code: 'notary_service',
        description: `公证处窗口排队时间较长，建议增加网上预约（${Math.random()}）`,
      }).toString(),
    });
    return res.status;
  }

  beforeAll(async () => {
    s = await startServer(target);
    sec = await s.as('secadmin');
    office = await s.as('office');
  });
  afterAll(async () => s?.close());

  it('refuses key management to anyone without open311:keys, and to the anonymous', async () => {
    const before = await count('open311_key');
    for (const r of [
      await office.get('/api/open311/keys'),
      await office.post('/api/open311/keys', { name: '整顿办自建客户端' }),
      await office.delete('/api/open311/keys/anything'),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error).toBe('FORBIDDEN');
    }
    const anon = await s.client().get('/api/open311/keys');
    expect(anon.status).toBe(401);
    expect(await count('open311_key')).toBe(before);
  });

  it('issues a key shown once, stores only its SM3 digest and a 4-character hint', async () => {
    const me = await sec.get('/api/me');
    const created = await sec.post('/api/open311/keys', { name: '市政务服务 App' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toContain('no-store');
    const { id, apiKey } = created.body;
    expect(typeof id).toBe('string');
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const row = await s.deps.db.selectFrom('open311_key').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sm3(`open311:${apiKey}`));
    expect(row.key_hint).toBe(apiKey.slice(-4));
    expect(Object.values(row).some((v) => typeof v === 'string' && v.includes(apiKey))).toBe(false);

    const list = await sec.get('/api/open311/keys');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(apiKey);
    const item = list.body.items.find((k: any) => k.id === id);
    expect(item).toEqual({
      id,
      name: '市政务服务 App',
      keyHint: apiKey.slice(-4),
      createdAt: expect.any(String),
      createdBy: me.body.user.displayName,
      revokedAt: null,
    });
    expect(list.body.total).toBeGreaterThanOrEqual(1);

    // The key works for Open311 intake.
    expect(await submitWith(apiKey)).toBe(200);
  });

  it('names the field when the name is missing or too long, and writes nothing', async () => {
    const keys = await count('open311_key');
    const audits = await count('audit_log');
    for (const body of [{}, { name: '   ' }, { name: '名'.repeat(51) }]) {
      const r = await sec.post('/api/open311/keys', body);
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('接入方名称');
    }
    expect(await count('open311_key')).toBe(keys);
    expect(await count('audit_log')).toBe(audits);
  });

  it('revokes a key: it stops working at once, a second revoke is refused, an unknown id is 404', async () => {
    const { id, apiKey } = (await sec.post('/api/open311/keys', { name: '旗县试点小程序' })).body;
    expect(await submitWith(apiKey)).toBe(200);

    const r = await sec.delete(`/api/open311/keys/${id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id, revokedAt: expect.any(String) });
    expect(await submitWith(apiKey)).toBe(403);

    const list = await sec.get('/api/open311/keys?pageSize=200');
    expect(list.body.items.find((k: any) => k.id === id).revokedAt).toBe(r.body.revokedAt);

    const again = await sec.delete(`/api/open311/keys/${id}`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('已撤销');
    const unknown = await sec.delete('/api/open311/keys/no-such-key');
    expect(unknown.status).toBe(404);
  });

  it('audits issuing and revoking, by whom, and never with the key in it', async () => {
    const { id, apiKey } = (await sec.post('/api/open311/keys', { name: '审计核对客户端' })).body;
    await sec.delete(`/api/open311/keys/${id}`);
    const entries = await s.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'open311_key')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.action)).toEqual(['create', 'revoke']);
    for (const e of entries) expect(e.actor_name).toContain('secadmin');
    expect(JSON.parse(entries[0]!.after_json!)).toMatchObject({ name: '审计核对客户端' });

    // Nowhere in the whole audit log: neither the key nor its digest.
    const all = await s.deps.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute();
    const text = all.map((e) => `${e.before_json ?? ''}${e.after_json ?? ''}`).join('\n');
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(sm3(`open311:${apiKey}`));
  });
});
