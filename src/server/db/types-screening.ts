// Table types of 智能化数据排查 (issue 11, 0022_screening, 0023_screening_scans). Joined into DB in types.ts.

export interface ScreeningSnapshotTable {
  id: string;
  kind: string;
  file_name: string;
  status: 'loading' | 'ready' | 'failed';
  total_rows: number;
  imported_rows: number;
  skipped_rows: number;
  imported_by: string | null;
  imported_by_name: string | null;
  started_at: string;
  imported_at: string | null;
}

interface RowKey {
  snapshot_id: string;
  row_no: number;
}

export interface ScrStaffTable extends RowKey {
  name: string;
  id_no_bidx: string;
  org_kind: string;
  org_name: string;
  district: string;
  post: string | null;
  grade: string | null;
}

export interface ScrRelativeTable extends RowKey {
  staff_id_no_bidx: string;
  relation: string;
  name: string;
  id_no_bidx: string;
}

export interface ScrEnterpriseRoleTable extends RowKey {
  enterprise: string;
  credit_code: string;
  name: string;
  id_no_bidx: string;
  role: string;
  share_pct: number | null;
  start_on: string;
  end_on: string | null;
}

export interface ScrFormerStaffTable extends RowKey {
  name: string;
  id_no_bidx: string;
  org_kind: string;
  org_name: string;
  post: string | null;
  grade: string | null;
  is_leader: number;
  left_on: string;
  reason: string | null;
}

export interface ScrLawyerTable extends RowKey {
  name: string;
  id_no_bidx: string;
  licence_no: string;
  firm: string;
  district: string;
  practice_start: string;
}

export interface ScrAppearanceTable extends RowKey {
  case_no: string;
  court: string;
  judge: string;
  licence_no: string;
  role: string | null;
  appeared_on: string;
}

export interface ScrCorrectionNoticeTable extends RowKey {
  name: string;
  id_no_bidx: string;
  judgment_no: string;
  court: string;
  effective_on: string;
  term_start: string;
  term_end: string;
  district: string;
}

export interface ScrCorrectionIntakeTable extends RowKey {
  id_no_bidx: string;
  registered_on: string;
  district: string;
  office: string | null;
}

export interface ScrCorrectionCheckinTable extends RowKey {
  id_no_bidx: string;
  /** 'YYYY-MM-DD HH:mm' (Asia/Shanghai). */
  at: string;
  /** Minutes since 1970-01-01 00:00 of the same wall clock. */
  at_min: number;
  method: string | null;
  district: string;
  lng: number | null;
  lat: number | null;
}

/** A gap of over a day between a subject's consecutive check-ins, computed at import (0023). */
export interface ScrCorrectionGapTable {
  snapshot_id: string;
  id_no_bidx: string;
  from_row: number;
  to_row: number;
  from_min: number;
  to_min: number;
  gap_min: number;
}

/** A minute and coordinates at which more than one subject checked in, found at import (0023). */
export interface ScrCorrectionSamePlaceTable {
  snapshot_id: string;
  at_min: number;
  lat: number;
  lng: number;
  subjects: number;
}

/** How many times a subject checked in from a district, counted at import (0023). */
export interface ScrCorrectionCheckinDistrictTable {
  snapshot_id: string;
  id_no_bidx: string;
  district: string;
  checkins: number;
}

export interface ScrCorrectionLeaveTable extends RowKey {
  id_no_bidx: string;
  from_on: string;
  to_on: string;
  destination: string | null;
}

export interface ScrCorrectionWarningTable extends RowKey {
  id_no_bidx: string;
  issued_on: string;
  reason: string | null;
}

export interface ScrCorrectionVisitTable extends RowKey {
  officer: string;
  id_no_bidx: string;
  at: string;
  at_min: number;
  lng: number;
  lat: number;
}

export interface ScrCorrectionCustodyTable extends RowKey {
  id_no_bidx: string;
  from_on: string;
  to_on: string | null;
}

export interface ScreeningRuleTable {
  code: string;
  kind: string;
  name: string;
  description: string;
  /** JSON of the kind's parameters. */
  params: string;
  version: number;
  enabled: number;
  builtin: number;
  seq: number;
  created_at: string;
  updated_at: string;
}

export interface ScreeningRuleVersionTable {
  rule_code: string;
  version: number;
  name: string;
  description: string;
  params: string;
  created_at: string;
  created_by_name: string | null;
}

export interface ScreeningRunTable {
  id: string;
  started_at: string;
  finished_at: string;
  actor_id: string | null;
  actor_name: string | null;
  snapshots: string;
  results: string;
}

export interface ScreeningHitTable {
  id: string;
  rule_code: string;
  fingerprint: string;
  rule_version: number;
  status: 'open' | 'confirmed' | 'dismissed' | 'known';
  present: number;
  subject_enc: string;
  summary_enc: string;
  evidence_enc: string;
  person_id: string | null;
  org_unit_id: string | null;
  first_run_id: string;
  last_run_id: string;
  resolved_run_id: string | null;
  first_seen_at: string;
  last_seen_at: string;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  reviewed_at: string | null;
  review_note_enc: string | null;
  clue_id: string | null;
}

export interface ScreeningTables {
  screening_snapshot: ScreeningSnapshotTable;
  scr_staff: ScrStaffTable;
  scr_relative: ScrRelativeTable;
  scr_enterprise_role: ScrEnterpriseRoleTable;
  scr_former_staff: ScrFormerStaffTable;
  scr_lawyer: ScrLawyerTable;
  scr_appearance: ScrAppearanceTable;
  scr_correction_notice: ScrCorrectionNoticeTable;
  scr_correction_intake: ScrCorrectionIntakeTable;
  scr_correction_checkin: ScrCorrectionCheckinTable;
  scr_correction_gap: ScrCorrectionGapTable;
  scr_correction_same_place: ScrCorrectionSamePlaceTable;
  scr_correction_checkin_district: ScrCorrectionCheckinDistrictTable;
  scr_correction_leave: ScrCorrectionLeaveTable;
  scr_correction_warning: ScrCorrectionWarningTable;
  scr_correction_visit: ScrCorrectionVisitTable;
  scr_correction_custody: ScrCorrectionCustodyTable;
  screening_rule: ScreeningRuleTable;
  screening_rule_version: ScreeningRuleVersionTable;
  screening_run: ScreeningRunTable;
  screening_hit: ScreeningHitTable;
}
