// 学习教育's codes and their Chinese labels ("九学" modes, share kinds, question types...). No zod
// here, so a page can show them without loading the schema library; study.ts re-exports them.

export const STUDY_MODES = {
  self_study: '集中自学',
  lecture: '宣讲导学',
  expert: '专家解读助学',
  secretary_led: '支部书记领学',
  reading_film: '读书班及影视作品研学',
  sharing: '分享促学',
  event_follow: '重要活动跟学',
  supervision: '巡回指导督学',
  evaluation: '评价体系评学',
} as const;
export type StudyMode = keyof typeof STUDY_MODES;
export const STUDY_MODE_CODES = Object.keys(STUDY_MODES) as StudyMode[];

export const ATTENDANCE_METHODS = { qr: '扫码签到', list: '名单登记' } as const;
export type AttendanceMethod = keyof typeof ATTENDANCE_METHODS;

export const LINK_KINDS = { link: '链接', audio: '音频', video: '视频' } as const;
export type LinkKind = keyof typeof LINK_KINDS;

export const SHARE_KINDS = { text: '文字', audio: '音频' } as const;
export type ShareKind = keyof typeof SHARE_KINDS;
export const SHARE_CATEGORIES = {
  reading: '原文领读',
  red_story: '红色故事',
  feeling: '学习感悟',
  other: '其他',
} as const;
export type ShareCategory = keyof typeof SHARE_CATEGORIES;

export const COMMENDATION_KINDS = { party_org: '先进党组织', person: '先进个人' } as const;
export type CommendationKind = keyof typeof COMMENDATION_KINDS;

export const QUESTION_TYPES = {
  single: '单选题',
  multiple: '多选题',
  judge: '判断题',
  blank: '填空题',
  essay: '简答题',
} as const;
export type QuestionType = keyof typeof QUESTION_TYPES;
export const OBJECTIVE_TYPES: readonly QuestionType[] = ['single', 'multiple', 'judge', 'blank'];

export const DIFFICULTIES = { 1: '易', 2: '中', 3: '难' } as const;
export type Difficulty = 1 | 2 | 3;

export const EXAM_KINDS = { online_objective: '线上客观测试', offline_subjective: '线下主观题考试' } as const;
export type ExamKind = keyof typeof EXAM_KINDS;
export const PAPER_MODES = { fixed: '固定试卷', random: '按规则随机组卷' } as const;
export type PaperMode = keyof typeof PAPER_MODES;
export const EXAM_STATUS = { draft: '草稿', published: '已发布' } as const;
export const ATTEMPT_STATUS = { in_progress: '作答中', submitted: '待阅卷', graded: '已评分' } as const;
export type AttemptStatus = keyof typeof ATTEMPT_STATUS;

/** Scores are kept in tenths of a point; shown with at most one decimal. */
export const showScore = (tenths: number | null | undefined) => (tenths == null ? '—' : String(Math.round(tenths) / 10));
/** Hours (学时) are kept in tenths of an hour. */
export const showHours = (tenths: number | null | undefined) => (tenths == null ? '—' : String(Math.round(tenths) / 10));
