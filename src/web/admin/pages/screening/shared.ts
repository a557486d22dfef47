// The API shapes of 智能化数据排查 (src/server/modules/screening) and its query keys. Types only and one
// query hook: the page loads it first.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import type { DatasetKind, HitStatus, ParamDef, RuleKind } from '../../../../shared/schemas/screening-labels.js';

export const SCREENING_KEY = '/api/screening';
export const HITS_KEY = `${SCREENING_KEY}/hits`;
export const RULES_KEY = `${SCREENING_KEY}/rules`;
export const RUNS_KEY = `${SCREENING_KEY}/runs`;
export const DATASETS_KEY = `${SCREENING_KEY}/datasets`;
export const SNAPSHOTS_KEY = `${SCREENING_KEY}/snapshots`;

export interface HitRow {
  id: string;
  ruleCode: string;
  ruleName: string;
  ruleVersion: number;
  status: HitStatus;
  statusLabel: string;
  /** Found again by the latest run; false: no longer found (已消失). */
  present: boolean;
  subject: string;
  summary: string;
  orgUnitName: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  clueId: string | null;
  clueNo: string | null;
}

export interface Evidence {
  dataset: DatasetKind;
  datasetLabel: string;
  snapshotId: string;
  row: number;
  fields: { label: string; value: string | null }[];
}

export interface HitDetail extends HitRow {
  description: string;
  reasoning: string;
  evidence: Evidence[];
  review: { byName: string | null; at: string; note: string | null } | null;
  personId: string | null;
  orgUnitId: string | null;
}

export interface RuleRow {
  code: string;
  kind: RuleKind;
  kindName: string;
  name: string;
  description: string;
  params: Record<string, unknown>;
  paramDefs: ParamDef[];
  version: number;
  enabled: boolean;
  builtin: boolean;
  lastHits: number | null;
}

export interface RuleVersion {
  version: number;
  name: string;
  description: string;
  params: Record<string, unknown>;
  createdAt: string;
  createdByName: string | null;
}

export interface RunResult {
  id: string;
  startedAt: string;
  snapshots: { kind: DatasetKind; kindLabel: string; snapshotId: string | null; fileName: string | null; importedAt: string | null; rows: number | null }[];
  rules: { code: string; name: string; version: number; hits: number; new: number; unchanged: number; resolved: number; skipped: string | null }[];
}

export interface RunRow {
  id: string;
  startedAt: string;
  actorName: string | null;
  hits: number;
  new: number;
  resolved: number;
}

export interface DatasetInfo {
  kind: DatasetKind;
  label: string;
  note: string;
  columns: { header: string; required: boolean; note: string | null }[];
  current: null | { snapshotId: string; fileName: string; importedAt: string; rows: number };
}

export interface SnapshotRow {
  id: string;
  kind: DatasetKind;
  kindLabel: string;
  fileName: string;
  status: 'loading' | 'ready' | 'failed';
  statusLabel: string;
  totalRows: number;
  importedRows: number;
  skippedRows: number;
  importedByName: string | null;
  startedAt: string;
  importedAt: string | null;
  current: boolean;
}

/** Every rule (a handful: no paging); the hits' rule filter and the rules tab share it. */
export function useRules() {
  return useQuery({ queryKey: [RULES_KEY], queryFn: () => api.get<{ items: RuleRow[] }>(RULES_KEY), select: (d) => d.items });
}

/** 待审核 asks for someone's action; 已转线索 went on; the other two are closed. */
export const HIT_STATUS_COLOR: Record<HitStatus, string | undefined> = { open: 'gold', confirmed: 'blue', dismissed: undefined, known: 'cyan' };
