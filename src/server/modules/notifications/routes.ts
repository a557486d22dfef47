import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { NotificationQuery } from '../../../shared/schemas/notifications.js';
import { markAllRead, markRead } from './commands.js';
import { listNotifications } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// Any signed-in user, on their own notifications only: no permission beyond being signed in.
export function notificationRoutes(app: FastifyInstance) {
  const tags = ['通知'];
  route(app, {
    method: 'GET', url: '/api/notifications', summary: '我的通知（unread=1 仅未读）', tags, query: NotificationQuery,
    handler: ({ ctx, actor, query }) => listNotifications(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/notifications/read-all', summary: '全部标为已读', tags,
    handler: ({ ctx, actor }) => markAllRead(ctx, actor),
  });
  route(app, {
    method: 'POST', url: '/api/notifications/:id/read', summary: '标为已读', tags, params: IdParams,
    handler: ({ ctx, actor, params }) => markRead(ctx, actor, params.id),
  });
}
