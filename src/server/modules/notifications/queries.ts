import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { listPage } from '../../platform/list.js';
import type { NotificationList, NotificationQuery } from '../../../shared/schemas/notifications.js';

/** Only the caller's own notifications: there is no scope under which one reads another's. */
export async function listNotifications(ctx: Ctx, actor: Actor, f: NotificationQuery): Promise<NotificationList> {
  // Index notification_user_order; unread ones: the partial index notification_unread.
  const mine = ctx.db.selectFrom('notification').where('notification.user_id', '=', actor.userId);
  const unreadOnly = mine.where('notification.read_at', 'is', null);
  const page = await listPage(ctx.db, {
    name: 'notifications',
    from: f.unread === '1' ? unreadOnly : mine,
    id: 'notification.id',
    order: [['notification.created_at', 'desc'], ['notification.id', 'desc']],
    rows: (ids) => ctx.db.selectFrom('notification').select(['id', 'title', 'body', 'link', 'created_at', 'read_at']).where('id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const { n: unread } = await unreadOnly.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return {
    ...page,
    items: page.items.map((r) => ({ id: r.id, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, readAt: r.read_at })),
    unread: Number(unread),
  };
}
