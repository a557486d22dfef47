// Labels of 法律志愿服务进乡村“1155”工程 (village1155), zod-free: shared by the server, the staff pages and
// the light field app on the cadre's phone.

/** 嘎查村/社区的类别. */
export const VILLAGE_KINDS = { gacha: '嘎查', village: '村', community: '社区' } as const;
export type VillageKind = keyof typeof VILLAGE_KINDS;

export const PAIRING_STATUSES = { active: '结对中', ended: '已结束' } as const;
export type PairingStatus = keyof typeof PAIRING_STATUSES;

/** A pairing's term: five years from its start year. */
export const PAIRING_TERM_YEARS = 5;
/** Per cadre per year: at least this many services and this many visits. */
export const YEARLY_SERVICES = 5;
export const YEARLY_VISITS = 5;

export const RECORD_TYPES = { service: '法律服务', visit: '走访' } as const;
export type RecordType = keyof typeof RECORD_TYPES;

export const SERVICE_KINDS = {
  consultation: '法律咨询',
  mediation: '矛盾纠纷调解',
  publicity: '法治宣传',
  aid_referral: '法律援助转介',
  document_help: '代写法律文书',
  contract_review: '合同审查',
  other: '其他法律服务',
} as const;
export type ServiceKind = keyof typeof SERVICE_KINDS;

/** The five deliverables of a paired village (GLOSSARY: deliverable kinds). */
export const DELIVERABLE_KINDS = {
  legal_understander: '培养 1 名法律明白人',
  rule_of_law_leader: '培育 1 名法治带头人',
  law_class: '讲授 1 堂法治课',
  dispute_resolved: '化解至少 1 件矛盾纠纷或信访案件',
  service_room: '建成 1 个公共法律服务室',
} as const;
export type DeliverableKind = keyof typeof DELIVERABLE_KINDS;

export const DELIVERABLE_STATUSES = { pending: '未完成', in_progress: '推进中', done: '已完成' } as const;
export type DeliverableStatus = keyof typeof DELIVERABLE_STATUSES;

/** 达标状态 of a cadre's year (see modules/village/compliance.ts for the rule). */
export const COMPLIANCE_STATES = { met: '已达标', at_risk: '有风险', behind: '滞后' } as const;
export type ComplianceState = keyof typeof COMPLIANCE_STATES;
