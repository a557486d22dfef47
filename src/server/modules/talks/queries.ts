import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope, PERSON_SCOPE } from '../../platform/access.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { coverageByUnit, listNotDone, type DoneCondition } from '../people/coverage.js';
import { MUST_TALK_REASONS, TALK_TOPICS, type TalkCoverageQuery, type TalkQuery } from '../../../shared/schemas/talks.js';
import { TALK_SCOPE } from './commands.js';

const campaignOf = async (ctx: Ctx, campaignId?: string) => campaignId ?? (await campaignToShowFor(ctx, 'talk_round'));

export async function listRounds(ctx: Ctx, campaignId?: string) {
  const id = await campaignOf(ctx, campaignId);
  if (!id) return { items: [], total: 0, campaignId: null };
  const rows = await ctx.db.selectFrom('talk_round').selectAll().where('campaign_id', '=', id).orderBy('round').execute();
  const items = rows.map((r) => ({ id: r.id, campaignId: r.campaign_id, round: r.round, name: r.name, startDate: r.start_date, endDate: r.end_date }));
  return { items, total: items.length, campaignId: id };
}

/** The round asked for, else the campaign's latest round. */
async function roundOf(ctx: Ctx, f: { roundId?: string; campaignId?: string }) {
  if (f.roundId) {
    const r = await ctx.db.selectFrom('talk_round').selectAll().where('id', '=', f.roundId).executeTakeFirst();
    if (!r) throw badRequest('谈话轮次：不存在', 'roundId');
    return r;
  }
  const campaignId = await campaignOf(ctx, f.campaignId);
  if (!campaignId) return null;
  return (await ctx.db.selectFrom('talk_round').selectAll().where('campaign_id', '=', campaignId).orderBy('round', 'desc').executeTakeFirst()) ?? null;
}

/** "Took part in the round", as talker or talkee. */
const participated = (roundId: string): DoneCondition => (eb) =>
  eb.exists(eb.selectFrom('talk_participant as tp').select('tp.person_id').whereRef('tp.person_id', '=', 'person.id').where('tp.round_id', '=', roundId));

/** One round's coverage: serving officers in scope who took part (as talker or talkee), per unit and in all. */
export async function roundCoverage(ctx: Ctx, actor: Actor | null, roundId: string, orgUnitId?: string) {
  const c = await coverageByUnit(ctx, actor, participated(roundId), orgUnitId);
  return { total: c.total, covered: c.done, missing: c.missing, units: c.units.map(({ done, ...u }) => ({ ...u, covered: done })) };
}

export async function coverage(ctx: Ctx, actor: Actor, f: TalkCoverageQuery) {
  const round = await roundOf(ctx, f);
  if (!round) return { round: null, total: 0, covered: 0, missing: 0, units: [] };
  return { round: { id: round.id, round: round.round, name: round.name }, ...(await roundCoverage(ctx, actor, round.id, f.orgUnitId)) };
}

/** Who in scope has not talked in the round yet, in the people list's order (index person_sort). */
export async function listNotTalked(ctx: Ctx, actor: Actor, f: TalkCoverageQuery) {
  const round = await roundOf(ctx, f);
  if (!round) return { items: [], total: 0, roundId: null };
  return { ...(await listNotDone(ctx, actor, participated(round.id), f, 'talk-missing')), roundId: round.id };
}

function withNames(ctx: Ctx) {
  return ctx.db
    .selectFrom('talk')
    .innerJoin('person as talker', 'talker.id', 'talk.talker_person_id')
    .innerJoin('org_unit', 'org_unit.id', 'talk.org_unit_id')
    .innerJoin('talk_round', 'talk_round.id', 'talk.round_id')
    .selectAll('talk')
    .select(['talker.name as talker_name', 'org_unit.name as org_unit_name', 'talk_round.round as round']);
}

type Row = Awaited<ReturnType<ReturnType<typeof withNames>['executeTakeFirstOrThrow']>>;

function present(r: Row, talkees: { id: string; name: string }[]) {
  const topics = JSON.parse(r.topics) as (keyof typeof TALK_TOPICS)[];
  return {
    id: r.id, roundId: r.round_id, round: r.round, heldOn: r.held_on, talkerPersonId: r.talker_person_id, talkerName: r.talker_name,
    orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name, reason: r.reason,
    reasonLabel: r.reason ? (MUST_TALK_REASONS[r.reason as keyof typeof MUST_TALK_REASONS] ?? r.reason) : null,
    topics, topicLabels: topics.map((t) => TALK_TOPICS[t] ?? t), summary: r.summary, followUp: r.follow_up, talkees,
    talkeeCount: r.talkee_count, updatedAt: r.updated_at,
  };
}

async function talkeesOf(ctx: Ctx, talkIds: string[]) {
  if (!talkIds.length) return new Map<string, { id: string; name: string }[]>();
  const rows = await ctx.db
    .selectFrom('talk_participant')
    .innerJoin('person', 'person.id', 'talk_participant.person_id')
    .select(['talk_participant.talk_id', 'person.id', 'person.name'])
    .where('talk_participant.talk_id', 'in', talkIds)
    .where('talk_participant.role', '=', 'talkee')
    .orderBy('person.name')
    .execute();
  const by = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) by.set(r.talk_id, [...(by.get(r.talk_id) ?? []), { id: r.id, name: r.name }]);
  return by;
}

/** A round's talks in scope, latest first (index talk_round_order; talk_unit_order for one unit). */
export async function listTalks(ctx: Ctx, actor: Actor, f: TalkQuery) {
  const round = await roundOf(ctx, f);
  if (!round) return { items: [], total: 0, roundId: null };
  let from = applyScope(ctx.db.selectFrom('talk').where('talk.round_id', '=', round.id), actor, TALK_SCOPE);
  if (f.orgUnitId) from = from.where('talk.org_unit_id', '=', f.orgUnitId);
  if (f.personId) {
    const personId = f.personId;
    from = from.where((eb) =>
      eb.exists(eb.selectFrom('talk_participant as tp').select('tp.talk_id').whereRef('tp.talk_id', '=', 'talk.id').where('tp.person_id', '=', personId)),
    );
  }
  const page = await listPage(ctx.db, {
    name: 'talks',
    from,
    id: 'talk.id',
    order: [['talk.held_on', 'desc'], ['talk.id', 'desc']],
    rows: (ids) => withNames(ctx).where('talk.id', 'in', ids),
    count: f.personId ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const talkees = await talkeesOf(ctx, page.items.map((t) => t.id));
  // The person filtered on, by name, so the page can say whose talks these are (only someone in scope).
  const person = f.personId
    ? ((await applyScope(ctx.db.selectFrom('person').select(['person.id', 'person.name']), actor, PERSON_SCOPE).where('person.id', '=', f.personId).executeTakeFirst()) ?? null)
    : null;
  return { ...page, roundId: round.id, person, items: page.items.map((t) => present(t, talkees.get(t.id) ?? [])) };
}

export async function getTalk(ctx: Ctx, actor: Actor, id: string) {
  const found = await applyScope(ctx.db.selectFrom('talk').select('talk.id'), actor, TALK_SCOPE).where('talk.id', '=', id).executeTakeFirst();
  if (!found) throw notFound('谈话记录不存在');
  const row = await withNames(ctx).where('talk.id', '=', id).executeTakeFirstOrThrow();
  return present(row, (await talkeesOf(ctx, [id])).get(id) ?? []);
}

/** talks.rounds: each round of the campaign shown, with how many serving officers took part of how many. */
export async function talkFigures(ctx: Ctx) {
  const campaignId = await campaignOf(ctx);
  if (!campaignId) return { rounds: [] };
  const rounds = await ctx.db.selectFrom('talk_round').select(['id', 'round']).where('campaign_id', '=', campaignId).orderBy('round').execute();
  const out: { round: number; covered: number; total: number }[] = [];
  for (const r of rounds) {
    const c = await roundCoverage(ctx, ctx.actor, r.id);
    out.push({ round: r.round, covered: c.covered, total: c.total });
  }
  return { rounds: out };
}
