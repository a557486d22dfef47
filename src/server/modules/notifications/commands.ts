import type { Actor, Ctx } from '../../platform/context.js';
import { runCommand } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';

export async function markRead(ctx: Ctx, actor: Actor, id: string) {
  // Someone else's notification answers exactly like a missing one.
  const row = await ctx.db
    .selectFrom('notification').select(['id', 'read_at']).where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
  if (!row) throw notFound('通知不存在');
  // Already read: nothing changes, so nothing to audit.
  if (row.read_at) return { id, readAt: row.read_at };
  return runCommand(ctx, { action: 'read', entityType: 'notification' }, async (trx) => {
    const readAt = ctx.now().toISOString();
    await trx
      .updateTable('notification').set({ read_at: readAt })
      .where('id', '=', id).where('user_id', '=', actor.userId).where('read_at', 'is', null).execute();
    return { result: { id, readAt }, entityId: id, before: { readAt: null }, after: { readAt } };
  });
}

export async function markAllRead(ctx: Ctx, actor: Actor) {
  const unread = await ctx.db
    .selectFrom('notification').select('id').where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirst();
  if (!unread) return { updated: 0 };
  return runCommand(ctx, { action: 'read_all', entityType: 'notification' }, async (trx) => {
    const at = ctx.now().toISOString();
    const res = await trx
      .updateTable('notification').set({ read_at: at }).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirst();
    const updated = Number(res.numUpdatedRows);
    return { result: { updated }, entityId: null, after: { userId: actor.userId, updated } };
  });
}
