// 证明事项告知承诺制's codes and their Chinese labels. No zod here, so a page can show them without
// loading the schema library; commitments.ts re-exports them with the schemas.

/** The business a certificate item serves (the department that asks for the certificate). */
export const CERT_DEPARTMENTS = {
  notary: '公证',
  legal_aid: '法律援助',
  appraisal: '司法鉴定',
  lawyer: '律师执业',
  grassroots: '基层法律服务',
  arbitration: '仲裁',
  mediation: '人民调解',
  other: '其他',
} as const;
export type CertDepartment = keyof typeof CERT_DEPARTMENTS;

export const APPLICANT_KINDS = { person: '自然人', org: '法人或其他组织' } as const;
export type ApplicantKind = keyof typeof APPLICANT_KINDS;

/** Post-verification of a commitment: not drawn, drawn and waiting, found true, found false. */
export const VERIFY_STATUSES = { not_drawn: '未抽中', pending: '待核查', true: '承诺属实', false: '虚假承诺' } as const;
export type VerifyStatus = keyof typeof VERIFY_STATUSES;

export const VERIFY_METHODS = {
  data_share: '数据共享核查',
  records: '调取档案核查',
  inquiry: '函询有关部门',
  onsite: '现场核查',
  other: '其他方式',
} as const;
export type VerifyMethod = keyof typeof VERIFY_METHODS;

/** The placeholders a commitment template may use, filled in when a commitment is registered. */
export const TEMPLATE_FIELDS = { applicant: '申请人', item: '证明事项', certificate: '所需证明', business: '办理事项' } as const;

// 统一社会信用代码 (GB 32100-2015): 18 characters of this alphabet, the last a weighted check character.
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of a code's first 17 characters (undefined when one is not of the alphabet). */
export function creditCodeCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CHARS.indexOf(first17[i] ?? '');
    if (v < 0) return undefined;
    sum += v * CREDIT_WEIGHTS[i]!;
  }
  return CREDIT_CHARS[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
