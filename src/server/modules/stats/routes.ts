import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http.js';
import { collectStats, statLabels } from '../../platform/stats.js';
import '../figures.js';

export function statsRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/stats', summary: '教育整顿主要数据（与 rectify stats --json 相同）', tags: ['统计'],
    permission: 'stats:read',
    handler: ({ ctx }) => collectStats(ctx),
  });
  route(app, {
    // Names only, no figures: every page that shows a figure names it from here (any signed-in user).
    method: 'GET', url: '/api/stats/labels', summary: '各项统计指标的中文名称（按键名）', tags: ['统计'],
    handler: () => statLabels(),
  });
}
