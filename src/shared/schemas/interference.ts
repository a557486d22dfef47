import { z } from 'zod';
import {
  INTERFERENCE_CATEGORIES, INTERFERENCE_CATEGORY_SHORT, INTERFERENCE_HANDLING, INTERFERENCE_MANNERS, INTERVENER_KINDS, INTERVENER_RELATIONS,
  PERIOD_PATTERN, PERIOD_STATUS, ZERO_REPORT_STATEMENT, periodLabel, periodOfDate, periodRange, shiftPeriod,
  type InterferenceCategory, type InterferenceHandling, type InterferenceManner, type IntervenerKind, type IntervenerRelation, type PeriodStatus,
} from './interference-labels.js';

export {
  INTERFERENCE_CATEGORIES, INTERFERENCE_CATEGORY_SHORT, INTERFERENCE_HANDLING, INTERFERENCE_MANNERS, INTERVENER_KINDS, INTERVENER_RELATIONS,
  PERIOD_PATTERN, PERIOD_STATUS, ZERO_REPORT_STATEMENT, periodLabel, periodOfDate, periodRange, shiftPeriod,
  type InterferenceCategory, type InterferenceHandling, type InterferenceManner, type IntervenerKind, type IntervenerRelation, type PeriodStatus,
};

// “三个规定”记录报告 (restricted) and 零报告: what an officer records or states, and the queries of the
// coverage and restricted views. The labels (interference-labels.ts) are shared with the staff pages.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);
const enumOf = <T extends Record<string, string>>(m: T, label: string) =>
  z.enum(Object.keys(m) as [keyof T & string, ...(keyof T & string)[]]).describe(label);

export const Period = z.string().trim().regex(PERIOD_PATTERN, '应为“年份Q季度”格式，如 2021Q2').describe('报告期（季度）');

export const InterferenceInput = z
  .object({
    category: enumOf(INTERFERENCE_CATEGORIES, '情形（三个规定）'),
    intervenerKind: enumOf(INTERVENER_KINDS, '过问干预人类别'),
    /** An internal intervener: a person of the platform (any unit; it must exist). */
    intervenerPersonId: id('过问干预人').nullish(),
    /** An outside intervener: by name. */
    intervenerName: z.string().trim().max(30, '不能超过 30 字').nullish().describe('过问干预人姓名'),
    intervenerPost: z.string().trim().max(100, '不能超过 100 字').nullish().describe('过问干预人单位职务'),
    intervenerRelation: enumOf(INTERVENER_RELATIONS, '与本人关系'),
    caseRef: text('涉及案件（案号或案件名称）', 2, 200),
    manners: z.array(enumOf(INTERFERENCE_MANNERS, '方式')).min(1, '至少选择 1 种方式').max(5).describe('过问干预方式'),
    occurredAt: z.string().trim().datetime({ offset: true, message: '应为带时区的时间（ISO 8601）' }).describe('发生时间'),
    requestText: text('过问干预的具体内容', 5, 5000),
    handling: enumOf(INTERFERENCE_HANDLING, '处理方式'),
    handlingNote: z.string().trim().max(2000, '不能超过 2000 字').nullish().describe('处理情况'),
    attachmentIds: z.array(id('附件')).max(10).default([]).describe('附件'),
  })
  .superRefine((v, ctx) => {
    if (v.intervenerKind === 'internal' && !v.intervenerPersonId) {
      ctx.addIssue({ code: 'custom', path: ['intervenerPersonId'], message: '本系统人员须选择过问干预人' });
    }
    if (v.intervenerKind === 'external' && (v.intervenerName ?? '').length < 1) {
      ctx.addIssue({ code: 'custom', path: ['intervenerName'], message: '系统外人员须填写姓名' });
    }
    if (new Set(v.manners).size !== v.manners.length) ctx.addIssue({ code: 'custom', path: ['manners'], message: '方式有重复' });
  });
export type InterferenceInput = z.infer<typeof InterferenceInput>;

export const ZeroReportInput = z.object({
  period: Period,
  signedName: z.string().trim().min(2, '请输入本人姓名').max(30).describe('签字（本人姓名）'),
});
export type ZeroReportInput = z.infer<typeof ZeroReportInput>;

const paging = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};

export const MyInterferenceQuery = z.object({ ...paging });
export type MyInterferenceQuery = z.infer<typeof MyInterferenceQuery>;

export const InterferenceQuery = z.object({
  ...paging,
  period: Period.optional(),
  category: enumOf(INTERFERENCE_CATEGORIES, '情形').optional(),
});
export type InterferenceQuery = z.infer<typeof InterferenceQuery>;

export const InterferenceCoverageQuery = z.object({
  ...paging,
  period: Period.optional(),
  orgUnitId: id('单位').optional(),
});
export type InterferenceCoverageQuery = z.infer<typeof InterferenceCoverageQuery>;

/** 催报: the quarter (default the current one) and optionally one unit's subtree within the caller's scope. */
export const InterferenceRemindInput = z.object({
  period: Period.optional(),
  orgUnitId: id('单位').optional(),
});
export type InterferenceRemindInput = z.infer<typeof InterferenceRemindInput>;

export const InterferenceStatsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('年度'),
  orgUnitId: id('单位').optional(),
});
export type InterferenceStatsQuery = z.infer<typeof InterferenceStatsQuery>;
