import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitWritable, hasAllScope } from '../../platform/access.js';
import { newId } from '../../platform/ids.js';
import { compiledOnce } from '../../platform/sqlx.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { shanghaiDate } from '../../platform/time.js';
import { addWorkdays, loadCalendar } from '../../platform/workdays.js';
import { notify } from '../../platform/notify.js';
import { enabledCodes } from '../dict/queries.js';
import { attachFiles } from '../files/commands.js';
import type { OpinionTable, OpinionEventTable } from '../../db/types.js';
import {
  ADOPTION_TARGETS, CHANNELS, type Channel, type StaffOpinionInput,
} from '../../../shared/schemas/opinions.js';
import { contentHash, searchTokens, simhashOf, withoutStopWords } from './text.js';
import { newPublicNo, newReceiptCode, receiptHash } from './receipt.js';
import { suggestCategory } from './suggest.js';
import { campaignForNewRecord } from '../campaigns/queries.js';

export const OPINION_SCOPE = { unit: 'opinion.assigned_unit_id' };

export interface NewOpinion {
  channel: Channel;
  category?: string | null;
  content: string;
  identity: 'named' | 'anonymous';
  name?: string | null;
  phone?: string | null;
  wantsContact?: boolean;
  location?: { text?: string | null; lat?: number | null; lon?: number | null } | null;
  campaignId?: string | null;
  symposiumId?: string | null;
  /** Keyed digest recognising a retry of this very submission (see public.ts); never a client's id in clear. */
  requestDigest?: string | null;
  /** Open311 extras: sealed like the phone; media_url kept as given (never fetched). */
  email?: string | null;
  open311Meta?: { deviceId?: string; accountId?: string } | null;
  mediaUrl?: string | null;
  open311KeyId?: string | null;
  /** When the opinion was actually received (offline entry); defaults to now. */
  submittedAt?: string;
  enteredBy?: string | null;
  /** The unit an opinion belongs to before triage (entered by a county or 司法所), so its staff keep seeing it. */
  ownerUnitId?: string | null;
  sourceIpHash?: string | null;
  open311Token?: string | null;
}

export interface CreatedOpinion {
  id: string;
  publicNo: string;
  receiptCode: string;
}

// Read once per transaction (a group-commit batch holds many submissions): nothing writes the
// dictionary or the campaigns inside a transaction that files opinions.
const categoriesOfTrx = new WeakMap<object, Promise<{ code: string; label: string }[]>>();
const campaignsOfTrx = new WeakMap<object, Map<string, Promise<string | null>>>();

/** The enabled opinion categories, as seen by this transaction. */
export function enabledCategories(trx: Trx): Promise<{ code: string; label: string }[]> {
  let codes = categoriesOfTrx.get(trx);
  if (!codes) categoriesOfTrx.set(trx, (codes = enabledCodes(trx, 'opinion_category')));
  return codes;
}

function campaignOn(trx: Trx, ctx: Ctx, day: string): Promise<string | null> {
  let byDay = campaignsOfTrx.get(trx);
  if (!byDay) campaignsOfTrx.set(trx, (byDay = new Map()));
  let id = byDay.get(day);
  if (!id) byDay.set(day, (id = campaignForNewRecord({ db: trx, now: ctx.now }, null, day)));
  return id;
}

async function assertCategory(trx: Trx, category: string | null | undefined, field = 'category') {
  if (!category) return;
  const codes = await enabledCategories(trx);
  if (!codes.some((c) => c.code === category)) throw badRequest('类别：不在意见类别字典中', field);
}


export async function addEvent(
  trx: Trx,
  at: string,
  e: Omit<OpinionEventTable, 'id' | 'at' | 'detail'> & { detail?: unknown },
) {
  const values = { id: newId(), at, ...e, detail: e.detail === undefined ? null : JSON.stringify(e.detail) };
  await trx.executeQuery(compiledOnce(trx, 'opinion-event-insert', values, (v) => trx.insertInto('opinion_event').values(v)));
}

/**
 * Inserts one opinion inside the caller's transaction (public intake, staff entry, symposiums,
 * Open311 all come through here). The caller's command writes the audit entry.
 */
export async function insertOpinion(trx: Trx, ctx: Ctx, input: NewOpinion): Promise<CreatedOpinion> {
  await assertCategory(trx, input.category);
  const now = ctx.now().toISOString();
  const submittedAt = input.submittedAt ?? now;
  const day = shanghaiDate(new Date(submittedAt));
  const id = newId();
  const receiptCode = newReceiptCode();
  // One jieba cut serves the search index, the SimHash and the suggestion.
  const tokens = searchTokens(input.content);
  const words = withoutStopWords(tokens);
  const sh = simhashOf(words);
  const suggestion = input.category ? null : await suggestCategory(ctx, input.content, trx, { tokens: words });
  const row: OpinionTable = {
    id,
    public_no: newPublicNo(day),
    campaign_id: input.campaignId ? await campaignForNewRecord({ db: trx, now: ctx.now }, input.campaignId, day) : await campaignOn(trx, ctx, day),
    receipt_hash: receiptHash(receiptCode),
    receipt_enc: ctx.cipher.seal(receiptCode),
    request_digest: input.requestDigest ?? null,
    channel: input.channel,
    category: input.category ?? null,
    suggested_category: suggestion?.category ?? null,
    suggested_confidence: suggestion ? Math.round(suggestion.confidence * 1000) / 1000 : null,
    content: input.content,
    content_hash: contentHash(input.content),
    search_tokens: tokens.join(' '),
    simhash: sh.hex,
    sh0: sh.bands[0],
    sh1: sh.bands[1],
    sh2: sh.bands[2],
    sh3: sh.bands[3],
    identity: input.identity,
    submitter_name_enc: input.identity === 'named' && input.name ? ctx.cipher.seal(input.name) : null,
    submitter_phone_enc: input.identity === 'named' && input.phone ? ctx.cipher.seal(input.phone) : null,
    wants_contact: input.identity === 'named' && input.wantsContact ? 1 : 0,
    location_text: input.location?.text ?? null,
    lat: input.location?.lat ?? null,
    lon: input.location?.lon ?? null,
    status: 'received',
    assigned_unit_id: input.ownerUnitId ?? null,
    assigned_at: null,
    deadline_at: null,
    reply_text: null,
    replied_at: null,
    replied_by: null,
    reject_reason: null,
    merged_into_id: null,
    rating: null,
    rating_comment: null,
    rated_at: null,
    symposium_id: input.symposiumId ?? null,
    entered_by: input.enteredBy ?? null,
    source_ip_hash: input.sourceIpHash ?? null,
    open311_token: input.open311Token ?? null,
    submitter_email_enc: input.identity === 'named' && input.email ? ctx.cipher.seal(input.email) : null,
    open311_meta_enc:
      input.open311Meta && (input.open311Meta.deviceId || input.open311Meta.accountId) ? ctx.cipher.seal(JSON.stringify(input.open311Meta)) : null,
    media_url: input.mediaUrl ?? null,
    open311_key_id: input.open311KeyId ?? null,
    submitted_at: submittedAt,
    created_at: now,
    updated_at: now,
  };
  row.public_no = await insertWithFreshNumber(trx, row, () => newPublicNo(day));
  await addEvent(trx, submittedAt, {
    opinion_id: id,
    kind: 'submitted',
    public: 1,
    public_text: `已收到您的意见建议（${CHANNELS[input.channel]}）`,
    actor_id: input.enteredBy ?? null,
  });
  return { id, publicNo: row.public_no, receiptCode };
}

/**
 * Inserts the row under a 意见编号 nobody holds. The number is random (YJ + date + 5 characters:
 * about 33 million a day), so on a busy day two can meet; a clash draws a new one — never a 500.
 * A taken number inserts nothing (ON CONFLICT DO NOTHING: no failed statement, so no savepoint on
 * PostgreSQL, and one statement instead of a look-up and an insert); on PostgreSQL a number another
 * transaction has inserted but not committed waits for it, then counts as taken if it commits.
 * `draw` is the number generator (tests give a deterministic one).
 */
export async function insertWithFreshNumber(trx: Trx, row: OpinionTable, draw: () => string, attempts = 8): Promise<string> {
  for (let i = 0; i <= attempts; i++) {
    const publicNo = i === 0 && row.public_no ? row.public_no : draw();
    // Some 45 columns: compiled once (Kysely's building and compiling was ~5% of a public submission).
    const insert = compiledOnce(trx, 'opinion-insert', { ...row, public_no: publicNo }, (r) =>
      trx.insertInto('opinion').values(r).onConflict((oc) => oc.column('public_no').doNothing()),
    );
    if (Number((await trx.executeQuery(insert)).numAffectedRows) === 1) return publicNo;
  }
  throw new Error(`意见编号：连续 ${attempts + 1} 次抽到已用的编号`);
}

/** What the audit log keeps of a new opinion: never the submitter's name or phone. */
export function auditView(o: CreatedOpinion & { channel: string; identity: string; category?: string | null }) {
  return { id: o.id, publicNo: o.publicNo, channel: o.channel, identity: o.identity, category: o.category ?? null };
}

/** Staff entry of an opinion from an offline channel (window card with photo, box, hotline…). */
export async function enterOpinion(ctx: Ctx, input: StaffOpinionInput) {
  const actor = requirePermission(ctx, 'opinions:enter');
  if (['portal', 'wechat', 'mini_program'].includes(input.channel)) {
    throw badRequest('征求渠道：网站、公众号、小程序的意见由群众在线提交，不能手工录入', 'channel');
  }
  // An opinion cannot have been received after today (Beijing): it would sort and count wrongly.
  if (input.receivedOn && input.receivedOn > shanghaiDate(ctx.now())) {
    throw badRequest('收到日期：不能晚于今天', 'receivedOn');
  }
  return runCommand(ctx, { action: 'create', entityType: 'opinion' }, async (trx) => {
    const created = await insertOpinion(trx, ctx, {
      ...input,
      submittedAt: input.receivedOn ? new Date(`${input.receivedOn}T04:00:00Z`).toISOString() : undefined,
      enteredBy: actor.userId,
      // Entered by a county or 司法所: it stays in their scope until 整顿办 triages it.
      ownerUnitId: hasAllScope(actor) ? null : actor.orgUnitId,
    });
    if (input.attachmentIds?.length) await attachFiles(trx, actor.userId, input.attachmentIds, 'opinion', created.id);
    return { result: created, entityId: created.id, after: auditView({ ...created, ...input }) };
  });
}

type OpinionRow = OpinionTable;

/** Loads an opinion the actor may act on (data scope in the query), for update. */
export async function scopedOpinion(ctx: Ctx, trx: Trx, id: string): Promise<OpinionRow> {
  const row = await applyScope(trx.selectFrom('opinion').selectAll(), ctx.actor!, OPINION_SCOPE)
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('意见不存在或不在您的数据范围内');
  return row as OpinionRow;
}

function assertOpen(o: OpinionRow, verb: string) {
  if (o.status === 'merged' || o.status === 'rejected') {
    throw conflict(`该意见已${o.status === 'merged' ? '合并办理' : '不予受理'}，不能${verb}`);
  }
}

function stateView(o: Partial<OpinionRow>) {
  const { receipt_enc: _r, receipt_hash: _h, submitter_name_enc: _n, submitter_phone_enc: _p, search_tokens: _s, content: _c, ...rest } = o;
  return rest;
}

async function update(trx: Trx, id: string, set: Partial<OpinionRow>) {
  await trx.updateTable('opinion').set(set).where('id', '=', id).execute();
}

export async function categorizeOpinion(ctx: Ctx, id: string, category: string) {
  requirePermission(ctx, 'opinions:triage');
  return runCommand(ctx, { action: 'categorize', entityType: 'opinion' }, async (trx) => {
    const before = await scopedOpinion(ctx, trx, id);
    await assertCategory(trx, category);
    const now = ctx.now().toISOString();
    await update(trx, id, { category, updated_at: now });
    await addEvent(trx, now, { opinion_id: id, kind: 'categorized', public: 0, public_text: null, actor_id: ctx.actor!.userId, detail: { category } });
    return { result: { id }, entityId: id, before: { category: before.category }, after: { category } };
  });
}

export async function assignOpinion(ctx: Ctx, id: string, input: { unitId: string; workdays: number; note?: string }) {
  const actor = requirePermission(ctx, 'opinions:triage');
  await assertUnitWritable(ctx.db, actor, input.unitId, '承办单位');
  const calendar = await loadCalendar(ctx.db);
  return runCommand(ctx, { action: 'assign', entityType: 'opinion' }, async (trx) => {
    const before = await scopedOpinion(ctx, trx, id);
    assertOpen(before, '分办');
    if (before.status === 'replied') throw conflict('该意见已答复，不能再分办');
    const unit = await trx.selectFrom('org_unit').select(['id', 'name']).where('id', '=', input.unitId).executeTakeFirst();
    if (!unit) throw badRequest('承办单位：不存在', 'unitId');
    const now = ctx.now().toISOString();
    const deadline = addWorkdays(now, input.workdays, calendar);
    const set = { status: 'assigned' as const, assigned_unit_id: unit.id, assigned_at: now, deadline_at: deadline, updated_at: now };
    await update(trx, id, set);
    await addEvent(trx, now, {
      opinion_id: id, kind: 'assigned', public: 1, actor_id: actor.userId,
      public_text: `已转交${unit.name}办理，将于${shanghaiDate(new Date(deadline))}前答复`,
      detail: { unitId: unit.id, workdays: input.workdays, note: input.note ?? null },
    });
    // Tell the unit's account managers and repliers there is work for them.
    const recipients = await trx
      .selectFrom('app_user')
      .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
      .innerJoin('role', 'role.id', 'user_role.role_id')
      .select('app_user.id')
      .where('app_user.org_unit_id', '=', unit.id)
      .where('app_user.status', '=', 'active')
      .where('role.permissions', 'like', '%"opinions:reply"%')
      .execute();
    await notify(trx, now, recipients.map((r) => r.id), {
      title: `新交办意见 ${before.public_no}`,
      body: `请于 ${shanghaiDate(new Date(deadline))} 前答复`,
      link: `/opinions?id=${id}`,
    });
    return { result: { id, deadlineAt: deadline }, entityId: id, before: stateView(before), after: set };
  });
}

export async function replyOpinion(ctx: Ctx, id: string, reply: string) {
  const actor = requirePermission(ctx, 'opinions:reply');
  return runCommand(ctx, { action: 'reply', entityType: 'opinion' }, async (trx) => {
    const before = await scopedOpinion(ctx, trx, id);
    assertOpen(before, '答复');
    if (!before.assigned_unit_id && !actor.permissions.has('opinions:triage')) {
      throw forbidden('该意见尚未分办，由整顿办答复');
    }
    const now = ctx.now().toISOString();
    const set = { status: 'replied' as const, reply_text: reply, replied_at: now, replied_by: actor.userId, updated_at: now };
    await update(trx, id, set);
    await addEvent(trx, now, { opinion_id: id, kind: 'replied', public: 1, public_text: '已答复，欢迎您对办理结果进行评价', actor_id: actor.userId });
    return {
      result: { id },
      entityId: id,
      before: stateView(before),
      after: { ...set, onTime: before.deadline_at ? now <= before.deadline_at : null },
    };
  });
}

export async function mergeOpinion(ctx: Ctx, id: string, intoId: string) {
  const actor = requirePermission(ctx, 'opinions:triage');
  if (id === intoId) throw badRequest('合并到：不能合并到自身', 'intoId');
  return runCommand(ctx, { action: 'merge', entityType: 'opinion' }, async (trx) => {
    const before = await scopedOpinion(ctx, trx, id);
    assertOpen(before, '合并');
    if (before.status === 'replied') throw conflict('该意见已答复，不能再合并');
    let target = await trx.selectFrom('opinion').selectAll().where('id', '=', intoId).executeTakeFirst();
    if (!target) throw badRequest('合并到：目标意见不存在', 'intoId');
    // Always point at the surviving end of a chain, so the public follows one record.
    for (let hops = 0; target.merged_into_id && hops < 20; hops++) {
      target = (await trx.selectFrom('opinion').selectAll().where('id', '=', target.merged_into_id).executeTakeFirst())!;
    }
    if (target.id === id) throw badRequest('合并到：不能形成循环合并', 'intoId');
    if (target.status === 'rejected') throw badRequest('合并到：目标意见已不予受理', 'intoId');
    const now = ctx.now().toISOString();
    await update(trx, id, { status: 'merged', merged_into_id: target.id, updated_at: now });
    // Whatever was merged into this one now follows the survivor too.
    await trx.updateTable('opinion').set({ merged_into_id: target.id, updated_at: now }).where('merged_into_id', '=', id).execute();
    await addEvent(trx, now, {
      opinion_id: id, kind: 'merged', public: 1, actor_id: actor.userId,
      public_text: `与相同内容的意见（编号 ${target.public_no}）合并办理，办理进度与答复以该意见为准`,
      detail: { intoId: target.id },
    });
    return { result: { id, intoId: target.id }, entityId: id, before: stateView(before), after: { status: 'merged', merged_into_id: target.id } };
  });
}

export async function rejectOpinion(ctx: Ctx, id: string, reason: string) {
  const actor = requirePermission(ctx, 'opinions:triage');
  return runCommand(ctx, { action: 'reject', entityType: 'opinion' }, async (trx) => {
    const before = await scopedOpinion(ctx, trx, id);
    assertOpen(before, '驳回');
    if (before.status === 'replied') throw conflict('该意见已答复，不能再驳回');
    const now = ctx.now().toISOString();
    await update(trx, id, { status: 'rejected', reject_reason: reason, updated_at: now });
    await addEvent(trx, now, { opinion_id: id, kind: 'rejected', public: 1, public_text: `不予受理：${reason}`, actor_id: actor.userId });
    return { result: { id }, entityId: id, before: stateView(before), after: { status: 'rejected', reject_reason: reason } };
  });
}

// Adoption is a command other modules answer to: the rectification ledger (a later issue) registers
// a handler that creates its item in the same transaction and answers the item's id.
export type AdoptionHandler = (
  trx: Trx,
  ctx: Ctx,
  a: {
    adoptionId: string; opinionId: string; title: string; note: string | null; content: string; category: string | null;
    campaignId: string | null; unitId: string | null;
  },
) => Promise<string | null>;
const adoptionHandlers = new Map<string, AdoptionHandler>();
export function onOpinionAdopted(target: keyof typeof ADOPTION_TARGETS, handler: AdoptionHandler) {
  adoptionHandlers.set(target, handler);
}

export async function adoptOpinion(ctx: Ctx, id: string, input: { target: 'ledger' | 'project'; title: string; note?: string }) {
  const actor = requirePermission(ctx, 'opinions:triage');
  return runCommand(ctx, { action: 'adopt', entityType: 'opinion' }, async (trx) => {
    const before = await scopedOpinion(ctx, trx, id);
    assertOpen(before, '纳入清单');
    const existing = await trx
      .selectFrom('opinion_adoption')
      .select('id')
      .where('opinion_id', '=', id)
      .where('target', '=', input.target)
      .executeTakeFirst();
    if (existing) throw conflict(`该意见已纳入${ADOPTION_TARGETS[input.target]}`);
    const now = ctx.now().toISOString();
    const adoptionId = newId();
    const handler = adoptionHandlers.get(input.target);
    const targetRef = handler
      ? await handler(trx, ctx, {
          adoptionId, opinionId: id, title: input.title, note: input.note ?? null, content: before.content, category: before.category,
          campaignId: before.campaign_id, unitId: before.assigned_unit_id,
        })
      : null;
    const adoption = {
      id: adoptionId, opinion_id: id, target: input.target, target_ref: targetRef, title: input.title, note: input.note ?? null,
      // 'pending' until the receiving module links its record (handler or linkAdoption).
      status: targetRef ? 'linked' : 'pending', created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('opinion_adoption').values(adoption).execute();
    await addEvent(trx, now, {
      opinion_id: id, kind: 'adopted', public: 1, actor_id: actor.userId,
      public_text: `已纳入${ADOPTION_TARGETS[input.target]}：${input.title}`,
      detail: { adoptionId, target: input.target },
    });
    return { result: { id: adoptionId, targetRef }, entityId: id, after: adoption };
  });
}

/** Adoptions still waiting for their item (the demo's, or ones made before the receiving module existed). */
export async function pendingAdoptions(db: Ctx['db'] | Trx, target: 'ledger' | 'project') {
  return db
    .selectFrom('opinion_adoption')
    .innerJoin('opinion', 'opinion.id', 'opinion_adoption.opinion_id')
    .select([
      'opinion_adoption.id as adoptionId', 'opinion_adoption.opinion_id as opinionId', 'opinion_adoption.title', 'opinion_adoption.note',
      'opinion_adoption.created_at as adoptedAt', 'opinion.content', 'opinion.category', 'opinion.campaign_id as campaignId',
      'opinion.assigned_unit_id as unitId',
    ])
    .where('opinion_adoption.target', '=', target)
    .where('opinion_adoption.status', '=', 'pending')
    .orderBy('opinion_adoption.created_at')
    .orderBy('opinion_adoption.id')
    .execute();
}

/** Inside the receiving module's own command: the adoption now points at its record. */
export async function markAdoptionLinked(trx: Trx, adoptionId: string, targetRef: string, now: string) {
  await trx
    .updateTable('opinion_adoption')
    .set({ target_ref: targetRef, status: 'linked', updated_at: now })
    .where('id', '=', adoptionId)
    .where('status', '=', 'pending')
    .execute();
}

/** Called by the receiving module to record (or update) the item an adoption became. */
export async function linkAdoption(ctx: Ctx, adoptionId: string, targetRef: string, status = 'linked') {
  return runCommand(ctx, { action: 'link_adoption', entityType: 'opinion_adoption' }, async (trx) => {
    const before = await trx.selectFrom('opinion_adoption').selectAll().where('id', '=', adoptionId).executeTakeFirst();
    if (!before) throw notFound('纳入记录不存在');
    const now = ctx.now().toISOString();
    await trx.updateTable('opinion_adoption').set({ target_ref: targetRef, status, updated_at: now }).where('id', '=', adoptionId).execute();
    return { result: { id: adoptionId }, entityId: adoptionId, before, after: { target_ref: targetRef, status } };
  });
}
