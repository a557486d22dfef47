// `npm run bench`: the shared paths every later module copies — lists, search, public submission —
// measured against raw anchors IN THE SAME RUN, at demo scale, at BENCH_SCALE× (100×) the demo, and
// full-text search at BENCH_OPINIONS (1,000,000) opinions; on SQLite, and on PostgreSQL when
// BENCH_DATABASE_URL or TEST_DATABASE_URL is set. Prints one table and writes every figure, the
// settings and the machine to bench/results/paths-latest.json. See bench/README.md.
//
// Anchors (the best this machine does with the same data, no platform code in the way):
//  - bare Fastify GET (bench/baseline-server.mjs): the framework's floor;
//  - raw people page (bench/anchor-server.mjs): Fastify + better-sqlite3 / pg reading the people
//    page's columns in index order with the table's count — what every list and search is held to;
//  - raw durable commits: one-row transactions on SQLite with WAL + synchronous=FULL (one writer), and
//    single-row INSERT commits on PostgreSQL (1 and BENCH_CONNECTIONS connections) — submission's limit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import autocannon, { type Options as CannonOptions } from 'autocannon';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.js';
import { createDeps } from '../src/server/deps.js';
import { openDatabase } from '../src/server/db/index.js';
import { shanghaiDate } from '../src/server/platform/time.js';
import { scaleLedger, scalePeople } from './scale.js';
import { scaleOpinions } from './scale-opinions.js';
import { bodies } from './opinions-submit.js';
import { loadPostgres, loadSqlite, openTarget, searchAll, type Target as SearchTarget } from './opinions-search.js';
import {
  ADMIN_PASSWORD, BASELINE, DEMO_PASSWORD, MAIN, PG_URL, cleanupAll, envNumber, freshPostgres, hookSigint, launch, loadAvgText, log,
  machine, percentile, pgAdmin, request, root, round, stop, table, tempDir, type Server,
} from './lib.js';

const ANCHOR = path.join(root, 'bench/anchor-server.mjs');
const SECONDS = envNumber('BENCH_SECONDS', 5);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 1);
const CONNECTIONS = Math.max(1, Math.round(envNumber('BENCH_CONNECTIONS', 50)));
const SCALE = Math.max(1, Math.round(envNumber('BENCH_SCALE', 100)));
/** Opinions for the search phase; 0 leaves the phase out. Read by bench/opinions-search.ts too. */
const OPINIONS = Math.round(envNumber('BENCH_OPINIONS', 1_000_000));
/** Keep the loaded search databases here and reuse them next time (loading is most of the run). */
const CACHE = process.env.BENCH_CACHE_DIR ? path.resolve(process.env.BENCH_CACHE_DIR) : '';
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || '';
/** Which phases: `lists` (anchors, lists at 1× and SCALE×, submission) and/or `search`. */
const PHASES = new Set((process.env.BENCH_PATHS || 'lists,search').split(',').map((x) => x.trim()).filter(Boolean));
for (const x of PHASES) if (x !== 'lists' && x !== 'search') throw new Error(`BENCH_PATHS: unknown phase "${x}" (lists, search)`);
/** bench/results/paths-latest.json for a whole run; a run of one phase writes its own file. */
const RESULTS = path.join(root, `bench/results/paths${PHASES.size === 1 ? `-${[...PHASES][0]}` : ''}-latest.json`);
const LOGIN_USER = 'office'; // 整顿办: data scope "all"

// Goals (issue 7), checked per row.
const GOAL_LIST_RATIO = 0.5; // of the raw people page anchor's req/s
const GOAL_LIST_P99_MS = 50;
const GOAL_SCALE_P50 = 1.5; // p50 at SCALE× ≤ 1.5 × p50 at 1×
const GOAL_SUBMIT_RATIO = 0.5; // of the raw durable commit rate (SQLite)
const GOAL_SUBMIT_P99_MS = 100;

type Db = 'sqlite' | 'postgres';
type Kind = 'bare' | 'anchor' | 'commit' | 'list' | 'search' | 'submit';

interface Row {
  database: Db | 'none';
  data: string;
  kind: Kind;
  name: string;
  reqPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  requests: number;
  failed: number;
  statuses?: Record<string, number>;
  /** The anchor this row is held to, its req/s ratio, p50 against the same request at 1×, unmet goals. */
  anchor?: string;
  ratio?: number | null;
  p50VsDemo?: number | null;
  misses?: string[];
  note?: string;
}

const rows: Row[] = [];
const push = (r: Row) => {
  rows.push(r);
  log(`  ${r.database.padEnd(8)} ${r.data.padEnd(5)} ${r.name}: ${r.reqPerSec} req/s, p50 ${r.p50Ms ?? '—'} ms, p99 ${r.p99Ms ?? '—'} ms` +
    (r.failed ? ` (failed ${r.failed}: ${JSON.stringify(r.statuses ?? {})})` : ''));
  return r;
};

// ---------------------------------------------------------------- load generator

interface Spec {
  database: Row['database'];
  data: string;
  kind: Kind;
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh body per request (POST). */
  body?: () => string;
  status?: number;
}

/** A row that could not be measured is reported as such and the run goes on. */
async function cannon(spec: Spec): Promise<Row> {
  try {
    return await measure(spec);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return push({
      database: spec.database, data: spec.data, kind: spec.kind, name: spec.name, reqPerSec: null, p50Ms: null, p99Ms: null,
      requests: 0, failed: 1, note: `not measured: ${message.slice(0, 200)}`,
    });
  }
}

/** autocannon at CONNECTIONS connections for SECONDS after a warm-up; p50/p99 of the expected answers' own times. */
async function measure(spec: Spec): Promise<Row> {
  const status = spec.status ?? 200;
  const method = spec.method ?? 'GET';
  // A wrong cookie or path would otherwise be measured as a fast error.
  const probe = await request(method, spec.url, { headers: spec.headers, body: spec.body?.(), timeoutMs: 60_000 });
  if (probe.status !== status) throw new Error(`${spec.name}: expected ${status}, got ${probe.status} ${probe.body.slice(0, 300)}`);
  const u = new URL(spec.url);
  const opts: CannonOptions = {
    url: u.origin, connections: CONNECTIONS, timeout: 30,
    requests: [{
      method, path: u.pathname + u.search, headers: spec.headers,
      ...(spec.body ? { setupRequest: (req: any) => ({ ...req, body: spec.body!() }) } : {}),
    }],
  };
  if (WARMUP_SECONDS > 0) await autocannon({ ...opts, duration: WARMUP_SECONDS });
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const inst = autocannon({ ...opts, duration: SECONDS });
  inst.on('response', (_c: unknown, s: number, _b: number, ms: number) => {
    statuses[String(s)] = (statuses[String(s)] ?? 0) + 1;
    if (Number(s) === status) times.push(ms);
  });
  const r = await inst;
  times.sort((a, b) => a - b);
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  return push({
    database: spec.database, data: spec.data, kind: spec.kind, name: spec.name,
    reqPerSec: round(r.requests.average, 1), p50Ms: round(percentile(times, 0.5), 2), p99Ms: round(percentile(times, 0.99), 2),
    requests: r.requests.total, failed: answered - times.length + r.errors + r.timeouts, statuses,
  });
}

// ---------------------------------------------------------------- durable commit anchors

/** One-row transactions, one after another, on a fresh SQLite file with WAL + synchronous=FULL. */
function sqliteCommits(dir: string): Row {
  const h = new Database(path.join(dir, 'commits.db'));
  h.pragma('journal_mode = WAL');
  h.pragma('synchronous = FULL');
  h.exec('create table t (id integer primary key, v text not null)');
  const ins = h.prepare('insert into t (v) values (?)');
  const one = h.transaction((v: string) => ins.run(v));
  const value = '公证处窗口排队太久，建议增加周末服务。'.repeat(3);
  const times: number[] = [];
  for (let t0 = performance.now(); performance.now() - t0 < 300; ) one(value); // warm-up
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    const s = performance.now();
    one(value);
    times.push(performance.now() - s);
  }
  const elapsed = (performance.now() - start) / 1000;
  h.close();
  times.sort((a, b) => a - b);
  return push({
    database: 'sqlite', data: '—', kind: 'commit', name: 'raw durable commits: one-row transactions, WAL + synchronous=FULL',
    reqPerSec: round(times.length / elapsed, 1), p50Ms: round(percentile(times, 0.5), 3), p99Ms: round(percentile(times, 0.99), 3),
    requests: times.length, failed: 0,
  });
}

/** Single-row INSERT commits (autocommit) from `connections` clients at once. */
async function pgCommits(url: string, connections: number): Promise<Row> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }));
  try {
    await clients[0]!.query('create table if not exists bench_commit (id bigserial primary key, v text not null)');
    const value = '公证处窗口排队太久，建议增加周末服务。'.repeat(3);
    const times: number[] = [];
    const run = async (ms: number, keep: boolean) => {
      const end = performance.now() + ms;
      await Promise.all(clients.map(async (c) => {
        while (performance.now() < end) {
          const s = performance.now();
          await c.query('insert into bench_commit (v) values ($1)', [value]);
          if (keep) times.push(performance.now() - s);
        }
      }));
    };
    await run(300, false);
    const start = performance.now();
    await run(SECONDS * 1000, true);
    const elapsed = (performance.now() - start) / 1000;
    times.sort((a, b) => a - b);
    return push({
      database: 'postgres', data: '—', kind: 'commit',
      name: `raw durable commits: single-row INSERT, ${connections} connection${connections > 1 ? 's' : ''}`,
      reqPerSec: round(times.length / elapsed, 1), p50Ms: round(percentile(times, 0.5), 3), p99Ms: round(percentile(times, 0.99), 3),
      requests: times.length, failed: 0,
    });
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

// ---------------------------------------------------------------- the platform

interface Place {
  database: Db;
  url: string;
  dataDir: string;
}

const platformEnv = (p: Place): Record<string, string> => ({
  DATABASE_URL: p.url,
  RECTIFY_DATA_DIR: p.dataDir,
  RECTIFY_DEMO: '1',
  RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD,
  RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD,
  RECTIFY_PUBLIC_CHALLENGE: '0',
  RECTIFY_PUBLIC_RATE_LIMIT: '0',
  ...(LOG_LEVEL ? { RECTIFY_LOG_LEVEL: LOG_LEVEL } : {}),
});

async function sessionCookie(base: string, user: string = LOGIN_USER): Promise<string> {
  const r = await request('POST', base + '/api/auth/login', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password: DEMO_PASSWORD }),
    timeoutMs: 30_000,
  });
  if (r.status !== 200) throw new Error(`login as ${user} failed: ${r.status} ${r.body.slice(0, 300)}`);
  return (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ');
}

async function withServer<T>(script: string, env: Record<string, string>, logFile: string, fn: (s: Server) => Promise<T>): Promise<T> {
  const { server } = await launch(script, env, logFile);
  try {
    return await fn(server);
  } finally {
    await stop(server);
  }
}

const enc = encodeURIComponent;
const LIST_REQUESTS = [
  ['GET /api/people page 1', '/api/people?page=1&pageSize=20'],
  ['GET /api/people page 40', '/api/people?page=40&pageSize=20'],
  ['GET /api/people?q=王 (name search)', `/api/people?q=${enc('王')}&pageSize=20`],
  ['GET /api/opinions (default)', '/api/opinions?page=1&pageSize=20'],
  ['GET /api/opinions?q=公证', `/api/opinions?q=${enc('公证')}&pageSize=20`],
  ['GET /api/rectification/items (ledger)', '/api/rectification/items?campaignId=campaign-1&page=1&pageSize=20'],
  ['GET /api/talks (a round)', '/api/talks?page=1&pageSize=20'],
  ['GET /api/service/records (企业法律服务)', '/api/service/records?page=1&pageSize=20'],
  ['GET /api/village/records (“1155”服务与走访)', '/api/village/records?page=1&pageSize=20'],
  ['GET /api/interference/records (“三个规定”, restricted)', '/api/interference/records?page=1&pageSize=20'],
  ['GET /api/commitments (告知承诺记录)', '/api/commitments?page=1&pageSize=20'],
  ['GET /api/cases/mediations (企业矛盾纠纷调解)', '/api/cases/mediations?page=1&pageSize=20'],
  ['GET /api/self-checks (signed reports)', '/api/self-checks?campaignId=campaign-1&page=1&pageSize=20'],
  ['GET /api/self-checks/missing (not yet signed)', '/api/self-checks/missing?campaignId=campaign-1&page=1&pageSize=20'],
  ['GET /api/study/activities (九学)', '/api/study/activities?campaignId=campaign-1&page=1&pageSize=20'],
  ['GET /api/study/shares (feed)', '/api/study/shares?campaignId=campaign-1&page=1&pageSize=20'],
  ['GET /api/study/exams', '/api/study/exams?page=1&pageSize=20'],
  ['GET /api/study/assessment (2021, per person)', '/api/study/assessment?year=2021&page=1&pageSize=20'],
  // Restricted to clue handlers (scope "all"), each list audited like the clue list.
  ['GET /api/screening/hits (数据排查 queue, restricted)', '/api/screening/hits?status=open&page=1&pageSize=20', 'cluehandler'],
] as const;
const SEARCH_REQUESTS = [
  ['GET /api/opinions?q=公证 (common word)', '公证'],
  ['GET /api/opinions?q=红山区 (place)', '红山区'],
  ['GET /api/opinions?q=那达慕 (rare word)', '那达慕'],
  ['GET /api/opinions?q=公证 排队 (two words)', '公证 排队'],
  ['GET /api/opinions?q=区块链 (no match)', '区块链'],
] as const;

/** The raw people page anchor on this database (pages 1 and 40, or page 1 only). */
async function anchors(p: Place, data: string, logDir: string, pages: number[]) {
  await withServer(ANCHOR, { DATABASE_URL: p.url }, path.join(logDir, `${p.database}-${data}-anchor.log`), async (a) => {
    for (const page of pages) {
      await cannon({ database: p.database, data, kind: 'anchor', name: `raw people page ${page} (index order + count)`, url: `${a.url}/raw/people?page=${page}&pageSize=20` });
    }
  });
}

/** Lists (and submission at 1×) on a platform server over this database. */
async function listPhase(p: Place, data: string, logDir: string, submit: boolean) {
  await withServer(MAIN, platformEnv(p), path.join(logDir, `${p.database}-${data}.log`), async (s) => {
    // The platform's first start seeds the demo; the anchor reads the same data while the platform idles.
    await anchors(p, data, logDir, [1, 40]);
    const cookies = new Map<string, string>([[LOGIN_USER, await sessionCookie(s.url)]]);
    for (const [name, url, user = LOGIN_USER] of LIST_REQUESTS as readonly (readonly [string, string, string?])[]) {
      if (!cookies.has(user)) cookies.set(user, await sessionCookie(s.url, user));
      await cannon({ database: p.database, data, kind: 'list', name, url: s.url + url, headers: { cookie: cookies.get(user)! } });
    }
    if (submit) {
      // What the scaling copies: the demo's opinions, not this row's submissions.
      demoOpinionsUpTo.set(p.url, await latestOpinion(p));
      const gen = bodies(20210401);
      await cannon({
        database: p.database, data, kind: 'submit', name: 'POST /api/public/opinions (challenge off)', url: `${s.url}/api/public/opinions`,
        method: 'POST', headers: { 'content-type': 'application/json' }, body: () => gen.next(), status: 201,
      });
    }
  });
}

const demoOpinionsUpTo = new Map<string, string | undefined>();

async function latestOpinion(p: Place): Promise<string | undefined> {
  const database = await openDatabase(p.url);
  try {
    const r = await database.db.selectFrom('opinion').select(sql<string>`max(created_at)`.as('m')).executeTakeFirst();
    return r?.m ?? undefined;
  } finally {
    await database.close();
  }
}

/** Multiplies the demo's people and opinions in place (bench/scale.ts, bench/scale-opinions.ts). */
async function scaleUp(p: Place) {
  const database = await openDatabase(p.url);
  try {
    const t0 = performance.now();
    const people = await scalePeople(database.db, SCALE);
    const opinions = await scaleOpinions(database.db, p.database, SCALE, demoOpinionsUpTo.get(p.url));
    const ledger = await scaleLedger(database.db, SCALE);
    // As autovacuum would soon after a bulk insert (the planner's statistics).
    if (p.database === 'postgres') await sql`analyze`.execute(database.db);
    log(`  ${p.database}: scaled ×${SCALE}: ${people.toLocaleString('en')} people, ${opinions.toLocaleString('en')} opinions, ${ledger.toLocaleString('en')} ledger items in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await database.close();
  }
}

async function freshPlace(database: Db): Promise<Place> {
  if (database === 'sqlite') {
    const dir = tempDir();
    return { database, url: path.join(dir, 'rectify.db'), dataDir: dir };
  }
  return { database, url: await freshPostgres(PG_URL), dataDir: tempDir() };
}

// ---------------------------------------------------------------- search at OPINIONS

async function opinionCount(p: Place): Promise<number> {
  if (p.database === 'sqlite') {
    if (!fs.existsSync(p.url)) return 0;
    const h = new Database(p.url, { readonly: true });
    try {
      return (h.prepare("select count(*) as n from sqlite_master where name = 'opinion'").get() as { n: number }).n
        ? (h.prepare('select count(*) as n from opinion').get() as { n: number }).n
        : 0;
    } finally {
      h.close();
    }
  }
  const c = new pg.Client({ connectionString: p.url });
  try {
    await c.connect();
    const r = await c.query<{ n: string }>("select case when to_regclass('opinion') is null then 0 else (select count(*) from opinion) end as n");
    return Number(r.rows[0]!.n);
  } catch {
    return 0;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function reopen(p: Place): Promise<SearchTarget> {
  const deps = await createDeps(loadConfig({ DATABASE_URL: p.url, RECTIFY_DATA_DIR: p.dataDir, RECTIFY_DEMO: '0' }));
  const rootUnit = await deps.db.selectFrom('org_unit').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
  return { name: p.database, deps, rootId: rootUnit.id };
}

/** Where the search databases live: the cache (kept, reused) or temporary places (removed at the end). */
async function searchPlaces(): Promise<{ sqlite: Place; postgres?: Place }> {
  if (!CACHE) {
    const dir = tempDir();
    return { sqlite: { database: 'sqlite', url: path.join(dir, 'search.db'), dataDir: dir }, ...(PG_URL ? { postgres: await freshPlace('postgres') } : {}) };
  }
  const dir = path.join(CACHE, `search-${OPINIONS}`);
  fs.mkdirSync(path.join(dir, 'pg'), { recursive: true });
  let postgres: Place | undefined;
  if (PG_URL) {
    const name = `rectify_bench_cache_${OPINIONS}`;
    const u = new URL(PG_URL);
    u.pathname = '/' + name;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    const exists = (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount;
    await c.end();
    if (!exists) await pgAdmin(PG_URL, `CREATE DATABASE "${name}"`);
    postgres = { database: 'postgres', url: u.toString(), dataDir: path.join(dir, 'pg') };
  }
  return { sqlite: { database: 'sqlite', url: path.join(dir, 'search.db'), dataDir: dir }, postgres };
}

const searchFigures: Record<string, unknown> = {};
const searchData = () => (OPINIONS >= 1_000_000 && OPINIONS % 1_000_000 === 0 ? `${OPINIONS / 1_000_000}M` : OPINIONS.toLocaleString('en'));

/**
 * The search database, loaded (or found in the cache), then listOpinions() timed per query in this
 * process with nothing else running: the per-query p95 the goal names. Left open (PostgreSQL's load
 * reads the rows back from SQLite's).
 */
async function prepareSearch(p: Place, source?: SearchTarget): Promise<SearchTarget> {
  let target: SearchTarget;
  const have = await opinionCount(p);
  let load: unknown = { reused: true, opinions: have };
  if (have >= OPINIONS) {
    log(`  ${p.database}: reusing ${have.toLocaleString('en')} opinions from BENCH_CACHE_DIR`);
    target = await reopen(p);
  } else {
    if (have > 0) throw new Error(`${p.url} holds ${have} opinions, not ${OPINIONS}: remove it from BENCH_CACHE_DIR and run again`);
    log(`  ${p.database}: loading ${OPINIONS.toLocaleString('en')} opinions (the demo first, for its accounts)`);
    target = await openTarget(p.database, p.url, p.dataDir, { demo: true });
    load = p.database === 'sqlite' ? await loadSqlite(target, p.url) : await loadPostgres(target, source!, p.url);
  }
  log(`  ${p.database}: listOpinions() per query, in process`);
  searchFigures[p.database] = { load, ...(await searchAll(target)) };
  return target;
}

/**
 * The generated data holds a quarter of a million opinions past their 2021 deadlines; the daily
 * reminder would notify about all of them on the server's first start (and the benchmark would time
 * that). Mark today's run done, as a real bureau's database would have it.
 */
async function skipOverdueReminder(p: Place) {
  const database = await openDatabase(p.url);
  try {
    const now = new Date().toISOString();
    await database.db
      .insertInto('job_run')
      .values({ name: 'opinions-overdue-reminder', period: shanghaiDate(new Date()), started_at: now, finished_at: now, status: 'done', detail: 'bench: generated data' })
      .onConflict((oc) => oc.columns(['name', 'period']).doNothing())
      .execute();
  } finally {
    await database.close();
  }
}

/** The search requests over HTTP on a platform server over the loaded database, beside its anchor. */
async function searchHttp(p: Place, logDir: string) {
  const data = searchData();
  await skipOverdueReminder(p);
  await withServer(MAIN, { ...platformEnv(p), RECTIFY_DEMO: '0' }, path.join(logDir, `${p.database}-search.log`), async (s) => {
    await anchors(p, data, logDir, [1]);
    const cookie = await sessionCookie(s.url);
    for (const [name, q] of SEARCH_REQUESTS) {
      await cannon({ database: p.database, data, kind: 'search', name, url: `${s.url}/api/opinions?q=${enc(q)}&pageSize=20`, headers: { cookie } });
    }
  });
}

// ---------------------------------------------------------------- goals

function judge() {
  const find = (db: Row['database'], data: string, kind: Kind, name?: string) =>
    rows.find((r) => r.database === db && r.data === data && r.kind === kind && (name === undefined || r.name === name));
  for (const r of rows) {
    if (r.reqPerSec === null && r.note) {
      r.misses = [r.note];
      continue;
    }
    const misses: string[] = [];
    if (r.kind === 'list' || r.kind === 'search') {
      const a = find(r.database, r.data, 'anchor', 'raw people page 1 (index order + count)');
      if (a?.reqPerSec && r.reqPerSec !== null) {
        r.anchor = `${a.name}, ${r.database} ${r.data}`;
        r.ratio = round(r.reqPerSec / a.reqPerSec, 3);
        if (r.ratio! < GOAL_LIST_RATIO) misses.push(`req/s < ${GOAL_LIST_RATIO * 100}% of anchor`);
      }
      if (r.p99Ms === null || r.p99Ms >= GOAL_LIST_P99_MS) misses.push(`p99 ≥ ${GOAL_LIST_P99_MS} ms`);
      if (r.kind === 'list' && r.data !== '1×') {
        const demo = find(r.database, '1×', 'list', r.name);
        if (demo?.p50Ms && r.p50Ms !== null) {
          r.p50VsDemo = round(r.p50Ms / demo.p50Ms, 2);
          if (r.p50VsDemo! > GOAL_SCALE_P50) misses.push(`p50 > ${GOAL_SCALE_P50}× p50 at 1×`);
        }
      }
    }
    if (r.kind === 'submit') {
      const a = r.database === 'sqlite'
        ? find('sqlite', '—', 'commit')
        : rows.find((x) => x.database === 'postgres' && x.kind === 'commit' && x.name.endsWith(`${CONNECTIONS} connections`));
      if (a?.reqPerSec && r.reqPerSec !== null) {
        r.anchor = a.name;
        r.ratio = round(r.reqPerSec / a.reqPerSec, 3);
        if (r.database === 'sqlite' && r.ratio! < GOAL_SUBMIT_RATIO) misses.push(`req/s < ${GOAL_SUBMIT_RATIO * 100}% of durable commits`);
      }
      if (r.database === 'sqlite' && (r.p99Ms === null || r.p99Ms >= GOAL_SUBMIT_P99_MS)) misses.push(`p99 ≥ ${GOAL_SUBMIT_P99_MS} ms`);
    }
    if (r.failed) misses.push(`${r.failed} failed`);
    if (r.kind === 'list' || r.kind === 'search' || (r.kind === 'submit' && r.database === 'sqlite')) r.misses = misses;
    if (r.kind === 'submit' && r.database === 'postgres') r.note = 'no goal: reported beside SQLite\'s';
  }
}

// ---------------------------------------------------------------- main

export async function runPaths() {
  if (!fs.existsSync(MAIN)) throw new Error(`${path.relative(root, MAIN)} is missing: run \`npm run bench\` (it builds first) or set BENCH_MAIN`);
  hookSigint();
  const started = performance.now();
  const loadBefore = loadAvgText();
  const dbs: Db[] = ['sqlite', ...(PG_URL ? (['postgres'] as const) : [])];
  log(`bench paths: ${CONNECTIONS} connections × ${SECONDS} s (+${WARMUP_SECONDS} s warm-up) per row; data 1× and ${SCALE}× the demo` +
    `${OPINIONS ? `, search at ${OPINIONS.toLocaleString('en')} opinions` : ''}; databases: ${dbs.join(', ')}` +
    `${PG_URL ? '' : ' (set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL)'}; load average ${loadBefore}`);
  const logDir = tempDir();
  try {
    log('bare Fastify');
    await withServer(BASELINE, {}, path.join(logDir, 'baseline.log'), (b) =>
      cannon({ database: 'none', data: '—', kind: 'bare', name: 'bare Fastify GET /api/health', url: `${b.url}/api/health` }));

    for (const database of PHASES.has('lists') ? dbs : []) {
      log(`${database}: durable commits, lists at 1× and ${SCALE}×, submission`);
      const place = await freshPlace(database);
      if (database === 'sqlite') sqliteCommits(tempDir());
      else {
        await pgCommits(place.url, 1);
        await pgCommits(place.url, CONNECTIONS);
      }
      await listPhase(place, '1×', logDir, true);
      await scaleUp(place);
      await listPhase(place, `${SCALE}×`, logDir, false);
    }

    if (OPINIONS > 0 && PHASES.has('search')) {
      log(`search at ${OPINIONS.toLocaleString('en')} opinions`);
      const places = await searchPlaces();
      const lite = await prepareSearch(places.sqlite);
      try {
        if (places.postgres) await (await prepareSearch(places.postgres, lite)).deps.database.close();
      } finally {
        await lite.deps.database.close();
      }
      await searchHttp(places.sqlite, logDir);
      if (places.postgres) await searchHttp(places.postgres, logDir);
    }

    judge();
    print(started, loadBefore);
  } finally {
    await cleanupAll();
  }
}

function print(started: number, loadBefore: string) {
  const elapsed = (performance.now() - started) / 1000;
  const x = (v: number | null | undefined) => (v === null || v === undefined ? null : `${v}×`);
  const body = rows.map((r) => [
    r.database, r.data, r.name, r.reqPerSec, r.p50Ms, r.p99Ms, x(r.ratio), x(r.p50VsDemo),
    r.misses === undefined ? (r.note ?? '') : r.misses.length ? r.misses.join('; ') : 'met',
  ]);
  const search = Object.entries(searchFigures).flatMap(([db, f]) =>
    ((f as { cases: { cls: string; label: string; total: number; capped?: boolean; p50Ms: number; p95Ms: number; p99Ms: number }[] }).cases)
      .map((c) => [db, c.cls, c.label, c.total.toLocaleString('en') + (c.capped ? '+' : ''), c.p50Ms, c.p95Ms, c.p99Ms, c.p95Ms < 50 ? 'met' : 'p95 ≥ 50 ms']));
  process.stdout.write(
    `\nShared paths: ${CONNECTIONS} connections, ${SECONDS} s per row after ${WARMUP_SECONDS} s warm-up; data 1× and ${SCALE}× the demo` +
      `${OPINIONS ? `, search at ${OPINIONS.toLocaleString('en')} opinions` : ''}\n` +
      `× anchor: req/s ÷ the raw people page's (same database, same data) for lists and search, ÷ raw durable commits for submission;\n` +
      `p50 ÷ 1×: p50 ÷ the same request's at 1×. Goals: lists and search ≥ ${GOAL_LIST_RATIO}× anchor with p99 < ${GOAL_LIST_P99_MS} ms; ` +
      `p50 at ${SCALE}× ≤ ${GOAL_SCALE_P50}× p50 at 1×; submission (SQLite) ≥ ${GOAL_SUBMIT_RATIO}× durable commits with p99 < ${GOAL_SUBMIT_P99_MS} ms\n\n` +
      table(['database', 'data', 'request', 'req/s', 'p50 ms', 'p99 ms', '× anchor', 'p50 ÷ 1×', 'goals'], body, 3) +
      (search.length
        ? `\n\nSearch, listOpinions() in-process (page 1 of 20 with its total; + = capped), ${OPINIONS.toLocaleString('en')} opinions, goal p95 < 50 ms\n` +
          table(['database', 'class', 'query', 'total', 'p50 ms', 'p95 ms', 'p99 ms', 'goal'], search, 3)
        : '') +
      `\n\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average before ${loadBefore}, after ${loadAvgText()}; ` +
      `total ${elapsed.toFixed(0)} s; written to ${path.relative(process.cwd(), RESULTS) || RESULTS}\n`,
  );
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { ...machine(), loadAvgBefore: loadBefore, loadAvgAfter: loadAvgText() },
        settings: {
          seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, scale: SCALE, opinions: OPINIONS, phases: [...PHASES],
          logLevel: LOG_LEVEL || 'platform default', loginUser: LOGIN_USER, server: path.relative(root, MAIN),
        },
        goals: { listRatio: GOAL_LIST_RATIO, listP99Ms: GOAL_LIST_P99_MS, scaleP50: GOAL_SCALE_P50, submitRatio: GOAL_SUBMIT_RATIO, submitP99Ms: GOAL_SUBMIT_P99_MS, searchP95Ms: 50 },
        rows,
        search: searchFigures,
        totalSeconds: round(elapsed, 1),
      },
      null,
      2,
    ) + '\n',
  );
}
