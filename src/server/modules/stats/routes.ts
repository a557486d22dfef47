import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http.js';
import { collectStats } from '../../platform/stats.js';
import '../figures.js';

export function statsRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/stats', summary: '教育整顿主要数据（与 rectify stats --json 相同）', tags: ['统计'],
    permission: 'stats:read',
    handler: ({ ctx }) => collectStats(ctx),
  });
}
