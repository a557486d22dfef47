import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { registerFilePolicy } from '../files/policy.js';
import {
  EnterpriseInput, EnterprisePatch, EnterpriseQuery, MeasureInput, MeasurePatch, MeasureProgressInput, MeasureQuery, MilestoneInput, MilestonePatch, RISK_LEVELS,
  ServiceRecordInput, ServiceRecordPatch, ServiceRecordQuery, WorkstationInput, WorkstationPatch, WorkstationQuery,
} from '../../../shared/schemas/service.js';
import * as cmd from './commands.js';
import * as q from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// 为民服务：便民利民措施、法律服务工作站、企业服务与法治体检.
export function serviceRoutes(app: FastifyInstance) {
  registerFilePolicy('service_milestone', (ctx, ownerId) => q.measureReadable(ctx, 'service_milestone', ownerId));
  registerFilePolicy('service_progress', (ctx, ownerId) => q.measureReadable(ctx, 'service_progress', ownerId));
  registerFilePolicy('enterprise_service', (ctx, ownerId) => q.recordReadable(ctx, ownerId));

  const tags = ['为民服务'];
  // ---- measures
  route(app, {
    method: 'GET', url: '/api/service/measures', summary: '便民利民措施（按类别、序号；可按类别、责任单位、状态筛选）', tags, permission: 'service:read', query: MeasureQuery,
    handler: ({ ctx, actor, query }) => q.listMeasures(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/service/measures/:id', summary: '一项措施（工作节点、进展记录、佐证材料）', tags, permission: 'service:read', params: IdParams,
    handler: ({ ctx, actor, params }) => q.getMeasure(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/service/measures', summary: '新增措施（类别、序号、责任单位、责任人、起止日期、工作节点、是否公开）', tags, permission: 'service:write', body: MeasureInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createMeasure(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/service/measures/:id', summary: '修改措施', tags, permission: 'service:write', params: IdParams, body: MeasurePatch,
    handler: ({ ctx, params, body }) => cmd.updateMeasure(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/service/measures/:id/milestones', summary: '为措施增加工作节点', tags, permission: 'service:write', params: IdParams, body: MilestoneInput,
    handler: async ({ ctx, params, body, reply }) => reply.status(201).send(await cmd.addMilestone(ctx, params.id, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/service/milestones/:id', summary: '工作节点完成（完成日期、佐证材料）或修改', tags, permission: 'service:write', params: IdParams, body: MilestonePatch,
    handler: ({ ctx, params, body }) => cmd.updateMilestone(ctx, params.id, body),
  });
  route(app, {
    method: 'POST', url: '/api/service/measures/:id/progress', summary: '报送措施进展（日期、进度、情况、佐证材料），记入进展历史', tags, permission: 'service:write',
    params: IdParams, body: MeasureProgressInput,
    handler: async ({ ctx, params, body, reply }) => reply.status(201).send(await cmd.reportMeasureProgress(ctx, params.id, body)),
  });

  // ---- workstations and the entities they served
  route(app, {
    method: 'GET', url: '/api/service/workstations', summary: '小微企业法律服务工作站（含服务市场主体数）', tags, permission: 'service:read', query: WorkstationQuery,
    handler: ({ ctx, actor, query }) => q.listWorkstations(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/service/workstations', summary: '新增法律服务工作站', tags, permission: 'service:write', body: WorkstationInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createWorkstation(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/service/workstations/:id', summary: '修改法律服务工作站', tags, permission: 'service:write', params: IdParams, body: WorkstationPatch,
    handler: ({ ctx, params, body }) => cmd.updateWorkstation(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/service/served', summary: '服务市场主体数（去重），按工作站、按旗县区', tags, permission: 'service:read',
    handler: ({ ctx, actor }) => q.servedStats(ctx, actor),
  });

  // ---- enterprises and service records
  route(app, {
    method: 'GET', url: '/api/service/enterprises', summary: '市场主体（按统一社会信用代码；可按代码或名称查找）', tags, permission: 'service:read', query: EnterpriseQuery,
    handler: ({ ctx, actor, query }) => q.listEnterprises(ctx, actor, query),
  });
  route(app, {
    method: 'POST', url: '/api/service/enterprises', summary: '登记市场主体（统一社会信用代码校验码不符时照常登记并提示核对）', tags, permission: 'service:write', body: EnterpriseInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createEnterprise(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/service/enterprises/:id', summary: '更正市场主体（代码、名称、类型、所在旗县区、行业、法定代表人；代码不得与已登记企业重复）', tags,
    permission: 'service:write', params: IdParams, body: EnterprisePatch,
    handler: ({ ctx, params, body }) => cmd.updateEnterprise(ctx, params.id, body),
  });
  route(app, {
    method: 'GET', url: '/api/service/records', summary: '企业法律服务记录与法治体检（按日期倒序；可按工作站、旗县区、类型、日期筛选）', tags, permission: 'service:read',
    query: ServiceRecordQuery,
    handler: ({ ctx, actor, query }) => q.listRecords(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/service/records/export', summary: '导出企业法律服务记录（Excel）', tags, permission: 'service:read',
    query: ServiceRecordQuery.omit({ page: true, pageSize: true }),
    handler: async ({ ctx, actor, query, reply }) => {
      const stream = xlsxStream(
        '企业法律服务记录',
        [
          { header: '服务日期', value: (r) => r.servedOn, width: 12 },
          { header: '服务类型', value: (r) => r.kindLabel, width: 10 },
          { header: '企业名称', value: (r) => r.enterpriseName, width: 30 },
          { header: '统一社会信用代码', value: (r) => r.enterpriseCode, width: 22 },
          { header: '所在旗县区', value: (r) => r.countyName, width: 14 },
          { header: '工作站', value: (r) => r.workstationName, width: 28 },
          { header: '服务人员', value: (r) => r.staff.map((s) => s.name).join('、'), width: 16 },
          { header: '服务内容', value: (r) => r.summary, width: 40 },
          { header: '体检发现', value: (r) => r.findings.map((f) => `【${f.area}·${RISK_LEVELS[f.risk]}风险】${f.finding}`).join('\n'), width: 48 },
          { header: '法律建议', value: (r) => r.recommendations, width: 40 },
          { header: '跟进状态', value: (r) => r.followUpLabel, width: 10 },
          { header: '跟进情况', value: (r) => r.followUp, width: 30 },
        ],
        q.iterateRecords(ctx, actor, query),
      );
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('企业法律服务记录.xlsx')).send(stream);
    },
  });
  route(app, {
    method: 'GET', url: '/api/service/records/:id', summary: '一条服务记录或法治体检（含体检报告）', tags, permission: 'service:read', params: IdParams,
    handler: ({ ctx, actor, params }) => q.getRecord(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/service/records', summary: '登记企业法律服务或法治体检（企业未登记时凭代码和名称一并登记）', tags, permission: 'service:write',
    body: ServiceRecordInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createServiceRecord(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/service/records/:id', summary: '更新服务记录（内容、体检发现、建议、跟进）', tags, permission: 'service:write', params: IdParams,
    body: ServiceRecordPatch,
    handler: ({ ctx, params, body }) => cmd.updateServiceRecord(ctx, params.id, body),
  });

  // ---- the public face
  route(app, {
    method: 'GET', url: '/api/public/service-measures', auth: 'public', summary: '群众端：公开的便民利民措施（按类别；责任单位、时限、进度、状态）', tags: ['群众端'],
    handler: ({ ctx }) => q.publicMeasures(ctx),
  });
}
