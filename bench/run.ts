// `npm run bench` runs bench/paths.ts (see the dispatch at the end); this file's own part
// (BENCH_ONLY=start): cold start and request latency of the real `npm start` process, each figure
// next to a baseline measured in the same run (a bare Fastify process), so the ratios stay
// meaningful on whatever machine — and under whatever load — the run happens.
// Never part of `npm test`. See bench/README.md for what each figure means.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Options as CannonOptions } from 'autocannon';
import {
  ADMIN_PASSWORD, BASELINE, DEMO_PASSWORD, MAIN, PG_URL, cleanupAll, envNumber, freshPostgres, hookSigint, launch, log,
  median, percentile, ratio, request, root, round, stop, table, tempDir, times,
} from './lib.js';

const RESULTS = path.join(root, 'bench/results/latest.json');

const SECONDS = envNumber('BENCH_SECONDS', 10);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 1);
const RUNS = Math.max(1, Math.round(envNumber('BENCH_RUNS', 5)));
const CONNECTIONS = Math.max(1, Math.round(envNumber('BENCH_CONNECTIONS', 20)));
// Unset: the platform's own default, i.e. what operators run (per-request pino lines included).
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || '';
const LOGIN_USER = 'office'; // 整顿办: data scope "all", so the people list is the whole bureau

// ---------------------------------------------------------------- databases

interface Database {
  url: string;
  dataDir: string;
}

interface Target {
  name: 'sqlite' | 'postgres';
  /** An empty database (and data directory for the field key and files); lib's cleanupAll() removes it. */
  fresh(): Promise<Database>;
}

const sqliteTarget: Target = {
  name: 'sqlite',
  async fresh() {
    const dir = tempDir();
    return { url: path.join(dir, 'rectify.db'), dataDir: dir };
  },
};

function postgresTarget(adminUrl: string): Target {
  return {
    name: 'postgres',
    fresh: async () => ({ url: await freshPostgres(adminUrl), dataDir: tempDir() }),
  };
}

const platformEnv = (db: Database): Record<string, string> => ({
  DATABASE_URL: db.url,
  RECTIFY_DATA_DIR: db.dataDir,
  RECTIFY_DEMO: '1',
  RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD,
  RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD,
  ...(LOG_LEVEL ? { RECTIFY_LOG_LEVEL: LOG_LEVEL } : {}),
});

// ---------------------------------------------------------------- 1. cold start

interface StartFigures {
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** The platform's own "用时 N ms" (main() to listening): the rest is Node boot and module loading. */
  inMainMedianMs?: number | null;
}
const figures = (runsMs: number[], inMain: (number | null)[] = []): StartFigures => {
  const known = inMain.filter((x): x is number => x !== null);
  return {
    runsMs: runsMs.map((x) => round(x, 1)!),
    medianMs: round(median(runsMs), 1)!,
    minMs: round(Math.min(...runsMs), 1)!,
    maxMs: round(Math.max(...runsMs), 1)!,
    ...(inMain.length ? { inMainMedianMs: known.length ? round(median(known), 1) : null } : {}),
  };
};

/** The startup line main.ts prints: "…已启动：… （数据库：sqlite，用时 263 ms）". */
function inMainMs(logFile: string): number | null {
  const m = [...fs.readFileSync(logFile, 'utf8').matchAll(/用时 (\d+) ms/g)].pop();
  return m ? Number(m[1]) : null;
}

async function coldStartBaseline(logDir: string): Promise<StartFigures> {
  const logFile = path.join(logDir, 'baseline.log');
  await stop((await launch(BASELINE, {}, logFile)).server); // untimed: warms the file cache
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { server, ms } = await launch(BASELINE, {}, logFile);
    await stop(server);
    runs.push(ms);
    log(`  bare Fastify start ${i + 1}/${RUNS}: ${ms.toFixed(0)} ms`);
  }
  return figures(runs);
}

/** First start on an empty database and restart on the seeded one, RUNS times; keeps the last database. */
async function coldStartPlatform(target: Target, logDir: string) {
  const logFile = (run: string) => path.join(logDir, `${target.name}-${run}.log`);
  // Untimed first round: loads the modules into the OS file cache so run 1 is not an outlier.
  await stop((await launch(MAIN, platformEnv(await target.fresh()), logFile('warmup'))).server);
  const first: number[] = [];
  const restart: number[] = [];
  const firstInMain: (number | null)[] = [];
  const restartInMain: (number | null)[] = [];
  let db: Database | undefined;
  for (let i = 0; i < RUNS; i++) {
    db = await target.fresh();
    const a = await launch(MAIN, platformEnv(db), logFile(`${i}-first`));
    await stop(a.server);
    const b = await launch(MAIN, platformEnv(db), logFile(`${i}-restart`));
    await stop(b.server);
    first.push(a.ms);
    restart.push(b.ms);
    firstInMain.push(inMainMs(logFile(`${i}-first`)));
    restartInMain.push(inMainMs(logFile(`${i}-restart`)));
    log(`  ${target.name} first start ${i + 1}/${RUNS}: ${a.ms.toFixed(0)} ms, restart: ${b.ms.toFixed(0)} ms`);
  }
  return { first: figures(first, firstInMain), restart: figures(restart, restartInMain), seeded: db! };
}

// ---------------------------------------------------------------- 2. latency under load

interface LoadCase {
  database: 'none' | 'sqlite' | 'postgres';
  name: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

interface LoadFigures {
  database: LoadCase['database'];
  name: string;
  p50Ms: number | null;
  p99Ms: number | null;
  reqPerSec: number | null;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** autocannon's own percentiles (whole milliseconds) for cross-checking. */
  autocannonP50Ms: number;
  autocannonP99Ms: number;
  p50Ratio?: number | null;
  reqPerSecRatio?: number | null;
}

async function load(c: LoadCase): Promise<LoadFigures> {
  // A wrong cookie or path would otherwise be measured as a fast 4xx.
  const probe = await request(c.method, c.url, { headers: c.headers, body: c.body, timeoutMs: 30_000 });
  if (probe.status !== 200) throw new Error(`${c.name}: expected 200, got ${probe.status} ${probe.body.slice(0, 300)}`);
  const opts: CannonOptions = { url: c.url, method: c.method, headers: c.headers, body: c.body, connections: CONNECTIONS, timeout: 30 };
  if (WARMUP_SECONDS > 0) await autocannon({ ...opts, duration: WARMUP_SECONDS });
  // Own latency samples: autocannon's histogram keeps whole milliseconds, too coarse for a
  // sub-millisecond baseline.
  const times: number[] = [];
  const inst = autocannon({ ...opts, duration: SECONDS });
  inst.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    const s = Number(status);
    if (s >= 200 && s < 300) times.push(ms);
  });
  const r = await inst;
  times.sort((a, b) => a - b);
  const out: LoadFigures = {
    database: c.database,
    name: c.name,
    p50Ms: round(percentile(times, 0.5), 2),
    p99Ms: round(percentile(times, 0.99), 2),
    reqPerSec: round(r.requests.average, 1),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    autocannonP50Ms: r.latency.p50,
    autocannonP99Ms: r.latency.p99,
  };
  log(`  ${c.database.padEnd(8)} ${c.name}: p50 ${out.p50Ms} ms, p99 ${out.p99Ms} ms, ${out.reqPerSec} req/s` +
    (out.non2xx || out.errors ? ` (non-2xx ${out.non2xx}, errors ${out.errors})` : ''));
  return out;
}

async function sessionCookie(base: string): Promise<string> {
  const r = await request('POST', base + '/api/auth/login', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: LOGIN_USER, password: DEMO_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login as ${LOGIN_USER} failed: ${r.status} ${r.body.slice(0, 300)}`);
  const cookies = (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
  if (!cookies.length) throw new Error('login answered 200 without a session cookie');
  return cookies.join('; ');
}

async function loadPlatform(target: Target, db: Database, logDir: string): Promise<LoadFigures[]> {
  const { server } = await launch(MAIN, platformEnv(db), path.join(logDir, `${target.name}-load.log`));
  try {
    const base = server.url;
    const cookie = await sessionCookie(base);
    const database = target.name;
    const cases: LoadCase[] = [
      { database, name: 'GET /api/health (platform)', method: 'GET', url: `${base}/api/health` },
      {
        database, name: `POST /api/auth/login (${LOGIN_USER})`, method: 'POST', url: `${base}/api/auth/login`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: LOGIN_USER, password: DEMO_PASSWORD }),
      },
      { database, name: 'GET /api/people?page=1&pageSize=20', method: 'GET', url: `${base}/api/people?page=1&pageSize=20`, headers: { cookie } },
      { database, name: 'GET /api/people?q=王&pageSize=20', method: 'GET', url: `${base}/api/people?q=${encodeURIComponent('王')}&pageSize=20`, headers: { cookie } },
    ];
    const out: LoadFigures[] = [];
    for (const c of cases) out.push(await load(c));
    return out;
  } finally {
    await stop(server);
  }
}

// ---------------------------------------------------------------- main

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error('dist/server/main.js is missing: run `npm run bench` (it builds first)');
  const started = performance.now();
  const targets: Target[] = [sqliteTarget];
  if (PG_URL) targets.push(postgresTarget(PG_URL));
  hookSigint();

  const logDir = tempDir();
  log(`bench: ${RUNS} starts per case; load ${CONNECTIONS} connections × ${SECONDS} s (+${WARMUP_SECONDS} s warm-up); ` +
    `databases: ${targets.map((t) => t.name).join(', ')}${PG_URL ? '' : ' (set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL)'}`);
  const loadAvgBefore = os.loadavg();

  try {
    log('1. cold start to first 200 on GET /api/health');
    const baselineStart = await coldStartBaseline(logDir);
    const starts: Record<string, { first: StartFigures; restart: StartFigures }> = {};
    const seeded: Record<string, Database> = {};
    for (const t of targets) {
      const r = await coldStartPlatform(t, logDir);
      starts[t.name] = { first: r.first, restart: r.restart };
      seeded[t.name] = r.seeded;
    }

    log('2. latency under load');
    const { server: base } = await launch(BASELINE, {}, path.join(logDir, 'baseline-load.log'));
    let baseline: LoadFigures;
    try {
      baseline = await load({ database: 'none', name: 'GET /api/health (bare Fastify)', method: 'GET', url: `${base.url}/api/health` });
    } finally {
      await stop(base);
    }
    const loads: LoadFigures[] = [baseline];
    for (const t of targets) loads.push(...(await loadPlatform(t, seeded[t.name]!, logDir)));
    for (const l of loads) {
      l.p50Ratio = ratio(l.p50Ms, baseline.p50Ms);
      l.reqPerSecRatio = ratio(l.reqPerSec, baseline.reqPerSec);
    }

    // ------------------------------------------------------------ print
    const startRows: (string | number | null | undefined)[][] = [
      ['bare Fastify (baseline)', baselineStart.medianMs, baselineStart.minMs, baselineStart.maxMs, null, '1×'],
    ];
    for (const t of targets) {
      const s = starts[t.name]!;
      startRows.push([`${t.name}: first start (migrate + demo seed)`, s.first.medianMs, s.first.minMs, s.first.maxMs, s.first.inMainMedianMs, times(ratio(s.first.medianMs, baselineStart.medianMs))]);
      startRows.push([`${t.name}: restart (seeded database)`, s.restart.medianMs, s.restart.minMs, s.restart.maxMs, s.restart.inMainMedianMs, times(ratio(s.restart.medianMs, baselineStart.medianMs))]);
    }
    const loadRows = loads.map((l) => [
      l.database, l.name, l.p50Ms, l.p99Ms, l.reqPerSec, times(l.p50Ratio), times(l.reqPerSecRatio), l.non2xx + l.errors + l.timeouts,
    ]);
    const elapsed = (performance.now() - started) / 1000;
    process.stdout.write(
      `\nCold start: spawn \`node …\` → first 200 on GET /api/health (polled every 10 ms), median of ${RUNS}\n` +
        table(['case', 'median ms', 'min ms', 'max ms', 'in main() ms', '× baseline'], startRows) +
        `\n\nLatency: ${CONNECTIONS} connections, ${SECONDS} s per row; ratios against the bare Fastify row\n` +
        table(['database', 'request', 'p50 ms', 'p99 ms', 'req/s', 'p50 ×', 'req/s ×', 'failed'], loadRows, 2) +
        `\n\nlogin is dominated by argon2id password hashing by design; ratios: p50 × above 1 is slower, req/s × below 1 is fewer.\n` +
        `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average before ${loadAvgBefore.map((x) => x.toFixed(2)).join(' ')}; ` +
        `total ${elapsed.toFixed(0)} s; written to ${path.relative(process.cwd(), RESULTS) || RESULTS}\n`,
    );

    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(
      RESULTS,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, loadAvgBefore },
          settings: { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, runs: RUNS, connections: CONNECTIONS, logLevel: LOG_LEVEL || 'platform default', databases: targets.map((t) => t.name), loginUser: LOGIN_USER },
          coldStart: { baseline: baselineStart, ...starts },
          latency: loads,
          totalSeconds: round(elapsed, 1),
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    await cleanupAll();
  }
}

// What `npm run bench` runs (BENCH_ONLY):
//   paths (default)  bench/paths.ts: lists, search and submission against raw anchors, at 1× and 100×
//                    the demo and search at 1,000,000 opinions (issue 7's table)
//   start            this file: cold start, and login / people latency beside a bare Fastify process
//                    ("platform", its former name, still works)
//   opinions         bench/opinions.ts: submission, search, classifier and page-weight details
//   exams            bench/exam-submit.ts: 200 officers hand in an online exam at once (answers lost, p99)
//   screening        bench/screening.ts: 智能化数据排查 at provincial scale (BENCH_SCREEN_SCALE) against DuckDB
//   all              all of them, in that order
const only = process.env.BENCH_ONLY || 'paths';
const parts: Record<string, string[]> = {
  paths: ['paths'], start: ['start'], platform: ['start'], opinions: ['opinions'], exams: ['exams'], screening: ['screening'],
  all: ['paths', 'start', 'opinions', 'exams', 'screening'],
};
if (!parts[only]) throw new Error(`BENCH_ONLY must be paths, start, opinions, exams, screening or all, got "${only}"`);
(async () => {
  for (const part of parts[only]!) {
    try {
      if (part === 'paths') await (await import('./paths.js')).runPaths();
      else if (part === 'screening') await (await import('./screening.js')).runScreening();
      else if (part === 'start') await main();
      else if (part === 'exams') {
        if (!(await (await import('./exam-submit.js')).runExamSubmit())) process.exitCode = 1;
      } else if (!(await (await import('./opinions.js')).runOpinions())) process.exitCode = 1;
    } catch (err) {
      log(`bench ${part} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    }
  }
})();
