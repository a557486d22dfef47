import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { nextDayNumber } from '../../platform/sqlx.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitsInScope, peopleInScope, type ScopeColumns } from '../../platform/access.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { shanghaiDate } from '../../platform/time.js';
import { addDays } from '../../platform/workdays.js';
import type { ClueTable } from '../../db/types.js';
import { attachFiles } from '../files/commands.js';
import {
  DISPOSAL_METHODS, DISPOSITIONS, VERIFICATION_OUTCOMES, type ClueInput, type DisposalMethod, type Disposition, type VerificationOutcome,
} from '../../../shared/schemas/clues.js';

// 问题线索: restricted to clue handlers. The clue's text, the reporter and every decision's note are
// sealed; a clue is in a handler's data scope by the unit of what it concerns; a handler never sees a
// clue that concerns themself (as if it did not exist). Every verb is one audited transaction whose
// audit entry names the stage, never the content.

export const CLUE_SCOPE: ScopeColumns = { unit: 'clue.org_unit_id' };

/** Days a step may take when no deadline is set for it: deciding how to dispose, and deciding the disposition. */
export const DISPOSE_WITHIN_DAYS = 15;
export const CLOSE_WITHIN_DAYS = 30;

/**
 * The clues the actor may see: in scope, and none that concerns the actor's own person. Used by every
 * read and write, so the rule cannot be forgotten in one of them.
 */
export function visibleClues<Q extends { where: (...args: any[]) => any }>(q: Q, actor: Actor): Q {
  let out = applyScope(q, actor, CLUE_SCOPE);
  if (actor.personId) {
    const me = actor.personId;
    out = out.where((eb: any) =>
      eb.not(eb.exists(eb.selectFrom('clue_subject as own').select('own.clue_id').whereRef('own.clue_id', '=', 'clue.id').where('own.person_id', '=', me))),
    );
  }
  return out;
}

export async function visibleClue(trx: Trx | Ctx['db'], actor: Actor, id: string): Promise<ClueTable> {
  const row = await visibleClues(trx.selectFrom('clue').selectAll(), actor).where('clue.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('线索不存在');
  return row as ClueTable;
}

async function addEvent(trx: Trx, ctx: Ctx, actor: Actor, clueId: string, kind: string, note: string | null) {
  await trx
    .insertInto('clue_event')
    .values({
      id: newId(), clue_id: clueId, at: ctx.now().toISOString(), kind, note_enc: note ? ctx.cipher.seal(note) : null,
      actor_id: actor.userId, actor_name: actor.displayName,
    })
    .execute();
}

export async function registerClue(ctx: Ctx, input: ClueInput) {
  const actor = requirePermission(ctx, 'clues:write');
  return runCommand(ctx, { action: 'register', entityType: 'clue' }, async (trx) => {
    const row = await insertClue(trx, ctx, actor, input);
    return { result: { id: row.id, clueNo: row.clue_no }, entityId: row.id, after: { clue_no: row.clue_no, source: row.source, stage: row.stage } };
  });
}

/**
 * Registers a clue inside the caller's transaction (its audit entry is the caller's): 登记 itself,
 * and a confirmed data-screening hit. Every check of 登记 applies.
 */
export async function insertClue(trx: Trx, ctx: Ctx, actor: Actor, input: ClueInput): Promise<ClueTable> {
  if (input.receivedOn > shanghaiDate(ctx.now())) throw badRequest('收到日期：不能晚于今天', 'receivedOn');
  {
    const campaign = await trx.selectFrom('campaign').select('id').where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw badRequest('教育整顿批次：不存在', 'campaignId');
    if (input.categoryId) {
      const c = await trx.selectFrom('problem_category').select('id').where('id', '=', input.categoryId).where('campaign_id', '=', input.campaignId).executeTakeFirst();
      if (!c) throw badRequest('问题类别：不存在（须为本批次的类别）', 'categoryId');
    }
    // Everyone and every unit named must be within the handler's scope; the handler cannot register
    // (and so come to see) a clue about themself.
    const personIds = input.subjects.map((s) => s.personId).filter((p): p is string => Boolean(p));
    const people = await peopleInScope(trx, actor, personIds, (i) => ({ text: '涉及人员：不存在或不在您的数据范围内', field: `subjects.${input.subjects.findIndex((s) => s.personId === personIds[i])}.personId` }));
    if (actor.personId && personIds.includes(actor.personId)) throw badRequest('涉及人员：线索涉及本人的，应由其他线索管理员登记', 'subjects');
    const unitIds = input.subjects.filter((s) => !s.personId && s.orgUnitId).map((s) => s.orgUnitId!);
    await assertUnitsInScope(trx, actor, unitIds, 'subjects', '涉及单位');
    const subjects = input.subjects.map((s, seq) => ({
      person_id: s.personId || null,
      org_unit_id: s.personId ? people.get(s.personId)!.org_unit_id : s.orgUnitId!,
      seq,
    }));
    const now = ctx.now().toISOString();
    const row: ClueTable = {
      id: newId(), clue_no: await nextDayNumber(trx, ctx.dialect, { table: 'clue', column: 'clue_no', prefix: 'XS' }, input.receivedOn), campaign_id: input.campaignId, source: input.source,
      category_id: input.categoryId || null, org_unit_id: subjects[0]!.org_unit_id, summary_enc: ctx.cipher.seal(input.summary),
      reporter_name_enc: input.reporterName ? ctx.cipher.seal(input.reporterName) : null,
      reporter_phone_enc: input.reporterPhone ? ctx.cipher.seal(input.reporterPhone) : null,
      received_on: input.receivedOn, stage: 'registered', disposal_method: null, disposal_due: null,
      stage_due: addDays(input.receivedOn, DISPOSE_WITHIN_DAYS), verification_outcome: null,
      verified_on: null, disposition: null, closed_on: null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('clue').values(row).execute();
    await trx.insertInto('clue_subject').values(subjects.map((s) => ({ ...s, clue_id: row.id }))).execute();
    await attachFiles(trx, actor.userId, input.attachmentIds, 'clue', row.id);
    await addEvent(trx, ctx, actor, row.id, 'registered', null);
    return row;
  }
}

/** 处置: one of the four methods, with its deadline. 予以了结 closes the clue at once (no disposition). */
export async function disposeClue(ctx: Ctx, id: string, input: { method: DisposalMethod; due?: string | null; note: string }) {
  const actor = requirePermission(ctx, 'clues:write');
  return runCommand(ctx, { action: 'dispose', entityType: 'clue' }, async (trx) => {
    const before = await visibleClue(trx, actor, id);
    if (before.stage !== 'registered' && !(before.stage === 'disposing' && before.disposal_method === 'shelved')) {
      throw conflict('线索已进入处置，不能重复处置（暂存待查的可重新处置）');
    }
    if (input.due && input.due < before.received_on) throw badRequest('办理期限：不能早于收到日期', 'due');
    if (input.method !== 'concluded' && input.method !== 'shelved' && !input.due) throw badRequest('办理期限：谈话函询、初步核实须填写办理期限', 'due');
    const now = ctx.now().toISOString();
    const closing = input.method === 'concluded';
    const set = {
      stage: closing ? ('closed' as const) : ('disposing' as const), disposal_method: input.method, disposal_due: input.due || null,
      // 暂存待查 waits without a deadline; the others are due by the disposal's 办理期限.
      stage_due: closing || input.method === 'shelved' ? null : input.due || null,
      ...(closing ? { closed_on: shanghaiDate(ctx.now()), disposition: 'none' } : {}), updated_at: now,
    };
    await trx.updateTable('clue').set(set).where('id', '=', id).execute();
    await addEvent(trx, ctx, actor, id, `dispose:${input.method}`, input.note);
    return { result: { id, stage: set.stage }, entityId: id, before: { stage: before.stage }, after: { stage: set.stage, method: DISPOSAL_METHODS[input.method] } };
  });
}

export async function verifyClue(ctx: Ctx, id: string, input: { outcome: VerificationOutcome; verifiedOn: string; note: string }) {
  const actor = requirePermission(ctx, 'clues:write');
  return runCommand(ctx, { action: 'verify', entityType: 'clue' }, async (trx) => {
    const before = await visibleClue(trx, actor, id);
    if (before.stage !== 'disposing' || before.disposal_method === 'shelved') throw conflict('线索须先以谈话函询或初步核实方式处置，才能登记核实结果');
    if (input.verifiedOn < before.received_on) throw badRequest('核实日期：不能早于收到日期', 'verifiedOn');
    if (input.verifiedOn > shanghaiDate(ctx.now())) throw badRequest('核实日期：不能晚于今天', 'verifiedOn');
    const now = ctx.now().toISOString();
    await trx
      .updateTable('clue')
      .set({ stage: 'verified', verification_outcome: input.outcome, verified_on: input.verifiedOn, stage_due: addDays(input.verifiedOn, CLOSE_WITHIN_DAYS), updated_at: now })
      .where('id', '=', id)
      .execute();
    await addEvent(trx, ctx, actor, id, `verify:${input.outcome}`, input.note);
    return { result: { id, stage: 'verified' }, entityId: id, before: { stage: before.stage }, after: { stage: 'verified', outcome: VERIFICATION_OUTCOMES[input.outcome] } };
  });
}

export async function closeClue(ctx: Ctx, id: string, input: { disposition: Disposition; closedOn: string; note: string }) {
  const actor = requirePermission(ctx, 'clues:write');
  return runCommand(ctx, { action: 'close', entityType: 'clue' }, async (trx) => {
    const before = await visibleClue(trx, actor, id);
    if (before.stage !== 'verified') throw conflict('线索须先登记核实结果，才能办结');
    if (input.closedOn < (before.verified_on ?? before.received_on)) throw badRequest('办结日期：不能早于核实日期', 'closedOn');
    if (before.verification_outcome === 'untrue' && input.disposition !== 'none') {
      throw badRequest('处理结果：核实不属实的线索应“不予处理”', 'disposition');
    }
    const now = ctx.now().toISOString();
    await trx.updateTable('clue').set({ stage: 'closed', disposition: input.disposition, closed_on: input.closedOn, stage_due: null, updated_at: now }).where('id', '=', id).execute();
    await addEvent(trx, ctx, actor, id, `close:${input.disposition}`, input.note);
    return { result: { id, stage: 'closed' }, entityId: id, before: { stage: before.stage }, after: { stage: 'closed', disposition: DISPOSITIONS[input.disposition] } };
  });
}
