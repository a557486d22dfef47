import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { formatShanghai } from '../../platform/time.js';
import { registerFilePolicy } from '../files/policy.js';
import {
  CampaignRef, CategoryInput, CategoryPatch, CategoryQuery, ItemInput, ItemPatch, ItemQuery, ProgressInput, PublicItemQuery, PublicRatingInput,
  SignOffInput,
} from '../../../shared/schemas/rectification.js';
import * as cmd from './commands.js';
import { importLedger, ledgerImportTemplate } from './import.js';
import { receiveXlsxUpload } from '../../platform/import-upload.js';
import {
  defaultCampaignId, followReceipt, getItem, iterateItems, listCategories, listItems, progressInScope, publicItem, publicItems,
  publicUnitRates,
} from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });
const CodeParams = z.object({ code: z.string().min(1).max(40).describe('查询码') });

// Public answers, for the OpenAPI description (the shape; queries.ts is the source).
const PublicItem = z.object({
  id: z.string(),
  title: z.string().describe('问题名称'),
  goal: z.string().nullable().describe('整改目标'),
  measures: z.string().nullable().describe('整改措施'),
  unitName: z.string().describe('责任单位'),
  deadline: z.string().nullable().describe('完成时限（YYYY-MM-DD）'),
  progress: z.number().describe('完成进度（0–100）'),
  status: z.enum(['not_started', 'in_progress', 'done', 'signed_off', 'overdue']),
  statusLabel: z.string().describe('状态：未开始、整改中、已完成、已销号、已逾期'),
  reportingChannel: z.string().describe('问题反映渠道'),
  canRate: z.boolean().describe('整改完成后可评价'),
});
const PublicPage = z.object({ items: z.array(PublicItem), total: z.number().int(), reportingChannel: z.string() });

export function rectificationRoutes(app: FastifyInstance) {
  const tags = ['查纠整改'];
  // Evidence files open for whoever may read the item they were reported on.
  registerFilePolicy('rectification_progress', (ctx, ownerId) => progressInScope(ctx, ownerId));

  // ---- catalogue
  route(app, {
    method: 'GET', url: '/api/rectification/categories', summary: '问题类别（“7+2”顽瘴痼疾、专项整治、纪律作风），按批次', tags,
    // Clue handlers file clues by these categories (自查从宽 matches a declaration by category).
    permission: ['rectification:read', 'clues:write'], query: CategoryQuery,
    handler: async ({ ctx, query }) => listCategories(ctx, query.campaignId ?? (await defaultCampaignId(ctx))),
  });
  route(app, {
    method: 'POST', url: '/api/rectification/categories/defaults', summary: '为批次建立全国统一的“7+2”及七个方面纪律类别（已有的跳过）', tags,
    permission: 'rectification:catalog', body: CampaignRef,
    handler: ({ ctx, body }) => cmd.initCategories(ctx, body.campaignId),
  });
  route(app, {
    method: 'POST', url: '/api/rectification/categories', summary: '新增问题类别（如本局确定的第七类顽瘴痼疾）', tags,
    permission: 'rectification:catalog', body: CategoryInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createCategory(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/rectification/categories/:id', summary: '修改、停用问题类别', tags,
    permission: 'rectification:catalog', params: IdParams, body: CategoryPatch,
    handler: ({ ctx, params, body }) => cmd.updateCategory(ctx, params.id, body),
  });

  // ---- ledger
  route(app, {
    method: 'GET', url: '/api/rectification/items', summary: '整治台账 / 项目清单（按数据范围；默认当前批次的顶层事项，parentId 查子事项）', tags,
    permission: 'rectification:read', query: ItemQuery,
    handler: ({ ctx, actor, query }) => listItems(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/rectification/items/export', summary: '导出台账（Excel：序号、问题描述、整改措施、责任单位、责任人、完成时限、整改进展、状态）', tags,
    permission: 'rectification:read', query: ItemQuery.omit({ page: true, pageSize: true, parentId: true }),
    handler: async ({ ctx, actor, query, reply }) => {
      const campaignId = query.campaignId ?? (await defaultCampaignId(ctx));
      const rows = campaignId ? iterateItems(ctx, actor, { ...query, campaignId }) : (async function* () {})();
      const stream = xlsxStream(
        query.list === 'project' ? '项目清单' : '整治台账',
        [
          { header: '序号', value: (r) => r.number, width: 8 },
          { header: '问题类别', value: (r) => r.categoryName, width: 24 },
          { header: '问题名称', value: (r) => r.title, width: 30 },
          { header: '问题描述', value: (r) => r.description, width: 48 },
          { header: '整改措施', value: (r) => r.measures, width: 48 },
          { header: '整改目标', value: (r) => r.goal, width: 30 },
          { header: '整改方式', value: (r) => r.modeLabel, width: 10 },
          { header: '责任单位', value: (r) => r.orgUnitName, width: 24 },
          { header: '责任人', value: (r) => r.responsiblePersonName, width: 10 },
          { header: '完成时限', value: (r) => r.deadline, width: 12 },
          { header: '整改进展', value: (r) => `${r.progress}%`, width: 10 },
          { header: '状态', value: (r) => r.stateLabel, width: 10 },
          { header: '问题来源', value: (r) => r.sourceLabel, width: 14 },
          { header: '销号时间', value: (r) => formatShanghai(r.signedOffAt), width: 20 },
        ],
        rows,
      );
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachmentHeader(query.list === 'project' ? '项目清单.xlsx' : '整治台账.xlsx'))
        .send(stream);
    },
  });
  route(app, {
    method: 'GET', url: '/api/rectification/items/import-template', summary: '整治台账导入模板（Excel）', tags, permission: 'rectification:write',
    handler: async ({ reply }) =>
      reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('整治台账导入模板.xlsx')).send(await ledgerImportTemplate()),
  });
  route(app, {
    method: 'POST', url: '/api/rectification/items/import',
    summary: '导入已有的 Excel 台账（multipart 字段 file；序号“3-1”为第 3 项的子事项；mode=all|good_rows；dryRun=1 仅校验）', tags,
    permission: 'rectification:write',
    query: z.object({
      campaignId: z.string().min(1).max(64).describe('教育整顿批次'),
      list: z.enum(['ledger', 'project']).default('ledger').describe('清单'),
      mode: z.enum(['all', 'good_rows']).default('all').describe('导入方式'),
      dryRun: z.enum(['0', '1']).default('0').describe('仅校验'),
    }),
    handler: async ({ ctx, req, query }) => {
      // At most 10 MB uploaded; rows (5,000) and inflated size are limited by the sheet reader.
      const data = await receiveXlsxUpload(req);
      return importLedger(ctx, data, { campaignId: query.campaignId, list: query.list, mode: query.mode, dryRun: query.dryRun === '1' });
    },
  });
  route(app, {
    method: 'GET', url: '/api/rectification/items/:id', summary: '整治事项详情：子事项、整改进展与佐证材料', tags,
    permission: 'rectification:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getItem(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/rectification/items', summary: '新增整治事项（parentId：子事项）', tags,
    permission: 'rectification:write', body: ItemInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createItem(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/rectification/items/:id', summary: '修改整治事项（已销号的不能修改）', tags,
    permission: 'rectification:write', params: IdParams, body: ItemPatch,
    handler: ({ ctx, params, body }) => cmd.updateItem(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/rectification/items/:id/progress', summary: '报送整改进展（进度、情况、佐证材料）；100% 即为完成', tags,
    permission: 'rectification:write', params: IdParams, body: ProgressInput,
    handler: async ({ ctx, params, body, reply }) => reply.status(201).send(await cmd.reportProgress(ctx, params.id, body)),
  });
  route(app, {
    method: 'POST', url: '/api/rectification/items/:id/sign-off', summary: '销号（整顿办核验佐证材料后；子事项须全部销号）', tags,
    permission: 'rectification:signoff', params: IdParams, body: SignOffInput,
    handler: ({ ctx, params, body }) => cmd.signOffItem(ctx, params.id, body),
  });

  // ---- the public face
  const ptags = ['群众端'];
  route(app, {
    method: 'GET', url: '/api/public/rectification', auth: 'public', summary: '群众端：公开的整治事项（目标、时限、进展、状态、反映渠道）', tags: ptags,
    query: PublicItemQuery, response: { 200: PublicPage },
    handler: ({ ctx, query }) => publicItems(ctx, query),
  });
  route(app, {
    method: 'GET', url: '/api/public/rectification/rates', auth: 'public', summary: '群众端：各单位群众意见按期办结率、满意率（实时）', tags: ptags,
    handler: ({ ctx }) => publicUnitRates(ctx),
  });
  route(app, {
    method: 'GET', url: '/api/public/rectification/follow/:code', auth: 'public', summary: '群众端：凭意见查询码查看该意见纳入的公开整治事项', tags: ptags,
    params: CodeParams,
    handler: async ({ ctx, params, reply }) => {
      reply.header('cache-control', 'no-store');
      return followReceipt(ctx, params.code);
    },
  });
  route(app, {
    method: 'GET', url: '/api/public/rectification/:id', auth: 'public', summary: '群众端：一项公开的整治事项', tags: ptags,
    params: IdParams, response: { 200: PublicItem },
    handler: ({ ctx, params }) => publicItem(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/public/rectification/:id/rating', auth: 'public', summary: '群众端：评价已完成的公开事项（1–5 星；每个地址一次）', tags: ptags,
    params: IdParams, body: PublicRatingInput,
    handler: ({ ctx, params, body }) => cmd.ratePublicItem(ctx, params.id, body),
  });
}
