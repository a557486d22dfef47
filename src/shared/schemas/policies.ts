import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  POLICY_AUDIENCES, POLICY_CATEGORIES, POLICY_VERSION_STATUS, type PolicyAudience, type PolicyCategory, type PolicyVersionStatus,
} from './policy-labels.js';

export { POLICY_AUDIENCES, POLICY_CATEGORIES, POLICY_VERSION_STATUS, type PolicyAudience, type PolicyCategory, type PolicyVersionStatus };

// 制度文件: a document (title, 文号, category, issuing unit, who must acknowledge) and its versions
// (effective date, text and/or files, change note); each person acknowledges a version once.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);

export const PolicyVersionInput = z
  .object({
    effectiveOn: CalendarDate.describe('施行日期'),
    body: z.string().trim().max(50_000, '不能超过 50000 字').nullish().describe('正文'),
    changeNote: z.string().trim().max(1000, '不能超过 1000 字').nullish().describe('修订说明'),
    attachmentIds: z.array(id('附件')).max(10).default([]).describe('附件'),
  })
  .superRefine((v, ctx) => {
    if ((v.body ?? '').length < 10 && !v.attachmentIds.length) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: '请填写正文（至少 10 个字）或上传附件' });
    }
  });
export type PolicyVersionInput = z.infer<typeof PolicyVersionInput>;

export const PolicyInput = z
  .object({
    title: text('制度名称', 4, 100),
    docNo: z.string().trim().max(60, '不能超过 60 字').nullish().describe('文号'),
    category: z.enum(Object.keys(POLICY_CATEGORIES) as [PolicyCategory, ...PolicyCategory[]]).describe('类别'),
    issuingUnitId: id('发文单位'),
    audience: z.enum(Object.keys(POLICY_AUDIENCES) as [PolicyAudience, ...PolicyAudience[]]).default('issuer').describe('阅知范围'),
    audienceUnitIds: z.array(id('阅知单位')).max(100).default([]).describe('阅知单位'),
    version: PolicyVersionInput,
  })
  .superRefine((v, ctx) => {
    if (v.audience === 'units' && !v.audienceUnitIds.length) ctx.addIssue({ code: 'custom', path: ['audienceUnitIds'], message: '请选择阅知单位' });
  });
export type PolicyInput = z.infer<typeof PolicyInput>;

export const PolicyAckInput = z.object({
  versionId: id('版本'),
  signedName: z.string().trim().min(2, '请输入本人姓名').max(30).describe('确认（本人姓名）'),
});
export type PolicyAckInput = z.infer<typeof PolicyAckInput>;

export const PolicyQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  category: z.enum(Object.keys(POLICY_CATEGORIES) as [PolicyCategory, ...PolicyCategory[]]).optional().describe('类别'),
  q: z.string().trim().max(50).optional().describe('名称或文号'),
});
export type PolicyQuery = z.infer<typeof PolicyQuery>;

export const PolicyCoverageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  versionId: id('版本').optional(),
  orgUnitId: id('单位').optional(),
});
export type PolicyCoverageQuery = z.infer<typeof PolicyCoverageQuery>;
