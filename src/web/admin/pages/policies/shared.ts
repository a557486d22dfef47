// The API shapes of 制度文件 (src/server/modules/policies) and their query keys.
export const POLICIES_KEY = '/api/policies';

export interface PolicyRow {
  id: string;
  title: string;
  docNo: string | null;
  category: string;
  categoryLabel: string;
  issuingUnitId: string;
  issuingUnitName: string;
  audience: string;
  audienceLabel: string;
  currentVersionId: string | null;
  currentVersionNo: number;
  currentEffectiveOn: string;
  updatedAt: string;
  requiredForMe: boolean;
  myAckAt: string | null;
}

export interface PolicyVersion {
  id: string;
  versionNo: number;
  status: 'current' | 'superseded';
  statusLabel: string;
  effectiveOn: string;
  body: string | null;
  changeNote: string | null;
  publishedAt: string;
  attachments: { id: string; name: string; size: number }[];
  myAckAt: string | null;
}

export interface PolicyDetail extends Omit<PolicyRow, 'myAckAt'> {
  audienceUnits: { id: string; name: string }[];
  canAcknowledge: boolean;
  versions: PolicyVersion[];
}

export interface AckCoverage {
  version: { id: string; versionNo: number; status: string };
  total: number;
  acknowledged: number;
  missing: number;
  units: { unitId: string; unitName: string; total: number; acknowledged: number; missing: number }[];
}

export interface AckMissingRow {
  personId: string;
  name: string;
  orgUnitName: string;
}
