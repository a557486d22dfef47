import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/server/config.js';
import { createDeps } from '../../src/server/deps.js';
import type { Deps } from '../../src/server/platform/context.js';
import type { Clock } from '../../src/server/platform/time.js';
import { bootstrap, type BootstrapReport } from '../../src/server/seed/bootstrap.js';
import { openPglite } from './pglite.js';

// Real databases for tests: a fresh SQLite file per test database, and where TEST_DATABASE_URL is
// set, a fresh schema on the real PostgreSQL server. Nothing is mocked.

export const ADMIN_PASSWORD = 'Admin#2026test';
export const DEMO_PASSWORD = 'Demo#2026test';

export type Target = 'sqlite' | 'postgres' | 'pglite';

/**
 * Dialects to run database and API suites on: SQLite always; the real PostgreSQL server when
 * TEST_DATABASE_URL is set (CI); otherwise PostgreSQL's dialect in-process on PGlite, so a fresh
 * laptop still covers it.
 */
export function targets(): Target[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite', 'pglite'];
}

/** What GET /api/health reports for a target. */
export function dialectOf(target: Target): 'sqlite' | 'postgres' {
  return target === 'sqlite' ? 'sqlite' : 'postgres';
}

export interface TestDb {
  deps: Deps;
  report: BootstrapReport;
  config: Config;
  cleanup(): Promise<void>;
}

export interface TestDbOptions {
  demo?: boolean;
  now?: Clock;
  env?: Record<string, string>;
}

/**
 * Settings a test may vary that play no part in seeding: a database seeded without them is the same
 * database. Any other setting (passwords, field key, timeouts…) seeds afresh, as does `demo: false`.
 */
const RUNTIME_ONLY = new Set([
  'RECTIFY_PUBLIC_RATE_LIMIT', 'RECTIFY_PUBLIC_CHALLENGE', 'RECTIFY_LOGIN_FAILS_PER_IP', 'RECTIFY_UPLOAD_MAX_MB',
  'RECTIFY_TRUST_PROXY', 'RECTIFY_PUBLIC_URL', 'RECTIFY_SECURE_COOKIE', 'RECTIFY_SESSION_IDLE_MINUTES',
]);

function configFor(url: string, dir: string, env: Record<string, string> | undefined): Config {
  return loadConfig({
    DATABASE_URL: url,
    RECTIFY_DATA_DIR: dir,
    RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD,
    RECTIFY_LOG_LEVEL: 'silent',
    RECTIFY_PUBLIC_CHALLENGE: '0',
    ...env,
  });
}

/**
 * Seeding the demo takes seconds (more on PostgreSQL) and nearly every test file wants it: each distinct
 * seeding (target and clock) is done once per run into a template — a SQLite data folder, a PostgreSQL
 * database — and every test database is a copy of it (a file copy; CREATE DATABASE … TEMPLATE). The copy
 * then starts as any existing database does. Tests that vary seeding itself get a fresh database.
 * RECTIFY_TEST_TEMPLATES=0 turns the templates off.
 */
function templateKey(target: Target, opts: TestDbOptions): string | null {
  if (target === 'pglite' || opts.demo === false || process.env.RECTIFY_TEST_TEMPLATES === '0') return null;
  if (Object.keys(opts.env ?? {}).some((k) => !RUNTIME_ONLY.has(k))) return null;
  // No clock: seeded at the real time the template was made (earlier in this run).
  const at = opts.now ? opts.now().toISOString() : 'realtime';
  return crypto.createHash('sha256').update(`${target}|${at}`).digest('hex').slice(0, 10);
}

/** This run's id (global-setup.ts sets it, so every worker shares the templates); one per process otherwise. */
const runId = () => (process.env.RECTIFY_TEST_RUN ??= `${Math.floor(Date.now() / 1000).toString(36)}${crypto.randomBytes(2).toString('hex')}`);
const templateRoot = () => path.join(os.tmpdir(), `rectify-tpl-${runId()}`);
const pgUrl = (base: string, database: string) => {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
};
async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL! });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Seeds one fresh database (what every test did before templates). */
async function seedFresh(target: Target, opts: TestDbOptions, dir: string, url: string, schema: string | undefined) {
  const config = configFor(url, dir, opts.env);
  const deps = await createDeps(config, {
    schema,
    now: opts.now,
    poolSize: 4,
    database: target === 'pglite' ? await openPglite() : undefined,
  });
  const report = await bootstrap(deps, { demo: opts.demo ?? true });
  return { deps, report, config };
}

/** The template's location (a folder, or a database name), made once per run and key; its bootstrap report beside it. */
async function template(target: 'sqlite' | 'postgres', key: string, opts: TestDbOptions): Promise<{ where: string; report: BootstrapReport } | null> {
  const root = templateRoot();
  fs.mkdirSync(root, { recursive: true });
  const reportFile = path.join(root, `${target}-${key}.json`);
  if (fs.existsSync(reportFile)) {
    return { where: target === 'sqlite' ? path.join(root, key) : `rectify_tpl_${runId()}_${key}`, report: JSON.parse(fs.readFileSync(reportFile, 'utf8')) };
  }
  if (target === 'sqlite') {
    const building = fs.mkdtempSync(path.join(root, 'building-'));
    const made = await seedFresh('sqlite', opts, building, path.join(building, 'test.db'), undefined);
    await made.deps.database.close();
    const dir = path.join(root, key);
    try {
      fs.renameSync(building, dir);
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another worker finished first: use theirs
    }
    fs.writeFileSync(reportFile, JSON.stringify(made.report));
    return { where: dir, report: made.report };
  }
  // PostgreSQL: a role that may not create databases keeps fresh schemas.
  const name = `rectify_tpl_${runId()}_${key}`;
  const building = `${name}_b${crypto.randomBytes(2).toString('hex')}`;
  try {
    await pgAdmin((c) => c.query(`CREATE DATABASE "${building}"`));
  } catch (err) {
    if ((err as { code?: string }).code === '42501') return null;
    throw err;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-test-'));
  const made = await seedFresh('postgres', opts, dir, pgUrl(process.env.TEST_DATABASE_URL!, building), 'public');
  await made.deps.database.close();
  // The data folder (field key, any seeded files) goes with the database: every copy gets its own copy.
  try {
    fs.renameSync(dir, path.join(root, `${name}.data`));
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await pgAdmin(async (c) => {
    const taken = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (taken.rowCount) await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    else await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
  });
  fs.writeFileSync(reportFile, JSON.stringify(made.report));
  return { where: name, report: made.report };
}

/** CREATE DATABASE … TEMPLATE waits out a template still being let go by its last session. */
async function cloneDatabase(name: string, from: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await pgAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${from}"`));
      return;
    } catch (err) {
      // 55006: source database is being accessed by other users.
      if ((err as { code?: string }).code !== '55006' || attempt >= 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function createTestDb(target: Target, opts: TestDbOptions = {}): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-test-'));
  const key = templateKey(target, opts);
  const tpl = key ? await template(target as 'sqlite' | 'postgres', key, opts) : null;
  if (tpl && target === 'sqlite') {
    fs.cpSync(tpl.where, dir, { recursive: true });
    const config = configFor(path.join(dir, 'test.db'), dir, opts.env);
    const deps = await createDeps(config, { now: opts.now, poolSize: 4 });
    await bootstrap(deps, { demo: true });
    return {
      deps, report: tpl.report, config,
      async cleanup() {
        await deps.database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (tpl && target === 'postgres') {
    const name = `rectify_t_${runId()}_${crypto.randomBytes(4).toString('hex')}`;
    await cloneDatabase(name, tpl.where);
    fs.cpSync(path.join(templateRoot(), `${tpl.where}.data`), dir, { recursive: true });
    const config = configFor(pgUrl(process.env.TEST_DATABASE_URL!, name), dir, opts.env);
    const deps = await createDeps(config, { schema: 'public', now: opts.now, poolSize: 4 });
    await bootstrap(deps, { demo: true });
    return {
      deps, report: tpl.report, config,
      async cleanup() {
        await deps.database.close();
        await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  // PGlite is opened in-process; its config still needs a valid URL, which nothing connects to.
  const url = target === 'postgres' ? process.env.TEST_DATABASE_URL! : path.join(dir, 'test.db');
  const { deps, report, config } = await seedFresh(target, opts, dir, url, target === 'postgres' ? schema : undefined);
  return {
    deps,
    report,
    config,
    async cleanup() {
      await deps.database.close();
      if (target === 'postgres') {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops this run's templates (global-setup.ts teardown), and templates left by runs killed over a day ago. */
export async function dropTemplates(run: string) {
  fs.rmSync(path.join(os.tmpdir(), `rectify-tpl-${run}`), { recursive: true, force: true });
  if (!process.env.TEST_DATABASE_URL) return;
  const day = Math.floor(Date.now() / 1000) - 86_400;
  await pgAdmin(async (c) => {
    const mine = await c.query<{ datname: string }>(
      "select datname from pg_database where datname like 'rectify\_t%' and pg_catalog.pg_get_userbyid(datdba) = current_user",
    );
    for (const { datname } of mine.rows) {
      const stamp = /^rectify_(?:tpl|t)_([0-9a-z]+?)[0-9a-f]{4}_/.exec(datname)?.[1];
      const old = stamp !== undefined && parseInt(stamp, 36) < day;
      if (datname.includes(`_${run}_`) || old) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
  });
}

/** A clock tests can move forward. */
export function movableClock(start = new Date('2026-11-27T02:00:00Z')) {
  let t = start.getTime();
  const clock: Clock & { advance(ms: number): void; set(d: Date): void } = Object.assign(() => new Date(t), {
    advance: (ms: number) => {
      t += ms;
    },
    set: (d: Date) => {
      t = d.getTime();
    },
  });
  return clock;
}
