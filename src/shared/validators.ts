// Validators shared by server and web.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 resident ID number: 18 characters, valid birth date, valid check digit. */
export function isValidResidentId(value: string): boolean {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17];
}

/** The check character for the first 17 digits (used by the demo generator). */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export function residentIdFacts(value: string): { birthDate: string; gender: 'M' | 'F' } {
  const id = value.trim().toUpperCase();
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'M' : 'F',
  };
}

export const PHONE_FORMAT_MESSAGE = '格式不正确（应为 11 位手机号或带区号的固定电话）';

// Full-width digits and signs that Chinese input methods produce.
const WIDE = /[０-９＋（）－]/g;
const narrow = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);
// Spaces, dashes of every width, dots and parentheses people put between the digits.
const SEPARATORS = /[\s\u00a0\u3000\-‐‑‒–—―－.·・()（）]/g;

/**
 * A phone number as people type it → the one form it is checked and stored in, or null when it is
 * no phone number: a mainland mobile as 11 digits (`13904761234`), a landline as area code, dash,
 * local number (`0476-8888888`, `010-12345678`).
 *
 * Accepted: spaces, dashes, dots and parentheses anywhere (`139 0476 1234`, `(0476)8888888`),
 * full-width characters, and the country code as `+86`, `0086` or `86` before a mobile (`+86` and
 * `0086` also before a landline, whose area code then comes without its 0: `+86 476 8888888`).
 */
export function normalizePhone(value: string): string | null {
  let v = value.trim().replace(WIDE, narrow).replace(SEPARATORS, '');
  let international = false;
  if (v.startsWith('+86')) {
    v = v.slice(3);
    international = true;
  } else if (v.startsWith('0086')) {
    v = v.slice(4);
    international = true;
  } else if (/^861[3-9]\d{9}$/.test(v)) {
    v = v.slice(2);
  }
  if (!/^\d+$/.test(v)) return null;
  if (/^1[3-9]\d{9}$/.test(v)) return v;
  // After a country code the landline's trunk 0 is usually left out.
  if (international && !v.startsWith('0')) v = `0${v}`;
  // Area codes: 010 and 02x (3 characters with the 0), 03xx–09xx (4); local numbers of 7–8 digits.
  const m = /^(010|02\d|0[3-9]\d{2})([1-9]\d{6,7})$/.exec(v);
  return m ? `${m[1]}-${m[2]}` : null;
}

/** Mainland mobile number, or a landline with area code, in any form normalizePhone accepts. */
export function isValidPhone(value: string): boolean {
  return normalizePhone(value) !== null;
}

/**
 * What a reader without people:sensitive sees of a resident ID number: the first two characters
 * (the province) and the check character. Digits 1–6 (birthplace) can be guessed from the unit,
 * 7–14 are the birth date (people lists show 出生年月) and 17 follows from the gender shown, so
 * showing more would let the rest be searched out: with this mask and everything else such a reader
 * sees, well over a thousand numbers remain possible (test/server/people-privacy.test.ts tries).
 */
export function maskResidentId(id: string): string {
  return id.length >= 18 ? `${id.slice(0, 2)}${'*'.repeat(15)}${id.slice(17)}` : '*'.repeat(id.length);
}

export function maskPhone(phone: string): string {
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone.replace(/\d(?=\d{2})/g, '*');
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** The rule in words, for forms and the API description (passwordProblems checks it). */
export const PASSWORD_RULE = `${PASSWORD_MIN}–${PASSWORD_MAX} 位，须包含大写字母、小写字母、数字、符号中的至少三类`;

/** 8–128 characters and at least three of: lower case, upper case, digits, other characters. */
export function passwordProblems(pw: string): string | null {
  if (pw.length < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 位`;
  if (pw.length > PASSWORD_MAX) return `密码不能超过 ${PASSWORD_MAX} 位`;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((r) => r.test(pw)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  return null;
}
