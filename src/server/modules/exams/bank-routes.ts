import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { attachmentHeader, xlsxStream, XLSX_MIME, IMPORT_MAX_BYTES } from '../../platform/excel.js';
import { badRequest } from '../../platform/errors.js';
import { bufferPart } from '../../platform/import-upload.js';
import { QuestionInput, QuestionQuery, QUESTION_TYPES, type QuestionType } from '../../../shared/schemas/exams.js';
import { createQuestion, getQuestion, iterateQuestions, listQuestions, restoreQuestion, retireQuestion, topicToShow, updateQuestion } from './bank.js';
import { BANK_EXPORT_COLUMNS, bankTemplate, importQuestions } from './bank-import.js';

// 题库: questions per topic, import from Excel and Word, export to Excel. Every route needs
// exams:write: the bank shows the answers.

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });
const TopicOptional = z.string().trim().min(1).max(64).optional().describe('专题（默认：当前批次的第一个专题）');
const BankQuery = QuestionQuery.extend({ topicId: TopicOptional });
const QuestionTypeEnum = z.enum(Object.keys(QUESTION_TYPES) as [QuestionType, ...QuestionType[]]);

/** The uploaded file (.xlsx or .docx, told apart later by content); 400/413 naming `file`. */
async function receiveUpload(req: FastifyRequest, maxBytes = IMPORT_MAX_BYTES): Promise<Buffer> {
  if (!req.isMultipart()) throw badRequest('文件：请以 multipart/form-data 上传 Excel 或 Word 文件', 'file');
  const part = await req.file({ limits: { fileSize: maxBytes } });
  if (!part) throw badRequest('文件：不能为空', 'file');
  const data = await bufferPart(part, maxBytes);
  if (!data.length) throw badRequest('文件：不能为空', 'file');
  return data;
}

export function bankRoutes(app: FastifyInstance) {
  const tags = ['学习教育'];
  const permission = 'exams:write' as const;
  route(app, {
    method: 'GET', url: '/api/study/questions', summary: '题库（按专题；题型、难度、状态筛选；含答案，仅题库维护人员）', tags, permission, query: BankQuery,
    handler: ({ ctx, query }) => listQuestions(ctx, query),
  });
  route(app, {
    method: 'GET', url: '/api/study/questions/template', summary: '题库导入模板（Excel：题型、难度、题干、选项A–H、答案、解析）', tags, permission,
    handler: async ({ reply }) =>
      reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('题库导入模板.xlsx')).send(await bankTemplate()),
  });
  route(app, {
    method: 'GET', url: '/api/study/questions/export', summary: '导出一个专题的题库（Excel，导入模板的格式；默认在用的试题）', tags, permission,
    query: z.object({
      topicId: TopicOptional,
      status: z.enum(['active', 'retired']).default('active').describe('状态'),
      type: QuestionTypeEnum.optional().describe('题型'),
    }),
    handler: async ({ ctx, query, reply }) => {
      const topic = await topicToShow(ctx, query.topicId);
      const rows = topic ? iterateQuestions(ctx, { topicId: topic.id, status: query.status, type: query.type }) : (async function* () {})();
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachmentHeader(`题库-${topic?.title ?? '空'}.xlsx`))
        .send(xlsxStream('题库', BANK_EXPORT_COLUMNS, rows));
    },
  });
  route(app, {
    method: 'POST', url: '/api/study/questions/import',
    summary: '导入题库（multipart 字段 file：Excel 模板或 Word 试卷，按内容识别；mode=all|good_rows；dryRun=1 仅校验）', tags, permission,
    query: z.object({
      topicId: z.string().trim().min(1).max(64).describe('专题'),
      mode: z.enum(['all', 'good_rows']).default('all').describe('导入方式'),
      dryRun: z.enum(['0', '1']).default('0').describe('仅校验'),
    }),
    handler: async ({ ctx, req, query }) => {
      // At most 10 MB uploaded; questions (5,000) and inflated size are limited by the readers.
      const data = await receiveUpload(req);
      return importQuestions(ctx, data, { topicId: query.topicId, mode: query.mode, dryRun: query.dryRun === '1' });
    },
  });
  route(app, {
    method: 'GET', url: '/api/study/questions/:id', summary: '一道试题（含答案与解析）', tags, permission, params: IdParams,
    handler: ({ ctx, params }) => getQuestion(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/questions', summary: '新增试题（单选、多选、判断、填空、简答；同一专题内同题型题干不得重复）', tags, permission,
    body: QuestionInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await createQuestion(ctx, body)),
  });
  route(app, {
    method: 'PUT', url: '/api/study/questions/:id', summary: '修改试题（整题替换，所属专题不变）', tags, permission, params: IdParams, body: QuestionInput,
    handler: ({ ctx, params, body }) => updateQuestion(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/study/questions/:id/retire', summary: '停用试题（不再用于组卷，已组的试卷不受影响）', tags, permission, params: IdParams,
    handler: ({ ctx, params }) => retireQuestion(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/study/questions/:id/restore', summary: '恢复停用的试题', tags, permission, params: IdParams,
    handler: ({ ctx, params }) => restoreQuestion(ctx, params.id),
  });
}
