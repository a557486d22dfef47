import type { Actor } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { UNIT_ADMIN_ASSIGNABLE, type DataScope } from '../../../shared/permissions.js';

// Who may do what with accounts, roles and sessions: plain functions over plain facts, so each
// rule is tested on its own (test/server/policy.test.ts). Each answers null (allowed) or a Denial;
// commands turn a Denial into an error with enforce().

export interface Denial {
  status: 400 | 403 | 409;
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
export const PRIVILEGED_ROLES = ['sysadmin', 'secadmin', 'auditor', 'campaign_office', 'clue_handler'] as const;

/** Permissions that may not sit together with audit:read in one role or one account. */
const ACCOUNT_ADMIN_PERMISSIONS = ['users:write', 'roles:write'] as const;

const deny = (status: Denial['status'], message: string, field?: string): Denial => ({ status, message, field });

function mixesAuditAndAdmin(permissions: Iterable<string>): boolean {
  const set = new Set(permissions);
  return set.has('audit:read') && ACCOUNT_ADMIN_PERMISSIONS.some((p) => set.has(p));
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
    if ((PRIVILEGED_ROLES as readonly string[]).includes(r.code)) {
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
  return null;
}

/**
 * A role's new permissions, seen through each account holding it (with its other roles): no
 * account may end up able both to read the audit log and to administer accounts or roles.
 */
export function holdersDutiesDenial(holders: readonly { username: string; permissions: readonly string[] }[]): Denial | null {
  const bad = holders.find((h) => mixesAuditAndAdmin(h.permissions));
  return bad
    ? deny(400, `权限：账号“${bad.username}”还持有其他角色，修改后将既能查看审计日志又能管理账号或角色（三员分立）`, 'permissions')
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

/** Throws the denial as the HTTP error it names. */
export function enforce(d: Denial | null): void {
  if (!d) return;
  const code = d.status === 400 ? 'VALIDATION' : d.status === 403 ? 'FORBIDDEN' : 'CONFLICT';
  throw new AppError(d.status, code, d.message, d.field);
}
