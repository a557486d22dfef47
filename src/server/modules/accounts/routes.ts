import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { RoleInput, RolePatch, SessionsQuery, UserInput, UserPatch, UsersQuery } from '../../../shared/schemas/accounts.js';
import { isPendingApproval } from '../../../shared/schemas/approvals.js';
import * as cmd from './commands.js';
import { getUser, listPermissions, listRoles, listSessions, listUsers } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

// A privileged change answers 202 {approvalId, status:'pending', message}: nothing was written yet.
const PRIVILEGED = '；涉及特权角色时改为提交审批，返回 202';

export function accountRoutes(app: FastifyInstance) {
  const tags = ['账号与权限'];

  route(app, {
    method: 'GET', url: '/api/users', summary: '账号列表（按数据范围过滤）', tags, permission: 'users:read', query: UsersQuery,
    handler: ({ ctx, actor, query }) => listUsers(ctx, actor, query),
  });
  route(app, {
    method: 'GET', url: '/api/users/:id', summary: '账号详情', tags, permission: 'users:read', params: IdParams,
    handler: ({ ctx, actor, params }) => getUser(ctx, actor, params.id),
  });
  route(app, {
    method: 'POST', url: '/api/users', summary: `新增账号（返回一次性初始密码，首次登录须修改${PRIVILEGED}）`, tags,
    permission: 'users:write', body: UserInput,
    handler: async ({ ctx, body, reply }) => {
      const out = await cmd.createUser(ctx, body);
      if (isPendingApproval(out)) return reply.status(202).send(out);
      return reply.status(201).header('cache-control', 'no-store').send(out);
    },
  });
  route(app, {
    method: 'PATCH', url: '/api/users/:id', summary: `修改账号（姓名、单位、角色、启用/停用${PRIVILEGED}）`, tags,
    permission: 'users:write', params: IdParams, body: UserPatch,
    handler: async ({ ctx, params, body, reply }) => {
      const out = await cmd.updateUser(ctx, params.id, body);
      return reply.status(isPendingApproval(out) ? 202 : 200).send(out);
    },
  });
  route(app, {
    method: 'POST', url: '/api/users/:id/reset-password',
    summary: `重置密码（一次性密码，下次登录须修改；该账号全部会话下线${PRIVILEGED}）`, tags, permission: 'users:write',
    params: IdParams,
    handler: async ({ ctx, params, reply }) => {
      const out = await cmd.resetPassword(ctx, params.id);
      if (isPendingApproval(out)) return reply.status(202).send(out);
      // A password must not linger in any cache between here and the browser.
      return reply.header('cache-control', 'no-store').send(out);
    },
  });

  // Unit admins read roles and permissions too: they need them to assign roles.
  route(app, {
    method: 'GET', url: '/api/roles', summary: '角色列表', tags, permission: ['roles:read', 'users:write'],
    handler: ({ ctx }) => listRoles(ctx),
  });
  route(app, {
    method: 'GET', url: '/api/permissions', summary: '权限与数据范围清单', tags, permission: ['roles:read', 'users:write'],
    handler: () => listPermissions(),
  });
  route(app, {
    method: 'POST', url: '/api/roles', summary: '新增自定义角色', tags, permission: 'roles:write', body: RoleInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createRole(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/roles/:id',
    summary: `修改自定义角色（内置角色只读；为已有账号持有的角色增加受保护权限或扩大数据范围时改为提交审批，返回 202）`, tags,
    permission: 'roles:write', params: IdParams, body: RolePatch,
    handler: async ({ ctx, params, body, reply }) => {
      const out = await cmd.updateRole(ctx, params.id, body);
      return reply.status(isPendingApproval(out) ? 202 : 200).send(out);
    },
  });
  route(app, {
    method: 'DELETE', url: '/api/roles/:id', summary: '删除自定义角色（须无账号使用）', tags, permission: 'roles:write',
    params: IdParams,
    handler: ({ ctx, params }) => cmd.deleteRole(ctx, params.id),
  });

  route(app, {
    method: 'GET', url: '/api/sessions', summary: '在线会话', tags, permission: 'sessions:read', query: SessionsQuery,
    handler: ({ ctx, actor, query }) => listSessions(ctx, actor, query),
  });
  route(app, {
    method: 'DELETE', url: '/api/sessions/:id', summary: '强制下线', tags, permission: 'sessions:revoke', params: IdParams,
    handler: ({ ctx, params }) => cmd.revokeSession(ctx, params.id),
  });
}
