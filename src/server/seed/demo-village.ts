import type { Ctx, Trx } from '../platform/context.js';
import { shanghaiDate } from '../platform/time.js';
import type { VillageDeliverableTable, VillagePairingTable, VillageRecordTable, VillageTable } from '../db/types-village.js';
import { recordDigest } from '../modules/village/commands.js';
import { elapsedFraction } from '../modules/village/compliance.js';
import { DELIVERABLE_KINDS, SERVICE_KINDS, type DeliverableKind, type ServiceKind } from '../../shared/schemas/village-labels.js';
import { prng } from './demo.js';

// The demo bureau's 法律志愿服务进乡村“1155”工程 (the account: every cadre paired with one 嘎查村 for five
// years, five services and five visits a year, five deliverables per village). About 150 villages over the
// 12 counties, about 120 pairings (county bureaus, their 司法所 and the city's departments; the demo
// `officer` is paired), and the year of the seeding clock in progress: some cadres have met the year's
// rule, some are on pace but not there yet (有风险), some are behind; the deliverables partly done, with
// evidence. Deterministic.

const MONGOL_HEADS = ['巴彦', '乌兰', '查干', '宝力', '哈日', '额尔敦', '阿拉坦', '乌力吉', '白音', '塔林', '赛罕', '那日苏', '呼和', '敖包', '胡硕', '格日勒'];
const MONGOL_TAILS = ['塔拉', '敖都', '诺尔', '郭勒', '锡力', '温都尔', '宝力格', '图', '花', '哈达', '浩特', '召'];
const HAN_HEADS = ['东', '西', '南', '北', '前', '后', '大', '小', '新', '老', '上', '下', '三', '五', '七', '王家', '李家', '刘家', '张家', '马架'];
const HAN_TAILS = ['营子', '窝铺', '杖子', '沟', '甸子', '台', '屯', '井', '庄', '河', '梁', '湾'];
const COMMUNITIES = ['站前', '桥北', '昭乌达', '长青', '新华', '临潢', '锦山', '铁南', '永巨', '平庄', '兴安', '红庙子'];
const BANNERS = new Set(['ALK', 'BLZ', 'BLY', 'KSK', 'WNT', 'KLQ', 'AHQ']);
const DISTRICTS = new Set(['HSQ', 'YBS', 'SSQ']);

const SUMMARIES: Record<ServiceKind, string[]> = {
  consultation: ['为村民解答土地承包经营权流转、宅基地确权等法律问题，现场提供法律意见。', '解答赡养纠纷、婚姻家庭方面的法律咨询，告知诉讼与调解途径。'],
  mediation: ['调解两户村民因草场边界引发的纠纷，双方达成书面调解协议。', '参与调处农民工讨薪纠纷，督促用工方当场支付欠薪。'],
  publicity: ['在村文化广场开展民法典宣传，发放宣传资料，解读相邻关系、合同等条款。', '结合防范电信网络诈骗开展普法宣传，讲解典型案例。'],
  aid_referral: ['为残疾村民申请法律援助，协助准备材料并转介至法律援助中心。', '为务工受伤村民引导申请法律援助，联系援助律师跟进。'],
  document_help: ['为村民代写起诉状与证据清单，讲解立案流程。', '协助村民起草土地流转合同，提示权利义务条款。'],
  contract_review: ['审查嘎查村集体经济合作社的租赁合同，提出修改意见。', '审查村集体工程承包合同，提示付款与验收条款风险。'],
  other: ['协助村委会完善村规民约，使其合法合规。', '指导村调委会规范调解卷宗。'],
};
const VISIT_WHOM = ['村党支部书记', '嘎查达及两委班子', '五保户家庭', '社区矫正对象家属', '留守老人', '人民调解员', '法律明白人', '脱贫户'];
const VISIT_SUMMARIES = [
  '入户走访了解群众法律需求，记录矛盾纠纷隐患 1 条，已告知村调委会跟进。',
  '与村两委座谈，了解近期矛盾纠纷排查情况和公共法律服务室建设进度。',
  '回访前期调解当事人，协议履行情况良好。',
  '走访留守老人，了解赡养和财产方面的法律需求，留下联系方式。',
];
const EVIDENCE: Record<DeliverableKind, string> = {
  legal_understander: '已培养村民 1 人为法律明白人，参加旗县区司法局组织的培训并取得结业证书，培训签到表与证书复印件已归档。',
  rule_of_law_leader: '已培育 1 名法治带头人（村调委会主任），建立联系台账，参与本村矛盾纠纷排查。',
  law_class: '在村党群服务中心讲授民法典专题法治课 1 堂，村民 60 余人参加，有签到表和现场照片。',
  dispute_resolved: '化解土地承包、邻里纠纷等矛盾纠纷，均签订调解协议，卷宗存村调委会。',
  service_room: '依托村党群服务中心帮建公共法律服务室，挂牌并公示值班律师和联系方式。',
};

const DAY = 86_400_000;

export async function seedDemoVillage(trx: Trx, _ctx: Ctx, now: string): Promise<Record<string, unknown>> {
  const r = prng(1155);
  const today = shanghaiDate(new Date(now));
  const year = Number(today.slice(0, 4));
  const fraction = elapsedFraction(year, today);
  const units = await trx.selectFrom('org_unit').select(['id', 'code', 'name', 'kind', 'parent_id', 'short_name']).orderBy('sort').orderBy('code').execute();
  const counties = units.filter((u) => u.kind === 'county_bureau');
  const officesOf = (countyId: string) => units.filter((u) => u.parent_id === countyId && u.kind === 'office');

  // Villages: about 12–13 per county, each under one of the county's 司法所.
  const villages: VillageTable[] = [];
  counties.forEach((c, ci) => {
    const offices = officesOf(c.id);
    const names = new Set<string>();
    const count = ci < 6 ? 13 : 12;
    while (names.size < count) {
      const roll = r.next();
      let name: string;
      if (DISTRICTS.has(c.code) && roll < 0.3) name = `${r.pick(COMMUNITIES)}社区`;
      else if (BANNERS.has(c.code) && roll < 0.6) name = `${r.pick(MONGOL_HEADS)}${r.pick(MONGOL_TAILS)}嘎查`;
      else name = `${r.pick(HAN_HEADS)}${r.pick(HAN_TAILS)}村`;
      names.add(name);
    }
    let k = 0;
    for (const name of names) {
      villages.push({
        id: r.uuid(), name, county_unit_id: c.id, office_unit_id: offices.length ? offices[k % offices.length]!.id : null,
        kind: name.endsWith('嘎查') ? 'gacha' : name.endsWith('社区') ? 'community' : 'village', created_at: now, updated_at: now,
      });
      k++;
    }
  });
  for (let i = 0; i < villages.length; i += 100) await trx.insertInto('village').values(villages.slice(i, i + 100)).execute();

  // Cadres: the demo officer (head of 红山区 文钟司法所) first, then about 9 from each county and its
  // 司法所, and some from the city's departments, each paired with a village (city cadres anywhere).
  const people = await trx
    .selectFrom('person')
    .select(['id', 'org_unit_id', 'post'])
    .where('status', '=', 'active')
    .orderBy('sort_key').orderBy('name').orderBy('id')
    .execute();
  const officerUnit = units.find((u) => u.code === 'HSQ-01');
  const officer = people.find((p) => p.org_unit_id === officerUnit?.id && p.post === 'office_director');
  const countyOf = new Map<string, string>();
  for (const u of units) {
    if (u.kind === 'county_bureau') countyOf.set(u.id, u.id);
    else if (u.kind === 'office' && u.parent_id) countyOf.set(u.id, u.parent_id);
  }
  const villagesBy = new Map<string, VillageTable[]>();
  for (const v of villages) villagesBy.set(v.county_unit_id, [...(villagesBy.get(v.county_unit_id) ?? []), v]);
  const taken = new Set<string>();
  const takeVillage = (countyId: string) => {
    const v = (villagesBy.get(countyId) ?? []).find((x) => !taken.has(x.id));
    if (v) taken.add(v.id);
    return v;
  };
  const pairs: { cadre: (typeof people)[number]; village: VillageTable }[] = [];
  if (officer) pairs.push({ cadre: officer, village: takeVillage(countyOf.get(officer.org_unit_id)!)! });
  for (const c of counties) {
    const mine = people.filter((p) => countyOf.get(p.org_unit_id) === c.id && p.id !== officer?.id);
    for (let i = 0; i < 9 && i < mine.length; i++) {
      const v = takeVillage(c.id);
      if (v) pairs.push({ cadre: mine[(i * 7) % mine.length]!, village: v });
    }
  }
  const cityPeople = people.filter((p) => !countyOf.has(p.org_unit_id));
  for (let i = 0; i < 12 && i < cityPeople.length; i++) {
    const c = counties[i % counties.length]!;
    const v = takeVillage(c.id);
    if (v) pairs.push({ cadre: cityPeople[(i * 5) % cityPeople.length]!, village: v });
  }
  // One cadre, one village: drop a cadre drawn twice.
  const seen = new Set<string>();
  const unique = pairs.filter((p) => (seen.has(p.cadre.id) ? false : (seen.add(p.cadre.id), true)));

  const pairings: VillagePairingTable[] = [];
  const records: VillageRecordTable[] = [];
  const deliverables: VillageDeliverableTable[] = [];
  const yearStart = Date.UTC(year, 0, 1);
  const elapsedDays = Math.max(1, Math.round((Date.parse(`${today}T00:00:00Z`) - yearStart) / DAY) + 1);
  // The pace line: a cadre on it has 5 × fraction records by today.
  const pace = 5 * fraction;
  const kinds = Object.keys(SERVICE_KINDS) as ServiceKind[];
  let met = 0;
  unique.forEach(({ cadre, village }, i) => {
    const startYear = i === 0 ? year - 1 : year - r.int(0, 3);
    const p: VillagePairingTable = {
      id: r.uuid(), village_id: village.id, cadre_person_id: cadre.id, org_unit_id: cadre.org_unit_id, county_unit_id: village.county_unit_id,
      start_year: startYear, end_year: startYear + 4, status: 'active', note: null, ended_on: null, end_reason: null, created_by: null,
      created_at: now, updated_at: now,
    };
    pairings.push(p);
    // This year's level: the officer on pace but one visit short of being sure; the rest by draw.
    const roll = r.next();
    let services: number;
    let visits: number;
    if (i === 0) {
      services = Math.min(4, Math.max(0, Math.ceil(pace - 1)));
      visits = services;
    } else if (roll < 0.45) {
      services = r.int(5, 8);
      visits = r.int(5, 7);
      met++;
    } else if (roll < 0.75) {
      // 有风险: within one record of the pace, not both at 5 yet.
      services = Math.min(4, Math.max(0, Math.ceil(pace - 1)));
      visits = r.int(services, 6);
    } else {
      // 滞后: more than one record below the pace line (when the year is far enough along).
      services = Math.max(0, Math.ceil(pace - 1) - 1 - r.int(0, 2));
      visits = r.int(0, 4);
    }
    const add = (type: 'service' | 'visit', count: number, y: number, days: number) => {
      for (let k = 0; k < count; k++) {
        const held = new Date(Date.UTC(y, 0, 1) + Math.floor(((k + 0.3 + r.next() * 0.5) / count) * days) * DAY).toISOString().slice(0, 10);
        const kind = type === 'service' ? kinds[(i + k) % kinds.length]! : null;
        const input = {
          id: r.uuid(), pairingId: p.id, type, serviceKind: kind, heldOn: held,
          place: type === 'service' ? `${village.name}${r.pick(['党群服务中心', '文化广场', '村委会'])}` : `${village.name}`,
          peopleReached: type === 'service' ? r.int(3, 80) : null, visited: type === 'visit' ? r.pick(VISIT_WHOM) : null,
          summary: type === 'service' ? r.pick(SUMMARIES[kind!]) : r.pick(VISIT_SUMMARIES), photoIds: [] as string[],
        };
        records.push({
          id: input.id, pairing_id: p.id, type, service_kind: kind, held_on: held, year: y, place: input.place, people_reached: input.peopleReached,
          visited: input.visited, summary: input.summary, photo_count: 0, digest: recordDigest(input), cadre_person_id: cadre.id,
          org_unit_id: cadre.org_unit_id, county_unit_id: village.county_unit_id, created_by: null, created_at: now,
        });
      }
    };
    add('service', services, year, elapsedDays);
    add('visit', visits, year, elapsedDays);
    // Last year, for pairings that began before this one: most met it.
    if (startYear < year) {
      add('service', r.next() < 0.8 ? r.int(5, 7) : r.int(2, 4), year - 1, 365);
      add('visit', r.next() < 0.8 ? r.int(5, 6) : r.int(2, 4), year - 1, 365);
    }
    // Deliverables: older pairings have done more.
    const kindsDone = (Object.keys(DELIVERABLE_KINDS) as DeliverableKind[]).filter((_, k) => k < (year - startYear) + r.int(0, 2));
    for (const [k, kind] of (Object.keys(DELIVERABLE_KINDS) as DeliverableKind[]).entries()) {
      const done = kindsDone.includes(kind);
      if (!done && r.next() < 0.6) continue;
      const doneOn = new Date(Date.UTC(Math.max(startYear, year - 1), 2 + k, 10 + k)).toISOString().slice(0, 10);
      deliverables.push({
        id: r.uuid(), pairing_id: p.id, kind, status: done && doneOn <= today ? 'done' : 'in_progress', done_on: done && doneOn <= today ? doneOn : null,
        count: kind === 'dispute_resolved' ? (done ? r.int(1, 4) : 0) : null, evidence: done ? EVIDENCE[kind] : '正在推进，已与村两委对接。',
        updated_by: null, created_at: now, updated_at: now,
      });
    }
  });
  for (let i = 0; i < pairings.length; i += 100) await trx.insertInto('village_pairing').values(pairings.slice(i, i + 100)).execute();
  for (let i = 0; i < records.length; i += 150) await trx.insertInto('village_record').values(records.slice(i, i + 150)).execute();
  for (let i = 0; i < deliverables.length; i += 150) await trx.insertInto('village_deliverable').values(deliverables.slice(i, i + 150)).execute();
  return { villages: villages.length, villagePairings: pairings.length, villageRecords: records.length, villagePairingsMet: met };
}
