import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  DISPUTE_TYPES, MEDIATION_DEFAULT_DAYS, MEDIATION_OUTCOMES, MEDIATION_STATUSES, RECONSIDERATION_ACCEPT_WORKDAYS,
  RECONSIDERATION_DECISION_DAYS, RECONSIDERATION_MAX_EXTENSION, RECONSIDERATION_OUTCOMES, RECONSIDERATION_STATUSES,
} from './cases-labels.js';
import { isValidCreditCode } from './commitments-labels.js';

export {
  DISPUTE_TYPES, MEDIATION_DEFAULT_DAYS, MEDIATION_OUTCOMES, MEDIATION_STATUSES, RECONSIDERATION_ACCEPT_WORKDAYS,
  RECONSIDERATION_DECISION_DAYS, RECONSIDERATION_MAX_EXTENSION, RECONSIDERATION_OUTCOMES, RECONSIDERATION_STATUSES,
};

// 案件受理: 行政复议申请 (reconsiderationCase) and 企业矛盾纠纷调解 (mediationCase), with their
// statutory deadlines computed by the server (modules/cases/deadlines.ts).

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);
const enumOf = <T extends Record<string, string>>(o: T) => z.enum(Object.keys(o) as [keyof T & string, ...(keyof T & string)[]]);
const optText = (label: string, max: number) => z.string().trim().max(max, `不能超过 ${max} 字`).nullish().describe(label);

export const ReconsiderationInput = z.object({
  caseNo: optText('案号', 50),
  applicant: text('申请人', 2, 100),
  respondent: text('被申请人', 2, 100),
  act: text('被申请复议的行政行为', 4, 1000),
  request: optText('复议请求', 2000),
  receivedOn: CalendarDate.describe('收到申请日期'),
  orgUnitId: id('承办单位'),
});
export type ReconsiderationInput = z.infer<typeof ReconsiderationInput>;

/** 受理审查: accepted (the 60 days start) or not accepted (with the reason), within 5 working days of receipt. */
export const AcceptanceInput = z
  .object({
    accepted: z.boolean().describe('是否受理'),
    decidedOn: CalendarDate.describe('受理审查日期'),
    reason: optText('不予受理理由', 1000),
  })
  .superRefine((v, ctx) => {
    if (!v.accepted && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: '不予受理须写明理由' });
  });
export type AcceptanceInput = z.infer<typeof AcceptanceInput>;

export const ExtensionInput = z.object({
  days: z.coerce.number().int('须为整数').min(1, '至少 1 天').max(RECONSIDERATION_MAX_EXTENSION, `最多延长 ${RECONSIDERATION_MAX_EXTENSION} 日`).describe('延长天数'),
  reason: text('延期理由', 5, 500),
});
export type ExtensionInput = z.infer<typeof ExtensionInput>;

export const ReconsiderationDecisionInput = z.object({
  outcome: enumOf(RECONSIDERATION_OUTCOMES).describe('复议结果'),
  decidedOn: CalendarDate.describe('决定日期'),
  note: optText('决定摘要', 2000),
});
export type ReconsiderationDecisionInput = z.infer<typeof ReconsiderationDecisionInput>;

export const WithdrawInput = z.object({ withdrawnOn: CalendarDate.describe('撤回日期'), note: optText('说明', 1000) });
export type WithdrawInput = z.infer<typeof WithdrawInput>;

export const PartyInput = z.object({
  name: text('当事人', 2, 100),
  code: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => v === '' || isValidCreditCode(v), '不是有效的 18 位统一社会信用代码（校验位不符）')
    .nullish()
    .describe('统一社会信用代码'),
});

export const MediationInput = z.object({
  caseNo: optText('案号', 50),
  parties: z.array(PartyInput).min(2, '至少 2 方当事人').max(10, '最多 10 方当事人').describe('当事人'),
  disputeType: enumOf(DISPUTE_TYPES).describe('纠纷类型'),
  amount: z.coerce.number().int('以元为单位的整数').min(0, '不能为负数').max(100_000_000_000, '金额过大').nullish().describe('涉案金额（元）'),
  summary: text('纠纷概要', 4, 2000),
  mediatorPersonId: id('调解员'),
  orgUnitId: id('承办单位'),
  receivedOn: CalendarDate.describe('受理日期'),
  periodDays: z.coerce.number().int('须为整数').min(1, '至少 1 天').max(180, '不能超过 180 天').default(MEDIATION_DEFAULT_DAYS).describe('调解期限（天）'),
});
export type MediationInput = z.infer<typeof MediationInput>;

export const MediationCloseInput = z.object({
  outcome: enumOf(MEDIATION_OUTCOMES).describe('调解结果'),
  closedOn: CalendarDate.describe('结案日期'),
  note: optText('结案说明', 2000),
});
export type MediationCloseInput = z.infer<typeof MediationCloseInput>;

const listFilters = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  orgUnitId: id('承办单位').optional(),
  overdue: z.enum(['0', '1']).optional().describe('仅逾期'),
  from: CalendarDate.optional().describe('收到日期起'),
  to: CalendarDate.optional().describe('收到日期止'),
};

export const ReconsiderationQuery = z.object({ ...listFilters, status: enumOf(RECONSIDERATION_STATUSES).optional().describe('状态') });
export type ReconsiderationQuery = z.infer<typeof ReconsiderationQuery>;
export const MediationQuery = z.object({ ...listFilters, status: enumOf(MEDIATION_STATUSES).optional().describe('状态') });
export type MediationQuery = z.infer<typeof MediationQuery>;

