// The API shapes of “三个规定”记录报告 (src/server/modules/interference), their query keys and the
// quarters a page offers. Light on purpose (every interference page loads it first).
import { periodLabel, shiftPeriod } from '../../../../shared/schemas/interference-labels.js';

export const MINE_KEY = '/api/interference/mine';
export const MY_RECORDS_KEY = '/api/interference/mine/records';
export const RECORDS_KEY = '/api/interference/records';
export const COVERAGE_KEY = '/api/interference/coverage';
export const MISSING_KEY = '/api/interference/missing';
export const STATS_KEY = '/api/interference/stats';

export interface ZeroReport {
  id: string;
  period: string;
  periodLabel: string;
  statement: string;
  signedName: string;
  signedAt: string;
  digest: string;
  intact: boolean;
  superseded: boolean;
}

export interface Mine {
  canRecord: boolean;
  personName: string | null;
  statement: string;
  currentPeriod: string;
  periods: { period: string; periodLabel: string; status: 'recorded' | 'zero' | 'missing'; statusLabel: string; records: number; zeroReport: ZeroReport | null }[];
  zeroReports: ZeroReport[];
}

export interface RecordRow {
  id: string;
  recordNo: string;
  period: string;
  periodLabel: string;
  categoryLabel: string;
  intervenerKindLabel: string;
  mannerLabels: string[];
  occurredAt: string;
  handlingLabel: string;
  recorderName: string;
  orgUnitName: string;
}

export interface RecordDetail extends RecordRow {
  own: boolean;
  intervener: { personId: string | null; name: string; unitName: string | null; post: string | null; relationLabel: string };
  caseRef: string;
  requestText: string;
  handlingNote: string | null;
  attachments?: { id: string; name: string; size: number }[];
}

export interface UnitCoverage {
  unitId: string;
  unitName: string;
  total: number;
  recorded: number;
  zeroReported: number;
  missing: number;
}

export interface Coverage {
  period: string;
  periodLabel: string;
  total: number;
  recorded: number;
  zeroReported: number;
  missing: number;
  rate: number | null;
  units: UnitCoverage[];
}

export interface MissingRow {
  personId: string;
  name: string;
  policeNo: string | null;
  orgUnitName: string;
}

export interface Stats {
  year: number;
  total: number;
  byCategory: { key: string; label: string; count: number }[];
  byManner: { key: string; label: string; count: number }[];
  byPeriod: { period: string; periodLabel: string; records: number; zeroReports: number }[];
}

/** The quarters a page offers: the current one and the `n - 1` before it, newest first. */
export function recentPeriods(current: string, n = 24) {
  return Array.from({ length: n }, (_, i) => shiftPeriod(current, -i)).map((p) => ({ value: p, label: periodLabel(p) }));
}

/** The current quarter by the browser's Shanghai calendar (the server's own answer overrides it where shown). */
export function browserPeriod(): string {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  const [y, m] = d.split('-');
  return `${y}Q${Math.floor((Number(m) - 1) / 3) + 1}`;
}
