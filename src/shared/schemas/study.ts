import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  ATTENDANCE_METHODS, COMMENDATION_KINDS, LINK_KINDS, SHARE_CATEGORIES, SHARE_KINDS, STUDY_MODE_CODES, STUDY_MODES, showHours,
  type AttendanceMethod, type CommendationKind, type LinkKind, type ShareCategory, type ShareKind, type StudyMode,
} from './study-labels.js';

export {
  ATTENDANCE_METHODS, COMMENDATION_KINDS, LINK_KINDS, SHARE_CATEGORIES, SHARE_KINDS, STUDY_MODE_CODES, STUDY_MODES, showHours,
  type AttendanceMethod, type CommendationKind, type LinkKind, type ShareCategory, type ShareKind, type StudyMode,
};

// 学习教育 "九学": activities (one session in one of the nine modes, with expected participants,
// attendance and 学时), morning-sharing series with a speaker rota, 观评 reviews, shares, roving
// supervision of party organisations and commendations. The labels (study-labels.ts, zod-free) are
// re-exported here for the pages.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);
const optText = (label: string, max: number) => z.string().trim().max(max, `不能超过 ${max} 字`).nullish().describe(label);
const Instant = z.string().trim().datetime({ offset: true, message: '应为带时区的时间（ISO 8601）' });
const page = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};
const idList = (label: string, max: number) => z.array(id(label)).max(max, `最多 ${max} 项`).describe(label);
const ids = (label: string, max: number) => idList(label, max).default([]);

const modeEnum = z.enum(STUDY_MODE_CODES as [StudyMode, ...StudyMode[]]);

/** 学时 in half hours: 0, 0.5, 1 … 24. Stored as tenths. */
export const Hours = z.coerce
  .number()
  .min(0, '不能小于 0')
  .max(24, '不能超过 24')
  .refine((v) => Number.isInteger(v * 2), '须为 0.5 的整数倍')
  .describe('学时');

export const StudyLink = z.object({
  title: text('链接名称', 1, 100),
  url: z
    .string()
    .trim()
    .max(1000, '不能超过 1000 字')
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, '须为 http:// 或 https:// 开头的网址')
    .describe('网址'),
  kind: z.enum(Object.keys(LINK_KINDS) as [LinkKind, ...LinkKind[]]).default('link').describe('类型'),
});

// Without defaults, so a correction (ActivityPatch) leaves what it does not name alone.
const activityFields = {
  mode: modeEnum.describe('学习方式（“九学”）'),
  title: text('活动名称', 2, 100),
  topicId: id('学习专题').nullish(),
  campaignId: id('教育整顿批次').nullish(),
  startsAt: Instant.describe('开始时间'),
  endsAt: Instant.describe('结束时间'),
  place: optText('地点', 200),
  orgUnitId: id('组织单位'),
  partyOrgId: id('党组织').nullish(),
  speaker: optText('主讲人', 100),
  speakerPersonId: id('主讲人（本系统人员）').nullish(),
  summary: optText('内容摘要', 5000),
  links: z.array(StudyLink).max(20, '最多 20 个链接').describe('学习资料链接'),
  hours: Hours,
  targetUnitIds: idList('参加单位', 200),
  targetPersonIds: idList('参加人员', 2000),
  attachmentIds: idList('学习资料附件', 20),
};

const timesOk = (v: { startsAt?: string; endsAt?: string }, ctx: z.RefinementCtx) => {
  if (v.startsAt && v.endsAt) {
    const s = Date.parse(v.startsAt);
    const e = Date.parse(v.endsAt);
    if (e <= s) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '须晚于开始时间' });
    else if (e - s > 31 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '一次活动不能超过 31 天' });
  }
};

export const ActivityInput = z
  .object({
    ...activityFields,
    links: activityFields.links.default([]),
    targetUnitIds: activityFields.targetUnitIds.default([]),
    targetPersonIds: activityFields.targetPersonIds.default([]),
    attachmentIds: activityFields.attachmentIds.default([]),
  })
  .superRefine((v, ctx) => {
    timesOk(v, ctx);
    if (!v.targetUnitIds.length && !v.targetPersonIds.length) {
      ctx.addIssue({ code: 'custom', path: ['targetUnitIds'], message: '至少选择一个参加单位或参加人员' });
    }
  });
export type ActivityInput = z.infer<typeof ActivityInput>;

/** A correction: any field; targets, when given, replace the old ones (both lists together). */
export const ActivityPatch = z.object(activityFields).partial().superRefine(timesOk);
export type ActivityPatch = z.infer<typeof ActivityPatch>;

export const ActivityQuery = z.object({
  ...page,
  campaignId: id('教育整顿批次').optional(),
  mode: modeEnum.optional().describe('学习方式'),
  orgUnitId: id('组织单位').optional(),
  topicId: id('学习专题').optional(),
  from: CalendarDate.optional().describe('开始日期'),
  to: CalendarDate.optional().describe('结束日期'),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

export const AttendanceInput = z.object({
  personIds: z.array(id('参加人员')).min(1, '至少 1 人').max(2000, '一次最多 2000 人').describe('参加人员'),
  method: z.literal('list').default('list').describe('签到方式'),
});
export type AttendanceInput = z.infer<typeof AttendanceInput>;

export const CheckinInput = z.object({
  activityId: id('学习活动'),
  code: z.string().trim().min(1, '不能为空').max(64).describe('签到码'),
});
export type CheckinInput = z.infer<typeof CheckinInput>;

export const PageQuery = z.object(page);
export type PageQuery = z.infer<typeof PageQuery>;

export const MyQuery = z.object({ ...page, campaignId: id('教育整顿批次').optional() });
export type MyQuery = z.infer<typeof MyQuery>;

const HHMM = z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '应为 HH:MM 格式的时间');

export const SeriesInput = z
  .object({
    title: text('系列名称', 2, 80),
    mode: modeEnum.default('sharing').describe('学习方式（“九学”）'),
    campaignId: id('教育整顿批次').nullish(),
    topicId: id('学习专题').nullish(),
    orgUnitId: id('组织单位'),
    startsOn: CalendarDate.describe('开始日期'),
    endsOn: CalendarDate.describe('结束日期'),
    startTime: HHMM.describe('每日开始时间'),
    minutes: z.coerce.number().int('须为整数').min(5, '不能少于 5 分钟').max(480, '不能超过 480 分钟').describe('每次时长（分钟）'),
    place: optText('地点', 200),
    rotaPersonIds: z.array(id('轮值主讲人')).min(1, '至少 1 名主讲人').max(200, '最多 200 人').describe('轮值主讲人'),
    targetUnitIds: ids('参加单位', 200),
    targetPersonIds: ids('参加人员', 2000),
    hours: Hours,
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: '不能早于开始日期' });
    else if (Date.parse(v.endsOn) - Date.parse(v.startsOn) > 365 * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: '一个系列最长 366 天' });
    }
    if (new Set(v.rotaPersonIds).size !== v.rotaPersonIds.length) ctx.addIssue({ code: 'custom', path: ['rotaPersonIds'], message: '有重复的人员' });
    if (!v.targetUnitIds.length && !v.targetPersonIds.length) {
      ctx.addIssue({ code: 'custom', path: ['targetUnitIds'], message: '至少选择一个参加单位或参加人员' });
    }
  });
export type SeriesInput = z.infer<typeof SeriesInput>;

export const ReviewInput = z.object({ body: text('观评内容', 20, 5000) });
export type ReviewInput = z.infer<typeof ReviewInput>;

export const ShareInput = z
  .object({
    kind: z.enum(Object.keys(SHARE_KINDS) as [ShareKind, ...ShareKind[]]).describe('形式'),
    category: z.enum(Object.keys(SHARE_CATEGORIES) as [ShareCategory, ...ShareCategory[]]).describe('类别'),
    title: text('标题', 2, 100),
    body: optText('内容', 10_000),
    audioFileId: id('音频文件').nullish(),
    campaignId: id('教育整顿批次').nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'audio' && !v.audioFileId) ctx.addIssue({ code: 'custom', path: ['audioFileId'], message: '音频分享须上传音频文件' });
    if (v.kind === 'text' && !v.body) ctx.addIssue({ code: 'custom', path: ['body'], message: '文字分享须填写内容' });
    if (v.kind === 'text' && v.audioFileId) ctx.addIssue({ code: 'custom', path: ['audioFileId'], message: '文字分享不能带音频' });
  });
export type ShareInput = z.infer<typeof ShareInput>;

export const ShareQuery = z.object({
  ...page,
  campaignId: id('教育整顿批次').optional(),
  /** The day's shares (Asia/Shanghai). */
  date: CalendarDate.optional().describe('发布日期'),
  /** Staff only (study:read): the hidden ones in their scope. */
  status: z.enum(['published', 'hidden']).optional().describe('状态'),
  category: z.enum(Object.keys(SHARE_CATEGORIES) as [ShareCategory, ...ShareCategory[]]).optional().describe('类别'),
});
export type ShareQuery = z.infer<typeof ShareQuery>;

export const VisitInput = z.object({
  campaignId: id('教育整顿批次').nullish(),
  partyOrgId: id('党组织'),
  visitedOn: CalendarDate.describe('指导日期'),
  team: text('指导组成员', 2, 200),
  findings: text('发现的问题及指导意见', 5, 5000),
  followUp: optText('整改要求', 2000),
  followUpDue: CalendarDate.nullish().describe('整改期限'),
});
export type VisitInput = z.infer<typeof VisitInput>;

export const VisitPatch = VisitInput.omit({ campaignId: true, partyOrgId: true }).partial();
export type VisitPatch = z.infer<typeof VisitPatch>;

export const FollowUpDoneInput = z.object({
  doneOn: CalendarDate.describe('整改完成日期'),
  result: text('整改结果', 2, 2000),
});
export type FollowUpDoneInput = z.infer<typeof FollowUpDoneInput>;

export const VisitQuery = z.object({
  ...page,
  campaignId: id('教育整顿批次').optional(),
  /** open: a follow-up asked for and not done yet. */
  followUp: z.enum(['open', 'done']).optional().describe('整改情况'),
});
export type VisitQuery = z.infer<typeof VisitQuery>;

export const CoverageQuery = z.object({ campaignId: id('教育整顿批次').optional() });
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const CommendationInput = z
  .object({
    campaignId: id('教育整顿批次').nullish(),
    kind: z.enum(Object.keys(COMMENDATION_KINDS) as [CommendationKind, ...CommendationKind[]]).describe('类型'),
    partyOrgId: id('党组织').nullish(),
    personId: id('人员').nullish(),
    title: text('荣誉称号', 2, 50),
    conferredBy: text('授予单位', 2, 100),
    conferredOn: CalendarDate.describe('授予日期'),
    reason: text('主要事迹', 5, 5000),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'party_org' && !v.partyOrgId) ctx.addIssue({ code: 'custom', path: ['partyOrgId'], message: '请选择党组织' });
    if (v.kind === 'person' && !v.personId) ctx.addIssue({ code: 'custom', path: ['personId'], message: '请选择人员' });
  });
export type CommendationInput = z.infer<typeof CommendationInput>;

export const CommendationPatch = z.object({
  title: text('荣誉称号', 2, 50).optional(),
  conferredBy: text('授予单位', 2, 100).optional(),
  conferredOn: CalendarDate.optional().describe('授予日期'),
  reason: text('主要事迹', 5, 5000).optional(),
});
export type CommendationPatch = z.infer<typeof CommendationPatch>;

export const CommendationQuery = z.object({
  ...page,
  kind: z.enum(Object.keys(COMMENDATION_KINDS) as [CommendationKind, ...CommendationKind[]]).optional().describe('类型'),
});
export type CommendationQuery = z.infer<typeof CommendationQuery>;
