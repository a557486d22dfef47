import type { Ctx, Deps, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { generatePassword, hashPassword, loadActor } from '../../platform/auth.js';
import { newId } from '../../platform/ids.js';
import { notify } from '../../platform/notify.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.js';
import {
  APPROVAL_PENDING_MESSAGE, APPROVAL_TTL_HOURS, type ApprovalKind, type ApproveInput, type PendingApproval, type RejectInput,
} from '../../../shared/schemas/approvals.js';
import { dutiesOf, enforce } from '../accounts/policy.js';
import { usersWithPermission } from '../accounts/queries.js';
import { executeApprovedChange } from '../accounts/commands.js';
import { cancelDenial, collectDenial, deciderDenial, openRequestDenial } from './policy.js';
import { APPROVAL_NOT_FOUND, pendingForTarget, payloadOf, requestFacts, type ApprovalPayload } from './queries.js';

// Privileged account changes wait here for a second administrator of another duty (三员分立).
// The accounts commands decide what is privileged and throw ApprovalNeeded instead of writing;
// approving runs the same rules again and carries the change out in the approval's transaction.

/** A privileged change as requested: what to do, on what facts, and how to describe it. */
export interface ApprovalDraft {
  kind: ApprovalKind;
  targetType: 'user' | 'role';
  targetId: string | null;
  summary: string;
  reason: string;
  details: string[];
  /** The request body as validated (never a password). */
  change: unknown;
  /** The facts the request was made on; approval requires them unchanged. */
  basis: unknown;
}

/** Thrown inside a command's transaction: roll back everything, file a request instead. */
export class ApprovalNeeded extends Error {
  constructor(readonly draft: ApprovalDraft) {
    super('approval needed');
  }
}

/** The request can no longer be carried out as approved (facts changed, rules now refuse it). */
class Lapsed extends Error {}

const actorName = (a: { displayName: string; username: string }) => `${a.displayName}(${a.username})`;

/** Files the request, tells every administrator who could decide it, and answers what the API returns (202). */
export async function submitApproval(ctx: Ctx, draft: ApprovalDraft): Promise<PendingApproval> {
  const actor = ctx.actor;
  if (!actor) throw forbidden('请先登录');
  return runCommand(ctx, { action: 'request_approval', entityType: 'approval_request' }, async (trx) => {
    const now = ctx.now();
    if (draft.targetId) {
      const open = await pendingForTarget(trx, draft.targetType, draft.targetId, now);
      if (open) throw conflict(`已有涉及该${draft.targetType === 'user' ? '账号' : '角色'}的申请在等待审批（${open.summary}），请等待审批结果或撤回后再提交`);
    }
    const id = newId();
    const at = now.toISOString();
    const duties = dutiesOf(actor.roles.map((r) => r.code), actor.permissions);
    const payload: ApprovalPayload = { change: draft.change, basis: draft.basis, reason: draft.reason, details: draft.details };
    await trx
      .insertInto('approval_request')
      .values({
        id, kind: draft.kind, target_type: draft.targetType, target_id: draft.targetId, summary: draft.summary.slice(0, 500),
        payload: JSON.stringify(payload), requested_by: actor.userId, requester_duties: JSON.stringify(duties),
        requested_at: at, status: 'pending', decided_by: null, decided_at: null, decision_note: null, result: null,
        secret_enc: null, updated_at: at,
      })
      .execute();
    // Only those who could actually decide it are asked.
    const row = await trx.selectFrom('approval_request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const facts = requestFacts(row);
    const deciders = (await usersWithPermission(trx, 'approvals:decide')).filter(
      (u) => deciderDenial({ ...u, userId: u.id }, facts) === null,
    );
    await notify(trx, at, deciders.map((u) => u.id), {
      title: `待审批：${draft.summary}`,
      body: `申请人：${actorName(actor)}。${draft.reason}。请在 ${APPROVAL_TTL_HOURS} 小时内批准或驳回。`,
      link: '/approvals',
    });
    return {
      result: { approvalId: id, status: 'pending' as const, message: APPROVAL_PENDING_MESSAGE },
      entityId: id,
      after: {
        kind: draft.kind, targetType: draft.targetType, targetId: draft.targetId, summary: draft.summary, reason: draft.reason,
        change: draft.change, requesterDuties: duties, notified: deciders.length,
      },
    };
  });
}

/** The request row, locked against a concurrent decision on PostgreSQL (SQLite writers are serialised). */
async function lockRequest(trx: Trx, ctx: Ctx, id: string) {
  let q = trx.selectFrom('approval_request').selectAll().where('id', '=', id);
  if (ctx.dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(APPROVAL_NOT_FOUND);
  return row;
}

function deciderOf(ctx: Ctx) {
  const a = requirePermission(ctx, 'approvals:decide');
  return { actor: a, facts: { userId: a.userId, personId: a.personId, roleCodes: a.roles.map((r) => r.code), permissions: a.permissions } };
}

/**
 * Approves and carries out the change, with its audit entries, in one transaction. The approver
 * never receives the one-time password: it is sealed for the requester to collect once.
 */
export async function approve(ctx: Ctx, id: string, input: ApproveInput) {
  const { actor, facts } = deciderOf(ctx);
  const pre = await ctx.db.selectFrom('approval_request').select('kind').where('id', '=', id).executeTakeFirst();
  if (!pre) throw notFound(APPROVAL_NOT_FOUND);
  // Hashing is slow on purpose: before the transaction, so no lock is held meanwhile.
  const password = pre.kind === 'create_user' || pre.kind === 'reset_password' ? generatePassword() : null;
  const hash = password ? await hashPassword(password) : null;
  const note = input.note?.trim() || null;
  try {
    return await runCommand(ctx, { action: 'approve', entityType: 'approval_request' }, async (trx) => {
      const row = await lockRequest(trx, ctx, id);
      const now = ctx.now();
      enforce(openRequestDenial(row, now));
      // The requester as they are now: their duties count too, and their authority must still cover the change.
      const requester = await loadActor({ ...ctx, db: trx } as Deps, row.requested_by);
      const currentDuties = requester ? dutiesOf(requester.roles.map((r) => r.code), requester.permissions) : [];
      enforce(deciderDenial(facts, requestFacts(row, currentDuties)));
      const p = payloadOf(row);
      let result: Record<string, unknown>;
      try {
        if (!requester) throw conflict('申请人账号已停用或不存在');
        result = await executeApprovedChange(trx, ctx, requester, { id, kind: row.kind, targetId: row.target_id, change: p.change, basis: p.basis }, hash);
      } catch (err) {
        if (err instanceof AppError) throw new Lapsed(err.message);
        throw err;
      }
      const at = now.toISOString();
      await trx
        .updateTable('approval_request')
        .set({
          status: 'approved', decided_by: actor.userId, decided_at: at, decision_note: note, result: JSON.stringify(result),
          secret_enc: password ? ctx.cipher.seal(password) : null, updated_at: at,
        })
        .where('id', '=', id)
        .execute();
      await notify(trx, at, [row.requested_by], {
        title: `审批已通过：${row.summary}`,
        body: `审批人：${actorName(actor)}。${note ? `审批意见：${note}。` : ''}${password ? '一次性密码请到“特权审批”中领取（仅能领取一次），并通过安全渠道交给本人。' : '变更已生效。'}`,
        link: '/approvals',
      });
      return {
        result: { id, status: 'approved' as const, result },
        entityId: id,
        before: { status: 'pending' },
        after: { status: 'approved', note, result, passwordToCollect: Boolean(password) },
      };
    });
  } catch (err) {
    if (!(err instanceof Lapsed)) throw err;
    await lapse(ctx, id, err.message);
    throw conflict(`申请已失效，未执行：${err.message}`);
  }
}

/** Marks a request that can no longer be carried out as rejected, saying why, and tells the requester. */
async function lapse(ctx: Ctx, id: string, why: string) {
  const { actor } = deciderOf(ctx);
  await runCommand(ctx, { action: 'reject', entityType: 'approval_request' }, async (trx) => {
    const row = await lockRequest(trx, ctx, id);
    if (row.status !== 'pending') return { result: undefined, entityId: id, after: { status: row.status, unchanged: true } };
    const at = ctx.now().toISOString();
    const note = `申请已失效：${why}`;
    await trx
      .updateTable('approval_request')
      .set({ status: 'rejected', decided_by: actor.userId, decided_at: at, decision_note: note.slice(0, 500), result: JSON.stringify({ outcome: 'stale', reason: why }), updated_at: at })
      .where('id', '=', id)
      .execute();
    await notify(trx, at, [row.requested_by], { title: `申请已失效：${row.summary}`, body: note, link: '/approvals' });
    return { result: undefined, entityId: id, before: { status: 'pending' }, after: { status: 'rejected', outcome: 'stale', reason: why } };
  });
}

export async function reject(ctx: Ctx, id: string, input: RejectInput) {
  const { actor, facts } = deciderOf(ctx);
  return runCommand(ctx, { action: 'reject', entityType: 'approval_request' }, async (trx) => {
    const row = await lockRequest(trx, ctx, id);
    const now = ctx.now();
    enforce(openRequestDenial(row, now));
    enforce(deciderDenial(facts, requestFacts(row)));
    const at = now.toISOString();
    await trx
      .updateTable('approval_request')
      .set({ status: 'rejected', decided_by: actor.userId, decided_at: at, decision_note: input.reason, result: JSON.stringify({ outcome: 'rejected' }), updated_at: at })
      .where('id', '=', id)
      .execute();
    await notify(trx, at, [row.requested_by], {
      title: `审批未通过：${row.summary}`,
      body: `审批人：${actorName(actor)}。驳回理由：${input.reason}`,
      link: '/approvals',
    });
    return {
      result: { id, status: 'rejected' as const },
      entityId: id,
      before: { status: 'pending' },
      after: { status: 'rejected', reason: input.reason },
    };
  });
}

/** The requester withdraws a request still waiting. */
export async function cancel(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'approvals:read');
  return runCommand(ctx, { action: 'cancel', entityType: 'approval_request' }, async (trx) => {
    const row = await lockRequest(trx, ctx, id);
    // Others than deciders never learn of requests not theirs.
    if (row.requested_by !== actor.userId && !actor.permissions.has('approvals:decide')) throw notFound(APPROVAL_NOT_FOUND);
    enforce(cancelDenial(actor.userId, row));
    const now = ctx.now();
    enforce(openRequestDenial(row, now));
    const at = now.toISOString();
    await trx
      .updateTable('approval_request')
      .set({ status: 'cancelled', decided_by: actor.userId, decided_at: at, result: JSON.stringify({ outcome: 'cancelled' }), updated_at: at })
      .where('id', '=', id)
      .execute();
    return { result: { id, status: 'cancelled' as const }, entityId: id, before: { status: 'pending' }, after: { status: 'cancelled' } };
  });
}

/** The requester takes the one-time password of an approved create or reset, once; then it is gone. */
export async function collectSecret(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'approvals:read');
  return runCommand(ctx, { action: 'collect_secret', entityType: 'approval_request' }, async (trx) => {
    const row = await lockRequest(trx, ctx, id);
    enforce(collectDenial(actor.userId, row));
    const password = ctx.cipher.open(row.secret_enc!);
    await trx.updateTable('approval_request').set({ secret_enc: null, updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    const result = row.result ? (JSON.parse(row.result) as { username?: string }) : {};
    return { result: { password, username: result.username ?? null }, entityId: id, after: { collected: true } };
  });
}
