// Types and API paths of 案件受理's page and its forms.
export const RECONSIDERATIONS_KEY = '/api/cases/reconsiderations';
export const MEDIATIONS_KEY = '/api/cases/mediations';
export const OVERDUE_KEY = '/api/cases/overdue';

interface Due {
  dueOn: string | null;
  daysLeft: number | null;
  overdue: boolean;
}

export interface ReconsiderationRow extends Due {
  id: string;
  caseNo: string | null;
  orgUnitName: string;
  applicant: string;
  respondent: string;
  act: string;
  request: string | null;
  receivedOn: string;
  acceptDue: string;
  acceptedOn: string | null;
  notAcceptedReason: string | null;
  decisionDue: string | null;
  extensionDays: number | null;
  extensionReason: string | null;
  status: 'received' | 'accepted' | 'not_accepted' | 'decided' | 'withdrawn';
  statusLabel: string;
  outcomeLabel: string | null;
  note: string | null;
}

export interface MediationRow extends Due {
  id: string;
  caseNo: string | null;
  orgUnitName: string;
  parties: { name: string; code: string | null }[];
  partyNames: string;
  disputeTypeLabel: string;
  amount: number | null;
  summary: string;
  mediatorName: string;
  receivedOn: string;
  deadline: string;
  status: 'mediating' | 'closed' | 'withdrawn';
  statusLabel: string;
  outcomeLabel: string | null;
  note: string | null;
}

export interface CaseAction {
  kind: 'newReconsideration' | 'accept' | 'extend' | 'decide' | 'withdrawReconsideration' | 'newMediation' | 'close' | 'withdrawMediation';
  id: string;
  /** The case's number or names, for the form's title. */
  title: string;
}
