import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { PROBLEM_KINDS } from '../../../shared/schemas/talks.js';
import { LIFE_MEETING_SCOPE } from './commands.js';

export async function listLifeMeetings(ctx: Ctx, actor: Actor, f: { page: number; pageSize: number; campaignId?: string }) {
  const campaignId = f.campaignId ?? (await campaignToShowFor(ctx, 'life_meeting'));
  if (!campaignId) return { items: [], total: 0, campaignId: null };
  const page = await listPage(ctx.db, {
    name: 'life-meetings',
    from: applyScope(ctx.db.selectFrom('life_meeting').where('life_meeting.campaign_id', '=', campaignId), actor, LIFE_MEETING_SCOPE),
    id: 'life_meeting.id',
    order: [['life_meeting.held_on', 'desc'], ['life_meeting.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('life_meeting')
        .innerJoin('org_unit', 'org_unit.id', 'life_meeting.org_unit_id')
        .selectAll('life_meeting')
        .select((eb) => [
          'org_unit.name as org_unit_name',
          eb.selectFrom('life_meeting_attendee').select(sql<number>`count(*)`.as('n')).whereRef('life_meeting_attendee.meeting_id', '=', 'life_meeting.id').as('attendees'),
          eb.selectFrom('life_meeting_problem').select(sql<number>`count(*)`.as('n')).whereRef('life_meeting_problem.meeting_id', '=', 'life_meeting.id').as('problems'),
        ])
        .where('life_meeting.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    campaignId,
    items: page.items.map((m) => ({
      id: m.id, title: m.title, heldOn: m.held_on, host: m.host, location: m.location, orgUnitId: m.org_unit_id, orgUnitName: m.org_unit_name,
      attendeeCount: Number(m.attendees ?? 0), problemCount: Number(m.problems ?? 0),
    })),
  };
}

export async function getLifeMeeting(ctx: Ctx, actor: Actor, id: string) {
  const m = await applyScope(ctx.db.selectFrom('life_meeting').selectAll(), actor, LIFE_MEETING_SCOPE).where('life_meeting.id', '=', id).executeTakeFirst();
  if (!m) throw notFound('民主生活会不存在');
  const [attendees, problems] = await Promise.all([
    ctx.db
      .selectFrom('life_meeting_attendee')
      .innerJoin('person', 'person.id', 'life_meeting_attendee.person_id')
      .select(['person.id', 'person.name'])
      .where('life_meeting_attendee.meeting_id', '=', id)
      .orderBy('person.name')
      .execute(),
    ctx.db
      .selectFrom('life_meeting_problem')
      .leftJoin('person', 'person.id', 'life_meeting_problem.person_id')
      .leftJoin('rectification_item', 'rectification_item.id', 'life_meeting_problem.item_id')
      .select([
        'life_meeting_problem.id', 'life_meeting_problem.kind', 'life_meeting_problem.description', 'life_meeting_problem.item_id',
        'person.name as person_name', 'rectification_item.seq as item_seq', 'rectification_item.deadline as item_deadline',
        'rectification_item.status as item_status', 'rectification_item.progress as item_progress',
      ])
      .where('life_meeting_problem.meeting_id', '=', id)
      .orderBy('life_meeting_problem.created_at')
      .orderBy('life_meeting_problem.id')
      .execute(),
  ]);
  return {
    id: m.id, campaignId: m.campaign_id, orgUnitId: m.org_unit_id, title: m.title, heldOn: m.held_on, host: m.host, location: m.location, summary: m.summary,
    attendees,
    problems: problems.map((p) => ({
      id: p.id, kind: p.kind, kindLabel: PROBLEM_KINDS[p.kind], description: p.description, personName: p.person_name,
      item: p.item_id ? { id: p.item_id, seq: p.item_seq, deadline: p.item_deadline, status: p.item_status, progress: Number(p.item_progress ?? 0) } : null,
    })),
  };
}

export async function lifeMeetingFigures(ctx: Ctx) {
  let q = ctx.db.selectFrom('life_meeting').select(sql<number>`count(*)`.as('n'));
  if (ctx.actor) q = applyScope(q, ctx.actor, LIFE_MEETING_SCOPE);
  return { total: Number((await q.executeTakeFirstOrThrow()).n) };
}
