import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { remindOverdueOpinions, opinionJobs } from '../../src/server/modules/opinions/jobs.js';
import { startDailyJobs } from '../../src/server/platform/jobs.js';

describe.each(targets())('daily opinion jobs on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T01:00:00Z')); // Monday 09:00 in Beijing
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { now: clock });
  });
  afterAll(async () => s?.close());

  it('reminds the handling unit of overdue opinions, once a day across processes', async () => {
    const pub = s.client();
    const sub = await pub.post('/api/public/opinions', { content: '红山区某司法所上班时间经常锁门找不到人，希望整改', identity: 'anonymous' });
    expect(sub.status).toBe(201);
    const office = await s.as('office');
    const found = await office.get(`/api/opinions?q=${encodeURIComponent('锁门')}`);
    const id = found.body.items.find((o: any) => o.publicNo === sub.body.publicNo).id;
    const hsq = (await office.get('/api/org-units')).body.items.find((u: any) => u.code === 'HSQ');
    expect((await office.post(`/api/opinions/${id}/assign`, { unitId: hsq.id, workdays: 1 })).status).toBe(200);

    let unitadmin = await s.as('unitadmin');
    const before = (await unitadmin.get('/api/notifications?pageSize=50')).body.total;
    clock.advance(3 * 86_400_000); // Thursday: the one-working-day deadline (Tuesday) has passed
    const result = await remindOverdueOpinions(s.deps);
    unitadmin = await s.as('unitadmin'); // days went by: the old session has idled out
    expect(result.opinions).toBeGreaterThanOrEqual(1);
    const notes = (await unitadmin.get('/api/notifications?pageSize=50')).body;
    expect(notes.total).toBe(before + 1);
    expect(notes.items[0].title).toMatch(/已超过答复期限/);
    expect(notes.items[0].body).toContain(sub.body.publicNo);
    expect(notes.items[0].link).toBe('/opinions?overdue=1');

    // Scheduled: at 08:30 Beijing time the job runs once; a second process on the same database does not repeat it.
    clock.set(new Date('2026-11-27T00:31:00Z'));
    const a = startDailyJobs(s.deps, opinionJobs(s.deps), { intervalMs: 3600_000 });
    const b = startDailyJobs(s.deps, opinionJobs(s.deps), { intervalMs: 3600_000 });
    await Promise.all([a.tick(), b.tick()]);
    a();
    b();
    const runs = await s.deps.db.selectFrom('job_run').selectAll().where('name', '=', 'opinions-overdue-reminder').execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('done');
    unitadmin = await s.as('unitadmin');
    expect((await unitadmin.get('/api/notifications?pageSize=50')).body.total).toBe(before + 2);
  });
});
