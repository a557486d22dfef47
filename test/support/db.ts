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

export async function createTestDb(target: Target, opts: TestDbOptions = {}): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-test-'));
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  // PGlite is opened in-process; its config still needs a valid URL, which nothing connects to.
  const url = target === 'postgres' ? process.env.TEST_DATABASE_URL! : path.join(dir, 'test.db');
  const config = loadConfig({
    DATABASE_URL: url,
    RECTIFY_DATA_DIR: dir,
    RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD,
    RECTIFY_LOG_LEVEL: 'silent',
    RECTIFY_PUBLIC_CHALLENGE: '0',
    ...opts.env,
  });
  const deps = await createDeps(config, {
    schema: target === 'postgres' ? schema : undefined,
    now: opts.now,
    poolSize: 4,
    database: target === 'pglite' ? await openPglite() : undefined,
  });
  const report = await bootstrap(deps, { demo: opts.demo ?? true });
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
