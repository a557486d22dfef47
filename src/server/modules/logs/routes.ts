import type { FastifyInstance } from 'fastify';
import { route } from '../../platform/http.js';
import { verifyAuditChain } from '../../platform/audit.js';
import { attachmentHeader, xlsxStream, XLSX_MIME } from '../../platform/excel.js';
import { formatShanghai } from '../../platform/time.js';
import {
  AuditLogFilter, AuditLogQuery, LoginLogFilter, LoginLogQuery, LOGIN_FAILURE_REASONS, auditActionLabel, auditEntityLabel,
} from '../../../shared/schemas/logs.js';
import { iterateAuditLogs, iterateLoginLogs, listAuditLogs, listLoginLogs, timeBounds } from './queries.js';

// Read-only by design: the logs are kept, not edited. There is deliberately no update or delete
// route (retention is not something the app may shorten), and reading them is not itself audited.

/** Excel refuses cells longer than this. */
const CELL_MAX = 32_767;
const jsonCell = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v).slice(0, CELL_MAX));

export function logRoutes(app: FastifyInstance) {
  const tags = ['日志审计'];

  route(app, {
    method: 'GET', url: '/api/audit-logs', summary: '审计日志（新的在前）', tags, permission: 'audit:read', query: AuditLogQuery,
    handler: ({ ctx, actor, query }) => listAuditLogs(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/audit-logs/verify', summary: '校验审计日志链（SM3 摘要链）', tags, permission: 'audit:read',
    handler: ({ ctx }) => verifyAuditChain(ctx.db),
  });
  route(app, {
    method: 'GET', url: '/api/audit-logs/export', summary: '导出审计日志（Excel）', tags, permission: 'audit:read',
    query: AuditLogFilter,
    handler: ({ ctx, actor, query, reply }) => {
      timeBounds(query.from, query.to); // a bad range answers 400 before the file starts streaming
      const stream = xlsxStream(
        '审计日志',
        [
          { header: '序号', value: (r) => r.seq, width: 10 },
          { header: '时间', value: (r) => formatShanghai(r.at), width: 20 },
          { header: '操作人', value: (r) => r.actorName, width: 22 },
          { header: 'IP', value: (r) => r.ip },
          { header: '操作', value: (r) => auditActionLabel(r.action) },
          { header: '对象类型', value: (r) => auditEntityLabel(r.entityType) },
          { header: '对象编号', value: (r) => r.entityId, width: 38 },
          { header: '操作前', value: (r) => jsonCell(r.before), width: 40 },
          { header: '操作后', value: (r) => jsonCell(r.after), width: 40 },
          { header: '摘要', value: (r) => r.hash, width: 66 },
        ],
        iterateAuditLogs(ctx, actor, query),
      );
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('审计日志.xlsx')).send(stream);
    },
  });

  route(app, {
    method: 'GET', url: '/api/login-logs', summary: '登录日志（新的在前）', tags, permission: 'loginlog:read', query: LoginLogQuery,
    handler: ({ ctx, actor, query }) => listLoginLogs(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/login-logs/export', summary: '导出登录日志（Excel）', tags, permission: 'loginlog:read',
    query: LoginLogFilter,
    handler: ({ ctx, actor, query, reply }) => {
      timeBounds(query.from, query.to);
      const stream = xlsxStream(
        '登录日志',
        [
          { header: '时间', value: (r) => formatShanghai(r.at), width: 20 },
          { header: '用户名', value: (r) => r.username },
          { header: '结果', value: (r) => (r.success ? '成功' : '失败'), width: 8 },
          { header: '原因', value: (r) => (r.reason ? (LOGIN_FAILURE_REASONS[r.reason] ?? r.reason) : '') },
          { header: 'IP', value: (r) => r.ip },
          { header: '客户端', value: (r) => r.userAgent, width: 40 },
        ],
        iterateLoginLogs(ctx, actor, query),
      );
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachmentHeader('登录日志.xlsx')).send(stream);
    },
  });
}
