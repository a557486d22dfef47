// 为民服务 pages: the API's paths and row shapes.
export const MEASURES_KEY = '/api/service/measures';
export const WORKSTATIONS_KEY = '/api/service/workstations';
export const SERVED_KEY = '/api/service/served';
export const RECORDS_KEY = '/api/service/records';
export const ENTERPRISES_KEY = '/api/service/enterprises';

export interface FileRef {
  id: string;
  name: string;
  size: number;
}

export interface MeasureRow {
  id: string;
  group: string;
  groupLabel: string;
  number: number;
  title: string;
  description: string | null;
  orgUnitId: string;
  orgUnitName: string;
  ownerPersonId: string | null;
  ownerName: string | null;
  campaignId: string | null;
  startDate: string | null;
  dueDate: string | null;
  isPublic: boolean;
  progress: number;
  doneOn: string | null;
  status: 'not_started' | 'in_progress' | 'done' | 'overdue';
  statusLabel: string;
}

export interface MeasureDetail extends MeasureRow {
  milestones: { id: string; seq: number; title: string; dueDate: string | null; doneOn: string | null; overdue: boolean; files: FileRef[] }[];
  progressReports: { id: string; reportedOn: string; percent: number; note: string; reporter: string | null; files: FileRef[] }[];
}

export interface WorkstationRow {
  id: string;
  name: string;
  orgUnitId: string;
  orgUnitName: string;
  address: string | null;
  contact: string | null;
  staffOnDuty: string | null;
  openedOn: string | null;
  served: number;
  records: number;
}

export interface Served {
  entitiesServed: number;
  records: number;
  healthChecked: number;
  byWorkstation: { workstationId: string; name: string; served: number; records: number }[];
  byCounty: { orgUnitId: string; name: string; served: number; records: number }[];
}

export interface EnterpriseRow {
  id: string;
  code: string;
  codeWarning: string | null;
  name: string;
  kind: string;
  kindLabel: string;
  orgUnitId: string;
  orgUnitName: string;
  industry: string | null;
  legalRep: string | null;
}

export interface RecordRow {
  id: string;
  kind: string;
  kindLabel: string;
  enterpriseId: string;
  enterpriseCode: string;
  enterpriseName: string;
  codeWarning: string | null;
  workstationId: string;
  workstationName: string;
  countyName: string;
  servedOn: string;
  staff: { id: string; name: string }[];
  summary: string;
  findings: { area: string; risk: 'high' | 'medium' | 'low'; finding: string }[];
  recommendations: string | null;
  followUpStatus: string;
  followUpLabel: string;
  followUp: string | null;
}

export const STATUS_COLOR: Record<string, string> = { done: 'green', in_progress: 'blue', overdue: 'red', not_started: 'default' };
