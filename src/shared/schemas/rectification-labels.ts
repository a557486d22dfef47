// 查纠整改's codes and their Chinese labels (the catalogue's kinds, the ledger's sources, modes, lists
// and states). No zod here, so a page can show them without loading the schema library;
// rectification.ts re-exports them with the schemas.

/** 顽瘴痼疾 (persistent problems), 专项整治 (the two special actions), 七个方面纪律 (everything else). */
export const CATEGORY_KINDS = { persistent: '顽瘴痼疾', special: '专项整治', discipline: '纪律作风' } as const;
export type CategoryKind = keyof typeof CATEGORY_KINDS;

/** Where a ledger item came from. */
export const ITEM_SOURCES = {
  opinion: '开门纳谏意见',
  clue: '问题线索',
  self_check: '自查自纠',
  life_meeting: '民主生活会',
  symposium: '座谈会',
  data_screening: '智能化数据排查',
  inspection: '督导检查',
  other: '其他',
} as const;
export type ItemSource = keyof typeof ITEM_SOURCES;

/** 即查即治 / 边查边治 / 限期整治. */
export const RECTIFY_MODES = { immediate: '即查即治', concurrent: '边查边治', deadline: '限期整治' } as const;
export type RectifyMode = keyof typeof RECTIFY_MODES;

/** 台账 (problems to fix) or 项目清单 (projects for the people): opinions adopt into either. */
export const ITEM_LISTS = { ledger: '整治台账', project: '项目清单' } as const;
export type ItemList = keyof typeof ITEM_LISTS;

/** Stored states; 已逾期 is not stored but read off the deadline (see itemState). */
export const ITEM_STATUS = { not_started: '未开始', in_progress: '整改中', done: '已完成', signed_off: '已销号' } as const;
export type ItemStatus = keyof typeof ITEM_STATUS;
/** What lists, filters and the public page show: the stored state, or 已逾期 past the deadline. */
export const ITEM_STATES = { ...ITEM_STATUS, overdue: '已逾期' } as const;
export type ItemState = keyof typeof ITEM_STATES;

/** The longest description, measures or progress note. */
export const MAX_TEXT = 2000;
