// 开门纳谏 full-text search latency on BENCH_OPINIONS (default 1,000,000) generated opinions, on
// SQLite and (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set) PostgreSQL. The databases are
// migrated by the platform's own migrate() (so the FTS5 table + triggers and the tsvector column +
// GIN index are the real ones); the rows are bulk-loaded; the timed call is the platform's own
// listOpinions() — the code behind GET /api/opinions — with a system-scope actor.
// Run alone: node --import tsx bench/opinions-search.ts. See bench/README.md.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.js';
import { createDeps } from '../src/server/deps.js';
import { bootstrap } from '../src/server/seed/bootstrap.js';
import { COUNTIES } from '../src/server/seed/reference.js';
import type { Actor, Ctx, Deps } from '../src/server/platform/context.js';
import { listOpinions } from '../src/server/modules/opinions/queries.js';
import { OpinionQuery } from '../src/shared/schemas/opinions.js';
import { BATCH, COLUMNS, PG_TYPES, SEED, rowBatches, type Row } from './opinions-rows.js';
import {
  ADMIN_PASSWORD, DEMO_PASSWORD, PG_URL, envNumber, freshPostgres, hookSigint, loadAvgText, log, median, percentile, round, runDirect,
  table, tempDir, writeSection,
} from './lib.js';

const N = Math.max(1000, Math.round(envNumber('BENCH_OPINIONS', 1_000_000)));
const RUNS = Math.max(10, Math.round(envNumber('BENCH_SEARCH_RUNS', 20)));
/** Threads generating rows (tokens, SimHash) while the main thread inserts; 0 = none. */
const WORKERS = Math.round(envNumber('BENCH_GEN_WORKERS', 2));
const SQLITE_BATCH = 10_000;
const PG_BATCH = BATCH;

// ---------------------------------------------------------------- databases

export interface Target {
  name: 'sqlite' | 'postgres';
  deps: Deps;
  rootId: string;
}

/**
 * A database made by the platform, ready for the generated rows. `demo`: the demo bureau too (its
 * accounts let bench/paths.ts sign in to a server on the loaded database); the bench's own units
 * then carry codes of their own (BENCH-HSQ…), the demo's own 12 bureaus keeping theirs.
 */
export async function openTarget(name: Target['name'], url: string, dataDir: string, opts: { demo?: boolean } = {}): Promise<Target> {
  const config = loadConfig({
    DATABASE_URL: url, RECTIFY_DATA_DIR: dataDir, RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD, RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD, RECTIFY_DEMO: '0',
  });
  // createDeps runs the platform's migrate(): the FTS5 triggers / tsvector + GIN index are the real ones.
  const deps = await createDeps(config);
  // Roles, dictionaries (the 12 opinion categories) and the root unit, as on a fresh installation.
  await bootstrap(deps, { demo: Boolean(opts.demo) });
  const root = await deps.db.selectFrom('org_unit').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  // The 12 county-level bureaus, with fixed ids so rows copied from SQLite to PostgreSQL keep their unit.
  await deps.db
    .insertInto('org_unit')
    .values(
      COUNTIES.map((c, i) => ({
        id: `bench-unit-${c.code}`, parent_id: root.id, name: `${c.name}司法局`, short_name: c.name, kind: 'county_bureau' as const,
        code: opts.demo ? `BENCH-${c.code}` : c.code, path: `${root.path}bench-unit-${c.code}/`, depth: 1, sort: 100 + i,
        created_at: now, updated_at: now,
      })),
    )
    .execute();
  return { name, deps, rootId: root.id };
}

interface LoadFigures {
  rows: number;
  totalSeconds: number | null;
  /** Time the inserting thread waited for generated rows (texts, jieba tokens, SimHash, content hash). */
  waitForRowsSeconds?: number | null;
  /** Inside the INSERT statements / transactions, FTS5 triggers / GIN maintenance included. */
  insertSeconds: number | null;
  rowsPerSecond: number | null;
  vacuumAnalyzeSeconds?: number | null;
  databaseBytes?: number | null;
  method: string;
}

export async function loadSqlite(t: Target, file: string): Promise<LoadFigures> {
  const handle = t.deps.database.sqlite!;
  const sealed = { receipt: t.deps.cipher.seal('BENCH-RCPT-CODE0'), name: t.deps.cipher.seal('张三'), phone: t.deps.cipher.seal('13800000000') };
  const insert = handle.prepare(`insert into opinion (${COLUMNS.join(', ')}) values (${COLUMNS.map((c) => '@' + c).join(', ')})`);
  const insertMany = handle.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(row);
  });
  // A larger page cache for the load only (16 indexes + FTS5 on one connection); the default
  // (what the platform runs with) is restored before the searches.
  const defaultCache = handle.pragma('cache_size', { simple: true });
  handle.pragma('cache_size = -262144');
  const t0 = performance.now();
  let inserting = 0;
  let done = 0;
  let pending: Row[] = [];
  const flush = () => {
    const s = performance.now();
    insertMany(pending);
    inserting += performance.now() - s;
    done += pending.length;
    pending = [];
  };
  let lastLog = t0;
  for await (const batch of rowBatches(N, sealed, WORKERS)) {
    pending.push(...batch);
    if (pending.length >= SQLITE_BATCH) flush();
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(`    sqlite: ${done.toLocaleString('en')} / ${N.toLocaleString('en')} rows, ${((lastLog - t0) / 1000).toFixed(0)} s`);
    }
  }
  if (pending.length) flush();
  const total = (performance.now() - t0) / 1000;
  handle.pragma('wal_checkpoint(TRUNCATE)');
  handle.pragma(`cache_size = ${Number(defaultCache)}`);
  return {
    rows: done,
    totalSeconds: round(total, 1),
    waitForRowsSeconds: round(total - inserting / 1000, 1),
    insertSeconds: round(inserting / 1000, 1),
    rowsPerSecond: round(done / total, 0),
    databaseBytes: fs.statSync(file).size,
    method: `rows generated by ${WORKERS || 'no'} worker thread(s) while better-sqlite3 inserts them: one prepared INSERT, ` +
      `${SQLITE_BATCH.toLocaleString('en')} rows per transaction, 256 MiB page cache during the load; FTS5 filled by the migration's trigger`,
  };
}

/** Copies the rows already generated into SQLite (tokens and hashes computed once) into PostgreSQL. */
export async function loadPostgres(t: Target, from: Target, url: string): Promise<LoadFigures> {
  const src = from.deps.database.sqlite!;
  const select = src.prepare(`select rowid as r, ${COLUMNS.join(', ')} from opinion where rowid > ? order by rowid limit ${PG_BATCH}`);
  // The generated rows are the last N filed: anything before them (the demo's own) PostgreSQL has already.
  const firstAfter = (src.prepare('select max(rowid) as m from opinion').get() as { m: number }).m - N;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const text = `insert into opinion (${COLUMNS.join(', ')}) select * from unnest(${COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? 'text'}[]`).join(', ')})`;
  let inserting = 0;
  let done = 0;
  const t0 = performance.now();
  let lastLog = t0;
  try {
    for (let after = firstAfter; ; ) {
      const rows = select.all(after) as (Row & { r: number })[];
      if (!rows.length) break;
      after = rows[rows.length - 1]!.r;
      const arrays = COLUMNS.map((c) => rows.map((row) => row[c]));
      const s = performance.now();
      await client.query(text, arrays);
      inserting += performance.now() - s;
      done += rows.length;
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`    postgres: ${done.toLocaleString('en')} / ${N.toLocaleString('en')} rows, ${((lastLog - t0) / 1000).toFixed(0)} s`);
      }
    }
    const total = (performance.now() - t0) / 1000;
    // What autovacuum does on its own shortly after a bulk load (statistics, visibility map).
    const v0 = performance.now();
    await client.query('vacuum analyze opinion');
    const vacuum = (performance.now() - v0) / 1000;
    const size = await client.query<{ n: string }>('select pg_database_size(current_database())::text as n');
    return {
      rows: done,
      totalSeconds: round(total, 1),
      insertSeconds: round(inserting / 1000, 1),
      rowsPerSecond: round(done / total, 0),
      vacuumAnalyzeSeconds: round(vacuum, 1),
      databaseBytes: Number(size.rows[0]!.n),
      method: `pg, one INSERT … SELECT FROM unnest(<one array per column>) per ${PG_BATCH.toLocaleString('en')} rows (autocommit), ` +
        'tsvector generated column and GIN index maintained by PostgreSQL; rows read back from the SQLite load (tokens computed once); then VACUUM ANALYZE',
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- queries

interface SearchCase {
  cls: string;
  label: string;
  query: Partial<OpinionQuery>;
}

export const CASES: SearchCase[] = [
  { cls: 'common word', label: '公证', query: { q: '公证' } },
  { cls: 'common word', label: '律师', query: { q: '律师' } },
  { cls: 'common word', label: '调解', query: { q: '调解' } },
  { cls: 'common word', label: '法律援助', query: { q: '法律援助' } },
  { cls: 'common word', label: '排队', query: { q: '排队' } },
  { cls: 'place', label: '红山区', query: { q: '红山区' } },
  { cls: 'place', label: '宁城县', query: { q: '宁城县' } },
  { cls: 'place', label: '文钟', query: { q: '文钟' } },
  { cls: 'rare word', label: '那达慕', query: { q: '那达慕' } },
  { cls: 'rare word', label: '骆驼', query: { q: '骆驼' } },
  { cls: 'rare word', label: '风电场', query: { q: '风电场' } },
  { cls: 'no match', label: '区块链', query: { q: '区块链' } },
  { cls: 'two words', label: '社区矫正 请假', query: { q: '社区矫正 请假' } },
  { cls: 'two words', label: '公证 排队', query: { q: '公证 排队' } },
  { cls: 'two words', label: '律师 收费', query: { q: '律师 收费' } },
  { cls: 'two words', label: '红山区 调解', query: { q: '红山区 调解' } },
  { cls: 'word + filter', label: '律师 + category=lawyer_management', query: { q: '律师', category: 'lawyer_management' } },
  { cls: 'word + filter', label: '排队 + category=notary_service', query: { q: '排队', category: 'notary_service' } },
  { cls: 'word + filter', label: '红山区 + status=replied', query: { q: '红山区', status: 'replied' } },
  { cls: 'no query', label: '(page 1, no filter)', query: {} },
  { cls: 'no query', label: '(category=community_correction)', query: { category: 'community_correction' } },
];

interface CaseFigures {
  cls: string;
  label: string;
  total: number;
  /** The list answered totalCapped: the total is the cap, there are more. */
  capped?: boolean;
  items: number;
  firstMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  minMs: number | null;
  runsMs: number[];
}

async function timeRuns<T>(fn: () => Promise<T>): Promise<{ last: T; first: number; runs: number[] }> {
  const s0 = performance.now();
  let last = await fn();
  const first = performance.now() - s0;
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    last = await fn();
    runs.push(performance.now() - s);
  }
  return { last, first, runs };
}

function summarise(cls: string, label: string, total: number, items: number, t: { first: number; runs: number[] }): CaseFigures {
  const sorted = [...t.runs].sort((a, b) => a - b);
  return {
    cls, label, total, items,
    firstMs: round(t.first, 2),
    p50Ms: round(percentile(sorted, 0.5), 2),
    p95Ms: round(percentile(sorted, 0.95), 2),
    p99Ms: round(percentile(sorted, 0.99), 2),
    minMs: round(sorted[0]!, 2),
    runsMs: t.runs.map((x) => round(x, 2)!),
  };
}

export async function searchAll(t: Target): Promise<{ baseline: CaseFigures; cases: CaseFigures[] }> {
  const actor: Actor = {
    userId: 'bench', username: 'bench', displayName: '基准测试', personId: null, orgUnitId: t.rootId, orgUnitPath: `/${t.rootId}/`,
    roles: [{ code: 'campaign_office', dataScope: 'all', customUnitIds: [] }],
    permissions: new Set(['opinions:read']),
  };
  const ctx: Ctx = { ...t.deps, actor, ip: null };
  // In-run baseline: the cheapest question about the same table through the same connection.
  const b = await timeRuns(() => sql<{ n: number }>`select count(*) as n from opinion`.execute(t.deps.db));
  const baseline = summarise('baseline', 'select count(*) from opinion', Number(b.last.rows[0]!.n), 1, b);
  log(`    ${t.name} ${baseline.label}: p50 ${baseline.p50Ms} ms (${baseline.total})`);
  const cases: CaseFigures[] = [];
  for (const c of CASES) {
    const query = OpinionQuery.parse({ page: 1, pageSize: 20, ...c.query });
    const r = await timeRuns(() => listOpinions(ctx, actor, query));
    const f = { ...summarise(c.cls, c.label, r.last.total, r.last.items.length, r), capped: Boolean(r.last.totalCapped) };
    cases.push(f);
    log(`    ${t.name} ${c.label}: p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, total ${f.total}`);
  }
  return { baseline, cases };
}

// ---------------------------------------------------------------- main

export async function runSearch() {
  hookSigint();
  const started = performance.now();
  const loadBefore = loadAvgText();
  log(`opinions search: ${N.toLocaleString('en')} opinions, ${RUNS} timed runs per query; ` +
    `databases: sqlite${PG_URL ? ', postgres' : ' (set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL)'}`);
  const dir = tempDir();
  const file = path.join(dir, 'rectify.db');
  const lite = await openTarget('sqlite', file, dir);
  const out: Record<string, { load: LoadFigures; baseline: CaseFigures; cases: CaseFigures[] }> = {};
  let pgTarget: Target | undefined;
  try {
    log('  loading sqlite (generating texts, tokens and SimHash on the way)');
    const liteLoad = await loadSqlite(lite, file);
    log(`  sqlite loaded in ${liteLoad.totalSeconds} s; searching`);
    out.sqlite = { load: liteLoad, ...(await searchAll(lite)) };
    if (PG_URL) {
      const url = await freshPostgres(PG_URL);
      pgTarget = await openTarget('postgres', url, tempDir());
      log('  loading postgres');
      const pgLoad = await loadPostgres(pgTarget, lite, url);
      log(`  postgres loaded in ${pgLoad.totalSeconds} s (+ vacuum analyze ${pgLoad.vacuumAnalyzeSeconds} s); searching`);
      out.postgres = { load: pgLoad, ...(await searchAll(pgTarget)) };
    }
  } finally {
    await lite.deps.database.close();
    if (pgTarget) await pgTarget.deps.database.close();
  }

  // ------------------------------------------------------------ print
  const dbs = Object.keys(out);
  const loadRows = dbs.map((d) => {
    const l = out[d]!.load;
    return [d, l.rows.toLocaleString('en'), l.waitForRowsSeconds, l.insertSeconds, l.totalSeconds, l.rowsPerSecond, l.vacuumAnalyzeSeconds,
      l.databaseBytes ? `${(l.databaseBytes / 2 ** 20).toFixed(0)} MiB` : null];
  });
  const head = ['query', 'class'];
  for (const d of dbs) head.push(`${d} total`, `${d} p50 ms`, `${d} p95 ms`, `${d} p99 ms`);
  const caseRow = (i: number) => {
    const first = i < 0 ? out[dbs[0]!]!.baseline : out[dbs[0]!]!.cases[i]!;
    const row: (string | number | null)[] = [first.label, first.cls];
    for (const d of dbs) {
      const f = i < 0 ? out[d]!.baseline : out[d]!.cases[i]!;
      row.push(f.total.toLocaleString('en') + (f.capped ? '+' : ''), f.p50Ms, f.p95Ms, f.p99Ms);
    }
    return row;
  };
  const rows = [caseRow(-1), ...CASES.map((_, i) => caseRow(i))];
  const classes = [...new Set(CASES.map((c) => c.cls))];
  const classSummary: Record<string, Record<string, { medianP50Ms: number | null; maxP99Ms: number | null; queries: number }>> = {};
  const classRows = classes.map((cls) => {
    const row: (string | number | null)[] = [cls, CASES.filter((c) => c.cls === cls).length];
    for (const d of dbs) {
      const fs_ = out[d]!.cases.filter((c) => c.cls === cls);
      const s = { medianP50Ms: round(median(fs_.map((f) => f.p50Ms ?? NaN)), 2), maxP99Ms: round(Math.max(...fs_.map((f) => f.p99Ms ?? NaN)), 2), queries: fs_.length };
      (classSummary[d] ??= {})[cls] = s;
      row.push(s.medianP50Ms, s.maxP99Ms, ratioText(s.medianP50Ms, out[d]!.baseline.p50Ms));
    }
    return row;
  });
  const classHead = ['class', 'queries'];
  for (const d of dbs) classHead.push(`${d} median p50 ms`, `${d} max p99 ms`, `${d} p50 × count(*)`);
  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(
    `\nFull-text search: listOpinions() (GET /api/opinions), page 1 of 20, scope "all", on ${N.toLocaleString('en')} generated opinions; ` +
      `${RUNS} timed runs per query after one untimed run (p99 of ${RUNS} runs is their maximum)\n\n` +
      `Load\n` +
      table(['database', 'rows', 'wait for rows s', 'insert s', 'total s', 'rows/s', 'vacuum analyze s', 'size'], loadRows) +
      `\n\nPer query (first row: in-run baseline, a bare count(*) over the table)\n` +
      table(head, rows, 2) +
      `\n\nPer class (median of the queries' p50; largest p99; p50 ÷ the count(*) baseline's p50)\n` +
      table(classHead, classRows, 1) +
      `\n\nload average before ${loadBefore}, after ${loadAvgText()}; total ${elapsed.toFixed(0)} s\n`,
  );
  const result = {
    settings: { opinions: N, runs: RUNS, generatorWorkers: WORKERS, pageSize: 20, seed: SEED, databases: dbs, loadAvgBefore: loadBefore, loadAvgAfter: loadAvgText() },
    notes: [
      'rows generated by bench/opinions-gen.ts + opinions-rows.ts (deterministic PRNG, submission times rising over ten months); search_tokens, simhash/bands and content_hash by the platform functions',
      'receipt_hash is a unique placeholder; receipt_enc and named submitters\' name/phone are one constant sealed value each',
      'SQLite left as the platform leaves it (no ANALYZE); PostgreSQL VACUUM ANALYZE after the load, as autovacuum would do',
      `p99 of ${RUNS} runs is their maximum`,
    ],
    ...Object.fromEntries(dbs.map((d) => [d, { ...out[d], classes: classSummary[d] }])),
    totalSeconds: round(elapsed, 1),
  };
  writeSection('search', result);
  return result;
}

function ratioText(a: number | null, b: number | null) {
  return a && b ? `${Number((a / b).toPrecision(3))}×` : null;
}

runDirect(import.meta.url, runSearch);
