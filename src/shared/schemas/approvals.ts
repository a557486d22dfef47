import { z } from 'zod';

// Approval of privileged account changes (三员分立): payloads shared by the server and the staff app.

export const APPROVAL_KINDS = {
  create_user: '新建特权账号',
  update_user: '授予特权角色 / 启用特权账号',
  reset_password: '重置特权账号密码',
  update_role: '扩大角色权限或数据范围',
} as const;
export type ApprovalKind = keyof typeof APPROVAL_KINDS;

/** `expired` is never stored: a pending request past its deadline is shown (and refused) as expired. */
export const APPROVAL_STATUS = {
  pending: '待审批',
  approved: '已批准',
  rejected: '已驳回',
  cancelled: '已撤回',
  expired: '已过期',
} as const;
export type ApprovalStatus = keyof typeof APPROVAL_STATUS;

/** A request not decided within this many hours lapses; the requester may ask again. */
export const APPROVAL_TTL_HOURS = 72;

export const APPROVAL_PENDING_MESSAGE = '该变更涉及特权角色，已提交审批：须由另一职责的管理员批准后生效';

/** What a privileged change answers instead of happening at once (HTTP 202). */
export interface PendingApproval {
  approvalId: string;
  status: 'pending';
  message: string;
}

export function isPendingApproval(v: unknown): v is PendingApproval {
  return typeof v === 'object' && v !== null && 'approvalId' in v && (v as { status?: unknown }).status === 'pending';
}

export const ApprovalsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  status: z.enum(Object.keys(APPROVAL_STATUS) as [ApprovalStatus, ...ApprovalStatus[]]).optional().describe('状态'),
  kind: z.enum(Object.keys(APPROVAL_KINDS) as [ApprovalKind, ...ApprovalKind[]]).optional().describe('类型'),
  mine: z
    .enum(['0', '1'])
    .optional()
    .transform((v) => v === '1')
    .describe('仅本人提交的'),
});
export type ApprovalsQuery = z.infer<typeof ApprovalsQuery>;

export const ApproveInput = z.object({
  note: z.string().trim().max(500).nullish().describe('审批意见'),
});
export type ApproveInput = z.infer<typeof ApproveInput>;

export const RejectInput = z.object({
  reason: z.string().trim().min(1, '不能为空').max(500).describe('驳回理由'),
});
export type RejectInput = z.infer<typeof RejectInput>;
