import type { Actor, Ctx } from '../../platform/context.js';
import { hasAllScope } from '../../platform/access.js';

/** The whole org tree as a flat list. Structure is not restricted; `inScope` marks what the actor may manage. */
export async function listOrgUnits(ctx: Ctx, actor: Actor) {
  const rows = await ctx.db
    .selectFrom('org_unit')
    .select(['id', 'parent_id', 'name', 'short_name', 'kind', 'code', 'path', 'depth', 'sort'])
    .orderBy('depth')
    .orderBy('sort')
    .orderBy('name')
    .execute();
  const all = hasAllScope(actor);
  const subtree = actor.roles.some((r) => r.dataScope === 'unit_and_below');
  const custom = new Set(actor.roles.flatMap((r) => r.customUnitIds));
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
    code: r.code,
    depth: r.depth,
    sort: r.sort,
    inScope: all || (subtree && r.path.startsWith(actor.orgUnitPath)) || r.id === actor.orgUnitId || custom.has(r.id),
  }));
}

export async function listPartyOrgs(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom('party_org')
    .select(['id', 'parent_id', 'name', 'kind', 'org_unit_id', 'sort'])
    .orderBy('path')
    .execute();
  return rows.map((r) => ({
    id: r.id, parentId: r.parent_id, name: r.name, kind: r.kind, orgUnitId: r.org_unit_id, sort: r.sort,
  }));
}
