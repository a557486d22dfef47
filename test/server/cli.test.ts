import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/server/config.js';
import { createDeps } from '../../src/server/deps.js';
import { buildApp } from '../../src/server/app.js';
import { openDatabase, migrate } from '../../src/server/db/index.js';
import type { Deps } from '../../src/server/platform/context.js';
import { Client } from '../support/http.js';

/** The account's figures for 开门纳谏: 325 opinions in 12 categories, 8 taken into the ledger. */
function expectDemoOpinionFigures(stats: any) {
  expect(stats.opinions.total).toBe(325);
  expect(Object.keys(stats.opinions.byCategory)).toHaveLength(12);
  expect(Object.values(stats.opinions.byCategory as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(325);
  expect(stats.opinions.byCategory['公共法律服务']).toBe(48);
  expect(Object.keys(stats.opinions.byChannel)).toHaveLength(9);
  expect(stats.opinions.adoptedIntoLedger).toBe(8);
  expect(stats.opinions.onTimeReplyRate).toBeGreaterThan(0.5);
  expect(stats.opinions.onTimeReplyRate).toBeLessThanOrEqual(1);
  expect(stats.opinions.satisfactionRate).toBeGreaterThan(0.5);
  expect(stats.opinions.satisfactionRate).toBeLessThanOrEqual(1);
}

// The real `rectify` command, built and run as a child process, as an operator runs it.

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CLI = path.join(ROOT, 'dist/server/cli/rectify.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function rectify(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: ROOT,
        // Only what the operator sets: no test settings leak in from this process.
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', ...env },
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const dirs: string[] = [];
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-cli-'));
  dirs.push(d);
  return d;
}
function sqliteEnv(dir: string, file = 'x.db') {
  return { DATABASE_URL: path.join(dir, file), RECTIFY_DATA_DIR: dir };
}

function readPeople(file: string) {
  const db = new SQLite(file, { readonly: true });
  try {
    return db
      .prepare(
        `select p.id, p.name, u.code as unit, p.post, p.id_no_masked, p.phone_masked, p.gender, p.birth_date
         from person p join org_unit u on u.id = p.org_unit_id order by p.id`,
      )
      .all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** A server on an existing database file, as `npm start` would run it. */
async function serve(env: Record<string, string>): Promise<{ app: FastifyInstance; deps: Deps; client(): Client; close(): Promise<void> }> {
  const config = loadConfig({ ...env, RECTIFY_LOG_LEVEL: 'silent' });
  const deps = await createDeps(config, { poolSize: 2 });
  const app = await buildApp(deps, { logger: false, webRoot: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    app,
    deps,
    client: () => new Client(url),
    async close() {
      await app.close();
      await deps.database.close();
    },
  };
}

beforeAll(() => {
  // Builds dist/server when the sources are newer (stderr only).
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-build.mjs'), '--server-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  expect(fs.existsSync(CLI)).toBe(true);
}, 300_000);

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('rectify CLI on SQLite', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = tempDir();
    env = sqliteEnv(dir);
    const seed = await rectify(['seed'], env);
    expect(seed.code, seed.stderr).toBe(0);
    // The seed's report (generated passwords) goes to stderr, never stdout.
    expect(seed.stderr).toContain('835');
    expect(seed.stdout).toBe('');
  }, 120_000);

  it('stats --json prints exactly the headline figures, as pure JSON on stdout', async () => {
    const r = await rectify(['stats', '--json'], env);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout);
    expect(stats.people).toEqual({ total: 835 });
    expect(stats.orgUnits).toEqual({ countyBureaus: 12 });
    expectDemoOpinionFigures(stats);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('screen --json runs every enabled rule on the demo registers: hit counts per rule, nothing new the second time', async () => {
    const r = await rectify(['screen', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.snapshots).toHaveLength(13);
    const hits = Object.fromEntries(out.rules.map((x: { code: string; hits: number }) => [x.code, x.hits]));
    expect(hits).toEqual({
      enterprise_holding: 2, revolving_door: 2, former_court_case: 1, kin_avoidance: 1, judge_affinity: 1,
      missed_intake: 2, lost_contact: 4, missing_warning: 2, paper_supervision: 4,
    });
    // The demo's seeding ran them once already: every hit is unchanged.
    for (const x of out.rules) expect(x).toMatchObject({ new: 0, resolved: 0, skipped: null });
    const stats = JSON.parse((await rectify(['stats', '--json'], env)).stdout);
    expect(stats.screening).toEqual({ rules: 9, hits: 19, confirmed: 0 });
  });

  it('refuses to seed a database that is not empty', async () => {
    const r = await rectify(['seed'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('非空');
    const again = await rectify(['stats', '--json'], env);
    expect(JSON.parse(again.stdout).people.total).toBe(835);
  });

  it('audit verify exits 0 on an intact chain', async () => {
    const r = await rectify(['audit', 'verify'], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('完整');
  });

  it('backup makes a consistent, readable copy while a server is running and writing', async () => {
    const server = await serve(env);
    try {
      const admin = server.client();
      const target = path.join(dir, 'backup.db');
      // Writes go on while the backup runs: failed logins are written to the login log.
      const writes = Promise.all(
        Array.from({ length: 10 }, (_, i) => admin.post('/api/auth/login', { username: 'admin', password: `Wrong#${i}xxxx` })),
      );
      const r = await rectify(['backup', target], env);
      await writes;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(target);
      expect(fs.existsSync(target)).toBe(true);

      const copy = new SQLite(target, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect((copy.prepare('select count(*) as n from person').get() as { n: number }).n).toBe(835);
        expect((copy.prepare("select count(*) as n from org_unit where kind = 'county_bureau'").get() as { n: number }).n).toBe(12);
      } finally {
        copy.close();
      }
      // The copy is a working database: its audit chain verifies and its figures are the same.
      const copyEnv = { DATABASE_URL: target, RECTIFY_DATA_DIR: dir };
      expect((await rectify(['audit', 'verify'], copyEnv)).code).toBe(0);
      expect(JSON.parse((await rectify(['stats', '--json'], copyEnv)).stdout).people.total).toBe(835);
      // Never overwrites an existing file.
      const again = await rectify(['backup', target], env);
      expect(again.code).not.toBe(0);
    } finally {
      await server.close();
    }
  });

  it('audit verify fails, naming the entry, once the log is tampered with', async () => {
    // Tamper with a copy, so the other tests keep an intact database.
    const copyDir = tempDir();
    const made = await rectify(['backup', path.join(copyDir, 'x.db')], env);
    expect(made.code).toBe(0);
    const file = path.join(copyDir, 'x.db');
    const db = new SQLite(file);
    db.prepare(`update audit_log set after_json = '{}' where seq = 1`).run();
    db.close();
    const r = await rectify(['audit', 'verify'], sqliteEnv(copyDir));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('第 1 条');

    // Deleting the newest entry is caught too.
    const made2Dir = tempDir();
    expect((await rectify(['backup', path.join(made2Dir, 'x.db')], env)).code).toBe(0);
    const db2 = new SQLite(path.join(made2Dir, 'x.db'));
    const last = (db2.prepare('select max(seq) as s from audit_log').get() as { s: number }).s;
    db2.prepare('delete from audit_log where seq = ?').run(last);
    db2.close();
    const r2 = await rectify(['audit', 'verify'], sqliteEnv(made2Dir));
    expect(r2.code).not.toBe(0);
    expect(r2.stdout).toContain(`第 ${last} 条`);
  });

  it('user reset-password prints a one-time password that logs in, lifts a lockout and forces a change', async () => {
    const server = await serve(env);
    try {
      // Lock the officer out first.
      for (let i = 0; i < 5; i++) {
        await server.client().post('/api/auth/login', { username: 'officer', password: `Wrong#${i}xxxx` });
      }
      const locked = await server.client().post('/api/auth/login', { username: 'officer', password: 'Whatever#1x' });
      expect(locked.status).toBe(423);
      const old = server.client();

      const r = await rectify(['user', 'reset-password', 'officer'], env);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const password = lines[0]!;
      expect(password.length).toBeGreaterThanOrEqual(12);

      const c = server.client();
      const login = await c.login('officer', password);
      expect(login.status).toBe(200);
      expect(login.body.mustChangePassword).toBe(true);
      expect((await c.get('/api/people')).status).toBe(403);
      expect((await c.post('/api/auth/password', { oldPassword: password, newPassword: 'Officer#2026new' })).status).toBe(200);
      expect((await c.get('/api/people')).body.total).toBe(1);
      expect((await old.login('officer', 'Officer#2026new')).status).toBe(200);

      const audit = await server.deps.db.selectFrom('audit_log').select(['action', 'after_json']).where('action', '=', 'reset_password').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.after_json).not.toContain(password);

      const unknown = await rectify(['user', 'reset-password', 'nobody'], env);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stdout).toBe('');
    } finally {
      await server.close();
    }
    expect((await rectify(['audit', 'verify'], env)).code).toBe(0);
  });

  it('answers unknown commands with the usage and a non-zero exit', async () => {
    const r = await rectify(['frobnicate'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('用法');
  });
});

describe('rectify seed is deterministic', () => {
  it('two empty databases get the same people, units and masked ids', async () => {
    const a = tempDir();
    const b = tempDir();
    const [ra, rb] = await Promise.all([rectify(['seed'], sqliteEnv(a)), rectify(['seed'], sqliteEnv(b))]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const pa = readPeople(path.join(a, 'x.db'));
    const pb = readPeople(path.join(b, 'x.db'));
    expect(pa).toHaveLength(835);
    expect(pb).toEqual(pa);
    // The demo opinions too: the same texts, categories and channels (receipt codes are secrets, random).
    const opinions = (file: string) => {
      const db = new SQLite(file, { readonly: true });
      try {
        return db.prepare('select content, category, channel, identity from opinion order by content, channel').all();
      } finally {
        db.close();
      }
    };
    const oa = opinions(path.join(a, 'x.db'));
    expect(oa).toHaveLength(325);
    expect(opinions(path.join(b, 'x.db'))).toEqual(oa);
    // Different field keys: the same people, differently encrypted.
    expect(fs.readFileSync(path.join(a, 'field.key'), 'utf8')).not.toBe(fs.readFileSync(path.join(b, 'field.key'), 'utf8'));
  }, 120_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('rectify CLI on PostgreSQL', () => {
  const schema = `t_cli_${crypto.randomBytes(5).toString('hex')}`;
  const base = process.env.TEST_DATABASE_URL ?? '';
  // The schema travels in the URL, as an operator would give it: ?options=-c search_path=<schema>
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  // Another deployment in the same database, in its own schema: the CLI must not mistake its tables for ours.
  const neighbour = `t_cli_n_${crypto.randomBytes(5).toString('hex')}`;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.end();
    const other = await openDatabase(base, { schema: neighbour, poolSize: 1 });
    await migrate(other);
    await other.close();
  });
  afterAll(async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${neighbour}" CASCADE`);
    await client.end();
  });

  it('seeds, reports the same figures, verifies and refuses a second seed', async () => {
    const env = { DATABASE_URL: url, RECTIFY_DATA_DIR: dir };
    const seed = await rectify(['seed'], env);
    expect(seed.code, seed.stderr).toBe(0);
    const stats = await rectify(['stats', '--json'], env);
    expect(stats.code, stats.stderr).toBe(0);
    const figures = JSON.parse(stats.stdout);
    expect(figures.people).toEqual({ total: 835 });
    expect(figures.orgUnits).toEqual({ countyBureaus: 12 });
    expectDemoOpinionFigures(figures);
    expect((await rectify(['audit', 'verify'], env)).code).toBe(0);
    expect((await rectify(['seed'], env)).code).not.toBe(0);
    // The tables went into the schema named in the URL.
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    const n = await client.query(`select count(*)::int as n from "${schema}".person`);
    await client.end();
    expect(n.rows[0].n).toBe(835);
    const backup = await rectify(['backup', path.join(dir, 'pg.dump')], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('pg_dump');
  }, 120_000);
});
