import type { Actor, Ctx } from '../../platform/context.js';
import { hasAllScope, scopeCondition } from '../../platform/access.js';

/** Ids on a materialised path '/a/b/c/' → ['a','b','c']. */
function pathIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/**
 * The org tree as a flat list, within the actor's data scope like every list: the units they may
 * see, plus the chain of their ancestors up to the root so the tree can be drawn (those carry
 * `inScope: false`). Sibling counties and their 司法所 are not listed to a county's roles.
 */
export async function listOrgUnits(ctx: Ctx, actor: Actor) {
  const cols = ['id', 'parent_id', 'name', 'short_name', 'kind', 'code', 'path', 'depth', 'sort'] as const;
  const all = hasAllScope(actor);
  let q = ctx.db.selectFrom('org_unit').select(cols);
  // One's own unit is always known to oneself, whatever the scope.
  if (!all) q = q.where((eb) => eb.or([scopeCondition(eb, actor, { unit: 'org_unit.id' })!, eb('org_unit.id', '=', actor.orgUnitId)]));
  const visible = await q.execute();
  const seen = new Set(visible.map((r) => r.id));
  const ancestorIds = [...new Set(visible.flatMap((r) => pathIds(r.path)))].filter((id) => !seen.has(id));
  const ancestors = ancestorIds.length ? await ctx.db.selectFrom('org_unit').select(cols).where('id', 'in', ancestorIds).execute() : [];
  const rows = [...visible.map((r) => ({ ...r, inScope: true })), ...ancestors.map((r) => ({ ...r, inScope: false }))];
  rows.sort((a, b) => a.depth - b.depth || a.sort - b.sort || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
    code: r.code,
    depth: r.depth,
    sort: r.sort,
    inScope: r.inScope,
  }));
}

/**
 * Party organisations within the actor's scope: those attached to a unit they may see, plus their
 * ancestors (e.g. the bureau's 党委) so the tree can be drawn. Whole-bureau roles see them all.
 */
export async function listPartyOrgs(ctx: Ctx, actor: Actor) {
  const cols = ['id', 'parent_id', 'name', 'kind', 'org_unit_id', 'sort', 'path'] as const;
  const all = hasAllScope(actor);
  let q = ctx.db.selectFrom('party_org').select(cols);
  if (!all) q = q.where((eb) => eb.and([eb('party_org.org_unit_id', 'is not', null), scopeCondition(eb, actor, { unit: 'party_org.org_unit_id' })!]));
  const visible = await q.execute();
  const seen = new Set(visible.map((r) => r.id));
  const ancestorIds = [...new Set(visible.flatMap((r) => pathIds(r.path)))].filter((id) => !seen.has(id));
  const ancestors = ancestorIds.length ? await ctx.db.selectFrom('party_org').select(cols).where('id', 'in', ancestorIds).execute() : [];
  const rows = [...visible.map((r) => ({ ...r, inScope: true })), ...ancestors.map((r) => ({ ...r, inScope: false }))];
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return rows.map((r) => ({
    id: r.id, parentId: r.parent_id, name: r.name, kind: r.kind, orgUnitId: r.org_unit_id, sort: r.sort, inScope: r.inScope,
  }));
}
