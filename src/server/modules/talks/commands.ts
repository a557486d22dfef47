import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { assertUnitWritable, peopleInScope, type ScopeColumns } from '../../platform/access.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { shanghaiDate } from '../../platform/time.js';
import type { TalkRoundTable, TalkTable } from '../../db/types.js';
import type { TalkInput, TalkPatch, TalkRoundInput } from '../../../shared/schemas/talks.js';

// 谈心谈话: rounds per campaign (the account's two full rounds), and the talks in them. Everyone a talk
// names — the talker and every talkee — must be someone the recorder may see, and the record belongs
// to the talker's unit, which the recorder must be able to write.

/** A talk is its talker's unit's record; the talker themself sees it under scope self. */
export const TALK_SCOPE: ScopeColumns = { unit: 'talk.org_unit_id', person: 'talk.talker_person_id' };

export async function createRound(ctx: Ctx, input: TalkRoundInput) {
  requirePermission(ctx, 'campaign:write');
  return runCommand(ctx, { action: 'create', entityType: 'talk_round' }, async (trx) => {
    const campaign = await trx.selectFrom('campaign').select('id').where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw badRequest('教育整顿批次：不存在', 'campaignId');
    const taken = await trx.selectFrom('talk_round').select('id').where('campaign_id', '=', input.campaignId).where('round', '=', input.round).executeTakeFirst();
    if (taken) throw conflict(`轮次：本批次已有第 ${input.round} 轮`, 'round');
    const now = ctx.now().toISOString();
    const row: TalkRoundTable = {
      id: newId(), campaign_id: input.campaignId, round: input.round, name: input.name, start_date: input.startDate || null,
      end_date: input.endDate || null, created_at: now, updated_at: now,
    };
    await trx.insertInto('talk_round').values(row).execute();
    return { result: { id: row.id }, entityId: row.id, after: row };
  });
}

async function checkTalk(trx: Trx, ctx: Ctx, input: Pick<TalkInput, 'roundId' | 'talkerPersonId' | 'talkeePersonIds' | 'heldOn'>) {
  const actor = ctx.actor!;
  const round = await trx.selectFrom('talk_round').selectAll().where('id', '=', input.roundId).executeTakeFirst();
  if (!round) throw badRequest('谈话轮次：不存在', 'roundId');
  if (input.heldOn > shanghaiDate(ctx.now())) throw badRequest('谈话日期：不能晚于今天', 'heldOn');
  if ((round.start_date && input.heldOn < round.start_date) || (round.end_date && input.heldOn > round.end_date)) {
    throw badRequest(`谈话日期：须在本轮起止日期内（${round.start_date ?? '…'} 至 ${round.end_date ?? '…'}）`, 'heldOn');
  }
  const talkees = [...new Set(input.talkeePersonIds)];
  if (talkees.length !== input.talkeePersonIds.length) throw badRequest('谈话对象：有重复的人员', 'talkeePersonIds');
  if (talkees.includes(input.talkerPersonId)) throw badRequest('谈话对象：不能与谈话人相同', 'talkeePersonIds');
  const ids = [input.talkerPersonId, ...talkees];
  const people = await peopleInScope(trx, actor, ids, (i) =>
    i === 0
      ? { text: '谈话人：不存在或不在您的数据范围内', field: 'talkerPersonId' }
      : { text: `谈话对象：第 ${i} 人不存在或不在您的数据范围内`, field: `talkeePersonIds.${i - 1}` },
  );
  const talker = people.get(input.talkerPersonId)!;
  await assertUnitWritable(trx, actor, talker.org_unit_id, '谈话人所在单位');
  return { round, talker, talkees };
}

export async function createTalk(ctx: Ctx, input: TalkInput) {
  const actor = requirePermission(ctx, 'talks:write');
  return runCommand(ctx, { action: 'create', entityType: 'talk' }, async (trx) => {
    const { round, talker, talkees } = await checkTalk(trx, ctx, input);
    const now = ctx.now().toISOString();
    const row: TalkTable = {
      id: newId(), round_id: round.id, talker_person_id: talker.id, org_unit_id: talker.org_unit_id, held_on: input.heldOn,
      reason: input.reason ?? null, topics: JSON.stringify(input.topics), summary: input.summary, follow_up: input.followUp || null,
      talkee_count: talkees.length, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('talk').values(row).execute();
    await trx
      .insertInto('talk_participant')
      .values([
        { talk_id: row.id, round_id: round.id, person_id: talker.id, role: 'talker' as const },
        ...talkees.map((p) => ({ talk_id: row.id, round_id: round.id, person_id: p, role: 'talkee' as const })),
      ])
      .execute();
    // The audit names who talked with whom and when, not what was said.
    return { result: { id: row.id }, entityId: row.id, after: { round: round.round, talker: talker.id, talkees, heldOn: input.heldOn } };
  });
}

/**
 * Corrects a talk: its round, date, reason, topics, summary and follow-ups, and who took part. A changed
 * round, date or participant is checked as a new talk's would be; the record follows the talker to their
 * unit, and the recorder must be able to write both the old unit and the new one.
 */
export async function updateTalk(ctx: Ctx, id: string, patch: TalkPatch) {
  const actor = requirePermission(ctx, 'talks:write');
  return runCommand(ctx, { action: 'update', entityType: 'talk' }, async (trx) => {
    const before = await trx.selectFrom('talk').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('谈话记录不存在');
    await assertUnitWritable(trx, actor, before.org_unit_id, '该谈话记录所属单位');
    const oldTalkees = (await trx.selectFrom('talk_participant').select('person_id').where('talk_id', '=', id).where('role', '=', 'talkee').orderBy('person_id').execute()).map(
      (p) => p.person_id,
    );
    const roundId = patch.roundId ?? before.round_id;
    const talkerId = patch.talkerPersonId ?? before.talker_person_id;
    // Participants are rewritten when who or which round changes (each participant row carries the round).
    const rewrite = patch.talkerPersonId !== undefined || patch.talkeePersonIds !== undefined || roundId !== before.round_id;
    let talkerUnit = before.org_unit_id;
    let talkees = oldTalkees;
    if (rewrite || patch.heldOn) {
      const checked = await checkTalk(trx, ctx, {
        roundId,
        talkerPersonId: talkerId,
        talkeePersonIds: patch.talkeePersonIds ?? oldTalkees,
        heldOn: patch.heldOn ?? before.held_on,
      });
      talkerUnit = checked.talker.org_unit_id;
      talkees = checked.talkees;
    }
    const set = {
      ...(patch.heldOn ? { held_on: patch.heldOn } : {}),
      ...(patch.reason !== undefined ? { reason: patch.reason ?? null } : {}),
      ...(patch.topics ? { topics: JSON.stringify(patch.topics) } : {}),
      ...(patch.summary ? { summary: patch.summary } : {}),
      ...(patch.followUp !== undefined ? { follow_up: patch.followUp || null } : {}),
      ...(rewrite ? { round_id: roundId, talker_person_id: talkerId, org_unit_id: talkerUnit, talkee_count: talkees.length } : {}),
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('talk').set(set).where('id', '=', id).execute();
    if (rewrite) {
      await trx.deleteFrom('talk_participant').where('talk_id', '=', id).execute();
      await trx
        .insertInto('talk_participant')
        .values([
          { talk_id: id, round_id: roundId, person_id: talkerId, role: 'talker' as const },
          ...talkees.map((p) => ({ talk_id: id, round_id: roundId, person_id: p, role: 'talkee' as const })),
        ])
        .execute();
    }
    // As on creation, the audit keeps who talked with whom, in which round and when, not what was said.
    return {
      result: { id },
      entityId: id,
      before: { round: before.round_id, heldOn: before.held_on, talker: before.talker_person_id, talkees: oldTalkees },
      after: { round: roundId, heldOn: set.held_on ?? before.held_on, talker: talkerId, talkees: [...talkees].sort() },
    };
  });
}
