import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';

describe.each(targets())('campaigns on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  let office: Client;
  let officer: Client;
  beforeAll(async () => {
    s = await startServer(target);
    admin = await s.as('admin');
    office = await s.as('office');
    officer = await s.as('officer');
  });
  afterAll(async () => s?.close());

  const count = async (table: 'campaign' | 'audit_log') =>
    Number((await s.deps.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const auditOf = (id: string) =>
    s.deps.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'campaign').where('entity_id', '=', id).orderBy('seq').execute();

  it('lists the demo batches with paging and a status filter', async () => {
    const r = await officer.get('/api/campaigns');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
    expect(r.body.items[0]).toMatchObject({ batch: 2, status: 'planned', startDate: '2021-08-01', endDate: '2022-01-31' });
    expect(Object.keys(r.body.items[0]).sort()).toEqual(
      ['batch', 'createdAt', 'description', 'endDate', 'id', 'name', 'startDate', 'status', 'updatedAt'],
    );
    const active = await officer.get('/api/campaigns?status=active');
    expect(active.body.items.map((c: any) => c.batch)).toEqual([1]);
    const page = await officer.get('/api/campaigns?page=2&pageSize=1');
    expect(page.body).toMatchObject({ total: 2 });
    expect(page.body.items.map((c: any) => c.batch)).toEqual([1]);
    const bad = await officer.get('/api/campaigns?status=done');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('状态');
    const one = await officer.get(`/api/campaigns/${active.body.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.name).toBe('第一批政法队伍教育整顿');
    expect((await officer.get('/api/campaigns/nope')).status).toBe(404);
    expect((await s.client().get('/api/campaigns')).status).toBe(401);
  });

  it('rejects bad input naming the field, writing nothing', async () => {
    const before = await count('campaign');
    const auditBefore = await count('audit_log');
    const good = { name: '第三批', batch: 3, startDate: '2026-03-01', endDate: '2026-06-30' };
    for (const [body, field, label] of [
      [{ ...good, endDate: '2026-02-01' }, 'endDate', '结束日期'],
      [{ ...good, endDate: '2026-02-30' }, 'endDate', '结束日期'],
      [{ ...good, startDate: '2026/03/01' }, 'startDate', '开始日期'],
      [{ ...good, batch: 0 }, 'batch', '批次'],
      [{ ...good, batch: 1.5 }, 'batch', '批次'],
      [{ ...good, name: '' }, 'name', '名称'],
      [{ ...good, status: 'finished' }, 'status', '状态'],
      [{ ...good, batch: 1 }, 'batch', '批次'],
    ] as const) {
      const r = await office.post('/api/campaigns', body);
      expect(r.status, JSON.stringify(body)).toBe(field === 'batch' && (body as any).batch === 1 ? 409 : 400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toContain(label);
    }
    expect(await count('campaign')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);
  });

  it('moves planned → active → closed only, auditing each change; closed keeps only its description editable', async () => {
    const created = await office.post('/api/campaigns', {
      name: '第三批教育整顿', batch: 3, startDate: '2026-03-01', endDate: '2026-06-30', description: '试点',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'planned', batch: 3, description: '试点' });
    const id = created.body.id;

    const skip = await office.patch(`/api/campaigns/${id}`, { status: 'closed' });
    expect(skip.status).toBe(400);
    expect(skip.body.field).toBe('status');
    expect(skip.body.message).toContain('状态');

    const edit = await office.patch(`/api/campaigns/${id}`, { name: '第三批政法队伍教育整顿', endDate: '2026-07-31' });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ name: '第三批政法队伍教育整顿', endDate: '2026-07-31' });
    const badDates = await office.patch(`/api/campaigns/${id}`, { endDate: '2026-02-01' });
    expect(badDates.status).toBe(400);
    expect(badDates.body.message).toContain('结束日期');

    expect((await office.patch(`/api/campaigns/${id}`, { status: 'active' })).body.status).toBe('active');
    const back = await office.patch(`/api/campaigns/${id}`, { status: 'planned' });
    expect(back.status).toBe(400);
    expect(back.body.field).toBe('status');
    expect((await office.patch(`/api/campaigns/${id}`, { status: 'closed' })).body.status).toBe('closed');

    const reopen = await office.patch(`/api/campaigns/${id}`, { status: 'active' });
    expect(reopen.status).toBe(400);
    const rename = await office.patch(`/api/campaigns/${id}`, { name: '改名' });
    expect(rename.status).toBe(400);
    expect(rename.body.field).toBe('name');
    expect(rename.body.message).toContain('仅可修改说明');
    // The form sends every field back unchanged with a new description: fine.
    const cur = (await office.get(`/api/campaigns/${id}`)).body;
    const desc = await office.patch(`/api/campaigns/${id}`, {
      name: cur.name, batch: cur.batch, startDate: cur.startDate, endDate: cur.endDate, status: 'closed', description: '已总结',
    });
    expect(desc.status).toBe(200);
    expect(desc.body).toMatchObject({ status: 'closed', description: '已总结', name: '第三批政法队伍教育整顿' });

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'activate', 'close', 'update']);
    expect(JSON.parse(audit[2]!.before_json!).status).toBe('planned');
    expect(JSON.parse(audit[2]!.after_json!).status).toBe('active');
    expect(audit.every((a) => a.actor_name?.includes('(office)'))).toBe(true);
  });

  it('permissions: unit admin and officer read but cannot write', async () => {
    const before = await count('campaign');
    const unitadmin = await s.as('unitadmin');
    expect((await unitadmin.get('/api/campaigns')).status).toBe(200);
    const body = { name: '第九批', batch: 9, startDate: '2027-01-01', endDate: '2027-02-01' };
    expect((await unitadmin.post('/api/campaigns', body)).status).toBe(403);
    expect((await officer.post('/api/campaigns', body)).status).toBe(403);
    const id = (await officer.get('/api/campaigns')).body.items[0].id;
    expect((await officer.patch(`/api/campaigns/${id}`, { status: 'active' })).status).toBe(403);
    expect(await count('campaign')).toBe(before);
    // sysadmin maintains base data, campaigns included.
    expect((await admin.post('/api/campaigns', body)).status).toBe(201);
  });
});
