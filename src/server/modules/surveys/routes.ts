import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { attachmentHeader, xlsxStream, XLSX_MIME, type Column } from '../../platform/excel.js';
import { formatShanghai } from '../../platform/time.js';
import { SurveyInput, SurveyPatch, SurveyQuery, SurveyResponseInput, type SurveyAnswer } from '../../../shared/schemas/surveys.js';
import * as cmd from './commands.js';
import { getSurvey, iterateResponses, listSurveys, publicSurvey, publicSurveys, surveyResults } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

type ResponseRow = { id: string; submittedAt: string; answers: Record<string, SurveyAnswer> };

function cell(v: SurveyAnswer | undefined): string | number {
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.join('、') : v;
}

export function surveyRoutes(app: FastifyInstance) {
  const tags = ['调查问卷'];
  route(app, {
    method: 'GET', url: '/api/surveys', summary: '调查问卷列表（按数据范围过滤）', tags, permission: 'surveys:read', query: SurveyQuery,
    handler: ({ ctx, actor, query }) => listSurveys(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/surveys/:id', summary: '问卷详情（含题目）', tags, permission: 'surveys:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getSurvey(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/surveys', summary: '新建问卷（草稿）：单选、多选、1–5 分评分、填空', tags, permission: 'surveys:write',
    body: SurveyInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createSurvey(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/surveys/:id', summary: '修改问卷（仅草稿；给出题目时整体替换）', tags, permission: 'surveys:write',
    params: IdParams, body: SurveyPatch,
    handler: ({ ctx, params, body }) => cmd.updateSurvey(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/surveys/:id/publish', summary: '发布问卷（草稿 → 已发布）', tags, permission: 'surveys:write',
    params: IdParams, handler: ({ ctx, params }) => cmd.publishSurvey(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/surveys/:id/close', summary: '结束问卷（已发布 → 已结束）', tags, permission: 'surveys:write',
    params: IdParams, handler: ({ ctx, params }) => cmd.closeSurvey(ctx, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/surveys/:id/results', summary: '问卷结果：各选项计数、评分分布与均分、最新填空', tags,
    permission: 'surveys:read', params: IdParams,
    handler: ({ ctx, actor, params }) => surveyResults(ctx, actor, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/surveys/:id/export', summary: '导出答卷（Excel：每份答卷一行，每题一列）', tags,
    permission: 'surveys:read', params: IdParams,
    handler: async ({ ctx, actor, params, reply }) => {
      // Loaded first: a survey outside the caller's scope is a 404, not an empty file.
      const survey = await getSurvey(ctx, actor, params.id);
      const columns: Column<ResponseRow>[] = [
        { header: '提交时间', value: (r) => formatShanghai(r.submittedAt), width: 20 },
        ...survey.questions.map((q) => ({
          header: q.title,
          width: q.kind === 'text' ? 40 : 20,
          value: (r: ResponseRow) => cell(r.answers[q.id]),
        })),
      ];
      const stream = xlsxStream('答卷', columns, iterateResponses(ctx, params.id));
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachmentHeader(`${survey.title}-答卷.xlsx`))
        .send(stream);
    },
  });

  // ---- public (no login): anonymous filling ----
  const ptags = ['群众端'];
  route(app, {
    method: 'GET', url: '/api/public/surveys', auth: 'public', summary: '群众端：正在征集的调查问卷', tags: ptags,
    handler: ({ ctx }) => publicSurveys(ctx),
  });
  route(app, {
    method: 'GET', url: '/api/public/surveys/:id', auth: 'public', summary: '群众端：问卷题目（已结束的答 410）', tags: ptags,
    params: IdParams,
    handler: ({ ctx, params }) => publicSurvey(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/public/surveys/:id/responses', auth: 'public',
    summary: '群众端：匿名填写问卷（设备标识只存其摘要；限每台设备一份时重复提交答 409）', tags: ptags,
    params: IdParams, body: SurveyResponseInput, bodyLimit: 256 * 1024,
    handler: async ({ ctx, params, body, reply }) => reply.status(201).send(await cmd.submitResponse(ctx, params.id, body)),
  });
}
