import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { registerFilePolicy } from '../files/policy.js';
import { ClueCloseInput, ClueDisposeInput, ClueInput, ClueQuery, ClueVerifyInput } from '../../../shared/schemas/clues.js';
import * as cmd from './commands.js';
import { clueCounts, clueReadable, getClue, listClues } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function clueRoutes(app: FastifyInstance) {
  const tags = ['问题线索（受限）'];
  // Evidence opens only for whoever may read the clue, and every such read is audited.
  registerFilePolicy('clue', (ctx, ownerId) => clueReadable(ctx, ownerId), { auditReads: true });
  route(app, {
    method: 'GET', url: '/api/clues', summary: '问题线索列表（线索管理员；不含线索内容；涉及本人的不显示；查阅记审计）', tags,
    permission: 'clues:read', query: ClueQuery,
    handler: ({ ctx, actor, query }) => listClues(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/clues/stats', summary: '问题线索数量（按办理阶段、来源；仅数量）', tags,
    permission: ['clues:stats', 'clues:read'],
    handler: ({ ctx, actor }) => clueCounts(ctx, actor),
  });
  route(app, {
    method: 'GET', url: '/api/clues/:id', summary: '一条线索（内容、涉及人员、自查从宽/被查从严、办理经过、证据；identity=1 查看举报人，须权限）', tags,
    permission: 'clues:read', params: IdParams, query: z.object({ identity: z.enum(['0', '1']).default('0').describe('查看举报人身份') }),
    handler: ({ ctx, actor, params, query }) => getClue(ctx, actor, params.id, query.identity === '1'),
  });
  route(app, {
    method: 'POST', url: '/api/clues', summary: '登记问题线索', tags, permission: 'clues:write', body: ClueInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.registerClue(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/clues/:id/dispose', summary: '处置：谈话函询、初步核实、暂存待查、予以了结', tags,
    permission: 'clues:write', params: IdParams, body: ClueDisposeInput,
    handler: ({ ctx, params, body }) => cmd.disposeClue(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/clues/:id/verify', summary: '登记核实结果：属实、部分属实、不属实、无法查实', tags,
    permission: 'clues:write', params: IdParams, body: ClueVerifyInput,
    handler: ({ ctx, params, body }) => cmd.verifyClue(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/clues/:id/close', summary: '办结：批评教育、诫勉、组织处理、纪律处分、移送纪检监察机关或不予处理', tags,
    permission: 'clues:write', params: IdParams, body: ClueCloseInput,
    handler: ({ ctx, params, body }) => cmd.closeClue(ctx, params.id, body),
  });
}
