import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import type { NotificationList, NotificationQuery } from '../../../shared/schemas/notifications.js';

/** Only the caller's own notifications: there is no scope under which one reads another's. */
export async function listNotifications(ctx: Ctx, actor: Actor, f: NotificationQuery): Promise<NotificationList> {
  const mine = ctx.db.selectFrom('notification').where('user_id', '=', actor.userId);
  const filtered = f.unread === '1' ? mine.where('read_at', 'is', null) : mine;
  const [{ n: total }, { n: unread }] = await Promise.all([
    filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    mine.where('read_at', 'is', null).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const rows = await filtered
    .select(['id', 'title', 'body', 'link', 'created_at', 'read_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({ id: r.id, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, readAt: r.read_at })),
    total: Number(total),
    unread: Number(unread),
  };
}
