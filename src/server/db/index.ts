import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type Driver, type SqliteStatement } from 'kysely';
import type { DB } from './types.js';
import { isPostgresUrl } from '../config.js';
import { migrations } from './migrations/index.js';
import { describeDbError } from '../platform/dberrors.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** For SQLite: the open better-sqlite3 handle (backups use its online backup API). */
  sqlite?: SQLite.Database;
  /** PostgreSQL schema the connection works in, when not the default. */
  schema?: string;
  /**
   * Told about a pooled PostgreSQL connection that was lost (server restart, failover, an administrator
   * ending sessions). The pool drops that connection and opens a new one on the next request, so this
   * only logs; main.ts points it at the app's logger. Default: one line on stderr.
   */
  onConnectionError?: (err: unknown) => void;
  close(): Promise<void>;
}

// COUNT(*) and BIGINT come back from pg as strings; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));

export interface OpenOptions {
  /** PostgreSQL schema to use (tests give each run its own). */
  schema?: string;
  poolSize?: number;
  /** PostgreSQL: longest statement on a pooled connection, ms (0 or unset: the server's default). */
  statementTimeoutMs?: number;
  /** PostgreSQL: longest wait for a lock on a pooled connection, ms (0 or unset: the server's default). */
  lockTimeoutMs?: number;
  /** PostgreSQL: longest wait to connect, or for a free pooled connection, ms. Default 10 s. */
  connectTimeoutMs?: number;
  /** PostgreSQL application_name (pg_stat_activity); an application_name in the URL wins. Default 'rectify'. */
  applicationName?: string;
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: every command reads then writes (the audit head
 * at least), and a deferred transaction that must upgrade to a writer while another process (the
 * CLI, a second server) writes fails at once instead of waiting out busy_timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (conn: DatabaseConnection) => {
      await conn.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

function logLostConnection(err: unknown) {
  process.stderr.write(`数据库连接中断（${describeDbError(err)}），下次请求时将自动重连\n`);
}

/** Private files: the database holds sealed fields and password hashes; SQLite gives -wal/-shm the database file's mode. */
export const PRIVATE_FILE_MODE = 0o600;

function restrictFileMode(file: string) {
  try {
    const st = fs.statSync(file);
    if ((st.mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    process.stderr.write(`警告：无法将 ${file} 的权限收紧为 0600（${code ?? String(err)}），请由文件属主执行 chmod 600\n`);
  }
}

export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<Database> {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      // Bounded waits: a stalled server or a full pool answers 503 instead of hanging every request.
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      // Notices a peer that vanished without closing the socket (failover, a dropped network path).
      keepAlive: true,
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
      ...(opts.lockTimeoutMs ? { lock_timeout: opts.lockTimeoutMs } : {}),
      ...(opts.applicationName ? { application_name: opts.applicationName } : { fallback_application_name: 'rectify' }),
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    let closing = false;
    const database: Database = {
      db: undefined as unknown as Kysely<DB>,
      dialect: 'postgres',
      schema: opts.schema,
      onConnectionError: logLostConnection,
      close: async () => {
        closing = true;
        await db.destroy();
      },
    };
    // An idle client's error reaches both its own listener and the pool's: report it once.
    const reported = new WeakSet<object>();
    const lost = (err: unknown) => {
      if (closing) return;
      if (err && typeof err === 'object') {
        if (reported.has(err)) return;
        reported.add(err);
      }
      database.onConnectionError?.(err);
    };
    // pg-pool forwards an idle client's error as the pool's 'error' event, and an EventEmitter with no
    // listener throws: without this a restarted server ends the process. A checked-out client's
    // errors go to the client itself (the pool listens only while it is idle), so every client gets
    // its own listener too; its next query fails and the pool discards it on release.
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', lost));
    if (opts.schema) {
      const client = await pool.connect().catch(async (err: unknown) => {
        await pool.end().catch(() => undefined);
        throw err;
      });
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema.replace(/"/g, '')}"`);
      } catch (err) {
        // Two first starts at once: IF NOT EXISTS still races on the catalog's unique index.
        const exists = await client.query('select 1 from pg_namespace where nspname = $1', [opts.schema]);
        if (!exists.rowCount) throw err;
      } finally {
        client.release();
      }
    }
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    database.db = db;
    return database;
  }
  const file = path.resolve(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Create the file 0600 before SQLite does (it would use 0644); -wal and -shm follow its mode.
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) restrictFileMode(f);
  const handle = new SQLite(file);
  // busy_timeout first: switching a new file to WAL needs a moment's exclusive lock, and a second
  // process starting at the same time must wait for it rather than fail.
  handle.pragma('busy_timeout = 10000');
  // WAL lets readers run beside the writer; synchronous=FULL because a saved record must
  // survive a killed process and a power cut alike.
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  // 64 MB of page cache instead of SQLite's 2 MB: a register of millions of rows is inserted in the order
  // of its file, random in its indexes, and with a small cache nearly every insert read index pages back
  // from the OS (screening imports ran 30–40 % faster, and its rules about 40 %). Pages are taken as used.
  handle.pragma('cache_size = -65536');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: cachingStatements(handle) }) });
  return { db, dialect: 'sqlite', sqlite: handle, close: () => db.destroy() };
}

/**
 * Kysely prepares every statement anew; preparing is a measurable share of a short request on
 * SQLite. Prepared statements are reusable, so keep the most recent ones by SQL text. (Nothing here
 * streams with iterate(), which would make a cached statement busy.)
 */
export function cachingStatements(handle: SQLite.Database, size = 400) {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => handle.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (stmt) {
        // Most recently used last, so the oldest is first to go.
        cache.delete(text);
      } else {
        stmt = objectRows(handle.prepare(text));
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

/**
 * A reading statement whose rows are built by one object literal per statement from better-sqlite3's
 * raw arrays: better-sqlite3 sets each column on a fresh object one by one, which is about a quarter
 * of a 20-row page's read; V8 builds a literal of known shape far faster. Same objects, same keys in
 * the same order. Statements whose column names could not be an ordinary literal (a repeated name,
 * `__proto__`) stay as they are.
 */
function objectRows(stmt: SQLite.Statement): SqliteStatement {
  if (!stmt.reader) return stmt;
  const names = stmt.columns().map((c) => c.name);
  if (new Set(names).size !== names.length || names.includes('__proto__')) return stmt;
  // eslint-disable-next-line no-new-func -- the names are our own queries' columns, JSON-quoted
  const row = new Function('r', `return {${names.map((n, i) => `${JSON.stringify(n)}: r[${i}]`).join(', ')}};`) as (r: unknown[]) => unknown;
  stmt.raw(true);
  return {
    reader: true,
    all: (params) => (stmt.all(params as unknown[]) as unknown[][]).map(row),
    run: (params) => stmt.run(params as unknown[]),
    *iterate(params) {
      for (const r of stmt.iterate(params as unknown[]) as IterableIterator<unknown[]>) yield row(r);
    },
  };
}

export async function migrate(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') {
    // Kysely takes no lock on SQLite and runs its migrations outside a transaction: one writer
    // transaction around the whole run makes a second process starting at the same moment wait
    // (busy_timeout), then find nothing left to do; a failed migration leaves nothing half-done.
    await database.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        await runMigrator(database, conn);
        await sql`commit`.execute(conn);
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw err;
      }
    });
    return;
  }
  // Migrations run on one connection without the pool's statement and lock timeouts: waiting for
  // another process's migration (Kysely's advisory lock) or a long DDL must not be cut off.
  await database.db.connection().execute(async (conn) => {
    await sql`set statement_timeout = 0`.execute(conn);
    await sql`set lock_timeout = 0`.execute(conn);
    try {
      // Kysely looks for its tables by introspecting every schema; another tenant's schema dropped at
      // that moment makes the catalog query fail with 3F000 (undefined schema). That is a race with
      // someone else, not a broken migration: look again.
      for (let attempt = 1; ; attempt++) {
        try {
          await runMigrator(database, conn);
          break;
        } catch (err) {
          const code = ((err as { cause?: { code?: string } }).cause ?? {}).code;
          if (code !== '3F000' || attempt >= 5) throw err;
          await new Promise((r) => setTimeout(r, 50 * attempt));
        }
      }
    } finally {
      // Back to the connection's start-up values before it returns to the pool.
      await sql`reset statement_timeout`.execute(conn);
      await sql`reset lock_timeout`.execute(conn);
    }
  });
}

async function runMigrator(database: Database, db: Kysely<DB>): Promise<void> {
  // Kysely looks for its own tables in any schema and may find another tenant's: pin it to ours.
  const schema =
    database.schema ??
    (database.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
      : undefined);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(database.dialect) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    // The cause travels along so a start can tell "database unreachable" (retry) from a broken migration.
    throw new Error(`数据库迁移失败：${failed?.migrationName ?? ''} ${describeDbError(error)}`, { cause: error });
  }
}

/**
 * Inside a transaction: lifts the pooled connection's statement and lock timeouts for this
 * transaction only (SET LOCAL), for work that may rightly wait long (the first start's bootstrap).
 */
export async function liftTimeouts(trx: Kysely<DB>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`set local statement_timeout = 0`.execute(trx);
  await sql`set local lock_timeout = 0`.execute(trx);
}

/**
 * Runs fn on one pooled connection without its statement timeout (PostgreSQL; SQLite has none), for
 * batch work that rightly runs long — a screening run or the working-out after a register's import at
 * provincial scale — where the request-sized limit would cut it off. Not inside a transaction.
 */
export async function unhurried<T>(db: Kysely<DB>, dialect: Dialect, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (dialect !== 'postgres') return fn(db);
  return db.connection().execute(async (conn) => {
    await sql`set statement_timeout = 0`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      // Back to the connection's start-up value before it returns to the pool.
      await sql`reset statement_timeout`.execute(conn);
    }
  });
}

/**
 * Inside a transaction: holds a lock that one process at a time may hold, until the transaction
 * ends. PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE already made this
 * transaction the only writer.
 */
export async function lockExclusive(trx: Kysely<DB>, dialect: Dialect, key: string): Promise<void> {
  if (dialect !== 'postgres') return;
  // Per schema: deployments (and test runs) sharing one database do not wait for each other.
  await sql`select pg_advisory_xact_lock(hashtext(${key} || '/' || coalesce(current_schema()::text, '')))`.execute(trx);
}

/** True when no org unit and no user exists yet: a brand-new database. */
export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}
