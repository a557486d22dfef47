import { describe, expect, it } from 'vitest';
import {
  isValidPhone, isValidResidentId, maskPhone, maskResidentId, passwordProblems, residentIdCheckChar, residentIdFacts,
} from '../../src/shared/validators.js';

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
  it('accepts mainland mobiles and landlines with area code', () => {
    for (const p of ['13800138000', '19912345678', '0476-8888888', '04768888888', '010-12345678']) expect(isValidPhone(p)).toBe(true);
  });
  it('rejects malformed numbers', () => {
    for (const p of ['12800138000', '1380013800', '138001380001', '8888888', 'abc', '+8613800138000', '']) {
      expect(isValidPhone(p)).toBe(false);
    }
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
