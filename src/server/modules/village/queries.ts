import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope, scopeCondition } from '../../platform/access.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { listAttachments } from '../files/queries.js';
import {
  COMPLIANCE_STATES, DELIVERABLE_KINDS, DELIVERABLE_STATUSES, PAIRING_STATUSES, RECORD_TYPES, SERVICE_KINDS, VILLAGE_KINDS,
  YEARLY_SERVICES, YEARLY_VISITS,
  type BoardQuery, type ComplianceState, type DeliverableKind, type PairingQuery, type RecordQuery, type VillageQuery,
} from '../../../shared/schemas/village.js';
import { PAIRING_SCOPE, RECORD_SCOPE } from './commands.js';
import { elapsedFraction, judge, shanghaiToday } from './compliance.js';

const n = (v: unknown) => Number(v ?? 0);

/** Villages of the counties in scope, by county then name (index village_order). */
export async function listVillages(ctx: Ctx, actor: Actor, f: VillageQuery) {
  let from = applyScope(ctx.db.selectFrom('village'), actor, { unit: 'village.county_unit_id' });
  if (f.countyUnitId) from = from.where('village.county_unit_id', '=', f.countyUnitId);
  if (f.q) from = from.where('village.name', 'like', `%${f.q.replace(/[%_\\]/g, '')}%`);
  const page = await listPage(ctx.db, {
    name: 'villages',
    from,
    id: 'village.id',
    order: [['village.county_unit_id', 'asc'], ['village.name', 'asc'], ['village.id', 'asc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('village')
        .innerJoin('org_unit as county', 'county.id', 'village.county_unit_id')
        .leftJoin('org_unit as office', 'office.id', 'village.office_unit_id')
        .selectAll('village')
        .select(['county.name as county_name', 'office.name as office_name'])
        .select((eb) =>
          eb.selectFrom('village_pairing as vp').innerJoin('person as cp', 'cp.id', 'vp.cadre_person_id').select('cp.name')
            .whereRef('vp.village_id', '=', 'village.id').where('vp.status', '=', 'active').limit(1).as('cadre_name'),
        )
        .where('village.id', 'in', ids),
    count: f.q ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((v) => ({
      id: v.id, name: v.name, kind: v.kind, kindLabel: VILLAGE_KINDS[v.kind] ?? v.kind, countyUnitId: v.county_unit_id, countyName: v.county_name,
      officeUnitId: v.office_unit_id, officeName: v.office_name, pairedWith: v.cadre_name ?? null,
    })),
  };
}

function pairingRows(ctx: Ctx) {
  return ctx.db
    .selectFrom('village_pairing')
    .innerJoin('village', 'village.id', 'village_pairing.village_id')
    .innerJoin('person', 'person.id', 'village_pairing.cadre_person_id')
    .innerJoin('org_unit as unit', 'unit.id', 'village_pairing.org_unit_id')
    .innerJoin('org_unit as county', 'county.id', 'village_pairing.county_unit_id')
    .selectAll('village_pairing')
    .select(['village.name as village_name', 'village.kind as village_kind', 'person.name as cadre_name', 'unit.name as unit_name', 'county.name as county_name']);
}
type PairingRow = Awaited<ReturnType<ReturnType<typeof pairingRows>['executeTakeFirstOrThrow']>>;

function presentPairing(r: PairingRow) {
  return {
    id: r.id, villageId: r.village_id, villageName: r.village_name, villageKindLabel: VILLAGE_KINDS[r.village_kind] ?? r.village_kind,
    cadrePersonId: r.cadre_person_id, cadreName: r.cadre_name, orgUnitId: r.org_unit_id, unitName: r.unit_name, countyUnitId: r.county_unit_id,
    countyName: r.county_name, startYear: n(r.start_year), endYear: n(r.end_year), status: r.status, statusLabel: PAIRING_STATUSES[r.status],
    note: r.note, endedOn: r.ended_on, endReason: r.end_reason,
  };
}

/** Pairings in scope, newest first (primary key order; county, status and cadre filters have their indexes). */
export async function listPairings(ctx: Ctx, actor: Actor, f: PairingQuery) {
  let from = applyScope(ctx.db.selectFrom('village_pairing'), actor, PAIRING_SCOPE);
  if (f.countyUnitId) from = from.where('village_pairing.county_unit_id', '=', f.countyUnitId);
  if (f.status) from = from.where('village_pairing.status', '=', f.status);
  if (f.cadrePersonId) from = from.where('village_pairing.cadre_person_id', '=', f.cadrePersonId);
  const filters = [f.countyUnitId, f.status, f.cadrePersonId].filter(Boolean).length;
  const page = await listPage(ctx.db, {
    name: 'village-pairings',
    from,
    id: 'village_pairing.id',
    order: [['village_pairing.id', 'desc']],
    rows: (ids) => pairingRows(ctx).where('village_pairing.id', 'in', ids),
    count: filters > 1 ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const ids = page.items.map((p) => p.id);
  const done = ids.length
    ? await ctx.db.selectFrom('village_deliverable').select(['pairing_id', sql<number>`count(*)`.as('n')]).where('pairing_id', 'in', ids).where('status', '=', 'done').groupBy('pairing_id').execute()
    : [];
  const doneBy = new Map(done.map((d) => [d.pairing_id, n(d.n)]));
  return { ...page, items: page.items.map((p) => ({ ...presentPairing(p), deliverablesDone: doneBy.get(p.id) ?? 0 })) };
}

async function deliverablesOf(ctx: Ctx, pairingId: string) {
  const rows = await ctx.db.selectFrom('village_deliverable').selectAll().where('pairing_id', '=', pairingId).execute();
  return Promise.all(
    (Object.keys(DELIVERABLE_KINDS) as DeliverableKind[]).map(async (kind) => {
      const r = rows.find((x) => x.kind === kind);
      return {
        kind, label: DELIVERABLE_KINDS[kind], id: r?.id ?? null, status: r?.status ?? 'pending', statusLabel: DELIVERABLE_STATUSES[r?.status ?? 'pending'],
        doneOn: r?.done_on ?? null, count: r?.count ?? null, evidence: r?.evidence ?? null,
        files: r ? (await listAttachments(ctx.db, 'village_deliverable', r.id)).map((x) => ({ id: x.id, name: x.name })) : [],
      };
    }),
  );
}

/** A cadre's counts for one year (services, visits, people reached) and the board's judgement of them. */
async function yearOf(ctx: Ctx, pairingId: string, year: number) {
  const rows = await ctx.db
    .selectFrom('village_record')
    .select(['type', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(people_reached), 0)`.as('people')])
    .where('year', '=', year)
    .where('pairing_id', '=', pairingId)
    .groupBy('type')
    .execute();
  const services = n(rows.find((r) => r.type === 'service')?.n);
  const visits = n(rows.find((r) => r.type === 'visit')?.n);
  const fraction = elapsedFraction(year, shanghaiToday(ctx.now()).today);
  const j = judge(services, visits, fraction);
  return { year, services, visits, peopleReached: n(rows.find((r) => r.type === 'service')?.people), ...j, stateLabel: COMPLIANCE_STATES[j.state], elapsed: fraction };
}

export async function getPairing(ctx: Ctx, actor: Actor, id: string) {
  const row = await applyScope(pairingRows(ctx), actor, PAIRING_SCOPE).where('village_pairing.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('结对不存在');
  const { year } = shanghaiToday(ctx.now());
  return { ...presentPairing(row), thisYear: await yearOf(ctx, id, year), deliverables: await deliverablesOf(ctx, id) };
}

/** The signed-in cadre's own active pairing (the field app's start), or null. */
export async function myPairing(ctx: Ctx, actor: Actor) {
  const { year, today } = shanghaiToday(ctx.now());
  if (!actor.personId) return { pairing: null, today, year };
  const row = await pairingRows(ctx).where('village_pairing.cadre_person_id', '=', actor.personId).where('village_pairing.status', '=', 'active').executeTakeFirst();
  if (!row) return { pairing: null, today, year };
  return {
    today, year,
    pairing: { ...presentPairing(row), thisYear: await yearOf(ctx, row.id, year), deliverables: await deliverablesOf(ctx, row.id) },
    rule: { services: YEARLY_SERVICES, visits: YEARLY_VISITS },
  };
}

function recordRows(ctx: Ctx) {
  return ctx.db
    .selectFrom('village_record')
    .innerJoin('village_pairing', 'village_pairing.id', 'village_record.pairing_id')
    .innerJoin('village', 'village.id', 'village_pairing.village_id')
    .innerJoin('person', 'person.id', 'village_record.cadre_person_id')
    .innerJoin('org_unit as county', 'county.id', 'village_record.county_unit_id')
    .selectAll('village_record')
    .select(['village.name as village_name', 'person.name as cadre_name', 'county.name as county_name']);
}
type RecordRow = Awaited<ReturnType<ReturnType<typeof recordRows>['executeTakeFirstOrThrow']>>;

function presentRecord(r: RecordRow, photos: { id: string; name: string }[]) {
  return {
    id: r.id, pairingId: r.pairing_id, type: r.type, typeLabel: RECORD_TYPES[r.type], serviceKind: r.service_kind,
    serviceKindLabel: r.service_kind ? (SERVICE_KINDS[r.service_kind as keyof typeof SERVICE_KINDS] ?? r.service_kind) : null,
    heldOn: r.held_on, year: n(r.year), place: r.place, peopleReached: r.people_reached === null ? null : n(r.people_reached), visited: r.visited,
    summary: r.summary, photoCount: n(r.photo_count), photos, villageName: r.village_name, cadrePersonId: r.cadre_person_id, cadreName: r.cadre_name,
    countyName: r.county_name, createdAt: r.created_at,
  };
}

async function photosOf(ctx: Ctx, ids: string[]) {
  const by = new Map<string, { id: string; name: string }[]>();
  if (!ids.length) return by;
  const rows = await ctx.db
    .selectFrom('attachment').select(['id', 'original_name', 'owner_id']).where('owner_type', '=', 'village_record').where('owner_id', 'in', ids).orderBy('created_at').execute();
  for (const r of rows) by.set(r.owner_id!, [...(by.get(r.owner_id!) ?? []), { id: r.id, name: r.original_name }]);
  return by;
}

/** Services and visits in scope, latest first (village_record_order; pairing, type, unit filters have their own). */
export async function listRecords(ctx: Ctx, actor: Actor, f: RecordQuery) {
  let from = applyScope(ctx.db.selectFrom('village_record'), actor, RECORD_SCOPE);
  if (f.pairingId) from = from.where('village_record.pairing_id', '=', f.pairingId);
  if (f.type) from = from.where('village_record.type', '=', f.type);
  if (f.year) from = from.where('village_record.held_on', '>=', `${f.year}-01-01`).where('village_record.held_on', '<=', `${f.year}-12-31`);
  const page = await listPage(ctx.db, {
    name: 'village-records',
    from,
    id: 'village_record.id',
    order: [['village_record.held_on', 'desc'], ['village_record.id', 'desc']],
    rows: (ids) => recordRows(ctx).where('village_record.id', 'in', ids),
    count: [f.pairingId, f.type, f.year].filter(Boolean).length > 1 ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const photos = await photosOf(ctx, page.items.map((r) => r.id));
  return { ...page, items: page.items.map((r) => presentRecord(r, photos.get(r.id) ?? [])) };
}

export async function getRecord(ctx: Ctx, actor: Actor, id: string) {
  const row = await applyScope(recordRows(ctx), actor, RECORD_SCOPE).where('village_record.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('记录不存在');
  return presentRecord(row, (await photosOf(ctx, [id])).get(id) ?? []);
}

/** Whether a record or deliverable's owning pairing is one the caller may read (their files follow). */
export async function pairingReadable(ctx: Ctx, pairingId: string): Promise<boolean> {
  const actor = ctx.actor;
  if (!actor || !(actor.permissions.has('village:read') || actor.permissions.has('village:field'))) return false;
  const q = ctx.db.selectFrom('village_pairing').select('village_pairing.id').where('village_pairing.id', '=', pairingId);
  return Boolean(await applyScope(q, actor, PAIRING_SCOPE).executeTakeFirst());
}

/** Pairings counted on a year's board: their term covers the year, and they were not ended before it. */
function boardPairings(ctx: Ctx, actor: Actor | null, year: number) {
  let q = ctx.db
    .selectFrom('village_pairing')
    .where('village_pairing.start_year', '<=', year)
    .where('village_pairing.end_year', '>=', year)
    .where((eb) => eb.or([eb('village_pairing.status', '=', 'active'), eb('village_pairing.ended_on', '>=', `${year}-01-01`)]));
  if (actor) q = q.where((eb) => scopeCondition(eb, actor, PAIRING_SCOPE) ?? eb.lit(true));
  return q;
}

/**
 * 达标看板: for a year (this year by default), every pairing in scope with its services and visits so
 * far, its deliverables done, the projected year-end counts and its state (compliance.ts), rolled up
 * per county (the village's county).
 */
export async function board(ctx: Ctx, actor: Actor | null, f: BoardQuery) {
  const { year: thisYear, today } = shanghaiToday(ctx.now());
  const year = f.year ?? thisYear;
  if (year > thisYear) throw badRequest('年度：不能晚于今年', 'year');
  const fraction = elapsedFraction(year, today);
  let pq = boardPairings(ctx, actor, year);
  if (f.countyUnitId) pq = pq.where('village_pairing.county_unit_id', '=', f.countyUnitId);
  const pairings = await pq
    .innerJoin('village', 'village.id', 'village_pairing.village_id')
    .innerJoin('person', 'person.id', 'village_pairing.cadre_person_id')
    .innerJoin('org_unit as unit', 'unit.id', 'village_pairing.org_unit_id')
    .innerJoin('org_unit as county', 'county.id', 'village_pairing.county_unit_id')
    .select([
      'village_pairing.id', 'village_pairing.cadre_person_id', 'village_pairing.county_unit_id', 'village_pairing.status', 'village.name as village_name',
      'person.name as cadre_name', 'unit.name as unit_name', 'county.name as county_name', 'county.sort as county_sort',
    ])
    .orderBy('county.sort').orderBy('person.name').orderBy('village_pairing.id')
    .execute();
  const ids = pairings.map((p) => p.id);
  const counts = new Map<string, { service: number; visit: number }>();
  const done = new Map<string, number>();
  // In chunks: a city-wide board names every pairing.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await ctx.db
      .selectFrom('village_record').select(['pairing_id', 'type', sql<number>`count(*)`.as('n')])
      .where('year', '=', year).where('pairing_id', 'in', chunk).groupBy(['pairing_id', 'type']).execute();
    for (const r of rows) {
      const c = counts.get(r.pairing_id) ?? { service: 0, visit: 0 };
      c[r.type] = n(r.n);
      counts.set(r.pairing_id, c);
    }
    const d = await ctx.db
      .selectFrom('village_deliverable').select(['pairing_id', sql<number>`count(*)`.as('n')])
      .where('pairing_id', 'in', chunk).where('status', '=', 'done').groupBy('pairing_id').execute();
    for (const r of d) done.set(r.pairing_id, n(r.n));
  }
  const cadres = pairings.map((p) => {
    const c = counts.get(p.id) ?? { service: 0, visit: 0 };
    const j = judge(c.service, c.visit, fraction);
    return {
      pairingId: p.id, cadrePersonId: p.cadre_person_id, cadreName: p.cadre_name, unitName: p.unit_name, villageName: p.village_name,
      countyUnitId: p.county_unit_id, countyName: p.county_name, status: p.status, services: c.service, visits: c.visit,
      deliverablesDone: done.get(p.id) ?? 0, ...j, stateLabel: COMPLIANCE_STATES[j.state],
    };
  });
  const counties = new Map<string, { countyUnitId: string; countyName: string; pairings: number; services: number; visits: number; deliverablesDone: number } & Record<ComplianceState, number>>();
  for (const c of cadres) {
    const k = counties.get(c.countyUnitId) ?? { countyUnitId: c.countyUnitId, countyName: c.countyName, pairings: 0, services: 0, visits: 0, deliverablesDone: 0, met: 0, at_risk: 0, behind: 0 };
    k.pairings++;
    k.services += c.services;
    k.visits += c.visits;
    k.deliverablesDone += c.deliverablesDone;
    k[c.state]++;
    counties.set(c.countyUnitId, k);
  }
  const totals = { pairings: cadres.length, met: 0, at_risk: 0, behind: 0 };
  for (const c of cadres) totals[c.state]++;
  return {
    year, today, elapsed: fraction, yearEnded: fraction >= 1, rule: { services: YEARLY_SERVICES, visits: YEARLY_VISITS },
    totals, counties: [...counties.values()], cadres,
  };
}

/**
 * village1155.pairings: active pairings in scope whose five-year term covers this (Shanghai) year.
 * village1155.compliant: of those, the ones whose cadre already has ≥5 services and ≥5 visits dated
 * this year (the board's "met"; a pairing on pace but not there yet does not count).
 */
export async function villageFigures(ctx: Ctx) {
  const { year } = shanghaiToday(ctx.now());
  const active = await boardPairings(ctx, ctx.actor, year).where('village_pairing.status', '=', 'active').select('village_pairing.id').execute();
  const ids = active.map((p) => p.id);
  let compliant = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('village_record').select(['pairing_id', 'type', sql<number>`count(*)`.as('n')])
      .where('year', '=', year).where('pairing_id', 'in', ids.slice(i, i + 500)).groupBy(['pairing_id', 'type']).execute();
    const by = new Map<string, { service: number; visit: number }>();
    for (const r of rows) {
      const c = by.get(r.pairing_id) ?? { service: 0, visit: 0 };
      c[r.type] = n(r.n);
      by.set(r.pairing_id, c);
    }
    for (const c of by.values()) if (c.service >= YEARLY_SERVICES && c.visit >= YEARLY_VISITS) compliant++;
  }
  return { pairings: ids.length, compliant };
}
