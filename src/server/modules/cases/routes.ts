import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import {
  AcceptanceInput, ExtensionInput, MediationCloseInput, MediationInput, MediationQuery, ReconsiderationDecisionInput, ReconsiderationInput,
  ReconsiderationQuery, WithdrawInput,
} from '../../../shared/schemas/cases.js';
import * as cmd from './commands.js';
import { getMediation, getReconsideration, listMediations, listReconsiderations, overdueCounts } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// 案件受理: 行政复议申请 and 企业矛盾纠纷调解 (registered from commitmentRoutes).
export function caseRoutes(app: FastifyInstance) {
  const tags = ['案件受理'];
  const read = 'cases:read' as const;
  const write = 'cases:write' as const;
  route(app, {
    method: 'GET', url: '/api/cases/overdue', summary: '逾期案件数（行政复议、企业矛盾纠纷调解）', tags, permission: read,
    handler: ({ ctx, actor }) => overdueCounts(ctx, actor),
  });
  route(app, {
    method: 'GET', url: '/api/cases/reconsiderations', summary: '行政复议申请（收到日期倒序；overdue=1 仅逾期，逾期久的在前）', tags,
    permission: read, query: ReconsiderationQuery, handler: ({ ctx, actor, query }) => listReconsiderations(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/cases/reconsiderations/:id', summary: '一件行政复议申请', tags, permission: read, params: IdParams,
    handler: ({ ctx, actor, params }) => getReconsideration(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/cases/reconsiderations', summary: '登记行政复议申请（受理审查期限 5 个工作日）', tags, permission: write,
    body: ReconsiderationInput, handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createReconsideration(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/cases/reconsiderations/:id/acceptance', summary: '受理或不予受理（受理后 60 日内作出决定）', tags,
    permission: write, params: IdParams, body: AcceptanceInput, handler: ({ ctx, params, body }) => cmd.decideAcceptance(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/cases/reconsiderations/:id/extension', summary: '延长审理期限（一次，最多 30 日，须写明理由）', tags,
    permission: write, params: IdParams, body: ExtensionInput, handler: ({ ctx, params, body }) => cmd.extendReconsideration(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/cases/reconsiderations/:id/decision', summary: '登记复议决定', tags, permission: write, params: IdParams,
    body: ReconsiderationDecisionInput, handler: ({ ctx, params, body }) => cmd.decideReconsideration(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/cases/reconsiderations/:id/withdrawal', summary: '申请人撤回', tags, permission: write, params: IdParams,
    body: WithdrawInput, handler: ({ ctx, params, body }) => cmd.withdrawReconsideration(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/cases/mediations', summary: '企业矛盾纠纷调解案件（受理日期倒序；overdue=1 仅逾期）', tags, permission: read,
    query: MediationQuery, handler: ({ ctx, actor, query }) => listMediations(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/cases/mediations/:id', summary: '一件调解案件', tags, permission: read, params: IdParams,
    handler: ({ ctx, actor, params }) => getMediation(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/cases/mediations', summary: '登记企业矛盾纠纷调解案件（调解期限默认 30 日）', tags, permission: write,
    body: MediationInput, handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createMediation(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/cases/mediations/:id/close', summary: '调解结案（调解成功、调解不成、转诉讼仲裁）', tags, permission: write,
    params: IdParams, body: MediationCloseInput, handler: ({ ctx, params, body }) => cmd.closeMediation(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/cases/mediations/:id/withdrawal', summary: '当事人撤回', tags, permission: write, params: IdParams,
    body: WithdrawInput, handler: ({ ctx, params, body }) => cmd.withdrawMediation(ctx, params.id, body),
  });
}
