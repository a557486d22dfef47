// A person as GET /api/people lists it (phone and ID number masked unless revealed).
export interface PersonRow {
  id: string;
  name: string;
  gender: 'M' | 'F' | null;
  birthDate: string | null;
  orgUnitId: string;
  orgUnitName: string;
  post: string | null;
  partyOrgId: string | null;
  partyOrgName: string | null;
  policeNo: string | null;
  phone: string | null;
  idNumber: string | null;
  status: 'active' | 'transferred' | 'retired';
  updatedAt: string;
}

export interface PersonDetail extends PersonRow {
  account: { id: string; username: string } | null;
  revealed: boolean;
}

export const PEOPLE_KEY = '/api/people';
