import { YEARLY_SERVICES, YEARLY_VISITS, type ComplianceState } from '../../../shared/schemas/village-labels.js';
import { shanghaiDate } from '../../platform/time.js';

// The 1155 yearly rule and how the board judges a cadre's year so far.
//
// - A record belongs to the year of its date (held_on, an Asia/Shanghai calendar date): a visit on
//   12-31 at 23:30 in the village is that year's, whatever the UTC clock says.
// - Elapsed fraction of year Y on Shanghai date D: (days of Y up to and including D) / (days in Y);
//   1 for a year that has ended, 0 for one not begun.
// - Projected year-end count = floor(count so far / elapsed fraction): a linear projection of the pace
//   so far (the count itself when the year is over).
// - State:
//     met      — at least 5 services AND at least 5 visits dated in the year so far;
//     at_risk  — not met yet, but for services and for visits alike one more record today would put the
//                projection at 5 or more: (count + 1) / fraction ≥ 5, i.e. at most one record below the
//                straight line from 0 on 1 January to 5 on 31 December. Records come one at a time, so a
//                cadre exactly on pace spends part of every interval one record under the line; without
//                this one-record allowance they would flicker to "behind" between two visits, and
//                nobody could be anything but "behind" in early January;
//     behind   — not met, and more than one record below that line for services or visits (the pace so
//                far will not reach 5 by 31 December without catching up). After the year ends,
//                everything not met is behind.

const DAY = 86_400_000;

export function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY;
}

/** The share of `year` elapsed on Shanghai date `today` (YYYY-MM-DD), counting today as elapsed. */
export function elapsedFraction(year: number, today: string): number {
  const y = Number(today.slice(0, 4));
  if (y > year) return 1;
  if (y < year) return 0;
  const day = (Date.parse(`${today}T00:00:00Z`) - Date.UTC(year, 0, 1)) / DAY + 1;
  return day / daysInYear(year);
}

export function project(count: number, fraction: number): number {
  if (fraction >= 1 || fraction <= 0) return count;
  return Math.floor(count / fraction + 1e-9);
}

/** Within one record of the linear pace: (count + 1) / fraction ≥ target, kept in integers-and-multiplication. */
function onPace(count: number, target: number, fraction: number): boolean {
  return count >= target || (fraction > 0 && count + 1 >= target * fraction - 1e-9);
}

export function judge(services: number, visits: number, fraction: number): { state: ComplianceState; projectedServices: number; projectedVisits: number } {
  const projectedServices = project(services, fraction);
  const projectedVisits = project(visits, fraction);
  let state: ComplianceState;
  if (services >= YEARLY_SERVICES && visits >= YEARLY_VISITS) state = 'met';
  else if (fraction < 1 && onPace(services, YEARLY_SERVICES, fraction) && onPace(visits, YEARLY_VISITS, fraction)) state = 'at_risk';
  else state = 'behind';
  return { state, projectedServices, projectedVisits };
}

/** This year in Asia/Shanghai and today's date there. */
export function shanghaiToday(now: Date): { year: number; today: string } {
  const today = shanghaiDate(now);
  return { year: Number(today.slice(0, 4)), today };
}
