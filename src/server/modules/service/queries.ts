import { sql, type ExpressionBuilder } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope, type ScopeColumns } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { shanghaiDate } from '../../platform/time.js';
import { presentFile } from '../files/queries.js';
import type { DB } from '../../db/types.js';
import {
  ENTERPRISE_KINDS, FOLLOW_UP_STATUSES, MEASURE_GROUPS, MEASURE_STATUSES, measureStatus, SERVICE_KINDS, USCC_WARNING,
  type EnterpriseQuery, type FindingInput, type MeasureGroup, type MeasureQuery, type ServiceRecordQuery, type WorkstationQuery,
} from '../../../shared/schemas/service.js';
import { ENTERPRISE_SCOPE, MEASURE_SCOPE, RECORD_SCOPE, WORKSTATION_SCOPE } from './commands.js';

const today = (ctx: Ctx) => shanghaiDate(ctx.now());
/** Scope when there is a viewer; the system (the stats command without a user) sees all. */
const scoped = <Q extends { where: (...args: any[]) => any }>(q: Q, actor: Actor | null, cols: ScopeColumns): Q => (actor ? applyScope(q, actor, cols) : q);

async function filesOf(ctx: Ctx, ownerType: string, ids: string[]) {
  const by = new Map<string, ReturnType<typeof presentFile>[]>();
  if (!ids.length) return by;
  const rows = await ctx.db.selectFrom('attachment').selectAll().where('owner_type', '=', ownerType).where('owner_id', 'in', ids).orderBy('created_at').execute();
  for (const r of rows) by.set(r.owner_id!, [...(by.get(r.owner_id!) ?? []), presentFile(r)]);
  return by;
}

// ---- measures

/** "Started": some progress, or a milestone reached. */
const started = (eb: ExpressionBuilder<DB, 'service_measure'>) =>
  eb.exists(eb.selectFrom('service_milestone as sm').select('sm.id').whereRef('sm.measure_id', '=', 'service_measure.id').where('sm.done_on', 'is not', null));

function measureRows(ctx: Ctx) {
  return ctx.db
    .selectFrom('service_measure')
    .innerJoin('org_unit', 'org_unit.id', 'service_measure.org_unit_id')
    .leftJoin('person as owner', 'owner.id', 'service_measure.owner_person_id')
    .selectAll('service_measure')
    .select((eb) => ['org_unit.name as unit_name', 'owner.name as owner_name', started(eb).as('started')]);
}
type MeasureRow = Awaited<ReturnType<ReturnType<typeof measureRows>['executeTakeFirstOrThrow']>>;

function presentMeasure(r: MeasureRow, day: string) {
  const status = measureStatus({ progress: r.progress, dueDate: r.due_date, started: Boolean(Number(r.started)) }, day);
  return {
    id: r.id, group: r.grp, groupLabel: MEASURE_GROUPS[r.grp as MeasureGroup] ?? r.grp, number: r.number, title: r.title, description: r.description,
    orgUnitId: r.org_unit_id, orgUnitName: r.unit_name, ownerPersonId: r.owner_person_id, ownerName: r.owner_name, campaignId: r.campaign_id,
    startDate: r.start_date, dueDate: r.due_date, isPublic: Boolean(r.is_public), progress: r.progress, doneOn: r.done_on, status,
    statusLabel: MEASURE_STATUSES[status], updatedAt: r.updated_at,
  };
}

/** Measures in scope, by group and number (index service_measure_order; one group: _group; one unit: _unit_order). */
export async function listMeasures(ctx: Ctx, actor: Actor, f: MeasureQuery) {
  const day = today(ctx);
  let from = applyScope(ctx.db.selectFrom('service_measure'), actor, MEASURE_SCOPE);
  if (f.group) from = from.where('service_measure.grp', '=', f.group);
  if (f.orgUnitId) from = from.where('service_measure.org_unit_id', '=', f.orgUnitId);
  if (f.status === 'done') from = from.where('service_measure.progress', '>=', 100);
  else if (f.status === 'overdue') from = from.where('service_measure.progress', '<', 100).where('service_measure.due_date', '<', day);
  else if (f.status) {
    from = from
      .where('service_measure.progress', '<', 100)
      .where((eb) => eb.or([eb('service_measure.due_date', 'is', null), eb('service_measure.due_date', '>=', day)]));
    from =
      f.status === 'in_progress'
        ? from.where((eb) => eb.or([eb('service_measure.progress', '>', 0), started(eb)]))
        : from.where('service_measure.progress', '=', 0).where((eb) => eb.not(started(eb)));
  }
  const page = await listPage(ctx.db, {
    name: 'service-measures',
    from,
    id: 'service_measure.id',
    // Within one group the group's rank is constant: its own index (service_measure_group) reads in order.
    order: f.group
      ? [['service_measure.number', 'asc'], ['service_measure.id', 'asc']]
      : [['service_measure.grp_rank', 'asc'], ['service_measure.number', 'asc'], ['service_measure.id', 'asc']],
    rows: (ids) => measureRows(ctx).where('service_measure.id', 'in', ids),
    count: f.status || (f.group && f.orgUnitId) ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((r) => presentMeasure(r, day)) };
}

export async function getMeasure(ctx: Ctx, actor: Actor, id: string) {
  const found = await applyScope(ctx.db.selectFrom('service_measure').select('service_measure.id'), actor, MEASURE_SCOPE).where('service_measure.id', '=', id).executeTakeFirst();
  if (!found) throw notFound('措施不存在');
  const day = today(ctx);
  const row = await measureRows(ctx).where('service_measure.id', '=', id).executeTakeFirstOrThrow();
  const milestones = await ctx.db.selectFrom('service_milestone').selectAll().where('measure_id', '=', id).orderBy('seq').execute();
  const progress = await ctx.db
    .selectFrom('service_progress')
    .leftJoin('app_user', 'app_user.id', 'service_progress.created_by')
    .selectAll('service_progress')
    .select('app_user.display_name as reporter')
    .where('measure_id', '=', id)
    .orderBy('reported_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  const [mFiles, pFiles] = await Promise.all([filesOf(ctx, 'service_milestone', milestones.map((m) => m.id)), filesOf(ctx, 'service_progress', progress.map((p) => p.id))]);
  return {
    ...presentMeasure(row, day),
    milestones: milestones.map((m) => ({
      id: m.id, seq: m.seq, title: m.title, dueDate: m.due_date, doneOn: m.done_on,
      overdue: !m.done_on && Boolean(m.due_date && m.due_date < day), files: mFiles.get(m.id) ?? [],
    })),
    progressReports: progress.map((p) => ({ id: p.id, reportedOn: p.reported_on, percent: p.percent, note: p.note, reporter: p.reporter, createdAt: p.created_at, files: pFiles.get(p.id) ?? [] })),
  };
}

/** Whether a measure's evidence may be read: the measure is in the reader's scope. */
export async function measureReadable(ctx: Ctx, table: 'service_milestone' | 'service_progress', ownerId: string) {
  if (!ctx.actor) return false;
  const row = await ctx.db.selectFrom(table).select('measure_id').where('id', '=', ownerId).executeTakeFirst();
  if (!row) return false;
  const m = await applyScope(ctx.db.selectFrom('service_measure').select('service_measure.id'), ctx.actor, MEASURE_SCOPE).where('service_measure.id', '=', row.measure_id).executeTakeFirst();
  return Boolean(m);
}

/**
 * 群众端：the public measures by group, with their responsible unit, dates, milestones and progress —
 * never a person's name nor a progress report's text (index service_measure_public; a bounded list).
 */
export async function publicMeasures(ctx: Ctx) {
  const day = today(ctx);
  const rows = await measureRows(ctx)
    .where('service_measure.is_public', '=', 1)
    .orderBy('service_measure.grp_rank')
    .orderBy('service_measure.number')
    .orderBy('service_measure.id')
    .execute();
  const ms = rows.length
    ? await ctx.db.selectFrom('service_milestone').select(['measure_id', 'title', 'due_date', 'done_on', 'seq']).where('measure_id', 'in', rows.map((r) => r.id)).orderBy('measure_id').orderBy('seq').execute()
    : [];
  const groups = new Map<string, { group: string; label: string; items: unknown[] }>();
  let done = 0;
  for (const r of rows) {
    const m = presentMeasure(r, day);
    if (m.status === 'done') done++;
    const g = groups.get(m.group) ?? { group: m.group, label: m.groupLabel, items: [] };
    groups.set(m.group, g);
    g.items.push({
      id: m.id, number: m.number, title: m.title, description: m.description, unitName: m.orgUnitName, startDate: m.startDate, dueDate: m.dueDate,
      progress: m.progress, status: m.status, statusLabel: m.statusLabel, doneOn: m.doneOn,
      milestones: ms.filter((x) => x.measure_id === r.id).map((x) => ({ title: x.title, dueDate: x.due_date, done: Boolean(x.done_on) })),
    });
  }
  return { total: rows.length, done, groups: [...groups.values()] };
}

// ---- workstations

async function servedBy(ctx: Ctx, actor: Actor | null, column: 'workstation_id' | 'county_unit_id') {
  const rows = await scoped(ctx.db.selectFrom('enterprise_service'), actor, RECORD_SCOPE)
    .select([`enterprise_service.${column} as key`, sql<number>`count(distinct enterprise_service.enterprise_id)`.as('served'), sql<number>`count(*)`.as('records')])
    .groupBy(`enterprise_service.${column}`)
    .execute();
  return new Map(rows.map((r) => [r.key as string, { served: Number(r.served), records: Number(r.records) }]));
}

/** Workstations in scope by name (index legal_workstation name; one host unit: legal_workstation_unit), with how many they served. */
export async function listWorkstations(ctx: Ctx, actor: Actor, f: WorkstationQuery) {
  let from = applyScope(ctx.db.selectFrom('legal_workstation'), actor, WORKSTATION_SCOPE);
  if (f.orgUnitId) from = from.where('legal_workstation.org_unit_id', '=', f.orgUnitId);
  const page = await listPage(ctx.db, {
    name: 'service-workstations',
    from,
    id: 'legal_workstation.id',
    order: [['legal_workstation.name', 'asc']], // names are unique
    rows: (ids) =>
      ctx.db
        .selectFrom('legal_workstation')
        .innerJoin('org_unit', 'org_unit.id', 'legal_workstation.org_unit_id')
        .selectAll('legal_workstation')
        .select('org_unit.name as unit_name')
        .where('legal_workstation.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const ids = page.items.map((w) => w.id);
  const counts = ids.length
    ? await ctx.db
        .selectFrom('enterprise_service')
        .select(['workstation_id', sql<number>`count(distinct enterprise_id)`.as('served'), sql<number>`count(*)`.as('records')])
        .where('workstation_id', 'in', ids)
        .groupBy('workstation_id')
        .execute()
    : [];
  const by = new Map(counts.map((c) => [c.workstation_id, c]));
  return {
    ...page,
    items: page.items.map((w) => ({
      id: w.id, name: w.name, orgUnitId: w.org_unit_id, orgUnitName: w.unit_name, address: w.address, contact: w.contact, staffOnDuty: w.staff_on_duty,
      openedOn: w.opened_on, served: Number(by.get(w.id)?.served ?? 0), records: Number(by.get(w.id)?.records ?? 0),
    })),
  };
}

/** 服务市场主体: distinct enterprises served in scope, in all, by workstation and by county. */
export async function servedStats(ctx: Ctx, actor: Actor | null) {
  const total = await scoped(ctx.db.selectFrom('enterprise_service'), actor, RECORD_SCOPE)
    .select([sql<number>`count(distinct enterprise_service.enterprise_id)`.as('served'), sql<number>`count(*)`.as('records')])
    .executeTakeFirstOrThrow();
  const healthChecks = await scoped(ctx.db.selectFrom('enterprise_service'), actor, RECORD_SCOPE)
    .select(sql<number>`count(distinct enterprise_service.enterprise_id)`.as('n'))
    .where('enterprise_service.kind', '=', 'health_check')
    .executeTakeFirstOrThrow();
  const [byWs, byCounty] = await Promise.all([servedBy(ctx, actor, 'workstation_id'), servedBy(ctx, actor, 'county_unit_id')]);
  const wsNames = byWs.size ? await ctx.db.selectFrom('legal_workstation').select(['id', 'name']).where('id', 'in', [...byWs.keys()]).execute() : [];
  const units = byCounty.size ? await ctx.db.selectFrom('org_unit').select(['id', 'name', 'sort']).where('id', 'in', [...byCounty.keys()]).execute() : [];
  return {
    entitiesServed: Number(total.served),
    records: Number(total.records),
    healthChecked: Number(healthChecks.n),
    byWorkstation: wsNames
      .map((w) => ({ workstationId: w.id, name: w.name, ...byWs.get(w.id)! }))
      .sort((a, b) => b.served - a.served || a.name.localeCompare(b.name, 'zh')),
    byCounty: units.sort((a, b) => a.sort - b.sort).map((u) => ({ orgUnitId: u.id, name: u.name, ...byCounty.get(u.id)! })),
  };
}

// ---- enterprises

function presentEnterprise(e: { id: string; code: string; code_warning: number; name: string; kind: string; org_unit_id: string; unit_name: string; industry: string | null; legal_rep: string | null }) {
  return {
    id: e.id, code: e.code, codeWarning: e.code_warning ? USCC_WARNING : null, name: e.name, kind: e.kind,
    kindLabel: ENTERPRISE_KINDS[e.kind as keyof typeof ENTERPRISE_KINDS] ?? e.kind, orgUnitId: e.org_unit_id, orgUnitName: e.unit_name,
    industry: e.industry, legalRep: e.legal_rep,
  };
}

/** Enterprises in scope by code (the unique index; one county: enterprise_unit_code); `q` a code prefix or a name part. */
export async function listEnterprises(ctx: Ctx, actor: Actor, f: EnterpriseQuery) {
  let from = applyScope(ctx.db.selectFrom('enterprise'), actor, ENTERPRISE_SCOPE);
  if (f.orgUnitId) from = from.where('enterprise.org_unit_id', '=', f.orgUnitId);
  if (f.q) {
    const q = f.q;
    const esc = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    from = from.where((eb) =>
      eb.or([eb('enterprise.code', '=', q.toUpperCase()), sql<boolean>`enterprise.name like ${`%${esc}%`} escape '\\'`, sql<boolean>`enterprise.code like ${`${esc.toUpperCase()}%`} escape '\\'`]),
    );
  }
  const page = await listPage(ctx.db, {
    name: 'service-enterprises',
    from,
    id: 'enterprise.id',
    order: [['enterprise.code', 'asc']], // codes are unique
    rows: (ids) =>
      ctx.db.selectFrom('enterprise').innerJoin('org_unit', 'org_unit.id', 'enterprise.org_unit_id').selectAll('enterprise').select('org_unit.name as unit_name').where('enterprise.id', 'in', ids),
    count: f.q ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map(presentEnterprise) };
}

// ---- service records

function recordRows(ctx: Ctx) {
  return ctx.db
    .selectFrom('enterprise_service')
    .innerJoin('enterprise', 'enterprise.id', 'enterprise_service.enterprise_id')
    .innerJoin('legal_workstation', 'legal_workstation.id', 'enterprise_service.workstation_id')
    .innerJoin('org_unit as county', 'county.id', 'enterprise_service.county_unit_id')
    .selectAll('enterprise_service')
    .select([
      'enterprise.code as enterprise_code', 'enterprise.name as enterprise_name', 'enterprise.code_warning', 'legal_workstation.name as workstation_name',
      'county.name as county_name',
    ]);
}
type RecordRow = Awaited<ReturnType<ReturnType<typeof recordRows>['executeTakeFirstOrThrow']>>;

async function staffNames(ctx: Ctx, rows: RecordRow[]) {
  const ids = [...new Set(rows.flatMap((r) => JSON.parse(r.staff_person_ids) as string[]))];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const p of await ctx.db.selectFrom('person').select(['id', 'name']).where('id', 'in', ids.slice(i, i + 500)).execute()) names.set(p.id, p.name);
  }
  return names;
}

function presentRecord(r: RecordRow, names: Map<string, string>) {
  const staff = (JSON.parse(r.staff_person_ids) as string[]).map((id) => ({ id, name: names.get(id) ?? '' }));
  const findings = r.findings ? (JSON.parse(r.findings) as FindingInput[]) : [];
  return {
    id: r.id, kind: r.kind, kindLabel: SERVICE_KINDS[r.kind as keyof typeof SERVICE_KINDS] ?? r.kind, enterpriseId: r.enterprise_id,
    enterpriseCode: r.enterprise_code, enterpriseName: r.enterprise_name, codeWarning: r.code_warning ? USCC_WARNING : null,
    workstationId: r.workstation_id, workstationName: r.workstation_name, orgUnitId: r.org_unit_id, countyId: r.county_unit_id, countyName: r.county_name,
    servedOn: r.served_on, staff, summary: r.summary, findings, recommendations: r.recommendations, followUpStatus: r.follow_up_status,
    followUpLabel: FOLLOW_UP_STATUSES[r.follow_up_status as keyof typeof FOLLOW_UP_STATUSES] ?? r.follow_up_status, followUp: r.follow_up,
    updatedAt: r.updated_at,
  };
}

function filteredRecords(ctx: Ctx, actor: Actor, f: Partial<ServiceRecordQuery>) {
  let from = applyScope(ctx.db.selectFrom('enterprise_service'), actor, RECORD_SCOPE);
  if (f.workstationId) from = from.where('enterprise_service.workstation_id', '=', f.workstationId);
  if (f.countyId) from = from.where('enterprise_service.county_unit_id', '=', f.countyId);
  if (f.kind) from = from.where('enterprise_service.kind', '=', f.kind);
  if (f.enterpriseId) from = from.where('enterprise_service.enterprise_id', '=', f.enterpriseId);
  if (f.from) from = from.where('enterprise_service.served_on', '>=', f.from);
  if (f.to) from = from.where('enterprise_service.served_on', '<=', f.to);
  return from;
}

/**
 * Service records in scope, latest first (index enterprise_service_order; by workstation, county or
 * kind: enterprise_service_ws / _county / _kind). One filter is an index's leading column: exact count.
 */
export async function listRecords(ctx: Ctx, actor: Actor, f: ServiceRecordQuery) {
  const filters = [f.workstationId, f.countyId, f.kind, f.enterpriseId, f.from, f.to].filter(Boolean).length;
  const page = await listPage(ctx.db, {
    name: 'service-records',
    from: filteredRecords(ctx, actor, f),
    id: 'enterprise_service.id',
    order: [['enterprise_service.served_on', 'desc'], ['enterprise_service.id', 'desc']],
    rows: (ids) => recordRows(ctx).where('enterprise_service.id', 'in', ids),
    count: filters > 1 || f.enterpriseId || f.from || f.to ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const names = await staffNames(ctx, page.items);
  return { ...page, items: page.items.map((r) => presentRecord(r, names)) };
}

export async function* iterateRecords(ctx: Ctx, actor: Actor, f: Partial<ServiceRecordQuery>) {
  const ids = await filteredRecords(ctx, actor, f).select('enterprise_service.id').orderBy('enterprise_service.served_on', 'desc').orderBy('enterprise_service.id', 'desc').execute();
  for (let i = 0; i < ids.length; i += 200) {
    const rows = await recordRows(ctx).where('enterprise_service.id', 'in', ids.slice(i, i + 200).map((r) => r.id)).execute();
    const by = new Map(rows.map((r) => [r.id, r]));
    const names = await staffNames(ctx, rows);
    for (const { id } of ids.slice(i, i + 200)) {
      const r = by.get(id);
      if (r) yield presentRecord(r, names);
    }
  }
}

export async function getRecord(ctx: Ctx, actor: Actor, id: string) {
  const found = await applyScope(ctx.db.selectFrom('enterprise_service').select('enterprise_service.id'), actor, RECORD_SCOPE).where('enterprise_service.id', '=', id).executeTakeFirst();
  if (!found) throw notFound('服务记录不存在');
  const row = await recordRows(ctx).where('enterprise_service.id', '=', id).executeTakeFirstOrThrow();
  const files = await filesOf(ctx, 'enterprise_service', [id]);
  return { ...presentRecord(row, await staffNames(ctx, [row])), files: files.get(id) ?? [] };
}

export async function recordReadable(ctx: Ctx, id: string) {
  if (!ctx.actor) return false;
  return Boolean(await applyScope(ctx.db.selectFrom('enterprise_service').select('enterprise_service.id'), ctx.actor, RECORD_SCOPE).where('enterprise_service.id', '=', id).executeTakeFirst());
}

// ---- figures

/** service.measures, service.workstations, service.entitiesServed within the viewer's scope. */
export async function serviceFigures(ctx: Ctx) {
  const actor = ctx.actor;
  const measures = await scoped(ctx.db.selectFrom('service_measure'), actor, MEASURE_SCOPE).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const workstations = await scoped(ctx.db.selectFrom('legal_workstation'), actor, WORKSTATION_SCOPE).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const served = await scoped(ctx.db.selectFrom('enterprise_service'), actor, RECORD_SCOPE)
    .select(sql<number>`count(distinct enterprise_service.enterprise_id)`.as('n'))
    .executeTakeFirstOrThrow();
  return { measures: Number(measures.n), workstations: Number(workstations.n), entitiesServed: Number(served.n) };
}
