import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { formatShanghai } from '../../platform/time.js';
import {
  CertItemInput, CertItemPatch, CommitmentExportQuery, CommitmentInput, CommitmentQuery, CommitmentStatsQuery, DishonestyQuery, LiftInput,
  VerificationInput,
} from '../../../shared/schemas/commitments.js';
import * as cmd from './commands.js';
import { commitmentStats, getCommitment, iterateCommitments, listCommitments, listDishonesty, listItems } from './queries.js';
import { caseRoutes } from '../cases/routes.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// 证明事项告知承诺制；行政复议与企业矛盾纠纷调解案件 (the cases' routes are registered from here).
export function commitmentRoutes(app: FastifyInstance) {
  const tags = ['证明事项告知承诺制'];
  route(app, {
    method: 'GET', url: '/api/commitments/items', summary: '证明事项目录（适用告知承诺的事项、抽查比例、核查时限、失信限制期）', tags,
    permission: 'commitments:read', handler: ({ ctx }) => listItems(ctx),
  });
  route(app, {
    method: 'POST', url: '/api/commitments/items', summary: '新增证明事项', tags, permission: 'commitments:write', body: CertItemInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createItem(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/commitments/items/:id', summary: '修改证明事项（抽查比例等）', tags, permission: 'commitments:write',
    params: IdParams, body: CertItemPatch, handler: ({ ctx, params, body }) => cmd.updateItem(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/commitments', summary: '告知承诺记录（最近在前；queue=1 为待核查队列，到期早的在前）', tags,
    permission: 'commitments:read', query: CommitmentQuery, handler: ({ ctx, actor, query }) => listCommitments(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/commitments/export', summary: '导出告知承诺记录（Excel，证件号码脱敏）', tags, permission: 'commitments:read',
    query: CommitmentExportQuery,
    handler: async ({ ctx, actor, query, reply }) => {
      const stream = xlsxStream(
        '告知承诺记录',
        [
          { header: '承诺日期', value: (r) => r.handledOn, width: 12 },
          { header: '证明事项', value: (r) => r.itemName, width: 28 },
          { header: '办理业务', value: (r) => r.departmentLabel, width: 12 },
          { header: '申请人', value: (r) => r.applicantName, width: 20 },
          { header: '申请人类型', value: (r) => r.applicantKindLabel, width: 14 },
          { header: '证件号码', value: (r) => r.applicantIdNo, width: 22 },
          { header: '办理事项', value: (r) => r.businessRef, width: 28 },
          { header: '受理单位', value: (r) => r.orgUnitName, width: 22 },
          { header: '抽查比例', value: (r) => `${r.samplingRate}%`, width: 10 },
          { header: '抽签值', value: (r) => r.drawValue, width: 10 },
          { header: '是否抽中', value: (r) => (r.drawn ? '是' : '否'), width: 10 },
          { header: '核查状态', value: (r) => r.verifyStatusLabel, width: 10 },
          { header: '核查期限', value: (r) => r.verifyDue, width: 12 },
          { header: '核查日期', value: (r) => r.verifiedOn, width: 12 },
          { header: '核查方式', value: (r) => r.verifyMethodLabel, width: 14 },
          { header: '签署时间', value: (r) => formatShanghai(r.signedAt), width: 20 },
          { header: '承诺书摘要（SM3）', value: (r) => r.digest, width: 40 },
        ],
        iterateCommitments(ctx, actor, query),
      );
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('告知承诺记录.xlsx')).send(stream);
    },
  });
  route(app, {
    method: 'GET', url: '/api/commitments/stats', summary: '告知承诺统计（按证明事项：承诺、抽中、已核查、虚假、失信人数）', tags,
    permission: 'commitments:read', query: CommitmentStatsQuery, handler: ({ ctx, actor, query }) => commitmentStats(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/commitments/dishonesty', summary: '失信名单（默认仅限制期内）', tags, permission: 'commitments:read',
    query: DishonestyQuery, handler: ({ ctx, actor, query }) => listDishonesty(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/commitments/dishonesty/:id/lift', summary: '提前移出失信名单（须写明理由）', tags, permission: 'commitments:write',
    params: IdParams, body: LiftInput, handler: ({ ctx, params, body }) => cmd.liftListing(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/commitments/:id', summary: '一件告知承诺（含所签承诺书文本）', tags, permission: 'commitments:read',
    params: IdParams, handler: ({ ctx, actor, params }) => getCommitment(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/commitments', summary: '登记告知承诺（当即按事项抽查比例随机抽签；失信名单内的申请人不适用）', tags,
    permission: 'commitments:write', body: CommitmentInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createCommitment(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/commitments/:id/verification', summary: '登记核查结果（虚假承诺列入失信名单）', tags,
    permission: 'commitments:write', params: IdParams, body: VerificationInput,
    handler: ({ ctx, params, body }) => cmd.recordVerification(ctx, params.id, body),
  });
  caseRoutes(app);
}
