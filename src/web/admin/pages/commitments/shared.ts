// Types and API paths of 证明事项告知承诺制's page and its forms.
export const ITEMS_KEY = '/api/commitments/items';
export const COMMITMENTS_KEY = '/api/commitments';
export const DISHONESTY_KEY = '/api/commitments/dishonesty';
export const STATS_KEY = '/api/commitments/stats';

export interface CertItem {
  id: string;
  name: string;
  department: string;
  departmentLabel: string;
  certificate: string;
  legalBasis: string;
  commitmentAllowed: boolean;
  samplingRate: number;
  verifyDays: number;
  barMonths: number;
  template: string;
  enabled: boolean;
}

export interface CommitmentRow {
  id: string;
  itemId: string;
  itemName: string;
  departmentLabel: string;
  orgUnitName: string;
  applicantKindLabel: string;
  applicantName: string;
  applicantIdNo: string;
  businessRef: string;
  handledOn: string;
  digest: string;
  signedAt: string;
  samplingRate: number;
  drawValue: number;
  drawn: boolean;
  verifyStatus: 'not_drawn' | 'pending' | 'true' | 'false';
  verifyStatusLabel: string;
  verifyDue: string | null;
  overdue: boolean;
  verifiedOn: string | null;
  verifyMethodLabel: string | null;
  verifyNote: string | null;
}

export interface DishonestyRow {
  id: string;
  applicantName: string;
  applicantIdNo: string;
  itemName: string;
  orgUnitName: string;
  listedOn: string;
  barUntil: string;
  liftedOn: string | null;
  liftReason: string | null;
  active: boolean;
}

export interface StatRow {
  itemId: string;
  itemName: string;
  departmentLabel: string;
  samplingRate: number;
  total: number;
  drawn: number;
  verified: number;
  false: number;
  dishonest: number;
  overdue: number;
}

export interface Registered {
  id: string;
  drawn: boolean;
  drawValue: number;
  samplingRate: number;
  verifyDue: string | null;
}
