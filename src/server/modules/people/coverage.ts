import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope, hasAllScope, PERSON_SCOPE } from '../../platform/access.js';
import { badRequest } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import type { DB } from '../../db/types.js';

// "Who has done it, who has not": the coverage figures every campaign duty needs (self-check reports,
// each round of talks…), counted over serving officers (在职) in the viewer's scope, per unit, with the
// names still missing in the people list's order. A module supplies only what "done" means for a
// person, as a condition on `person` (an EXISTS on its own table).

export type DoneCondition = (eb: ExpressionBuilder<DB, 'person'>) => Expression<SqlBool>;

/** The unit's path for a subtree filter (people's sort_key starts with it), or a 400 naming orgUnitId. */
export async function unitPathOf(ctx: Ctx, orgUnitId?: string): Promise<string | undefined> {
  if (!orgUnitId) return undefined;
  const u = await ctx.db.selectFrom('org_unit').select('path').where('id', '=', orgUnitId).executeTakeFirst();
  if (!u) throw badRequest('单位：不存在', 'orgUnitId');
  return u.path;
}

/** Serving officers in scope (actor null: everyone), optionally one unit's subtree: one index range of person_sort. */
export function servingPeople(ctx: Ctx, actor: Actor | null, unitPath?: string) {
  let q = ctx.db.selectFrom('person').where('person.status', '=', 'active');
  if (actor) q = applyScope(q, actor, PERSON_SCOPE);
  if (unitPath) q = q.where('person.sort_key', '>=', unitPath).where('person.sort_key', '<', `${unitPath}\uffff`);
  return q;
}

/** Per unit (in tree order) and in all: how many serving officers, how many have done it, how many not. */
export async function coverageByUnit(ctx: Ctx, actor: Actor | null, done: DoneCondition, orgUnitId?: string) {
  const rows = await servingPeople(ctx, actor, await unitPathOf(ctx, orgUnitId))
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select((eb) => [
      'person.org_unit_id as unitId', 'org_unit.name as unitName', 'org_unit.path as unitPath', sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when ${done(eb as unknown as ExpressionBuilder<DB, 'person'>)} then 1 else 0 end)`.as('done'),
    ])
    .groupBy(['person.org_unit_id', 'org_unit.name', 'org_unit.path'])
    .execute();
  const units = rows
    .map((r) => ({ unitId: r.unitId, unitName: r.unitName, unitPath: r.unitPath, total: Number(r.total), done: Number(r.done ?? 0) }))
    .map((r) => ({ ...r, missing: r.total - r.done }))
    .sort((a, b) => (a.unitPath < b.unitPath ? -1 : a.unitPath > b.unitPath ? 1 : 0));
  const total = units.reduce((a, u) => a + u.total, 0);
  const doneCount = units.reduce((a, u) => a + u.done, 0);
  return { total, done: doneCount, missing: total - doneCount, units };
}

/**
 * Units in the viewer's scope (actor null: all), optionally one unit's subtree: the same units whose
 * people servingPeople() reads, for totals kept per unit. Undefined when the scope is not a set of
 * units (a 'self' role sees its holder's own person).
 */
export function unitsOfServingPeople(ctx: Ctx, actor: Actor | null, unitPath?: string) {
  if (actor && !hasAllScope(actor) && actor.roles.some((r) => r.dataScope === 'self')) return undefined;
  let q = ctx.db.selectFrom('org_unit');
  // org_unit.path is what person.sort_key copies (trigger, 0004): the same ranges as on people.
  if (actor) q = applyScope(q, actor, { unit: 'org_unit.id', unitPath: 'org_unit.path' });
  if (unitPath) q = q.where('org_unit.path', '>=', unitPath).where('org_unit.path', '<', `${unitPath}\uffff`);
  return q;
}

/**
 * How many serving officers are in scope, from the per-unit counts kept by triggers (migration 0021,
 * serving_unit_total): a sum over the scope's units (~100 rows) where counting the people reads one
 * index entry each (83,500 at 100×). Undefined for a 'self' scope (not a set of units): count as usual.
 */
export function servingTotal(ctx: Ctx, actor: Actor | null, unitPath?: string): (() => Promise<number>) | undefined {
  const units = unitsOfServingPeople(ctx, actor, unitPath)?.select('org_unit.id');
  if (!units) return undefined;
  return async () =>
    Number(
      (await ctx.db.selectFrom('serving_unit_total as s').select(sql<number>`coalesce(sum(s.n), 0)`.as('n')).where('s.org_unit_id', 'in', units).executeTakeFirst())?.n ?? 0,
    );
}

/**
 * The serving officers in scope who have not done it, a page at a time (index person_sort). With
 * `keptTotal` (a module's per-unit kept counts; undefined when they cannot answer this scope) the
 * total is that instead of a count over the people: a count of "not done" is one lookup per person.
 */
export async function listNotDone(
  ctx: Ctx,
  actor: Actor,
  done: DoneCondition,
  f: { orgUnitId?: string; page: number; pageSize: number },
  name: string,
  keptTotal?: (unitPath: string | undefined) => (() => Promise<number>) | undefined,
) {
  const unitPath = await unitPathOf(ctx, f.orgUnitId);
  const kept = keptTotal?.(unitPath);
  const page = await listPage(ctx.db, {
    name,
    from: servingPeople(ctx, actor, unitPath).where((eb) => eb.not(done(eb))),
    id: 'person.id',
    order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('person')
        .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
        .select(['person.id', 'person.name', 'person.police_no', 'person.org_unit_id', 'org_unit.name as org_unit_name', 'person.sort_key'])
        .where('person.id', 'in', ids),
    count: 'capped',
    total: kept,
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((p) => ({ personId: p.id, name: p.name, policeNo: p.police_no, orgUnitId: p.org_unit_id, orgUnitName: p.org_unit_name })),
  };
}

/** Every such person's id (reminders go to all of them). */
export async function notDoneIds(ctx: Ctx, actor: Actor, done: DoneCondition, orgUnitId?: string): Promise<string[]> {
  const rows = await servingPeople(ctx, actor, await unitPathOf(ctx, orgUnitId))
    .where((eb) => eb.not(done(eb)))
    .select('person.id')
    .execute();
  return rows.map((r) => r.id);
}
