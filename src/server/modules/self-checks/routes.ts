import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import {
  SelfCheckCampaignQuery, SelfCheckDraftInput, SelfCheckListQuery, SelfCheckMissingQuery, SelfCheckRemindInput, SelfCheckReviewInput,
  SelfCheckSignInput,
} from '../../../shared/schemas/self-checks.js';
import * as cmd from './commands.js';
import { coverage, getReport, listMissing, listReports, myReport, selfCheckCampaign } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function selfCheckRoutes(app: FastifyInstance) {
  const tags = ['自查事项报告'];
  route(app, {
    method: 'GET', url: '/api/self-checks/mine', summary: '本人的自查事项报告表：自查事项、当前版本、历次版本', tags,
    permission: 'selfcheck:fill', query: SelfCheckCampaignQuery,
    handler: ({ ctx, query }) => myReport(ctx, query.campaignId),
  });
  route(app, {
    method: 'PUT', url: '/api/self-checks/mine', summary: '保存本人的自查报告草稿（已签字的不改，更正另起新版本）；答复内容摘要供签字核对', tags,
    permission: 'selfcheck:fill', body: SelfCheckDraftInput,
    handler: ({ ctx, body }) => cmd.saveDraft(ctx, body),
  });
  route(app, {
    method: 'POST', url: '/api/self-checks/mine/sign', summary: '签字承诺：输入本人姓名，核对内容摘要（SM3）后提交；提交后不可更改', tags,
    permission: 'selfcheck:fill', body: SelfCheckSignInput,
    handler: ({ ctx, body }) => cmd.signReport(ctx, body),
  });
  route(app, {
    method: 'GET', url: '/api/self-checks/coverage', summary: '自查报告提交情况：按单位统计应交、已交、未交（数据范围内在职干警）', tags,
    permission: 'selfcheck:coverage', query: SelfCheckCampaignQuery.extend({ orgUnitId: z.string().min(1).max(64).optional().describe('单位') }),
    handler: async ({ ctx, actor, query }) => coverage(ctx, actor, await selfCheckCampaign(ctx, query.campaignId), query.orgUnitId),
  });
  route(app, {
    method: 'GET', url: '/api/self-checks/missing', summary: '未提交自查报告的干警名单', tags,
    permission: 'selfcheck:coverage', query: SelfCheckMissingQuery,
    handler: ({ ctx, actor, query }) => listMissing(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/self-checks/remind', summary: '催报：通知数据范围内（或某单位）未提交的干警', tags,
    permission: 'selfcheck:coverage', body: SelfCheckRemindInput,
    handler: ({ ctx, body }) => cmd.remindMissing(ctx, body.campaignId, body.orgUnitId),
  });
  route(app, {
    method: 'GET', url: '/api/self-checks', summary: '已签字提交的自查报告（整顿办审核；内容见详情，查阅记审计）', tags,
    permission: 'selfcheck:review', query: SelfCheckListQuery,
    handler: ({ ctx, actor, query }) => listReports(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/self-checks/:id', summary: '一份自查报告（本人的，或整顿办审核；查阅他人的记审计）', tags,
    permission: ['selfcheck:fill', 'selfcheck:review'], params: IdParams,
    handler: ({ ctx, actor, params }) => getReport(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/self-checks/:id/review', summary: '审核自查报告（审核意见）', tags,
    permission: 'selfcheck:review', params: IdParams, body: SelfCheckReviewInput,
    handler: ({ ctx, params, body }) => cmd.reviewReport(ctx, params.id, body.note),
  });
}
