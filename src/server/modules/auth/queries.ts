import type { Actor, Ctx } from '../../platform/context.js';

export async function getMe(ctx: Ctx, actor: Actor) {
  const unit = await ctx.db
    .selectFrom('org_unit')
    .select(['id', 'name', 'kind', 'path'])
    .where('id', '=', actor.orgUnitId)
    .executeTakeFirst();
  const roles = await ctx.db
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .select(['role.code', 'role.name', 'role.data_scope'])
    .where('user_role.user_id', '=', actor.userId)
    .execute();
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      personId: actor.personId,
    },
    orgUnit: unit ?? null,
    roles: roles.map((r) => ({ code: r.code, name: r.name, dataScope: r.data_scope })),
    permissions: [...actor.permissions].sort(),
  };
}
