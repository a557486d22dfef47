import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { CampaignInput, CampaignPatch, CampaignQuery } from '../../../shared/schemas/campaigns.js';
import * as cmd from './commands.js';
import { getCampaign, listCampaigns } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function campaignRoutes(app: FastifyInstance) {
  const tags = ['教育整顿批次'];
  route(app, {
    method: 'GET', url: '/api/campaigns', summary: '教育整顿批次列表（状态按起止日期计算；手动启动/结束在前时见 manualStatus）', tags, permission: 'campaign:read', query: CampaignQuery,
    handler: ({ ctx, query }) => listCampaigns(ctx, query),
  });
  route(app, {
    method: 'GET', url: '/api/campaigns/:id', summary: '批次详情', tags, permission: 'campaign:read', params: IdParams,
    handler: ({ ctx, params }) => getCampaign(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/campaigns', summary: '新增批次', tags, permission: 'campaign:write', body: CampaignInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createCampaign(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/campaigns/:id', summary: '修改批次；状态只能 未开始→进行中→已结束；已结束的仅可改说明', tags,
    permission: 'campaign:write', params: IdParams, body: CampaignPatch,
    handler: ({ ctx, params, body }) => cmd.updateCampaign(ctx, params.id, body),
  });
}
