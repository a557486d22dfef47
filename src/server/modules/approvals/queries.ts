import type { Kysely } from 'kysely';
import type { DB, ApprovalRequestTable } from '../../db/types.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { APPROVAL_TTL_HOURS, type ApprovalsQuery } from '../../../shared/schemas/approvals.js';
import { userNames } from '../accounts/queries.js';
import { collectDenial, deciderDenial, displayStatus, expiresAt, openRequestDenial, type RequestFacts } from './policy.js';

export const APPROVAL_NOT_FOUND = '审批申请不存在';

/** Requests made before this instant have lapsed if still pending. */
export function expiryCutoff(now: Date): string {
  return new Date(now.getTime() - APPROVAL_TTL_HOURS * 3600_000).toISOString();
}

/** What a request's payload column holds (never a password). */
export interface ApprovalPayload {
  change: unknown;
  basis: unknown;
  reason: string;
  details: string[];
}

export function payloadOf(row: Pick<ApprovalRequestTable, 'payload'>): ApprovalPayload {
  return JSON.parse(row.payload) as ApprovalPayload;
}

/** The facts the decision rules need about a stored request. */
export function requestFacts(row: ApprovalRequestTable, currentRequesterDuties: readonly string[] = []): RequestFacts {
  const p = payloadOf(row);
  const change = (p.change ?? {}) as { personId?: string | null };
  const basis = (p.basis ?? {}) as { role?: { code?: string } };
  return {
    kind: row.kind,
    requestedBy: row.requested_by,
    requesterDuties: [...new Set([...(JSON.parse(row.requester_duties) as string[]), ...currentRequesterDuties])],
    targetType: row.target_type,
    targetId: row.target_id,
    targetPersonId: row.kind === 'create_user' ? (change.personId ?? null) : null,
    targetRoleCode: row.kind === 'update_role' ? (basis.role?.code ?? null) : null,
  };
}

/** Whether a live (pending, not expired) request already asks to create this username. */
export async function pendingUsernameTaken(db: Kysely<DB>, username: string, now: Date, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('approval_request')
    .select(['id', 'payload'])
    .where('kind', '=', 'create_user')
    .where('status', '=', 'pending')
    .where('requested_at', '>', expiryCutoff(now));
  if (exceptId) q = q.where('id', '!=', exceptId);
  const rows = await q.execute();
  const wanted = username.toLowerCase();
  return rows.some((r) => String((payloadOf(r).change as { username?: string }).username ?? '').toLowerCase() === wanted);
}

/** A live request about the same account or role, if any. */
export async function pendingForTarget(db: Kysely<DB>, targetType: string, targetId: string, now: Date) {
  return db
    .selectFrom('approval_request')
    .select(['id', 'summary'])
    .where('target_type', '=', targetType as ApprovalRequestTable['target_type'])
    .where('target_id', '=', targetId)
    .where('status', '=', 'pending')
    .where('requested_at', '>', expiryCutoff(now))
    .executeTakeFirst();
}

/** Deciders see every request; everyone else (the requesters) only their own. */
function visible(db: Kysely<DB>, actor: Actor) {
  let q = db.selectFrom('approval_request');
  if (!actor.permissions.has('approvals:decide')) q = q.where('approval_request.requested_by', '=', actor.userId);
  return q;
}

type Names = Awaited<ReturnType<typeof userNames>>;

function present(row: ApprovalRequestTable, actor: Actor, names: Names, now: Date) {
  const p = payloadOf(row);
  const mine = row.requested_by === actor.userId;
  const open = openRequestDenial(row, now) === null;
  const decider = { userId: actor.userId, personId: actor.personId, roleCodes: actor.roles.map((r) => r.code), permissions: actor.permissions };
  return {
    id: row.id,
    kind: row.kind,
    targetType: row.target_type,
    targetId: row.target_id,
    summary: row.summary,
    reason: p.reason,
    details: p.details,
    status: displayStatus(row, now),
    requestedBy: names.get(row.requested_by) ?? { id: row.requested_by, username: '', displayName: '' },
    requestedAt: row.requested_at,
    expiresAt: expiresAt(row.requested_at),
    decidedBy: row.decided_by ? (names.get(row.decided_by) ?? { id: row.decided_by, username: '', displayName: '' }) : null,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    result: row.result ? (JSON.parse(row.result) as Record<string, unknown>) : null,
    mine,
    /** Whether the caller could approve or reject it now (the server checks again). */
    canDecide: open && deciderDenial(decider, requestFacts(row)) === null,
    canCancel: open && mine,
    /** Only the requester ever learns that a one-time password is waiting. */
    canCollect: mine && collectDenial(actor.userId, row) === null,
  };
}
export type ApprovalView = ReturnType<typeof present>;

export async function listApprovals(ctx: Ctx, actor: Actor, f: ApprovalsQuery) {
  const now = ctx.now();
  const cutoff = expiryCutoff(now);
  // Each filter has an index ending in (requested_at, id): requester, kind, status.
  let from = visible(ctx.db, actor);
  if (f.mine) from = from.where('approval_request.requested_by', '=', actor.userId);
  if (f.kind) from = from.where('approval_request.kind', '=', f.kind);
  if (f.status === 'pending') from = from.where('approval_request.status', '=', 'pending').where('approval_request.requested_at', '>', cutoff);
  else if (f.status === 'expired') from = from.where('approval_request.status', '=', 'pending').where('approval_request.requested_at', '<=', cutoff);
  else if (f.status) from = from.where('approval_request.status', '=', f.status);
  const page = await listPage(ctx.db, {
    name: 'approvals',
    from,
    id: 'approval_request.id',
    order: [['approval_request.requested_at', 'desc'], ['approval_request.id', 'desc']],
    rows: (ids) => ctx.db.selectFrom('approval_request').selectAll().where('id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const names = await userNames(ctx.db, page.items.flatMap((r) => [r.requested_by, r.decided_by ?? '']));
  return { ...page, items: page.items.map((r) => present(r, actor, names, now)) };
}

export async function getApproval(ctx: Ctx, actor: Actor, id: string): Promise<ApprovalView> {
  const row = await visible(ctx.db, actor).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(APPROVAL_NOT_FOUND);
  const names = await userNames(ctx.db, [row.requested_by, row.decided_by ?? '']);
  return present(row, actor, names, ctx.now());
}
