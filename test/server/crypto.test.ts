import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, hmacSm3, sm3 } from '../../src/server/platform/crypto.js';
import { generatePassword, hashPassword, verifyPassword } from '../../src/server/platform/auth.js';
import { passwordProblems } from '../../src/shared/validators.js';

describe('SM3 (GB/T 32905)', () => {
  it('matches the standard test vectors', () => {
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });
  it('HMAC-SM3 depends on the key', () => {
    expect(hmacSm3(Buffer.alloc(32, 1), 'x')).not.toBe(hmacSm3(Buffer.alloc(32, 2), 'x'));
    expect(hmacSm3(Buffer.alloc(32, 1), 'x')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('SM4 field cipher', () => {
  const key = crypto.randomBytes(32);
  const cipher = createFieldCipher(key);

  it('round-trips text, Chinese included, and never shows the plain text', () => {
    for (const plain of ['11010519491231002X', '13800138000', '举报人：张三，电话 0476-8888888', '']) {
      const sealed = cipher.seal(plain);
      expect(sealed.startsWith('v1.')).toBe(true);
      if (plain) expect(sealed).not.toContain(plain);
      expect(cipher.open(sealed)).toBe(plain);
    }
  });

  it('uses a fresh IV: sealing twice gives different ciphertexts', () => {
    expect(cipher.seal('13800138000')).not.toBe(cipher.seal('13800138000'));
  });

  it('detects tampering: a flipped byte in the ciphertext or tag throws', () => {
    const sealed = cipher.seal('11010519491231002X');
    const [v, payload, tag] = sealed.split('.');
    const raw = Buffer.from(payload!, 'base64url');
    for (const i of [0, 16, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[i] ^= 0x01;
      expect(() => cipher.open(`${v}.${bad.toString('base64url')}.${tag}`)).toThrow(/integrity/);
    }
    const t = Buffer.from(tag!, 'base64url');
    t[0] ^= 0x80;
    expect(() => cipher.open(`${v}.${payload}.${t.toString('base64url')}`)).toThrow();
    expect(() => cipher.open('garbage')).toThrow();
  });

  it('another key cannot open the value', () => {
    const other = createFieldCipher(crypto.randomBytes(32));
    expect(() => other.open(cipher.seal('secret'))).toThrow();
  });

  it('blind index is stable for a key, differs between keys and values', () => {
    const again = createFieldCipher(key);
    expect(cipher.blindIndex('11010519491231002X')).toBe(again.blindIndex('11010519491231002X'));
    expect(cipher.blindIndex('11010519491231002X')).not.toBe(cipher.blindIndex('110105194912310029'));
    expect(createFieldCipher(crypto.randomBytes(32)).blindIndex('11010519491231002X')).not.toBe(cipher.blindIndex('11010519491231002X'));
    expect(cipher.blindIndex('11010519491231002X')).not.toContain('11010519491231002X');
  });
});

describe('passwords', () => {
  it('argon2id hashes verify the right password only', async () => {
    const h = await hashPassword('Admin#2026test');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'Admin#2026test')).toBe(true);
    expect(await verifyPassword(h, 'Admin#2026tesT')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
  it('generated passwords satisfy the rules and differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(passwordProblems(p)).toBeNull();
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/\d/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
