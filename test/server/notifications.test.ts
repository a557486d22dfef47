import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { lastAuditSeq, rowCounts } from '../support/writes.js';
import { notify } from '../../src/server/platform/notify.js';

describe.each(targets())('notifications on %s', (target) => {
  let s: TestServer;
  let officer: Client;
  let unitadmin: Client;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    s = await startServer(target);
    officer = await s.as('officer');
    unitadmin = await s.as('unitadmin');
    for (const u of await s.deps.db.selectFrom('app_user').select(['id', 'username']).execute()) ids[u.username] = u.id;
  });
  afterAll(async () => s?.close());

  const counts = () => rowCounts(s.deps.db, 'notification');
  const unreadOf = async (userId: string) =>
    (await s.deps.db.selectFrom('notification').select('id').where('user_id', '=', userId).where('read_at', 'is', null).execute()).length;

  /**
   * Each test starts from the same inbox, whatever ran before it: two notices for the officer (the
   * older one also for the unit admin), none read.
   */
  async function freshInboxes() {
    await s.deps.db.deleteFrom('notification').where('user_id', 'in', [ids.officer!, ids.unitadmin!]).execute();
    await notify(s.deps.db, '2026-11-27T02:00:00.000Z', [ids.officer!, ids.unitadmin!], {
      title: '整改事项即将到期', body: '请于 3 个工作日内报送进展', link: '/rectification/1',
    });
    await notify(s.deps.db, '2026-11-27T04:00:00.000Z', [ids.officer!], { title: '学习活动签到提醒' });
  }

  it('notify() writes one row per distinct user inside the caller’s transaction', async () => {
    await s.deps.db.deleteFrom('notification').where('user_id', 'in', [ids.officer!, ids.unitadmin!]).execute();
    const before = await counts();
    const made = await s.deps.db.transaction().execute((trx) =>
      notify(trx, new Date('2026-11-27T02:00:00Z'), [ids.officer!, ids.officer!, ids.unitadmin!], {
        title: '整改事项即将到期', body: '请于 3 个工作日内报送进展', link: '/rectification/1',
      }),
    );
    expect(made).toHaveLength(2);
    expect((await counts()).notification).toBe(before.notification + 2);
    const afterMade = await counts();
    // A rolled-back transaction leaves no notification behind.
    await expect(
      s.deps.db.transaction().execute(async (trx) => {
        await notify(trx, '2026-11-27T03:00:00.000Z', [ids.officer!], { title: '不应出现' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    // An outside link is refused before anything is written.
    await expect(notify(s.deps.db, new Date(), [ids.officer!], { title: '外链', link: 'https://example.com' })).rejects.toThrow();
    expect(await counts()).toEqual(afterMade);
    expect(await s.deps.db.selectFrom('notification').select('id').where('title', 'in', ['不应出现', '外链']).execute()).toHaveLength(0);
  });

  it('lists only the caller’s own, newest first, with the unread count', async () => {
    await freshInboxes();
    const r = await officer.get('/api/notifications');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
    expect(r.body.unread).toBe(2);
    expect(r.body.items.map((n: any) => n.title)).toEqual(['学习活动签到提醒', '整改事项即将到期']);
    expect(r.body.items[1]).toMatchObject({ body: '请于 3 个工作日内报送进展', link: '/rectification/1', readAt: null });
    expect(Object.keys(r.body.items[0]).sort()).toEqual(['body', 'createdAt', 'id', 'link', 'readAt', 'title']);
    const other = await unitadmin.get('/api/notifications');
    expect(other.body.total).toBe(1);
    const paged = await officer.get('/api/notifications?page=2&pageSize=1');
    expect(paged.body.items.map((n: any) => n.title)).toEqual(['整改事项即将到期']);
    expect((await officer.get('/api/notifications?pageSize=500')).status).toBe(400);
    expect((await s.client().get('/api/notifications')).status).toBe(401);
  });

  it('marks one read (own only: 404 for another’s, nothing written), then all; audited', async () => {
    await freshInboxes();
    const mine = (await officer.get('/api/notifications')).body.items;
    const theirs = (await unitadmin.get('/api/notifications')).body.items[0];
    const before = await counts();
    const theirRow = await s.deps.db.selectFrom('notification').selectAll().where('id', '=', theirs.id).executeTakeFirstOrThrow();
    const stolen = await officer.post(`/api/notifications/${theirs.id}/read`);
    expect(stolen.status).toBe(404);
    expect((await officer.post('/api/notifications/nope/read')).status).toBe(404);
    expect(await counts()).toEqual(before);
    expect(await s.deps.db.selectFrom('notification').selectAll().where('id', '=', theirs.id).executeTakeFirstOrThrow()).toEqual(theirRow);
    expect((await unitadmin.get('/api/notifications')).body.unread).toBe(1);

    const seq = await lastAuditSeq(s.deps.db);
    const one = await officer.post(`/api/notifications/${mine[0].id}/read`);
    expect(one.status).toBe(200);
    expect(one.body.readAt).toBeTruthy();
    const unread = await officer.get('/api/notifications?unread=1');
    expect(unread.body).toMatchObject({ total: 1, unread: 1 });
    expect(unread.body.items[0].id).toBe(mine[1].id);

    const all = await officer.post('/api/notifications/read-all');
    expect(all.status).toBe(200);
    expect(all.body.updated).toBe(1);
    expect((await officer.get('/api/notifications')).body).toMatchObject({ total: 2, unread: 0 });
    // Someone else's stay unread.
    expect((await unitadmin.get('/api/notifications')).body.unread).toBe(1);
    const audit = await s.deps.db
      .selectFrom('audit_log').select(['action', 'entity_id']).where('entity_type', '=', 'notification').where('seq', '>', seq).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['read', 'read_all']);
    expect(audit[0]!.entity_id).toBe(mine[0].id);
  });

  it('requires the CSRF token for marking read; nothing written without it', async () => {
    await freshInboxes();
    const before = await counts();
    const r = await unitadmin.request('POST', '/api/notifications/read-all', {}, { 'x-csrf-token': 'wrong' });
    expect(r.status).toBe(403);
    const mine = (await officer.get('/api/notifications')).body.items[0];
    const one = await officer.request('POST', `/api/notifications/${mine.id}/read`, {}, { 'x-csrf-token': 'wrong' });
    expect(one.status).toBe(403);
    expect(await counts()).toEqual(before);
    expect(await unreadOf(ids.unitadmin!)).toBe(1);
    expect(await unreadOf(ids.officer!)).toBe(2);
  });
});
