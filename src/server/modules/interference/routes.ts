import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { registerFilePolicy } from '../files/policy.js';
import {
  InterferenceCoverageQuery, InterferenceInput, InterferenceQuery, InterferenceRemindInput, InterferenceStatsQuery, MyInterferenceQuery, ZeroReportInput,
} from '../../../shared/schemas/interference.js';
import { policyRoutes } from '../policies/routes.js';
import * as cmd from './commands.js';
import { coverage, getRecord, listMissing, listRecords, mine, myRecords, recordReadable, stats } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// “三个规定”记录报告与零报告；制度文件 (policies/routes.ts, registered from here).
export function interferenceRoutes(app: FastifyInstance) {
  const tags = ['“三个规定”记录报告（受限）'];
  // A record's files open for whoever may open the record (its recorder; a reader it does not name),
  // and every such read is audited.
  registerFilePolicy('interference_record', (ctx, ownerId) => recordReadable(ctx, ownerId), { auditReads: true });
  route(app, {
    method: 'GET', url: '/api/interference/mine', summary: '本人的记录报告情况：本季度及此前三个季度是否已记录或零报告，历次零报告', tags,
    permission: 'interference:record',
    handler: ({ ctx }) => mine(ctx),
  });
  route(app, {
    method: 'GET', url: '/api/interference/mine/records', summary: '本人记录的过问干预情况（含内容）', tags,
    permission: 'interference:record', query: MyInterferenceQuery,
    handler: ({ ctx, query }) => myRecords(ctx, query),
  });
  route(app, {
    method: 'POST', url: '/api/interference/records', summary: '记录报告本人遇到的过问干预案件情况（内容加密保存）', tags,
    permission: 'interference:record', body: InterferenceInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createRecord(ctx, body)),
  });
  route(app, {
    method: 'POST', url: '/api/interference/zero-reports', summary: '零报告：签字声明本季度无过问干预案件情况需记录报告（已有记录的季度不能零报告）', tags,
    permission: 'interference:record', body: ZeroReportInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.fileZeroReport(ctx, body)),
  });
  route(app, {
    method: 'GET', url: '/api/interference/records', summary: '过问干预记录列表（受限；不含内容；涉及本人的不显示；查阅记审计）', tags,
    permission: 'interference:read', query: InterferenceQuery,
    handler: ({ ctx, actor, query }) => listRecords(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/interference/records/:id', summary: '一条记录（本人的；或受限查阅，每次记审计，涉及本人的不可见）', tags,
    permission: ['interference:record', 'interference:read'], params: IdParams,
    handler: ({ ctx, actor, params }) => getRecord(ctx, actor, params.id),
  });
  route(app, {
    method: 'GET', url: '/api/interference/coverage', summary: '一个季度的报告情况：数据范围内在职干警中已记录、已零报告、未报告人数（按单位；不含内容）', tags,
    permission: 'interference:coverage', query: InterferenceCoverageQuery,
    handler: ({ ctx, actor, query }) => coverage(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/interference/missing', summary: '本季度既未记录也未零报告的干警名单', tags,
    permission: 'interference:coverage', query: InterferenceCoverageQuery,
    handler: ({ ctx, actor, query }) => listMissing(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/interference/remind', summary: '催报：通知数据范围内（或某单位）本季度既未记录也未零报告的干警', tags,
    permission: 'interference:coverage', body: InterferenceRemindInput,
    handler: ({ ctx, body }) => cmd.remindUnreported(ctx, body),
  });
  route(app, {
    method: 'GET', url: '/api/interference/stats', summary: '一年的数量统计：按情形、方式、季度（仅数量）', tags,
    permission: 'interference:coverage', query: InterferenceStatsQuery,
    handler: ({ ctx, actor, query }) => stats(ctx, actor, query),
  });
  policyRoutes(app);
}
