import type { Deps, Trx } from '../platform/context.js';
import { residentIdCheckChar } from '../../shared/validators.js';
import { sealedColumns } from '../modules/people/commands.js';
import { CITY_DEPARTMENTS, COUNTIES } from './reference.js';
import type { OrgUnitTable, PartyOrgTable, PersonTable } from '../db/types.js';

// The demo bureau: Chifeng's real city bureau and 12 county-level units, synthetic 司法所 and
// 835 synthetic people. Deterministic: the same seed gives the same data, ids included.

export const DEMO_PEOPLE = 835;
export const DEMO_SEED = 20210301;

export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(arr: readonly T[]) => arr[Math.floor(next() * arr.length)]!,
    uuid: () => {
      const b = Array.from({ length: 16 }, () => Math.floor(next() * 256));
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

// Surnames weighted roughly by frequency in northern China.
const SURNAMES = '王李张刘杨赵陈孙马高于郭吴徐周何胡朱韩石梁宋郑杜田董冯曹许邓魏萧姚崔程潘袁蔡丁任薛贾吕白卢付齐';
const GIVEN = '志明建国伟华军红丽艳霞文静敏杰磊强勇涛斌鹏飞超亮刚平辉新宇浩然晓东海燕玉兰秀英春梅桂芳俊峰立波雪莉佳欣宏伟学军永庆振华占山凤琴丽娜';
const MONGOLIAN = ['巴特尔', '其木格', '乌云', '斯琴', '苏和', '格日勒', '那仁', '宝音', '哈斯', '阿拉坦', '额尔敦', '萨仁', '图雅', '朝鲁', '包金山', '白音仓'];

function personName(r: ReturnType<typeof prng>): string {
  if (r.next() < 0.08) {
    const m = r.pick(MONGOLIAN);
    return r.next() < 0.4 ? m + r.pick(['图', '其其格', '巴雅尔', '花']) : m;
  }
  const given = r.next() < 0.7 ? r.pick([...GIVEN]) + r.pick([...GIVEN]) : r.pick([...GIVEN]);
  return r.pick([...SURNAMES]) + given;
}

function residentId(r: ReturnType<typeof prng>, division: string, gender: 'M' | 'F'): string {
  const y = r.int(1966, 1999);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  let seq = r.int(0, 99) * 10 + r.int(0, 4) * 2 + (gender === 'M' ? 1 : 0);
  seq = Math.min(seq, 999);
  const first17 = `${division}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export interface DemoResult {
  rootId: string;
  accounts: { username: string; displayName: string; orgUnitId: string; personId: string | null; roleCode: string; roleName: string }[];
  summary: Record<string, number>;
}

export async function seedDemo(trx: Trx, deps: Deps, now: string, seed = DEMO_SEED): Promise<DemoResult> {
  const r = prng(seed);
  const units: OrgUnitTable[] = [];
  const parties: PartyOrgTable[] = [];
  const unit = (parent: OrgUnitTable | null, name: string, kind: OrgUnitTable['kind'], code: string, sort: number, shortName: string | null = null) => {
    const id = r.uuid();
    const u: OrgUnitTable = {
      id, parent_id: parent?.id ?? null, name, short_name: shortName, kind, code,
      path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0, sort, created_at: now, updated_at: now,
    };
    units.push(u);
    return u;
  };
  const party = (parent: PartyOrgTable | null, name: string, kind: PartyOrgTable['kind'], orgUnitId: string | null, sort: number) => {
    const id = r.uuid();
    const p: PartyOrgTable = {
      id, parent_id: parent?.id ?? null, name, kind, org_unit_id: orgUnitId, path: `${parent?.path ?? '/'}${id}/`, sort,
      created_at: now, updated_at: now,
    };
    parties.push(p);
    return p;
  };

  const city = unit(null, '赤峰市司法局', 'city_bureau', 'CFSJ', 0, '市司法局');
  const cityParty = party(null, '中共赤峰市司法局机关委员会', 'committee', city.id, 0);
  party(null, '中共赤峰市律师行业委员会', 'committee', city.id, 1);
  // Where people are placed: [unit, party org, weight, default posts]
  const slots: { unit: OrgUnitTable; party: PartyOrgTable; weight: number; kind: 'city' | 'county' | 'office'; division: string }[] = [];
  CITY_DEPARTMENTS.forEach(([code, name], i) => {
    const dept = unit(city, name, 'department', `CFSJ-${code}`, i + 1);
    const branch = party(cityParty, `${name}党支部`, 'branch', dept.id, i + 1);
    slots.push({ unit: dept, party: branch, weight: 9, kind: 'city', division: '150402' });
  });
  COUNTIES.forEach((c, i) => {
    const county = unit(city, `${c.name}司法局`, 'county_bureau', c.code, 20 + i, c.name);
    const general = party(null, `中共${c.name}司法局总支部委员会`, 'general_branch', county.id, 10 + i);
    const organ = party(general, `${c.name}司法局机关党支部`, 'branch', county.id, 0);
    const offices = party(general, `${c.name}司法所联合党支部`, 'branch', county.id, 1);
    slots.push({ unit: county, party: organ, weight: 32, kind: 'county', division: c.division });
    c.offices.forEach((o, j) => {
      const office = unit(county, `${o}司法所`, 'office', `${c.code}-${String(j + 1).padStart(2, '0')}`, j + 1);
      slots.push({ unit: office, party: offices, weight: 4, kind: 'office', division: c.division });
    });
  });

  // Spread exactly DEMO_PEOPLE over the slots by weight: a fixed base, then the remainder by draw.
  const totalWeight = slots.reduce((s, x) => s + x.weight, 0);
  const counts = slots.map((s) => Math.floor((s.weight / totalWeight) * DEMO_PEOPLE));
  let left = DEMO_PEOPLE - counts.reduce((a, b) => a + b, 0);
  while (left-- > 0) counts[r.int(0, slots.length - 1)]! += 1;

  const people: PersonTable[] = [];
  const firstOf = new Map<string, PersonTable>();
  slots.forEach((slot, si) => {
    for (let k = 0; k < counts[si]!; k++) {
      const gender: 'M' | 'F' = r.next() < 0.62 ? 'M' : 'F';
      const idNumber = residentId(r, slot.division, gender);
      const phone = `1${r.pick(['3', '5', '8', '9'])}${r.int(0, 9)}${String(r.int(0, 99999999)).padStart(8, '0')}`;
      const post =
        k === 0
          ? slot.kind === 'city' ? 'section_chief' : slot.kind === 'county' ? 'bureau_chief' : 'office_director'
          : k === 1 && slot.kind !== 'office'
            ? slot.kind === 'city' ? 'deputy_section_chief' : 'deputy_chief'
            : r.pick(slot.kind === 'office' ? ['judicial_assistant', 'correction_officer', 'clerk', 'staff'] : ['principal_staff', 'staff', 'clerk', 'staff']);
      const id = r.uuid();
      const sealed = sealedColumns(deps.cipher, phone, idNumber);
      const p: PersonTable = {
        id,
        name: personName(r),
        gender,
        birth_date: null,
        org_unit_id: slot.unit.id,
        post,
        party_org_id: r.next() < 0.78 ? slot.party.id : null,
        police_no: slot.kind === 'office' ? null : `15${String(r.int(0, 99999)).padStart(5, '0')}`,
        phone_enc: null, phone_masked: null, id_no_enc: null, id_no_masked: null, id_no_index: null,
        status: 'active',
        created_at: now,
        updated_at: now,
        ...sealed,
      };
      people.push(p);
      if (!firstOf.has(slot.unit.id)) firstOf.set(slot.unit.id, p);
    }
  });

  for (let i = 0; i < units.length; i += 100) await trx.insertInto('org_unit').values(units.slice(i, i + 100)).execute();
  // Parents before children (the party tree references itself).
  parties.sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (let i = 0; i < parties.length; i += 100) await trx.insertInto('party_org').values(parties.slice(i, i + 100)).execute();
  for (let i = 0; i < people.length; i += 100) await trx.insertInto('person').values(people.slice(i, i + 100)).execute();

  for (const [i, c] of [
    ['第一批政法队伍教育整顿', 1, '2021-03-01', '2021-07-31', 'active', '学习教育、查纠整改、总结提升三个环节；赤峰市司法行政系统。'],
    ['第二批政法队伍教育整顿', 2, '2021-08-01', '2022-01-31', 'planned', '以第一批教育整顿成果为基础推进。'],
  ].entries()) {
    await trx
      .insertInto('campaign')
      .values({
        id: `campaign-${i + 1}`, name: c[0] as string, batch: c[1] as number, start_date: c[2] as string, end_date: c[3] as string,
        status: c[4] as 'active', description: c[5] as string, created_at: now, updated_at: now,
      })
      .execute();
  }

  const hongshan = units.find((u) => u.code === 'HSQ')!;
  const hsOffice = units.find((u) => u.code === 'HSQ-01')!;
  const personnel = units.find((u) => u.code === 'CFSJ-PERSONNEL')!;
  const officer = firstOf.get(hsOffice.id)!;
  const unitAdmin = firstOf.get(hongshan.id)!;
  const officeLead = firstOf.get(personnel.id)!;
  const accounts: DemoResult['accounts'] = [
    { username: 'office', displayName: officeLead.name, orgUnitId: personnel.id, personId: officeLead.id, roleCode: 'campaign_office', roleName: '整顿办' },
    { username: 'unitadmin', displayName: unitAdmin.name, orgUnitId: hongshan.id, personId: unitAdmin.id, roleCode: 'unit_admin', roleName: '单位管理员' },
    { username: 'officer', displayName: officer.name, orgUnitId: hsOffice.id, personId: officer.id, roleCode: 'officer', roleName: '干警' },
    { username: 'cluehandler', displayName: '线索管理员', orgUnitId: personnel.id, personId: null, roleCode: 'clue_handler', roleName: '线索管理员' },
  ];
  return {
    rootId: city.id,
    accounts,
    summary: { orgUnits: units.length, partyOrgs: parties.length, people: people.length },
  };
}
