import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';

// 国密 through Node's OpenSSL: SM3 digests, SM4 field encryption. OpenSSL 3 ships SM4 in CTR
// but not GCM, so sealed fields are SM4-CTR then HMAC-SM3 over iv||ciphertext (encrypt-then-MAC).

export function sm3(data: string | Buffer): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}

export function hmacSm3(key: Buffer, data: string | Buffer): string {
  return crypto.createHmac('sm3', key).update(data).digest('hex');
}

// Small random draws (receipt codes, 意见编号, IVs: several per public submission) come from a
// pool refilled 4 KB at a time by the same CSPRNG: each crypto.randomBytes() call has a fixed cost
// of its own. What is handed out is wiped from the pool.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

/** n random bytes (n up to 256 from the pool), as crypto.randomBytes(n). */
export function randomBytesPooled(n: number): Buffer {
  if (n > 256) return crypto.randomBytes(n);
  if (poolAt + n > pool.length) {
    crypto.randomFillSync(pool);
    poolAt = 0;
  }
  const out = Buffer.from(pool.subarray(poolAt, poolAt + n));
  pool.fill(0, poolAt, poolAt + n);
  poolAt += n;
  return out;
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export interface FieldCipher {
  seal(plain: string): string;
  open(sealed: string): string;
  /** Keyed digest for exact lookups and uniqueness without decrypting. */
  blindIndex(plain: string): string;
}

/** Derives separate encryption, MAC and index keys from one 32-byte master key. */
export function createFieldCipher(master: Buffer): FieldCipher {
  const derive = (label: string) => crypto.createHmac('sm3', master).update(label).digest();
  const encKey = derive('rectify/field/enc').subarray(0, 16);
  const macKey = derive('rectify/field/mac');
  const idxKey = derive('rectify/field/index');
  return {
    seal(plain) {
      const iv = randomBytesPooled(16);
      const c = crypto.createCipheriv('sm4-ctr', encKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      const mac = crypto.createHmac('sm3', macKey).update(iv).update(body).digest();
      return `v1.${Buffer.concat([iv, body]).toString('base64url')}.${mac.subarray(0, 16).toString('base64url')}`;
    },
    open(sealed) {
      const [v, payload, tag] = sealed.split('.');
      if (v !== 'v1' || !payload || !tag) throw new Error('sealed field: unknown format');
      const raw = Buffer.from(payload, 'base64url');
      const iv = raw.subarray(0, 16);
      const body = raw.subarray(16);
      const mac = crypto.createHmac('sm3', macKey).update(iv).update(body).digest().subarray(0, 16);
      if (!crypto.timingSafeEqual(mac, Buffer.from(tag, 'base64url'))) {
        throw new Error('sealed field: integrity check failed');
      }
      const d = crypto.createDecipheriv('sm4-ctr', encKey, iv);
      return Buffer.concat([d.update(body), d.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return crypto.createHmac('sm3', idxKey).update(plain).digest('hex');
    },
  };
}

export const FIELD_KEY_FILE = 'field.key';

/** Thrown when this process must not start with the field key it has (or lacks). */
export class FieldKeyError extends Error {}

function readKeyFile(file: string): Buffer | null {
  // A key file another process is creating right now is never seen half-written (it is linked into
  // place complete), but a plain-write fallback could be: give such a writer a moment.
  for (let i = 0; ; i++) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
    if (text.length >= 64 || i >= 20) throw new FieldKeyError(`密钥文件 ${file} 格式无效（应为 64 位十六进制）`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

function createKeyFile(dataDir: string, file: string): Buffer {
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, key.toString('hex') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // link() puts the complete file in place or fails with EEXIST: two first starts sharing a data
    // directory end up with one key, whichever linked first.
    try {
      fs.linkSync(tmp, file);
      return key;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        const existing = readKeyFile(file);
        if (existing) return existing;
        throw err;
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  // File systems without hard links: exclusive create, and on EEXIST read the winner's key.
  try {
    fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const existing = readKeyFile(file);
    if (!existing) throw err;
    return existing;
  }
}

export interface LoadFieldKeyOptions {
  /**
   * May a missing key file be created? False once the database has recorded a key's fingerprint:
   * a fresh key could read nothing sealed so far, so the start is refused instead.
   */
  create?: boolean;
  /** For the refusal message: the recorded fingerprint. */
  recordedFingerprint?: string;
}

/**
 * The field key: RECTIFY_FIELD_KEY when set (required when several machines share a database),
 * else a key file in the data directory, created with mode 0600 on first start.
 */
export function loadFieldKey(dataDir: string, hex?: string, opts: LoadFieldKeyOptions = {}): Buffer {
  if (hex) return Buffer.from(hex, 'hex');
  const file = path.join(dataDir, FIELD_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;
  if (opts.create === false) {
    throw new FieldKeyError(
      `字段加密密钥缺失：数据库已登记首次启动时使用的字段密钥${opts.recordedFingerprint ? `（指纹 ${opts.recordedFingerprint.slice(0, 8)}）` : ''}，` +
        `但本进程既未设置环境变量 RECTIFY_FIELD_KEY，数据目录中也没有密钥文件 ${file}。` +
        '若新建密钥，已加密的字段（身份证号、手机号、反映人身份等）将无法读取，因此拒绝启动，也未创建新的密钥文件。' +
        `请将环境变量 RECTIFY_FIELD_KEY 设为首次启动时使用的密钥（64 位十六进制），或把首次启动的数据目录中的 ${FIELD_KEY_FILE} 复制到 ${file}（权限 0600）。`,
    );
  }
  return createKeyFile(dataDir, file);
}

/** Where this process's field key came from, in words for operators. */
export function describeFieldKeySource(dataDir: string, hex?: string): string {
  return hex ? '环境变量 RECTIFY_FIELD_KEY' : `密钥文件 ${path.join(dataDir, FIELD_KEY_FILE)}`;
}

export const FIELD_KEY_FINGERPRINT_SETTING = 'field_key_fingerprint';

/** Identifies a field key without revealing it: a keyed digest, never the key or a plain hash of it. */
export function fieldKeyFingerprint(key: Buffer): string {
  return hmacSm3(key, 'rectify/field/fingerprint');
}

/** The fingerprint the database recorded at its first start, if any. */
export async function readFieldKeyFingerprint(db: Kysely<DB>): Promise<string | undefined> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', FIELD_KEY_FINGERPRINT_SETTING).executeTakeFirst();
  return row?.value;
}

/**
 * Every process sharing a database must seal with the same key: another key cannot open what
 * others sealed, seals what others cannot open, and gives different blind indexes (duplicate ID
 * numbers slip in). The first start records the key's fingerprint (insert-if-absent, so two first
 * starts agree on one); every start compares and refuses on a mismatch.
 */
export async function checkFieldKeyFingerprint(
  db: Kysely<DB>,
  key: Buffer,
  opts: { source: string; now: string },
): Promise<void> {
  const mine = fieldKeyFingerprint(key);
  let recorded = await readFieldKeyFingerprint(db);
  if (!recorded) {
    // A database from before fingerprints: its sealed fields must open with this key before this
    // key is recorded as the right one.
    const sample = await db
      .selectFrom('person')
      .select(['id_no_enc', 'phone_enc'])
      .where((eb) => eb.or([eb('id_no_enc', 'is not', null), eb('phone_enc', 'is not', null)]))
      .limit(1)
      .executeTakeFirst();
    const sealed = sample?.id_no_enc ?? sample?.phone_enc;
    if (sealed) {
      try {
        createFieldCipher(key).open(sealed);
      } catch {
        throw new FieldKeyError(
          `字段加密密钥与数据库不符：数据库中已有加密字段，但用本进程的密钥（来自${opts.source}）无法解开。` +
            '请将环境变量 RECTIFY_FIELD_KEY 设为写入这些数据时使用的密钥，或复制当时数据目录中的 field.key。',
        );
      }
    }
    await db
      .insertInto('setting')
      .values({ key: FIELD_KEY_FINGERPRINT_SETTING, value: mine, updated_at: opts.now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    recorded = await readFieldKeyFingerprint(db);
  }
  if (recorded !== mine) {
    throw new FieldKeyError(
      `字段加密密钥与数据库不符：本进程的密钥（来自${opts.source}，指纹 ${mine.slice(0, 8)}）` +
        `不是首次启动时登记的密钥（指纹 ${String(recorded).slice(0, 8)}）。` +
        '用不同的密钥运行会读不出其他进程写入的加密字段、写入其他进程读不出的数据，并使身份证号查重失效，因此拒绝启动。' +
        '请将环境变量 RECTIFY_FIELD_KEY 设为首次启动时使用的密钥（64 位十六进制），或把首次启动的数据目录中的 field.key 复制到本进程的数据目录（RECTIFY_DATA_DIR），并确保各进程使用同一密钥。',
    );
  }
}
