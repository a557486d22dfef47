// “三个规定”记录报告 and 零报告: codes and their Chinese labels, and the period arithmetic (calendar
// quarters in Asia/Shanghai). No zod here, so a page can show them without loading the schema library;
// interference.ts re-exports them with the schemas.

/** The three regulations a record falls under. */
export const INTERFERENCE_CATEGORIES = {
  leader: '领导干部干预司法活动、插手具体案件处理',
  internal: '司法机关内部人员过问案件',
  contact: '司法人员与当事人、律师、特殊关系人、中介组织不正当接触交往',
} as const;
export type InterferenceCategory = keyof typeof INTERFERENCE_CATEGORIES;

/** Short names of the categories, for tables and charts. */
export const INTERFERENCE_CATEGORY_SHORT = {
  leader: '领导干部干预',
  internal: '内部人员过问',
  contact: '不正当接触交往',
} as const;

/** How the intervener went about it (several may apply). */
export const INTERFERENCE_MANNERS = {
  pleading: '说情打招呼',
  private_meeting: '私下会见',
  passing_materials: '转递涉案材料',
  fishing: '打探案情',
  other: '其他方式',
} as const;
export type InterferenceManner = keyof typeof INTERFERENCE_MANNERS;

/** The intervener's relation to the officer recording it. */
export const INTERVENER_RELATIONS = {
  superior: '上级领导',
  colleague: '同事',
  relative: '亲属',
  friend: '朋友、同学、老乡',
  lawyer: '律师',
  party: '当事人及其近亲属',
  intermediary: '中介组织或其人员',
  other: '其他',
} as const;
export type IntervenerRelation = keyof typeof INTERVENER_RELATIONS;

export const INTERVENER_KINDS = { internal: '本系统人员', external: '系统外人员' } as const;
export type IntervenerKind = keyof typeof INTERVENER_KINDS;

/** What the officer did about it. */
export const INTERFERENCE_HANDLING = {
  refused: '当场拒绝',
  reported: '向组织报告',
  explained: '告知纪律要求后拒绝',
  other: '其他处理方式',
} as const;
export type InterferenceHandling = keyof typeof INTERFERENCE_HANDLING;

/** Where an officer stands for a period. */
export const PERIOD_STATUS = { recorded: '已记录报告', zero: '已零报告', missing: '未报告' } as const;
export type PeriodStatus = keyof typeof PERIOD_STATUS;

/** What a 零报告 states, part of what its SM3 digest covers. */
export const ZERO_REPORT_STATEMENT = '本季度无过问干预案件情况需记录报告';

// ---- periods -------------------------------------------------------------------------------------
// The reporting period is the calendar quarter (the bureau reports “三个规定” quarterly). A record
// counts for the quarter in which the interference happened (Asia/Shanghai date); a 零报告 states
// one quarter. A period is written '2021Q2'.

export const PERIOD_PATTERN = /^(\d{4})Q([1-4])$/;

/** The quarter of a calendar date 'YYYY-MM-DD'. */
export function periodOfDate(date: string): string {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

/** First and last calendar day of a period. */
export function periodRange(period: string): { start: string; end: string } {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) throw new Error(`bad period ${period}`);
  const y = Number(m[1]);
  const q = Number(m[2]);
  const startMonth = (q - 1) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(y, endMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { start: `${y}-${pad(startMonth)}-01`, end: `${y}-${pad(endMonth)}-${pad(lastDay)}` };
}

/** The period `n` quarters after (negative: before) the given one. */
export function shiftPeriod(period: string, n: number): string {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) throw new Error(`bad period ${period}`);
  const idx = Number(m[1]) * 4 + (Number(m[2]) - 1) + n;
  return `${Math.floor(idx / 4)}Q${(idx % 4) + 1}`;
}

/** '2021Q2' → '2021年第二季度'. */
export function periodLabel(period: string): string {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) return period;
  return `${m[1]}年第${['一', '二', '三', '四'][Number(m[2]) - 1]}季度`;
}
