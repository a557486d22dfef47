import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../../src/server/config.js';
import { createDeps } from '../../src/server/deps.js';
import { bootstrap } from '../../src/server/seed/bootstrap.js';
import { databaseTrouble, isDatabaseUnavailable } from '../../src/server/platform/dberrors.js';
import { Client, startServer, type TestServer } from '../support/http.js';
import { ADMIN_PASSWORD } from '../support/db.js';
import { freePort, runCli, startChildServer, TcpProxy, type ChildServer } from '../support/child.js';

// The server on a PostgreSQL server that misbehaves: connections terminated by an administrator,
// the server unreachable, slow to come up, a row locked for long, two processes starting at once.
// Real PostgreSQL, real child processes, a real TCP proxy standing in for the network.

const BASE = process.env.TEST_DATABASE_URL ?? '';
// The proxy stands in front of the server TEST_DATABASE_URL names (CI's cluster need not be on 5432).
const PG_TARGET = BASE ? { host: new URL(BASE).hostname, port: Number(new URL(BASE).port || 5432) } : undefined;
const UNAVAILABLE = { error: 'DB_UNAVAILABLE', message: '数据库暂时不可用，请稍后重试' };
const BUSY = { error: 'DB_BUSY', message: '数据库繁忙，请稍后重试' };
const FIELD_KEY = 'a1'.repeat(32);

const schemas: string[] = [];
const dirs: string[] = [];
const children: ChildServer[] = [];
const proxies: TcpProxy[] = [];

function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-pgres-'));
  dirs.push(d);
  return d;
}

async function admin<T = any>(text: string, values: unknown[] = []): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  try {
    return await c.query<T & pg.QueryResultRow>(text, values);
  } finally {
    await c.end();
  }
}

/** A fresh, empty schema and a DATABASE_URL that works in it under a test-unique application_name. */
async function freshSchema(host?: { port: number }) {
  const schema = `t_res_${crypto.randomBytes(5).toString('hex')}`;
  const app = `rectify-${schema}`;
  schemas.push(schema);
  await admin(`create schema "${schema}"`);
  const u = new URL(BASE);
  if (host) {
    u.hostname = '127.0.0.1';
    u.port = String(host.port);
  }
  u.searchParams.set('options', `-c search_path=${schema}`);
  u.searchParams.set('application_name', app);
  return { schema, app, url: u.toString() };
}

function child(env: Record<string, string>) {
  const c = startChildServer({
    RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    RECTIFY_DEMO: '0',
    RECTIFY_PUBLIC_CHALLENGE: '0',
    RECTIFY_FIELD_KEY: FIELD_KEY,
    RECTIFY_DATA_DIR: tempDir(),
    ...env,
  });
  children.push(c);
  return c;
}

/** Ends every backend the named application holds; answers how many. */
async function terminate(app: string): Promise<number> {
  const r = await admin<{ n: number }>(
    'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
    [app],
  );
  return r.rows[0]!.n;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function loggedIn(url: string) {
  const c = new Client(url);
  const r = await c.login('admin', ADMIN_PASSWORD);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return c;
}

const newCode = (tag: string) => `${tag}_${crypto.randomBytes(4).toString('hex')}`;

async function storedDictCodes(schema: string): Promise<Set<string>> {
  const r = await admin<{ code: string }>(`select code from "${schema}".dict_type`);
  return new Set(r.rows.map((x) => x.code));
}

afterEach(async () => {
  for (const c of children.splice(0)) await c.stop();
  for (const p of proxies.splice(0)) await p.down();
});

afterAll(async () => {
  if (BASE) for (const s of schemas) await admin(`drop schema if exists "${s}" cascade`);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('classifying database errors', () => {
  it('connection and availability errors are 503 "unavailable"; timeouts and SQLite locks are 503 "busy"; the rest are not', () => {
    const e = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);
    expect(databaseTrouble(e({ code: 'ECONNREFUSED' }))?.code).toBe('DB_UNAVAILABLE');
    expect(databaseTrouble(new AggregateError([e({ code: 'ECONNREFUSED' })], ''))?.code).toBe('DB_UNAVAILABLE');
    expect(databaseTrouble(new Error('Connection terminated unexpectedly'))?.code).toBe('DB_UNAVAILABLE');
    expect(databaseTrouble(new Error('timeout exceeded when trying to connect'))?.code).toBe('DB_UNAVAILABLE');
    expect(databaseTrouble(new Error('wrapped', { cause: e({ code: 'ECONNRESET' }) }))?.code).toBe('DB_UNAVAILABLE');
    for (const code of ['08006', '08001', '57P01', '57P02', '57P03', '53300']) {
      expect(databaseTrouble(e({ code, severity: 'FATAL' }))?.code, code).toBe('DB_UNAVAILABLE');
    }
    for (const code of ['57014', '55P03']) expect(databaseTrouble(e({ code, severity: 'ERROR' }))?.code, code).toBe('DB_BUSY');
    expect(databaseTrouble(e({ code: 'SQLITE_BUSY' }))?.code).toBe('DB_BUSY');
    expect(databaseTrouble(e({ code: 'SQLITE_LOCKED' }))?.code).toBe('DB_BUSY');
    // A constraint violation, a syntax error, a plain bug: not the database's availability.
    for (const code of ['23505', '42601', '22P02', 'SQLITE_CONSTRAINT_UNIQUE']) {
      expect(isDatabaseUnavailable(e({ code, severity: 'ERROR' })), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});

describe.skipIf(!BASE)('PostgreSQL connections lost and the server unreachable', () => {
  it('connections ended by an administrator, idle and mid-request: the process lives, answers 503 or succeeds, recovers by itself, loses nothing acknowledged', async () => {
    const { schema, app, url } = await freshSchema();
    const server = child({ DATABASE_URL: url });
    const base = await server.ready;
    const c = await loggedIn(base);
    const acked: string[] = [];
    const create = async (tag: string) => {
      const code = newCode(tag);
      const r = await c.post('/api/dicts', { code, name: '连接中断测试' });
      expect([201, 503], JSON.stringify(r.body)).toContain(r.status);
      if (r.status === 201) acked.push(code);
      // Ended mid-request: unavailable; or, on a fresh connection, it waited out the lock: busy.
      else expect([UNAVAILABLE, BUSY]).toContainEqual(r.body);
      return r.status;
    };
    for (let i = 0; i < 5; i++) expect(await create('before')).toBe(201);

    // 1. Every connection idle in the pool, ended at once (a restart, failover, an administrator).
    expect(await terminate(app)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 700)); // the process used to die ~0.3 s after this
    expect(server.alive(), server.stderr()).toBe(true);
    const statuses: number[] = [];
    await until('the pool to reconnect', async () => {
      const r = await c.get('/api/me');
      statuses.push(r.status);
      if (r.status === 503) expect(r.body).toEqual(UNAVAILABLE);
      return r.status === 200 ? true : undefined;
    });
    expect(statuses.every((s) => s === 200 || s === 503), String(statuses)).toBe(true);
    expect(await create('after_idle')).toBe(201);

    // 2. Ended during requests: one waits on a lock, others run beside it.
    const locker = new pg.Client({ connectionString: BASE });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`select * from "${schema}".audit_head where id = 1 for update`);
      const waiting = create('mid_request');
      await until('the command to wait for the audit head', async () => {
        const r = await admin('select 1 from pg_stat_activity where application_name = $1 and wait_event_type = $2', [app, 'Lock']);
        return r.rowCount ? true : undefined;
      });
      const beside = Promise.all([c.get('/api/me'), c.get('/api/people'), c.get('/api/health'), create('beside')]);
      expect(await terminate(app)).toBeGreaterThan(0);
      expect(await waiting).toBe(503);
      for (const r of await beside) {
        if (typeof r === 'number') continue;
        expect([200, 503], JSON.stringify(r.body)).toContain(r.status);
      }
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
    expect(server.alive(), server.stderr()).toBe(true);
    await until('requests to succeed again', async () => ((await c.get('/api/me')).status === 200 ? true : undefined));
    for (let i = 0; i < 3; i++) expect(await create('after_mid')).toBe(201);

    // The loss was logged; nothing acknowledged was lost; the audit chain is intact.
    expect(server.stdout() + server.stderr()).toContain('数据库连接中断');
    const stored = await storedDictCodes(schema);
    for (const code of acked) expect(stored.has(code), code).toBe(true);
    expect([...stored].some((x) => x.startsWith('mid_request_'))).toBe(false);
    const verify = await runCli(['audit', 'verify'], { DATABASE_URL: url, RECTIFY_DATA_DIR: tempDir() });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(server.alive()).toBe(true);
  });

  it('the database unreachable (its port closed): 503 in Chinese, never 500, the process stays up and carries on once it is back', async () => {
    const proxy = new TcpProxy(await freePort(), PG_TARGET);
    proxies.push(proxy);
    await proxy.up();
    const { schema, url } = await freshSchema({ port: proxy.port });
    const server = child({ DATABASE_URL: url });
    const base = await server.ready;
    const c = await loggedIn(base);
    const before = newCode('before');
    expect((await c.post('/api/dicts', { code: before, name: '断网前' })).status).toBe(201);

    await proxy.down();
    for (const r of [
      await c.get('/api/me'),
      await c.post('/api/dicts', { code: newCode('down'), name: '断网中' }),
      await c.get('/api/health'),
      await new Client(base).post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }),
    ]) {
      expect(r.status, JSON.stringify(r.body)).toBe(503);
      expect(r.body).toEqual(UNAVAILABLE);
      expect(r.headers.get('retry-after')).toBeTruthy();
    }
    // Open311 clients get the same 503, in the spec's error list.
    const geo = await fetch(`${base}/open311/v2/requests.json`);
    expect(geo.status).toBe(503);
    expect(await geo.json()).toEqual([{ code: 503, description: UNAVAILABLE.message }]);
    await new Promise((r) => setTimeout(r, 500));
    expect(server.alive(), server.stderr()).toBe(true);

    await proxy.up();
    await until('the server to reach the database again', async () => ((await c.get('/api/me')).status === 200 ? true : undefined));
    const after = newCode('after');
    expect((await c.post('/api/dicts', { code: after, name: '恢复后' })).status).toBe(201);
    const stored = await storedDictCodes(schema);
    expect(stored.has(before) && stored.has(after)).toBe(true);
    expect([...stored].some((x) => x.startsWith('down_'))).toBe(false);
  });
});

describe.skipIf(!BASE)('PostgreSQL not reachable yet at start', () => {
  it('the server retries with a line per attempt, then comes up once the database accepts connections', async () => {
    const proxy = new TcpProxy(await freePort(), PG_TARGET);
    proxies.push(proxy);
    const { url } = await freshSchema({ port: proxy.port });
    const server = child({ DATABASE_URL: url });
    // Nothing listens until the server has found the port closed and said it will retry.
    await until('a retry line', async () => (/数据库暂时无法连接.*重试/.test(server.stderr()) ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(server.alive()).toBe(true);
    await proxy.up();
    const base = await server.ready;
    const health = await new Client(base).get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.database).toBe('postgres');
  });

  it('the CLI retries too (connections accepted then dropped while the server starts up)', async () => {
    const proxy = new TcpProxy(await freePort(), PG_TARGET);
    proxies.push(proxy);
    proxy.mode = 'reset';
    await proxy.up();
    const { url } = await freshSchema({ port: proxy.port });
    // Connections are dropped until 2 s after the first one arrives, then forwarded.
    let timer: NodeJS.Timeout | undefined;
    const watch = setInterval(() => {
      if (proxy.accepted > 0 && !timer) timer = setTimeout(() => (proxy.mode = 'forward'), 2000);
    }, 20);
    try {
      const r = await runCli(['migrate'], { DATABASE_URL: url, RECTIFY_DATA_DIR: tempDir() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/数据库暂时无法连接.*重试/);
      expect(r.stderr).toContain('迁移完成');
    } finally {
      clearInterval(watch);
      clearTimeout(timer);
    }
  });

  it('gives up after RECTIFY_DB_START_RETRY_SECONDS with a clear message', async () => {
    const port = await freePort();
    const { url } = await freshSchema({ port });
    const server = child({ DATABASE_URL: url, RECTIFY_DB_START_RETRY_SECONDS: '1' });
    const started = Date.now();
    expect(await server.exited).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(server.stderr()).toContain('启动失败');
  });
});

describe.skipIf(!BASE)('PostgreSQL statement and lock timeouts', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('a command that needs a locked audit head answers 503 within bounds, /api/me is not held up, and all goes on once the lock is gone', async () => {
    t = await startServer('postgres', { demo: false, env: { RECTIFY_DB_LOCK_TIMEOUT_MS: '500' } });
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(t.deps.db)).rows[0]!.s;
    const me = await t.as('admin');
    const locker = new pg.Client({ connectionString: BASE });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query(`select * from "${schema}".audit_head where id = 1 for update`);

      const started = Date.now();
      const logins = await Promise.all(
        Array.from({ length: 6 }, () => t!.client().post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })),
      );
      for (const r of logins) {
        expect(r.status, JSON.stringify(r.body)).toBe(503);
        expect(r.body).toEqual(BUSY);
      }
      expect(Date.now() - started).toBeLessThan(5_000);

      // Reads that need no lock answer promptly while the row stays locked.
      const readStarted = Date.now();
      const [who, command] = await Promise.all([
        me.get('/api/me'),
        me.post('/api/dicts', { code: newCode('locked'), name: '锁等待' }),
      ]);
      expect(who.status).toBe(200);
      expect(Date.now() - readStarted).toBeLessThan(5_000);
      expect(command.status).toBe(503);
      expect(command.body).toEqual(BUSY);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
    expect((await t.client().post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
    expect((await me.post('/api/dicts', { code: newCode('free'), name: '锁释放后' })).status).toBe(201);
  });

  it('every pooled connection carries the limits; a statement past statement_timeout is "busy"; migrations and the first bootstrap wait out locks longer than the limits', async () => {
    const { schema } = await freshSchema();
    const dir = tempDir();
    const config = loadConfig({
      DATABASE_URL: BASE,
      RECTIFY_DATA_DIR: dir,
      RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RECTIFY_LOG_LEVEL: 'silent',
      RECTIFY_DB_STATEMENT_TIMEOUT_MS: '300',
      RECTIFY_DB_LOCK_TIMEOUT_MS: '200',
    });
    // Another process holds the migration lock (Kysely's) and this schema's bootstrap lock for
    // longer than either limit: the start must wait for them, not fail.
    const holder = new pg.Client({ connectionString: BASE });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock(3853314791062309107)');
      await holder.query(`select pg_advisory_lock(hashtext('rectify/bootstrap/' || $1::text))`, [schema]);
      setTimeout(() => void holder.query('select pg_advisory_unlock(3853314791062309107)'), 1200);
      const started = Date.now();
      const deps = await createDeps(config, { schema, poolSize: 2 });
      try {
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        setTimeout(() => void holder.query('select pg_advisory_unlock_all()'), 1200);
        const bootStarted = Date.now();
        const report = await bootstrap(deps, { demo: false });
        expect(report.created).toBe(true);
        expect(Date.now() - bootStarted).toBeGreaterThanOrEqual(1000);

        // The pool's connections carry the configured limits (migrations did not leave theirs off).
        const limits = await Promise.all(
          [0, 1].map(() => sql<{ s: string; l: string }>`select current_setting('statement_timeout') as s, current_setting('lock_timeout') as l`.execute(deps.db)),
        );
        for (const r of limits) expect(r.rows[0]).toEqual({ s: '300ms', l: '200ms' });
        const slow = await sql`select pg_sleep(1)`.execute(deps.db).then(() => null, (e: unknown) => e);
        expect(databaseTrouble(slow)?.code).toBe('DB_BUSY');
      } finally {
        await deps.database.close();
      }
    } finally {
      await holder.end();
    }
  });
});

describe.skipIf(!BASE)('two processes starting together on an empty PostgreSQL schema', () => {
  it('both come up; the bootstrap ran once; the audit chain verifies', async () => {
    const { schema, url } = await freshSchema();
    // The demo makes the first start long, so the second surely arrives while it runs.
    const a = child({ DATABASE_URL: url, RECTIFY_DEMO: '1', RECTIFY_DEMO_PASSWORD: 'Demo#2026test' });
    const b = child({ DATABASE_URL: url, RECTIFY_DEMO: '1', RECTIFY_DEMO_PASSWORD: 'Demo#2026test' });
    const [ua, ub] = await Promise.all([a.ready, b.ready]);
    for (const u of [ua, ub]) {
      const h = await new Client(u).get('/api/health');
      expect(h.status).toBe(200);
    }
    expect([a, b].filter((s) => s.stdout().includes('首次启动'))).toHaveLength(1);
    const admins = await admin<{ n: number }>(`select count(*)::int as n from "${schema}".app_user where username = 'admin'`);
    expect(admins.rows[0]!.n).toBe(1);
    const people = await admin<{ n: number }>(`select count(*)::int as n from "${schema}".person`);
    expect(people.rows[0]!.n).toBe(835);
    // Both serve the same data: log in through each.
    await loggedIn(ua);
    await loggedIn(ub);
    const verify = await runCli(['audit', 'verify'], { DATABASE_URL: url, RECTIFY_DATA_DIR: tempDir() });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 180_000);
});
