import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { badRequest } from '../../platform/errors.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { formatShanghai } from '../../platform/time.js';
import { enabledCodes } from '../dict/queries.js';
import {
  AdoptInput, AssignInput, CategorizeInput, CHANNELS, IDENTITY, MAX_CONTENT, MergeInput, OPINION_STATUS, OpinionQuery,
  PublicOpinionInput, RatingInput, RejectInput, ReplyInput, StaffOpinionInput,
} from '../../../shared/schemas/opinions.js';
import * as cmd from './commands.js';
import { duplicatesOfText, getIdentity, getOpinion, iterateOpinions, listOpinions, opinionInScope } from './queries.js';
import { opinionStats } from './stats.js';
import { publicStatus, ratePublic, submitPublicOpinion, uploadPublicFile, PUBLIC_MAX_FILES, PUBLIC_UPLOAD_MAX_BYTES, PUBLIC_UPLOAD_TYPES } from './public.js';
import { issueChallenge } from './challenge.js';
import { registerFilePolicy } from '../files/policy.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });
const CodeParams = z.object({ code: z.string().min(1).max(40).describe('查询码') });

// Public answers, for the OpenAPI description (the shape; public.ts is the source).
const Submitted = z
  .object({
    receiptCode: z.string().describe('查询码，如 7K3Q-9XMB-2H4T-R8CN：只显示这一次'),
    publicNo: z.string().describe('意见编号'),
    duplicate: z.boolean().describe('true：同一提交的重试，答复的是第一次的结果（状态 200），未再登记'),
  })
  .describe('已登记（201）；重试时为第一次的结果（200）');
const PublicStatus = z
  .looseObject({
    publicNo: z.string(),
    status: z.enum(['received', 'assigned', 'replied', 'rejected', 'merged']),
    statusLabel: z.string(),
    merged: z.object({ publicNo: z.string(), note: z.string() }).nullable(),
    category: z.string().nullable().describe('类别名称'),
    channel: z.string(),
    identity: z.enum(['named', 'anonymous']),
    content: z.string(),
    submittedAt: z.string(),
    unitName: z.string().nullable().describe('承办单位'),
    deadlineAt: z.string().nullable().describe('答复期限（办理中时）'),
    reply: z.object({ text: z.string(), at: z.string().nullable() }).nullable(),
    rejectReason: z.string().nullable(),
    history: z.array(z.object({ at: z.string(), kind: z.string(), text: z.string().nullable() })),
    rating: z.object({ score: z.number().int(), comment: z.string().nullable(), at: z.string().nullable() }).nullable(),
    canRate: z.boolean(),
  })
  .describe('办理进度（不含任何个人信息）');
const PublicMeta = z.looseObject({
  categories: z.array(z.object({ code: z.string(), label: z.string() })),
  challenge: z.boolean().describe('提交时是否须附人机验证（altcha）'),
  limits: z.looseObject({ maxContent: z.number().int(), maxFiles: z.number().int(), maxFileBytes: z.number().int(), types: z.array(z.string()) }),
});

export function opinionRoutes(app: FastifyInstance) {
  const tags = ['开门纳谏'];
  // An opinion's photos (a window card, a citizen's upload) open for whoever may read the opinion.
  registerFilePolicy('opinion', (ctx, ownerId) => opinionInScope(ctx, ownerId));
  route(app, {
    method: 'GET', url: '/api/opinions', summary: '意见建议列表（筛选、全文检索，按数据范围过滤）', tags,
    permission: 'opinions:read', query: OpinionQuery,
    handler: ({ ctx, actor, query }) => listOpinions(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/opinions/stats', summary: '意见统计：按类别、渠道、单位、状态；按期办结率、满意率', tags,
    permission: 'opinions:read',
    query: z.object({ campaignId: z.string().max(64).optional().describe('批次') }),
    handler: ({ ctx, actor, query }) => opinionStats(ctx, actor, query.campaignId),
  });
  route(app, {
    method: 'GET', url: '/api/opinions/export', summary: '导出意见（Excel；提交人身份不导出）', tags,
    permission: 'opinions:export', query: OpinionQuery.omit({ page: true, pageSize: true }),
    handler: async ({ ctx, actor, query, reply }) => {
      const categories = new Map((await enabledCodes(ctx.db, 'opinion_category')).map((c) => [c.code, c.label]));
      const stream = xlsxStream(
        '意见建议',
        [
          { header: '意见编号', value: (r) => r.publicNo, width: 20 },
          { header: '提交时间', value: (r) => formatShanghai(r.submittedAt), width: 20 },
          { header: '渠道', value: (r) => CHANNELS[r.channel as keyof typeof CHANNELS] ?? r.channel },
          { header: '提交方式', value: (r) => IDENTITY[r.identity as keyof typeof IDENTITY] },
          { header: '类别', value: (r) => (r.category ? categories.get(r.category) ?? r.category : '未分类') },
          { header: '内容', value: (r) => r.content, width: 60 },
          { header: '状态', value: (r) => OPINION_STATUS[r.status as keyof typeof OPINION_STATUS] },
          { header: '承办单位', value: (r) => r.assignedUnitName, width: 24 },
          { header: '办理期限', value: (r) => formatShanghai(r.deadlineAt), width: 20 },
          { header: '答复时间', value: (r) => formatShanghai(r.repliedAt), width: 20 },
          { header: '答复内容', value: (r) => r.reply, width: 50 },
          { header: '是否超期', value: (r) => (r.overdue ? '是' : '') },
          { header: '群众评分', value: (r) => r.rating },
          { header: '评价内容', value: (r) => r.ratingComment, width: 30 },
        ],
        iterateOpinions(ctx, actor, query),
      );
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('意见建议.xlsx')).send(stream);
    },
  });
  route(app, {
    method: 'POST', url: '/api/opinions/similar', summary: '录入前查重：与已有意见的相似度', tags, permission: 'opinions:read',
    body: z.object({ content: z.string().trim().min(1).max(MAX_CONTENT).describe('意见内容') }),
    handler: async ({ ctx, actor, body }) => ({ items: await duplicatesOfText(ctx, actor, body.content) }),
  });
  route(app, {
    method: 'GET', url: '/api/opinions/:id', summary: '意见详情（含建议类别、疑似重复、办理记录）', tags, permission: 'opinions:read',
    params: IdParams, handler: ({ ctx, actor, params }) => getOpinion(ctx, actor, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/opinions/:id/identity', summary: '查看实名提交人姓名、电话（记审计）', tags,
    permission: 'opinions:identity', params: IdParams, handler: ({ ctx, actor, params }) => getIdentity(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/opinions', summary: '录入线下渠道意见（意见卡、意见箱、座谈会、走访、电话）', tags,
    permission: 'opinions:enter', body: StaffOpinionInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.enterOpinion(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/opinions/:id/categorize', summary: '确定类别', tags, permission: 'opinions:triage',
    params: IdParams, body: CategorizeInput, handler: ({ ctx, params, body }) => cmd.categorizeOpinion(ctx, params.id, body.category),
  });
  route(app, {
    method: 'POST', url: '/api/opinions/:id/assign', summary: '分办到承办单位，按工作日计算答复期限', tags,
    permission: 'opinions:triage', params: IdParams, body: AssignInput,
    handler: ({ ctx, params, body }) => cmd.assignOpinion(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/opinions/:id/reply', summary: '答复', tags, permission: 'opinions:reply',
    params: IdParams, body: ReplyInput, handler: ({ ctx, params, body }) => cmd.replyOpinion(ctx, params.id, body.reply),
  });
  route(app, {
    method: 'POST', url: '/api/opinions/:id/merge', summary: '作为重复意见合并到另一条', tags, permission: 'opinions:triage',
    params: IdParams, body: MergeInput, handler: ({ ctx, params, body }) => cmd.mergeOpinion(ctx, params.id, body.intoId),
  });
  route(app, {
    method: 'POST', url: '/api/opinions/:id/reject', summary: '不予受理（须说明理由）', tags, permission: 'opinions:triage',
    params: IdParams, body: RejectInput, handler: ({ ctx, params, body }) => cmd.rejectOpinion(ctx, params.id, body.reason),
  });
  route(app, {
    method: 'POST', url: '/api/opinions/:id/adopt', summary: '纳入整治台账或项目清单', tags, permission: 'opinions:triage',
    params: IdParams, body: AdoptInput,
    handler: async ({ ctx, params, body, reply }) => reply.status(201).send(await cmd.adoptOpinion(ctx, params.id, body)),
  });

  // ---- public (no login) ----
  const ptags = ['群众端'];
  route(app, {
    method: 'GET', url: '/api/public/meta', auth: 'public', summary: '群众端：可选类别、附件限制、是否需要人机验证', tags: ptags,
    response: { 200: PublicMeta },
    handler: async ({ ctx }) => ({
      categories: (await enabledCodes(ctx.db, 'opinion_category')).map((c) => ({ code: c.code, label: c.label })),
      challenge: ctx.config.publicChallenge,
      limits: { maxContent: MAX_CONTENT, maxFiles: PUBLIC_MAX_FILES, maxFileBytes: PUBLIC_UPLOAD_MAX_BYTES, types: PUBLIC_UPLOAD_TYPES },
    }),
  });
  route(app, {
    method: 'GET', url: '/api/public/challenge', auth: 'public', summary: '群众端：人机验证题（ALTCHA 工作量证明）', tags: ptags,
    handler: async ({ ctx, reply }) => {
      reply.header('cache-control', 'no-store');
      return issueChallenge(ctx);
    },
  });
  route(app, {
    method: 'POST', url: '/api/public/files', auth: 'public', summary: '群众端：上传照片或 PDF（multipart 字段 file），返回附件编号与令牌', tags: ptags,
    bodyLimit: PUBLIC_UPLOAD_MAX_BYTES + 64 * 1024,
    handler: async ({ ctx, req, reply }) => {
      if (!req.isMultipart()) throw badRequest('文件：请以 multipart/form-data 上传', 'file');
      const part = await req.file({ limits: { fileSize: PUBLIC_UPLOAD_MAX_BYTES + 1 } });
      if (!part) throw badRequest('文件：不能为空', 'file');
      const data = await part.toBuffer();
      return reply.status(201).send(await uploadPublicFile(ctx, data, part.filename));
    },
  });
  route(app, {
    method: 'POST', url: '/api/public/opinions', auth: 'public', summary: '群众端：提交意见建议，返回查询码（只显示一次）', tags: ptags,
    body: PublicOpinionInput, bodyLimit: 64 * 1024,
    response: { 201: Submitted, 200: Submitted },
    handler: async ({ ctx, body, reply }) => {
      const r = await submitPublicOpinion(ctx, body);
      return reply.status(r.duplicate ? 200 : 201).send(r);
    },
  });
  route(app, {
    method: 'GET', url: '/api/public/opinions/:code', auth: 'public', summary: '群众端：凭查询码查看办理进度与答复', tags: ptags,
    params: CodeParams,
    response: { 200: PublicStatus },
    handler: async ({ ctx, params, reply }) => {
      reply.header('cache-control', 'no-store');
      return publicStatus(ctx, params.code);
    },
  });
  route(app, {
    method: 'POST', url: '/api/public/opinions/:code/rating', auth: 'public', summary: '群众端：对答复评分（1–5 星，一次）', tags: ptags,
    params: CodeParams, body: RatingInput,
    response: { 200: z.object({ ok: z.literal(true) }) },
    handler: ({ ctx, params, body }) => ratePublic(ctx, params.code, body.score, body.comment),
  });
}
