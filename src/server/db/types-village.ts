// Table types of 法律志愿服务进乡村“1155”工程 (issue 10). Joined into DB in types.ts.

export interface VillageTable {
  id: string;
  name: string;
  county_unit_id: string;
  office_unit_id: string | null;
  kind: 'gacha' | 'village' | 'community';
  created_at: string;
  updated_at: string;
}

export interface VillagePairingTable {
  id: string;
  village_id: string;
  cadre_person_id: string;
  org_unit_id: string;
  county_unit_id: string;
  start_year: number;
  end_year: number;
  status: 'active' | 'ended';
  note: string | null;
  ended_on: string | null;
  end_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface VillageRecordTable {
  id: string;
  pairing_id: string;
  type: 'service' | 'visit';
  service_kind: string | null;
  held_on: string;
  year: number;
  place: string;
  people_reached: number | null;
  visited: string | null;
  summary: string;
  photo_count: number;
  digest: string;
  cadre_person_id: string;
  org_unit_id: string;
  county_unit_id: string;
  created_by: string | null;
  created_at: string;
}

export interface VillageDeliverableTable {
  id: string;
  pairing_id: string;
  kind: string;
  status: 'pending' | 'in_progress' | 'done';
  done_on: string | null;
  count: number | null;
  evidence: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface VillageTables {
  village: VillageTable;
  village_pairing: VillagePairingTable;
  village_record: VillageRecordTable;
  village_deliverable: VillageDeliverableTable;
}
