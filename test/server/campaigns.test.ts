import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';

// The clock stands in the first campaign's spring of 2021 (Asia/Shanghai), so the demo batches read
// as they did then; the last test moves it on to see the status follow the dates.
const SPRING_2021 = new Date('2021-05-15T02:00:00Z');

describe.each(targets())('campaigns on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  let office: Client;
  let officer: Client;
  const clock = movableClock(SPRING_2021);
  beforeAll(async () => {
    s = await startServer(target, { now: clock });
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
      ['batch', 'createdAt', 'description', 'endDate', 'id', 'manualStatus', 'name', 'startDate', 'status', 'updatedAt'],
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

  it('status follows the dates, computed on read; a manual 启动/结束 ahead of them stays explicit', async () => {
    const at = async (day: string) => {
      clock.set(new Date(`${day}T02:00:00Z`));
      // Sessions time out as the clock moves: sign in again on the new day.
      return s.as('office');
    };
    try {
      // In 2026 both demo batches are over, whatever was stored when they were seeded.
      let c = await at('2026-12-01');
      // (Other tests of this file add batches of their own: only the two demo batches are looked at.)
      const demo = (body: any) => body.items.filter((x: any) => ['campaign-1', 'campaign-2'].includes(x.id));
      const all = (await c.get('/api/campaigns')).body;
      expect(demo(all).map((x: any) => [x.batch, x.status, x.manualStatus])).toEqual([[2, 'closed', null], [1, 'closed', null]]);
      expect(demo((await c.get('/api/campaigns?status=active')).body)).toEqual([]);
      expect(demo((await c.get('/api/campaigns?status=closed')).body)).toHaveLength(2);
      expect((await c.get('/api/campaigns/campaign-1')).body).toMatchObject({ status: 'closed', manualStatus: null });

      // A new batch: planned before its start, active on its first day, closed the day after its last.
      const created = await c.post('/api/campaigns', { name: '第六批', batch: 6, startDate: '2027-03-01', endDate: '2027-06-30' });
      expect(created.body).toMatchObject({ status: 'planned', manualStatus: null });
      const id = created.body.id;
      c = await at('2027-02-28');
      expect((await c.get(`/api/campaigns/${id}`)).body.status).toBe('planned');
      // Started early by hand: active, and the list says it was by hand.
      const started = await c.patch(`/api/campaigns/${id}`, { status: 'active' });
      expect(started.body).toMatchObject({ status: 'active', manualStatus: 'active' });
      expect((await c.get('/api/campaigns?status=active')).body.items.map((x: any) => x.id)).toContain(id);
      expect((await c.get('/api/campaigns?status=planned')).body.items.map((x: any) => x.id)).not.toContain(id);
      // Shanghai's 1 March begins at 16:00 UTC the day before: the dates now agree, no override left.
      clock.set(new Date('2027-02-28T16:30:00Z'));
      c = await s.as('office');
      expect((await c.get(`/api/campaigns/${id}`)).body).toMatchObject({ status: 'active', manualStatus: null });
      c = await at('2027-07-01');
      expect((await c.get(`/api/campaigns/${id}`)).body).toMatchObject({ status: 'closed', manualStatus: null });
      // Closed only by its dates: the dates may still be corrected (and the status follows them).
      const extended = await c.patch(`/api/campaigns/${id}`, { endDate: '2027-07-31' });
      expect(extended.status).toBe(200);
      expect(extended.body).toMatchObject({ status: 'active', manualStatus: null });
      // Sending the shown status back changes nothing and files no transition.
      const same = await c.patch(`/api/campaigns/${id}`, { status: 'active', description: '延长一个月' });
      expect(same.body).toMatchObject({ status: 'active', description: '延长一个月' });
      // Closed early by hand: closed, explicit, and from then on only the description may change.
      const closed = await c.patch(`/api/campaigns/${id}`, { status: 'closed' });
      expect(closed.body).toMatchObject({ status: 'closed', manualStatus: 'closed' });
      const locked = await c.patch(`/api/campaigns/${id}`, { endDate: '2027-08-31' });
      expect(locked.status).toBe(400);
      expect(locked.body.message).toContain('仅可修改说明');
      expect((await auditOf(id)).map((a) => a.action)).toEqual(['create', 'activate', 'update', 'update', 'close']);
    } finally {
      clock.set(SPRING_2021);
    }
  });
});
