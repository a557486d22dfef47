import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';

describe.each(targets())('dictionaries on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  let officer: Client;
  beforeAll(async () => {
    s = await startServer(target);
    admin = await s.as('admin');
    officer = await s.as('officer');
  });
  afterAll(async () => s?.close());

  const count = async (table: 'dict_type' | 'dict_item' | 'audit_log') =>
    Number((await s.deps.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const auditOf = (entityType: string, entityId: string) =>
    s.deps.db.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('seq').execute();

  it('lists the built-in types with their item counts', async () => {
    const r = await admin.get('/api/dicts');
    expect(r.status).toBe(200);
    const att = r.body.items.find((t: any) => t.code === 'attachment_type');
    expect(att).toMatchObject({ name: '附件类型', builtin: true, itemCount: 12 }); // JPEG, PNG, PDF, Word, Excel, MP3, WebP, M4A, MP4 audio, AAC, AMR, WAV
    expect(r.body.total).toBe(r.body.items.length);
    expect(r.body.items.find((t: any) => t.code === 'opinion_category').itemCount).toBe(12);
  });

  it('answers every type’s enabled labels to any signed-in user, in order; 401 anonymous', async () => {
    const r = await officer.get('/api/dicts/all');
    expect(r.status).toBe(200);
    expect(r.body.study_mode).toHaveLength(9);
    expect(r.body.study_mode[0]).toEqual({ code: 'self_study', label: '集中自学' });
    expect(r.body.clue_source.map((i: any) => i.code)).toEqual(['self_check', 'tip_off', 'data_screening', 'case_review', 'other']);
    // auditor holds dict:read, secadmin too; a role without any permission still gets labels:
    const anon = await s.client().get('/api/dicts/all');
    expect(anon.status).toBe(401);
    expect((await s.client().get('/api/dicts')).status).toBe(401);
  });

  it('creates a type; 400 names the field and writes nothing; 409 on a duplicate code', async () => {
    const before = await count('dict_type');
    const auditBefore = await count('audit_log');
    for (const [body, field, label] of [
      [{ code: 'Bad-Code', name: '坏' }, 'code', '编码'],
      [{ code: 'x', name: '太短' }, 'code', '编码'],
      [{ code: 'meeting_kind' }, 'name', '名称'],
      [{ code: 'meeting_kind', name: '' }, 'name', '名称'],
    ] as const) {
      const r = await admin.post('/api/dicts', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toContain(label);
    }
    expect(await count('dict_type')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);

    const ok = await admin.post('/api/dicts', { code: 'meeting_kind', name: '会议类型', description: '座谈会等' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ code: 'meeting_kind', name: '会议类型', builtin: false, itemCount: 0 });
    const dup = await admin.post('/api/dicts', { code: 'meeting_kind', name: '又一个' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toBe('编码：已存在');
    expect(await count('dict_type')).toBe(before + 1);
    const audit = await auditOf('dict_type', 'meeting_kind');
    expect(audit.map((a) => a.action)).toEqual(['create']);

    const p = await admin.patch('/api/dicts/meeting_kind', { name: '会议种类' });
    expect(p.status).toBe(200);
    expect(p.body.name).toBe('会议种类');
    expect((await auditOf('dict_type', 'meeting_kind')).map((a) => a.action)).toEqual(['create', 'update']);
    expect((await admin.patch('/api/dicts/no_such_type', { name: '无' })).status).toBe(404);
  });

  it('adds, edits, disables and deletes items of a custom type', async () => {
    await admin.post('/api/dicts', { code: 'venue_kind', name: '场所类型' });
    const a = await admin.post('/api/dicts/venue_kind/items', { code: 'hall', label: '会议室' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ code: 'hall', label: '会议室', sort: 10, enabled: true });
    const b = await admin.post('/api/dicts/venue_kind/items', { code: 'field', label: '现场', sort: 5 });
    expect(b.status).toBe(201);

    const itemsBefore = await count('dict_item');
    const dup = await admin.post('/api/dicts/venue_kind/items', { code: 'hall', label: '重复' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toBe('编码：已存在');
    const bad = await admin.post('/api/dicts/venue_kind/items', { code: 'hall', label: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('名称');
    const badCode = await admin.post('/api/dicts/venue_kind/items', { code: '含 空格', label: '坏' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.field).toBe('code');
    expect((await admin.post('/api/dicts/nope/items', { code: 'a', label: 'b' })).status).toBe(404);
    expect(await count('dict_item')).toBe(itemsBefore);

    let list = await admin.get('/api/dicts/venue_kind/items');
    expect(list.body.items.map((i: any) => i.code)).toEqual(['field', 'hall']);

    // The code is immutable: records store it.
    const recode = await admin.patch(`/api/dicts/venue_kind/items/${a.body.id}`, { code: 'room' });
    expect(recode.status).toBe(400);
    expect(recode.body.field).toBe('code');
    expect(recode.body.message).toContain('编码');
    const relabel = await admin.patch(`/api/dicts/venue_kind/items/${a.body.id}`, { code: 'hall', label: '大会议室', enabled: false });
    expect(relabel.status).toBe(200);
    expect(relabel.body).toMatchObject({ code: 'hall', label: '大会议室', enabled: false });

    list = await admin.get('/api/dicts/venue_kind/items');
    expect(list.body.items.map((i: any) => i.code)).toEqual(['field']);
    list = await admin.get('/api/dicts/venue_kind/items?includeDisabled=1');
    expect(list.body.total).toBe(2);
    expect((await officer.get('/api/dicts/all')).body.venue_kind).toEqual([{ code: 'field', label: '现场' }]);

    const del = await admin.delete(`/api/dicts/venue_kind/items/${b.body.id}`);
    expect(del.status).toBe(200);
    expect((await admin.get('/api/dicts/venue_kind/items?includeDisabled=1')).body.total).toBe(1);
    expect((await auditOf('dict_item', b.body.id)).map((x) => x.action)).toEqual(['create', 'delete']);
    expect((await auditOf('dict_item', a.body.id)).map((x) => x.action)).toEqual(['create', 'update']);
  });

  it('built-in items can be disabled and relabelled, not deleted', async () => {
    const items = (await admin.get('/api/dicts/clue_source/items')).body.items;
    const other = items.find((i: any) => i.code === 'other');
    const before = await count('dict_item');
    const del = await admin.delete(`/api/dicts/clue_source/items/${other.id}`);
    expect(del.status).toBe(400);
    expect(del.body.message).toContain('停用');
    expect(await count('dict_item')).toBe(before);
    const off = await admin.patch(`/api/dicts/clue_source/items/${other.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect((await admin.get('/api/dicts/all')).body.clue_source.map((i: any) => i.code)).not.toContain('other');
    await admin.patch(`/api/dicts/clue_source/items/${other.id}`, { enabled: true });
    // An item of one type is not reachable through another type's path.
    expect((await admin.patch(`/api/dicts/post/items/${other.id}`, { label: 'x' })).status).toBe(404);
  });

  it('holiday dictionaries take dates as codes', async () => {
    // The holiday dictionary is seeded with the 2026 schedule; admins add later years.
    expect((await admin.get('/api/dicts/holiday/items')).body.total).toBe(33);
    const bad = await admin.post('/api/dicts/holiday/items', { code: '2026-02-30', label: '不存在的日子' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('code');
    expect(bad.body.message).toContain('日期');
    const ok = await admin.post('/api/dicts/holiday/items', { code: '2027-10-01', label: '国庆节' });
    expect(ok.status).toBe(201);
  });

  it('permissions: officer reads but cannot write (403); auditor reads', async () => {
    expect((await officer.get('/api/dicts')).status).toBe(200);
    expect((await officer.get('/api/dicts/post/items')).status).toBe(200);
    const before = await count('dict_type');
    expect((await officer.post('/api/dicts', { code: 'officer_made', name: '干警建的' })).status).toBe(403);
    expect((await officer.post('/api/dicts/post/items', { code: 'x1', label: 'x' })).status).toBe(403);
    const someItem = (await officer.get('/api/dicts/post/items')).body.items[0];
    expect((await officer.patch(`/api/dicts/post/items/${someItem.id}`, { label: '改' })).status).toBe(403);
    expect((await officer.delete(`/api/dicts/post/items/${someItem.id}`)).status).toBe(403);
    expect((await officer.patch('/api/dicts/post', { name: '改' })).status).toBe(403);
    expect(await count('dict_type')).toBe(before);
    const auditor = await s.as('auditor');
    expect((await auditor.get('/api/dicts')).status).toBe(200);
    expect((await auditor.post('/api/dicts', { code: 'auditor_made', name: '审计建的' })).status).toBe(403);
  });

  it('system dictionaries (MIME types, the working-day calendar) are listed only to holders of dict:write', async () => {
    const SYSTEM = ['attachment_type', 'holiday', 'makeup_workday'];
    const adminTypes = (await admin.get('/api/dicts')).body.items;
    expect(adminTypes.filter((t: any) => t.system).map((t: any) => t.code).sort()).toEqual(SYSTEM);
    expect(adminTypes.find((t: any) => t.code === 'post')).toMatchObject({ system: false });
    expect(Object.keys((await admin.get('/api/dicts/all')).body)).toEqual(expect.arrayContaining(SYSTEM));
    expect((await admin.get('/api/dicts/attachment_type/items')).body.total).toBeGreaterThan(0);

    const auditor = await s.as('auditor');
    for (const c of [officer, auditor, await s.as('office'), await s.as('secadmin')]) {
      const types = (await c.get('/api/dicts')).body;
      expect(types.items.map((t: any) => t.code).filter((code: string) => SYSTEM.includes(code))).toEqual([]);
      expect(types.items.some((t: any) => t.system)).toBe(false);
      expect(types.total).toBe(types.items.length);
      expect(types.items.map((t: any) => t.code)).toContain('opinion_category');
      // Not listed, not readable, not in the labels every page loads: as if they did not exist.
      for (const code of SYSTEM) {
        const r = await c.get(`/api/dicts/${code}/items?includeDisabled=1`);
        expect(r.status).toBe(404);
        expect(JSON.stringify(r.body)).not.toContain('image/');
      }
      const all = (await c.get('/api/dicts/all')).body;
      for (const code of SYSTEM) expect(all).not.toHaveProperty(code);
      expect(JSON.stringify(all)).not.toMatch(/image\/jpeg|application\//);
      expect(all.opinion_category).toHaveLength(12);
    }
  });
});
