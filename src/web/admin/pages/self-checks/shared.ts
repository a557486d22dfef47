// The API shapes of the 自查事项报告表 pages (src/server/modules/self-checks), and their query keys.
import type { SelfCheckStatus } from '../../../../shared/schemas/self-checks.js';

export const MINE_KEY = '/api/self-checks/mine';
export const COVERAGE_KEY = '/api/self-checks/coverage';
export const MISSING_KEY = '/api/self-checks/missing';
/** The signed reports (整顿办), and one report under `${REPORTS_KEY}/:id`. */
export const REPORTS_KEY = '/api/self-checks';

export interface Answer {
  categoryId: string;
  code: string;
  name: string;
  answer: 'yes' | 'no';
  description: string | null;
}

export interface Report {
  id: string;
  campaignId: string;
  personId: string;
  version: number;
  status: SelfCheckStatus;
  statusLabel: string;
  declaredCount: number;
  answers: Answer[];
  freeText: string | null;
  /** SM3 of the content as stored now; a signed version's must equal the signed one. */
  digest: string;
  signature: { name: string; digest: string; at: string; intact: boolean } | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  updatedAt: string;
  /** Set when 整顿办 reads someone else's report. */
  personName?: string | null;
}

export interface Mine {
  campaign: { id: string; name: string };
  personName: string | null;
  canFill: boolean;
  pledge: string;
  items: { categoryId: string; code: string; name: string; kind: string }[];
  current: Report | null;
  versions: { id: string; version: number; status: SelfCheckStatus; statusLabel: string; signedAt: string | null }[];
}

export interface Coverage {
  campaignId: string;
  total: number;
  submitted: number;
  missing: number;
  rate: number | null;
  units: { unitId: string; unitName: string; unitPath: string; total: number; submitted: number; missing: number }[];
}

export interface MissingRow {
  personId: string;
  name: string;
  policeNo: string | null;
  orgUnitId: string;
  orgUnitName: string;
}

export interface ReportRow {
  id: string;
  personId: string;
  personName: string;
  orgUnitName: string;
  version: number;
  declaredCount: number;
  signedAt: string;
  reviewedAt: string | null;
}

/** A row of the coverage table: a unit's whole subtree, or (own) the people of the unit shown itself. */
export interface UnitSummary {
  unitId: string;
  unitName: string;
  own: boolean;
  total: number;
  submitted: number;
  missing: number;
}

/**
 * The server counts people per unit they belong to; the table shows one level at a time: the units
 * right under the deepest unit every row shares (the viewer's scope, or the unit filtered on), each
 * with its whole subtree, and that unit's own people first. Paths are the unit ids from the root.
 */
export function rollUp(units: Coverage['units'], unitInfo: (id: string) => { name: string; sort: number } | undefined): UnitSummary[] {
  if (!units.length) return [];
  const paths = units.map((u) => u.unitPath.split('/').filter(Boolean));
  let shared = paths[0]!.length;
  for (const p of paths) {
    let i = 0;
    while (i < shared && i < p.length && p[i] === paths[0]![i]) i++;
    shared = i;
  }
  const named = new Map(units.map((u) => [u.unitId, u.unitName]));
  const rows = new Map<string, UnitSummary>();
  units.forEach((u, n) => {
    const p = paths[n]!;
    const own = p.length === shared;
    const id = own ? u.unitId : p[shared]!;
    const row = rows.get(id) ?? { unitId: id, unitName: named.get(id) ?? unitInfo(id)?.name ?? id, own, total: 0, submitted: 0, missing: 0 };
    row.total += u.total;
    row.submitted += u.submitted;
    row.missing += u.missing;
    rows.set(id, row);
  });
  const sortOf = (r: UnitSummary) => unitInfo(r.unitId)?.sort ?? Number.MAX_SAFE_INTEGER;
  return [...rows.values()].sort((a, b) => Number(b.own) - Number(a.own) || sortOf(a) - sortOf(b) || a.unitName.localeCompare(b.unitName, 'zh-CN'));
}
