// `npm run bench`: cold start and request latency of the real `npm start` process, each figure
// next to a baseline measured in the same run (a bare Fastify process), so the ratios stay
// meaningful on whatever machine — and under whatever load — the run happens.
// Never part of `npm test`. See bench/README.md for what each figure means.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Options as CannonOptions } from 'autocannon';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(root, 'dist/server/main.js');
const BASELINE = path.join(root, 'bench/baseline-server.mjs');
const RESULTS = path.join(root, 'bench/results/latest.json');

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

const SECONDS = envNumber('BENCH_SECONDS', 10);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 1);
const RUNS = Math.max(1, Math.round(envNumber('BENCH_RUNS', 5)));
const CONNECTIONS = Math.max(1, Math.round(envNumber('BENCH_CONNECTIONS', 20)));
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || '';
// Unset: the platform's own default, i.e. what operators run (per-request pino lines included).
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || '';
const ADMIN_PASSWORD = 'Admin#2026test';
const DEMO_PASSWORD = 'Demo#2026test';
const LOGIN_USER = 'office'; // 整顿办: data scope "all", so the people list is the whole bureau

// ---------------------------------------------------------------- small helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
const round = (x: number, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);
const log = (msg: string) => process.stderr.write(msg + '\n');

interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection; rejects on connection errors (e.g. not listening yet). */
function request(method: string, url: string, opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}) {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = http.request(url, { method, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('FSTWRN')).slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------- processes

const live = new Set<ChildProcess>();
const tempDirs: string[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-bench-'));
  tempDirs.push(d);
  return d;
}

interface Server {
  child: ChildProcess;
  url: string;
  logFile: string;
  exited: Promise<void>;
}

/**
 * Spawns `node <script>` the way an operator would and times it from spawn to the first 200
 * on GET /api/health, polled every 10 ms.
 */
async function launch(script: string, extraEnv: Record<string, string>, logFile: string): Promise<{ server: Server; ms: number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...extraEnv };
  if (!('DATABASE_URL' in extraEnv)) delete env.DATABASE_URL;
  const fd = fs.openSync(logFile, 'a');
  const t0 = performance.now();
  // Output to a file, not a pipe: the parent does not spend CPU draining it during load runs.
  const child = spawn(process.execPath, [script], { cwd: root, env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  live.add(child);
  let dead = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      dead = true;
      live.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (dead) throw new Error(`${path.relative(root, script)} exited before answering /api/health; log:\n${tail(logFile)}`);
    const status = await request('GET', url + '/api/health', { timeoutMs: 2000 }).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (performance.now() - t0 > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`${path.relative(root, script)} did not answer /api/health within 120 s; log:\n${tail(logFile)}`);
    }
    await sleep(10);
  }
  return { server: { child, url, logFile, exited }, ms: performance.now() - t0 };
}

async function stop(s: Server) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await s.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- databases

interface Database {
  url: string;
  dataDir: string;
}

interface Target {
  name: 'sqlite' | 'postgres';
  /** An empty database (and data directory for the field key and files). */
  fresh(): Promise<Database>;
  cleanup(): Promise<void>;
}

const sqliteTarget: Target = {
  name: 'sqlite',
  async fresh() {
    const dir = tempDir();
    return { url: path.join(dir, 'rectify.db'), dataDir: dir };
  },
  async cleanup() {},
};

function postgresTarget(adminUrl: string): Target {
  const created: string[] = [];
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  return {
    name: 'postgres',
    async fresh() {
      const name = `rectify_bench_${randomBytes(5).toString('hex')}`;
      await admin(`CREATE DATABASE "${name}"`);
      created.push(name);
      const u = new URL(adminUrl);
      u.pathname = '/' + name;
      return { url: u.toString(), dataDir: tempDir() };
    },
    async cleanup() {
      for (const name of created.splice(0)) {
        // WITH (FORCE) (PostgreSQL 13+) in case a killed server left a connection behind.
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => admin(`DROP DATABASE IF EXISTS "${name}"`)).catch((e) =>
          log(`could not drop database ${name}: ${e instanceof Error ? e.message : e}`),
        );
      }
    },
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

// ---------------------------------------------------------------- report

function table(head: string[], rows: (string | number | null | undefined)[][], alignLeft = 1): string {
  const cells = [head, ...rows.map((r) => r.map((v) => (v === null || v === undefined ? '—' : String(v))))];
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u2E80-\uFFEF]/.test(ch) ? 2 : 1), 0);
  const widths = head.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i]! - width(s));
    return i < alignLeft ? s + fill : fill + s;
  };
  const line = (r: string[]) => '| ' + r.map(pad).join(' | ') + ' |';
  const rule = '|' + widths.map((w, i) => (i < alignLeft ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

// Three significant digits: login's req/s ratio is far below 0.01 and must not print as 0.
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Number((a / b).toPrecision(3)) : null);
const times = (x: number | null | undefined) => (x === null || x === undefined ? null : `${x}×`);

// ---------------------------------------------------------------- main

async function cleanupAll(targets: Target[]) {
  for (const c of [...live]) c.kill('SIGKILL');
  for (const t of targets) await t.cleanup();
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error('dist/server/main.js is missing: run `npm run bench` (it builds first)');
  const started = performance.now();
  const targets: Target[] = [sqliteTarget];
  if (PG_URL) targets.push(postgresTarget(PG_URL));
  process.once('SIGINT', () => {
    void cleanupAll(targets).finally(() => process.exit(130));
  });

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
    await cleanupAll(targets);
  }
}

// BENCH_ONLY=opinions: only the 开门纳谏 benchmarks (bench/opinions.ts); BENCH_ONLY=all: this file's, then
// those; unset (or "platform"): this file's alone, as before.
const only = process.env.BENCH_ONLY || 'platform';
if (!['platform', 'opinions', 'all'].includes(only)) throw new Error(`BENCH_ONLY must be platform, opinions or all, got "${only}"`);
(only === 'opinions' ? Promise.resolve() : main())
  .catch((err) => {
    log(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .then(async () => {
    if (only === 'platform') return;
    const { runOpinions } = await import('./opinions.js');
    if (!(await runOpinions())) process.exitCode = 1;
  })
  .catch((err) => {
    log(`opinions bench failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
