import { z } from 'zod';

// 自查事项报告表: one answer per catalogue item (是/否, and what when 是), a free-text report, then the
// signed pledge (签字承诺): the typed full name over the SM3 digest of the exact content.

export const SELF_CHECK_STATUS = { draft: '草稿', signed: '已签字提交', superseded: '已被更正版本替代' } as const;
export type SelfCheckStatus = keyof typeof SELF_CHECK_STATUS;

/** The pledge the signer makes, part of what the digest covers. */
export const PLEDGE_TEXT =
  '本人承诺：以上自查内容真实、完整，如有隐瞒，愿承担相应责任。本人知悉“自查从宽、被查从严”政策：主动说明的问题依规依纪从宽处理，组织查实的问题从严处理。';

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);

export const SelfCheckAnswerInput = z
  .object({
    categoryId: id('自查事项'),
    answer: z.enum(['yes', 'no']).describe('是否存在'),
    description: z.string().trim().max(2000, '不能超过 2000 字').nullish().describe('具体情况'),
  })
  .superRefine((v, ctx) => {
    if (v.answer === 'yes' && (v.description ?? '').length < 5) {
      ctx.addIssue({ code: 'custom', path: ['description'], message: '选择“是”时须说明具体情况（至少 5 个字）' });
    }
  });

export const SelfCheckDraftInput = z.object({
  campaignId: id('教育整顿批次'),
  answers: z.array(SelfCheckAnswerInput).max(100).describe('自查事项'),
  freeText: z.string().trim().max(5000, '不能超过 5000 字').nullish().describe('其他需要说明的情况'),
});
export type SelfCheckDraftInput = z.infer<typeof SelfCheckDraftInput>;

export const SelfCheckSignInput = z.object({
  campaignId: id('教育整顿批次'),
  signedName: z.string().trim().min(2, '请输入本人姓名').max(30).describe('签字（本人姓名）'),
  /** What the signer saw: the digest shown on the page; a draft changed since is refused. */
  digest: z.string().trim().regex(/^[0-9a-f]{64}$/, '摘要格式不正确').describe('内容摘要（SM3）'),
});
export type SelfCheckSignInput = z.infer<typeof SelfCheckSignInput>;

export const SelfCheckCampaignQuery = z.object({ campaignId: id('教育整顿批次').optional() });

export const SelfCheckListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  campaignId: id('教育整顿批次').optional(),
  orgUnitId: id('单位').optional(),
  /** Only the reports that declare something (是 on at least one item). */
  declared: z.enum(['0', '1']).optional().describe('仅看有说明事项的'),
});
export type SelfCheckListQuery = z.infer<typeof SelfCheckListQuery>;

export const SelfCheckMissingQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  campaignId: id('教育整顿批次').optional(),
  orgUnitId: id('单位').optional(),
});
export type SelfCheckMissingQuery = z.infer<typeof SelfCheckMissingQuery>;

export const SelfCheckReviewInput = z.object({
  note: z.string().trim().min(2, '至少 2 个字').max(500, '不能超过 500 字').describe('审核意见'),
});

export const SelfCheckRemindInput = z.object({
  campaignId: id('教育整顿批次'),
  orgUnitId: id('单位').optional(),
});
