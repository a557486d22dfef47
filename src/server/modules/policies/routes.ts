import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { registerFilePolicy } from '../files/policy.js';
import { PolicyAckInput, PolicyCoverageQuery, PolicyInput, PolicyQuery, PolicyVersionInput } from '../../../shared/schemas/policies.js';
import * as cmd from './commands.js';
import { ackCoverage, getPolicy, listNotAcknowledged, listPolicies, versionReadable } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

/** 制度文件 (registered by interference/routes.ts: the two make up 建章立制). */
export function policyRoutes(app: FastifyInstance) {
  const tags = ['制度文件'];
  registerFilePolicy('policy_version', (ctx, ownerId) => versionReadable(ctx, ownerId));
  route(app, {
    method: 'GET', url: '/api/policies', summary: '制度文件列表（现行版本、本人是否须阅知、是否已确认）', tags,
    permission: 'policies:read', query: PolicyQuery,
    handler: ({ ctx, actor, query }) => listPolicies(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/policies/:id', summary: '一项制度：历次版本（正文、附件、修订说明）、阅知范围、本人确认情况', tags,
    permission: 'policies:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getPolicy(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/policies', summary: '发布制度文件（首个版本）', tags, permission: 'policies:write', body: PolicyInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createPolicy(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/policies/:id/versions', summary: '修订：发布新版本，原现行版本改为已被替代', tags,
    permission: 'policies:write', params: IdParams, body: PolicyVersionInput,
    handler: async ({ ctx, params, body, reply }) => reply.status(201).send(await cmd.publishVersion(ctx, params.id, body)),
  });
  route(app, {
    method: 'POST', url: '/api/policies/:id/acknowledge', summary: '确认已阅现行版本（输入本人姓名；每个版本确认一次；已被替代的版本不能确认）', tags,
    permission: 'policies:read', params: IdParams, body: PolicyAckInput,
    handler: ({ ctx, params, body }) => cmd.acknowledge(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/policies/:id/coverage', summary: '一个版本的阅知情况：数据范围内须阅知的在职干警中已确认、未确认人数（按单位）', tags,
    permission: 'policies:write', params: IdParams, query: PolicyCoverageQuery,
    handler: ({ ctx, actor, params, query }) => ackCoverage(ctx, actor, params.id, query),
  });
  route(app, {
    method: 'GET', url: '/api/policies/:id/missing', summary: '尚未确认阅知的干警名单', tags,
    permission: 'policies:write', params: IdParams, query: PolicyCoverageQuery,
    handler: ({ ctx, actor, params, query }) => listNotAcknowledged(ctx, actor, params.id, query),
  });
}
