// BENCH_ONLY=screening: 智能化数据排查 at provincial scale (issue 11). Generates every register with planted
// violations of every rule and near-misses beside them (BENCH_SCREEN_SCALE=1: 100,000 staff, 300,000
// relatives, 5,000,000 enterprise roles, 20,000 former judges, 50,000 lawyers with 2,000,000 case
// appearances, 50,000 correction subjects with 10,000,000 check-ins), imports them through the platform's
// own streaming CSV import, runs each rule alone and then all together, and reports rows/s, each rule's
// time and the server's peak memory (VmHWM, reset before each step), precision and recall against the
// planted truth — and, as the anchor, the same joins in DuckDB over the same CSV files in the same run.
// Never part of `npm test`.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  DEMO_PASSWORD, MAIN, PG_URL, cleanupAll, envNumber, freshPostgres, hookSigint, launch, log, machine, ratio, request, root, round, stop,
  table, tempDir, type Server,
} from './lib.js';
import { residentIdCheckChar } from '../src/shared/validators.js';
import { usccCheckChar } from '../src/shared/schemas/service-labels.js';
import { DATASETS, RULE_KIND_CODES, type DatasetKind } from '../src/shared/schemas/screening-labels.js';

const SCALE = envNumber('BENCH_SCREEN_SCALE', 0.05);
const n = (full: number) => Math.max(1, Math.round(full * SCALE));
/** Planted cases per rule (and as many near-misses). */
const P = Math.max(5, Math.round(50 * Math.sqrt(SCALE)));

// ---------------------------------------------------------------- data

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const TODAY = new Date(`${new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())}T00:00:00Z`);
const T = (k: number) => day(new Date(TODAY.getTime() + k * 86_400_000));

let serial = 0;
/** A fresh valid ID number (serial keeps them unique across every register). */
function newId(): string {
  const s = ++serial;
  const first17 = `15${String(s % 10000).padStart(4, '0')}19${String(50 + (s % 50)).padStart(2, '0')}${String(1 + (s % 12)).padStart(2, '0')}${String(1 + (s % 28)).padStart(2, '0')}${String(Math.floor(s / 10000) % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

class CsvFile {
  rows = 0;
  private out: fs.WriteStream;
  private buf: string[] = [];
  constructor(public file: string, headers: string[]) {
    this.out = fs.createWriteStream(file);
    this.buf.push(headers.join(','));
  }
  async add(cells: (string | number | null)[]) {
    this.rows++;
    this.buf.push(cells.map((c) => (c === null ? '' : String(c))).join(','));
    if (this.buf.length >= 5000) await this.flush();
  }
  async flush() {
    if (!this.out.write(this.buf.join('\n') + '\n')) await once(this.out, 'drain');
    this.buf = [];
  }
  async close() {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

interface Truth {
  /** Per rule: the marker names of the planted cases (a hit is matched by its summary holding one). */
  planted: Record<string, string[]>;
}

async function generate(dir: string): Promise<{ files: Record<DatasetKind, CsvFile>; truth: Truth }> {
  const rnd = prng(20261202);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const files = Object.fromEntries(
    (Object.keys(DATASETS) as DatasetKind[]).map((k) => [k, new CsvFile(path.join(dir, `${k}.csv`), DATASETS[k].columns.map((c) => c.header))]),
  ) as Record<DatasetKind, CsvFile>;
  const truth: Truth = { planted: Object.fromEntries(RULE_KIND_CODES.map((c) => [c, []])) };
  const plant = (rule: string, marker: string) => truth.planted[rule]!.push(marker);
  const districts = Array.from({ length: 100 }, (_, i) => `区县${i}`);
  const courts = Array.from({ length: 200 }, (_, i) => `法院${i}`);

  // Staff and relatives.
  const staff: { id: string; kind: string; district: string }[] = [];
  for (let i = 0; i < n(100_000); i++) {
    const kind = i % 10 < 7 ? '司法行政机关' : i % 10 < 9 ? '法院' : '检察院';
    const s = { id: newId(), kind, district: pick(districts) };
    staff.push(s);
    await files.staff.add([`干警${i}`, s.id, kind, `单位${i % 500}`, s.district, '科员', '']);
    for (const rel of ['配偶', '子女', '父母']) await files.relative.add([s.id, rel, `亲属${i}`, newId()]);
  }
  // Enterprise roles of people who are nobody else.
  let ent = 0;
  const uscc = () => {
    const body = `91150000MA${String(++ent).padStart(7, '0')}`.slice(0, 17);
    return body + usccCheckChar(body);
  };
  for (let i = 0; i < n(5_000_000); i++) await files.enterprise_role.add([`企业${i % 1_000_000}`, uscc(), `法人${i}`, newId(), pick(['法定代表人', '股东', '高级管理人员']), '', '2015-01-01', '']);
  const justice = staff.filter((s) => s.kind === '司法行政机关');
  for (let k = 0; k < P; k++) {
    const s = justice[k]!;
    await files.enterprise_role.add([`企业P${k}号`, uscc(), `EHS${k}`, s.id, '股东', 20, '2019-01-01', '']);
    plant('enterprise_holding', `企业P${k}号`);
    const spouseId = newId();
    const rs = justice[P + k]!;
    await files.relative.add([rs.id, '配偶', `EHR${k}#`, spouseId]);
    await files.enterprise_role.add([`企业Q${k}`, uscc(), `EHR${k}#`, spouseId, '法定代表人', '', '2019-01-01', '']);
    plant('enterprise_holding', `EHR${k}#`);
    // Near-misses: ended yesterday; a namesake.
    await files.enterprise_role.add([`企业R${k}`, uscc(), `EHX${k}`, justice[2 * P + k]!.id, '股东', 10, '2019-01-01', T(-1)]);
    await files.enterprise_role.add([`企业S${k}`, uscc(), `干警0`, newId(), '股东', 10, '2019-01-01', '']);
  }
  // Former judges, lawyers, appearances.
  const lawyers: { licence: string; id: string }[] = [];
  const lawyer = async (name: string, id: string, district: string, start: string) => {
    const licence = `L${lawyers.length}`;
    lawyers.push({ licence, id });
    await files.lawyer.add([name, id, licence, `所${lawyers.length % 3000}`, district, start]);
    return licence;
  };
  for (let i = 0; i < n(20_000); i++) await files.former_staff.add([`离任${i}`, newId(), '法院', pick(courts), '审判员', '一级法官', '否', `20${10 + (i % 14)}-06-30`, '退休']);
  for (let k = 0; k < P; k++) {
    const a = newId();
    await files.former_staff.add([`RD${k}#`, a, '法院', courts[k % 200], '审判员', '一级法官', '否', '2023-06-30', '辞职']);
    await lawyer(`RD${k}#`, a, pick(districts), '2025-06-29'); // one day inside two years
    plant('revolving_door', `RD${k}#`);
    const b = newId();
    await files.former_staff.add([`RX${k}#`, b, '法院', courts[k % 200], '审判员', '一级法官', '否', '2023-06-30', '辞职']);
    await lawyer(`RX${k}#`, b, pick(districts), '2025-06-30'); // near-miss: two years to the day
    const c = newId();
    await files.former_staff.add([`FC${k}#`, c, '法院', courts[k % 200], '审判员', '一级法官', '否', '2015-06-30', '辞职']);
    const lc = await lawyer(`FC${k}#`, c, pick(districts), '2018-01-01');
    await files.appearance.add([`FCcase${k}`, courts[k % 200]!, '法官X', lc, '代理人', '2024-03-01']);
    await files.appearance.add([`FCother${k}`, courts[(k + 1) % 200]!, '法官X', lc, '代理人', '2024-03-01']); // near-miss: another court
    plant('former_court_case', `FC${k}#`);
  }
  const courtStaff = staff.filter((s) => s.kind === '法院');
  for (let k = 0; k < P; k++) {
    const j = courtStaff[k]!;
    const w = newId();
    await files.relative.add([j.id, '配偶', `KA${k}#`, w]);
    await lawyer(`KA${k}#`, w, j.district, '2015-01-01');
    plant('kin_avoidance', `KA${k}#`);
    const c = newId();
    const jj = courtStaff[P + k]!;
    await files.relative.add([jj.id, '子女', `KX${k}#`, c]);
    await lawyer(`KX${k}#`, c, districts.find((d) => d !== jj.district)!, '2015-01-01'); // near-miss: another district
  }
  for (let i = 0; i < n(50_000); i++) await lawyer(`律师${i}`, newId(), pick(districts), '2012-01-01');
  const judges = courts.map((c) => Array.from({ length: 20 }, (_, j) => `${c}法官${j}`));
  const background = lawyers.slice(lawyers.length - n(50_000));
  for (let i = 0; i < n(2_000_000); i++) {
    const c = Math.floor(rnd() * courts.length);
    await files.appearance.add([`案${i}`, courts[c]!, pick(judges[c]!), pick(background).licence, '代理人', '2024-05-01']);
  }
  for (let k = 0; k < P; k++) {
    const licence = background[k]!.licence;
    const c = (k * 7) % courts.length;
    for (let t = 0; t < 15; t++) await files.appearance.add([`JA${k}-${t}`, courts[c]!, judges[c]![0]!, licence, '代理人', '2024-05-02']);
    plant('judge_affinity', `执业证号 ${licence}）`);
  }

  // 社区矫正: subjects reporting every five days for 1,000 days (200 check-ins each at full scale).
  const subjects = n(50_000);
  const lng = (i: number) => (100 + (i % 3000) / 100).toFixed(4);
  const lat = (i: number) => (30 + Math.floor(i / 3000) / 100).toFixed(4);
  const special = new Map<number, string>();
  let idx = 0;
  const mark = (rule: string, tag: string) => {
    const i = idx++;
    special.set(i, `${tag}`);
    if (rule) plant(rule, tag);
    return i;
  };
  for (let k = 0; k < P; k++) {
    mark('missed_intake', `MI${k}#`);
    mark('', `MX${k}#`);
    mark('lost_contact', `LC${k}#`);
    mark('', `LX${k}#`);
    mark('paper_supervision', `PV${k}#`);
    mark('paper_supervision', `PS${k}#`);
  }
  const every = Math.max(1, Math.round(1000 / Math.max(1, Math.round(n(10_000_000) / subjects))));
  let officer = 0;
  for (let i = 0; i < subjects; i++) {
    const tag = special.get(i) ?? `矫正${i}`;
    const id = newId();
    const district = districts[i % 100]!;
    const ended = tag.startsWith('PV');
    const effective = T(-1005);
    await files.correction_notice.add([tag, id, `文书${i}`, '某法院', effective, T(-1000), ended ? T(-30) : T(365), district]);
    const intake = tag.startsWith('MI') ? null : tag.startsWith('MX') ? 10 : 3;
    if (intake !== null) await files.correction_intake.add([id, day(new Date(Date.parse(effective) + intake * 86_400_000)), district, '某司法所']);
    const hhmm = `09:${String(i % 60).padStart(2, '0')}`;
    const gapAt = tag.startsWith('LC') || tag.startsWith('LX') ? -500 : null;
    const gapLen = tag.startsWith('LC') ? 12 : 7;
    const end = ended ? -30 : 0;
    for (let d = -1000; d < end; d += every) {
      if (gapAt !== null && d > gapAt && d < gapAt + gapLen) continue;
      await files.correction_checkin.add([id, `${T(d)} ${hhmm}`, '报到', district, lng(i), lat(i)]);
    }
    if (gapAt !== null) await files.correction_checkin.add([id, `${T(gapAt + gapLen)} ${hhmm}`, '报到', district, lng(i), lat(i)]);
    if (tag.startsWith('LC')) plant('missing_warning', tag);
    if (tag.startsWith('PS')) {
      // Checks in once at the previous subject's minute and place (a place of their own): a 代签 pair.
      const [x, y] = [(120 + i / 1000).toFixed(4), '40.0000'];
      await files.correction_checkin.add([id, `${T(-3)} 16:44`, '报到', district, x, y]);
      await files.correction_checkin.add([ids.get(i - 1)!, `${T(-3)} 16:44`, '报到', districts[(i - 1) % 100]!, x, y]);
    }
    // Visits: ten per subject by an officer with 25 neighbouring subjects (within about 20 km), never two a day.
    const officer = `走访员${Math.floor(i / 25)}`;
    for (let v = 0; v < 10; v++) await files.correction_visit.add([officer, id, `${T(-900 + v * 80 + (i % 25) * 3)} 09:00`, lng(i), lat(i)]);
    // After the term: a day of its own within the officer's group (two visits at one minute would be a finding too).
    if (ended) await files.correction_visit.add([officer, id, `${T(-5 - (i % 25))} 10:00`, lng(i), lat(i)]);
    // Background leave and warnings: every 50th subject, on days that excuse or matter for nothing.
    if (i % 50 === 7) {
      await files.correction_leave.add([id, T(-700), T(-699), '探亲']);
      await files.correction_warning.add([id, T(-600), '未按规定参加教育学习']);
      await files.correction_custody.add([id, T(-2000), T(-1990)]);
    }
    ids.set(i, id);
  }
  // Officers 96 km apart within half an hour.
  for (let k = 0; k < P; k++) {
    await files.correction_visit.add([`SP${k}#`, ids.get(k)!, `${T(-15)} 09:00`, 100, 30]);
    await files.correction_visit.add([`SP${k}#`, ids.get(k + 1)!, `${T(-15)} 09:30`, 101, 30]);
    plant('paper_supervision', `SP${k}#`);
  }
  for (const f of Object.values(files)) await f.close();
  return { files, truth };
}
const ids = new Map<number, string>();

// ---------------------------------------------------------------- the platform

function vmHwmKb(pid: number): number {
  const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}
function resetHwm(pid: number) {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not permitted here: peaks are then cumulative.
  }
}

async function login(url: string): Promise<string> {
  const r = await request('POST', url + '/api/auth/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'cluehandler', password: DEMO_PASSWORD }), timeoutMs: 30_000 });
  if (r.status !== 200) throw new Error(`login failed: ${r.status}`);
  const cookie = (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ');
  return cookie;
}

async function api(s: Server, cookie: string, method: string, p: string, body?: BodyInit, json = true) {
  const csrf = /rectify_csrf=([^;]+)/.exec(cookie)?.[1] ?? '';
  const headers: Record<string, string> = { cookie, 'x-csrf-token': csrf };
  if (json && body) headers['content-type'] = 'application/json';
  const r = await fetch(s.url + p, { method, headers, body });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

interface PlatformFigures {
  database: string;
  imports: { kind: string; rows: number; seconds: number; rowsPerSecond: number; peakMb: number }[];
  rules: { code: string; seconds: number; firstSeconds: number; peakMb: number; hits: number; precision: number | null; recall: number | null }[];
  all: { seconds: number; peakMb: number };
}

async function onPlatform(database: 'sqlite' | 'postgres', files: Record<DatasetKind, CsvFile>, truth: Truth): Promise<PlatformFigures> {
  const dir = tempDir();
  const url = database === 'sqlite' ? path.join(dir, 'rectify.db') : await freshPostgres(PG_URL);
  const { server } = await launch(MAIN, {
    DATABASE_URL: url, RECTIFY_DATA_DIR: dir, RECTIFY_DEMO: '1', RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD, RECTIFY_ADMIN_PASSWORD: 'Admin#2026bench',
    RECTIFY_LOG_LEVEL: 'warn', RECTIFY_DB_STATEMENT_TIMEOUT_MS: '0',
  }, path.join(dir, 'server.log'));
  const pid = server.child.pid!;
  try {
    const cookie = await login(server.url);
    const out: PlatformFigures = { database, imports: [], rules: [], all: { seconds: 0, peakMb: 0 } };
    for (const [kind, f] of Object.entries(files) as [DatasetKind, CsvFile][]) {
      resetHwm(pid);
      const form = new FormData();
      form.append('file', await fs.openAsBlob(f.file), `${kind}.csv`);
      const t0 = performance.now();
      const r = await api(server, cookie, 'POST', `/api/screening/datasets/${kind}/import`, form, false);
      const seconds = (performance.now() - t0) / 1000;
      if (r.errorCount) throw new Error(`${kind}: ${r.errorCount} bad rows, first ${JSON.stringify(r.errors.slice(0, 3))}`);
      out.imports.push({ kind, rows: r.imported, seconds: round(seconds, 1)!, rowsPerSecond: Math.round(r.imported / seconds), peakMb: Math.round(vmHwmKb(pid) / 1024) });
      log(`  ${database} import ${kind}: ${r.imported} rows in ${seconds.toFixed(1)} s`);
    }
    for (const code of RULE_KIND_CODES) {
      resetHwm(pid);
      // Best of three, as DuckDB's: the first run after the imports also pays for pages not yet cached
      // (shown beside it). Later runs find the same hits unchanged and write as much.
      let r: { rules: { hits: number }[] } | undefined;
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        r = await api(server, cookie, 'POST', '/api/screening/runs', JSON.stringify({ rules: [code] }));
        times.push((performance.now() - t0) / 1000);
      }
      const seconds = Math.min(...times);
      const hits: string[] = [];
      for (let page = 1; ; page++) {
        const l = await api(server, cookie, 'GET', `/api/screening/hits?rule=${code}&present=1&page=${page}&pageSize=200`);
        hits.push(...l.items.map((h: { summary: string; subject: string }) => `${h.subject} ${h.summary}`));
        if (l.items.length < 200) break;
      }
      const planted = truth.planted[code]!;
      const matched = hits.filter((h) => planted.some((m) => h.includes(m)));
      const recalled = planted.filter((m) => hits.some((h) => h.includes(m)));
      for (const h of hits.filter((x) => !planted.some((m) => x.includes(m))).slice(0, 3)) log(`    not planted: ${h}`);
      out.rules.push({
        code, seconds: round(seconds, 2)!, firstSeconds: round(times[0]!, 2)!, peakMb: Math.round(vmHwmKb(pid) / 1024), hits: r!.rules[0]!.hits,
        precision: hits.length ? round(matched.length / hits.length, 3) : null, recall: planted.length ? round(recalled.length / planted.length, 3) : null,
      });
      log(`  ${database} rule ${code}: ${r!.rules[0]!.hits} hits in ${seconds.toFixed(2)} s (first run ${times[0]!.toFixed(2)} s)`);
    }
    resetHwm(pid);
    const t0 = performance.now();
    await api(server, cookie, 'POST', '/api/screening/runs', JSON.stringify({}));
    out.all = { seconds: round((performance.now() - t0) / 1000, 2)!, peakMb: Math.round(vmHwmKb(pid) / 1024) };
    return out;
  } finally {
    await stop(server);
  }
}

// ---------------------------------------------------------------- DuckDB, the anchor

const DUCK_RULES: Record<string, string> = {
  enterprise_holding: `select count(*) from (
      select s.id from staff s join enterprise_role e on e.id = s.id where s.kind = '司法行政机关' and (e.end_on is null or e.end_on >= current_date)
      union all
      select s.id from staff s join relative r on r.staff_id = s.id join enterprise_role e on e.id = r.id where s.kind = '司法行政机关' and (e.end_on is null or e.end_on >= current_date))`,
  revolving_door: `select count(*) from former_staff f join lawyer l on l.id = f.id
      where l.start_on >= f.left_on and l.start_on < f.left_on + (case when f.leader = '是' or f.grade like '%高级%' then interval 3 year else interval 2 year end)`,
  former_court_case: `select count(*) from former_staff f join lawyer l on l.id = f.id join appearance a on a.licence = l.licence and a.court = f.org and a.on_day > f.left_on`,
  kin_avoidance: `select count(*) from staff s join relative r on r.staff_id = s.id join lawyer l on l.id = r.id and l.district = s.district
      where s.kind in ('法院', '检察院') and r.relation in ('配偶', '父母', '子女')`,
  judge_affinity: `with p as (select court, judge, licence, count(*) n from appearance group by all having count(*) >= 5),
      c as (select court, count(*) n from appearance group by all), j as (select court, judge, count(*) n from appearance group by all),
      l as (select court, licence, count(*) n from appearance group by all)
      select count(*) from p join c using (court) join j using (court, judge) join l using (court, licence) where p.n >= 3 * (l.n * j.n / c.n)`,
  missed_intake: `select count(*) from notice n where n.effective_on + interval 10 day < current_date and not exists (
      select 1 from intake i where i.id = n.id and i.registered_on >= n.effective_on and i.registered_on <= n.effective_on + interval 10 day)`,
  lost_contact: `select (select count(*) from (select id, ts, lag(ts) over (partition by id order by ts) prev from checkin) where ts - prev > interval 7 day)
      + (select count(*) from checkin c join notice n on n.id = c.id where c.district <> n.district and not exists (
          select 1 from leave l where l.id = c.id and l.from_on <= cast(c.ts as date) and l.to_on >= cast(c.ts as date)))`,
  missing_warning: `select count(*) from (select id, ts, lag(ts) over (partition by id order by ts) prev from checkin) g
      where ts - prev > interval 7 day and not exists (select 1 from warning w where w.id = g.id and w.issued_on between cast(g.prev as date) + 7 and cast(g.prev as date) + 22)`,
  paper_supervision: `select (select count(*) from visit v join notice n on n.id = v.id where cast(v.ts as date) > n.term_end)
      + (select count(*) from (select ts, lat, lng from checkin group by all having count(distinct id) > 1))
      + (select count(*) from (select officer, ts, lat, lng, lag(ts) over w pa, lag(lat) over w plat, lag(lng) over w plng from visit window w as (partition by officer order by ts))
          where ts - pa <= interval 1 day and 6371 * 2 * asin(sqrt(pow(sin(radians(lat - plat) / 2), 2) + cos(radians(lat)) * cos(radians(plat)) * pow(sin(radians(lng - plng) / 2), 2)))
            / greatest(epoch(ts - pa) / 3600, 1e-9) > 120)`,
};

async function onDuck(files: Record<DatasetKind, CsvFile>) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await instance.connect();
  const load = async (table: string, kind: DatasetKind, cols: string) => {
    await c.run(`create table ${table} as select ${cols} from read_csv('${files[kind].file}', header = true, all_varchar = true)`);
  };
  const t0 = performance.now();
  await load('staff', 'staff', `"姓名" as name, "身份证号" as id, "机构类别" as kind, "所属地区" as district`);
  await load('relative', 'relative', `"本人身份证号" as staff_id, "亲属关系" as relation, "亲属身份证号" as id`);
  await load('enterprise_role', 'enterprise_role', `"身份证号" as id, "任职类型" as role, try_cast("终止日期" as date) as end_on`);
  await load('former_staff', 'former_staff', `"身份证号" as id, "原单位" as org, "职级" as grade, "是否领导职务" as leader, cast("离任日期" as date) as left_on`);
  await load('lawyer', 'lawyer', `"身份证号" as id, "执业证号" as licence, "执业地区" as district, cast("执业起始日期" as date) as start_on`);
  await load('appearance', 'appearance', `"审理法院" as court, "承办法官" as judge, "律师执业证号" as licence, cast("日期" as date) as on_day`);
  await load('notice', 'correction_notice', `"身份证号" as id, cast("判决生效日期" as date) as effective_on, cast("矫正终止日期" as date) as term_end, "执行地" as district`);
  await load('intake', 'correction_intake', `"身份证号" as id, cast("登记日期" as date) as registered_on`);
  await load('checkin', 'correction_checkin', `"身份证号" as id, cast("时间" as timestamp) as ts, "所在地区" as district, try_cast("经度" as double) as lng, try_cast("纬度" as double) as lat`);
  await load('leave', 'correction_leave', `"身份证号" as id, cast("外出起始日期" as date) as from_on, cast("外出终止日期" as date) as to_on`);
  await load('warning', 'correction_warning', `"身份证号" as id, cast("警告日期" as date) as issued_on`);
  await load('visit', 'correction_visit', `"走访人员" as officer, "身份证号" as id, cast("时间" as timestamp) as ts, cast("经度" as double) as lng, cast("纬度" as double) as lat`);
  const loadSeconds = (performance.now() - t0) / 1000;
  const rules: Record<string, number> = {};
  for (const [code, q] of Object.entries(DUCK_RULES)) {
    // Best of three: DuckDB's first run includes planning and cache warm-up.
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      await c.runAndReadAll(q);
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    rules[code] = round(best, 3)!;
  }
  return { loadSeconds: round(loadSeconds, 1), rules };
}

export async function runScreening() {
  hookSigint();
  const dir = tempDir();
  log(`screening bench: scale ${SCALE}, ${P} planted cases per rule; generating CSV files in ${dir}`);
  const t0 = performance.now();
  const { files, truth } = await generate(dir);
  log(`generated ${Object.values(files).reduce((a, f) => a + f.rows, 0)} rows in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  try {
    const duck = await onDuck(files);
    const platforms: PlatformFigures[] = [await onPlatform('sqlite', files, truth)];
    if (PG_URL) platforms.push(await onPlatform('postgres', files, truth));
    const rows: (string | number | null)[][] = [];
    for (const p of platforms) {
      for (const r of p.rules) {
        const d = duck.rules[r.code] ?? null;
        rows.push([p.database, r.code, r.hits, r.precision, r.recall, r.seconds, r.firstSeconds, r.peakMb, d, ratio(r.seconds, d)]);
      }
      rows.push([p.database, 'all rules', null, null, null, p.all.seconds, null, p.all.peakMb, null, null]);
    }
    const importRows = platforms.flatMap((p) => p.imports.map((i) => [p.database, i.kind, i.rows, i.seconds, i.rowsPerSecond, i.peakMb]));
    const text =
      `\nImports (streamed CSV over HTTP, server peak RSS during each)\n` +
      table(['database', 'register', 'rows', 's', 'rows/s', 'peak MB'], importRows, 2) +
      `\nRules (each alone over HTTP, best of 3, and its first run; DuckDB: the same joins over the same CSV files, in memory, 2 threads, best of 3; load ${duck.loadSeconds} s)\n` +
      table(['database', 'rule', 'hits', 'precision', 'recall', 's', 'first s', 'peak MB', 'DuckDB s', '× DuckDB'], rows, 2);
    process.stdout.write(text + '\n');
    const out = path.join(root, 'bench/results/screening-latest.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine: machine(), scale: SCALE, plantedPerRule: P, rows: Object.fromEntries(Object.entries(files).map(([k, f]) => [k, f.rows])), platforms, duck }, null, 2) + '\n');
  } finally {
    await cleanupAll();
  }
}
