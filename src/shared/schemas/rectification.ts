import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  CATEGORY_KINDS, ITEM_LISTS, ITEM_SOURCES, ITEM_STATES, ITEM_STATUS, MAX_TEXT, RECTIFY_MODES,
  type CategoryKind, type ItemList, type ItemSource, type ItemState, type ItemStatus, type RectifyMode,
} from './rectification-labels.js';

export {
  CATEGORY_KINDS, ITEM_LISTS, ITEM_SOURCES, ITEM_STATES, ITEM_STATUS, MAX_TEXT, RECTIFY_MODES,
  type CategoryKind, type ItemList, type ItemSource, type ItemState, type ItemStatus, type RectifyMode,
};

// 查纠整改: the problem catalogue ("7+2" plus the seven disciplines) and the rectification ledger
// (整治台账 / 项目清单) with its public face. The labels (rectification-labels.ts, zod-free, re-exported
// here) are shared so the staff pages, the public page, the Excel export and the statistics say the same words.

/**
 * The national list a campaign's catalogue starts from (editable per campaign): six persistent problems
 * named nationally, the seventh left for the bureau to name, the two special actions, and the seven
 * disciplines for items outside them.
 */
export const DEFAULT_CATEGORIES: readonly { code: string; kind: CategoryKind; name: string }[] = [
  { code: 'P1', kind: 'persistent', name: '违反防止干预司法“三个规定”' },
  { code: 'P2', kind: 'persistent', name: '违规经商办企业（含配偶子女）' },
  { code: 'P3', kind: 'persistent', name: '违规参股借贷' },
  { code: 'P4', kind: 'persistent', name: '违规违法减刑、假释、暂予监外执行' },
  { code: 'P5', kind: 'persistent', name: '有案不立、压案不查、有罪不究' },
  { code: 'P6', kind: 'persistent', name: '律师和司法人员不正当接触交往、离职人员违规从事律师职业' },
  { code: 'P7', kind: 'persistent', name: '本系统第七类顽瘴痼疾（由本局确定）' },
  { code: 'S1', kind: 'special', name: '社区矫正对象脱管漏管虚管' },
  { code: 'S2', kind: 'special', name: '律师充当司法掮客' },
  { code: 'D1', kind: 'discipline', name: '政治纪律' },
  { code: 'D2', kind: 'discipline', name: '组织纪律' },
  { code: 'D3', kind: 'discipline', name: '廉洁纪律' },
  { code: 'D4', kind: 'discipline', name: '群众纪律' },
  { code: 'D5', kind: 'discipline', name: '工作纪律' },
  { code: 'D6', kind: 'discipline', name: '生活纪律' },
  { code: 'D7', kind: 'discipline', name: '作风' },
];

/** Open (not finished) items past their deadline day (Asia/Shanghai) are overdue. */
export function itemState(status: ItemStatus, deadline: string | null, today: string): ItemState {
  if ((status === 'not_started' || status === 'in_progress') && deadline && deadline < today) return 'overdue';
  return status;
}

/** How the public reports a problem, shown beside every published item. */
export const REPORTING_CHANNELS = '12345 政务服务便民热线；市司法局举报电话 0476-8888888；“开门纳谏”意见箱（/public/submit）';

const text = (label: string, max = MAX_TEXT) => z.string().trim().max(max, `不能超过 ${max} 字`).describe(label);
const id = (label: string) => z.string().trim().min(1).max(64).describe(label);

// ---------------------------------------------------------------- catalogue

export const CategoryInput = z.object({
  campaignId: id('教育整顿批次'),
  kind: z.enum(['persistent', 'special', 'discipline']).describe('类别性质'),
  name: z.string().trim().min(2, '至少 2 个字').max(100, '不能超过 100 字').describe('问题类别名称'),
  description: text('说明', 500).nullish(),
  sort: z.coerce.number().int().min(0).max(9999).optional().describe('排序'),
});
export type CategoryInput = z.infer<typeof CategoryInput>;

export const CategoryPatch = CategoryInput.omit({ campaignId: true }).partial().extend({
  enabled: z.boolean().optional().describe('启用'),
});
export type CategoryPatch = z.infer<typeof CategoryPatch>;

export const CategoryQuery = z.object({ campaignId: id('教育整顿批次').optional() });
export const CampaignRef = z.object({ campaignId: id('教育整顿批次') });

// ---------------------------------------------------------------- ledger items

const itemFields = {
  campaignId: id('教育整顿批次'),
  list: z.enum(['ledger', 'project']).default('ledger').describe('清单'),
  parentId: id('上级事项').nullish(),
  source: z.enum(Object.keys(ITEM_SOURCES) as [ItemSource, ...ItemSource[]]).default('other').describe('问题来源'),
  categoryId: id('问题类别').nullish(),
  title: z.string().trim().min(4, '至少 4 个字').max(100, '不能超过 100 字').describe('问题名称'),
  description: z.string().trim().min(5, '至少 5 个字').max(MAX_TEXT, `不能超过 ${MAX_TEXT} 字`).describe('问题描述'),
  measures: text('整改措施').nullish(),
  goal: text('整改目标', 500).nullish(),
  orgUnitId: id('责任单位'),
  responsiblePersonId: id('责任人').nullish(),
  mode: z.enum(['immediate', 'concurrent', 'deadline']).describe('整改方式'),
  startDate: CalendarDate.nullish().describe('开始日期'),
  deadline: CalendarDate.nullish().describe('完成时限'),
  isPublic: z.boolean().default(false).describe('向社会公开'),
  weight: z.coerce.number().min(0.1, '不能小于 0.1').max(100, '不能大于 100').default(1).describe('权重'),
};

function checkDates(v: { mode?: string; startDate?: string | null; deadline?: string | null }, ctx: z.RefinementCtx) {
  if (v.mode === 'deadline' && !v.deadline) ctx.addIssue({ code: 'custom', path: ['deadline'], message: '限期整治须填写完成时限' });
  if (v.startDate && v.deadline && v.deadline < v.startDate) {
    ctx.addIssue({ code: 'custom', path: ['deadline'], message: '不能早于开始日期' });
  }
}

export const ItemInput = z.object(itemFields).superRefine(checkDates);
export type ItemInput = z.infer<typeof ItemInput>;

/** Everything but the campaign, the list and the parent can be corrected; the source link stays. */
export const ItemPatch = z
  .object(itemFields)
  .omit({ campaignId: true, list: true, parentId: true, source: true })
  .partial()
  .superRefine(checkDates);
export type ItemPatch = z.infer<typeof ItemPatch>;

export const ProgressInput = z.object({
  percent: z.coerce.number().int().min(0, '不能小于 0').max(100, '不能大于 100').describe('完成进度（%）'),
  note: z.string().trim().min(2, '至少 2 个字').max(MAX_TEXT, `不能超过 ${MAX_TEXT} 字`).describe('进展情况'),
  attachmentIds: z.array(id('佐证材料')).max(20, '最多 20 个附件').default([]).describe('佐证材料'),
});
export type ProgressInput = z.infer<typeof ProgressInput>;

export const SignOffInput = z.object({
  note: z.string().trim().min(2, '至少 2 个字').max(500, '不能超过 500 字').describe('销号意见'),
});
export type SignOffInput = z.infer<typeof SignOffInput>;

export const ItemQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  campaignId: id('教育整顿批次').optional(),
  list: z.enum(['ledger', 'project']).optional().describe('清单'),
  state: z.enum(Object.keys(ITEM_STATES) as [ItemState, ...ItemState[]]).optional().describe('状态'),
  orgUnitId: id('责任单位').optional(),
  categoryId: id('问题类别').optional(),
  source: z.enum(Object.keys(ITEM_SOURCES) as [ItemSource, ...ItemSource[]]).optional().describe('问题来源'),
  /** Top-level items only (the default), or the sub-items of one item. */
  parentId: id('上级事项').optional(),
  q: z.string().trim().max(50).optional().describe('关键词'),
});
export type ItemQuery = z.infer<typeof ItemQuery>;

export const PublicItemQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(50).default(20).describe('每页条数'),
});

export const PublicRatingInput = z.object({
  rating: z.coerce.number().int().min(1, '请选择 1–5 星').max(5, '请选择 1–5 星').describe('评价'),
  comment: z.string().trim().max(200, '不能超过 200 字').nullish().describe('评价意见'),
});
