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

/** Mainland mobile number, or a landline with area code (0476-8888888). */
export function isValidPhone(value: string): boolean {
  const v = value.trim();
  return /^1[3-9]\d{9}$/.test(v) || /^0\d{2,3}-?\d{7,8}$/.test(v);
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

/** 8+ characters and at least three of: lower case, upper case, digits, other characters. */
export function passwordProblems(pw: string): string | null {
  if (pw.length < 8) return '密码至少 8 位';
  if (pw.length > 128) return '密码不能超过 128 位';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((r) => r.test(pw)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  return null;
}
