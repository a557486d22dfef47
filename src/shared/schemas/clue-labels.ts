// 问题线索's codes and their Chinese labels (sources, the four disposal methods, verification outcomes,
// dispositions, stages, 自查从宽/被查从严). No zod here, so a page can show them without loading the schema
// library; clues.ts re-exports them with the schemas.

export const CLUE_SOURCES = {
  self_check: '自查自纠',
  tip_off: '举报',
  data_screening: '智能化数据排查',
  case_review: '涉法涉诉案件清查',
  other: '其他',
} as const;
export type ClueSource = keyof typeof CLUE_SOURCES;

export const DISPOSAL_METHODS = {
  talk_inquiry: '谈话函询',
  preliminary_verification: '初步核实',
  shelved: '暂存待查',
  concluded: '予以了结',
} as const;
export type DisposalMethod = keyof typeof DISPOSAL_METHODS;

export const VERIFICATION_OUTCOMES = { true: '属实', partly_true: '部分属实', untrue: '不属实', unverifiable: '无法查实' } as const;
export type VerificationOutcome = keyof typeof VERIFICATION_OUTCOMES;

export const DISPOSITIONS = {
  education: '批评教育',
  admonishment: '诫勉',
  organisational: '组织处理',
  disciplinary: '纪律处分',
  transfer: '移送纪检监察机关',
  none: '不予处理',
} as const;
export type Disposition = keyof typeof DISPOSITIONS;

export const CLUE_STAGES = { registered: '待处置', disposing: '处置中', verified: '已核实', closed: '已办结' } as const;
export type ClueStage = keyof typeof CLUE_STAGES;

export const LENIENCY = { self_reported: '自查从宽', found_by_investigation: '被查从严' } as const;
export type Leniency = keyof typeof LENIENCY;
