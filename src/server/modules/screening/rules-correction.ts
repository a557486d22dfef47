import { sql } from 'kysely';
import { evidence as ev, fingerprint as fp, type Finding } from './evidence.js';
import type { RuleRun } from './rules.js';
import { parseDateTime } from './datasets.js';

// 社区矫正's rules: 漏管 (no intake in time), 脱管 (gaps between reports and check-ins, check-ins away
// with no leave), 应予警告未警告, and 虚管 (records after the term or in custody, the same place and minute
// for different subjects, a visiting officer faster than a car). Check-ins are read from covering
// indexes (0023) per subject of the judgments, the long gaps between them were found at import, and
// speeds come from a window over each officer's visits in time order (SQLite and PostgreSQL alike).

const DAY = 1440;

/** YYYY-MM-DD plus n calendar days. */
export function dayAdd(date: string, n: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}
const minutesOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / 60_000;
const dateOfMin = (m: number) => new Date(m * 60_000).toISOString().slice(0, 10);
const timeOfMin = (m: number) => new Date(m * 60_000).toISOString().slice(0, 16).replace('T', ' ');

interface Subject {
  row: number;
  name: string;
  bidx: string;
  judgment: string;
  court: string;
  effective: string;
  start: string;
  end: string;
  district: string;
}

async function subjects(r: RuleRun): Promise<Map<string, Subject>> {
  const rows = await r.db
    .selectFrom('scr_correction_notice')
    .select(['row_no', 'name', 'id_no_bidx', 'judgment_no', 'court', 'effective_on', 'term_start', 'term_end', 'district'])
    .where('snapshot_id', '=', r.snapshots.correction_notice!)
    .execute();
  return new Map(rows.map((x) => [x.id_no_bidx, toSubject(x)]));
}

type NoticeRow = { row_no: number; name: string; id_no_bidx: string; judgment_no: string; court: string; effective_on: string; term_start: string; term_end: string; district: string };
const toSubject = (x: NoticeRow): Subject => ({
  row: x.row_no, name: x.name, bidx: x.id_no_bidx, judgment: x.judgment_no, court: x.court, effective: x.effective_on, start: x.term_start, end: x.term_end, district: x.district,
});

const noticeEvidence = (r: RuleRun, s: Subject) =>
  ev('correction_notice', r.snapshots.correction_notice!, s.row, [
    ['姓名', s.name], ['判决文书号', s.judgment], ['判决法院', s.court], ['判决生效日期', s.effective], ['矫正期限', `${s.start} 至 ${s.end}`], ['执行地', s.district],
  ]);

/** A 'YYYY-MM-DD' column plus whole days, as 'YYYY-MM-DD', in the run's database. */
const addDays = (r: RuleRun, column: string, days: number) =>
  r.dialect === 'postgres' ? sql`to_char(${sql.ref(column)}::date + ${days}::int, 'YYYY-MM-DD')` : sql`date(${sql.ref(column)}, ${`+${days} days`})`;

export async function missedIntake(r: RuleRun, p: { days: number }): Promise<Finding[]> {
  const s = r.snapshots;
  // Only the judgments old enough and with no intake in time (an index range each), with the first
  // late intake if there is one.
  const intake = (what: string) => sql`(select ${sql.raw(what)} from scr_correction_intake i
    where i.snapshot_id = ${s.correction_intake!} and i.id_no_bidx = n.id_no_bidx and i.registered_on >= n.effective_on
    order by i.registered_on, i.row_no limit 1)`;
  const rows = await sql<NoticeRow & { late_on: string | null; late_row: number | null }>`
    select n.row_no, n.name, n.id_no_bidx, n.judgment_no, n.court, n.effective_on, n.term_start, n.term_end, n.district,
      ${intake('i.registered_on')} as late_on, ${intake('i.row_no')} as late_row
    from scr_correction_notice n
    where n.snapshot_id = ${s.correction_notice!} and n.effective_on < ${dayAdd(r.asOf, -p.days)}
      and not exists (select 1 from scr_correction_intake i where i.snapshot_id = ${s.correction_intake!} and i.id_no_bidx = n.id_no_bidx
        and i.registered_on >= n.effective_on and i.registered_on <= ${addDays(r, 'n.effective_on', p.days)})`.execute(r.db);
  const out: Finding[] = [];
  for (const x of rows.rows) {
    const subject = toSubject(x);
    const deadline = dayAdd(subject.effective, p.days);
    const evidence = [noticeEvidence(r, subject)];
    const lateOn = x.late_on;
    if (lateOn) evidence.push(ev('correction_intake', s.correction_intake!, Number(x.late_row), [['登记日期', lateOn]]));
    out.push({
      fingerprint: fp('missed_intake', subject.bidx, subject.judgment),
      subject: `${subject.name}（社区矫正对象）`,
      subjectIdBidx: null,
      summary: lateOn ? `${subject.name}判决 ${subject.effective} 生效，迟至 ${lateOn} 才入矫登记` : `${subject.name}判决 ${subject.effective} 生效，至今没有入矫登记`,
      reasoning: `判决生效后应在 ${p.days} 日内（${deadline} 前）办理入矫登记；${lateOn ? `入矫登记日期为 ${lateOn}，已超过期限` : `截至 ${r.asOf} 入矫登记名册中没有该对象`}。`,
      evidence,
    });
  }
  return out;
}

interface Gap {
  s: Subject;
  /** Minutes: the last report before the gap (or the term's start), and the next one (or null: none since). */
  from: number;
  to: number | null;
  fromRow: number | null;
  toRow: number | null;
}

/** Gaps longer than maxGapDays in each subject's reports and check-ins within the term, custody left out. */
async function gaps(r: RuleRun, people: Map<string, Subject>, maxGapDays: number): Promise<Gap[]> {
  const snap = r.snapshots.correction_checkin!;
  const limit = maxGapDays * DAY;
  const nowMin = minutesOf(r.asOf);
  const custody = new Map<string, { from: number; to: number }[]>();
  if (r.snapshots.correction_custody) {
    for (const c of await r.db.selectFrom('scr_correction_custody').select(['id_no_bidx', 'from_on', 'to_on']).where('snapshot_id', '=', r.snapshots.correction_custody).execute()) {
      custody.set(c.id_no_bidx, [...(custody.get(c.id_no_bidx) ?? []), { from: minutesOf(c.from_on), to: c.to_on ? minutesOf(c.to_on) + DAY : Infinity }]);
    }
  }
  const inCustody = (bidx: string, a: number, b: number) => (custody.get(bidx) ?? []).some((c) => c.from < b && c.to > a);
  const window = (s: Subject) => ({ start: minutesOf(s.start), end: Math.min(minutesOf(s.end) + DAY, nowMin) });
  const out: Gap[] = [];
  // Between two check-ins: the gaps over a day were found when the register was imported (deriveSnapshot).
  const inner = await r.db
    .selectFrom('scr_correction_gap')
    .select(['id_no_bidx', 'from_min', 'to_min', 'from_row', 'to_row'])
    .where('snapshot_id', '=', snap)
    .where('gap_min', '>', limit)
    .execute();
  for (const g of inner) {
    const s = people.get(g.id_no_bidx);
    if (!s) continue;
    const w = window(s);
    const [from, to] = [Number(g.from_min), Number(g.to_min)];
    const [a, b] = [Math.max(from, w.start), Math.min(to, w.end)];
    if (b - a > limit && !inCustody(s.bidx, a, b)) out.push({ s, from: a, to, fromRow: a === from ? Number(g.from_row) : null, toRow: Number(g.to_row) });
  }
  // Before the first and after the last (or none at all): two index seeks per subject of the judgments.
  const ends = await sql<{ bidx: string; first: string | null; last: string | null }>`
    select n.id_no_bidx as bidx,
      (select min(c.at) from scr_correction_checkin c where c.snapshot_id = ${snap} and c.id_no_bidx = n.id_no_bidx) as first,
      (select max(c.at) from scr_correction_checkin c where c.snapshot_id = ${snap} and c.id_no_bidx = n.id_no_bidx) as last
    from scr_correction_notice n where n.snapshot_id = ${r.snapshots.correction_notice!}`.execute(r.db);
  const byBidx = new Map<string, { first: number; last: number }>();
  for (const e of ends.rows) if (e.first && e.last) byBidx.set(e.bidx, { first: parseDateTime(e.first)!.minutes, last: parseDateTime(e.last)!.minutes });
  for (const s of people.values()) {
    const w = window(s);
    if (w.end <= w.start) continue;
    const e = byBidx.get(s.bidx);
    if (!e || e.first >= w.end) {
      if (w.end - w.start > limit && !inCustody(s.bidx, w.start, w.end)) out.push({ s, from: w.start, to: null, fromRow: null, toRow: null });
      continue;
    }
    if (e.first - w.start > limit && !inCustody(s.bidx, w.start, e.first)) out.push({ s, from: w.start, to: e.first, fromRow: null, toRow: null });
    if (e.last < w.end && w.end - e.last > limit && !inCustody(s.bidx, e.last, w.end)) out.push({ s, from: e.last, to: null, fromRow: null, toRow: null });
  }
  return out;
}

const gapText = (g: Gap) => `${timeOfMin(g.from)} 至 ${g.to === null ? '今' : timeOfMin(g.to)}`;

export async function lostContact(r: RuleRun, p: { maxGapDays: number }): Promise<Finding[]> {
  const people = await subjects(r);
  const out: Finding[] = [];
  for (const g of await gaps(r, people, p.maxGapDays)) {
    const days = Math.floor(((g.to ?? minutesOf(r.asOf)) - g.from) / DAY);
    const evidence = [noticeEvidence(r, g.s)];
    if (g.fromRow) evidence.push(ev('correction_checkin', r.snapshots.correction_checkin!, g.fromRow, [['时间', timeOfMin(g.from)], ['说明', '间隔前最后一次报到、签到']]));
    if (g.toRow) evidence.push(ev('correction_checkin', r.snapshots.correction_checkin!, g.toRow, [['时间', timeOfMin(g.to!)], ['说明', '间隔后首次报到、签到']]));
    out.push({
      fingerprint: fp('gap', g.s.bidx, g.from),
      subject: `${g.s.name}（社区矫正对象）`,
      subjectIdBidx: null,
      summary: `${g.s.name} ${gapText(g)} 约 ${days} 日没有报到、签到`,
      reasoning: `矫正期内两次报到、签到的间隔不得超过 ${p.maxGapDays} 日；该对象 ${gapText(g)} 间没有任何报到、签到记录（收监羁押期间不计）。`,
      evidence,
    });
  }
  // Check-ins away from home with no approved leave that day.
  const s = r.snapshots;
  const leave = s.correction_leave ?? '';
  // Only the subjects who checked in from another district (counted at import), then their check-ins
  // within the term from the subject-and-time index alone (district is in it). CROSS JOIN keeps SQLite to
  // this order (it otherwise read every check-in first); PostgreSQL plans it as the inner join it is.
  const away = await sql<{ bidx: string; row_no: number; at: string; district: string }>`
    select c.id_no_bidx as bidx, c.row_no, c.at, c.district
    from scr_correction_notice n cross join scr_correction_checkin_district d cross join scr_correction_checkin c
    where n.snapshot_id = ${s.correction_notice!}
      and d.snapshot_id = ${s.correction_checkin!} and d.id_no_bidx = n.id_no_bidx and d.district <> n.district
      and c.snapshot_id = ${s.correction_checkin!} and c.id_no_bidx = n.id_no_bidx
      and c.at >= n.term_start and c.at <= (n.term_end || ' 23:59') and c.district = d.district
      and not exists (select 1 from scr_correction_leave l where l.snapshot_id = ${leave} and l.id_no_bidx = c.id_no_bidx
        and l.from_on <= substr(c.at, 1, 10) and l.to_on >= substr(c.at, 1, 10))`.execute(r.db);
  const seen = new Set<string>();
  for (const a of away.rows) {
    const subject = people.get(a.bidx)!;
    const day = a.at.slice(0, 10);
    if (seen.has(`${a.bidx}|${day}`)) continue;
    seen.add(`${a.bidx}|${day}`);
    out.push({
      fingerprint: fp('away', a.bidx, day),
      subject: `${subject.name}（社区矫正对象）`,
      subjectIdBidx: null,
      summary: `${subject.name} ${a.at} 在执行地（${subject.district}）以外的${a.district}签到，当日没有经批准的外出`,
      reasoning: `社区矫正对象离开执行地须经批准；外出审批名册中没有覆盖 ${day} 的外出记录。`,
      evidence: [noticeEvidence(r, subject), ev('correction_checkin', s.correction_checkin!, Number(a.row_no), [['时间', a.at], ['所在地区', a.district]])],
    });
  }
  return out;
}

export async function missingWarning(r: RuleRun, p: { maxGapDays: number; warnWithinDays: number }): Promise<Finding[]> {
  const people = await subjects(r);
  const warnings = new Map<string, string[]>();
  for (const w of await r.db.selectFrom('scr_correction_warning').select(['id_no_bidx', 'issued_on']).where('snapshot_id', '=', r.snapshots.correction_warning!).execute()) {
    warnings.set(w.id_no_bidx, [...(warnings.get(w.id_no_bidx) ?? []), w.issued_on]);
  }
  const out: Finding[] = [];
  for (const g of await gaps(r, people, p.maxGapDays)) {
    const due = dayAdd(dateOfMin(g.from), p.maxGapDays);
    const deadline = dayAdd(due, p.warnWithinDays);
    if (deadline >= r.asOf) continue; // still time to warn
    if ((warnings.get(g.s.bidx) ?? []).some((d) => d >= due && d <= deadline)) continue;
    out.push({
      fingerprint: fp('warning', g.s.bidx, g.from),
      subject: `${g.s.name}（社区矫正对象）`,
      subjectIdBidx: null,
      summary: `${g.s.name} ${gapText(g)} 脱离监管，${due} 至 ${deadline} 没有警告记录`,
      reasoning: `报到、签到间隔超过 ${p.maxGapDays} 日（自 ${due} 起）应予警告，${p.warnWithinDays} 日内（${deadline} 前）警告名册中没有该对象的警告。`,
      evidence: [noticeEvidence(r, g.s)],
    });
  }
  return out;
}

/** Great-circle distance in km. */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export async function paperSupervision(r: RuleRun, p: { maxSpeedKmh: number }): Promise<Finding[]> {
  const s = r.snapshots;
  const people = await subjects(r);
  const out: Finding[] = [];
  // Records after the term (one pass joining the subject's judgment) or while in custody (an index range
  // of the subject's records per custody period: custody is rare, records are millions).
  const periods = s.correction_custody
    ? await r.db.selectFrom('scr_correction_custody').select(['id_no_bidx', 'from_on', 'to_on']).where('snapshot_id', '=', s.correction_custody).execute()
    : [];
  for (const [dataset, table, what] of [['correction_visit', 'scr_correction_visit', '走访'], ['correction_checkin', 'scr_correction_checkin', '签到']] as const) {
    const snap = s[dataset];
    if (!snap) continue;
    const found: { bidx: string; row_no: number; at: string; why: string }[] = [];
    // Driven from the judgments: per subject, an index range of the records after the term's end.
    const after = await sql<{ bidx: string; row_no: number; at: string; term_end: string }>`
      select x.id_no_bidx as bidx, x.row_no, x.at, n.term_end from scr_correction_notice n
      join ${sql.table(table)} x on x.snapshot_id = ${snap} and x.id_no_bidx = n.id_no_bidx and x.at > (n.term_end || ' 23:59')
      where n.snapshot_id = ${s.correction_notice!}`.execute(r.db);
    for (const x of after.rows) found.push({ ...x, why: `矫正期已于 ${x.term_end} 届满` });
    for (const k of periods) {
      if (!people.has(k.id_no_bidx)) continue;
      const rows = await r.db
        .selectFrom(table as 'scr_correction_visit')
        .select(['row_no', 'at'])
        .where('snapshot_id', '=', snap)
        .where('id_no_bidx', '=', k.id_no_bidx)
        .where('at', '>=', k.from_on)
        .where('at', '<', k.to_on ? dayAdd(k.to_on, 1) : '9999')
        .execute();
      for (const x of rows) found.push({ bidx: k.id_no_bidx, row_no: x.row_no, at: x.at, why: `该对象自 ${k.from_on} 起被收监羁押` });
    }
    for (const x of found) {
      const subject = people.get(x.bidx)!;
      out.push({
        fingerprint: fp('paper', dataset, x.bidx, x.at),
        subject: `${subject.name}（社区矫正对象）`,
        subjectIdBidx: null,
        summary: `${subject.name}：${x.at} 的${what}记录，${x.why}`,
        reasoning: `${x.why}，此后不应再有${what}记录；该记录可能并未真实发生。`,
        evidence: [noticeEvidence(r, subject), ev(dataset, snap, Number(x.row_no), [['时间', x.at], ['说明', `${what}记录`]])],
      });
    }
  }
  // The same minute and the same coordinates for different subjects.
  // Found at import (deriveSnapshot): the minutes and places shared by several subjects.
  const same = await r.db
    .selectFrom('scr_correction_same_place')
    .select(['at_min', 'lat', 'lng', 'subjects'])
    .where('snapshot_id', '=', s.correction_checkin!)
    .orderBy('at_min')
    .orderBy('lat')
    .orderBy('lng')
    .execute();
  for (const g of same) {
    const rows = await r.db.selectFrom('scr_correction_checkin').select(['row_no', 'id_no_bidx', 'at'])
      .where('snapshot_id', '=', s.correction_checkin!).where('at_min', '=', Number(g.at_min)).where('lat', '=', Number(g.lat)).where('lng', '=', Number(g.lng))
      // By subject then row, which the minute-and-place index serves: "order by row_no" alone would
      // have SQLite walk the whole register in row order to stop at 20.
      .orderBy('id_no_bidx').orderBy('row_no').limit(20).execute();
    rows.sort((a, b) => a.row_no - b.row_no);
    const names = [...new Set(rows.map((x) => people.get(x.id_no_bidx)?.name ?? '（不在判决名册）'))];
    out.push({
      fingerprint: fp('same_place', g.at_min, g.lat, g.lng),
      subject: names.join('、'),
      subjectIdBidx: null,
      summary: `${names.join('、')} 在 ${timeOfMin(Number(g.at_min))} 于同一坐标签到`,
      reasoning: `${Number(g.subjects)} 名不同的社区矫正对象在同一分钟、同一坐标（${g.lng}, ${g.lat}）签到，可能由他人代签。`,
      evidence: rows.map((x) => ev('correction_checkin', s.correction_checkin!, x.row_no, [['时间', x.at], ['对象', people.get(x.id_no_bidx)?.name], ['经度', g.lng], ['纬度', g.lat]])),
    });
  }
  // A visiting officer moving faster than the limit between two visits within a day.
  const moves = await sql<{ officer: string; row_no: number; at_min: number; lat: number; lng: number; prev_row: number; prev_min: number; prev_lat: number; prev_lng: number }>`
    select v.* from (
      select officer, row_no, at_min, lat, lng,
        lag(row_no) over w as prev_row, lag(at_min) over w as prev_min, lag(lat) over w as prev_lat, lag(lng) over w as prev_lng
      from scr_correction_visit where snapshot_id = ${s.correction_visit!}
      window w as (partition by officer order by at_min, row_no)
    ) v where v.prev_min is not null and v.at_min - v.prev_min <= ${DAY}`.execute(r.db);
  for (const m of moves.rows) {
    const km = haversineKm(Number(m.prev_lat), Number(m.prev_lng), Number(m.lat), Number(m.lng));
    const hours = (Number(m.at_min) - Number(m.prev_min)) / 60;
    const speed = hours > 0 ? km / hours : km > 1 ? Infinity : 0;
    if (speed <= p.maxSpeedKmh) continue;
    out.push({
      fingerprint: fp('speed', m.officer, m.prev_min, m.at_min),
      subject: `${m.officer}（走访人员）`,
      subjectIdBidx: null,
      summary: `${m.officer} ${timeOfMin(Number(m.prev_min))} 与 ${timeOfMin(Number(m.at_min))} 两次走访相距约 ${km.toFixed(0)} 公里`,
      reasoning: `两次走访相隔 ${Math.round(hours * 60)} 分钟、直线距离约 ${km.toFixed(1)} 公里，折合每小时 ${Number.isFinite(speed) ? speed.toFixed(0) : '∞'} 公里，超过 ${p.maxSpeedKmh} 公里/小时的合理上限，走访记录可能并未真实发生。`,
      evidence: [
        ev('correction_visit', s.correction_visit!, Number(m.prev_row), [['走访人员', m.officer], ['时间', timeOfMin(Number(m.prev_min))], ['经度', m.prev_lng], ['纬度', m.prev_lat]]),
        ev('correction_visit', s.correction_visit!, Number(m.row_no), [['走访人员', m.officer], ['时间', timeOfMin(Number(m.at_min))], ['经度', m.lng], ['纬度', m.lat]]),
      ],
    });
  }
  return out;
}
