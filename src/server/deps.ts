import path from 'node:path';
import type { Config } from './config.js';
import type { Deps } from './platform/context.js';
import { openDatabase, migrate, type Database, type OpenOptions } from './db/index.js';
import {
  checkFieldKeyFingerprint, createFieldCipher, describeFieldKeySource, loadFieldKey, readFieldKeyFingerprint, type FieldCipher,
} from './platform/crypto.js';
import { describeDbError, retryWhileUnavailable } from './platform/dberrors.js';
import { diskStorage } from './platform/files.js';
import { systemClock, type Clock } from './platform/time.js';

export interface CreateDepsOptions extends OpenOptions {
  now?: Clock;
  /** An already-open database (tests: in-process PGlite). */
  database?: Database;
  /**
   * Keep retrying while the database cannot be reached (main.ts and the CLI: a database still
   * starting up, a failover in progress), for config.dbStartRetrySeconds. Default: fail at once.
   */
  retryStart?: boolean;
  /**
   * False for commands that never touch sealed fields (audit verify, backup, stats, migrate): they
   * neither need nor create a field key, and a cipher that refuses to work stands in.
   */
  fieldKey?: boolean;
}

/** The start's "waiting for the database" line, one per retry, on stderr. */
export function printStartRetry(attempt: number, delayMs: number, err: unknown) {
  process.stderr.write(
    `数据库暂时无法连接（${describeDbError(err)}），${(delayMs / 1000).toFixed(1)} 秒后第 ${attempt} 次重试…\n`,
  );
}

const keylessCipher: FieldCipher = {
  seal() {
    throw new Error('此命令未加载字段加密密钥');
  },
  open() {
    throw new Error('此命令未加载字段加密密钥');
  },
  blindIndex() {
    throw new Error('此命令未加载字段加密密钥');
  },
};

/** Opens the database named by the config, migrates it, checks the field key, and wires the shared services. */
export async function createDeps(config: Config, opts: CreateDepsOptions = {}): Promise<Deps> {
  const { now: _now, database: _given, retryStart: _retry, fieldKey: _fieldKey, ...openOptions } = opts;
  const open = async () => {
    const database =
      opts.database ??
      (await openDatabase(config.databaseUrl, {
        statementTimeoutMs: config.dbStatementTimeoutMs,
        lockTimeoutMs: config.dbLockTimeoutMs,
        ...openOptions,
      }));
    try {
      await migrate(database);
      let cipher = keylessCipher;
      if (opts.fieldKey !== false) {
        const recorded = await readFieldKeyFingerprint(database.db);
        const key = loadFieldKey(config.dataDir, config.fieldKeyHex, { create: !recorded, recordedFingerprint: recorded });
        await checkFieldKeyFingerprint(database.db, key, {
          source: describeFieldKeySource(config.dataDir, config.fieldKeyHex),
          now: (opts.now ?? systemClock)().toISOString(),
        });
        cipher = createFieldCipher(key);
      }
      return { database, cipher };
    } catch (err) {
      // A database we opened is ours to close, whether we retry or give up.
      if (!opts.database) await database.close().catch(() => undefined);
      throw err;
    }
  };
  const { database, cipher } =
    opts.retryStart && !opts.database
      ? await retryWhileUnavailable(open, { seconds: config.dbStartRetrySeconds, onRetry: printStartRetry })
      : await open();
  return {
    config,
    database,
    db: database.db,
    dialect: database.dialect,
    cipher,
    files: diskStorage(path.join(config.dataDir, 'files')),
    now: opts.now ?? systemClock,
  };
}
