// Table types of 证明事项告知承诺制；行政复议与企业矛盾纠纷调解案件 (issue 10). Joined into DB in types.ts.

export interface CertItemTable {
  id: string;
  name: string;
  department: string;
  certificate: string;
  legal_basis: string;
  commitment_allowed: number;
  sampling_rate: number;
  verify_days: number;
  bar_months: number;
  template: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface CertCommitmentTable {
  id: string;
  item_id: string;
  org_unit_id: string;
  applicant_kind: 'person' | 'org';
  applicant_name: string;
  applicant_id_enc: string | null;
  applicant_id_masked: string;
  applicant_id_index: string;
  business_ref: string;
  handled_on: string;
  signed_text: string;
  text_digest: string;
  signed_at: string;
  sampling_rate: number;
  draw_value: number;
  drawn: number;
  verify_status: 'not_drawn' | 'pending' | 'true' | 'false';
  verify_due: string | null;
  verified_on: string | null;
  verify_method: string | null;
  verify_note: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CertDishonestyTable {
  id: string;
  applicant_id_index: string;
  applicant_kind: 'person' | 'org';
  applicant_name: string;
  applicant_id_masked: string;
  item_id: string;
  commitment_id: string;
  org_unit_id: string;
  listed_on: string;
  bar_until: string;
  lifted_at: string | null;
  lifted_on: string | null;
  lift_reason: string | null;
  lifted_by: string | null;
  created_at: string;
}

export interface ReconsiderationCaseTable {
  id: string;
  case_no: string | null;
  org_unit_id: string;
  applicant: string;
  respondent: string;
  act: string;
  request: string | null;
  received_on: string;
  accept_due: string;
  accepted_on: string | null;
  not_accepted_reason: string | null;
  decision_due: string | null;
  extension_days: number | null;
  extension_reason: string | null;
  status: 'received' | 'accepted' | 'not_accepted' | 'decided' | 'withdrawn';
  due_on: string | null;
  outcome: string | null;
  closed_on: string | null;
  note: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface MediationCaseTable {
  id: string;
  case_no: string | null;
  org_unit_id: string;
  parties: string;
  party_names: string;
  dispute_type: string;
  amount: number | string | null;
  summary: string;
  mediator_person_id: string;
  received_on: string;
  period_days: number;
  due_on: string | null;
  deadline: string;
  status: 'mediating' | 'closed' | 'withdrawn';
  outcome: string | null;
  closed_on: string | null;
  note: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommitmentTables {
  cert_item: CertItemTable;
  cert_commitment: CertCommitmentTable;
  cert_dishonesty: CertDishonestyTable;
  reconsideration_case: ReconsiderationCaseTable;
  mediation_case: MediationCaseTable;
}
