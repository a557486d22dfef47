// Helpers every benchmark shares (bench/run.ts and bench/opinions-*.ts): statistics, tables,
// spawning the real server, fresh PostgreSQL databases, cleanup, and the opinions results file.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The server under test: what `npm start` runs, or BENCH_MAIN (e.g. a build in another folder). */
export const MAIN = process.env.BENCH_MAIN ? path.resolve(process.env.BENCH_MAIN) : path.join(root, 'dist/server/main.js');
export const BASELINE = path.join(root, 'bench/baseline-server.mjs');
export const OPINION_RESULTS = path.join(root, 'bench/results/opinions-latest.json');
export const ADMIN_PASSWORD = 'Admin#2026test';
export const DEMO_PASSWORD = 'Demo#2026test';

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

export const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || '';

// ---------------------------------------------------------------- statistics

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Nearest-rank percentile of an ascending array (with 10–20 samples p99 is the maximum). */
export const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
export const round = (x: number, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);
/** Three significant digits, so very small ratios do not print as 0. */
export const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Number((a / b).toPrecision(3)) : null);
export const times = (x: number | null | undefined) => (x === null || x === undefined ? null : `${x}×`);
export const log = (msg: string) => process.stderr.write(msg + '\n');

export function table(head: string[], rows: (string | number | null | undefined)[][], alignLeft = 1): string {
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

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAvg: os.loadavg().map((x) => round(x, 2)),
  };
}

export const loadAvgText = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

// ---------------------------------------------------------------- results file

/** Merges one section into bench/results/opinions-latest.json, so each script can run alone. */
export function writeSection(name: string, data: unknown) {
  fs.mkdirSync(path.dirname(OPINION_RESULTS), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(fs.readFileSync(OPINION_RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    // first run or unreadable: start over
  }
  all.updatedAt = new Date().toISOString();
  all.machine = machine();
  all[name] = { at: new Date().toISOString(), ...(data as object) };
  fs.writeFileSync(OPINION_RESULTS, JSON.stringify(all, null, 2) + '\n');
}

/** True when this module is the script node was started with (not imported by bench/opinions.ts). */
export function isMain(metaUrl: string): boolean {
  return Boolean(process.argv[1]) && pathToFileURL(path.resolve(process.argv[1]!)).href === metaUrl;
}

/** Runs a section's main() when the file is started directly. */
export function runDirect(metaUrl: string, fn: () => Promise<unknown>) {
  if (!isMain(metaUrl)) return;
  fn().then(
    () => cleanupAll(),
    async (err) => {
      log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      await cleanupAll();
      process.exitCode = 1;
    },
  );
}

// ---------------------------------------------------------------- HTTP and processes

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(method: string, url: string, opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}) {
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

export function freePort(): Promise<number> {
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

const live = new Set<ChildProcess>();
const tempDirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-bench-'));
  tempDirs.push(d);
  return d;
}

export interface Server {
  child: ChildProcess;
  url: string;
  logFile: string;
  exited: Promise<void>;
}

/** Spawns `node <script>` as an operator would and waits for the first 200 on GET /api/health. */
export async function launch(script: string, extraEnv: Record<string, string>, logFile: string): Promise<{ server: Server; ms: number }> {
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
    if (performance.now() - t0 > 180_000) {
      child.kill('SIGKILL');
      throw new Error(`${path.relative(root, script)} did not answer /api/health within 180 s; log:\n${tail(logFile)}`);
    }
    await sleep(10); // the cold-start figures are only as fine as this poll
  }
  return { server: { child, url, logFile, exited }, ms: performance.now() - t0 };
}

export async function stop(s: Server) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await s.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- databases

export async function pgAdmin(adminUrl: string, text: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A fresh database `rectify_bench_<random>` on the PostgreSQL server, dropped by cleanupAll(). */
export async function freshPostgres(adminUrl: string): Promise<string> {
  const name = `rectify_bench_${randomBytes(5).toString('hex')}`;
  await pgAdmin(adminUrl, `CREATE DATABASE "${name}"`);
  cleanups.push(async () => {
    // WITH (FORCE) (PostgreSQL 13+) in case a killed server left a connection behind.
    await pgAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      .catch(() => pgAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}"`))
      .catch((e) => log(`could not drop database ${name}: ${e instanceof Error ? e.message : e}`));
  });
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  return u.toString();
}

/** Kills what is still running, drops the databases and removes the temporary directories. */
export async function cleanupAll() {
  for (const c of [...live]) c.kill('SIGKILL');
  // BENCH_KEEP=1 leaves the databases and files for a look afterwards (profiling a query, say).
  if (process.env.BENCH_KEEP === '1') {
    log(`kept: ${tempDirs.join(', ')}${cleanups.length ? ` and ${cleanups.length} PostgreSQL database(s)` : ''}`);
    cleanups.length = 0;
    tempDirs.length = 0;
    return;
  }
  for (const fn of cleanups.splice(0).reverse()) await fn();
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

let sigintHooked = false;
export function hookSigint() {
  if (sigintHooked) return;
  sigintHooked = true;
  process.once('SIGINT', () => {
    void cleanupAll().finally(() => process.exit(130));
  });
}
