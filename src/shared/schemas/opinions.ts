import { z } from 'zod';
import { phoneField } from './phone.js';
import { isValidYmd } from './campaigns.js';

export const OPINION_STATUS = {
  received: '已受理',
  assigned: '办理中',
  replied: '已答复',
  rejected: '不予受理',
  merged: '已合并办理',
} as const;
export type OpinionStatus = keyof typeof OPINION_STATUS;

export const CHANNELS = {
  portal: '门户网站',
  wechat: '微信公众号',
  mini_program: '小程序',
  questionnaire: '调查问卷',
  window_card: '征求意见卡',
  suggestion_box: '意见箱',
  symposium: '座谈会',
  field_visit: '走访调研',
  hotline: '电话',
} as const;
export type Channel = keyof typeof CHANNELS;
/** Channels staff enter by hand (the others arrive online). */
export const OFFLINE_CHANNELS = ['window_card', 'suggestion_box', 'symposium', 'field_visit', 'hotline', 'questionnaire'] as const;

export const IDENTITY = { named: '实名（面对面）', anonymous: '匿名（背对背）' } as const;
export const ADOPTION_TARGETS = { ledger: '整治台账', project: '项目清单' } as const;

export const MAX_CONTENT = 2000;

const phone = phoneField().describe('联系电话');

/** Fields shared by every way an opinion comes in. */
const OpinionCore = z.object({
  category: z.string().trim().max(50).nullish().describe('类别'),
  content: z
    .string()
    .trim()
    .min(5, '至少 5 个字')
    .max(MAX_CONTENT, `不能超过 ${MAX_CONTENT} 字`)
    .describe('意见内容'),
  identity: z.enum(['named', 'anonymous']).describe('提交方式'),
  name: z.string().trim().min(1).max(30).nullish().describe('姓名'),
  phone: phone.nullish(),
  wantsContact: z.boolean().optional().describe('希望联系'),
  location: z
    .object({
      text: z.string().trim().max(200).nullish().describe('地点'),
      lat: z.number().min(-90).max(90).nullish().describe('纬度'),
      lon: z.number().min(-180).max(180).nullish().describe('经度'),
    })
    .nullish()
    .describe('地点'),
});

function requireIdentity<T extends { identity: string; name?: string | null; phone?: string | null }>(v: T, ctx: z.RefinementCtx) {
  if (v.identity === 'named') {
    if (!v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: '实名提交须填写姓名' });
    if (!v.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: '实名提交须填写联系电话' });
  }
}

export const PublicOpinionInput = OpinionCore.extend({
  attachments: z
    .array(z.object({ id: z.string().min(1).max(64), token: z.string().min(1).max(200) }))
    .max(3, '最多 3 个附件')
    .optional()
    .describe('附件'),
  /** Honeypot: a field people never see; bots fill it. */
  website: z.string().max(200).optional().describe('网址'),
  altcha: z.string().max(5000).optional().describe('人机验证'),
  clientRequestId: z.string().uuid().optional().describe('请求编号'),
}).superRefine(requireIdentity);
export type PublicOpinionInput = z.infer<typeof PublicOpinionInput>;

export const StaffOpinionInput = OpinionCore.extend({
  channel: z.enum(Object.keys(CHANNELS) as [Channel]).describe('征求渠道'),
  attachmentIds: z.array(z.string().min(1).max(64)).max(10).optional().describe('附件'),
  // A real calendar day: '2026-13-45' used to pass the pattern and crash the insert with a 500.
  receivedOn: z.string().refine(isValidYmd, '应为有效日期（YYYY-MM-DD）').optional().describe('收到日期'),
  campaignId: z.string().max(64).optional().describe('教育整顿批次'),
}).superRefine(requireIdentity);
export type StaffOpinionInput = z.infer<typeof StaffOpinionInput>;

export const OpinionQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  q: z.string().trim().max(100).optional().describe('全文检索'),
  category: z.string().max(50).optional().describe('类别'),
  channel: z.string().max(50).optional().describe('渠道'),
  unitId: z.string().max(64).optional().describe('承办单位'),
  status: z.enum(Object.keys(OPINION_STATUS) as [OpinionStatus]).optional().describe('状态'),
  identity: z.enum(['named', 'anonymous']).optional().describe('提交方式'),
  from: z.string().refine(isValidYmd, '应为有效日期（YYYY-MM-DD）').optional().describe('开始日期'),
  to: z.string().refine(isValidYmd, '应为有效日期（YYYY-MM-DD）').optional().describe('结束日期'),
  campaignId: z.string().max(64).optional().describe('批次'),
  overdue: z.enum(['0', '1']).optional().describe('仅超期'),
});
export type OpinionQuery = z.infer<typeof OpinionQuery>;

export const AssignInput = z.object({
  unitId: z.string().min(1).max(64).describe('承办单位'),
  workdays: z.number().int().min(1).max(60).describe('办理期限（工作日）'),
  note: z.string().trim().max(500).optional().describe('分办说明'),
});
export const ReplyInput = z.object({
  reply: z.string().trim().min(2).max(MAX_CONTENT).describe('答复内容'),
});
export const MergeInput = z.object({ intoId: z.string().min(1).max(64).describe('合并到') });
export const RejectInput = z.object({ reason: z.string().trim().min(2).max(500).describe('不予受理理由') });
export const CategorizeInput = z.object({ category: z.string().trim().min(1).max(50).describe('类别') });
export const AdoptInput = z.object({
  target: z.enum(['ledger', 'project']).describe('纳入'),
  title: z.string().trim().min(2).max(200).describe('事项名称'),
  note: z.string().trim().max(1000).optional().describe('说明'),
});
export const RatingInput = z.object({
  score: z.number().int().min(1, '应为 1–5 分').max(5, '应为 1–5 分').describe('评分'),
  comment: z.string().trim().max(500).optional().describe('评价内容'),
});
