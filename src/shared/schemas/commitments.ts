import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import { isValidResidentId } from '../validators.js';
import {
  APPLICANT_KINDS, CERT_DEPARTMENTS, TEMPLATE_FIELDS, VERIFY_METHODS, VERIFY_STATUSES, creditCodeCheckChar, isValidCreditCode,
  type ApplicantKind, type CertDepartment, type VerifyMethod, type VerifyStatus,
} from './commitments-labels.js';

export {
  APPLICANT_KINDS, CERT_DEPARTMENTS, TEMPLATE_FIELDS, VERIFY_METHODS, VERIFY_STATUSES, creditCodeCheckChar, isValidCreditCode,
  type ApplicantKind, type CertDepartment, type VerifyMethod, type VerifyStatus,
};

// 证明事项告知承诺制: a catalogue of certificate items that accept a signed commitment instead of the
// certificate; each commitment registered is drawn for post-verification at the item's rate; a false
// commitment puts the applicant on the dishonesty list (失信名单) for the item's bar period.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);
const enumOf = <T extends Record<string, string>>(o: T) => z.enum(Object.keys(o) as [keyof T & string, ...(keyof T & string)[]]);

export const CertItemInput = z.object({
  name: text('证明事项名称', 2, 100),
  department: enumOf(CERT_DEPARTMENTS).describe('办理业务'),
  certificate: text('所需证明材料', 2, 100),
  legalBasis: text('设定依据', 2, 500),
  commitmentAllowed: z.boolean().describe('是否适用告知承诺'),
  samplingRate: z.coerce.number().int('须为整数').min(0, '不能小于 0').max(100, '不能大于 100').describe('抽查比例（%）'),
  verifyDays: z.coerce.number().int('须为整数').min(1, '至少 1 天').max(365, '不能超过 365 天').describe('核查时限（天）'),
  barMonths: z.coerce.number().int('须为整数').min(1, '至少 1 个月').max(60, '不能超过 60 个月').describe('失信限制期（月）'),
  template: text('承诺书文本', 20, 3000),
  enabled: z.boolean().default(true).describe('启用'),
});
export type CertItemInput = z.infer<typeof CertItemInput>;
export const CertItemPatch = CertItemInput.partial();
export type CertItemPatch = z.infer<typeof CertItemPatch>;

/** An ID number (自然人) or a unified social credit code (法人或其他组织), upper-cased. */
export const CommitmentInput = z
  .object({
    itemId: id('证明事项'),
    applicantKind: enumOf(APPLICANT_KINDS).describe('申请人类型'),
    applicantName: text('申请人', 2, 100),
    applicantIdNo: z.string().trim().toUpperCase().min(1, '不能为空').max(18).describe('证件号码'),
    businessRef: text('办理事项', 2, 200),
    orgUnitId: id('受理单位'),
    handledOn: CalendarDate.describe('承诺日期'),
  })
  .superRefine((v, ctx) => {
    if (v.applicantKind === 'person' && !isValidResidentId(v.applicantIdNo)) {
      ctx.addIssue({ code: 'custom', path: ['applicantIdNo'], message: '不是有效的 18 位居民身份证号码（校验位不符）' });
    }
    if (v.applicantKind === 'org' && !isValidCreditCode(v.applicantIdNo)) {
      ctx.addIssue({ code: 'custom', path: ['applicantIdNo'], message: '不是有效的 18 位统一社会信用代码（校验位不符）' });
    }
  });
export type CommitmentInput = z.infer<typeof CommitmentInput>;

export const VerificationInput = z.object({
  outcome: z.enum(['true', 'false']).describe('核查结果'),
  verifiedOn: CalendarDate.describe('核查日期'),
  method: enumOf(VERIFY_METHODS).describe('核查方式'),
  note: z.string().trim().max(1000, '不能超过 1000 字').nullish().describe('核查说明'),
});
export type VerificationInput = z.infer<typeof VerificationInput>;

export const LiftInput = z.object({ reason: text('提前移出理由', 5, 500) });
export type LiftInput = z.infer<typeof LiftInput>;

const paging = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};

export const CommitmentQuery = z.object({
  ...paging,
  itemId: id('证明事项').optional(),
  orgUnitId: id('受理单位').optional(),
  verifyStatus: enumOf(VERIFY_STATUSES).optional().describe('核查状态'),
  /** The sampling queue: drawn, not verified yet, earliest due first. */
  queue: z.enum(['0', '1']).optional().describe('待核查队列'),
  overdue: z.enum(['0', '1']).optional().describe('核查逾期'),
});
export type CommitmentQuery = z.infer<typeof CommitmentQuery>;
export const CommitmentExportQuery = CommitmentQuery.omit({ page: true, pageSize: true });
export type CommitmentExportQuery = z.infer<typeof CommitmentExportQuery>;

export const DishonestyQuery = z.object({
  ...paging,
  /** active=1: only entries in force (not lifted, bar period not over); default every entry. */
  active: z.enum(['0', '1']).default('0').describe('仅限制期内'),
});
export type DishonestyQuery = z.infer<typeof DishonestyQuery>;

export const CommitmentStatsQuery = z.object({
  orgUnitId: id('受理单位').optional(),
  from: CalendarDate.optional().describe('开始日期'),
  to: CalendarDate.optional().describe('结束日期'),
});
export type CommitmentStatsQuery = z.infer<typeof CommitmentStatsQuery>;

/** Fills a template's {applicant} {item} {certificate} {business} placeholders: the text the applicant signs. */
export function fillTemplate(template: string, v: Record<keyof typeof TEMPLATE_FIELDS, string>): string {
  return template.replace(/\{(applicant|item|certificate|business)\}/g, (_m, k: keyof typeof TEMPLATE_FIELDS) => v[k]);
}
