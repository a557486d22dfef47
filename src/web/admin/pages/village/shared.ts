// API shapes of the 1155 pages (src/server/modules/village) and their query keys. Light: no components.
import type { ComplianceState } from '../../../../shared/schemas/village-labels.js';

export const PAIRINGS_KEY = '/api/village/pairings';
export const VILLAGES_KEY = '/api/village/villages';
export const RECORDS_KEY = '/api/village/records';
export const BOARD_KEY = '/api/village/board';

export interface PairingRow {
  id: string;
  villageId: string;
  villageName: string;
  villageKindLabel: string;
  cadrePersonId: string;
  cadreName: string;
  unitName: string;
  countyUnitId: string;
  countyName: string;
  startYear: number;
  endYear: number;
  status: 'active' | 'ended';
  statusLabel: string;
  deliverablesDone: number;
}

export interface VillageRow {
  id: string;
  name: string;
  kindLabel: string;
  countyName: string;
  officeName: string | null;
  pairedWith: string | null;
}

export interface Deliverable {
  kind: string;
  label: string;
  status: 'pending' | 'in_progress' | 'done';
  statusLabel: string;
  doneOn: string | null;
  count: number | null;
  evidence: string | null;
  files: { id: string; name: string }[];
}

export interface PairingDetail extends PairingRow {
  thisYear: { year: number; services: number; visits: number; state: ComplianceState; stateLabel: string; projectedServices: number; projectedVisits: number };
  deliverables: Deliverable[];
}

export interface BoardCadre {
  pairingId: string;
  cadreName: string;
  unitName: string;
  villageName: string;
  countyName: string;
  services: number;
  visits: number;
  projectedServices: number;
  projectedVisits: number;
  deliverablesDone: number;
  state: ComplianceState;
  stateLabel: string;
}

export interface BoardCounty {
  countyUnitId: string;
  countyName: string;
  pairings: number;
  services: number;
  visits: number;
  deliverablesDone: number;
  met: number;
  at_risk: number;
  behind: number;
}

export interface Board {
  year: number;
  elapsed: number;
  yearEnded: boolean;
  totals: { pairings: number; met: number; at_risk: number; behind: number };
  counties: BoardCounty[];
  cadres: BoardCadre[];
}

export interface RecordRow {
  id: string;
  pairingId: string;
  type: 'service' | 'visit';
  typeLabel: string;
  serviceKindLabel: string | null;
  heldOn: string;
  place: string;
  peopleReached: number | null;
  visited: string | null;
  summary: string;
  photos: { id: string; name: string }[];
  villageName: string;
  cadreName: string;
  countyName: string;
}

export const STATE_COLORS: Record<ComplianceState, string> = { met: 'success', at_risk: 'warning', behind: 'error' };
