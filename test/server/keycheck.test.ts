import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/server/config.js';
import { createDeps } from '../../src/server/deps.js';
import { migrate, openDatabase } from '../../src/server/db/index.js';
import { FieldKeyError, fieldKeyFingerprint, hmacSm3, sm3 } from '../../src/server/platform/crypto.js';
import { createTestDb } from '../support/db.js';
import { ROOT, runCli, startChildServer, type ChildServer } from '../support/child.js';

// Every process sharing a database must use one field key: the first start records the key's
// fingerprint and every later start with another key (or none) is refused. And the SQLite files,
// which hold sealed fields and password hashes, are private to their owner (0600).

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);
const dirs: string[] = [];
const children: ChildServer[] = [];

function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-key-'));
  dirs.push(d);
  return d;
}

function child(env: Record<string, string>) {
  const c = startChildServer({ RECTIFY_DEMO: '0', RECTIFY_ADMIN_PASSWORD: 'Admin#2026test', ...env });
  children.push(c);
  return c;
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

function recordedFingerprint(file: string): string | undefined {
  const db = new SQLite(file, { readonly: true });
  try {
    return (db.prepare(`select value from setting where key = 'field_key_fingerprint'`).get() as { value: string } | undefined)?.value;
  } finally {
    db.close();
  }
}

afterEach(async () => {
  for (const c of children.splice(0)) await c.stop();
});

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the field key fingerprint', () => {
  it('is a keyed digest of the key, neither the key nor a plain hash of it', () => {
    const key = Buffer.from(KEY_A, 'hex');
    const fp = fieldKeyFingerprint(key);
    expect(fp).toBe(hmacSm3(key, 'rectify/field/fingerprint'));
    expect(fp).not.toContain(KEY_A);
    expect(fp).not.toBe(sm3(key));
    expect(fp).not.toBe(sm3(KEY_A));
    expect(fieldKeyFingerprint(Buffer.from(KEY_B, 'hex'))).not.toBe(fp);
  });

  it('a start with another key is refused; one with no key is refused without making a key file; the first key starts again', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.db');
    const first = child({ DATABASE_URL: file, RECTIFY_DATA_DIR: dir, RECTIFY_FIELD_KEY: KEY_A });
    await first.ready;
    expect(await first.stop()).toBe(0);
    expect(recordedFingerprint(file)).toBe(fieldKeyFingerprint(Buffer.from(KEY_A, 'hex')));

    const other = child({ DATABASE_URL: file, RECTIFY_DATA_DIR: dir, RECTIFY_FIELD_KEY: KEY_B });
    expect(await other.exited).not.toBe(0);
    expect(other.stderr()).toContain('字段加密密钥与数据库不符');
    expect(other.stderr()).toContain('RECTIFY_FIELD_KEY');
    expect(other.stderr()).not.toContain(KEY_B);

    // A process on another machine, say, with neither the variable nor the key file.
    const bare = tempDir();
    const none = child({ DATABASE_URL: file, RECTIFY_DATA_DIR: bare });
    expect(await none.exited).not.toBe(0);
    expect(none.stderr()).toContain('字段加密密钥缺失');
    expect(none.stderr()).toContain('RECTIFY_FIELD_KEY');
    expect(none.stderr()).toContain(path.join(bare, 'field.key'));
    expect(fs.existsSync(path.join(bare, 'field.key'))).toBe(false);

    const again = child({ DATABASE_URL: file, RECTIFY_DATA_DIR: dir, RECTIFY_FIELD_KEY: KEY_A });
    await again.ready;
    // The fingerprint was never replaced by a refused start.
    expect(recordedFingerprint(file)).toBe(fieldKeyFingerprint(Buffer.from(KEY_A, 'hex')));
  });

  it('a database from before fingerprints gets one at its next start, unless its sealed fields do not open with this key', async () => {
    const t = await createTestDb('sqlite', { demo: true });
    const file = t.config.databaseUrl;
    const keyHex = fs.readFileSync(path.join(t.config.dataDir, 'field.key'), 'utf8').trim();
    await t.deps.database.close();
    const forget = () => {
      const db = new SQLite(file);
      db.prepare(`delete from setting where key = 'field_key_fingerprint'`).run();
      db.close();
    };
    try {
      forget();
      // Another key cannot open the people's sealed ID numbers: refused, nothing recorded.
      const wrong = await createDeps({ ...t.config, fieldKeyHex: KEY_B }).then(
        async (d) => {
          await d.database.close();
          return null;
        },
        (e: unknown) => e,
      );
      expect(wrong).toBeInstanceOf(FieldKeyError);
      expect(String((wrong as Error).message)).toContain('RECTIFY_FIELD_KEY');
      expect(recordedFingerprint(file)).toBeUndefined();

      // The right key (its key file) starts and is recorded.
      const deps = await createDeps(t.config);
      await deps.database.close();
      expect(recordedFingerprint(file)).toBe(fieldKeyFingerprint(Buffer.from(keyHex, 'hex')));
    } finally {
      fs.rmSync(t.config.dataDir, { recursive: true, force: true });
    }
  });

  it('two first starts sharing a data directory agree on one key file and one bootstrap', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: path.join(dir, 'x.db'), RECTIFY_DATA_DIR: dir };
    const a = child(env);
    const b = child(env);
    await Promise.all([a.ready, b.ready]);
    const key = Buffer.from(fs.readFileSync(path.join(dir, 'field.key'), 'utf8').trim(), 'hex');
    expect(mode(path.join(dir, 'field.key'))).toBe(0o600);
    expect(recordedFingerprint(env.DATABASE_URL)).toBe(fieldKeyFingerprint(key));
    expect([a, b].filter((s) => s.stdout().includes('首次启动'))).toHaveLength(1);
    const db = new SQLite(env.DATABASE_URL, { readonly: true });
    try {
      expect((db.prepare(`select count(*) as n from app_user where username = 'admin'`).get() as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('field.key'))).toEqual(['field.key']);
  });

  it('processes racing to create the key file all end up with the same key', async () => {
    const root = tempDir();
    const gate = tempDir();
    const rounds = 150;
    // Each process says it is ready and spins until all are; then all walk the same fresh data
    // directories in step, creating each one's key file together (many chances to collide).
    const code = `
      const fs = await import('node:fs');
      const { loadFieldKey } = await import(${JSON.stringify(path.join(ROOT, 'src/server/platform/crypto.ts'))});
      fs.writeFileSync(${JSON.stringify(gate)} + '/ready.' + process.pid, '');
      while (!fs.existsSync(${JSON.stringify(path.join(gate, 'go'))})) {}
      const keys = [];
      for (let i = 0; i < ${rounds}; i++) keys.push(loadFieldKey(${JSON.stringify(root)} + '/d' + i).toString('hex'));
      process.stdout.write(keys.join('\\n'));`;
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<string[]>((resolve, reject) => {
          const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT });
          let out = '';
          let err = '';
          p.stdout.on('data', (d) => (out += d));
          p.stderr.on('data', (d) => (err += d));
          p.on('exit', (c) => (c === 0 ? resolve(out.split('\n')) : reject(new Error(err))));
        }),
    );
    const deadline = Date.now() + 60_000;
    while (fs.readdirSync(gate).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(path.join(gate, 'go'), '');
    const results = await Promise.all(runs);
    for (let i = 0; i < rounds; i++) {
      const dir = path.join(root, `d${i}`);
      const onDisk = fs.readFileSync(path.join(dir, 'field.key'), 'utf8').trim();
      for (const r of results) expect(r[i], dir).toBe(onDisk);
      expect(fs.readdirSync(dir)).toEqual(['field.key']);
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the field key fingerprint on PostgreSQL', () => {
  it('a second process with another key is refused', async () => {
    const base = process.env.TEST_DATABASE_URL!;
    const schema = `t_key_${crypto.randomBytes(5).toString('hex')}`;
    const config = (key: string) =>
      loadConfig({ DATABASE_URL: base, RECTIFY_DATA_DIR: tempDir(), RECTIFY_FIELD_KEY: key, RECTIFY_LOG_LEVEL: 'silent' });
    try {
      const a = await createDeps(config(KEY_A), { schema, poolSize: 1 });
      await a.database.close();
      const refused = await createDeps(config(KEY_B), { schema, poolSize: 1 }).then(
        async (d) => {
          await d.database.close();
          return null;
        },
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(FieldKeyError);
      const again = await createDeps(config(KEY_A), { schema, poolSize: 1 });
      await again.database.close();
    } finally {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    }
  });
});

describe('SQLite files are private (0600)', () => {
  it('a new database and its -wal and -shm files are created 0600', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'new.db');
    const database = await openDatabase(file);
    try {
      await migrate(database);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
    } finally {
      await database.close();
    }
  });

  it('an existing world-readable database, -wal and -shm are narrowed to 0600 on open', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'old.db');
    const old = new SQLite(file);
    old.pragma('journal_mode = WAL');
    old.exec('create table t (x)');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.chmodSync(f, 0o644);
    const database = await openDatabase(file);
    try {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f), f).toBe(0o600);
    } finally {
      await database.close();
      old.close();
    }
  });

  it('rectify backup writes its copy 0600', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: path.join(dir, 'x.db'), RECTIFY_DATA_DIR: dir };
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    const target = path.join(dir, 'copy.db');
    const r = await runCli(['backup', target], env);
    expect(r.code, r.stderr).toBe(0);
    expect(mode(target)).toBe(0o600);
    // Still never over an existing file.
    expect((await runCli(['backup', target], env)).code).not.toBe(0);
  });
});
