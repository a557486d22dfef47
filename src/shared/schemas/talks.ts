import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  MUST_TALK_REASONS, PROBLEM_KINDS, TALK_TOPICS, type MustTalkReason, type ProblemKind, type TalkTopic,
} from './talk-labels.js';

export { MUST_TALK_REASONS, PROBLEM_KINDS, TALK_TOPICS, type MustTalkReason, type ProblemKind, type TalkTopic };

// 谈心谈话: rounds per campaign; a talk has a talker, one or more talkees, the reason it was required
// (六个必谈, or none for a routine talk), the topics covered (八谈), a summary and follow-ups.
// 民主生活会: a meeting, its attendees, and the problems raised there, each turned into a ledger item.
// The labels (talk-labels.ts, zod-free, re-exported here) are shared with the staff pages.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);

export const TalkRoundInput = z
  .object({
    campaignId: id('教育整顿批次'),
    round: z.coerce.number().int().min(1).max(20).describe('轮次'),
    name: text('名称', 2, 50),
    startDate: CalendarDate.nullish().describe('开始日期'),
    endDate: CalendarDate.nullish().describe('结束日期'),
  })
  .superRefine((v, ctx) => {
    if (v.startDate && v.endDate && v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: '不能早于开始日期' });
  });
export type TalkRoundInput = z.infer<typeof TalkRoundInput>;

export const TalkInput = z.object({
  roundId: id('谈话轮次'),
  talkerPersonId: id('谈话人'),
  talkeePersonIds: z.array(id('谈话对象')).min(1, '至少 1 名谈话对象').max(50, '一次最多 50 名谈话对象').describe('谈话对象'),
  heldOn: CalendarDate.describe('谈话日期'),
  reason: z.enum(Object.keys(MUST_TALK_REASONS) as [MustTalkReason, ...MustTalkReason[]]).nullish().describe('必谈情形'),
  topics: z
    .array(z.enum(Object.keys(TALK_TOPICS) as [TalkTopic, ...TalkTopic[]]))
    .min(1, '至少选择 1 项谈话内容')
    .max(8)
    .describe('谈话内容'),
  summary: text('谈话情况', 10, 5000),
  followUp: z.string().trim().max(2000, '不能超过 2000 字').nullish().describe('后续跟进'),
});
export type TalkInput = z.infer<typeof TalkInput>;

/**
 * 更正谈话记录: any part of it. Changing the round, the date or who took part re-checks them as a new
 * talk would be (scope, the round's dates, no duplicates, the talker not among the talkees); the record
 * follows its talker to their unit.
 */
export const TalkPatch = TalkInput.partial();
export type TalkPatch = z.infer<typeof TalkPatch>;

export const TalkQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  roundId: id('谈话轮次').optional(),
  campaignId: id('教育整顿批次').optional(),
  orgUnitId: id('单位').optional(),
  personId: id('干警').optional(),
});
export type TalkQuery = z.infer<typeof TalkQuery>;

export const TalkCoverageQuery = z.object({
  roundId: id('谈话轮次').optional(),
  campaignId: id('教育整顿批次').optional(),
  orgUnitId: id('单位').optional(),
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
});
export type TalkCoverageQuery = z.infer<typeof TalkCoverageQuery>;

export const LifeMeetingProblemInput = z.object({
  kind: z.enum(['self_criticism', 'criticism', 'found']).describe('问题类型'),
  personId: id('问题所涉人员').nullish(),
  description: text('问题', 5, 2000),
  /** The ledger item it becomes: what will be done and by when. */
  measures: z.string().trim().max(2000).nullish().describe('整改措施'),
  deadline: CalendarDate.nullish().describe('完成时限'),
  orgUnitId: id('责任单位').nullish(),
});

export const LifeMeetingInput = z.object({
  campaignId: id('教育整顿批次'),
  orgUnitId: id('召开单位'),
  title: text('会议名称', 4, 100),
  heldOn: CalendarDate.describe('召开日期'),
  host: text('主持人', 2, 50),
  location: z.string().trim().max(100).nullish().describe('地点'),
  summary: z.string().trim().max(5000).nullish().describe('会议情况'),
  attendeePersonIds: z.array(id('参会人员')).min(1, '至少 1 名参会人员').max(200).describe('参会人员'),
  problems: z.array(LifeMeetingProblemInput).max(100).default([]).describe('查摆的问题'),
});
export type LifeMeetingInput = z.infer<typeof LifeMeetingInput>;

export const LifeMeetingQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  campaignId: id('教育整顿批次').optional(),
});
