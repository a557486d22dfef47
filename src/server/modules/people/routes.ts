import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { auditRead, can } from '../../platform/context.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { receiveXlsxUpload } from '../../platform/import-upload.js';
import { formatShanghai } from '../../platform/time.js';
import { PeopleQuery, PersonInput, PersonPatch, PERSON_STATUS, GENDERS } from '../../../shared/schemas/people.js';
import * as cmd from './commands.js';
import { getPerson, iteratePeople, listPeople } from './queries.js';
import { importPeople, importTemplate } from './import.js';
import { enabledCodes } from '../dict/queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// Answers, for the OpenAPI description (the shape; presentPerson in queries.ts is the source).
const Person = z.looseObject({
  id: z.string(),
  name: z.string(),
  gender: z.string().nullable().describe('M / F'),
  birthDate: z.string().nullable().describe('出生年月 YYYY-MM（reveal=1 时为完整日期）'),
  orgUnitId: z.string(),
  orgUnitName: z.string().nullable(),
  post: z.string().nullable().describe('职务（字典编码）'),
  partyOrgId: z.string().nullable(),
  partyOrgName: z.string().nullable(),
  policeNo: z.string().nullable(),
  phone: z.string().nullable().describe('手机号，掩码 139****5678'),
  idNumber: z.string().nullable().describe('身份证号，掩码 15***************X'),
  status: z.string(),
  updatedAt: z.string(),
});
const PersonDetail = Person.extend({
  account: z.object({ id: z.string(), username: z.string() }).nullable().describe('已开通的账号'),
  revealed: z.boolean().describe('为 true 时 phone、idNumber、birthDate 为明文（已记审计）'),
});
const PeoplePage = z.looseObject({ items: z.array(Person), total: z.number().int().describe('符合条件的人数') });
const Created = z.object({ id: z.string() });
const ImportReport = z.looseObject({
  totalRows: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int().optional(),
  dryRun: z.boolean().optional(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })).describe('逐行的问题：Excel 行号、列名、中文说明'),
});

export function peopleRoutes(app: FastifyInstance) {
  const tags = ['干警'];
  route(app, {
    method: 'GET', url: '/api/people', summary: '干警列表（按数据范围过滤）', tags, permission: 'people:read', query: PeopleQuery,
    response: { 200: PeoplePage },
    handler: ({ ctx, actor, query }) => listPeople(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/people/import-template', summary: '干警导入模板', tags, permission: 'people:import',
    handler: async ({ reply }) =>
      reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('干警导入模板.xlsx')).send(await importTemplate()),
  });
  route(app, {
    method: 'GET', url: '/api/people/export', summary: '导出干警（Excel）', tags, permission: 'people:export',
    query: PeopleQuery.omit({ page: true, pageSize: true }).extend({ sensitive: z.enum(['0', '1']).default('0').describe('导出明文') }),
    handler: async ({ ctx, actor, query, reply }) => {
      const plain = query.sensitive === '1';
      if (plain && !can(actor, 'people:sensitive')) throw forbidden('无权导出身份证号、手机号明文');
      if (plain) await auditRead(ctx, 'person', null, { export: true, filters: query });
      const open = (v: string | null) => (v ? ctx.cipher.open(v) : '');
      // The sheet shows the post's label (科员), as people type it in the import template, not its code.
      const postLabel = new Map((await enabledCodes(ctx.db, 'post')).map((p) => [p.code, p.label]));
      const stream = xlsxStream(
        '干警',
        [
          { header: '姓名', value: (r) => r.name },
          { header: '性别', value: (r) => (r.gender ? GENDERS[r.gender as 'M' | 'F'] : '') },
          // The full date is part of the ID number: only in the plain (audited) export.
          { header: plain ? '出生日期' : '出生年月', value: (r) => (plain ? r.birth_date : r.birth_date?.slice(0, 7)) },
          { header: '所在单位', value: (r) => r.org_unit_name, width: 28 },
          { header: '职务', value: (r) => (r.post ? (postLabel.get(r.post) ?? r.post) : '') },
          { header: '党组织', value: (r) => r.party_org_name, width: 28 },
          { header: '警号', value: (r) => r.police_no },
          { header: '手机号', value: (r) => (plain ? open(r.phone_enc) : r.phone_masked) },
          { header: '身份证号', value: (r) => (plain ? open(r.id_no_enc) : r.id_no_masked), width: 22 },
          { header: '状态', value: (r) => PERSON_STATUS[r.status as keyof typeof PERSON_STATUS] },
          { header: '更新时间', value: (r) => formatShanghai(r.updated_at), width: 20 },
        ],
        iteratePeople(ctx, actor, query),
      );
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('干警名册.xlsx')).send(stream);
    },
  });
  route(app, {
    method: 'GET', url: '/api/people/:id', summary: '干警详情（reveal=1 查看明文，须权限并记审计）', tags, permission: 'people:read',
    response: { 200: PersonDetail },
    params: IdParams, query: z.object({ reveal: z.enum(['0', '1']).default('0').describe('显示明文') }),
    handler: ({ ctx, actor, params, query }) => getPerson(ctx, actor, params.id, query.reveal === '1'),
  });
  route(app, {
    method: 'POST', url: '/api/people', summary: '新增干警', tags, permission: 'people:write', body: PersonInput,
    response: { 201: Created },
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createPerson(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/people/:id', summary: '修改干警信息', tags, permission: 'people:write', params: IdParams, body: PersonPatch,
    response: { 200: Created },
    handler: ({ ctx, params, body }) => cmd.updatePerson(ctx, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/people/:id', summary: '删除干警（未开通账号者）', tags, permission: 'people:write', params: IdParams,
    response: { 200: Created },
    handler: ({ ctx, params }) => cmd.deletePerson(ctx, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/people/import', summary: '导入干警（Excel，multipart 字段 file；mode=all|good_rows；dryRun=1 仅校验）', tags,
    permission: 'people:import',
    response: { 200: ImportReport },
    query: z.object({
      mode: z.enum(['all', 'good_rows']).default('all').describe('导入方式'),
      dryRun: z.enum(['0', '1']).default('0').describe('仅校验'),
    }),
    handler: async ({ ctx, req, query }) => {
      // At most 10 MB uploaded; rows and inflated size are limited by the sheet reader.
      const data = await receiveXlsxUpload(req);
      return importPeople(ctx, data, query.mode, query.dryRun === '1');
    },
  });
}
