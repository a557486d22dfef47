// Table types of 为民服务：便民利民措施、法律服务工作站、企业服务与法治体检 (issue 10). Joined into DB in types.ts.

export interface ServiceMeasureTable {
  id: string;
  grp: 'convenience' | 'business_environment' | 'ten_linkages' | 'other';
  grp_rank: number;
  number: number;
  title: string;
  description: string | null;
  org_unit_id: string;
  owner_person_id: string | null;
  campaign_id: string | null;
  start_date: string | null;
  due_date: string | null;
  is_public: number;
  progress: number;
  done_on: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceMilestoneTable {
  id: string;
  measure_id: string;
  seq: number;
  title: string;
  due_date: string | null;
  done_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceProgressTable {
  id: string;
  measure_id: string;
  reported_on: string;
  percent: number;
  note: string;
  evidence_count: number;
  created_by: string | null;
  created_at: string;
}

export interface LegalWorkstationTable {
  id: string;
  name: string;
  org_unit_id: string;
  address: string | null;
  contact: string | null;
  staff_on_duty: string | null;
  opened_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface EnterpriseTable {
  id: string;
  code: string;
  code_warning: number;
  name: string;
  kind: string;
  org_unit_id: string;
  industry: string | null;
  legal_rep: string | null;
  created_at: string;
  updated_at: string;
}

export interface EnterpriseServiceTable {
  id: string;
  kind: string;
  enterprise_id: string;
  workstation_id: string;
  org_unit_id: string;
  county_unit_id: string;
  served_on: string;
  staff_person_ids: string;
  summary: string;
  findings: string | null;
  recommendations: string | null;
  follow_up_status: string;
  follow_up: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceTables {
  service_measure: ServiceMeasureTable;
  service_milestone: ServiceMilestoneTable;
  service_progress: ServiceProgressTable;
  legal_workstation: LegalWorkstationTable;
  enterprise: EnterpriseTable;
  enterprise_service: EnterpriseServiceTable;
}
