import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, requirePermission, runCommand } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { listPage } from '../../platform/list.js';
import { listAttachments } from '../files/queries.js';
import { coverageByUnit, listNotDone, notDoneIds, type DoneCondition } from '../people/coverage.js';
import {
  INTERFERENCE_CATEGORIES, INTERFERENCE_CATEGORY_SHORT, INTERFERENCE_HANDLING, INTERFERENCE_MANNERS, INTERVENER_KINDS, INTERVENER_RELATIONS,
  PERIOD_STATUS, ZERO_REPORT_STATEMENT, periodLabel, shiftPeriod,
  type InterferenceCoverageQuery, type InterferenceQuery, type InterferenceStatsQuery, type MyInterferenceQuery, type PeriodStatus,
} from '../../../shared/schemas/interference.js';
import type { InterferenceRecordTable } from '../../db/types-interference.js';
import { currentPeriod, openableRecord, visibleRecords, zeroReportContent } from './commands.js';
import { sm3 } from '../../platform/crypto.js';

const label = <T extends Record<string, string>>(m: T, k: string | null) => (k ? (m[k as keyof T] ?? k) : null);
const mannersOf = (json: string) => JSON.parse(json) as string[];

/** "Has recorded in the period". */
const recordedIn = (period: string): DoneCondition => (eb) =>
  eb.exists(eb.selectFrom('interference_record as ir').select('ir.id').whereRef('ir.recorder_person_id', '=', 'person.id').where('ir.period', '=', period));

/** "Has recorded or filed a 零报告 in the period": what the period asks of every serving officer. */
const reportedIn = (period: string): DoneCondition => (eb) =>
  eb.or([
    recordedIn(period)(eb),
    eb.exists(eb.selectFrom('zero_report as zr').select('zr.id').whereRef('zr.person_id', '=', 'person.id').where('zr.period', '=', period)),
  ]);

// ---------------------------------------------------------------- the officer's own

/** The officer's standing for the current period and the three before it, and their 零报告. */
export async function mine(ctx: Ctx) {
  const actor = requirePermission(ctx, 'interference:record');
  const period = currentPeriod(ctx);
  const periods = [0, -1, -2, -3].map((n) => shiftPeriod(period, n));
  const personId = actor.personId;
  const [person, zeros, counts] = personId
    ? await Promise.all([
        ctx.db.selectFrom('person').select(['name']).where('id', '=', personId).executeTakeFirst(),
        ctx.db.selectFrom('zero_report').selectAll().where('person_id', '=', personId).orderBy('period', 'desc').execute(),
        ctx.db
          .selectFrom('interference_record')
          .select(['period', sql<number>`count(*)`.as('n')])
          .where('recorder_person_id', '=', personId)
          .groupBy('period')
          .execute(),
      ])
    : [undefined, [], []];
  const recorded = new Map(counts.map((c) => [c.period, Number(c.n)]));
  const zeroBy = new Map(zeros.map((z) => [z.period, z]));
  const presentZero = (z: (typeof zeros)[number]) => ({
    id: z.id, period: z.period, periodLabel: periodLabel(z.period), statement: z.statement, signedName: z.signed_name, signedAt: z.signed_at,
    digest: z.digest, intact: sm3(zeroReportContent(z)) === z.digest,
    // A record made later for the same quarter supersedes the statement (kept as signed).
    superseded: (recorded.get(z.period) ?? 0) > 0,
  });
  const status = (p: string): PeriodStatus => ((recorded.get(p) ?? 0) > 0 ? 'recorded' : zeroBy.has(p) ? 'zero' : 'missing');
  return {
    canRecord: Boolean(personId),
    personName: person?.name ?? null,
    statement: ZERO_REPORT_STATEMENT,
    currentPeriod: period,
    periods: periods.map((p) => ({
      period: p, periodLabel: periodLabel(p), status: status(p), statusLabel: PERIOD_STATUS[status(p)], records: recorded.get(p) ?? 0,
      zeroReport: zeroBy.has(p) ? presentZero(zeroBy.get(p)!) : null,
    })),
    zeroReports: zeros.map(presentZero),
  };
}

function presentFull(ctx: Ctx, r: InterferenceRecordTable & { recorder_name: string; unit_name: string }) {
  const who = JSON.parse(ctx.cipher.open(r.intervener_enc)) as { personId: string | null; name: string; unitName: string | null; post: string | null; relation: string };
  const manners = mannersOf(r.manners);
  return {
    ...presentBrief(r),
    intervener: { ...who, relationLabel: label(INTERVENER_RELATIONS, who.relation) },
    caseRef: ctx.cipher.open(r.case_enc),
    requestText: ctx.cipher.open(r.request_enc),
    handlingNote: r.handling_note_enc ? ctx.cipher.open(r.handling_note_enc) : null,
    manners, mannerLabels: manners.map((m) => label(INTERFERENCE_MANNERS, m)),
  };
}

/** What a list may show of a record: never who intervened, the case or what was asked. */
function presentBrief(r: Pick<InterferenceRecordTable, 'id' | 'record_no' | 'period' | 'category' | 'intervener_kind' | 'manners' | 'occurred_at' | 'handling' | 'recorder_person_id' | 'org_unit_id' | 'created_at'> & { recorder_name: string; unit_name: string }) {
  const manners = mannersOf(r.manners);
  return {
    id: r.id, recordNo: r.record_no, period: r.period, periodLabel: periodLabel(r.period), category: r.category,
    categoryLabel: label(INTERFERENCE_CATEGORY_SHORT, r.category), intervenerKind: r.intervener_kind,
    intervenerKindLabel: label(INTERVENER_KINDS, r.intervener_kind), manners, mannerLabels: manners.map((m) => label(INTERFERENCE_MANNERS, m)),
    occurredAt: r.occurred_at, handling: r.handling, handlingLabel: label(INTERFERENCE_HANDLING, r.handling),
    recorderPersonId: r.recorder_person_id, recorderName: r.recorder_name, orgUnitId: r.org_unit_id, orgUnitName: r.unit_name, createdAt: r.created_at,
  };
}

const withNames = (ctx: Ctx) =>
  ctx.db
    .selectFrom('interference_record')
    .innerJoin('person as recorder', 'recorder.id', 'interference_record.recorder_person_id')
    .innerJoin('org_unit', 'org_unit.id', 'interference_record.org_unit_id');

/** The officer's own records, latest first (index interference_recorder_order), content included: they wrote it. */
export async function myRecords(ctx: Ctx, f: MyInterferenceQuery) {
  const actor = requirePermission(ctx, 'interference:record');
  if (!actor.personId) return { items: [], total: 0 };
  const page = await listPage(ctx.db, {
    name: 'interference-mine',
    from: ctx.db.selectFrom('interference_record').where('interference_record.recorder_person_id', '=', actor.personId),
    id: 'interference_record.id',
    order: [['interference_record.occurred_at', 'desc'], ['interference_record.id', 'desc']],
    rows: (ids) => withNames(ctx).selectAll('interference_record').select(['recorder.name as recorder_name', 'org_unit.name as unit_name']).where('interference_record.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => presentFull(ctx, r)) };
}

// ---------------------------------------------------------------- restricted (interference:read)

/**
 * The restricted list, latest first (index interference_order / _period_order / _category_order): the
 * record's number, quarter, regulation, manners, handling and who recorded it — never the intervener,
 * the case or what was asked. A record naming the reader is left out (and so from the total: counted up
 * to the cap). The view is audited with the numbers shown.
 */
export async function listRecords(ctx: Ctx, actor: Actor, f: InterferenceQuery) {
  let from = visibleRecords(ctx.db.selectFrom('interference_record'), ctx, actor);
  if (f.period) from = from.where('interference_record.period', '=', f.period);
  if (f.category) from = from.where('interference_record.category', '=', f.category);
  const page = await listPage(ctx.db, {
    name: 'interference',
    from,
    id: 'interference_record.id',
    order: [['interference_record.occurred_at', 'desc'], ['interference_record.id', 'desc']],
    rows: (ids) =>
      withNames(ctx)
        .select([
          'interference_record.id', 'interference_record.record_no', 'interference_record.period', 'interference_record.category',
          'interference_record.intervener_kind', 'interference_record.manners', 'interference_record.occurred_at', 'interference_record.handling',
          'interference_record.recorder_person_id', 'interference_record.org_unit_id', 'interference_record.created_at',
          'recorder.name as recorder_name', 'org_unit.name as unit_name',
        ])
        .where('interference_record.id', 'in', ids),
    count: actor.personId ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  await auditRead(ctx, 'interference_record', null, { list: true, recordNos: page.items.map((r) => r.record_no) });
  return { ...page, items: page.items.map(presentBrief) };
}

/**
 * One record in full. The recorder's own: no audit. Anyone else's (interference:read, in scope, not
 * naming the reader): audited as a 'view' with the record's number, before the content is answered.
 */
export async function getRecord(ctx: Ctx, actor: Actor, id: string) {
  const { own } = await openableRecord(ctx, actor, id);
  const row = await withNames(ctx).selectAll('interference_record').select(['recorder.name as recorder_name', 'org_unit.name as unit_name']).where('interference_record.id', '=', id).executeTakeFirstOrThrow();
  if (!own) {
    await runCommand(ctx, { action: 'view', entityType: 'interference_record' }, async () => ({ result: undefined, entityId: id, after: { recordNo: row.record_no } }));
  }
  return { ...presentFull(ctx, row), own, attachments: await listAttachments(ctx.db, 'interference_record', id) };
}

/** Whether the caller may read a record's files (the file policy; reads through it are audited). */
export async function recordReadable(ctx: Ctx, id: string): Promise<boolean> {
  if (!ctx.actor) return false;
  try {
    await openableRecord(ctx, ctx.actor, id);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- coverage and counts (interference:coverage)

/** One period's coverage: serving officers in scope who recorded, who filed a 零报告 only, who neither; per unit and in all. */
export async function periodCoverage(ctx: Ctx, actor: Actor | null, period: string, orgUnitId?: string) {
  const [recorded, reported] = await Promise.all([
    coverageByUnit(ctx, actor, recordedIn(period), orgUnitId),
    coverageByUnit(ctx, actor, reportedIn(period), orgUnitId),
  ]);
  const rec = new Map(recorded.units.map((u) => [u.unitId, u.done]));
  return {
    period, periodLabel: periodLabel(period),
    total: reported.total, recorded: recorded.done, zeroReported: reported.done - recorded.done, missing: reported.missing,
    rate: reported.total ? reported.done / reported.total : null,
    units: reported.units.map((u) => ({
      unitId: u.unitId, unitName: u.unitName, total: u.total, recorded: rec.get(u.unitId) ?? 0, zeroReported: u.done - (rec.get(u.unitId) ?? 0), missing: u.missing,
    })),
  };
}

export async function coverage(ctx: Ctx, actor: Actor, f: InterferenceCoverageQuery) {
  return periodCoverage(ctx, actor, f.period ?? currentPeriod(ctx), f.orgUnitId);
}

/** Who in scope has neither recorded nor filed a 零报告 for the period, in the people list's order. */
export async function listMissing(ctx: Ctx, actor: Actor, f: InterferenceCoverageQuery) {
  const period = f.period ?? currentPeriod(ctx);
  return { ...(await listNotDone(ctx, actor, reportedIn(period), f, 'interference-missing')), period, periodLabel: periodLabel(period) };
}

/** The person ids of listMissing, all of them (催报). */
export async function unreportedPeopleIds(ctx: Ctx, actor: Actor, period: string, orgUnitId?: string): Promise<string[]> {
  return notDoneIds(ctx, actor, reportedIn(period), orgUnitId);
}

/**
 * Counts only, for a year: records by regulation, by manner and by quarter, and 零报告 by quarter, in the
 * caller's scope — a record naming the caller is not counted (a count could single it out).
 */
export async function stats(ctx: Ctx, actor: Actor | null, f: InterferenceStatsQuery) {
  const year = f.year ?? Number(currentPeriod(ctx).slice(0, 4));
  const periods = [1, 2, 3, 4].map((q) => `${year}Q${q}`);
  let rq = visibleRecords(ctx.db.selectFrom('interference_record'), ctx, actor).where('interference_record.period', 'in', periods);
  let zq = ctx.db.selectFrom('zero_report').where('zero_report.period', 'in', periods);
  if (actor) zq = applyScope(zq, actor, { unit: 'zero_report.org_unit_id', person: 'zero_report.person_id' });
  if (f.orgUnitId) {
    const u = await ctx.db.selectFrom('org_unit').select('path').where('id', '=', f.orgUnitId).executeTakeFirst();
    const path = u?.path ?? '\u0000';
    const inUnit = ctx.db.selectFrom('org_unit as su').select('su.id').where('su.path', 'like', `${path}%`);
    rq = rq.where('interference_record.org_unit_id', 'in', inUnit);
    zq = zq.where('zero_report.org_unit_id', 'in', inUnit);
  }
  const [rows, zeros] = await Promise.all([
    rq.select(['interference_record.period', 'interference_record.category', 'interference_record.manners', sql<number>`count(*)`.as('n')])
      .groupBy(['interference_record.period', 'interference_record.category', 'interference_record.manners'])
      .execute(),
    zq.select(['zero_report.period', sql<number>`count(*)`.as('n')]).groupBy('zero_report.period').execute(),
  ]);
  const byCategory = Object.fromEntries(Object.keys(INTERFERENCE_CATEGORIES).map((k) => [k, 0])) as Record<string, number>;
  const byManner = Object.fromEntries(Object.keys(INTERFERENCE_MANNERS).map((k) => [k, 0])) as Record<string, number>;
  const recordsBy = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    byCategory[r.category] = (byCategory[r.category] ?? 0) + n;
    for (const m of mannersOf(r.manners)) byManner[m] = (byManner[m] ?? 0) + n;
    recordsBy.set(r.period, (recordsBy.get(r.period) ?? 0) + n);
  }
  const zeroBy = new Map(zeros.map((z) => [z.period, Number(z.n)]));
  return {
    year, total,
    byCategory: Object.entries(byCategory).map(([k, n]) => ({ key: k, label: label(INTERFERENCE_CATEGORY_SHORT, k), count: n })),
    byManner: Object.entries(byManner).map(([k, n]) => ({ key: k, label: label(INTERFERENCE_MANNERS, k), count: n })),
    byPeriod: periods.map((p) => ({ period: p, periodLabel: periodLabel(p), records: recordsBy.get(p) ?? 0, zeroReports: zeroBy.get(p) ?? 0 })),
  };
}

/** interference.records and interference.zeroReportCoverage (CONTRACTS.md). */
export async function interferenceFigures(ctx: Ctx) {
  const a = ctx.actor;
  if (a && !a.permissions.has('interference:read') && !a.permissions.has('interference:coverage')) return { records: null, zeroReportCoverage: null };
  const counted = await visibleRecords(ctx.db.selectFrom('interference_record'), ctx, a).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const cov = await coverageByUnit(ctx, a, reportedIn(currentPeriod(ctx)));
  return { records: Number(counted.n), zeroReportCoverage: cov.total ? cov.done / cov.total : null };
}
