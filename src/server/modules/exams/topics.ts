import type { Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { StudyTopicTable } from '../../db/types.js';
import type { TopicInput } from '../../../shared/schemas/exams.js';
import { campaignToShowFor } from '../campaigns/queries.js';

// 专题: a campaign's study topics. Each ends with an online objective test and an offline paper
// exam; the topic's weights combine the two into the topic result.

export function presentTopic(r: StudyTopicTable) {
  return {
    id: r.id, campaignId: r.campaign_id, title: r.title, description: r.description, startsOn: r.starts_on, endsOn: r.ends_on,
    onlineWeight: r.online_weight, offlineWeight: r.offline_weight, passScore: r.pass_score, updatedAt: r.updated_at,
  };
}

export async function createTopic(ctx: Ctx, input: TopicInput) {
  const actor = requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'create', entityType: 'study_topic' }, async (trx) => {
    const campaign = await trx.selectFrom('campaign').select('id').where('id', '=', input.campaignId).executeTakeFirst();
    if (!campaign) throw badRequest('教育整顿批次：不存在', 'campaignId');
    const now = ctx.now().toISOString();
    const row: StudyTopicTable = {
      id: newId(), campaign_id: input.campaignId, title: input.title, description: input.description || null, starts_on: input.startsOn || null,
      ends_on: input.endsOn || null, online_weight: input.onlineWeight, offline_weight: input.offlineWeight, pass_score: input.passScore,
      created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('study_topic').values(row).execute();
    return { result: presentTopic(row), entityId: row.id, after: row };
  });
}

export async function updateTopic(ctx: Ctx, id: string, input: TopicInput) {
  requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'update', entityType: 'study_topic' }, async (trx) => {
    const before = await trx.selectFrom('study_topic').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('专题不存在');
    if (input.campaignId !== before.campaign_id) throw badRequest('教育整顿批次：专题不能改到另一批次', 'campaignId');
    const set = {
      title: input.title, description: input.description || null, starts_on: input.startsOn || null, ends_on: input.endsOn || null,
      online_weight: input.onlineWeight, offline_weight: input.offlineWeight, pass_score: input.passScore, updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('study_topic').set(set).where('id', '=', id).execute();
    return { result: presentTopic({ ...before, ...set }), entityId: id, before, after: { ...before, ...set } };
  });
}

/** A campaign's topics in date order (index study_topic_order); few per campaign, so no paging. */
export async function listTopics(ctx: Ctx, campaignId?: string) {
  const id = campaignId ?? (await campaignToShowFor(ctx, 'study_topic'));
  if (!id) return { items: [], total: 0, campaignId: null };
  const rows = await ctx.db.selectFrom('study_topic').selectAll().where('campaign_id', '=', id).orderBy('starts_on').orderBy('id').execute();
  return { items: rows.map(presentTopic), total: rows.length, campaignId: id };
}

export async function getTopic(ctx: Ctx, id: string) {
  const r = await ctx.db.selectFrom('study_topic').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('专题不存在');
  return presentTopic(r);
}
