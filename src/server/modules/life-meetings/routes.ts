import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { LifeMeetingInput, LifeMeetingQuery } from '../../../shared/schemas/talks.js';
import { createLifeMeeting } from './commands.js';
import { getLifeMeeting, listLifeMeetings } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function lifeMeetingRoutes(app: FastifyInstance) {
  const tags = ['民主生活会'];
  route(app, {
    method: 'GET', url: '/api/life-meetings', summary: '民主生活会（按批次，最近的在前）', tags, permission: 'lifemeetings:read', query: LifeMeetingQuery,
    handler: ({ ctx, actor, query }) => listLifeMeetings(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/life-meetings/:id', summary: '一次民主生活会：参会人员、查摆的问题及其整治事项', tags,
    permission: 'lifemeetings:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getLifeMeeting(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/life-meetings', summary: '记录民主生活会；查摆的每个问题同时纳入整治台账（整改措施、完成时限）', tags,
    permission: 'lifemeetings:write', body: LifeMeetingInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await createLifeMeeting(ctx, body)),
  });
}
