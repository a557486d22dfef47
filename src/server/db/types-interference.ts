// Table types of “三个规定”记录报告与零报告；制度文件 (issue 10, 0019_interference_policies). Joined into DB in types.ts.

export interface InterferenceRecordTable {
  id: string;
  record_no: string;
  recorder_person_id: string;
  org_unit_id: string;
  /** '2021Q2': the quarter the interference happened in (Asia/Shanghai). */
  period: string;
  category: 'leader' | 'internal' | 'contact';
  intervener_kind: 'internal' | 'external';
  /** Keyed blind index of the internal intervener's person id (null for outside persons). */
  intervener_index: string | null;
  /** Sealed JSON: { personId, name, post, relation }. */
  intervener_enc: string;
  case_enc: string;
  /** JSON array of manner codes. */
  manners: string;
  occurred_at: string;
  request_enc: string;
  handling: string;
  handling_note_enc: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ZeroReportTable {
  id: string;
  person_id: string;
  org_unit_id: string;
  period: string;
  statement: string;
  signed_name: string;
  digest: string;
  signed_at: string;
  created_at: string;
}

export interface PolicyDocumentTable {
  id: string;
  title: string;
  doc_no: string | null;
  category: string;
  issuing_unit_id: string;
  audience: 'issuer' | 'units';
  current_version_id: string | null;
  current_version_no: number;
  current_effective_on: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PolicyAudienceUnitTable {
  policy_id: string;
  org_unit_id: string;
}

export interface PolicyVersionTable {
  id: string;
  policy_id: string;
  version_no: number;
  status: 'current' | 'superseded';
  effective_on: string;
  body: string | null;
  change_note: string | null;
  published_by: string | null;
  published_at: string;
}

export interface PolicyAckTable {
  version_id: string;
  policy_id: string;
  person_id: string;
  org_unit_id: string;
  confirmed_name: string;
  acked_at: string;
}

export interface InterferenceTables {
  interference_record: InterferenceRecordTable;
  zero_report: ZeroReportTable;
  policy_document: PolicyDocumentTable;
  policy_audience_unit: PolicyAudienceUnitTable;
  policy_version: PolicyVersionTable;
  policy_ack: PolicyAckTable;
}
