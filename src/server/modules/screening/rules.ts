import { evidence as ev, fingerprint as fp, type Evidence, type Finding } from './evidence.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Dialect } from '../../db/index.js';
import {
  ENTERPRISE_ROLE_LABELS, ORG_KIND_LABELS, RELATION_LABELS, RULE_PARAMS,
  type DatasetKind, type RuleKind,
} from '../../../shared/schemas/screening.js';
import { lostContact, missedIntake, missingWarning, paperSupervision } from './rules-correction.js';

// The rules' engines. Each kind reads the current snapshots of its registers, joins them by the
// keyed blind index of the resident ID number (never the number itself) in SQL, and answers its
// findings: a fingerprint of what was found (the same finding keeps it across runs, whatever the
// parameters or the snapshot), who it concerns, a plain-Chinese summary and reasoning, and the
// evidence rows (register, row number in the imported file, and the fields that matter — never an
// ID number). Parameters were checked against RULE_PARAMS when saved.

export type { Evidence, Finding };

export type Snapshots = Partial<Record<DatasetKind, string>>;

export interface RuleRun {
  db: Kysely<DB>;
  dialect: Dialect;
  snapshots: Snapshots;
  /** The screening date (Asia/Shanghai), YYYY-MM-DD. */
  asOf: string;
}


/** YYYY-MM-DD plus whole years (29 February becomes 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ny = y + years;
  const last = new Date(Date.UTC(ny, m, 0)).getUTCDate();
  return `${ny}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** P(X ≥ k) for X ~ Poisson(λ), summed in log space (stable for the counts a court sees). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  let logTerm = -lambda; // log P(X = 0)
  let below = Math.exp(logTerm);
  for (let i = 1; i < k; i++) {
    logTerm += Math.log(lambda) - Math.log(i);
    below += Math.exp(logTerm);
  }
  return Math.max(0, 1 - below);
}

async function enterpriseHolding(r: RuleRun, p: { orgKinds: string[]; relations: string[]; roles: string[]; minSharePct: number }): Promise<Finding[]> {
  const s = r.snapshots;
  const roleOk = (role: string, share: number | null) => p.roles.includes(role) && (role !== 'shareholder' || (share ?? 100) >= p.minSharePct);
  const active = (end: string | null) => end === null || end >= r.asOf;
  const staffCols = ['st.row_no as st_row', 'st.name as st_name', 'st.id_no_bidx as st_bidx', 'st.org_kind', 'st.org_name', 'st.district', 'st.post'] as const;
  const entCols = ['e.row_no as e_row', 'e.enterprise', 'e.credit_code', 'e.role', 'e.share_pct', 'e.start_on', 'e.end_on'] as const;
  const own = await r.db
    .selectFrom('scr_staff as st')
    .innerJoin('scr_enterprise_role as e', (j) => j.onRef('e.id_no_bidx', '=', 'st.id_no_bidx').on('e.snapshot_id', '=', s.enterprise_role!))
    .select([...staffCols, ...entCols])
    .where('st.snapshot_id', '=', s.staff!)
    .where('st.org_kind', 'in', p.orgKinds)
    .execute();
  const viaKin = p.relations.length
    ? await r.db
        .selectFrom('scr_staff as st')
        .innerJoin('scr_relative as rel', (j) => j.onRef('rel.staff_id_no_bidx', '=', 'st.id_no_bidx').on('rel.snapshot_id', '=', s.relative!))
        .innerJoin('scr_enterprise_role as e', (j) => j.onRef('e.id_no_bidx', '=', 'rel.id_no_bidx').on('e.snapshot_id', '=', s.enterprise_role!))
        .select([...staffCols, ...entCols, 'rel.row_no as rel_row', 'rel.relation', 'rel.name as rel_name', 'rel.id_no_bidx as rel_bidx'])
        .where('st.snapshot_id', '=', s.staff!)
        .where('st.org_kind', 'in', p.orgKinds)
        .where('rel.relation', 'in', p.relations)
        .execute()
    : [];
  const out: Finding[] = [];
  for (const x of [...own.map((o) => ({ ...o, rel_row: null, relation: null, rel_name: null, rel_bidx: null })), ...viaKin]) {
    if (!roleOk(x.role, x.share_pct) || !active(x.end_on)) continue;
    const holder = x.relation ? `其${RELATION_LABELS[x.relation]}${x.rel_name}` : '本人';
    const roleText = `${ENTERPRISE_ROLE_LABELS[x.role]}${x.role === 'shareholder' && x.share_pct !== null ? `（持股 ${x.share_pct}%）` : ''}`;
    const evidence = [
      ev('staff', s.staff!, x.st_row, [['姓名', x.st_name], ['机构类别', ORG_KIND_LABELS[x.org_kind]], ['单位', x.org_name], ['职务', x.post]]),
    ];
    if (x.rel_row !== null) evidence.push(ev('relative', s.relative!, x.rel_row, [['亲属关系', RELATION_LABELS[x.relation!]], ['亲属姓名', x.rel_name]]));
    evidence.push(ev('enterprise_role', s.enterprise_role!, x.e_row, [
      ['企业名称', x.enterprise], ['统一社会信用代码', x.credit_code], ['任职类型', roleText], ['起始日期', x.start_on], ['终止日期', x.end_on ?? '仍在任'],
    ]));
    out.push({
      fingerprint: fp('enterprise', x.st_bidx, x.rel_bidx ?? 'self', x.credit_code, x.role),
      subject: `${x.st_name}（${x.org_name}）`,
      subjectIdBidx: x.st_bidx,
      summary: `${x.st_name}${x.relation ? `的${RELATION_LABELS[x.relation]}${x.rel_name}` : '本人'}在“${x.enterprise}”任${roleText}`,
      reasoning: `在职人员名册与企业登记按身份证号比对一致：${holder}自 ${x.start_on} 起在该企业任${roleText}，截至 ${r.asOf} 仍在任。`,
      evidence,
    });
  }
  return out;
}

async function revolvingDoor(r: RuleRun, p: { years: number; leaderYears: number; seniorGradeKeyword: string }): Promise<Finding[]> {
  const s = r.snapshots;
  const rows = await r.db
    .selectFrom('scr_former_staff as f')
    .innerJoin('scr_lawyer as l', (j) => j.onRef('l.id_no_bidx', '=', 'f.id_no_bidx').on('l.snapshot_id', '=', s.lawyer!))
    .select([
      'f.row_no as f_row', 'f.name', 'f.id_no_bidx as bidx', 'f.org_kind', 'f.org_name', 'f.post', 'f.grade', 'f.is_leader', 'f.left_on', 'f.reason',
      'l.row_no as l_row', 'l.licence_no', 'l.firm', 'l.practice_start',
    ])
    .where('f.snapshot_id', '=', s.former_staff!)
    .execute();
  const out: Finding[] = [];
  for (const x of rows) {
    const senior = Number(x.is_leader) === 1 || Boolean(p.seniorGradeKeyword && x.grade?.includes(p.seniorGradeKeyword));
    const years = senior ? p.leaderYears : p.years;
    const until = addYears(x.left_on, years);
    if (x.practice_start < x.left_on || x.practice_start >= until) continue;
    out.push({
      fingerprint: fp('revolving', x.bidx, x.licence_no),
      subject: `${x.name}（原${x.org_name}）`,
      subjectIdBidx: x.bidx,
      summary: `${x.name} ${x.left_on} 从${x.org_name}离任，${x.practice_start} 起在${x.firm}执业，未满 ${years} 年`,
      reasoning: `离任法官、检察官名册与律师执业登记按身份证号比对一致。${senior ? '担任领导职务或高级职级' : '一般人员'}离任后 ${years} 年内（${until} 之前）不得担任律师，其执业起始日 ${x.practice_start} 在此期间内。`,
      evidence: [
        ev('former_staff', s.former_staff!, x.f_row, [['姓名', x.name], ['原单位', x.org_name], ['原职务', x.post], ['职级', x.grade], ['是否领导职务', Number(x.is_leader) ? '是' : '否'], ['离任日期', x.left_on], ['离任原因', x.reason]]),
        ev('lawyer', s.lawyer!, x.l_row, [['执业证号', x.licence_no], ['律师事务所', x.firm], ['执业起始日期', x.practice_start]]),
      ],
    });
  }
  return out;
}

async function formerCourtCase(r: RuleRun): Promise<Finding[]> {
  const s = r.snapshots;
  const rows = await r.db
    .selectFrom('scr_former_staff as f')
    .innerJoin('scr_lawyer as l', (j) => j.onRef('l.id_no_bidx', '=', 'f.id_no_bidx').on('l.snapshot_id', '=', s.lawyer!))
    .innerJoin('scr_appearance as a', (j) => j.onRef('a.licence_no', '=', 'l.licence_no').onRef('a.court', '=', 'f.org_name').on('a.snapshot_id', '=', s.appearance!))
    .select([
      'f.row_no as f_row', 'f.name', 'f.id_no_bidx as bidx', 'f.org_name', 'f.left_on', 'l.row_no as l_row', 'l.licence_no', 'l.firm',
      'a.row_no as a_row', 'a.case_no', 'a.court', 'a.judge', 'a.role', 'a.appeared_on',
    ])
    .where('f.snapshot_id', '=', s.former_staff!)
    .whereRef('a.appeared_on', '>', 'f.left_on')
    .execute();
  return rows.map((x) => ({
    fingerprint: fp('former_court', x.bidx, x.case_no, x.court),
    subject: `${x.name}（原${x.org_name}）`,
    subjectIdBidx: x.bidx,
    summary: `${x.name}离任后以律师身份在原任职的${x.court}代理（${x.case_no}）`,
    reasoning: `离任法官、检察官名册与律师执业登记按身份证号比对一致，律师代理案件按执业证号关联：${x.left_on} 离任后，${x.appeared_on} 在原任职法院代理案件。离任人员终身不得担任原任职法院办理案件的诉讼代理人或辩护人。`,
    evidence: [
      ev('former_staff', s.former_staff!, x.f_row, [['姓名', x.name], ['原单位', x.org_name], ['离任日期', x.left_on]]),
      ev('lawyer', s.lawyer!, x.l_row, [['执业证号', x.licence_no], ['律师事务所', x.firm]]),
      ev('appearance', s.appearance!, x.a_row, [['案号', x.case_no], ['审理法院', x.court], ['承办法官', x.judge], ['代理身份', x.role], ['日期', x.appeared_on]]),
    ],
  }));
}

async function kinAvoidance(r: RuleRun, p: { relations: string[] }): Promise<Finding[]> {
  const s = r.snapshots;
  const rows = await r.db
    .selectFrom('scr_staff as st')
    .innerJoin('scr_relative as rel', (j) => j.onRef('rel.staff_id_no_bidx', '=', 'st.id_no_bidx').on('rel.snapshot_id', '=', s.relative!))
    .innerJoin('scr_lawyer as l', (j) => j.onRef('l.id_no_bidx', '=', 'rel.id_no_bidx').onRef('l.district', '=', 'st.district').on('l.snapshot_id', '=', s.lawyer!))
    .select([
      'st.row_no as st_row', 'st.name', 'st.id_no_bidx as bidx', 'st.org_kind', 'st.org_name', 'st.district', 'st.post',
      'rel.row_no as rel_row', 'rel.relation', 'rel.name as rel_name', 'rel.id_no_bidx as rel_bidx',
      'l.row_no as l_row', 'l.licence_no', 'l.firm', 'l.practice_start',
    ])
    .where('st.snapshot_id', '=', s.staff!)
    .where('st.org_kind', 'in', ['court', 'procuratorate'])
    .where('rel.relation', 'in', p.relations)
    .execute();
  return rows.map((x) => ({
    fingerprint: fp('kin', x.bidx, x.rel_bidx),
    subject: `${x.name}（${x.org_name}）`,
    subjectIdBidx: x.bidx,
    summary: `${x.org_name}${x.name}的${RELATION_LABELS[x.relation]}${x.rel_name}在${x.district}${x.firm}执业`,
    reasoning: `近亲属名册与律师执业登记按身份证号比对一致：${ORG_KIND_LABELS[x.org_kind]}在职人员的${RELATION_LABELS[x.relation]}在同一地区（${x.district}）担任律师，应核查是否执行任职回避。`,
    evidence: [
      ev('staff', s.staff!, x.st_row, [['姓名', x.name], ['机构类别', ORG_KIND_LABELS[x.org_kind]], ['单位', x.org_name], ['所属地区', x.district], ['职务', x.post]]),
      ev('relative', s.relative!, x.rel_row, [['亲属关系', RELATION_LABELS[x.relation]], ['亲属姓名', x.rel_name]]),
      ev('lawyer', s.lawyer!, x.l_row, [['执业证号', x.licence_no], ['律师事务所', x.firm], ['执业地区', x.district], ['执业起始日期', x.practice_start]]),
    ],
  }));
}

/** Up to this many margins are counted one index range each (a test lowers it to try the other way). */
export const AFFINITY_MARGINS = { byRange: 1000 };

async function judgeAffinity(r: RuleRun, p: { minCount: number; ratio: number; alpha: number }): Promise<Finding[]> {
  const snap = r.snapshots.appearance!;
  const db = r.db;
  const pairs = await db
    .selectFrom('scr_appearance')
    .select(['court', 'judge', 'licence_no', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('row_no').as('first_row')])
    .where('snapshot_id', '=', snap)
    .groupBy(['court', 'judge', 'licence_no'])
    .having((eb) => eb.fn.countAll(), '>=', p.minCount)
    .execute();
  if (!pairs.length) return [];
  // The margins of the pairs found: a court's, a judge's and a lawyer's counts. A few pairs (the usual
  // case) are counted one index range each; many (a low threshold) by grouping their courts whole.
  const totals = new Map<string, number>();
  const judges = new Map<string, number>();
  const lawyers = new Map<string, number>();
  type Pair = (typeof pairs)[number];
  const margins = [
    { into: totals, key: (x: Pair) => x.court, cols: ['court'] as const },
    { into: judges, key: (x: Pair) => `${x.court}\u0000${x.judge}`, cols: ['court', 'judge'] as const },
    { into: lawyers, key: (x: Pair) => `${x.court}\u0000${x.licence_no}`, cols: ['licence_no', 'court'] as const },
  ];
  const courts = [...new Set(pairs.map((x) => x.court))];
  for (const m of margins) {
    const wanted = new Map(pairs.map((x) => [m.key(x), x]));
    if (wanted.size <= AFFINITY_MARGINS.byRange) {
      for (const [key, x] of wanted) {
        let q = db.selectFrom('scr_appearance').select((eb) => eb.fn.countAll<number>().as('n')).where('snapshot_id', '=', snap);
        for (const col of m.cols) q = q.where(col, '=', x[col]);
        m.into.set(key, Number((await q.executeTakeFirstOrThrow()).n));
      }
      continue;
    }
    for (let i = 0; i < courts.length; i += 200) {
      const rows = await db
        .selectFrom('scr_appearance')
        .select([...m.cols, (eb) => eb.fn.countAll<number>().as('n')])
        .where('snapshot_id', '=', snap)
        .where('court', 'in', courts.slice(i, i + 200))
        .groupBy([...m.cols])
        .execute();
      for (const t of rows) m.into.set(m.key(t as unknown as Pair), Number(t.n));
    }
  }
  const names = new Map<string, { name: string; firm: string; row: number }>();
  if (r.snapshots.lawyer) {
    const licences = [...new Set(pairs.map((x) => x.licence_no))];
    for (let i = 0; i < licences.length; i += 500) {
      for (const l of await db.selectFrom('scr_lawyer').select(['licence_no', 'name', 'firm', 'row_no']).where('snapshot_id', '=', r.snapshots.lawyer).where('licence_no', 'in', licences.slice(i, i + 500)).execute()) {
        names.set(l.licence_no, { name: l.name, firm: l.firm, row: l.row_no });
      }
    }
  }
  const out: Finding[] = [];
  for (const x of pairs) {
    const n = Number(x.n);
    const total = totals.get(x.court) ?? 0;
    const lawyerN = lawyers.get(`${x.court}\u0000${x.licence_no}`) ?? 0;
    const judgeN = judges.get(`${x.court}\u0000${x.judge}`) ?? 0;
    const expected = total ? (lawyerN * judgeN) / total : 0;
    const ratio = expected ? n / expected : Infinity;
    const pValue = poissonTail(n, expected);
    if (ratio < p.ratio || pValue >= p.alpha) continue;
    const who = names.get(x.licence_no);
    const lawyerText = who ? `律师${who.name}（${who.firm}，执业证号 ${x.licence_no}）` : `执业证号 ${x.licence_no} 的律师`;
    const evidence = [
      ev('appearance', snap, Number(x.first_row), [
        ['审理法院', x.court], ['承办法官', x.judge], ['律师执业证号', x.licence_no], ['共同出现次数', n], ['该律师在本院代理案件数', lawyerN],
        ['该法官承办案件数', judgeN], ['本院案件总数', total], ['期望次数', expected.toFixed(2)], ['为期望的倍数', ratio.toFixed(1)], ['偶然出现概率', pValue.toExponential(2)],
      ]),
    ];
    if (who && r.snapshots.lawyer) evidence.push(ev('lawyer', r.snapshots.lawyer, who.row, [['姓名', who.name], ['律师事务所', who.firm], ['执业证号', x.licence_no]]));
    out.push({
      fingerprint: fp('affinity', x.court, x.judge, x.licence_no),
      subject: who ? `${who.name}（律师）与${x.judge}（法官）` : `${x.licence_no}（律师）与${x.judge}（法官）`,
      subjectIdBidx: null,
      summary: `${lawyerText}在${x.court}${x.judge}承办的案件中出现 ${n} 次，期望约 ${expected.toFixed(1)} 次`,
      reasoning: `期望次数 = 该律师在本院代理案件数 ${lawyerN} × 该法官承办案件数 ${judgeN} ÷ 本院案件总数 ${total} = ${expected.toFixed(2)}；实际 ${n} 次，为期望的 ${ratio.toFixed(1)} 倍（阈值 ${p.ratio} 倍）；按泊松分布，偶然出现不少于 ${n} 次的概率为 ${pValue.toExponential(2)}（低于 ${p.alpha}），且不少于 ${p.minCount} 次。`,
      evidence,
    });
  }
  return out;
}

type Engine = (r: RuleRun, params: any) => Promise<Finding[]>;

const ENGINES: Record<RuleKind, Engine> = {
  enterprise_holding: enterpriseHolding,
  revolving_door: revolvingDoor,
  former_court_case: (r) => formerCourtCase(r),
  kin_avoidance: kinAvoidance,
  judge_affinity: judgeAffinity,
  missed_intake: missedIntake,
  lost_contact: lostContact,
  missing_warning: missingWarning,
  paper_supervision: paperSupervision,
};

/** The registers a kind reads (judge_affinity names lawyers when their register is there, but needs only appearances). */
export const REQUIRED: Record<RuleKind, DatasetKind[]> = {
  enterprise_holding: ['staff', 'enterprise_role'],
  revolving_door: ['former_staff', 'lawyer'],
  former_court_case: ['former_staff', 'lawyer', 'appearance'],
  kin_avoidance: ['staff', 'relative', 'lawyer'],
  judge_affinity: ['appearance'],
  missed_intake: ['correction_notice', 'correction_intake'],
  // Leave and custody registers, when imported, excuse a check-in away or a gap; without them none is excused.
  lost_contact: ['correction_notice', 'correction_checkin'],
  missing_warning: ['correction_notice', 'correction_checkin', 'correction_warning'],
  paper_supervision: ['correction_notice', 'correction_checkin', 'correction_visit'],
};

/** A rule's findings on the given snapshots; params as stored (parsed here against the kind's schema). */
export async function evaluate(kind: RuleKind, params: unknown, run: RuleRun): Promise<Finding[]> {
  const p = RULE_PARAMS[kind].parse(params);
  if (kind === 'enterprise_holding' && (p as { relations: string[] }).relations.length && !run.snapshots.relative) {
    // Without a register of relatives only officers themselves can be checked.
    return ENGINES[kind](run, { ...p, relations: [] });
  }
  return ENGINES[kind](run, p);
}
