import type { Actor } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import {
  PERMISSIONS, PRIVILEGED_BUILTIN_ROLES, PROTECTED_PERMISSIONS, UNIT_ADMIN_ASSIGNABLE, isPrivilegedRole, type DataScope,
} from '../../../shared/permissions.js';

// Who may do what with accounts, roles and sessions: plain functions over plain facts, so each
// rule is tested on its own (test/server/policy.test.ts). Each answers null (allowed) or a Denial;
// commands turn a Denial into an error with enforce().

export interface Denial {
  status: 400 | 403 | 404 | 409 | 410;
  message: string;
  field?: string;
}

/** The facts about a role the rules need. */
export interface RoleFacts {
  code: string;
  name: string;
  permissions: readonly string[];
}

export type PolicyActor = Pick<Actor, 'userId' | 'permissions' | 'roles'>;

/** 等保2.0 三员分立: no account holds more than one of these. */
export const SEPARATED_DUTY_ROLES = ['sysadmin', 'secadmin', 'auditor'] as const;

/** Built-in roles only a holder of roles:write (the security admin) may hand out. */
export const PRIVILEGED_ROLES: readonly string[] = PRIVILEGED_BUILTIN_ROLES;

/**
 * Permissions that may not sit together with audit:read, nor with approvals:decide, in one role or
 * one account: who administers accounts neither audits nor approves their own duty's changes.
 */
const ACCOUNT_ADMIN_PERMISSIONS = ['users:write', 'roles:write'] as const;

const deny = (status: Denial['status'], message: string, field?: string): Denial => ({ status, message, field });

function mixesAuditAndAdmin(permissions: Iterable<string>): boolean {
  const set = new Set(permissions);
  return set.has('audit:read') && ACCOUNT_ADMIN_PERMISSIONS.some((p) => set.has(p));
}

function mixesApprovalAndAdmin(permissions: Iterable<string>): boolean {
  const set = new Set(permissions);
  return set.has('approvals:decide') && ACCOUNT_ADMIN_PERMISSIONS.some((p) => set.has(p));
}

/**
 * The separated duties an account belongs to, by its duty roles and, so custom roles cannot hide a
 * duty, by what its permissions let it do: administering accounts is the security admin's duty,
 * reading the audit log the auditor's.
 */
export function dutiesOf(roleCodes: readonly string[], permissions: Iterable<string>): string[] {
  const set = new Set(permissions);
  const duties = new Set(roleCodes.filter((c) => (SEPARATED_DUTY_ROLES as readonly string[]).includes(c)));
  if (ACCOUNT_ADMIN_PERMISSIONS.some((p) => set.has(p))) duties.add('secadmin');
  if (set.has('audit:read')) duties.add('auditor');
  return [...duties].sort();
}

/**
 * Rule 2, three separated duties: at most one of sysadmin / secadmin / auditor per account, and
 * (so custom roles cannot get round it) never audit:read together with account administration.
 */
export function separatedDutiesDenial(roles: readonly RoleFacts[]): Denial | null {
  const duties = roles.filter((r) => (SEPARATED_DUTY_ROLES as readonly string[]).includes(r.code));
  if (duties.length > 1) {
    return deny(
      400,
      `角色：${duties.map((r) => `“${r.name}”`).join('、')}不能由同一账号兼任（三员分立）`,
      'roleCodes',
    );
  }
  if (mixesAuditAndAdmin(roles.flatMap((r) => r.permissions))) {
    return deny(400, '角色：所选角色合起来既能查看审计日志又能管理账号或角色，违反三员分立', 'roleCodes');
  }
  if (mixesApprovalAndAdmin(roles.flatMap((r) => r.permissions))) {
    return deny(400, '角色：所选角色合起来既能审批特权变更又能管理账号或角色，违反三员分立', 'roleCodes');
  }
  return null;
}

/**
 * Rules 1 and 4: which roles this actor may hand out. Holders of roles:write may assign any role.
 * Everyone else never assigns a privileged built-in role nor a custom role carrying permissions
 * they lack themselves; a unit admin (no 'all' scope) assigns only UNIT_ADMIN_ASSIGNABLE.
 */
export function roleAssignmentDenial(actor: PolicyActor, roles: readonly RoleFacts[]): Denial | null {
  if (actor.permissions.has('roles:write')) return null;
  for (const r of roles) {
    if (!actor.roles.some((x) => x.dataScope === 'all') && !UNIT_ADMIN_ASSIGNABLE.includes(r.code)) {
      return deny(403, `角色：单位管理员只能分配“干警”“单位管理员”角色，不能分配“${r.name}”`, 'roleCodes');
    }
    // Privileged built-in roles, and custom roles carrying a protected permission.
    if (isPrivilegedRole(r)) {
      return deny(403, `角色：只有安全管理员可以分配“${r.name}”角色`, 'roleCodes');
    }
    // Officer and unit admin are the everyday roles any account manager hands out; anything
    // else (a custom role) must not carry a permission the actor lacks.
    if (!UNIT_ADMIN_ASSIGNABLE.includes(r.code) && r.permissions.some((p) => !actor.permissions.has(p))) {
      return deny(403, `角色：“${r.name}”含有您本人没有的权限，不能分配`, 'roleCodes');
    }
  }
  return null;
}

/**
 * Editing, disabling or resetting the password of an existing account: only when the actor could
 * have granted every role it holds. Otherwise a unit admin could reset the password of a
 * higher-privileged account placed in their unit and take it over.
 */
export function manageAccountDenial(actor: PolicyActor, targetRoles: readonly RoleFacts[]): Denial | null {
  const d = roleAssignmentDenial(actor, targetRoles);
  if (!d) return null;
  const blocking = targetRoles.find((r) => roleAssignmentDenial(actor, [r]));
  return deny(403, `无权管理该账号：其持有“${blocking?.name ?? ''}”角色`);
}

/** Rule 3: nobody changes their own roles or disables themselves. */
export function selfChangeDenial(
  actorUserId: string,
  target: { id: string; roleCodes: readonly string[] },
  change: { roleCodes?: readonly string[]; status?: string },
): Denial | null {
  if (actorUserId !== target.id) return null;
  if (change.roleCodes) {
    const now = new Set(target.roleCodes);
    const next = new Set(change.roleCodes);
    if (now.size !== next.size || [...next].some((c) => !now.has(c))) {
      return deny(400, '角色：不能修改本人的角色', 'roleCodes');
    }
  }
  if (change.status === 'disabled') return deny(400, '状态：不能停用本人账号', 'status');
  return null;
}

/** An administrator's password reset is for others; one's own password is changed with the old one. */
export function resetPasswordDenial(actorUserId: string, targetUserId: string): Denial | null {
  return actorUserId === targetUserId ? deny(400, '不能重置本人密码，请使用“修改密码”') : null;
}

/** What a role definition must satisfy (create, and the merged result of an edit). */
export function roleDefinitionDenial(def: {
  permissions: readonly string[];
  dataScope: DataScope;
  customUnitIds: readonly string[];
}): Denial | null {
  if (def.dataScope === 'custom' && def.customUnitIds.length === 0) {
    return deny(400, '自定义单位：数据范围为“自定义单位”时至少选择一个单位', 'customUnitIds');
  }
  if (mixesAuditAndAdmin(def.permissions)) {
    return deny(400, '权限：“查看审计日志”不能与“维护账号”“维护角色与权限”同在一个角色（三员分立）', 'permissions');
  }
  if (mixesApprovalAndAdmin(def.permissions)) {
    return deny(400, '权限：“审批特权变更”不能与“维护账号”“维护角色与权限”同在一个角色（三员分立）', 'permissions');
  }
  return null;
}

/**
 * A role's new permissions, seen through each account holding it (with its other roles): no
 * account may end up able both to read the audit log and to administer accounts or roles.
 */
export function holdersDutiesDenial(holders: readonly { username: string; permissions: readonly string[] }[]): Denial | null {
  const bad = holders.find((h) => mixesAuditAndAdmin(h.permissions));
  if (bad) {
    return deny(400, `权限：账号“${bad.username}”还持有其他角色，修改后将既能查看审计日志又能管理账号或角色（三员分立）`, 'permissions');
  }
  const both = holders.find((h) => mixesApprovalAndAdmin(h.permissions));
  return both
    ? deny(400, `权限：账号“${both.username}”还持有其他角色，修改后将既能审批特权变更又能管理账号或角色（三员分立）`, 'permissions')
    : null;
}

export function roleEditDenial(role: { builtin: boolean }): Denial | null {
  return role.builtin ? deny(400, '内置角色不能修改') : null;
}

export function roleDeleteDenial(role: { builtin: boolean }, userCount: number): Denial | null {
  if (role.builtin) return deny(409, '内置角色不能删除');
  if (userCount > 0) return deny(409, `该角色仍有 ${userCount} 个账号在用，请先取消这些账号的该角色`);
  return null;
}

/** A forced logout is for someone else's session; one's own ends with 退出登录. */
export function sessionRevokeDenial(actorSessionId: string | undefined, sessionId: string): Denial | null {
  return actorSessionId && actorSessionId === sessionId ? deny(400, '不能强制下线本人当前会话，请使用“退出登录”') : null;
}

// ---------------------------------------------------------------- privileged changes

// A privileged change does not happen at once: it waits for an administrator of another duty
// (modules/approvals). Each rule answers why the change is privileged, or null when it is not.

const names = (roles: readonly RoleFacts[]) => roles.map((r) => `“${r.name}”`).join('、');

/** A new account holding a privileged role. */
export function createPrivilege(roles: readonly RoleFacts[]): string | null {
  const p = roles.filter(isPrivilegedRole);
  return p.length ? `新建账号并授予特权角色${names(p)}` : null;
}

/**
 * An edit that adds a privileged role, or re-enables an account that (afterwards) holds one.
 * Removing roles, disabling, renaming and moving are never privileged: they give nobody access.
 */
export function updatePrivilege(
  before: { roles: readonly RoleFacts[]; status: string },
  after: { roles: readonly RoleFacts[]; status: string },
): string | null {
  const had = new Set(before.roles.map((r) => r.code));
  const added = after.roles.filter((r) => !had.has(r.code) && isPrivilegedRole(r));
  const reasons: string[] = [];
  if (added.length) reasons.push(`授予特权角色${names(added)}`);
  const held = after.roles.filter(isPrivilegedRole);
  if (before.status !== 'active' && after.status === 'active' && held.length) reasons.push(`启用持有特权角色${names(held)}的账号`);
  return reasons.length ? reasons.join('；') : null;
}

/** Resetting the password of an account holding a privileged role: whoever learns it can log in as them. */
export function resetPrivilege(targetRoles: readonly RoleFacts[]): string | null {
  const held = targetRoles.filter(isPrivilegedRole);
  return held.length ? `重置持有特权角色${names(held)}的账号密码` : null;
}

const SCOPE_RANK: Record<Exclude<DataScope, 'custom'>, number> = { self: 0, unit: 1, unit_and_below: 2, all: 3 };

/**
 * Whether a data scope gets wider. Custom unit lists compare only with each other (adding a unit
 * widens); between a custom list and a relative scope (本单位…) nothing can be proved narrower, so
 * that counts as wider, except towards 仅本人 or from 全部数据.
 */
export function scopeWidened(
  before: { dataScope: DataScope; customUnitIds: readonly string[] },
  after: { dataScope: DataScope; customUnitIds: readonly string[] },
): boolean {
  if (before.dataScope === 'all' || after.dataScope === 'self') return false;
  if (before.dataScope === 'custom' && after.dataScope === 'custom') {
    return after.customUnitIds.some((u) => !before.customUnitIds.includes(u));
  }
  if (before.dataScope === 'custom' || after.dataScope === 'custom') return true;
  return SCOPE_RANK[after.dataScope] > SCOPE_RANK[before.dataScope];
}

/** A role edit that gives the accounts holding it a protected permission or a wider data scope. */
export function roleEditPrivilege(
  before: { permissions: readonly string[]; dataScope: DataScope; customUnitIds: readonly string[] },
  after: { permissions: readonly string[]; dataScope: DataScope; customUnitIds: readonly string[] },
  holderCount: number,
): string | null {
  if (holderCount === 0) return null;
  const gained = after.permissions.filter(
    (p) => !before.permissions.includes(p) && (PROTECTED_PERMISSIONS as readonly string[]).includes(p),
  );
  const reasons: string[] = [];
  if (gained.length) reasons.push(`新增受保护权限${gained.map((p) => `“${PERMISSIONS[p as keyof typeof PERMISSIONS]}”`).join('、')}`);
  if (scopeWidened(before, after)) reasons.push('扩大数据范围');
  return reasons.length ? `${reasons.join('、')}（${holderCount} 个账号持有该角色）` : null;
}

/** Throws the denial as the HTTP error it names. */
export function enforce(d: Denial | null): void {
  if (!d) return;
  const code = { 400: 'VALIDATION', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 410: 'GONE' }[d.status];
  throw new AppError(d.status, code, d.message, d.field);
}
