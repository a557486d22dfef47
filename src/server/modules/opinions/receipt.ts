import { randomBytesPooled, sm3 } from '../../platform/crypto.js';

// Receipt codes (查询码): 16 Crockford base32 characters = 80 random bits, shown as XXXX-XXXX-XXXX-XXXX.
// Only the SM3 digest is looked up; the code itself cannot be derived from anything we store in clear.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomBase32(n: number): string {
  const bytes = randomBytesPooled(n);
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

export function newReceiptCode(): string {
  const raw = randomBase32(16);
  return raw.match(/.{4}/g)!.join('-');
}

/** Accepts what people type: lower case, spaces, dashes, O for 0, I/L for 1. Null when not a code. */
export function normalizeReceiptCode(input: string): string | null {
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
    .replace(/U/g, 'V');
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(s)) return null;
  return s.match(/.{4}/g)!.join('-');
}

export function receiptHash(code: string): string {
  return sm3(`receipt:${code}`);
}

/** 意见编号: YJ + Asia/Shanghai date + 5 random characters; readable, unique, not a counter. */
export function newPublicNo(ymd: string): string {
  return `YJ${ymd.replace(/-/g, '')}${randomBase32(5)}`;
}
