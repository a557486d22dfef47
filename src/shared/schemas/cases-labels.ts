// 行政复议 and 企业矛盾纠纷调解 case codes and their Chinese labels (zod-free, shared with the pages).

export const RECONSIDERATION_STATUSES = {
  received: '已收到申请',
  accepted: '已受理',
  not_accepted: '不予受理',
  decided: '已作出决定',
  withdrawn: '申请人撤回',
} as const;
export type ReconsiderationStatus = keyof typeof RECONSIDERATION_STATUSES;

export const RECONSIDERATION_OUTCOMES = {
  upheld: '维持',
  revoked: '撤销',
  varied: '变更',
  unlawful: '确认违法',
  perform: '责令履行',
  dismissed: '驳回',
  mediated: '调解',
  settled: '和解',
  terminated: '终止',
} as const;
export type ReconsiderationOutcome = keyof typeof RECONSIDERATION_OUTCOMES;

export const MEDIATION_STATUSES = { mediating: '调解中', closed: '已结案', withdrawn: '当事人撤回' } as const;
export type MediationStatus = keyof typeof MEDIATION_STATUSES;

export const MEDIATION_OUTCOMES = { success: '调解成功', failed: '调解不成', litigation: '转诉讼仲裁' } as const;
export type MediationOutcome = keyof typeof MEDIATION_OUTCOMES;

export const DISPUTE_TYPES = {
  contract: '合同纠纷',
  debt: '债权债务纠纷',
  labour: '劳动争议',
  partnership: '股权合伙纠纷',
  ip: '知识产权纠纷',
  tort: '侵权纠纷',
  other: '其他纠纷',
} as const;
export type DisputeType = keyof typeof DISPUTE_TYPES;

/** Statutory periods (days): 行政复议法 (2023) art. 30 (5 working days to decide on acceptance), art. 62 (60 days, once extendable by ≤ 30). */
export const RECONSIDERATION_ACCEPT_WORKDAYS = 5;
export const RECONSIDERATION_DECISION_DAYS = 60;
export const RECONSIDERATION_MAX_EXTENSION = 30;
export const MEDIATION_DEFAULT_DAYS = 30;
