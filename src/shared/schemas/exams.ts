import { z } from 'zod';
import { CalendarDate } from './symposiums.js';
import {
  DIFFICULTIES, EXAM_KINDS, OBJECTIVE_TYPES, PAPER_MODES, QUESTION_TYPES,
  type Difficulty, type ExamKind, type PaperMode, type QuestionType,
} from './study-labels.js';

export { DIFFICULTIES, EXAM_KINDS, OBJECTIVE_TYPES, PAPER_MODES, QUESTION_TYPES, type Difficulty, type ExamKind, type PaperMode, type QuestionType };

// 专题 and their exams. A question's answer is stored by type:
//   single   "B"                      one option key
//   multiple ["A","C"]                option keys, sorted
//   judge    true | false
//   blank    [["十九大","党的十九大"], ["人民"]]   per blank (＿＿ in the stem), the accepted answers
//   essay    "reference answer"       marked by hand
// Scoring (stated to the user in the README and the exam page):
//   single, judge: all or nothing; multiple: every right option and no wrong one = full marks, some
//   right options and no wrong one = half, any wrong option = 0; blank: the points split evenly over
//   the blanks, each blank right when it equals an accepted answer after trimming, ignoring spaces,
//   letter case and full-/half-width forms; essay: by hand, 0 to full in half points.

const id = (label: string) => z.string().trim().min(1).max(64).describe(label);
const text = (label: string, min: number, max: number) =>
  z.string().trim().min(min, `至少 ${min} 个字`).max(max, `不能超过 ${max} 字`).describe(label);
const optText = (label: string, max: number) => z.string().trim().max(max, `不能超过 ${max} 字`).nullish().describe(label);

export const TopicInput = z
  .object({
    campaignId: id('教育整顿批次'),
    title: text('专题名称', 2, 100),
    description: optText('专题说明', 2000),
    startsOn: CalendarDate.nullish().describe('开始日期'),
    endsOn: CalendarDate.nullish().describe('结束日期'),
    onlineWeight: z.coerce.number().int('须为整数').min(0, '不能小于 0').max(100, '不能大于 100').default(40).describe('线上测试权重（%）'),
    offlineWeight: z.coerce.number().int('须为整数').min(0, '不能小于 0').max(100, '不能大于 100').default(60).describe('线下考试权重（%）'),
    passScore: z.coerce.number().int('须为整数').min(0).max(100, '不能大于 100').default(60).describe('专题合格分（百分制）'),
  })
  .superRefine((v, ctx) => {
    if (v.onlineWeight + v.offlineWeight !== 100) ctx.addIssue({ code: 'custom', path: ['offlineWeight'], message: '线上、线下权重之和须为 100' });
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: '不能早于开始日期' });
  });
export type TopicInput = z.infer<typeof TopicInput>;

export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export type OptionKey = (typeof OPTION_KEYS)[number];

export const QuestionOption = z.object({
  key: z.enum(OPTION_KEYS).describe('选项'),
  text: text('选项内容', 1, 500),
});

/** One object with a type rather than a union, so a bad field is named by its label. */
export const QuestionInput = z
  .object({
    topicId: id('专题'),
    type: z.enum(Object.keys(QUESTION_TYPES) as [QuestionType, ...QuestionType[]]).describe('题型'),
    difficulty: z.coerce.number().int().min(1, '难度为 1–3').max(3, '难度为 1–3').default(2).describe('难度'),
    stem: text('题干', 2, 2000),
    options: z.array(QuestionOption).max(8, '最多 8 个选项').default([]).describe('选项'),
    answer: z.union([z.string().max(5000), z.boolean(), z.array(z.string().max(200)).max(8), z.array(z.array(z.string().trim().min(1).max(200)).min(1).max(10)).max(20)]).describe('答案'),
    explanation: optText('解析', 2000),
  })
  .superRefine((v, ctx) => {
    const bad = (message: string, path = 'answer') => ctx.addIssue({ code: 'custom', path: [path], message });
    const keys = v.options.map((o) => o.key);
    if (v.type === 'single' || v.type === 'multiple') {
      if (v.options.length < 2) return bad('选择题至少 2 个选项', 'options');
      if (new Set(keys).size !== keys.length) return bad('选项字母重复', 'options');
      if (keys.some((k, i) => k !== OPTION_KEYS[i])) return bad('选项须从 A 起依次排列', 'options');
    } else if (v.options.length) return bad('该题型没有选项', 'options');
    if (v.type === 'single' && !(typeof v.answer === 'string' && keys.includes(v.answer as OptionKey))) bad('单选题答案须为一个选项字母');
    if (v.type === 'multiple') {
      const a = v.answer;
      if (!Array.isArray(a) || a.length < 2 || a.some((x) => typeof x !== 'string' || !keys.includes(x as OptionKey)) || new Set(a as string[]).size !== a.length) {
        bad('多选题答案须为至少两个不同的选项字母');
      }
    }
    if (v.type === 'judge' && typeof v.answer !== 'boolean') bad('判断题答案须为“正确”或“错误”');
    if (v.type === 'blank') {
      const a = v.answer;
      const blanks = blankCount(v.stem);
      if (!Array.isArray(a) || !a.length || a.some((x) => !Array.isArray(x))) bad('填空题答案须按空列出');
      else if (blanks && blanks !== a.length) bad(`题干有 ${blanks} 个空，答案有 ${a.length} 个`);
    }
    if (v.type === 'essay' && typeof v.answer !== 'string') bad('简答题参考答案须为文字');
  });
export type QuestionInput = z.infer<typeof QuestionInput>;

/** Blanks in a stem: runs of underscores (half- or full-width) or empty brackets （ ）. */
export function blankCount(stem: string): number {
  return (stem.match(/[_＿]{2,}|（\s*）|\(\s*\)/g) ?? []).length;
}

export const QuestionQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  topicId: id('专题'),
  type: z.enum(Object.keys(QUESTION_TYPES) as [QuestionType, ...QuestionType[]]).optional().describe('题型'),
  difficulty: z.coerce.number().int().min(1).max(3).optional().describe('难度'),
  status: z.enum(['active', 'retired']).default('active').describe('状态'),
});
export type QuestionQuery = z.infer<typeof QuestionQuery>;

/** A rule of a random paper: this many questions of the type (and difficulty), each worth these points. */
export const PaperRule = z.object({
  type: z.enum(Object.keys(QUESTION_TYPES) as [QuestionType, ...QuestionType[]]).describe('题型'),
  difficulty: z.coerce.number().int().min(1).max(3).nullish().describe('难度'),
  count: z.coerce.number().int('须为整数').min(1, '至少 1 题').max(200, '最多 200 题').describe('题数'),
  points: z.coerce.number().min(0.5, '每题至少 0.5 分').max(100).multipleOf(0.5, '分值须为 0.5 的整数倍').describe('每题分值'),
});
export type PaperRule = z.infer<typeof PaperRule>;

export const FixedQuestion = z.object({
  questionId: id('试题'),
  points: z.coerce.number().min(0.5, '每题至少 0.5 分').max(100).multipleOf(0.5, '分值须为 0.5 的整数倍').describe('分值'),
});

const Instant = z.string().trim().datetime({ offset: true, message: '应为带时区的时间' });

export const ExamInput = z
  .object({
    topicId: id('专题'),
    kind: z.enum(Object.keys(EXAM_KINDS) as [ExamKind, ...ExamKind[]]).describe('考试类型'),
    title: text('考试名称', 2, 100),
    orgUnitId: id('组织单位'),
    opensAt: Instant.describe('开始时间'),
    closesAt: Instant.describe('结束时间'),
    durationMinutes: z.coerce.number().int().min(1, '至少 1 分钟').max(600, '最多 600 分钟').nullish().describe('答题时限（分钟）'),
    fullScore: z.coerce.number().int().min(1).max(1000).nullish().describe('满分'),
    passScore: z.coerce.number().min(0).max(1000).describe('及格分'),
    paperMode: z.enum(Object.keys(PAPER_MODES) as [PaperMode, ...PaperMode[]]).nullish().describe('组卷方式'),
    rules: z.array(PaperRule).max(20).default([]).describe('组卷规则'),
    questions: z.array(FixedQuestion).max(500).default([]).describe('试题'),
    shuffleQuestions: z.boolean().default(true).describe('题目乱序'),
    shuffleOptions: z.boolean().default(true).describe('选项乱序'),
    targetUnitIds: z.array(id('参考单位')).max(200).default([]).describe('参考单位'),
    targetPersonIds: z.array(id('参考人员')).max(2000).default([]).describe('参考人员'),
  })
  .superRefine((v, ctx) => {
    const bad = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.closesAt <= v.opensAt && new Date(v.closesAt) <= new Date(v.opensAt)) bad('closesAt', '须晚于开始时间');
    if (!v.targetUnitIds.length && !v.targetPersonIds.length) bad('targetUnitIds', '请选择参考单位或参考人员');
    if (v.kind === 'online_objective') {
      if (!v.durationMinutes) bad('durationMinutes', '线上测试须设置答题时限');
      if (!v.paperMode) bad('paperMode', '请选择组卷方式');
      if (v.paperMode === 'random' && !v.rules.length) bad('rules', '随机组卷至少 1 条规则');
      if (v.paperMode === 'fixed' && !v.questions.length) bad('questions', '固定试卷至少 1 道题');
      if (v.paperMode === 'fixed' && new Set(v.questions.map((q) => q.questionId)).size !== v.questions.length) bad('questions', '试题重复');
    } else if (!v.fullScore) bad('fullScore', '线下考试须填写满分');
  });
export type ExamInput = z.infer<typeof ExamInput>;

export const ExamQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  topicId: id('专题').optional(),
});
export type ExamQuery = z.infer<typeof ExamQuery>;

export const AttemptSave = z.object({
  answers: z.record(z.string().max(64), z.union([z.string().max(5000), z.boolean(), z.array(z.string().max(500)).max(20), z.null()])).describe('作答'),
  tabSwitches: z.coerce.number().int().min(0).max(100000).optional().describe('切屏次数'),
  /** The version the client last saw: an older tab's save does not overwrite a newer one. */
  version: z.coerce.number().int().min(0).optional().describe('版本'),
});
export type AttemptSave = z.infer<typeof AttemptSave>;

export const MarkInput = z.object({
  marks: z.record(z.string().max(64), z.coerce.number().min(0).multipleOf(0.5, '须为 0.5 的整数倍')).describe('简答题得分'),
});
export type MarkInput = z.infer<typeof MarkInput>;

export const OfflineScoreInput = z.object({
  scores: z
    .array(z.object({ personId: id('干警'), score: z.coerce.number().min(0, '不能小于 0').multipleOf(0.5, '须为 0.5 的整数倍').describe('成绩') }))
    .min(1)
    .max(2000)
    .describe('成绩'),
});
export type OfflineScoreInput = z.infer<typeof OfflineScoreInput>;

export const ResultQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  status: z.enum(['in_progress', 'submitted', 'graded']).optional().describe('状态'),
  orgUnitId: id('单位').optional(),
});
export type ResultQuery = z.infer<typeof ResultQuery>;
