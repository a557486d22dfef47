import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { TalkCoverageQuery, TalkInput, TalkPatch, TalkQuery, TalkRoundInput } from '../../../shared/schemas/talks.js';
import * as cmd from './commands.js';
import { coverage, getTalk, listNotTalked, listRounds, listTalks } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function talkRoutes(app: FastifyInstance) {
  const tags = ['谈心谈话'];
  route(app, {
    method: 'GET', url: '/api/talks/rounds', summary: '谈心谈话轮次（按批次）', tags, permission: 'talks:read',
    query: z.object({ campaignId: z.string().min(1).max(64).optional().describe('教育整顿批次') }),
    handler: ({ ctx, query }) => listRounds(ctx, query.campaignId),
  });
  route(app, {
    method: 'POST', url: '/api/talks/rounds', summary: '新增谈话轮次', tags, permission: 'campaign:write', body: TalkRoundInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createRound(ctx, body)),
  });
  route(app, {
    method: 'GET', url: '/api/talks/coverage', summary: '一轮谈话的覆盖情况：数据范围内在职干警中已谈、未谈人数（按单位）', tags,
    permission: 'talks:read', query: TalkCoverageQuery,
    handler: ({ ctx, actor, query }) => coverage(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/talks/missing', summary: '本轮尚未谈话的干警名单', tags, permission: 'talks:read', query: TalkCoverageQuery,
    handler: ({ ctx, actor, query }) => listNotTalked(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/talks', summary: '谈话记录（默认最近一轮，按谈话日期倒序）', tags, permission: 'talks:read', query: TalkQuery,
    handler: ({ ctx, actor, query }) => listTalks(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/talks/:id', summary: '一次谈话', tags, permission: 'talks:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getTalk(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/talks', summary: '记录一次谈心谈话（谈话人、谈话对象、必谈情形、谈话内容、情况、跟进）', tags,
    permission: 'talks:write', body: TalkInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createTalk(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/talks/:id', summary: '更正谈话记录（轮次、日期、谈话人、谈话对象、必谈情形、内容、情况、跟进）', tags, permission: 'talks:write', params: IdParams,
    body: TalkPatch,
    handler: ({ ctx, params, body }) => cmd.updateTalk(ctx, params.id, body),
  });
}
