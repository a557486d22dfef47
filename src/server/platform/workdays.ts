import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';
import { shanghaiDate } from './time.js';

// Working days (工作日) in Asia/Shanghai: Monday to Friday, less the public holidays, plus the
// weekend days the State Council turns into working days (调休上班). Deadlines that a rule counts
// in working days end at 23:59:59 Beijing time of the last one. China has no daylight saving, so
// Beijing time is always UTC+8.

export interface WorkCalendar {
  /** 'YYYY-MM-DD' days off (dictionary 'holiday'). */
  holidays: Set<string>;
  /** 'YYYY-MM-DD' weekend days worked (dictionary 'makeup_workday'). */
  makeupWorkdays: Set<string>;
}

export const HOLIDAY_DICT = 'holiday';
export const MAKEUP_WORKDAY_DICT = 'makeup_workday';

export const EMPTY_CALENDAR: WorkCalendar = { holidays: new Set(), makeupWorkdays: new Set() };

function assertYmd(ymd: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd) || Number.isNaN(Date.parse(`${ymd}T00:00:00Z`))) {
    throw new Error(`not a YYYY-MM-DD date: ${ymd}`);
  }
}

/** The calendar day after (or before, for negative n) a 'YYYY-MM-DD' date. */
export function addDays(ymd: string, n: number): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function isWorkday(ymd: string, cal: WorkCalendar): boolean {
  assertYmd(ymd);
  if (cal.makeupWorkdays.has(ymd)) return true;
  if (cal.holidays.has(ymd)) return false;
  const dow = new Date(`${ymd}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** 23:59:59 Beijing time of a date, as an ISO UTC instant. */
export function endOfShanghaiDay(ymd: string): string {
  assertYmd(ymd);
  return new Date(`${ymd}T23:59:59.000+08:00`).toISOString();
}

/** The first working day on or after a date. */
export function nextWorkday(ymd: string, cal: WorkCalendar): string {
  let d = ymd;
  for (let guard = 0; !isWorkday(d, cal); guard++) {
    if (guard > 366) throw new Error('no working day within a year: check the holiday calendar');
    d = addDays(d, 1);
  }
  return d;
}

/**
 * The date n working days after the start instant's Beijing date; the start day itself is not
 * counted (期间开始之日不计入). n = 0: the start day when it is a working day, else the next one.
 */
export function addWorkdaysYmd(startIso: string, n: number, cal: WorkCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`addWorkdays: n must be a whole number ≥ 0, got ${n}`);
  const start = new Date(startIso);
  if (Number.isNaN(start.getTime())) throw new Error(`addWorkdays: bad start ${startIso}`);
  let d = shanghaiDate(start);
  if (n === 0) return nextWorkday(d, cal);
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkday(d, cal)) left--;
  }
  return d;
}

/** Deadline n working days after a start instant: the end (23:59:59 Beijing) of that working day, ISO UTC. */
export function addWorkdays(startIso: string, n: number, cal: WorkCalendar): string {
  return endOfShanghaiDay(addWorkdaysYmd(startIso, n, cal));
}

/** Working days in (from, to]: how many working days passed after `from` up to and including `to`. */
export function workdaysBetween(fromYmd: string, toYmd: string, cal: WorkCalendar): number {
  assertYmd(fromYmd);
  assertYmd(toYmd);
  if (toYmd <= fromYmd) return 0;
  let n = 0;
  for (let d = addDays(fromYmd, 1); d <= toYmd; d = addDays(d, 1)) if (isWorkday(d, cal)) n++;
  return n;
}

/** The calendar from the enabled items of the 'holiday' and 'makeup_workday' dictionaries. */
export async function loadCalendar(db: Kysely<DB>): Promise<WorkCalendar> {
  const rows = await db
    .selectFrom('dict_item')
    .select(['type_code', 'code'])
    .where('type_code', 'in', [HOLIDAY_DICT, MAKEUP_WORKDAY_DICT])
    .where('enabled', '=', 1)
    .execute();
  const cal: WorkCalendar = { holidays: new Set(), makeupWorkdays: new Set() };
  for (const r of rows) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.code)) continue;
    (r.type_code === HOLIDAY_DICT ? cal.holidays : cal.makeupWorkdays).add(r.code);
  }
  return cal;
}

// The 2026 schedule of the State Council General Office (国务院办公厅关于2026年部分节假日安排的通知,
// 2025-11-04). Item code = the date, label = the holiday. For the reference seed (dictionaries
// 'holiday' and 'makeup_workday'); next year's are added by an administrator in 数据字典.
function span(from: string, to: string, label: string): [string, string][] {
  const out: [string, string][] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push([d, label]);
  return out;
}

export const CN_2026_HOLIDAYS: [date: string, label: string][] = [
  ...span('2026-01-01', '2026-01-03', '元旦'),
  ...span('2026-02-15', '2026-02-23', '春节'),
  ...span('2026-04-04', '2026-04-06', '清明节'),
  ...span('2026-05-01', '2026-05-05', '劳动节'),
  ...span('2026-06-19', '2026-06-21', '端午节'),
  ...span('2026-09-25', '2026-09-27', '中秋节'),
  ...span('2026-10-01', '2026-10-07', '国庆节'),
];

export const CN_2026_MAKEUP_WORKDAYS: [date: string, label: string][] = [
  ['2026-01-04', '元旦调休上班'],
  ['2026-02-14', '春节调休上班'],
  ['2026-02-28', '春节调休上班'],
  ['2026-05-09', '劳动节调休上班'],
  ['2026-09-20', '国庆节调休上班'],
  ['2026-10-10', '国庆节调休上班'],
];

/** Ready to append to DICTIONARIES in seed/reference.ts. */
export const CALENDAR_DICTIONARIES = [
  { code: HOLIDAY_DICT, name: '法定节假日', description: '放假日期（编码为日期 YYYY-MM-DD）；用于按工作日计算期限', items: CN_2026_HOLIDAYS },
  { code: MAKEUP_WORKDAY_DICT, name: '调休上班日', description: '周末调休上班的日期（编码为日期 YYYY-MM-DD）', items: CN_2026_MAKEUP_WORKDAYS },
];

export function calendarFrom(holidays: Iterable<string>, makeupWorkdays: Iterable<string> = []): WorkCalendar {
  return { holidays: new Set(holidays), makeupWorkdays: new Set(makeupWorkdays) };
}
