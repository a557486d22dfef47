import { describe, expect, it } from 'vitest';
import {
  isValidPhone, isValidResidentId, maskPhone, maskResidentId, normalizePhone, passwordProblems, residentIdCheckChar, residentIdFacts,
} from '../../src/shared/validators.js';
import { phoneField } from '../../src/shared/schemas/phone.js';

describe('GB 11643 resident ID numbers', () => {
  it('accepts known valid numbers, with X check character in either case', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('11010519491231002x')).toBe(true);
    expect(isValidResidentId(' 11010519491231002X ')).toBe(true);
    expect(isValidResidentId('150402189901010011')).toBe(false); // check digit right, born before 1900
    expect(isValidResidentId('150402198001010010')).toBe(true);
  });

  it('rejects a wrong check digit, bad dates, wrong length and letters', () => {
    expect(isValidResidentId('110105194912310021')).toBe(false); // check should be X
    expect(isValidResidentId('110105194913310029')).toBe(false); // month 13
    expect(isValidResidentId('110105194902300023')).toBe(false); // 30 February
    expect(isValidResidentId('11010519491231002')).toBe(false);
    expect(isValidResidentId('1101051949123100201')).toBe(false);
    expect(isValidResidentId('1101051949123100AX')).toBe(false);
    expect(isValidResidentId('')).toBe(false);
  });

  it('computes the check character that makes a number valid', () => {
    const first17 = '15040219850315123';
    const id = first17 + residentIdCheckChar(first17);
    expect(isValidResidentId(id)).toBe(true);
    // Every other check character is wrong.
    for (const c of '0123456789X') if (c !== id[17]) expect(isValidResidentId(first17 + c)).toBe(false);
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  it('reads birth date and gender from the number', () => {
    expect(residentIdFacts('11010519491231002X')).toEqual({ birthDate: '1949-12-31', gender: 'F' });
    const first17 = '15040219850315123';
    expect(residentIdFacts(first17 + residentIdCheckChar(first17))).toEqual({ birthDate: '1985-03-15', gender: 'M' });
  });
});

describe('phone numbers', () => {
  // What citizens and staff type → the one form that is checked and stored.
  const MOBILE = '13904761234';
  const LANDLINE = '0476-8888888';
  const typed: [string, string][] = [
    ['13904761234', MOBILE],
    ['139 0476 1234', MOBILE],
    ['139-0476-1234', MOBILE],
    ['139.0476.1234', MOBILE],
    ['+86 139 0476 1234', MOBILE],
    ['+8613904761234', MOBILE],
    ['+86-139-0476-1234', MOBILE],
    ['0086 13904761234', MOBILE],
    ['008613904761234', MOBILE],
    ['8613904761234', MOBILE],
    ['１３９ ０４７６ １２３４', MOBILE], // full-width, as some input methods type
    [' 13904761234 ', MOBILE],
    ['0476-8888888', LANDLINE],
    ['04768888888', LANDLINE],
    ['(0476)8888888', LANDLINE],
    ['（0476）8888888', LANDLINE],
    ['0476 888 8888', LANDLINE],
    ['0476－8888888', LANDLINE],
    ['+86 476 8888888', LANDLINE], // international form: the area code without its 0
    ['+86 (0476) 8888888', LANDLINE],
    ['0086-476-8888888', LANDLINE],
    ['010-12345678', '010-12345678'], // two-digit area codes (01x, 02x) keep 3 characters with the 0
    ['(010)12345678', '010-12345678'],
    ['+86 10 1234 5678', '010-12345678'],
    ['021 1234 5678', '021-12345678'],
    ['0755-12345678', '0755-12345678'],
  ];
  it('normalises every way people type a number to the stored form', () => {
    for (const [input, stored] of typed) {
      expect(normalizePhone(input), input).toBe(stored);
      expect(isValidPhone(input), input).toBe(true);
      expect(normalizePhone(stored), `${stored} stays as it is`).toBe(stored);
    }
  });
  it('rejects what is no mainland phone number', () => {
    for (const p of [
      '12800138000', '1380013800', '138001380001', '8888888', 'abc', '', '   ', '+8612800138000', '+1 555 123 4567',
      '0476-888888', '0476-08888888', '047688888888888', '139 0476 123x', '86 0476 8888888', '00861390476123',
    ]) {
      expect(normalizePhone(p), p).toBeNull();
      expect(isValidPhone(p), p).toBe(false);
    }
  });
  it('the schema field hands on the normalised form, or refuses with the format message', () => {
    expect(phoneField().parse('+86 139-0476-1234')).toBe(MOBILE);
    expect(phoneField().parse('(0476)8888888')).toBe(LANDLINE);
    expect(phoneField({ allowEmpty: true }).parse('')).toBe('');
    const bad = phoneField().safeParse('12345');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('格式不正确');
    expect(phoneField().safeParse('').success).toBe(false);
  });
});

describe('masks', () => {
  it('masks ID numbers as 2 + 15 stars + the check character (birthplace, birth date and sequence hidden)', () => {
    expect(maskResidentId('11010519491231002X')).toBe('11***************X');
    expect(maskResidentId('11010519491231002X')).toMatch(/^\d{2}\*{15}[\dX]$/);
    expect(maskResidentId('123')).toBe('***');
  });
  it('masks mobiles as 3 + 4 stars + 4 and never shows a short number whole', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('8888888')).not.toBe('8888888');
    expect(maskPhone('8888888').endsWith('88')).toBe(true);
  });
});

describe('password rules', () => {
  it('requires 8+ characters', () => {
    expect(passwordProblems('Ab1#')).toContain('8');
    expect(passwordProblems('Ab1#xyz')).toContain('8');
  });
  it('requires three of four character classes', () => {
    expect(passwordProblems('abcdefgh')).toContain('三类');
    expect(passwordProblems('abcdefg1')).toContain('三类');
    expect(passwordProblems('ABCDEFG#')).toContain('三类');
    expect(passwordProblems('abcdefG1')).toBeNull();
    expect(passwordProblems('abcdef#1')).toBeNull();
    expect(passwordProblems('Admin#2026test')).toBeNull();
  });
  it('caps the length', () => {
    expect(passwordProblems('Aa1#'.repeat(40))).toContain('128');
  });
});
