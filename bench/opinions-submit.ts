// 开门纳谏 submission throughput with the proof-of-work challenge and the per-IP limit off
// (RECTIFY_PUBLIC_CHALLENGE=0, RECTIFY_PUBLIC_RATE_LIMIT=0): POST /api/public/opinions from
// autocannon, every request a different anonymous opinion, beside a bare Fastify POST route that
// parses the same JSON bodies, measured in the same run. SQLite, and PostgreSQL when
// BENCH_DATABASE_URL or TEST_DATABASE_URL is set (a fresh database, dropped after).
// Run alone: node --import tsx bench/opinions-submit.ts. See bench/README.md.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import autocannon, { type Options as CannonOptions } from 'autocannon';
import pg from 'pg';
import { contentHash } from '../src/server/modules/opinions/text.js';
import { opinionText, pickCategory, prng } from './opinions-gen.js';
import {
  ADMIN_PASSWORD, BASELINE, DEMO_PASSWORD, MAIN, PG_URL, envNumber, freshPostgres, hookSigint, launch, loadAvgText, log,
  percentile, ratio, request, round, runDirect, stop, table, tempDir, times, writeSection,
} from './lib.js';

// autocannon's per-request hook (the shared typings in bench/autocannon.d.ts leave it out).
declare module 'autocannon' {
  interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec;
  }
  interface Options {
    requests?: RequestSpec[];
  }
}

const SECONDS = envNumber('BENCH_SECONDS', 10);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 1);
const CONNECTIONS = Math.max(1, Math.round(envNumber('BENCH_CONNECTIONS', 20)));
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || '';
const PATH = '/api/public/opinions';
const SEED = 20210401;

/**
 * Request bodies as the public page sends them (category or 'unsure', content, anonymous, the
 * empty honeypot, a fresh clientRequestId), each text different after the platform's own
 * normalisation, so the exact-duplicate check never turns one into a 409.
 */
export function bodies(seed: number) {
  const r = prng(seed);
  const seen = new Set<string>();
  let made = 0;
  return {
    next(): string {
      for (;;) {
        const category = pickCategory(r);
        const content = opinionText(r, category);
        const key = contentHash(content);
        if (seen.has(key)) continue;
        seen.add(key);
        made++;
        // One in three submitters is not sure which category fits.
        return JSON.stringify({
          category: r.next() < 1 / 3 ? 'unsure' : category, content, identity: 'anonymous', website: '', clientRequestId: randomUUID(),
        });
      }
    },
    get made() {
      return made;
    },
  };
}

interface SubmitFigures {
  database: 'none' | 'sqlite' | 'postgres';
  name: string;
  p50Ms: number | null;
  p99Ms: number | null;
  reqPerSec: number | null;
  requests: number;
  created: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Anything but 201, plus connection errors and timeouts. */
  failed: number;
  autocannonP50Ms: number;
  autocannonP99Ms: number;
  /** For the platform: opinions in the database after the run minus before it, and the 201s sent in that time. */
  rowsWritten?: number | null;
  createdIncludingWarmup?: number;
  firstStartMs?: number;
  p50Ratio?: number | null;
  reqPerSecRatio?: number | null;
}

async function measure(database: SubmitFigures['database'], name: string, base: string, seed: number) {
  const gen = bodies(seed);
  const headers = { 'content-type': 'application/json' };
  // A wrong path or a challenge left on would otherwise be measured as fast 4xx answers.
  const probe = await request('POST', base + PATH, { headers, body: gen.next(), timeoutMs: 30_000 });
  if (probe.status !== 201) throw new Error(`${name}: expected 201, got ${probe.status} ${probe.body.slice(0, 300)}`);
  const opts: CannonOptions = {
    url: base, connections: CONNECTIONS, timeout: 30,
    requests: [{ method: 'POST', path: PATH, headers, setupRequest: (req) => ({ ...req, body: gen.next() }) }],
  };
  let warmCreated = 0;
  if (WARMUP_SECONDS > 0) {
    const w = autocannon({ ...opts, duration: WARMUP_SECONDS });
    w.on('response', (_c: unknown, status: number) => {
      if (Number(status) === 201) warmCreated++;
    });
    await w;
  }
  const timesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const inst = autocannon({ ...opts, duration: SECONDS });
  inst.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    const s = String(status);
    statuses[s] = (statuses[s] ?? 0) + 1;
    if (s === '201') timesMs.push(ms);
  });
  const r = await inst;
  timesMs.sort((a, b) => a - b);
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  const created = statuses['201'] ?? 0;
  const out: SubmitFigures = {
    database, name,
    p50Ms: round(percentile(timesMs, 0.5), 2),
    p99Ms: round(percentile(timesMs, 0.99), 2),
    reqPerSec: round(r.requests.average, 1),
    requests: r.requests.total,
    created,
    statuses,
    errors: r.errors,
    timeouts: r.timeouts,
    failed: responses - created + r.errors + r.timeouts,
    autocannonP50Ms: r.latency.p50,
    autocannonP99Ms: r.latency.p99,
    createdIncludingWarmup: created + warmCreated + 1,
  };
  log(`  ${database.padEnd(8)} ${name}: p50 ${out.p50Ms} ms, p99 ${out.p99Ms} ms, ${out.reqPerSec} req/s, statuses ${JSON.stringify(statuses)}` +
    (out.errors || out.timeouts ? ` (errors ${out.errors}, timeouts ${out.timeouts})` : ''));
  return out;
}

interface PlatformDb {
  name: 'sqlite' | 'postgres';
  url: string;
  dataDir: string;
  countOpinions(): Promise<number>;
}

async function sqliteDb(): Promise<PlatformDb> {
  const dir = tempDir();
  const url = path.join(dir, 'rectify.db');
  return {
    name: 'sqlite', url, dataDir: dir,
    async countOpinions() {
      // A second reader beside the server: WAL lets it read without blocking the writer.
      const h = new SQLite(url, { readonly: true });
      try {
        return (h.prepare('select count(*) as n from opinion').get() as { n: number }).n;
      } finally {
        h.close();
      }
    },
  };
}

async function postgresDb(adminUrl: string): Promise<PlatformDb> {
  const url = await freshPostgres(adminUrl);
  return {
    name: 'postgres', url, dataDir: tempDir(),
    async countOpinions() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return Number((await c.query<{ n: string }>('select count(*) as n from opinion')).rows[0]!.n);
      } finally {
        await c.end();
      }
    },
  };
}

export async function runSubmit() {
  hookSigint();
  const started = performance.now();
  const loadBefore = loadAvgText();
  const logDir = tempDir();
  log(`opinions submit: ${CONNECTIONS} connections × ${SECONDS} s (+${WARMUP_SECONDS} s warm-up) per row; ` +
    `databases: sqlite${PG_URL ? ', postgres' : ' (set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL)'}`);

  const { server: bare } = await launch(BASELINE, {}, path.join(logDir, 'baseline.log'));
  let baseline: SubmitFigures;
  try {
    baseline = await measure('none', `POST ${PATH} (bare Fastify, JSON parse)`, bare.url, SEED);
  } finally {
    await stop(bare);
  }
  const rows: SubmitFigures[] = [baseline];
  const dbs = [await sqliteDb(), ...(PG_URL ? [await postgresDb(PG_URL)] : [])];
  for (const db of dbs) {
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      RECTIFY_DATA_DIR: db.dataDir,
      RECTIFY_DEMO: '1',
      RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD,
      RECTIFY_PUBLIC_CHALLENGE: '0',
      RECTIFY_PUBLIC_RATE_LIMIT: '0',
      ...(LOG_LEVEL ? { RECTIFY_LOG_LEVEL: LOG_LEVEL } : {}),
    };
    // First start on the empty database seeds the demo bureau; the run measures the seeded server.
    const { server, ms } = await launch(MAIN, env, path.join(logDir, `${db.name}.log`));
    try {
      const before = await db.countOpinions();
      const f = await measure(db.name, `POST ${PATH} (platform)`, server.url, SEED);
      f.rowsWritten = (await db.countOpinions()) - before;
      f.firstStartMs = round(ms, 0)!;
      rows.push(f);
    } finally {
      await stop(server);
    }
  }
  for (const f of rows) {
    f.p50Ratio = ratio(f.p50Ms, baseline.p50Ms);
    f.reqPerSecRatio = ratio(f.reqPerSec, baseline.reqPerSec);
  }

  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(
    `\nSubmission throughput: POST ${PATH}, challenge and rate limit off, ${CONNECTIONS} connections, ${SECONDS} s per row, ` +
      `every body a different anonymous opinion; ratios against the bare Fastify POST\n` +
      table(
        ['database', 'request', 'req/s', 'p50 ms', 'p99 ms', 'req/s ×', 'p50 ×', '201', 'failed', 'rows written / 201 sent'],
        rows.map((f) => [
          f.database, f.name, f.reqPerSec, f.p50Ms, f.p99Ms, times(f.reqPerSecRatio), times(f.p50Ratio), f.created, f.failed,
          f.rowsWritten === undefined ? null : `${f.rowsWritten} / ${f.createdIncludingWarmup}`,
        ]),
        2,
      ) +
      `\n\nfailed = responses other than 201 + connection errors + timeouts; "rows written" counts opinions in the database after ` +
      `minus before (probe, warm-up and timed run), beside the 201s answered in that time.\n` +
      `load average before ${loadBefore}, after ${loadAvgText()}; total ${elapsed.toFixed(0)} s\n`,
  );
  const result = {
    settings: {
      seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, logLevel: LOG_LEVEL || 'platform default',
      databases: dbs.map((d) => d.name), body: 'anonymous, category code (2/3) or "unsure" (1/3), empty honeypot, fresh clientRequestId, ~40–90 Chinese characters',
      loadAvgBefore: loadBefore, loadAvgAfter: loadAvgText(),
    },
    rows,
    totalSeconds: round(elapsed, 1),
  };
  writeSection('submit', result);
  return result;
}

runDirect(import.meta.url, runSubmit);
