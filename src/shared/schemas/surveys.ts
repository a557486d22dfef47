import { z } from 'zod';

// 调查问卷: the builder's payloads, the public response, and the labels the pages show.

export const SURVEY_STATUS = { draft: '草稿', published: '已发布', closed: '已结束' } as const;
export type SurveyStatus = keyof typeof SURVEY_STATUS;

export const QUESTION_KINDS = { single: '单选题', multiple: '多选题', rating: '评分题（1–5 分）', text: '填空题' } as const;
export type QuestionKind = keyof typeof QUESTION_KINDS;

export const MAX_QUESTIONS = 50;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;
/** Longest free-text answer, in characters. */
export const MAX_TEXT_ANSWER = 1000;

export const QuestionInput = z
  .object({
    kind: z.enum(['single', 'multiple', 'rating', 'text']).describe('题型'),
    title: z.string().trim().min(1, '不能为空').max(200).describe('题干'),
    options: z
      .array(z.string().trim().min(1, '不能为空').max(100).describe('选项'))
      .max(MAX_OPTIONS, `最多 ${MAX_OPTIONS} 个选项`)
      .nullish()
      .describe('选项'),
    required: z.boolean().default(true).describe('是否必答'),
  })
  .superRefine((q, ctx) => {
    const opts = q.options ?? [];
    if (q.kind === 'single' || q.kind === 'multiple') {
      if (opts.length < MIN_OPTIONS) {
        ctx.addIssue({ code: 'custom', path: ['options'], message: `单选、多选题须有 ${MIN_OPTIONS}–${MAX_OPTIONS} 个选项` });
      }
      const seen = new Set<string>();
      opts.forEach((o, i) => {
        if (seen.has(o)) ctx.addIssue({ code: 'custom', path: ['options', i], message: `“${o}”与前面的选项重复` });
        seen.add(o);
      });
    } else if (opts.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: '评分题、填空题不设选项' });
    }
  });
export type QuestionInput = z.infer<typeof QuestionInput>;

const questions = z
  .array(QuestionInput)
  .min(1, '至少 1 道题目')
  .max(MAX_QUESTIONS, `最多 ${MAX_QUESTIONS} 道题目`)
  .describe('题目');

const fields = {
  title: z.string().trim().min(1, '不能为空').max(200).describe('问卷标题'),
  description: z.string().trim().max(2000).nullish().describe('问卷说明'),
  campaignId: z.string().trim().max(64).nullish().describe('教育整顿批次'),
};

export const SurveyInput = z.object({
  ...fields,
  onePerDevice: z.boolean().default(true).describe('每台设备限填一次'),
  questions,
});
export type SurveyInput = z.infer<typeof SurveyInput>;

// Written out rather than SurveyInput.partial(): a default inside a partial would reset
// onePerDevice on every patch that leaves it out.
export const SurveyPatch = z.object({
  title: fields.title.optional(),
  description: fields.description,
  campaignId: fields.campaignId,
  onePerDevice: z.boolean().optional().describe('每台设备限填一次'),
  questions: questions.optional(),
});
export type SurveyPatch = z.infer<typeof SurveyPatch>;

export const SurveyQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  status: z.enum(['draft', 'published', 'closed']).optional().describe('状态'),
});
export type SurveyQuery = z.infer<typeof SurveyQuery>;

/** One answer: an option (single), options (multiple), 1–5 (rating) or text. Checked against its question on the server. */
export type SurveyAnswer = string | string[] | number;

export const SurveyResponseInput = z.object({
  deviceId: z.string().uuid('格式不正确').describe('设备标识'),
  // Checked question by question on the server, so each message can name the question.
  answers: z.record(z.string().max(64), z.unknown()).describe('答案'),
  /** Honeypot: a field people never see; bots fill it. */
  website: z.string().max(200).optional().describe('网址'),
  altcha: z.string().max(5000).optional().describe('人机验证'),
});
export type SurveyResponseInput = z.infer<typeof SurveyResponseInput>;
