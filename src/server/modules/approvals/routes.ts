import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { ApprovalsQuery, ApproveInput, RejectInput } from '../../../shared/schemas/approvals.js';
import * as cmd from './commands.js';
import { getApproval, listApprovals } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function approvalRoutes(app: FastifyInstance) {
  const tags = ['特权变更审批'];

  route(app, {
    method: 'GET', url: '/api/approvals', summary: '特权变更申请列表（审批人见全部，申请人见本人提交的）', tags,
    permission: 'approvals:read', query: ApprovalsQuery,
    handler: ({ ctx, actor, query }) => listApprovals(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/approvals/:id', summary: '特权变更申请详情', tags, permission: 'approvals:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getApproval(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/approvals/:id/approve',
    summary: '批准并执行（审批人须属另一职责，且不是申请人或目标账号；不返回一次性密码）', tags,
    permission: 'approvals:decide', params: IdParams, body: ApproveInput,
    handler: ({ ctx, params, body }) => cmd.approve(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/approvals/:id/reject', summary: '驳回（须填写理由）', tags, permission: 'approvals:decide',
    params: IdParams, body: RejectInput,
    handler: ({ ctx, params, body }) => cmd.reject(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/approvals/:id/cancel', summary: '申请人撤回待审批的申请', tags, permission: 'approvals:read',
    params: IdParams,
    handler: ({ ctx, params }) => cmd.cancel(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/approvals/:id/collect', summary: '申请人领取批准后生成的一次性密码（仅一次）', tags,
    permission: 'approvals:read', params: IdParams,
    handler: async ({ ctx, params, reply }) => {
      const out = await cmd.collectSecret(ctx, params.id);
      // A password must not linger in any cache between here and the browser.
      return reply.header('cache-control', 'no-store').send(out);
    },
  });
}
