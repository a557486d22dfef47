import { z } from 'zod';
import { phoneField } from './phone.js';
import { MAX_CONTENT } from './opinions.js';

// 座谈会: a meeting held to hear opinions; its attendees and the opinions raised there.

export const ATTENDEE_KINDS = { internal: '本系统干警', external: '外部代表' } as const;

/** A real calendar day, not merely the shape of one (2026-02-30 is refused). */
export const CalendarDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '应为 YYYY-MM-DD 格式的日期')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, '不是有效的日期');

// One object with a kind rather than a discriminated union, so a bad field is named by its label.
export const AttendeeInput = z
  .object({
    kind: z.enum(['internal', 'external']).describe('参会人员类型'),
    personId: z.string().trim().min(1).max(64).nullish().describe('参会干警'),
    name: z.string().trim().min(1).max(50).nullish().describe('参会人员姓名'),
    organization: z.string().trim().max(100).nullish().describe('参会人员单位'),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'internal' && !v.personId) ctx.addIssue({ code: 'custom', path: ['personId'], message: '本系统干警须选择人员' });
    if (v.kind === 'external' && !v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: '外部代表须填写姓名' });
  });
export type AttendeeInput = z.infer<typeof AttendeeInput>;

/** An opinion raised at the meeting; it becomes an opinion with channel 'symposium'. */
export const SymposiumOpinionInput = z
  .object({
    content: z
      .string()
      .trim()
      .min(5, '至少 5 个字')
      .max(MAX_CONTENT, `不能超过 ${MAX_CONTENT} 字`)
      .describe('意见内容'),
    category: z.string().trim().max(50).nullish().describe('意见类别'),
    identity: z.enum(['named', 'anonymous']).describe('提交方式'),
    name: z.string().trim().min(1).max(30).nullish().describe('提出人姓名'),
    phone: phoneField({ allowEmpty: true }).nullish().describe('提出人电话'),
  })
  .superRefine((v, ctx) => {
    // At a meeting the speaker is known by name; a phone is welcome but not required.
    if (v.identity === 'named' && !v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: '实名意见须填写提出人姓名' });
  });
export type SymposiumOpinionInput = z.infer<typeof SymposiumOpinionInput>;

const attendees = z
  .array(AttendeeInput)
  .min(1, '至少 1 名参会人员')
  .max(500, '最多 500 名参会人员')
  .describe('参会人员');
const opinions = z.array(SymposiumOpinionInput).max(200, '一次最多录入 200 条意见').describe('意见建议');

const fields = {
  title: z.string().trim().min(1, '不能为空').max(200).describe('座谈会主题'),
  heldOn: CalendarDate.describe('召开日期'),
  host: z.string().trim().min(1, '不能为空').max(50).describe('主持人'),
  location: z.string().trim().max(200).nullish().describe('地点'),
  summary: z.string().trim().max(10_000).nullish().describe('会议纪要'),
};

export const SymposiumInput = z.object({
  ...fields,
  orgUnitId: z.string().trim().min(1).max(64).describe('组织单位'),
  campaignId: z.string().trim().max(64).nullish().describe('教育整顿批次'),
  attendees,
  opinions: opinions.optional(),
});
export type SymposiumInput = z.infer<typeof SymposiumInput>;

export const SymposiumPatch = z.object({
  title: fields.title.optional(),
  heldOn: fields.heldOn.optional(),
  host: fields.host.optional(),
  location: fields.location,
  summary: fields.summary,
  attendees: attendees.optional(),
});
export type SymposiumPatch = z.infer<typeof SymposiumPatch>;

export const SymposiumOpinionsInput = z.object({
  opinions: opinions.min(1, '至少 1 条意见'),
});
export type SymposiumOpinionsInput = z.infer<typeof SymposiumOpinionsInput>;

export const SymposiumQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  q: z.string().trim().max(100).optional().describe('关键字'),
});
export type SymposiumQuery = z.infer<typeof SymposiumQuery>;
