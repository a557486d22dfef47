import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { dialectOf, targets } from '../support/db.js';
import { fileForm } from '../support/files.js';
import { rowCounts } from '../support/writes.js';
import { residentIdCheckChar } from '../../src/shared/validators.js';
import { usccCheckChar } from '../../src/shared/schemas/service-labels.js';
import { shanghaiDate } from '../../src/server/platform/time.js';
import { AFFINITY_MARGINS, evaluate } from '../../src/server/modules/screening/rules.js';
import { currentSnapshots } from '../../src/server/modules/screening/commands.js';
import { DERIVE } from '../../src/server/modules/screening/datasets.js';

// 智能化数据排查: registers imported as snapshots (row-by-row report, nothing imported from a bad file
// unless told to take the good rows), each rule on hand-made data with hits and near-misses one day
// either side of its windows, re-runs that never duplicate a finding, review into clues, and access.

let serial = 0;
/** A valid resident ID number, a new one each call. */
const idNo = () => {
  const first17 = `150402198${serial % 10}0${(serial % 9) + 1}1${serial % 9}${String(++serial).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};
const uscc = (i: number) => {
  const body = `91150402MA0${String(100000 + i)}`.slice(0, 17);
  return body + usccCheckChar(body);
};
const csv = (rows: (string | number)[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'));

describe.each(targets())('data screening on %s', (target) => {
  let s: TestServer;
  let handler: Client;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;

  beforeAll(async () => {
    s = await startServer(target);
    [handler, office, unitadmin, officer] = await Promise.all([s.as('cluehandler'), s.as('office'), s.as('unitadmin'), s.as('officer')]);
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const upload = (kind: string, data: Buffer, name = `${kind}.csv`, q = '') => handler.post(`/api/screening/datasets/${kind}/import${q}`, fileForm(data, name));
  const tables = ['screening_snapshot', 'scr_staff', 'screening_hit', 'clue', 'audit_log'] as const;

  it('only clue handlers reach it; leaders see counts only', async () => {
    for (const c of [office, unitadmin, officer]) {
      expect((await c.get('/api/screening/hits')).status).toBe(403);
      expect((await c.get('/api/screening/rules')).status).toBe(403);
      expect((await c.post('/api/screening/runs', {})).status).toBe(403);
    }
    const before = await rowCounts(db(), ...tables);
    expect((await office.post('/api/screening/datasets/staff/import', fileForm(csv([['姓名'], ['张三']]), 'a.csv'))).status).toBe(403);
    expect(await rowCounts(db(), ...tables)).toEqual(before);
    const officeStats = await office.get('/api/stats');
    expect(officeStats.body.screening.hits).toBeGreaterThan(0);
    expect((await unitadmin.get('/api/stats')).body.screening?.hits ?? null).toBeNull();
  });

  it('the demo finds every rule\'s planted hits; a hit explains itself without an ID number, and each view is audited', async () => {
    const list = await handler.get('/api/screening/hits?status=open&pageSize=50');
    expect(list.status).toBe(200);
    const rules = new Set(list.body.items.map((h: any) => h.ruleCode));
    for (const r of ['enterprise_holding', 'revolving_door', 'former_court_case', 'kin_avoidance', 'judge_affinity', 'missed_intake', 'lost_contact', 'missing_warning', 'paper_supervision']) {
      expect(rules.has(r), r).toBe(true);
    }
    expect(list.body.total).toBe(19);
    expect(list.body.items.filter((h: any) => h.ruleCode === 'revolving_door')).toHaveLength(2);
    const seq = Number((await db().selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow()).seq);
    const d = await handler.get(`/api/screening/hits/${list.body.items[0].id}`);
    expect(d.status).toBe(200);
    expect(d.body.reasoning.length).toBeGreaterThan(10);
    expect(d.body.description.length).toBeGreaterThan(10);
    expect(d.body.evidence.length).toBeGreaterThan(0);
    expect(d.text).not.toMatch(/\d{17}[\dX]/);
    const a = await db().selectFrom('audit_log').selectAll().where('seq', '>', seq).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(a).toMatchObject({ action: 'read_protected', entity_type: 'screening_hit', entity_id: d.body.id });
    expect(`${a.before_json}${a.after_json}`).not.toContain(d.body.summary);
  });

  it('a malformed file: a row-by-row report, and nothing imported unless the good rows are asked for', async () => {
    const file = csv([
      ['姓名', '身份证号', '机构类别', '单位', '所属地区'],
      ['甲', idNo(), '法院', '某法院', '红山区'],
      ['乙', '150402198001011235', '法院', '某法院', '红山区'],
      ['丙', idNo(), '公安局', '某局', '红山区'],
      ['丁', idNo(), '检察院', '某院', ''],
    ]);
    const before = await rowCounts(db(), ...tables);
    const r = await upload('staff', file);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ snapshotId: null, totalRows: 4, imported: 0, skipped: 4, errorCount: 3 });
    expect(r.body.errors).toEqual([
      { row: 3, field: '身份证号', message: expect.stringContaining('校验位') },
      { row: 4, field: '机构类别', message: expect.stringContaining('法院') },
      { row: 5, field: '所属地区', message: '不能为空' },
    ]);
    expect(await rowCounts(db(), ...tables)).toMatchObject({ scr_staff: before.scr_staff, screening_hit: before.screening_hit, clue: before.clue });
    const ready = () => db().selectFrom('screening_snapshot').select('id').where('status', '=', 'ready').execute();
    const readyBefore = (await ready()).length;
    // Wrong columns: the file is refused as a whole, naming the missing ones.
    const wrong = await upload('staff', csv([['名字', '证件'], ['甲', idNo()]]));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ field: 'file' });
    expect(wrong.body.message).toContain('身份证号');
    // A date that does not exist.
    const dates = await upload('former_staff', csv([['姓名', '身份证号', '原单位类别', '原单位', '离任日期'], ['甲', idNo(), '法院', '某法院', '2021-02-30']]));
    expect(dates.body.errors).toEqual([{ row: 2, field: '离任日期', message: expect.stringContaining('不是有效日期') }]);
    expect((await ready()).length).toBe(readyBefore);
    // The good rows, when asked for: a new current snapshot of one row.
    const good = await upload('staff', file, 'staff.csv', '?mode=good_rows');
    expect(good.body).toMatchObject({ imported: 1, skipped: 3, errorCount: 3 });
    const ds = await handler.get('/api/screening/datasets');
    expect(ds.body.items.find((d: any) => d.kind === 'staff').current).toMatchObject({ snapshotId: good.body.snapshotId, rows: 1 });
  });

  it('check-ins: the long gaps and shared minutes and places are found at import; a refused or dry-run file leaves neither rows nor gaps', async () => {
    const [who, other] = [idNo(), idNo()];
    const rows = [
      ['身份证号', '时间', '所在地区', '经度', '纬度'],
      [who, '2026-01-01 08:00', '红山区', 118.9, 42.27], [who, '2026-01-01 20:00', '红山区', 118.9, 42.27],
      [who, '2026-01-09 08:00', '红山区', 118.95, 42.3], [who, '2026-01-09 08:30', '红山区', 118.95, 42.3],
      // Someone else at the same minute and place as the first; at the same place a minute later, not.
      [other, '2026-01-01 08:00', '红山区', 118.9, 42.27], [other, '2026-01-01 20:01', '红山区', 118.9, 42.27],
    ];
    const derived = ['scr_correction_checkin', 'scr_correction_gap', 'scr_correction_same_place', 'scr_correction_checkin_district', 'screening_snapshot'] as const;
    const before = await rowCounts(db(), ...derived);
    // A bad row refuses the whole file; a dry run only checks.
    expect((await upload('correction_checkin', csv([...rows, [who, '2026-02-30 08:00', '红山区']]))).body).toMatchObject({ imported: 0, errorCount: 1 });
    expect((await upload('correction_checkin', csv(rows), 'c.csv', '?dryRun=1')).body).toMatchObject({ imported: 0, errorCount: 0 });
    expect(await rowCounts(db(), ...derived)).toEqual(before);
    // Imported: one gap of over a day (01-01 20:00 → 01-09 08:00), none for 12 hours or 30 minutes.
    // Worked out a check-in at a time (as a register of millions is, DERIVE.chunk at a time): the same.
    DERIVE.chunk = 1;
    const ok = await upload('correction_checkin', csv(rows)).finally(() => (DERIVE.chunk = 20_000));
    expect(ok.body).toMatchObject({ imported: 6, errorCount: 0 });
    const gaps = await db().selectFrom('scr_correction_gap').select(['from_row', 'to_row', 'gap_min']).where('snapshot_id', '=', ok.body.snapshotId).execute();
    expect(gaps.map((g) => ({ ...g, gap_min: Number(g.gap_min) }))).toEqual([{ from_row: 3, to_row: 4, gap_min: (7 * 24 + 12) * 60 }]);
    const same = await db().selectFrom('scr_correction_same_place').select(['at_min', 'subjects']).where('snapshot_id', '=', ok.body.snapshotId).execute();
    expect(same.map((g) => ({ at: new Date(Number(g.at_min) * 60_000).toISOString(), subjects: Number(g.subjects) }))).toEqual([{ at: '2026-01-01T08:00:00.000Z', subjects: 2 }]);
    const districts = await db().selectFrom('scr_correction_checkin_district').select(['district', 'checkins']).where('snapshot_id', '=', ok.body.snapshotId).execute();
    expect(districts.map((d) => Number(d.checkins)).sort()).toEqual([2, 4]);
  });

  describe('each rule on hand-made registers', () => {
    // The server's today (Asia/Shanghai): the enterprise windows are relative to the day of the run.
    let asOf = '';
    let yesterday = '';
    const p = (name: string) => ({ name, id: idNo() });
    const officer1 = p('官甲');
    const officer2 = p('官乙');
    const officer3 = p('官丙');
    const judgeHs = p('法甲');
    const judgeSs = p('法乙');
    const spouse1 = p('配甲');
    const spouseJ = p('配法');
    const childJ = p('子法');
    const sibJ = p('兄法');
    const ends = [p('离甲'), p('离乙'), p('离丙'), p('离丁'), p('离戊')];
    let run: any;

    beforeAll(async () => {
      asOf = shanghaiDate(s.deps.now());
      yesterday = shanghaiDate(new Date(new Date(`${asOf}T12:00:00+08:00`).getTime() - 86_400_000));
      const staff = csv([
        ['姓名', '身份证号', '机构类别', '单位', '所属地区', '职务', '职级'],
        [officer1.name, officer1.id, '司法行政机关', '红山区司法局', '红山区', '科员', ''],
        [officer2.name, officer2.id, '司法行政机关', '红山区司法局', '红山区', '科员', ''],
        [officer3.name, officer3.id, '司法行政机关', '红山区司法局', '红山区', '科员', ''],
        [judgeHs.name, judgeHs.id, '法院', '红山区人民法院', '红山区', '审判员', ''],
        [judgeSs.name, judgeSs.id, '法院', '松山区人民法院', '松山区', '审判员', ''],
      ]);
      const relative = csv([
        ['本人身份证号', '亲属关系', '亲属姓名', '亲属身份证号'],
        [officer1.id, '配偶', spouse1.name, spouse1.id],
        [judgeHs.id, '配偶', spouseJ.name, spouseJ.id],
        [judgeSs.id, '子女', childJ.name, childJ.id],
        [judgeHs.id, '兄弟姐妹', sibJ.name, sibJ.id],
      ]);
      const enterprise = csv([
        ['企业名称', '统一社会信用代码', '姓名', '身份证号', '任职类型', '持股比例', '起始日期', '终止日期'],
        ['甲公司', uscc(1), spouse1.name, spouse1.id, '法定代表人', '', '2020-01-01', ''], // hit: a spouse
        ['乙公司', uscc(2), officer2.name, officer2.id, '股东', '10', '2020-01-01', asOf], // hit: ends today
        ['丙公司', uscc(3), officer3.name, officer3.id, '高级管理人员', '', '2020-01-01', yesterday], // no: ended yesterday
        ['丁公司', uscc(4), officer1.name, idNo(), '法定代表人', '', '2020-01-01', ''], // no: a namesake
      ]);
      const [e0, e1, e2, e3, e4] = ends;
      const former = csv([
        ['姓名', '身份证号', '原单位类别', '原单位', '职级', '是否领导职务', '离任日期'],
        [e0!.name, e0!.id, '法院', '红山区人民法院', '一级法官', '否', '2019-06-30'],
        [e1!.name, e1!.id, '法院', '红山区人民法院', '一级法官', '否', '2019-06-30'],
        [e2!.name, e2!.id, '法院', '红山区人民法院', '三级高级法官', '否', '2019-06-30'],
        [e3!.name, e3!.id, '检察院', '红山区人民检察院', '', '是', '2019-06-30'],
        [e4!.name, e4!.id, '法院', '松山区人民法院', '一级法官', '否', '2010-01-01'],
      ]);
      const lawyer = csv([
        ['姓名', '身份证号', '执业证号', '律师事务所', '执业地区', '执业起始日期'],
        [e0!.name, e0!.id, 'L0', '甲所', '红山区', '2021-06-29'], // hit: one day inside two years
        [e1!.name, e1!.id, 'L1', '甲所', '红山区', '2021-06-30'], // no: two years to the day
        [e2!.name, e2!.id, 'L2', '甲所', '红山区', '2022-06-29'], // hit: senior grade, three years
        [e3!.name, e3!.id, 'L3', '甲所', '红山区', '2022-06-30'], // no: a leader, three years to the day
        [e4!.name, e4!.id, 'L4', '乙所', '松山区', '2015-01-01'],
        [spouseJ.name, spouseJ.id, 'L5', '乙所', '红山区', '2015-01-01'], // kin hit: same district
        [childJ.name, childJ.id, 'L6', '乙所', '红山区', '2015-01-01'], // no: another district
        [sibJ.name, sibJ.id, 'L7', '乙所', '红山区', '2015-01-01'], // no: a sibling
        ['律甲', idNo(), 'L8', '丙所', '元宝山区', '2015-01-01'],
        ['律乙', idNo(), 'L9', '丙所', '元宝山区', '2015-01-01'],
      ]);
      const rows: (string | number)[][] = [['案号', '审理法院', '承办法官', '律师执业证号', '代理身份', '日期']];
      let n = 0;
      const add = (court: string, judge: string, licence: string, date = '2021-05-01') => rows.push([`案${++n}`, court, judge, licence, '代理人', date]);
      add('松山区人民法院', '判甲', 'L4', '2021-03-01'); // hit: in his former court after leaving
      add('松山区人民法院', '判甲', 'L4', '2010-01-01'); // no: on the day he left
      add('红山区人民法院', '判乙', 'L4', '2021-03-01'); // no: another court
      // 元宝山区: 200 cases. L8 in 10 of 判丙's 20 (expected 11 × 20 / 200 = 1.1): hit. L9 in 5 of 判丁's 50 with 20 in all (expected 5): no.
      for (let i = 0; i < 10; i++) add('元宝山区人民法院', '判丙', 'L8');
      add('元宝山区人民法院', '判戊', 'L8');
      for (let i = 0; i < 5; i++) add('元宝山区人民法院', '判丁', 'L9');
      for (let i = 0; i < 15; i++) add('元宝山区人民法院', '判戊', 'L9');
      const others = ['LA', 'LB', 'LC', 'LD', 'LE', 'LF', 'LG', 'LH', 'LI', 'LJ'];
      for (let i = 0; i < 10; i++) add('元宝山区人民法院', '判丙', others[i]!);
      for (let i = 0; i < 45; i++) add('元宝山区人民法院', '判丁', others[i % 10]!);
      for (let i = 0; i < 114; i++) add('元宝山区人民法院', '判戊', others[i % 10]!);
      for (const [kind, data] of [['staff', staff], ['relative', relative], ['enterprise_role', enterprise], ['former_staff', former], ['lawyer', lawyer], ['appearance', csv(rows)]] as const) {
        const r = await upload(kind, data);
        expect(r.status, `${kind}: ${JSON.stringify(r.body.errors ?? r.body)}`).toBe(200);
        expect(r.body.errorCount).toBe(0);
      }
      run = (await handler.post('/api/screening/runs', {})).body;
    });

    const found = async (rule: string) => {
      const r = await handler.get(`/api/screening/hits?rule=${rule}&present=1&pageSize=50`);
      return r.body.items.map((h: any) => h.summary as string).sort();
    };

    it('违规经商办企业: a spouse, a post ending today; not one that ended yesterday, nor a namesake', async () => {
      expect(run.asOf).toBe(asOf);
      const hits = await found('enterprise_holding');
      expect(hits).toHaveLength(2);
      expect(hits.some((h: string) => h.includes(spouse1.name) && h.includes('甲公司'))).toBe(true);
      expect(hits.some((h: string) => h.includes(officer2.name) && h.includes('乙公司'))).toBe(true);
    });

    it('离任从业: one day inside the two and three years, not on the day they end', async () => {
      const hits = await found('revolving_door');
      expect(hits).toHaveLength(2);
      expect(hits.some((h: string) => h.startsWith(ends[0]!.name))).toBe(true);
      expect(hits.some((h: string) => h.startsWith(ends[2]!.name))).toBe(true);
    });

    it('原任职法院代理 after leaving only; 任职回避 for a spouse in the same district only; 司法掮客 above the threshold only', async () => {
      const court = await found('former_court_case');
      expect(court).toHaveLength(1);
      expect(court[0]).toContain(ends[4]!.name);
      expect(court[0]).toContain('案1');
      const kin = await found('kin_avoidance');
      expect(kin).toHaveLength(1);
      expect(kin[0]).toContain(spouseJ.name);
      const broker = await found('judge_affinity');
      expect(broker).toHaveLength(1);
      expect(broker[0]).toContain('L8');
      expect(broker[0]).toContain('判丙');
      // Its margins counted by grouping whole courts (as with many pairs) give the same finding.
      const snapshots = Object.fromEntries([...(await currentSnapshots(db() as never))].map(([k, x]) => [k, x.id]));
      const params = { minCount: 5, ratio: 3, alpha: 0.001 };
      const byRange = await evaluate('judge_affinity', params, { db: db(), dialect: dialectOf(target), snapshots, asOf } as never);
      AFFINITY_MARGINS.byRange = 0;
      try {
        expect(await evaluate('judge_affinity', params, { db: db(), dialect: dialectOf(target), snapshots, asOf } as never)).toEqual(byRange);
      } finally {
        AFFINITY_MARGINS.byRange = 1000;
      }
      expect(byRange.map((f) => f.summary)).toEqual(broker);
    });

    it('a re-run duplicates nothing; a finding that goes away is resolved; a reviewed one stays reviewed', async () => {
      const again = (await handler.post('/api/screening/runs', {})).body;
      for (const r of again.rules) expect(r.new).toBe(0);
      expect(again.rules.reduce((a: number, r: any) => a + r.unchanged, 0)).toBe(run.rules.reduce((a: number, r: any) => a + r.hits, 0));
      const kin = (await handler.get('/api/screening/hits?rule=kin_avoidance&present=1')).body.items[0];
      // 排除 needs a reason: refused, nothing written.
      const before = await rowCounts(db(), ...tables);
      const bad = await handler.post(`/api/screening/hits/${kin.id}/dismiss`, { reason: '' });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('reason');
      expect(await rowCounts(db(), ...tables)).toEqual(before);
      expect((await handler.post(`/api/screening/hits/${kin.id}/dismiss`, { reason: '已核实，该律师不在配偶任职法院代理案件' })).status).toBe(200);
      const third = (await handler.post('/api/screening/runs', {})).body;
      expect(third.rules.find((r: any) => r.code === 'kin_avoidance')).toMatchObject({ hits: 1, new: 0, unchanged: 1 });
      const all = await handler.get('/api/screening/hits?rule=kin_avoidance&present=1&pageSize=50');
      expect(all.body.items).toHaveLength(1);
      expect(all.body.items[0]).toMatchObject({ id: kin.id, status: 'dismissed' });
      // The enterprise register without the spouse's company: that finding is resolved.
      const r = await upload('enterprise_role', csv([
        ['企业名称', '统一社会信用代码', '姓名', '身份证号', '任职类型', '持股比例', '起始日期', '终止日期'],
        ['乙公司', uscc(2), officer2.name, officer2.id, '股东', '10', '2020-01-01', asOf],
      ]));
      expect(r.body.imported).toBe(1);
      const fourth = (await handler.post('/api/screening/runs', {})).body;
      expect(fourth.rules.find((x: any) => x.code === 'enterprise_holding')).toMatchObject({ hits: 1, new: 0, resolved: 1 });
      const gone = await handler.get('/api/screening/hits?rule=enterprise_holding&present=0');
      expect(gone.body.items.some((h: any) => h.summary.includes(spouse1.name))).toBe(true);
    });

    it('a parameter change is a new version, checked whole; the next run records it', async () => {
      const before = await rowCounts(db(), ...tables, 'screening_rule_version');
      const bad = await handler.patch('/api/screening/rules/revolving_door', { params: { years: 0, leaderYears: 3, seniorGradeKeyword: '高级' } });
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('params.years');
      expect(bad.body.message).toContain('从业限制期');
      expect(await rowCounts(db(), ...tables, 'screening_rule_version')).toEqual(before);
      const ok = await handler.patch('/api/screening/rules/revolving_door', { params: { years: 3, leaderYears: 3, seniorGradeKeyword: '高级' } });
      expect(ok.body).toEqual({ code: 'revolving_door', version: 2 });
      const r = (await handler.post('/api/screening/runs', { rules: ['revolving_door'] })).body;
      // Three years for everyone: the one who started two years to the day after leaving is now found too.
      expect(r.rules).toEqual([expect.objectContaining({ code: 'revolving_door', version: 2, hits: 3, new: 1 })]);
      const versions = await handler.get('/api/screening/rules/revolving_door/versions');
      expect(versions.body.items.map((v: any) => v.version)).toEqual([2, 1]);
      expect((await handler.patch('/api/screening/rules/revolving_door', { params: { years: 2, leaderYears: 3, seniorGradeKeyword: '高级' } })).body.version).toBe(3);
    });
  });

  describe('社区矫正 rules on hand-made registers', () => {
    let T: (n: number) => string;
    const subj = (name: string) => ({ name, id: idNo() });
    const S = Array.from({ length: 10 }, (_, i) => subj(`矫${'甲乙丙丁戊己庚辛壬癸'[i]}`));
    let found: Record<string, string[]> = {};

    beforeAll(async () => {
      const asOf = shanghaiDate(s.deps.now());
      T = (n: number) => shanghaiDate(new Date(new Date(`${asOf}T12:00:00+08:00`).getTime() + n * 86_400_000));
      const notice = [['姓名', '身份证号', '判决文书号', '判决法院', '判决生效日期', '矫正起始日期', '矫正终止日期', '执行地']];
      S.forEach((x, i) => notice.push([x.name, x.id, `文书${i}`, '某法院', T(-100), T(-95), i === 8 ? T(-30) : T(265), '红山区']));
      // 漏管: 甲 none; 乙 on day 11; 丙 on day 10 (in time); the rest on day 3.
      const intake = [['身份证号', '登记日期', '执行地']];
      S.forEach((x, i) => i !== 0 && intake.push([x.id, T(-100 + (i === 1 ? 11 : i === 2 ? 10 : 3)), '红山区']));
      // Reports every 5 days at 09:00 from T-95 up to today, except: 丁 a gap of 8 days (T-60 → T-52); 戊 a gap of
      // exactly 7 days (T-40 → T-33); 己 a 12-day gap while in custody; 庚 away on T-12 with no leave, 辛 with leave.
      const checkin: (string | number)[][] = [['身份证号', '时间', '所在地区', '经度', '纬度']];
      const gaps: Record<number, [number, number]> = { 3: [-60, 8], 4: [-40, 7], 5: [-50, 12] };
      S.forEach((x, i) => {
        if (i === 0) return;
        const end = i === 8 ? -30 : 0;
        for (let d = -95; d < end; d += 5) {
          const g = gaps[i];
          if (g && d > g[0] && d < g[0] + g[1]) continue;
          checkin.push([x.id, `${T(d)} 09:0${i}`, '红山区', 118.8 + i / 100, 42.2 + i / 100]);
        }
        const g = gaps[i];
        if (g) checkin.push([x.id, `${T(g[0] + g[1])} 09:0${i}`, '红山区', 118.8 + i / 100, 42.2 + i / 100]);
      });
      checkin.push([S[6]!.id, `${T(-12)} 11:00`, '宁城县', 119.3, 41.6]);
      checkin.push([S[7]!.id, `${T(-12)} 11:00`, '宁城县', 119.31, 41.61]);
      // 虚管: 乙 and 丙 at the same minute and place (丁 there a minute later).
      checkin.push([S[1]!.id, `${T(-3)} 16:44`, '红山区', 118.99, 42.33]);
      checkin.push([S[2]!.id, `${T(-3)} 16:44`, '红山区', 118.99, 42.33]);
      checkin.push([S[3]!.id, `${T(-3)} 16:45`, '红山区', 118.99, 42.33]);
      const leave = [['身份证号', '外出起始日期', '外出终止日期', '目的地'], [S[7]!.id, T(-12), T(-12), '宁城县']];
      const custody = [['身份证号', '起始日期', '终止日期'], [S[5]!.id, T(-49), T(-39)]];
      // 丁 warned on the due day's deadline (T-53 + 15 = T-38): in time. 甲's gap never warned.
      const warning = [['身份证号', '警告日期', '事由'], [S[3]!.id, T(-38), '未按规定报到']];
      // Visits: 张 90 km in 30 minutes; 李 30 km in an hour; a visit to 壬 (term ended T-30) on T-5.
      const visit = [
        ['走访人员', '身份证号', '时间', '经度', '纬度'],
        ['张', S[2]!.id, `${T(-15)} 09:00`, 118.9, 42.27], ['张', S[3]!.id, `${T(-15)} 09:30`, 119.95, 42.0],
        ['李', S[4]!.id, `${T(-15)} 09:00`, 118.9, 42.27], ['李', S[5]!.id, `${T(-15)} 10:00`, 119.2, 42.35],
        ['李', S[8]!.id, `${T(-5)} 10:00`, 118.9, 42.27],
      ];
      for (const [kind, rows] of [['correction_notice', notice], ['correction_intake', intake], ['correction_checkin', checkin], ['correction_leave', leave], ['correction_custody', custody], ['correction_warning', warning], ['correction_visit', visit]] as const) {
        const r = await upload(kind, csv(rows as (string | number)[][]));
        expect(r.status, `${kind}: ${JSON.stringify(r.body.errors ?? r.body)}`).toBe(200);
        expect(r.body.errorCount, `${kind}: ${JSON.stringify(r.body.errors)}`).toBe(0);
      }
      const run = (await handler.post('/api/screening/runs', { rules: ['missed_intake', 'lost_contact', 'missing_warning', 'paper_supervision'] })).body;
      expect(run.rules.every((r: any) => r.skipped === null)).toBe(true);
      found = {};
      for (const rule of ['missed_intake', 'lost_contact', 'missing_warning', 'paper_supervision']) {
        found[rule] = (await handler.get(`/api/screening/hits?rule=${rule}&present=1&pageSize=50`)).body.items.map((h: any) => h.summary as string).sort();
      }
    });

    it('漏管: none, or on the 11th day; not on the 10th', () => {
      expect(found.missed_intake).toHaveLength(2);
      expect(found.missed_intake!.some((h) => h.startsWith(S[0]!.name) && h.includes('没有入矫登记'))).toBe(true);
      expect(found.missed_intake!.some((h) => h.startsWith(S[1]!.name) && h.includes(`迟至 ${T(-89)}`))).toBe(true);
    });

    it('脱管: a gap over 7 days, no check-ins at all, away with no leave; not exactly 7 days, not in custody, not on leave', () => {
      const hits = found.lost_contact!;
      expect(hits).toHaveLength(3);
      expect(hits.some((h) => h.startsWith(S[0]!.name))).toBe(true);
      expect(hits.some((h) => h.startsWith(S[3]!.name) && h.includes('约 8 日'))).toBe(true);
      expect(hits.some((h) => h.startsWith(S[6]!.name) && h.includes('宁城县'))).toBe(true);
    });

    it('应予警告未警告: the gap never warned; not the one warned on the last day', () => {
      expect(found.missing_warning).toHaveLength(1);
      expect(found.missing_warning![0]).toContain(S[0]!.name);
    });

    it('虚管: the same minute and place, after the term, faster than a car; not 30 km in an hour, not a minute apart', () => {
      const hits = found.paper_supervision!;
      expect(hits).toHaveLength(3);
      expect(hits.some((h) => h.includes(S[1]!.name) && h.includes(S[2]!.name) && !h.includes(S[3]!.name) && h.includes('同一坐标'))).toBe(true);
      expect(hits.some((h) => h.startsWith(S[8]!.name) && h.includes('走访') && h.includes('届满'))).toBe(true);
      expect(hits.some((h) => h.startsWith('张') && h.includes('92 公里'))).toBe(true);
    });
  });

  it('转为线索: a clue of source 智能化数据排查 with the evidence; once only; a hit naming no officer needs a unit', async () => {
    const hits = (await handler.get('/api/screening/hits?status=open&pageSize=100')).body.items;
    const linked = [];
    for (const h of hits) {
      const d = (await handler.get(`/api/screening/hits/${h.id}`)).body;
      if (d.personId) linked.push(d);
    }
    expect(linked.length).toBeGreaterThan(0);
    const h = linked[0];
    const before = await rowCounts(db(), ...tables);
    const noCampaign = await handler.post(`/api/screening/hits/${h.id}/confirm`, { campaignId: 'no-such' });
    expect(noCampaign.status).toBe(400);
    expect(await rowCounts(db(), ...tables)).toEqual(before);
    const ok = await handler.post(`/api/screening/hits/${h.id}/confirm`, { campaignId: 'campaign-1', note: '转线索核查' });
    expect(ok.status).toBe(200);
    expect(ok.body.clueNo).toMatch(/^XS/);
    const clue = await handler.get(`/api/clues/${ok.body.clueId}`);
    expect(clue.body.source).toBe('data_screening');
    expect(clue.body.summary).toContain('智能化数据排查');
    expect(clue.body.summary).toContain(h.evidence[0].datasetLabel);
    expect((await handler.get(`/api/screening/hits/${h.id}`)).body).toMatchObject({ status: 'confirmed', clueNo: ok.body.clueNo });
    expect((await handler.post(`/api/screening/hits/${h.id}/confirm`, { campaignId: 'campaign-1' })).status).toBe(409);
    const unlinked = (await handler.get('/api/screening/hits?rule=judge_affinity&status=open')).body.items[0];
    const b2 = await rowCounts(db(), ...tables);
    const r = await handler.post(`/api/screening/hits/${unlinked.id}/confirm`, { campaignId: 'campaign-1' });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('orgUnitId');
    expect(await rowCounts(db(), ...tables)).toEqual(b2);
    expect((await office.get('/api/stats')).body.screening.confirmed).toBeGreaterThanOrEqual(1);
  });

  it('a hit about the handler themself is as if it did not exist', async () => {
    const hits = (await handler.get('/api/screening/hits?status=open&pageSize=100')).body.items;
    let mine: any = null;
    for (const h of hits) {
      const d = (await handler.get(`/api/screening/hits/${h.id}`)).body;
      if (d.personId) mine = d;
    }
    expect(mine).toBeTruthy();
    // The handler's account is the officer the hit concerns.
    await db().updateTable('app_user').set({ person_id: mine.personId }).where('username', '=', 'cluehandler').execute();
    const me = await s.as('cluehandler');
    expect((await me.get(`/api/screening/hits/${mine.id}`)).status).toBe(404);
    expect((await me.get('/api/screening/hits?status=open&pageSize=100')).body.items.some((x: any) => x.id === mine.id)).toBe(false);
    const before = await rowCounts(db(), ...tables);
    expect((await me.post(`/api/screening/hits/${mine.id}/known`, {})).status).toBe(404);
    expect(await rowCounts(db(), ...tables)).toEqual(before);
  });
});
