import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';
import type { Actor } from './context.js';
import { badRequest, forbidden } from './errors.js';

// Data scope, enforced in SQL. A user's roles each bring a scope; the user sees the union.

export interface ScopeColumns {
  /** Column holding the record's org unit id, e.g. 'person.org_unit_id'. */
  unit: string;
  /** Column holding the record's person id, for the 'self' scope. */
  person?: string;
  /** Column holding the owning user id, for the 'self' scope on records without a person. */
  user?: string;
  /**
   * Column holding a copy of the record's unit path, kept by a trigger (person.sort_key): 'unit' and
   * 'unit_and_below' become a range on its index, read in the list's order, instead of a subquery.
   */
  unitPath?: string;
}

/** Upper bound of the paths below `path` ('/a/b/' → '/a/b0'): '0' follows '/' in byte order. */
export function subtreeEnd(path: string): string {
  return `${path.slice(0, -1)}0`;
}

export function hasAllScope(actor: Actor): boolean {
  return actor.roles.some((r) => r.dataScope === 'all');
}

/**
 * The WHERE condition limiting rows to the actor's scope; undefined when the actor sees all.
 * Use as: query.where((eb) => scopeCondition(eb, actor, cols) ?? eb.lit(true))  — or via applyScope.
 */
export function scopeCondition(
  eb: ExpressionBuilder<any, any>,
  actor: Actor,
  cols: ScopeColumns,
): Expression<SqlBool> | undefined {
  if (hasAllScope(actor)) return undefined;
  const ors: Expression<SqlBool>[] = [];
  for (const role of actor.roles) {
    switch (role.dataScope) {
      case 'unit_and_below':
        if (cols.unitPath) {
          ors.push(eb.and([eb(eb.ref(cols.unitPath), '>=', actor.orgUnitPath), eb(eb.ref(cols.unitPath), '<', subtreeEnd(actor.orgUnitPath))]));
          break;
        }
        ors.push(
          eb(
            eb.ref(cols.unit),
            'in',
            eb.selectFrom('org_unit as scope_ou').select('scope_ou.id').where('scope_ou.path', 'like', `${actor.orgUnitPath}%`),
          ),
        );
        break;
      case 'unit':
        ors.push(cols.unitPath ? eb(eb.ref(cols.unitPath), '=', actor.orgUnitPath) : eb(eb.ref(cols.unit), '=', actor.orgUnitId));
        break;
      case 'custom':
        if (role.customUnitIds.length) ors.push(eb(eb.ref(cols.unit), 'in', role.customUnitIds));
        break;
      case 'self':
        if (cols.person && actor.personId) ors.push(eb(eb.ref(cols.person), '=', actor.personId));
        if (cols.user) ors.push(eb(eb.ref(cols.user), '=', actor.userId));
        break;
      default:
        break;
    }
  }
  // No role grants anything: match nothing rather than everything.
  return ors.length ? eb.or(ors) : eb.lit(false);
}

/** Adds the scope condition to any select/update/delete builder with a `where` method. */
export function applyScope<Q extends { where: (...args: any[]) => any }>(q: Q, actor: Actor, cols: ScopeColumns): Q {
  // No condition at all for the 'all' scope: even a `where true` costs SQLite its fast count(*).
  if (hasAllScope(actor)) return q;
  return q.where((eb: ExpressionBuilder<any, any>) => scopeCondition(eb, actor, cols)!);
}

/**
 * Whether the actor may write records of this org unit. Writes never reach above the actor's own
 * unit: 'self' and 'unit' scopes write only their own unit; 'unit_and_below' its subtree.
 */
export async function unitWritable(db: Kysely<DB>, actor: Actor, unitId: string): Promise<boolean> {
  if (hasAllScope(actor)) return true;
  const unit = await db.selectFrom('org_unit').select(['id', 'path']).where('id', '=', unitId).executeTakeFirst();
  if (!unit) return false;
  return actor.roles.some((r) => {
    if (r.dataScope === 'unit_and_below') return unit.path.startsWith(actor.orgUnitPath);
    if (r.dataScope === 'unit') return unit.id === actor.orgUnitId;
    if (r.dataScope === 'custom') return r.customUnitIds.includes(unit.id);
    return false;
  });
}

export async function assertUnitWritable(db: Kysely<DB>, actor: Actor, unitId: string, what = '该单位') {
  if (!(await unitWritable(db, actor, unitId))) throw forbidden(`无权操作${what}（超出本人数据范围）`);
}

export const PERSON_SCOPE: ScopeColumns = { unit: 'person.org_unit_id', person: 'person.id', unitPath: 'person.sort_key' };

/**
 * Every person a command refers to (an attendee, a person concerned, a talk partner…) must be one
 * the caller may see: a reference outside their scope is refused as if the person did not exist,
 * so a command can neither reveal nor pull in someone beyond it. Answers the people found, with
 * their unit's name, keyed by id. `field(i)` names the offending entry for the 400.
 */
export async function peopleInScope(
  db: Kysely<DB>,
  actor: Actor,
  ids: readonly string[],
  message: (i: number) => { text: string; field: string },
): Promise<Map<string, { id: string; name: string; org_unit_id: string; unit_name: string }>> {
  const wanted = [...new Set(ids)];
  const found = wanted.length
    ? await applyScope(
        db
          .selectFrom('person')
          .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
          .select(['person.id', 'person.name', 'person.org_unit_id', 'org_unit.name as unit_name']),
        actor,
        PERSON_SCOPE,
      )
        .where('person.id', 'in', wanted)
        .execute()
    : [];
  const byId = new Map(found.map((p) => [p.id, p]));
  ids.forEach((id, i) => {
    if (!byId.has(id)) {
      const m = message(i);
      throw badRequest(m.text, m.field);
    }
  });
  return byId;
}

/** Every unit a command refers to must be one the caller may see (read scope); 400 naming the field otherwise. */
export async function assertUnitsInScope(db: Kysely<DB>, actor: Actor, ids: readonly string[], field: string, label: string) {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return;
  let q = db.selectFrom('org_unit').select('org_unit.id').where('org_unit.id', 'in', wanted);
  if (!hasAllScope(actor)) q = q.where((eb) => scopeCondition(eb, actor, { unit: 'org_unit.id' })!);
  const found = new Set((await q.execute()).map((r) => r.id));
  const missing = wanted.find((id) => !found.has(id));
  if (missing) throw badRequest(`${label}：不存在或不在您的数据范围内`, field);
}
