import { z } from 'zod';
import { ALL_PERMISSIONS, DATA_SCOPES, type DataScope, type Permission } from '../permissions.js';

// Accounts, roles and online sessions: payloads shared by the server and the staff app.

export const USER_STATUS = { active: '启用', disabled: '停用' } as const;
export type UserStatus = keyof typeof USER_STATUS;

const id = z.string().min(1).max(64);
const page = {
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
};

export const USERNAME_RULE = /^[A-Za-z0-9_.-]+$/;

export const UserInput = z.object({
  username: z
    .string()
    .trim()
    .min(3)
    .max(32)
    .regex(USERNAME_RULE, '只能包含字母、数字、下划线、点和连字符')
    .describe('用户名'),
  displayName: z.string().trim().min(1).max(50).describe('姓名'),
  orgUnitId: id.describe('所在单位'),
  personId: id.nullish().describe('关联干警'),
  roleCodes: z.array(z.string().min(1).max(32).describe('角色')).min(1).max(20).describe('角色'),
});
export type UserInput = z.infer<typeof UserInput>;

export const UserPatch = z.object({
  displayName: z.string().trim().min(1).max(50).optional().describe('姓名'),
  orgUnitId: id.optional().describe('所在单位'),
  roleCodes: z.array(z.string().min(1).max(32).describe('角色')).min(1).max(20).optional().describe('角色'),
  status: z.enum(['active', 'disabled']).optional().describe('状态'),
});
export type UserPatch = z.infer<typeof UserPatch>;

export const UsersQuery = z.object({
  ...page,
  q: z.string().trim().max(50).optional().describe('关键字'),
  orgUnitId: id.optional().describe('单位'),
  status: z.enum(['active', 'disabled']).optional().describe('状态'),
  roleCode: z.string().max(32).optional().describe('角色'),
});
export type UsersQuery = z.infer<typeof UsersQuery>;

const ROLE_CODE_RULE = /^[a-z][a-z0-9_]{1,31}$/;

export const RoleInput = z.object({
  code: z
    .string()
    .trim()
    .regex(ROLE_CODE_RULE, '须以小写字母开头，仅含小写字母、数字和下划线，2–32 位')
    .describe('角色编码'),
  name: z.string().trim().min(1).max(50).describe('角色名称'),
  description: z.string().trim().max(200).nullish().describe('说明'),
  permissions: z
    .array(z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]]).describe('权限'))
    .max(200)
    .describe('权限'),
  dataScope: z.enum(Object.keys(DATA_SCOPES) as [DataScope, ...DataScope[]]).describe('数据范围'),
  customUnitIds: z.array(id.describe('自定义单位')).max(500).default([]).describe('自定义单位'),
});
export type RoleInput = z.infer<typeof RoleInput>;

export const RolePatch = z.object({
  name: RoleInput.shape.name.optional(),
  description: RoleInput.shape.description,
  permissions: RoleInput.shape.permissions.optional(),
  dataScope: RoleInput.shape.dataScope.optional(),
  customUnitIds: z.array(id.describe('自定义单位')).max(500).optional().describe('自定义单位'),
});
export type RolePatch = z.infer<typeof RolePatch>;

export const SessionsQuery = z.object({ ...page });
export type SessionsQuery = z.infer<typeof SessionsQuery>;
