// 谈心谈话 and 民主生活会's codes and their Chinese labels (六个必谈, 八谈, the kinds of problem a life
// meeting raises). No zod here, so a page can show them without loading the schema library; talks.ts
// re-exports them with the schemas.

export const MUST_TALK_REASONS = {
  thought: '思想出现波动时',
  post_change: '岗位职务调整时',
  criticised: '受到批评或处理时',
  family: '家庭出现重大变故时',
  conflict: '发生矛盾纠纷时',
  warning_sign: '出现不良苗头倾向时',
} as const;
export type MustTalkReason = keyof typeof MUST_TALK_REASONS;

export const TALK_TOPICS = {
  ideology: '谈思想认识',
  work: '谈工作作风',
  integrity: '谈廉洁自律',
  family: '谈家庭情况',
  social: '谈社会交往',
  problems: '谈存在问题',
  rectification: '谈整改措施',
  suggestions: '谈意见建议',
} as const;
export type TalkTopic = keyof typeof TALK_TOPICS;

export const PROBLEM_KINDS = { self_criticism: '自我批评', criticism: '相互批评', found: '查摆问题' } as const;
export type ProblemKind = keyof typeof PROBLEM_KINDS;
