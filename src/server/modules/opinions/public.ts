import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import { runCommand } from '../../platform/context.js';
import { runGrouped } from '../../platform/group-commit.js';
import { compiledOnce } from '../../platform/sqlx.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { hmacSm3 } from '../../platform/crypto.js';
import { storeUpload } from '../files/commands.js';
import { enabledCodes } from '../dict/queries.js';
import {
  CHANNELS, OPINION_STATUS, type PublicOpinionInput,
} from '../../../shared/schemas/opinions.js';
import { auditView, addEvent, enabledCategories, insertOpinion } from './commands.js';
import { contentHash } from './text.js';
import { normalizeReceiptCode, receiptHash } from './receipt.js';
import { spendChallenge } from './challenge.js';
import { isPublishable, WITHHELD } from './disclosure.js';
import { countSubmission, ipHash } from '../../platform/ratelimit.js';

// The public side of 开门纳谏: submit (named or anonymous), follow by receipt code, rate once.
// Nothing personal ever leaves through these functions.

// Phones save WebP as well as JPEG; the public page shrinks a larger photo before upload, so the limit
// is for what arrives, not for what the camera took.
export const PUBLIC_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
export const PUBLIC_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
export const PUBLIC_MAX_FILES = 3;

function uploadToken(ctx: Ctx, fileId: string) {
  return hmacSm3(Buffer.from(ctx.cipher.blindIndex('public-upload'), 'hex'), fileId);
}

/** A public attachment: only photos and PDFs, small; answered with a token that lets the same
 * browser attach it to its submission, and nobody else. */
export async function uploadPublicFile(ctx: Ctx, data: Buffer, filename: string | undefined) {
  if (data.length > PUBLIC_UPLOAD_MAX_BYTES) {
    throw new AppError(413, 'TOO_LARGE', `文件：超过大小限制（最大 ${PUBLIC_UPLOAD_MAX_BYTES / 1024 / 1024} MB）`, 'file');
  }
  const digest = ipHash(ctx, ctx.ip);
  // The hourly allowance for files is a few times that for submissions (up to three per submission).
  await ctx.db.transaction().execute((trx) => countSubmission(ctx, trx, 'file', digest, ctx.config.publicRateLimit * PUBLIC_MAX_FILES));
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(data);
  if (!type || !PUBLIC_UPLOAD_TYPES.includes(type.mime)) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '文件：只能上传 JPEG、PNG、WebP 图片或 PDF 文件', 'file');
  }
  const f = await storeUpload(ctx, { data, filename });
  return { id: f.id, name: f.name, size: f.size, mime: f.mime, token: uploadToken(ctx, f.id) };
}

export interface SubmitResult {
  receiptCode: string;
  publicNo: string;
  duplicate: boolean;
}

export async function submitPublicOpinion(ctx: Ctx, input: PublicOpinionInput): Promise<SubmitResult> {
  // The honeypot is invisible to people; only scripts fill it.
  if (input.website) throw badRequest('提交失败，请刷新页面后重试');
  const digest = ipHash(ctx, ctx.ip);
  const hash = contentHash(input.content);

  // A retry of the same request (weak network), or the same text again from the same address
  // within a day: answer the first submission instead of filing a second. Checked inside the
  // submission's transaction, so two copies racing each other (a slow first answer and the
  // client's retry) cannot both pass: SQLite runs one transaction at a time, and on PostgreSQL
  // copies of one text queue on a lock keyed by its digest. Two copies in one group-commit batch
  // see each other too (the same transaction): the second is answered as a retry of the first.
  const since = new Date(ctx.now().getTime() - 86_400_000).toISOString();
  // A retry is the same request id with the same submission: the digest binds the client's request id
  // to what was sent, so knowing a request id alone (it is never stored in clear) recovers nothing.
  const requestDigest = input.clientRequestId ? publicRequestDigest(ctx, input) : null;
  try {
    // Group commit (platform/group-commit.ts): submissions arriving together share one durable
    // commit, each with its own audit entry; the 201 goes out after the commit. Everything that may
    // refuse a submission is checked before its first write, so it needs no savepoint of its own.
    return await runGrouped(ctx, { action: 'submit', entityType: 'opinion' }, async (trx, control) => {
      if (input.category && input.category !== 'unsure') {
        // Through the batch's transaction (on SQLite a query beside it would wait for the whole
        // batch), read once per batch.
        if (!(await enabledCategories(trx)).some((c) => c.code === input.category)) throw badRequest('类别：不在可选范围内', 'category');
      }
      if (ctx.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`opinion-submit:${hash}`}, 0))`.execute(trx);
      }
      const lookup = compiledOnce(trx, 'public-submit-previous', { requestDigest: requestDigest ?? undefined, hash, digest, since }, (v) =>
        trx
          .selectFrom('opinion')
          .select(['id', 'public_no', 'receipt_enc', 'request_digest'])
          .where((eb) =>
            eb.or([
              ...(v.requestDigest ? [eb('request_digest', '=', v.requestDigest)] : []),
              eb.and([eb('content_hash', '=', v.hash), eb('source_ip_hash', '=', v.digest), eb('submitted_at', '>=', v.since)]),
            ]),
          )
          .limit(10),
      );
      const previous = (await trx.executeQuery(lookup)).rows;
      if (previous.length) {
        // The retry of this very request wins over an earlier copy of the text.
        const same = requestDigest ? previous.find((p) => p.request_digest === requestDigest) : undefined;
        if (same) throw new Resubmitted({ receiptCode: ctx.cipher.open(same.receipt_enc), publicNo: same.public_no, duplicate: true });
        throw conflict('内容：您已提交过相同的意见建议，请使用当时获得的查询码查看办理进度', 'content');
      }
      // A forged attachment token is refused here, before anything is written.
      for (const a of input.attachments ?? []) {
        const expected = Buffer.from(uploadToken(ctx, a.id));
        const given = Buffer.from(a.token);
        if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw badAttachment();
      }
      control.writing();
      if (ctx.config.publicChallenge) await spendChallenge(ctx, trx, input.altcha);
      await countSubmission(ctx, trx, 'opinion', digest, ctx.config.publicRateLimit);
      const created = await insertOpinion(trx, ctx, {
        channel: 'portal',
        category: input.category && input.category !== 'unsure' ? input.category : null,
        content: input.content,
        identity: input.identity,
        name: input.name,
        phone: input.phone,
        wantsContact: input.wantsContact,
        location: input.location,
        requestDigest,
        sourceIpHash: digest,
      });
      for (const a of input.attachments ?? []) {
        const r = await trx
          .updateTable('attachment')
          .set({ owner_type: 'opinion', owner_id: created.id })
          .where('id', '=', a.id)
          .where('uploaded_by', 'is', null)
          .where('owner_id', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw badAttachment();
      }
      return {
        result: { receiptCode: created.receiptCode, publicNo: created.publicNo, duplicate: false },
        entityId: created.id,
        after: { ...auditView({ ...created, channel: 'portal', identity: input.identity, category: input.category }), attachments: input.attachments?.length ?? 0 },
      };
    }, { writesAfterChecks: true });
  } catch (err) {
    // A recognised retry: the transaction is rolled back (nothing written, no audit entry) and the
    // first submission's answer is given again.
    if (err instanceof Resubmitted) return err.result;
    throw err;
  }
}

const badAttachment = () => badRequest('附件：无效或已被使用，请重新上传', 'attachments');

/** Keyed digest of a public submission's request id together with everything it carried. */
export function publicRequestDigest(ctx: Ctx, input: PublicOpinionInput): string {
  return ctx.cipher.blindIndex(
    JSON.stringify([
      'public-submit', input.clientRequestId, input.content, input.identity, input.name ?? null, input.phone ?? null,
      input.category ?? null, input.wantsContact ?? null, input.location ?? null, (input.attachments ?? []).map((a) => a.id),
    ]),
  );
}

/** Thrown inside the submission's transaction to leave it without writing anything. */
class Resubmitted extends Error {
  constructor(readonly result: SubmitResult) {
    super('resubmitted');
  }
}

async function byReceipt(ctx: Ctx, code: string) {
  const normal = normalizeReceiptCode(code);
  if (!normal) return undefined;
  return ctx.db.selectFrom('opinion').selectAll().where('receipt_hash', '=', receiptHash(normal)).executeTakeFirst();
}

const unknownCode = () => notFound('查询码不存在，请核对后重新输入');

/**
 * What the submitter sees by receipt code: their own opinion, its progress and their own reply. No
 * name, phone, staff names or internal notes. When their opinion was merged into another, they see
 * a neutral statement and that opinion's progress; its reply or rejection reason only if that opinion
 * is itself public (disclosure.ts) — a reply written to another, named submitter is theirs alone.
 */
/**
 * The records an opinion (found by its receipt code) was adopted into, for the public ledger to follow;
 * null for an unknown code. Only the references: the receiving module decides what it publishes.
 */
export async function adoptionRefsByReceipt(ctx: Ctx, code: string): Promise<{ publicNo: string; refs: string[] } | null> {
  const o = await byReceipt(ctx, code);
  if (!o) return null;
  const rows = await ctx.db
    .selectFrom('opinion_adoption')
    .select('target_ref')
    .where('opinion_id', 'in', o.merged_into_id ? [o.id, o.merged_into_id] : [o.id])
    .where('target_ref', 'is not', null)
    .execute();
  return { publicNo: o.public_no, refs: rows.map((r) => r.target_ref!) };
}

export async function publicStatus(ctx: Ctx, code: string) {
  const o = await byReceipt(ctx, code);
  if (!o) throw unknownCode();
  const survivor = o.merged_into_id
    ? await ctx.db.selectFrom('opinion').selectAll().where('id', '=', o.merged_into_id).executeTakeFirst()
    : undefined;
  const handling = survivor ?? o;
  // The answer is this submitter's own, or a public one; otherwise withheld.
  const answerVisible = !survivor || isPublishable(survivor);
  const [events, categories, unit] = await Promise.all([
    ctx.db
      .selectFrom('opinion_event')
      .select(['opinion_id', 'at', 'kind', 'public_text'])
      .where('opinion_id', 'in', survivor ? [o.id, survivor.id] : [o.id])
      .where('public', '=', 1)
      .orderBy('at')
      .orderBy('id') // time-ordered ids: a stable order for events in the same millisecond
      .execute(),
    enabledCodes(ctx.db, 'opinion_category'),
    handling.assigned_unit_id
      ? ctx.db.selectFrom('org_unit').select('name').where('id', '=', handling.assigned_unit_id).executeTakeFirst()
      : undefined,
  ]);
  const category = handling.category ?? o.category;
  return {
    publicNo: o.public_no,
    status: handling.status,
    statusLabel: OPINION_STATUS[handling.status],
    merged: survivor
      ? {
          publicNo: survivor.public_no,
          note: answerVisible
            ? '您的意见已与相同内容的意见合并办理，办理进度与答复以该意见为准。'
            : '您的意见已与相同内容的意见合并办理，办理进度以该意见为准；该意见的答复已告知其提交人，不公开。',
        }
      : null,
    category: category ? (categories.find((c) => c.code === category)?.label ?? null) : null,
    channel: CHANNELS[o.channel as keyof typeof CHANNELS] ?? o.channel,
    identity: o.identity,
    content: o.content,
    submittedAt: o.submitted_at,
    unitName: unit?.name ?? null,
    deadlineAt: handling.status === 'assigned' ? handling.deadline_at : null,
    reply: answerVisible && handling.reply_text ? { text: handling.reply_text, at: handling.replied_at } : null,
    rejectReason: answerVisible && handling.status === 'rejected' ? handling.reject_reason : null,
    history: events
      // The survivor's own "received" line says nothing to this submitter, and its rating is
      // another person's (this submitter rates separately and sees their own).
      .filter((e) => !(survivor && e.opinion_id === survivor.id && (e.kind === 'submitted' || e.kind === 'rated')))
      .map((e) => ({
        at: e.at,
        kind: e.kind,
        // A rejection line carries its reason: another submitter's reason stays theirs.
        text: survivor && e.opinion_id === survivor.id && !answerVisible && e.kind === 'rejected' ? WITHHELD.rejected : e.public_text,
      })),
    rating: o.rating ? { score: o.rating, comment: o.rating_comment, at: o.rated_at } : null,
    // The handling of one's own matter may be rated once answered, even where the answer's text
    // went only to the other submitter.
    canRate: handling.status === 'replied' && !o.rating,
  };
}

export async function ratePublic(ctx: Ctx, code: string, score: number, comment?: string) {
  const o = await byReceipt(ctx, code);
  if (!o) throw unknownCode();
  const handling = o.merged_into_id
    ? await ctx.db.selectFrom('opinion').select(['status']).where('id', '=', o.merged_into_id).executeTakeFirst()
    : o;
  if (handling?.status !== 'replied') throw conflict('评分：意见答复后才能评价');
  return runCommand(ctx, { action: 'rate', entityType: 'opinion' }, async (trx) => {
    const now = ctx.now().toISOString();
    // Conditional update: of two concurrent ratings exactly one lands.
    const r = await trx
      .updateTable('opinion')
      .set({ rating: score, rating_comment: comment || null, rated_at: now, updated_at: now })
      .where('id', '=', o.id)
      .where('rating', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('评分：已评价过，每条意见只能评价一次');
    await addEvent(trx, now, { opinion_id: o.id, kind: 'rated', public: 1, public_text: `群众评价：${score} 星`, actor_id: null });
    return { result: { ok: true }, entityId: o.id, after: { rating: score, comment: comment ?? null } };
  });
}
