import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { TopicInput } from '../../../shared/schemas/exams.js';
import { bankRoutes } from './bank-routes.js';
import { createTopic, getTopic, listTopics, updateTopic } from './topics.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });
const READERS = ['study:read', 'exams:read', 'exams:write', 'study:take'] as const;

export function examRoutes(app: FastifyInstance) {
  const tags = ['学习教育'];
  route(app, {
    method: 'GET', url: '/api/study/topics', summary: '学习专题（按批次）', tags, permission: [...READERS],
    query: z.object({ campaignId: z.string().min(1).max(64).optional().describe('教育整顿批次') }),
    handler: ({ ctx, query }) => listTopics(ctx, query.campaignId),
  });
  route(app, {
    method: 'GET', url: '/api/study/topics/:id', summary: '一个学习专题', tags, permission: [...READERS], params: IdParams,
    handler: ({ ctx, params }) => getTopic(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/topics', summary: '新增学习专题（线上、线下成绩权重，合格分）', tags, permission: 'exams:write', body: TopicInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await createTopic(ctx, body)),
  });
  route(app, {
    method: 'PUT', url: '/api/study/topics/:id', summary: '修改学习专题', tags, permission: 'exams:write', params: IdParams, body: TopicInput,
    handler: ({ ctx, params, body }) => updateTopic(ctx, params.id, body),
  });
  bankRoutes(app);
}
