import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { badRequest } from '../../platform/errors.js';
import { attachmentHeader, XLSX_MIME } from '../../platform/excel.js';
import { bufferPart, importTooLarge } from '../../platform/import-upload.js';
import { IMPORT_MAX_BYTES } from '../../platform/sheet-reader.js';
import {
  DATASETS, DATASET_KINDS, HitConfirmInput, HitDismissInput, HitKnownInput, HitQuery, RuleCreateInput, RulePatchInput, RunInput, SnapshotQuery,
  type DatasetKind,
} from '../../../shared/schemas/screening.js';
import * as cmd from './commands.js';
import { CSV_MAX_BYTES, datasetTemplate, importDataset, type Upload } from './datasets.js';
import { getHit, listDatasets, listHits, listRules, listRuns, listSnapshots, ruleVersions } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });
const CodeParams = z.object({ code: z.string().min(1).max(64).describe('规则编码') });
const KindParams = z.object({ kind: z.enum(DATASET_KINDS as [DatasetKind, ...DatasetKind[]]).describe('名册') });
const PageOnly = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
});

/** The upload: an .xlsx (read whole, at most 10 MB, then parsed in the sheet worker) or a .csv (streamed as it arrives). */
async function receiveUpload(req: FastifyRequest): Promise<{ upload: Upload; fileName: string }> {
  if (!req.isMultipart()) throw badRequest('文件：请以 multipart/form-data 上传 Excel 或 CSV 文件', 'file');
  const part = await req.file({ limits: { fileSize: CSV_MAX_BYTES } });
  if (!part) throw badRequest('文件：不能为空', 'file');
  if (/\.csv$/i.test(part.filename)) {
    part.file.on('limit', () => part.file.destroy(importTooLarge(CSV_MAX_BYTES)));
    return { upload: { kind: 'csv', stream: part.file }, fileName: part.filename };
  }
  if (!/\.xlsx$/i.test(part.filename)) {
    part.file.resume();
    throw badRequest('文件：只接受 .xlsx 或 .csv 格式', 'file');
  }
  return { upload: { kind: 'xlsx', data: await bufferPart(part, IMPORT_MAX_BYTES) }, fileName: part.filename };
}

export function screeningRoutes(app: FastifyInstance) {
  const tags = ['智能化数据排查（受限）'];
  route(app, {
    method: 'GET', url: '/api/screening/datasets', summary: '名册（在职人员、近亲属、企业登记、离任法官检察官、律师执业、律师代理案件）及其当前快照', tags,
    permission: 'screening:read', handler: ({ ctx }) => listDatasets(ctx),
  });
  route(app, {
    method: 'GET', url: '/api/screening/datasets/:kind/template', summary: '名册导入模板（Excel）', tags, permission: 'screening:read', params: KindParams,
    handler: async ({ params, reply }) =>
      reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader(`${DATASETS[params.kind].label}导入模板.xlsx`)).send(await datasetTemplate(params.kind)),
  });
  route(app, {
    method: 'POST', url: '/api/screening/datasets/:kind/import',
    summary: '导入名册为新快照（multipart 字段 file：.xlsx 最多 10 万行，或 .csv 流式导入；mode=all|good_rows；dryRun=1 仅校验）', tags,
    permission: 'screening:import', params: KindParams,
    query: z.object({
      mode: z.enum(['all', 'good_rows']).default('all').describe('导入方式'),
      dryRun: z.enum(['0', '1']).default('0').describe('仅校验'),
    }),
    handler: async ({ ctx, req, params, query }) => {
      const { upload, fileName } = await receiveUpload(req);
      return importDataset(ctx, params.kind, upload, fileName, query.mode, query.dryRun === '1');
    },
  });
  route(app, {
    method: 'GET', url: '/api/screening/snapshots', summary: '名册导入记录（快照）', tags, permission: 'screening:read', query: SnapshotQuery,
    handler: ({ ctx, query }) => listSnapshots(ctx, query),
  });
  route(app, {
    method: 'GET', url: '/api/screening/rules', summary: '排查规则（说明、参数、版本）', tags, permission: 'screening:read',
    handler: ({ ctx }) => listRules(ctx),
  });
  route(app, {
    method: 'POST', url: '/api/screening/rules', summary: '新增排查规则（选择规则类型并设置参数）', tags, permission: 'screening:rules', body: RuleCreateInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createRule(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/screening/rules/:code', summary: '修改排查规则（名称、说明、参数修改后生成新版本；启用或停用）', tags,
    permission: 'screening:rules', params: CodeParams, body: RulePatchInput,
    handler: ({ ctx, params, body }) => cmd.patchRule(ctx, params.code, body),
  });
  route(app, {
    method: 'GET', url: '/api/screening/rules/:code/versions', summary: '排查规则的版本记录', tags, permission: 'screening:read', params: CodeParams,
    handler: ({ ctx, params }) => ruleVersions(ctx, params.code),
  });
  route(app, {
    method: 'POST', url: '/api/screening/runs', summary: '运行数据排查（启用的规则，或指定的规则），报告新增、未变、已消失的命中', tags,
    permission: 'screening:run', body: RunInput,
    handler: ({ ctx, body }) => cmd.runScreening(ctx, body.rules),
  });
  route(app, {
    method: 'GET', url: '/api/screening/runs', summary: '排查记录', tags, permission: 'screening:read', query: PageOnly,
    handler: ({ ctx, query }) => listRuns(ctx, query),
  });
  route(app, {
    method: 'GET', url: '/api/screening/hits', summary: '排查命中（审核队列；涉及本人的不显示；查阅记审计）', tags, permission: 'screening:read', query: HitQuery,
    handler: ({ ctx, actor, query }) => listHits(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/screening/hits/:id', summary: '一条命中：规则说明、判断依据与证据行（查阅记审计）', tags, permission: 'screening:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getHit(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/screening/hits/:id/confirm', summary: '转为问题线索（来源：智能化数据排查，附判断依据与证据）', tags,
    permission: 'screening:review', params: IdParams, body: HitConfirmInput,
    handler: ({ ctx, params, body }) => cmd.confirmHit(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/screening/hits/:id/dismiss', summary: '排除命中（须写明理由）', tags, permission: 'screening:review', params: IdParams, body: HitDismissInput,
    handler: ({ ctx, params, body }) => cmd.dismissHit(ctx, params.id, body.reason),
  });
  route(app, {
    method: 'POST', url: '/api/screening/hits/:id/known', summary: '标记为已掌握', tags, permission: 'screening:review', params: IdParams, body: HitKnownInput,
    handler: ({ ctx, params, body }) => cmd.markHitKnown(ctx, params.id, body.note),
  });
}
