import type { Deps } from './context.js';
import { shanghaiDate, formatShanghai } from './time.js';

// Scheduled work that must happen once per period (a day) however many processes share the
// database. The job_run row (primary key name + period) is the lock: whoever inserts it runs the job.

export type JobOutcome =
  | { ran: true; status: 'done'; detail: string | null }
  | { ran: true; status: 'failed'; detail: string; error: unknown }
  | { ran: false; status: 'running' | 'done' | 'failed' | null };

export interface RunOptions {
  /**
   * A 'running' row older than this is taken to be from a process that died mid-run and may be
   * claimed again. Omitted: never (a crashed run then waits for the next period).
   */
  staleAfterMs?: number;
  /** Retake a failed run only once it failed at least this long ago (default: at once). */
  retryFailedAfterMs?: number;
}

function detailOf(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 4000 ? `${s.slice(0, 4000)}…` : s;
}

/** Claims (name, period): a fresh insert, or atomically taking over a failed (or stale) run. */
async function claim(deps: Deps, name: string, period: string, opts: RunOptions): Promise<boolean> {
  const now = deps.now().toISOString();
  const inserted = await deps.db
    .insertInto('job_run')
    .values({ name, period, started_at: now, finished_at: null, status: 'running', detail: null })
    .onConflict((oc) => oc.columns(['name', 'period']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  // The WHERE on status makes the retake atomic: of two processes, one UPDATE matches the row.
  let retake = deps.db
    .updateTable('job_run')
    .set({ status: 'running', started_at: now, finished_at: null, detail: null })
    .where('name', '=', name)
    .where('period', '=', period)
    .where('status', '=', 'failed');
  if (opts.retryFailedAfterMs) {
    retake = retake.where('finished_at', '<=', new Date(deps.now().getTime() - opts.retryFailedAfterMs).toISOString());
  }
  const retry = await retake.executeTakeFirst();
  if (Number(retry.numUpdatedRows) === 1) return true;
  if (opts.staleAfterMs !== undefined) {
    const cutoff = new Date(deps.now().getTime() - opts.staleAfterMs).toISOString();
    const stale = await deps.db
      .updateTable('job_run')
      .set({ started_at: now, finished_at: null, detail: '接管超时未结束的运行' })
      .where('name', '=', name)
      .where('period', '=', period)
      .where('status', '=', 'running')
      .where('started_at', '<', cutoff)
      .executeTakeFirst();
    if (Number(stale.numUpdatedRows) === 1) return true;
  }
  return false;
}

/**
 * Runs fn at most once for (name, period) across all processes sharing the database; a failed run
 * is run again by the next caller. fn's return value (text or JSON) is kept as the run's detail.
 * Never throws for fn's failure: the outcome says what happened.
 */
export async function runOncePerPeriod(
  deps: Deps,
  name: string,
  period: string,
  fn: (period: string) => Promise<unknown>,
  opts: RunOptions = {},
): Promise<JobOutcome> {
  if (!(await claim(deps, name, period, opts))) {
    const row = await deps.db
      .selectFrom('job_run').select('status').where('name', '=', name).where('period', '=', period).executeTakeFirst();
    return { ran: false, status: row?.status ?? null };
  }
  try {
    const detail = detailOf(await fn(period));
    await deps.db
      .updateTable('job_run')
      .set({ status: 'done', finished_at: deps.now().toISOString(), detail })
      .where('name', '=', name)
      .where('period', '=', period)
      .execute();
    return { ran: true, status: 'done', detail };
  } catch (error) {
    const detail = detailOf(error instanceof Error ? error.message : String(error)) ?? '失败';
    await deps.db
      .updateTable('job_run')
      .set({ status: 'failed', finished_at: deps.now().toISOString(), detail })
      .where('name', '=', name)
      .where('period', '=', period)
      .execute();
    return { ran: true, status: 'failed', detail, error };
  }
}

export interface DailyJob {
  name: string;
  /** Local time in Asia/Shanghai, 'HH:MM'; the job runs at the first check at or after it each day. */
  at: string;
  fn: (period: string) => Promise<unknown>;
  staleAfterMs?: number;
}

/**
 * What a check found, for the log: whether this process ran the job, found it done (or running,
 * or failed) elsewhere today, or is waiting for its time. `at` is Beijing time, HH:MM.
 */
export type JobReport = { job: string; period: string } & (
  | { kind: 'ran'; detail: string | null }
  | { kind: 'failed'; detail: string; error: unknown; retryAt: string }
  | { kind: 'done-elsewhere' }
  | { kind: 'running-elsewhere' }
  | { kind: 'failed-elsewhere'; retryAt: string }
  | { kind: 'waiting'; at: string }
  | { kind: 'unreachable'; error: unknown; retryAt: string }
);

/** One line of Chinese for the start log and the running log. */
export function formatJobReport(r: JobReport): string {
  const name = `每日任务 ${r.job}（${r.period}）`;
  switch (r.kind) {
    case 'ran':
      return `${name}：已运行完成${r.detail ? `，结果 ${r.detail}` : ''}`;
    case 'failed':
      return `${name}：运行失败（${r.detail}），将于 ${r.retryAt} 后重试`;
    case 'done-elsewhere':
      return `${name}：今日已由此前的启动或其他进程运行完成，本次跳过`;
    case 'running-elsewhere':
      return `${name}：另一进程正在运行，本进程不重复运行`;
    case 'failed-elsewhere':
      return `${name}：今日运行失败，将于 ${r.retryAt} 后重试`;
    case 'waiting':
      return `${name}：未到运行时间，将于 ${r.at} 运行`;
    case 'unreachable':
      return `${name}：无法访问数据库，将于 ${r.retryAt} 后重试`;
  }
}

export interface DailyJobsOptions {
  /** How often to look (default one minute). */
  intervalMs?: number;
  /** After a failure (in any process), wait this long before trying again the same day (default 15 minutes). */
  retryAfterMs?: number;
  /** Told of each run and of failures to reach the database; the timer itself never throws. */
  onOutcome?: (job: string, period: string, outcome: JobOutcome) => void;
  onError?: (job: string, err: unknown) => void;
  /**
   * Told what each check found (formatJobReport words it). The same finding for the same job and day
   * is reported once, so a job waiting for its time or running elsewhere does not fill the log.
   */
  onReport?: (report: JobReport) => void;
}

export type StopJobs = (() => void) & {
  /** One check now (tests drive this with a movable clock). Resolves when due jobs have finished. */
  tick(): Promise<void>;
};

/**
 * Starts a timer (unref'd: it never keeps the process alive) that runs each job once a day at or after
 * its time, Asia/Shanghai. A process started after a job's time still runs it that day, unless another
 * process already did. Answers a stop function.
 */
export function startDailyJobs(deps: Deps, jobs: DailyJob[], opts: DailyJobsOptions = {}): StopJobs {
  for (const j of jobs) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(j.at)) throw new Error(`startDailyJobs: bad time ${j.at} for ${j.name}`);
  }
  const retryAfterMs = opts.retryAfterMs ?? 15 * 60_000;
  // Per job: the period known to be done, and when to look again after an error reaching the database.
  const settled = new Map<string, string>();
  const retryAt = new Map<string, number>();
  // Per job: the last finding reported (kind and day), so repeats stay out of the log.
  const reported = new Map<string, string>();
  let stopped = false;
  const hhmmOf = (ms: number) => formatShanghai(new Date(ms).toISOString()).slice(11, 16);
  const report = (r: JobReport, always = false) => {
    const key = `${r.period}:${r.kind}`;
    if (!always && reported.get(r.job) === key) return;
    reported.set(r.job, key);
    opts.onReport?.(r);
  };

  async function check(job: DailyJob) {
    const now = deps.now();
    const period = shanghaiDate(now);
    const hhmm = formatShanghai(now.toISOString()).slice(11, 16);
    if (settled.get(job.name) === period) return;
    if (hhmm < job.at) return report({ job: job.name, period, kind: 'waiting', at: job.at });
    if ((retryAt.get(job.name) ?? 0) > now.getTime()) return;
    try {
      const outcome = await runOncePerPeriod(deps, job.name, period, job.fn, {
        staleAfterMs: job.staleAfterMs,
        retryFailedAfterMs: retryAfterMs,
      });
      opts.onOutcome?.(job.name, period, outcome);
      if (outcome.status === 'done') settled.set(job.name, period);
      retryAt.delete(job.name);
      // Failed, or running in another process: look again next time (the row says when a retry is due).
      const base = { job: job.name, period };
      if (outcome.ran && outcome.status === 'done') report({ ...base, kind: 'ran', detail: outcome.detail }, true);
      else if (outcome.ran) {
        report({ ...base, kind: 'failed', detail: outcome.detail, error: outcome.error, retryAt: hhmmOf(deps.now().getTime() + retryAfterMs) }, true);
      } else if (outcome.status === 'done') report({ ...base, kind: 'done-elsewhere' });
      else if (outcome.status === 'failed') {
        const row = await deps.db
          .selectFrom('job_run').select('finished_at').where('name', '=', job.name).where('period', '=', period).executeTakeFirst();
        const failedAt = row?.finished_at ? Date.parse(row.finished_at) : deps.now().getTime();
        report({ ...base, kind: 'failed-elsewhere', retryAt: hhmmOf(failedAt + retryAfterMs) });
      } else report({ ...base, kind: 'running-elsewhere' });
    } catch (err) {
      // The database could not be reached: back off rather than hammer it every minute.
      opts.onError?.(job.name, err);
      retryAt.set(job.name, deps.now().getTime() + retryAfterMs);
      report({ job: job.name, period, kind: 'unreachable', error: err, retryAt: hhmmOf(deps.now().getTime() + retryAfterMs) });
    }
  }

  // Checks run one after another, so a slow job is never started twice by this process.
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  const tick = () => {
    pending++;
    chain = chain.then(async () => {
      try {
        if (!stopped) await Promise.all(jobs.map((j) => check(j)));
      } finally {
        pending--;
      }
    });
    return chain;
  };
  // The timer does not pile up checks behind a long job.
  const timer = setInterval(() => {
    if (pending === 0) void tick();
  }, opts.intervalMs ?? 60_000);
  timer.unref();
  void tick();
  const stop = (() => {
    stopped = true;
    clearInterval(timer);
  }) as StopJobs;
  stop.tick = tick;
  return stop;
}
