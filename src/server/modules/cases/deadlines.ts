import { addDays, addWorkdaysYmd, nextWorkday, type WorkCalendar } from '../../platform/workdays.js';
import {
  MEDIATION_DEFAULT_DAYS, RECONSIDERATION_ACCEPT_WORKDAYS, RECONSIDERATION_DECISION_DAYS, RECONSIDERATION_MAX_EXTENSION,
} from '../../../shared/schemas/cases-labels.js';

// The statutory deadlines of 案件受理, in one place. Dates are Asia/Shanghai calendar dates.
//
// 行政复议法 (2023): the acceptance review takes 5 days counted as working days (art. 30 with art. 88:
// "三日""五日""七日""十日" are working days, holidays excluded); the decision is due 60 days after
// acceptance, natural days (art. 62), extendable once by up to 30 days. As for every period counted
// in days, the day it starts is not counted (期间开始之日不计入), and a period whose last day is a
// public holiday or weekend ends on the next working day. The calendar holds the State Council's
// holidays and make-up working days (dictionaries 'holiday' and 'makeup_workday', platform/workdays.ts);
// a year the dictionaries do not hold is counted by weekends alone.

/** The last day of a period of `days` natural days from `startYmd` (not counted), rolled to a working day. */
export function naturalDaysDeadline(startYmd: string, days: number, cal: WorkCalendar): string {
  if (!Number.isInteger(days) || days < 0) throw new Error(`days must be a whole number ≥ 0, got ${days}`);
  return nextWorkday(addDays(startYmd, days), cal);
}

export interface CaseDeadlines {
  /** Reconsideration: the last day to decide on acceptance. */
  acceptDue?: string;
  /** Reconsideration: the last day to decide (with any extension); mediation: the last day to close. */
  decisionDue?: string;
}

/**
 * Every deadline of a case, by kind:
 * - reconsideration: acceptDue = 5 working days after receipt; decisionDue (once accepted) = 60 days
 *   after acceptance plus an extension of at most 30 days, both natural days, rolled to a working day;
 * - mediation: decisionDue = periodDays (30 by default) natural days after receipt, rolled.
 */
export function caseDeadlines(
  c:
    | { kind: 'reconsideration'; receivedOn: string; acceptedOn?: string | null; extensionDays?: number | null }
    | { kind: 'mediation'; receivedOn: string; periodDays?: number | null },
  cal: WorkCalendar,
): CaseDeadlines {
  if (c.kind === 'mediation') return { decisionDue: naturalDaysDeadline(c.receivedOn, c.periodDays ?? MEDIATION_DEFAULT_DAYS, cal) };
  const ext = c.extensionDays ?? 0;
  if (ext < 0 || ext > RECONSIDERATION_MAX_EXTENSION) throw new Error(`extension must be 0..${RECONSIDERATION_MAX_EXTENSION} days, got ${ext}`);
  // addWorkdaysYmd takes an instant: noon Beijing time of the receipt day is that day.
  const acceptDue = addWorkdaysYmd(`${c.receivedOn}T12:00:00+08:00`, RECONSIDERATION_ACCEPT_WORKDAYS, cal);
  if (!c.acceptedOn) return { acceptDue };
  return { acceptDue, decisionDue: naturalDaysDeadline(c.acceptedOn, RECONSIDERATION_DECISION_DAYS + ext, cal) };
}
