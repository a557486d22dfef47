import type { Ctx, Trx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import { residentIdCheckChar } from '../../shared/validators.js';
import { usccCheckChar } from '../../shared/schemas/service-labels.js';
import { DATASETS, DATASET_KINDS, type DatasetKind } from '../../shared/schemas/screening.js';
import { deriveSnapshot, parseDateTime } from '../modules/screening/datasets.js';
import { dayAdd } from '../modules/screening/rules-correction.js';
import { shanghaiDate } from '../platform/time.js';
import { runScreeningWithin } from '../modules/screening/commands.js';
import { prng } from './demo.js';

// The demo's 智能化数据排查: a small snapshot of every register, with a few planted findings for every
// rule and near-misses beside them that must not be found, and one run over them — so a newcomer's
// 数据排查 page and `rectify screen` show hits out of the box. The bureau's own officers in the staff
// register are the demo's people (their real demo ID numbers), so hits link to them; courts,
// procuratorates, relatives, enterprises and lawyers are synthetic. Deterministic.
//
// Planted (hit) / near-miss (no hit), by rule:
//   违规经商办企业: an officer holds 30 % of a company; an officer's spouse is a legal representative /
//     an officer who left a company's board in 2020; a namesake of an officer with another ID number;
//     a court employee's sibling (court staff are not checked by default).
//   离任从业: ordinary judge practising 14 months after leaving; a 庭长 (leader, 3 years) after 2 years 7 months /
//     a judge who started practising on the day two years after leaving.
//   原任职法院代理: a former judge appearing in his former court in 2021 / the same lawyer in another court.
//   任职回避: a 红山区 judge's wife practising in 红山区 / a 松山区 judge's son practising in 元宝山区; a
//     judge's brother in the same district (siblings are not in the default relations).
//   司法掮客: one lawyer in 12 of one judge's cases where about 3 were expected / another lawyer in 5 of a
//     judge's cases where about 2.5 were expected (less than 3×).
//   漏管: no intake; intake on the 11th day / intake on the 10th day; a judgment 5 days old.
//   脱管: a 12-day gap (two subjects); a check-in in another county with no leave / a 7-day gap; a gap in
//     custody; a check-in away on approved leave.
//   应予警告未警告: the 12-day gap never warned / the other 12-day gap warned in time.
//   虚管: a visit after the term; a check-in in custody; two subjects at the same minute and place; an officer
//     90 km in half an hour / 30 km in an hour.

const DIVISIONS = ['150402', '150403', '150404', '150421', '150422', '150423', '150424', '150425', '150426', '150428', '150429', '150430'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '包', '乌'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '巴特尔', '其其格', '额尔敦'];
const COURTS = ['赤峰市红山区人民法院', '赤峰市松山区人民法院', '赤峰市元宝山区人民法院'];
const DISTRICTS = ['红山区', '松山区', '元宝山区'];

export async function seedDemoScreening(trx: Trx, ctx: Ctx, now: string) {
  const r = prng(20211101);
  const name = () => r.pick(SURNAMES) + r.pick(GIVEN) + (r.next() < 0.5 ? r.pick(GIVEN) : '');
  let serial = 0;
  const newIdNo = () => {
    const first17 = `${r.pick(DIVISIONS)}${r.int(1955, 2000)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}${String(++serial % 1000).padStart(3, '0')}`;
    return first17 + residentIdCheckChar(first17);
  };
  const id = (idNo: string, key = 'id_no') => ({ [`${key}_bidx`]: ctx.cipher.blindIndex(idNo) });

  const rows = Object.fromEntries(DATASET_KINDS.map((k) => [k, [] as Record<string, unknown>[]])) as Record<DatasetKind, Record<string, unknown>[]>;
  const add = (kind: DatasetKind, row: Record<string, unknown>) => rows[kind].push({ ...row, row_no: rows[kind].length + 2 });

  // The bureau's officers: the demo's people with ID numbers (the first 80 serving, by name).
  const officers = await trx
    .selectFrom('person')
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select(['person.name', 'person.id_no_enc', 'person.post', 'org_unit.name as unit'])
    .where('person.id_no_enc', 'is not', null)
    .where('person.status', '=', 'active')
    .orderBy('person.name')
    .orderBy('person.id')
    .limit(80)
    .execute();
  const staff = officers.map((o) => ({ name: o.name, idNo: ctx.cipher.open(o.id_no_enc!), unit: o.unit, post: o.post }));
  for (const s of staff) add('staff', { name: s.name, ...id(s.idNo), org_kind: 'justice', org_name: s.unit, district: '红山区', post: s.post, grade: null });
  // Court and procuratorate employees, four per district.
  const judges: { name: string; idNo: string; district: string; court: string }[] = [];
  DISTRICTS.forEach((district, i) => {
    for (let k = 0; k < 4; k++) {
      const j = { name: name(), idNo: newIdNo(), district, court: k < 3 ? COURTS[i]! : `赤峰市${district}人民检察院` };
      judges.push(j);
      add('staff', { name: j.name, ...id(j.idNo), org_kind: k < 3 ? 'court' : 'procuratorate', org_name: j.court, district, post: k === 0 ? '庭长' : '审判员', grade: k === 0 ? '三级高级法官' : '一级法官' });
    }
  });
  // Relatives of the first 30 officers (spouses, children, parents).
  const relOf = (staffIdNo: string, relation: string) => {
    const rel = { name: name(), idNo: newIdNo() };
    add('relative', { ...id(staffIdNo, 'staff_id_no'), relation, name: rel.name, ...id(rel.idNo) });
    return rel;
  };
  const spouses = staff.slice(0, 30).map((s, i) => relOf(s.idNo, ['spouse', 'child', 'parent'][i % 3]!));

  // Enterprises: 30 unrelated role records, then the planted ones.
  const company = (i: number) => `赤峰市${r.pick(['兴业', '鸿达', '蒙源', '草原', '松州', '红山', '塞北', '玉龙'])}${r.pick(['商贸', '建材', '农牧', '物流', '科技', '餐饮'])}有限公司${i}`;
  const uscc = (i: number) => {
    const body = `91150402MA0${String(1000000 + i).slice(1)}`.slice(0, 17);
    return body + usccCheckChar(body);
  };
  let ent = 0;
  const role = (who: { name: string; idNo: string }, role: string, start: string, end: string | null, share: number | null) => {
    ent++;
    add('enterprise_role', { enterprise: company(ent), credit_code: uscc(ent), name: who.name, ...id(who.idNo), role, share_pct: share, start_on: start, end_on: end });
  };
  for (let i = 0; i < 30; i++) role({ name: name(), idNo: newIdNo() }, r.pick(['legal_rep', 'shareholder', 'manager']), `20${r.int(10, 20)}-0${r.int(1, 9)}-1${r.int(0, 9)}`, null, null);
  role(staff[3]!, 'shareholder', '2019-04-18', null, 30); // hit: an officer holds 30 %
  role(spouses[0]!, 'legal_rep', '2020-08-06', null, null); // hit: officer 0's spouse is a legal representative
  role(staff[5]!, 'manager', '2016-03-01', '2020-12-31', null); // near-miss: left the board in 2020
  role({ name: staff[7]!.name, idNo: newIdNo() }, 'legal_rep', '2018-05-20', null, null); // near-miss: a namesake
  const judgeSibling = relOf(judges[1]!.idNo, 'sibling');
  role(judgeSibling, 'legal_rep', '2017-07-07', null, null); // near-miss: court staff not checked by default

  // Former judges and prosecutors, and lawyers.
  const lawyers: { name: string; idNo: string; licence: string; firm: string; district: string }[] = [];
  const lawyer = (who: { name: string; idNo: string }, district: string, start: string) => {
    const l = { ...who, licence: `1150420${String(10000000 + lawyers.length * 7919).slice(1)}`, firm: `内蒙古${r.pick(['蒙达', '兴安', '草原', '赤诚', '正大'])}律师事务所`, district };
    lawyers.push(l);
    add('lawyer', { name: l.name, ...id(l.idNo), licence_no: l.licence, firm: l.firm, district, practice_start: start });
    return l;
  };
  const former = (who: { name: string; idNo: string }, court: string, leader: boolean, leftOn: string, reason: string) =>
    add('former_staff', { name: who.name, ...id(who.idNo), org_kind: 'court', org_name: court, post: leader ? '庭长' : '审判员', grade: leader ? '三级高级法官' : '一级法官', is_leader: leader ? 1 : 0, left_on: leftOn, reason });
  const f1 = { name: name(), idNo: newIdNo() };
  former(f1, COURTS[0]!, false, '2020-03-01', '辞职');
  lawyer(f1, '红山区', '2021-05-10'); // hit: 14 months
  const f2 = { name: name(), idNo: newIdNo() };
  former(f2, COURTS[1]!, false, '2019-06-30', '辞职');
  lawyer(f2, '松山区', '2021-06-30'); // near-miss: exactly two years
  const f3 = { name: name(), idNo: newIdNo() };
  former(f3, COURTS[2]!, true, '2019-01-15', '辞职');
  lawyer(f3, '元宝山区', '2021-09-01'); // hit: a leader, within three years
  const f4 = { name: name(), idNo: newIdNo() };
  former(f4, COURTS[0]!, false, '2014-09-30', '辞职');
  const l4 = lawyer(f4, '红山区', '2017-03-01'); // more than two years after leaving
  for (let i = 0; i < 8; i++) former({ name: name(), idNo: newIdNo() }, r.pick(COURTS), false, `201${r.int(0, 8)}-0${r.int(1, 9)}-15`, '退休'); // none practise
  // 任职回避
  const wife = relOf(judges[0]!.idNo, 'spouse');
  lawyer(wife, '红山区', '2015-03-02'); // hit: same district
  const son = relOf(judges[4]!.idNo, 'child');
  lawyer(son, '元宝山区', '2019-07-01'); // near-miss: another district
  const brother = relOf(judges[8]!.idNo, 'sibling');
  lawyer(brother, '元宝山区', '2012-10-08'); // near-miss: a sibling
  for (let i = 0; i < 24; i++) lawyer({ name: name(), idNo: newIdNo() }, r.pick(DISTRICTS), `20${r.int(10, 20)}-0${r.int(1, 9)}-0${r.int(1, 9)}`);

  // Cases: in each court 8 judges share about 160 appearances of the lawyers at random.
  let caseNo = 0;
  const appear = (court: string, judge: string, licence: string, date: string) =>
    add('appearance', { case_no: `（2021）蒙04${String(2 + COURTS.indexOf(court)).padStart(2, '0')}民初${++caseNo}号`, court, judge, licence_no: licence, role: r.pick(['原告代理人', '被告代理人', '辩护人']), appeared_on: date });
  const judgeNames = COURTS.map(() => Array.from({ length: 8 }, () => name()));
  const date = () => `2021-${String(r.int(1, 10)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
  COURTS.forEach((court, c) => {
    for (let i = 0; i < 160; i++) appear(court, r.pick(judgeNames[c]!), r.pick(lawyers.slice(5)).licence, date());
  });
  const broker = lawyers[10]!;
  for (let i = 0; i < 12; i++) appear(COURTS[1]!, judgeNames[1]![2]!, broker.licence, date()); // hit
  for (let i = 0; i < 4; i++) appear(COURTS[1]!, r.pick(judgeNames[1]!.slice(3)), broker.licence, date());
  const busy = lawyers[11]!;
  for (let i = 0; i < 5; i++) appear(COURTS[2]!, judgeNames[2]![0]!, busy.licence, date()); // near-miss: about 2×
  for (let i = 0; i < 20; i++) appear(COURTS[2]!, r.pick(judgeNames[2]!.slice(1)), busy.licence, date());
  appear(COURTS[0]!, r.pick(judgeNames[0]!), l4.licence, '2021-04-12'); // hit: in his former court
  appear(COURTS[1]!, r.pick(judgeNames[1]!), l4.licence, '2021-05-20'); // near-miss: another court

  seedCorrection(r, name, newIdNo, id, add, shanghaiDate(new Date(now)));

  const day = now.slice(0, 10);
  for (const kind of Object.keys(rows) as DatasetKind[]) {
    const snapshotId = newId();
    const list = rows[kind];
    await trx.insertInto('screening_snapshot').values({
      id: snapshotId, kind, file_name: `演示数据-${DATASETS[kind].label}-${day}.xlsx`, status: 'ready', total_rows: list.length, imported_rows: list.length,
      skipped_rows: 0, imported_by: null, imported_by_name: '系统（演示数据）', started_at: now, imported_at: now,
    }).execute();
    for (let i = 0; i < list.length; i += 200) {
      await trx.insertInto(DATASETS[kind].table as 'scr_staff').values(list.slice(i, i + 200).map((x) => ({ ...x, snapshot_id: snapshotId })) as never).execute();
    }
    await deriveSnapshot(trx, kind, snapshotId);
  }
  const run = await runScreeningWithin(trx, ctx);
  return { screeningRows: Object.values(rows).reduce((a, x) => a + x.length, 0), screeningHits: run.rules.reduce((a, x) => a + x.hits, 0) };
}

/**
 * 社区矫正, dated back from the demo's today (T): twelve subjects whose judgments took effect 100 days ago,
 * reporting every five days, and the planted cases (see the file's head).
 */
function seedCorrection(
  r: ReturnType<typeof prng>, name: () => string, newIdNo: () => string, id: (idNo: string, key?: string) => Record<string, string>,
  add: (kind: DatasetKind, row: Record<string, unknown>) => void, today: string,
) {
  const T = (n: number) => dayAdd(today, n);
  const at = (date: string, hm: string) => {
    const t = parseDateTime(`${date} ${hm}`)!;
    return { at: t.text, at_min: t.minutes };
  };
  const subjects = Array.from({ length: 12 }, (_, i) => ({ i, name: name(), idNo: newIdNo(), district: i === 7 || i === 8 ? '红山区' : r.pick(['红山区', '松山区']) }));
  subjects.forEach((x, i) => {
    const ended = i === 9; // S10: the term ended 30 days ago
    const effective = i === 11 ? T(-5) : ended ? T(-400) : T(-100);
    add('correction_notice', {
      name: x.name, ...id(x.idNo), judgment_no: `（20${20 + (i % 5)}）蒙0402刑初${100 + i}号`, court: '赤峰市红山区人民法院',
      effective_on: effective, term_start: dayAdd(effective, 5), term_end: ended ? T(-30) : dayAdd(effective, 365), district: x.district,
    });
    // Intake within three days, except S1 (never: 漏管), S2 (the 11th day: late) and S3 (the 10th: in time).
    const intakeDay = i === 1 ? 11 : i === 2 ? 10 : 3;
    if (i !== 0 && i !== 11) add('correction_intake', { ...id(x.idNo), registered_on: dayAdd(effective, intakeDay), district: x.district, office: `${x.district}某司法所` });
  });
  // Reports every five days from the term's start, at 09:0i near home (each subject its own minute and place).
  const lng0 = 118.88;
  const lat0 = 42.26;
  const gapOf: Record<number, [from: number, days: number]> = { 3: [-60, 12], 4: [-60, 12], 5: [-50, 12], 6: [-40, 7] };
  for (const x of subjects) {
    if (x.i === 0 || x.i === 11) continue;
    const start = x.i === 9 ? T(-395) : T(-95);
    const end = x.i === 9 ? T(-30) : T(0);
    const gap = gapOf[x.i];
    for (let d = start; d < end; d = dayAdd(d, 5)) {
      if (gap && d > T(gap[0]) && d < T(gap[0] + gap[1])) continue;
      if (x.i === 10 && d >= T(-40) && d <= T(-20) && d !== T(-30)) continue; // in custody; one check-in on T-30 all the same
      add('correction_checkin', { ...id(x.idNo), ...at(d, `09:0${x.i % 10}`), method: '定位签到', district: x.district, lng: lng0 + x.i * 0.01, lat: lat0 + x.i * 0.01 });
    }
    // The report that ends a gap, at the subject's usual minute: S7's gap is exactly the 7 days allowed.
    if (gap) add('correction_checkin', { ...id(x.idNo), ...at(T(gap[0] + gap[1]), `09:0${x.i % 10}`), method: '报到', district: x.district, lng: lng0 + x.i * 0.01, lat: lat0 + x.i * 0.01 });
  }
  // S4 and S5 checked in at the same minute and place once (代签); S8 away with no leave; S9 away on approved leave.
  for (const x of [subjects[3]!, subjects[4]!]) add('correction_checkin', { ...id(x.idNo), ...at(T(-20), '15:17'), method: '定位签到', district: x.district, lng: 118.95, lat: 42.3 });
  add('correction_checkin', { ...id(subjects[7]!.idNo), ...at(T(-12), '11:20'), method: '定位签到', district: '宁城县', lng: 119.34, lat: 41.6 });
  add('correction_checkin', { ...id(subjects[8]!.idNo), ...at(T(-12), '11:25'), method: '定位签到', district: '宁城县', lng: 119.35, lat: 41.61 });
  add('correction_leave', { ...id(subjects[8]!.idNo), from_on: T(-14), to_on: T(-10), destination: '宁城县（探亲）' });
  // S6's gap was while in custody; S11 in custody 40 to 20 days ago.
  add('correction_custody', { ...id(subjects[5]!.idNo), from_on: T(-49), to_on: T(-39) });
  add('correction_custody', { ...id(subjects[10]!.idNo), from_on: T(-40), to_on: T(-20) });
  // S5 was warned in time after its gap; S4 never was.
  add('correction_warning', { ...id(subjects[4]!.idNo), issued_on: T(-46), reason: '未按规定报到' });
  // Visits: S10 visited after the term; 张某 in two places 90 km apart within half an hour; 李某 30 km in an hour.
  add('correction_visit', { officer: '张某', ...id(subjects[9]!.idNo), ...at(T(-10), '14:00'), lng: 118.9, lat: 42.27 });
  add('correction_visit', { officer: '张某', ...id(subjects[1]!.idNo), ...at(T(-15), '09:00'), lng: 118.9, lat: 42.27 });
  add('correction_visit', { officer: '张某', ...id(subjects[2]!.idNo), ...at(T(-15), '09:30'), lng: 119.95, lat: 42.0 });
  add('correction_visit', { officer: '李某', ...id(subjects[3]!.idNo), ...at(T(-15), '09:00'), lng: 118.9, lat: 42.27 });
  add('correction_visit', { officer: '李某', ...id(subjects[4]!.idNo), ...at(T(-15), '10:00'), lng: 119.2, lat: 42.35 });
}
