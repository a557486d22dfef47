import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import {
  SymposiumInput, SymposiumOpinionsInput, SymposiumPatch, SymposiumQuery,
} from '../../../shared/schemas/symposiums.js';
import * as cmd from './commands.js';
import { getSymposium, listSymposiums } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function symposiumRoutes(app: FastifyInstance) {
  const tags = ['座谈会'];
  route(app, {
    method: 'GET', url: '/api/symposiums', summary: '座谈会列表（按组织单位的数据范围过滤）', tags,
    permission: 'symposiums:read', query: SymposiumQuery,
    handler: ({ ctx, actor, query }) => listSymposiums(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/symposiums/:id', summary: '座谈会详情（参会人员、会上意见）', tags,
    permission: 'symposiums:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getSymposium(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/symposiums', summary: '登记座谈会：参会人员与会上意见（每条意见以“座谈会”渠道受理）', tags,
    permission: 'symposiums:write', body: SymposiumInput, bodyLimit: 2 * 1024 * 1024,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createSymposium(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/symposiums/:id', summary: '修改座谈会（给出参会人员时整体替换）', tags,
    permission: 'symposiums:write', params: IdParams, body: SymposiumPatch, bodyLimit: 2 * 1024 * 1024,
    handler: ({ ctx, params, body }) => cmd.updateSymposium(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/symposiums/:id/opinions', summary: '补录座谈会上提出的意见', tags,
    permission: 'symposiums:write', params: IdParams, body: SymposiumOpinionsInput, bodyLimit: 2 * 1024 * 1024,
    handler: async ({ ctx, params, body, reply }) =>
      reply.status(201).send(await cmd.addSymposiumOpinions(ctx, params.id, body.opinions)),
  });
}
