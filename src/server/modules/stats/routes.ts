import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { collectStats, statLabels } from '../../platform/stats.js';
import '../figures.js';

// The answer's shape for the OpenAPI description: nested objects, each module owning its keys
// (CONTRACTS.md lists them); rates are fractions 0–1, null when there is nothing to measure.
const rate = z.number().min(0).max(1).nullable();
const Figures = z
  .looseObject({
    people: z.looseObject({ total: z.number().int() }),
    orgUnits: z.looseObject({ countyBureaus: z.number().int() }),
    opinions: z.looseObject({
      total: z.number().int(),
      byCategory: z.record(z.string(), z.number().int()).describe('类别名称 → 条数'),
      byChannel: z.record(z.string(), z.number().int()).describe('渠道名称 → 条数'),
      adoptedIntoLedger: z.number().int(),
      onTimeReplyRate: rate.describe('按期办结率'),
      satisfactionRate: rate.describe('满意率'),
    }),
  })
  .describe('教育整顿主要数据，按调用者的数据范围计算');

export function statsRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET', url: '/api/stats', summary: '教育整顿主要数据（与 rectify stats --json 相同）', tags: ['统计'],
    permission: 'stats:read',
    response: { 200: Figures },
    handler: ({ ctx }) => collectStats(ctx),
  });
  route(app, {
    // Names only, no figures: every page that shows a figure names it from here (any signed-in user).
    method: 'GET', url: '/api/stats/labels', summary: '各项统计指标的中文名称（按键名）', tags: ['统计'],
    response: { 200: z.record(z.string(), z.string()).describe('键名（如 opinions.onTimeReplyRate）→ 中文名称') },
    handler: () => statLabels(),
  });
}
