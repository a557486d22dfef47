import { BUILTIN_ROLES } from '../../../shared/permissions.js';
import { APPROVAL_TTL_HOURS, type ApprovalStatus } from '../../../shared/schemas/approvals.js';
import { dutiesOf, type Denial } from '../accounts/policy.js';

// Who may decide, cancel or collect an approval request: plain functions over plain facts, tested on
// their own (test/server/policy.test.ts). Each answers null (allowed) or a Denial for enforce().

const deny = (status: Denial['status'], message: string): Denial => ({ status, message });

const TTL_MS = APPROVAL_TTL_HOURS * 3600_000;

export function expiresAt(requestedAt: string): string {
  return new Date(new Date(requestedAt).getTime() + TTL_MS).toISOString();
}

export function isExpired(requestedAt: string, now: Date): boolean {
  return now.getTime() >= new Date(requestedAt).getTime() + TTL_MS;
}

/** The status shown: a pending request past its deadline is expired (never stored as such). */
export function displayStatus(req: { status: string; requested_at: string }, now: Date): ApprovalStatus {
  if (req.status === 'pending' && isExpired(req.requested_at, now)) return 'expired';
  return req.status as ApprovalStatus;
}

/** Only a pending request within its deadline can be approved, rejected or cancelled. */
export function openRequestDenial(req: { status: string; requested_at: string }, now: Date): Denial | null {
  const status = displayStatus(req, now);
  if (status === 'pending') return null;
  if (status === 'expired') return deny(409, `该申请已超过 ${APPROVAL_TTL_HOURS} 小时未审批，已过期；如仍需要，请重新提交`);
  return deny(409, '该申请已处理，不能重复审批');
}

/** The facts about the administrator deciding. */
export interface DeciderFacts {
  userId: string;
  personId: string | null;
  roleCodes: readonly string[];
  permissions: ReadonlySet<string>;
}

/** The facts about the request being decided. */
export interface RequestFacts {
  kind: string;
  requestedBy: string;
  /** The requester's separated duties when asking and now, together. */
  requesterDuties: readonly string[];
  targetType: string;
  targetId: string | null;
  /** create_user: the person the new account is for, if any. */
  targetPersonId?: string | null;
  /** update_role: the role whose permissions grow. */
  targetRoleCode?: string | null;
}

const dutyName = (code: string) => BUILTIN_ROLES.find((r) => r.code === code)?.name ?? code;

/**
 * 三员分立 for approvals: a second administrator, of another duty, not administering accounts
 * themselves, and not the one who would gain from the change.
 */
export function deciderDenial(who: DeciderFacts, req: RequestFacts): Denial | null {
  if (!who.permissions.has('approvals:decide')) return deny(403, '没有权限执行此操作');
  if (who.userId === req.requestedBy) return deny(403, '不能审批本人提交的申请，须由另一职责的管理员审批');
  if (who.permissions.has('users:write') || who.permissions.has('roles:write')) {
    return deny(403, '管理账号或角色的管理员不能审批特权变更（三员分立）');
  }
  const mine = dutiesOf(who.roleCodes, who.permissions);
  const shared = mine.filter((d) => req.requesterDuties.includes(d));
  if (shared.length) {
    return deny(403, `审批人与申请人同为“${shared.map(dutyName).join('、')}”，须由另一职责的管理员审批（三员分立）`);
  }
  if (req.targetType === 'user' && req.targetId === who.userId) return deny(403, '不能审批涉及本人账号的申请');
  if (req.kind === 'create_user' && req.targetPersonId && req.targetPersonId === who.personId) {
    return deny(403, '不能审批为本人开通账号的申请');
  }
  if (req.kind === 'update_role' && req.targetRoleCode && who.roleCodes.includes(req.targetRoleCode)) {
    return deny(403, '您持有该角色，不能审批扩大其权限的申请');
  }
  return null;
}

/** Only the requester withdraws their own request. */
export function cancelDenial(actorUserId: string, req: { requested_by: string }): Denial | null {
  return actorUserId === req.requested_by ? null : deny(403, '只有申请人可以撤回本人的申请');
}

/** The one-time password of an approved create or reset: to the requester, once. */
export function collectDenial(
  actorUserId: string,
  req: { requested_by: string; status: string; kind: string; secret_enc: string | null },
): Denial | null {
  // Nobody else learns whether the request exists.
  if (actorUserId !== req.requested_by) return deny(404, '审批申请不存在');
  if (req.kind !== 'create_user' && req.kind !== 'reset_password') return deny(404, '该申请不产生一次性密码');
  if (req.status !== 'approved') return deny(409, '该申请尚未批准，没有可领取的一次性密码');
  if (!req.secret_enc) return deny(410, '一次性密码已领取，不能再次查看；如已遗失，请重新申请重置密码');
  return null;
}
