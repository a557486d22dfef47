import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, movableClock, targets, type TestDb } from '../support/db.js';
import { createDeps } from '../../src/server/deps.js';
import type { Deps } from '../../src/server/platform/context.js';
import { formatJobReport, runOncePerPeriod, startDailyJobs, type JobOutcome, type JobReport } from '../../src/server/platform/jobs.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

// A second process cannot share an in-process PGlite database; the real server covers PostgreSQL.
describe.each(targets().filter((t) => t !== 'pglite'))('jobs on %s', (target) => {
  const clock = movableClock(new Date('2026-11-27T00:30:00Z')); // 08:30 in Beijing
  let t: TestDb;
  let a: Deps;
  let b: Deps; // a second "process" on the same database
  beforeAll(async () => {
    t = await createTestDb(target, { demo: false, now: clock });
    a = t.deps;
    const schema =
      target === 'postgres'
        ? String((await sql<{ s: string }>`select current_schema() as s`.execute(a.db)).rows[0]!.s)
        : undefined;
    b = await createDeps(t.config, { schema, now: clock, poolSize: 4 });
  });
  afterAll(async () => {
    await b?.database.close();
    await t?.cleanup();
  });

  const row = (name: string, period: string) =>
    a.db.selectFrom('job_run').selectAll().where('name', '=', name).where('period', '=', period).executeTakeFirst();

  it('two processes claiming the same period concurrently: exactly one runs', async () => {
    let runs = 0;
    const gate = deferred();
    const fn = async () => {
      runs++;
      await gate.promise;
      return { reminded: 3 };
    };
    const p1 = runOncePerPeriod(a, 'overdue-reminders', '2026-11-27', fn);
    const p2 = runOncePerPeriod(b, 'overdue-reminders', '2026-11-27', fn);
    // The loser answers while the winner is still inside fn.
    const loser = await Promise.race([p1, p2]);
    expect(loser).toEqual({ ran: false, status: 'running' });
    expect((await row('overdue-reminders', '2026-11-27'))?.status).toBe('running');
    gate.resolve();
    const outcomes = await Promise.all([p1, p2]);
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => o.ran)).toEqual([{ ran: true, status: 'done', detail: '{"reminded":3}' }]);
    const r = await row('overdue-reminders', '2026-11-27');
    expect(r).toMatchObject({ status: 'done', detail: '{"reminded":3}' });
    expect(r!.finished_at).toBeTruthy();
    // Done is done: no one runs it again for that period; the next period is separate.
    expect(await runOncePerPeriod(b, 'overdue-reminders', '2026-11-27', fn)).toEqual({ ran: false, status: 'done' });
    expect((await runOncePerPeriod(b, 'overdue-reminders', '2026-11-28', fn)).ran).toBe(true);
    expect(runs).toBe(2);
  });

  it('a failed run is recorded and retried, by one process only', async () => {
    const failed = await runOncePerPeriod(a, 'daily-stats', '2026-11-27', async () => {
      throw new Error('数据库暂时不可用');
    });
    expect(failed).toMatchObject({ ran: true, status: 'failed', detail: '数据库暂时不可用' });
    expect(await row('daily-stats', '2026-11-27')).toMatchObject({ status: 'failed', detail: '数据库暂时不可用' });

    let runs = 0;
    const gate = deferred();
    const fn = async () => {
      runs++;
      await gate.promise;
      return '重算完成';
    };
    const p1 = runOncePerPeriod(a, 'daily-stats', '2026-11-27', fn);
    const p2 = runOncePerPeriod(b, 'daily-stats', '2026-11-27', fn);
    expect(await Promise.race([p1, p2])).toEqual({ ran: false, status: 'running' });
    gate.resolve();
    await Promise.all([p1, p2]);
    expect(runs).toBe(1);
    expect(await row('daily-stats', '2026-11-27')).toMatchObject({ status: 'done', detail: '重算完成' });
  });

  it('a run left "running" by a dead process is taken over only once stale', async () => {
    await a.db
      .insertInto('job_run')
      .values({ name: 'cleanup', period: '2026-11-27', started_at: clock().toISOString(), finished_at: null, status: 'running', detail: null })
      .execute();
    const fn = async () => 'ok';
    expect(await runOncePerPeriod(a, 'cleanup', '2026-11-27', fn, { staleAfterMs: 3_600_000 })).toEqual({ ran: false, status: 'running' });
    expect(await runOncePerPeriod(a, 'cleanup', '2026-11-27', fn)).toEqual({ ran: false, status: 'running' });
    clock.advance(2 * 3_600_000);
    expect((await runOncePerPeriod(a, 'cleanup', '2026-11-27', fn, { staleAfterMs: 3_600_000 })).ran).toBe(true);
    expect((await row('cleanup', '2026-11-27'))?.status).toBe('done');
    clock.set(new Date('2026-11-27T00:30:00Z'));
  });

  it('daily jobs run once a day at their Beijing time, across two processes, and retry failures later', async () => {
    clock.set(new Date('2026-12-01T00:30:00Z')); // 08:30 Beijing
    const periods: string[] = [];
    let failNext = true;
    const outcomes: JobOutcome[] = [];
    const jobs = [
      { name: 'morning-digest', at: '09:00', fn: async (p: string) => void periods.push(p) },
      {
        name: 'flaky', at: '09:00',
        fn: async () => {
          if (failNext) {
            failNext = false;
            throw new Error('暂时失败');
          }
          return 'ok';
        },
      },
    ];
    const stopA = startDailyJobs(a, jobs, { retryAfterMs: 15 * 60_000, onOutcome: (_j, _p, o) => outcomes.push(o) });
    const stopB = startDailyJobs(b, jobs, { retryAfterMs: 15 * 60_000 });
    try {
      await Promise.all([stopA.tick(), stopB.tick()]);
      expect(periods).toEqual([]); // before 09:00

      clock.set(new Date('2026-12-01T01:01:00Z')); // 09:01 Beijing
      await Promise.all([stopA.tick(), stopB.tick()]);
      await Promise.all([stopA.tick(), stopB.tick()]);
      expect(periods).toEqual(['2026-12-01']);
      expect((await row('flaky', '2026-12-01'))?.status).toBe('failed');

      clock.advance(5 * 60_000); // too soon to retry here; the other process retries on its own schedule too
      await stopA.tick();
      expect((await row('flaky', '2026-12-01'))?.status).toBe('failed');
      clock.advance(15 * 60_000);
      await Promise.all([stopA.tick(), stopB.tick()]);
      expect(await row('flaky', '2026-12-01')).toMatchObject({ status: 'done', detail: 'ok' });

      // Just after midnight Beijing (16:05 UTC): a new day, but not yet 09:00 there.
      clock.set(new Date('2026-12-01T16:05:00Z'));
      await Promise.all([stopA.tick(), stopB.tick()]);
      expect(periods).toEqual(['2026-12-01']);
      clock.set(new Date('2026-12-02T01:00:00Z'));
      await Promise.all([stopA.tick(), stopB.tick()]);
      expect(periods).toEqual(['2026-12-01', '2026-12-02']);
    } finally {
      stopA();
      stopB();
    }
    // Stopped: nothing more runs.
    clock.set(new Date('2026-12-03T02:00:00Z'));
    await stopA.tick();
    expect(periods).toEqual(['2026-12-01', '2026-12-02']);
    expect(outcomes.some((o) => o.status === 'failed')).toBe(true);
  });

  it('reports what each check found — ran, failed, done or running elsewhere, waiting — once each', async () => {
    clock.set(new Date('2026-12-10T00:00:00Z')); // 08:00 Beijing
    const seen: JobReport[] = [];
    const seenB: JobReport[] = [];
    // Jobs are checked side by side: compare in job-name order.
    const brief = (rs: JobReport[]) =>
      rs
        .map((r) => [r.job, r.kind, 'detail' in r ? r.detail : 'at' in r ? r.at : 'retryAt' in r ? r.retryAt : null])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    const of = (rs: JobReport[], job: string) => rs.find((r) => r.job === job)!;
    let okRuns = 0;
    const jobs = [
      { name: 'r-ok', at: '08:30', fn: async () => ({ reminded: 2, run: ++okRuns }) },
      {
        name: 'r-fail', at: '08:30',
        fn: async () => {
          throw new Error('对方服务无响应');
        },
      },
    ];
    // Someone else is in the middle of this one.
    await a.db
      .insertInto('job_run')
      .values({ name: 'r-busy', period: '2026-12-10', started_at: '2026-12-10T00:29:00.000Z', finished_at: null, status: 'running', detail: null })
      .execute();
    const stopA = startDailyJobs(a, jobs, { retryAfterMs: 15 * 60_000, onReport: (r) => seen.push(r) });
    let stopB: ReturnType<typeof startDailyJobs> | undefined;
    try {
      await stopA.tick();
      await stopA.tick();
      // Before its time: said once per job, not at every check.
      expect(brief(seen)).toEqual([['r-fail', 'waiting', '08:30'], ['r-ok', 'waiting', '08:30']]);
      expect(formatJobReport(of(seen, 'r-ok'))).toBe('每日任务 r-ok（2026-12-10）：未到运行时间，将于 08:30 运行');

      clock.set(new Date('2026-12-10T00:31:00Z')); // 08:31
      await stopA.tick();
      expect(brief(seen.slice(2))).toEqual([['r-fail', 'failed', '对方服务无响应'], ['r-ok', 'ran', '{"reminded":2,"run":1}']]);
      const failed = of(seen.slice(2), 'r-fail');
      expect(failed.kind === 'failed' && failed.retryAt).toBe('08:46');
      expect(formatJobReport(of(seen.slice(2), 'r-ok'))).toBe('每日任务 r-ok（2026-12-10）：已运行完成，结果 {"reminded":2,"run":1}');
      expect(formatJobReport(failed)).toBe('每日任务 r-fail（2026-12-10）：运行失败（对方服务无响应），将于 08:46 后重试');

      // Checks before the retry is due: one line saying so, then quiet.
      clock.set(new Date('2026-12-10T00:32:00Z'));
      await stopA.tick();
      await stopA.tick();
      expect(brief(seen.slice(4))).toEqual([['r-fail', 'failed-elsewhere', '08:46']]);

      // A second process started now: it does not run what is done, and says so (not "done" as if it ran).
      stopB = startDailyJobs(b, [...jobs, { name: 'r-busy', at: '08:00', fn: async () => 'never' }], {
        retryAfterMs: 15 * 60_000, onReport: (r) => seenB.push(r),
      });
      await stopB.tick();
      await stopB.tick();
      expect(brief(seenB)).toEqual([['r-busy', 'running-elsewhere', null], ['r-fail', 'failed-elsewhere', '08:46'], ['r-ok', 'done-elsewhere', null]]);
      expect(formatJobReport(of(seenB, 'r-ok'))).toBe('每日任务 r-ok（2026-12-10）：今日已由此前的启动或其他进程运行完成，本次跳过');
      expect(formatJobReport(of(seenB, 'r-busy'))).toBe('每日任务 r-busy（2026-12-10）：另一进程正在运行，本进程不重复运行');
      expect(okRuns).toBe(1);
    } finally {
      stopA();
      stopB?.();
    }
  });

  it('refuses a malformed time', () => {
    expect(() => startDailyJobs(a, [{ name: 'x', at: '9:00', fn: async () => undefined }])).toThrow();
  });
});
