import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// 国密 through Node's OpenSSL: SM3 digests, SM4 field encryption. OpenSSL 3 ships SM4 in CTR
// but not GCM, so sealed fields are SM4-CTR then HMAC-SM3 over iv||ciphertext (encrypt-then-MAC).

export function sm3(data: string | Buffer): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}

export function hmacSm3(key: Buffer, data: string | Buffer): string {
  return crypto.createHmac('sm3', key).update(data).digest('hex');
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
      const iv = crypto.randomBytes(16);
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

/**
 * The field key: RECTIFY_FIELD_KEY when set (required when several machines share a database),
 * else a key file in the data directory, created with mode 0600 on first start.
 */
export function loadFieldKey(dataDir: string, hex?: string): Buffer {
  if (hex) return Buffer.from(hex, 'hex');
  const file = path.join(dataDir, 'field.key');
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`密钥文件 ${file} 格式无效`);
    return Buffer.from(text, 'hex');
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
