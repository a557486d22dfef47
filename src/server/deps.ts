import path from 'node:path';
import type { Config } from './config.js';
import type { Deps } from './platform/context.js';
import { openDatabase, migrate, type Database, type OpenOptions } from './db/index.js';
import { createFieldCipher, loadFieldKey } from './platform/crypto.js';
import { diskStorage } from './platform/files.js';
import { systemClock, type Clock } from './platform/time.js';

/** Opens the database named by the config, migrates it, and wires the shared services. */
export async function createDeps(
  config: Config,
  opts: OpenOptions & { now?: Clock; /** An already-open database (tests: in-process PGlite). */ database?: Database } = {},
): Promise<Deps> {
  const database = opts.database ?? (await openDatabase(config.databaseUrl, opts));
  await migrate(database);
  const key = loadFieldKey(config.dataDir, config.fieldKeyHex);
  return {
    config,
    database,
    db: database.db,
    dialect: database.dialect,
    cipher: createFieldCipher(key),
    files: diskStorage(path.join(config.dataDir, 'files')),
    now: opts.now ?? systemClock,
  };
}
