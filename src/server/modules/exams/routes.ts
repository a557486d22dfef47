import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { AttemptSave, ExamInput, ExamQuery, MarkInput, OfflineScoreInput, ResultQuery, TopicInput } from '../../../shared/schemas/exams.js';
import * as exams from './exams.js';
import { importScores, scoresTemplate } from './scores-import.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { receiveXlsxUpload } from '../../platform/import-upload.js';
import { iterateResults } from './exam-queries.js';
import { formatShanghai } from '../../platform/time.js';
import { getAttemptForStaff, getExam, listExams, listExpected, listResults, myAttempt, myExams, myWrongAnswers, topicResults } from './exam-queries.js';
import { archiveRoutes } from './archive-routes.js';
import { bankRoutes } from './bank-routes.js';
import { createTopic, getTopic, listTopics, updateTopic } from './topics.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });
const READERS = ['study:read', 'exams:read', 'exams:write', 'study:take'] as const;

export function examRoutes(app: FastifyInstance) {
  const tags = ['学习教育'];
  route(app, {
    method: 'GET', url: '/api/study/topics', summary: '学习专题（按批次）', tags, permission: [...READERS],
    query: z.object({ campaignId: z.string().min(1).max(64).optional().describe('教育整顿批次') }),
    handler: ({ ctx, query }) => listTopics(ctx, query.campaignId),
  });
  route(app, {
    method: 'GET', url: '/api/study/topics/:id', summary: '一个学习专题', tags, permission: [...READERS], params: IdParams,
    handler: ({ ctx, params }) => getTopic(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/topics', summary: '新增学习专题（线上、线下成绩权重，合格分）', tags, permission: 'exams:write', body: TopicInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await createTopic(ctx, body)),
  });
  route(app, {
    method: 'PUT', url: '/api/study/topics/:id', summary: '修改学习专题', tags, permission: 'exams:write', params: IdParams, body: TopicInput,
    handler: ({ ctx, params, body }) => updateTopic(ctx, params.id, body),
  });
  bankRoutes(app);
  archiveRoutes(app);

  // --- exams, for the organisers ---
  route(app, {
    method: 'GET', url: '/api/study/exams', summary: '考试（按开始时间倒序），含数据范围内的参考、交卷、及格人数', tags, permission: ['exams:read', 'exams:write'], query: ExamQuery,
    handler: ({ ctx, actor, query }) => listExams(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/study/exams/:id', summary: '一场考试', tags, permission: ['exams:read', 'exams:write'], params: IdParams,
    handler: ({ ctx, actor, params }) => getExam(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/exams', summary: '发布考试：线上客观测试（固定试卷或按规则随机组卷）或线下主观题考试', tags, permission: 'exams:write', body: ExamInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await exams.createExam(ctx, body)),
  });
  route(app, {
    method: 'PUT', url: '/api/study/exams/:id', summary: '修改考试（有人参考后只能改名称、结束时间和参考范围）', tags, permission: 'exams:write', params: IdParams, body: ExamInput,
    handler: ({ ctx, params, body }) => exams.updateExam(ctx, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/study/exams/:id', summary: '撤销尚无人参考的考试', tags, permission: 'exams:write', params: IdParams,
    handler: ({ ctx, params }) => exams.deleteExam(ctx, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/study/exams/:id/results', summary: '一场考试的答卷与成绩（数据范围内）', tags, permission: ['exams:read', 'exams:write'], params: IdParams, query: ResultQuery,
    handler: ({ ctx, actor, params, query }) => listResults(ctx, actor, params.id, query),
  });
  route(app, {
    method: 'GET', url: '/api/study/exams/:id/expected', summary: '参考人员（数据范围内在职干警）及其成绩；missing=1 只看尚未参考的', tags,
    permission: ['exams:read', 'exams:write'], params: IdParams,
    query: z.object({
      missing: z.enum(['0', '1']).default('0').describe('只看未参考'),
      orgUnitId: z.string().min(1).max(64).optional().describe('单位'),
      page: z.coerce.number().int().min(1).default(1).describe('页码'),
      pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
    }),
    handler: ({ ctx, actor, params, query }) => listExpected(ctx, actor, params.id, { ...query, missing: query.missing === '1' }),
  });
  route(app, {
    method: 'POST', url: '/api/study/exams/:id/scores', summary: '录入线下考试成绩（再次录入即更正）', tags, permission: 'exams:write', params: IdParams, body: OfflineScoreInput,
    handler: ({ ctx, params, body }) => exams.enterScores(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/study/exams/:id/scores/template', summary: '线下考试成绩模板（列出数据范围内的参考人员）', tags, permission: 'exams:write', params: IdParams,
    handler: async ({ ctx, params, reply }) =>
      reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('考试成绩模板.xlsx')).send(await scoresTemplate(ctx, params.id)),
  });
  route(app, {
    method: 'POST', url: '/api/study/exams/:id/scores/import', summary: '导入线下考试成绩（Excel：警号、姓名、成绩；有错误行则不导入；dryRun=1 仅校验）', tags,
    permission: 'exams:write', params: IdParams, query: z.object({ dryRun: z.enum(['0', '1']).default('0').describe('仅校验') }),
    handler: async ({ ctx, req, params, query }) => importScores(ctx, params.id, await receiveXlsxUpload(req), { dryRun: query.dryRun === '1' }),
  });
  route(app, {
    method: 'GET', url: '/api/study/exams/:id/results/export', summary: '导出考试成绩（Excel，数据范围内）', tags, permission: ['exams:read', 'exams:write'], params: IdParams,
    handler: async ({ ctx, actor, params, reply }) => {
      const exam = await getExam(ctx, actor, params.id);
      const stream = xlsxStream('考试成绩', [
        { header: '姓名', value: (r) => r.name, width: 12 },
        { header: '警号', value: (r) => r.policeNo, width: 12 },
        { header: '单位', value: (r) => r.orgUnitName, width: 24 },
        { header: '状态', value: (r) => ({ in_progress: '作答中', submitted: '待阅卷', graded: '已评分' })[r.status], width: 10 },
        { header: '成绩', value: (r) => r.score, width: 8 },
        { header: '满分', value: () => exam.fullScore, width: 8 },
        { header: '是否及格', value: (r) => (r.passed == null ? '' : r.passed ? '及格' : '不及格'), width: 10 },
        { header: '切屏次数', value: (r) => r.tabSwitches, width: 10 },
        { header: '交卷时间', value: (r) => formatShanghai(r.submittedAt), width: 22 },
      ], iterateResults(ctx, actor, params.id));
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(`${exam.title}-成绩.xlsx`)).send(stream);
    },
  });
  route(app, {
    method: 'GET', url: '/api/study/attempts/:id', summary: '一份答卷（阅卷：含标准答案、得分、切屏次数）', tags, permission: ['exams:read', 'exams:write'], params: IdParams,
    handler: ({ ctx, actor, params }) => getAttemptForStaff(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/attempts/:id/marks', summary: '简答题评分', tags, permission: 'exams:write', params: IdParams, body: MarkInput,
    handler: ({ ctx, params, body }) => exams.markAttempt(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/study/topics/:id/results', summary: '专题成绩：线上、线下按权重合成（数据范围内在职干警）', tags, permission: ['exams:read', 'exams:write'], params: IdParams,
    query: z.object({
      orgUnitId: z.string().min(1).max(64).optional().describe('单位'),
      page: z.coerce.number().int().min(1).default(1).describe('页码'),
      pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
    }),
    handler: ({ ctx, actor, params, query }) => topicResults(ctx, actor, params.id, query),
  });

  // --- exams, for the person taking them ---
  route(app, {
    method: 'GET', url: '/api/study/my/exams', summary: '我的考试', tags, permission: 'study:take',
    handler: ({ ctx }) => myExams(ctx),
  });
  route(app, {
    method: 'POST', url: '/api/study/exams/:id/start', summary: '开始（或继续）作答', tags, permission: 'study:take', params: IdParams,
    handler: ({ ctx, params }) => exams.startAttempt(ctx, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/study/my/attempts/:id', summary: '我的答卷（考试结束后可查看答案与解析）', tags, permission: 'study:take', params: IdParams,
    handler: ({ ctx, params }) => myAttempt(ctx, params.id),
  });
  route(app, {
    method: 'PUT', url: '/api/study/my/attempts/:id/answers', summary: '保存作答（自动保存）', tags, permission: 'study:take', params: IdParams, body: AttemptSave,
    handler: ({ ctx, params, body }) => exams.saveAnswers(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/study/my/attempts/:id/submit', summary: '交卷', tags, permission: 'study:take', params: IdParams, body: AttemptSave.partial(),
    handler: ({ ctx, params, body }) => exams.submitAttempt(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/study/my/wrong-answers', summary: '我的错题本（已结束的考试）', tags, permission: 'study:take',
    query: z.object({
      page: z.coerce.number().int().min(1).default(1).describe('页码'),
      pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('每页条数'),
    }),
    handler: ({ ctx, query }) => myWrongAnswers(ctx, query),
  });
}
