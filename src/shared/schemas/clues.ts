import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import { phoneField } from './phone.js';
import {
  CLUE_SOURCES, CLUE_STAGES, DISPOSAL_METHODS, DISPOSITIONS, LENIENCY, VERIFICATION_OUTCOMES,
  type ClueSource, type ClueStage, type DisposalMethod, type Disposition, type Leniency, type VerificationOutcome,
} from './clue-labels.js';

export {
  CLUE_SOURCES, CLUE_STAGES, DISPOSAL_METHODS, DISPOSITIONS, LENIENCY, VERIFICATION_OUTCOMES,
  type ClueSource, type ClueStage, type DisposalMethod, type Disposition, type Leniency, type VerificationOutcome,
};

// 问题线索 (restricted): the payloads of registration, the four disposal methods, verification and
// disposition. The labels (clue-labels.ts, zod-free, re-exported here) are shared with the staff pages.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);

export const ClueInput = z
  .object({
    campaignId: id('教育整顿批次'),
    source: z.enum(Object.keys(CLUE_SOURCES) as [ClueSource, ...ClueSource[]]).describe('线索来源'),
    categoryId: id('问题类别').nullish(),
    summary: z.string().trim().min(10, '至少 10 个字').max(5000, '不能超过 5000 字').describe('线索内容'),
    receivedOn: CalendarDate.describe('收到日期'),
    subjects: z
      .array(z.object({ personId: id('涉及人员').nullish(), orgUnitId: id('涉及单位').nullish() }))
      .min(1, '至少填写 1 名涉及人员或 1 个涉及单位')
      .max(20)
      .describe('涉及人员或单位'),
    reporterName: z.string().trim().max(30).nullish().describe('举报人姓名'),
    reporterPhone: phoneField({ allowEmpty: true }).nullish().describe('举报人电话'),
    attachmentIds: z.array(id('证据材料')).max(20).default([]).describe('证据材料'),
  })
  .superRefine((v, ctx) => {
    v.subjects.forEach((s, i) => {
      if (!s.personId && !s.orgUnitId) ctx.addIssue({ code: 'custom', path: ['subjects', i, 'personId'], message: '请选择涉及人员或涉及单位' });
    });
  });
export type ClueInput = z.infer<typeof ClueInput>;

export const ClueDisposeInput = z.object({
  method: z.enum(Object.keys(DISPOSAL_METHODS) as [DisposalMethod, ...DisposalMethod[]]).describe('处置方式'),
  due: CalendarDate.nullish().describe('办理期限'),
  note: z.string().trim().min(2, '至少 2 个字').max(2000).describe('处置意见'),
});

export const ClueVerifyInput = z.object({
  outcome: z.enum(Object.keys(VERIFICATION_OUTCOMES) as [VerificationOutcome, ...VerificationOutcome[]]).describe('核实结果'),
  verifiedOn: CalendarDate.describe('核实日期'),
  note: z.string().trim().min(2, '至少 2 个字').max(5000).describe('核实情况'),
});

export const ClueCloseInput = z.object({
  disposition: z.enum(Object.keys(DISPOSITIONS) as [Disposition, ...Disposition[]]).describe('处理结果'),
  closedOn: CalendarDate.describe('办结日期'),
  note: z.string().trim().min(2, '至少 2 个字').max(2000).describe('处理情况'),
});

export const ClueQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  campaignId: id('教育整顿批次').optional(),
  stage: z.enum(['registered', 'disposing', 'verified', 'closed']).optional().describe('办理阶段'),
  source: z.enum(Object.keys(CLUE_SOURCES) as [ClueSource, ...ClueSource[]]).optional().describe('线索来源'),
});
export type ClueQuery = z.infer<typeof ClueQuery>;
