import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { shanghaiDate } from '../../platform/time.js';
import { ATTENDANCE_METHODS, SHARE_CATEGORIES } from '../../../shared/schemas/study-labels.js';
import { archive, archiveFor, assessment, defaultStudyYear, AssessmentRule, assessmentRows, myArchive, ruleOf, setRule, unitSummary } from './archive.js';

const Year = z.coerce.number().int().min(2000, '年度不对').max(2100, '年度不对').describe('年度');
const PersonParams = z.object({ personId: z.string().min(1).max(64).describe('干警') });

/** The archive as a workbook: a summary sheet and one sheet per kind of record, for filing and printing. */
async function archiveWorkbook(a: Awaited<ReturnType<typeof archive>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, headers: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(headers).font = { bold: true };
    for (const r of rows) ws.addRow(r.map((v) => v ?? ''));
    ws.columns.forEach((c) => (c.width = 20));
  };
  sheet('概况', ['项目', '内容'], [
    ['姓名', a.person.name], ['单位', a.person.orgUnitName], ['警号', a.person.policeNo], ['年度', a.year], ['学时', a.hours],
    ['参加学习活动（次）', a.attendances.length], ['分享（篇）', a.shares.length], ['观评（篇）', a.reviews.length],
    ['考试（场）', a.exams.length], ['学习积分', a.assessment.score], ['评先评优', a.assessment.eligible ? '符合' : '不符合'],
  ]);
  sheet('学习活动', ['日期', '活动', '方式', '学时', '签到方式'], a.attendances.map((x) => [x.heldOn, x.title, x.modeLabel, x.hours, ATTENDANCE_METHODS[x.method]]));
  sheet('分享', ['日期', '题目', '类别', '播放', '点赞'], a.shares.map((s) => [s.publishedOn, s.title, SHARE_CATEGORIES[s.category], s.plays, s.likes]));
  sheet('观评', ['提交时间', '活动', '摘要'], a.reviews.map((r) => [shanghaiDate(new Date(r.submittedAt)), r.activityTitle, r.excerpt]));
  sheet('考试成绩', ['考试', '专题', '类型', '成绩', '满分', '是否及格'], a.exams.map((e) => [e.title, e.topicTitle, e.kindLabel, e.score, e.fullScore, e.passed == null ? '待评分' : e.passed ? '及格' : '不及格']));
  sheet('专题成绩', ['专题', '线上（百分制）', '线下（百分制）', '合成成绩', '是否合格'], a.topics.map((t) => [t.title, t.online, t.offline, t.combined, t.passed ? '合格' : '不合格']));
  sheet('选树典型', ['日期', '称号', '授予机关', '事迹'], a.commendations.map((c) => [c.conferredOn, c.title, c.conferredBy, c.reason]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function archiveRoutes(app: FastifyInstance) {
  const tags = ['学习教育'];
  route(app, {
    method: 'GET', url: '/api/study/my/archive', summary: '我的学习档案（年度）', tags, permission: 'study:take', query: z.object({ year: Year.optional() }),
    handler: async ({ ctx, query }) => myArchive(ctx, query.year ?? (await defaultStudyYear(ctx))),
  });
  route(app, {
    method: 'GET', url: '/api/study/my/archive/export', summary: '导出我的学习档案（Excel）', tags, permission: 'study:take', query: z.object({ year: Year.optional() }),
    handler: async ({ ctx, query, reply }) => {
      const a = await myArchive(ctx, query.year ?? (await defaultStudyYear(ctx)));
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(`学习档案-${a.person.name}-${a.year}.xlsx`)).send(await archiveWorkbook(a));
    },
  });
  route(app, {
    method: 'GET', url: '/api/study/archives/:personId', summary: '干警学习档案（数据范围内）', tags, permission: 'exams:read', params: PersonParams, query: z.object({ year: Year.optional() }),
    handler: async ({ ctx, actor, params, query }) => archiveFor(ctx, actor, params.personId, query.year ?? (await defaultStudyYear(ctx))),
  });
  route(app, {
    method: 'GET', url: '/api/study/archives/:personId/export', summary: '导出干警学习档案（Excel）', tags, permission: 'exams:read', params: PersonParams, query: z.object({ year: Year.optional() }),
    handler: async ({ ctx, actor, params, query, reply }) => {
      const a = await archiveFor(ctx, actor, params.personId, query.year ?? (await defaultStudyYear(ctx)));
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(`学习档案-${a.person.name}-${a.year}.xlsx`)).send(await archiveWorkbook(a));
    },
  });
  route(app, {
    method: 'GET', url: '/api/study/archive-summary', summary: '各单位学习情况汇总（学时、参学人数、考试及格率）', tags, permission: 'exams:read',
    query: z.object({ year: Year.optional(), orgUnitId: z.string().min(1).max(64).optional().describe('单位') }),
    handler: async ({ ctx, actor, query }) => unitSummary(ctx, actor, { year: query.year ?? (await defaultStudyYear(ctx)), orgUnitId: query.orgUnitId }),
  });
  const AssessQuery = z.object({
    year: Year.optional(),
    orgUnitId: z.string().min(1).max(64).optional().describe('单位'),
    page: z.coerce.number().int().min(1).default(1).describe('页码'),
    pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  });
  route(app, {
    method: 'GET', url: '/api/study/assessment', summary: '年度考评：学习积分与评先评优资格（数据范围内在职干警）', tags, permission: ['study:assess', 'exams:read'], query: AssessQuery,
    handler: async ({ ctx, actor, query }) => assessment(ctx, actor, { ...query, year: query.year ?? (await defaultStudyYear(ctx)) }),
  });
  route(app, {
    method: 'GET', url: '/api/study/assessment/export', summary: '导出年度考评学习积分（Excel）', tags, permission: 'study:assess', query: AssessQuery.omit({ page: true, pageSize: true }),
    handler: async ({ ctx, actor, query, reply }) => {
      const year = query.year ?? (await defaultStudyYear(ctx));
      const stream = xlsxStream(`${year}年度学习考评`, [
        { header: '姓名', value: (r) => r.name, width: 12 },
        { header: '警号', value: (r) => r.policeNo, width: 12 },
        { header: '单位', value: (r) => r.orgUnitName, width: 24 },
        { header: '学时', value: (r) => r.hours, width: 8 },
        { header: '参加活动（次）', value: (r) => r.attended, width: 10 },
        { header: '分享（篇）', value: (r) => r.shares, width: 10 },
        { header: '观评（篇）', value: (r) => r.reviews, width: 10 },
        { header: '专题平均成绩', value: (r) => r.examAverage, width: 12 },
        { header: '学时得分', value: (r) => r.hoursPart, width: 10 },
        { header: '考试得分', value: (r) => r.examsPart, width: 10 },
        { header: '分享观评得分', value: (r) => r.participationPart, width: 12 },
        { header: '学习积分', value: (r) => r.score, width: 10 },
        { header: '各专题均合格', value: (r) => (r.topicsPassed ? '是' : '否'), width: 12 },
        { header: '评先评优资格', value: (r) => (r.eligible ? '符合' : '不符合'), width: 12 },
      ], assessmentRows(ctx, actor, { year, orgUnitId: query.orgUnitId }));
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(`${year}年度学习考评.xlsx`)).send(stream);
    },
  });
  route(app, {
    method: 'GET', url: '/api/study/assessment/rules/:year', summary: '年度考评学习积分规则', tags, permission: ['study:assess', 'exams:read'], params: z.object({ year: Year }),
    handler: ({ ctx, params }) => ruleOf(ctx.db, params.year),
  });
  route(app, {
    method: 'PUT', url: '/api/study/assessment/rules/:year', summary: '设置年度考评学习积分规则', tags, permission: 'study:assess', params: z.object({ year: Year }), body: AssessmentRule,
    handler: ({ ctx, params, body }) => setRule(ctx, params.year, body),
  });
}
