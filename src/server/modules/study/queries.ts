import { sql, type SqlBool } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { can } from '../../platform/context.js';
import { applyScope, assertUnitWritable, hasAllScope, PERSON_SCOPE, scopeCondition, type ScopeColumns } from '../../platform/access.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { listPage } from '../../platform/list.js';
import { shanghaiDate } from '../../platform/time.js';
import { addDays } from '../../platform/workdays.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { listAttachments } from '../files/queries.js';
import {
  ATTENDANCE_METHODS, COMMENDATION_KINDS, SHARE_CATEGORIES, SHARE_KINDS, STUDY_MODE_CODES, STUDY_MODES,
  type ActivityQuery, type CommendationQuery, type MyQuery, type PageQuery, type ShareQuery, type StudyMode, type VisitQuery,
} from '../../../shared/schemas/study.js';
import { ACTIVITY_SCOPE, COMMENDATION_SCOPE, isExpected, REVIEW_SCOPE, SERIES_SCOPE, SHARE_SCOPE, VISIT_SCOPE } from './commands.js';
import { CHECKIN_OPENS_BEFORE_MS, CHECKIN_WINDOW_MS, checkinCode, checkinState, windowOf } from './checkin.js';

// Reads of 学习教育, always through the caller's scope: activities by their organising unit, reviews and
// shares by their person's unit, visits by the party organisation's unit. The check-in secret is never
// selected for an answer: every read names its columns.

const hours = (tenths: number | null | undefined) => Math.round(Number(tenths ?? 0)) / 10;
const rate = (n: number, of: number) => (of > 0 ? Math.min(1, Math.round((n / of) * 1000) / 1000) : null);

// ---------------------------------------------------------------- activities

const ACTIVITY_COLUMNS = [
  'study_activity.id', 'study_activity.campaign_id', 'study_activity.topic_id', 'study_activity.series_id', 'study_activity.mode',
  'study_activity.title', 'study_activity.held_on', 'study_activity.starts_at', 'study_activity.ends_at', 'study_activity.place',
  'study_activity.org_unit_id', 'study_activity.party_org_id', 'study_activity.speaker', 'study_activity.speaker_person_id',
  'study_activity.summary', 'study_activity.links', 'study_activity.hours_tenths', 'study_activity.expected_count',
  'study_activity.attended_count', 'study_activity.updated_at',
] as const;

function activityRows(ctx: Ctx) {
  return ctx.db
    .selectFrom('study_activity')
    .innerJoin('org_unit', 'org_unit.id', 'study_activity.org_unit_id')
    .leftJoin('study_topic', 'study_topic.id', 'study_activity.topic_id')
    .leftJoin('party_org', 'party_org.id', 'study_activity.party_org_id')
    .select([...ACTIVITY_COLUMNS, 'org_unit.name as org_unit_name', 'study_topic.title as topic_title', 'party_org.name as party_org_name']);
}
type ActivityRow = Awaited<ReturnType<ReturnType<typeof activityRows>['executeTakeFirstOrThrow']>>;

function presentActivity(r: ActivityRow, now: Date) {
  const expected = Number(r.expected_count);
  const attended = Number(r.attended_count);
  return {
    id: r.id, campaignId: r.campaign_id, mode: r.mode, modeLabel: STUDY_MODES[r.mode as StudyMode] ?? r.mode, title: r.title,
    topicId: r.topic_id, topicTitle: r.topic_title, seriesId: r.series_id, heldOn: r.held_on, startsAt: r.starts_at, endsAt: r.ends_at,
    place: r.place, orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name, partyOrgId: r.party_org_id, partyOrgName: r.party_org_name,
    speaker: r.speaker, speakerPersonId: r.speaker_person_id, summary: r.summary,
    links: JSON.parse(r.links) as { title: string; url: string; kind: string }[], hours: hours(r.hours_tenths),
    expectedCount: expected, attendedCount: attended, checkin: checkinState(r.starts_at, r.ends_at, now.getTime()), updatedAt: r.updated_at,
  };
}

const campaignOf = async (ctx: Ctx, table: 'study_activity' | 'study_share' | 'supervision_visit', id?: string) =>
  id ?? (await campaignToShowFor(ctx, table));

/** A campaign's activities in scope, latest first (indexes study_activity_order, _mode, _unit). */
export async function listActivities(ctx: Ctx, actor: Actor, f: ActivityQuery) {
  const campaignId = await campaignOf(ctx, 'study_activity', f.campaignId);
  if (!campaignId) return { items: [], total: 0, campaignId: null };
  let from = applyScope(ctx.db.selectFrom('study_activity').where('study_activity.campaign_id', '=', campaignId), actor, ACTIVITY_SCOPE);
  if (f.mode) from = from.where('study_activity.mode', '=', f.mode);
  if (f.orgUnitId) from = from.where('study_activity.org_unit_id', '=', f.orgUnitId);
  if (f.topicId) from = from.where('study_activity.topic_id', '=', f.topicId);
  if (f.from) from = from.where('study_activity.held_on', '>=', f.from);
  if (f.to) from = from.where('study_activity.held_on', '<=', f.to);
  const page = await listPage(ctx.db, {
    name: 'study-activities',
    from,
    id: 'study_activity.id',
    order: [['study_activity.held_on', 'desc'], ['study_activity.id', 'desc']],
    rows: (ids) => activityRows(ctx).where('study_activity.id', 'in', ids),
    // Exact where one index answers (campaign with mode or unit, and a date range); else capped.
    count: f.topicId || (f.mode && f.orgUnitId) ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const now = ctx.now();
  return { ...page, campaignId, items: page.items.map((r) => presentActivity(r, now)) };
}

/** How the caller reaches an activity: as staff in scope, as someone expected or attending, or not at all. */
async function activityAccess(ctx: Ctx, actor: Actor, id: string): Promise<'staff' | 'participant' | null> {
  if (can(actor, 'study:read')) {
    const hit = await applyScope(ctx.db.selectFrom('study_activity').select('study_activity.id'), actor, ACTIVITY_SCOPE)
      .where('study_activity.id', '=', id)
      .executeTakeFirst();
    if (hit) return 'staff';
  }
  if (can(actor, 'study:take') && actor.personId) {
    const attended = await ctx.db.selectFrom('study_attendance').select('person_id').where('activity_id', '=', id).where('person_id', '=', actor.personId).executeTakeFirst();
    if (attended || (await isExpected(ctx.db, id, actor.personId))) return 'participant';
  }
  return null;
}

/** For the file policy: materials open to staff in scope and to the activity's participants. */
export async function activityReadable(ctx: Ctx, id: string) {
  return Boolean(ctx.actor && (await activityAccess(ctx, ctx.actor, id)));
}

/** Attendees who were expected (named, or in a target unit's subtree). */
async function expectedAttended(ctx: Ctx, id: string) {
  const row = await ctx.db
    .selectFrom('study_attendance')
    .innerJoin('person', 'person.id', 'study_attendance.person_id')
    .select(sql<number>`count(*)`.as('n'))
    .where('study_attendance.activity_id', '=', id)
    .where(expectedCondition(id))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** "person is expected at activity `id`", as SQL on a query that has `person`. */
function expectedCondition(id: string) {
  return sql<boolean>`exists (
    select 1 from study_activity_target t left join org_unit tu on tu.id = t.target_id and t.kind = 'unit'
    where t.activity_id = ${id}
      and ((t.kind = 'person' and t.target_id = person.id)
        or (t.kind = 'unit' and substr(person.sort_key, 1, length(tu.path)) = tu.path)))`;
}

export async function getActivity(ctx: Ctx, actor: Actor, id: string) {
  const access = await activityAccess(ctx, actor, id);
  if (!access) throw notFound('学习活动不存在');
  const r = await activityRows(ctx).where('study_activity.id', '=', id).executeTakeFirstOrThrow();
  const base = presentActivity(r, ctx.now());
  const [targets, attachments, attendedExpected, mine] = await Promise.all([
    ctx.db
      .selectFrom('study_activity_target as t')
      .leftJoin('org_unit as u', (j) => j.onRef('u.id', '=', 't.target_id').on('t.kind', '=', 'unit'))
      .leftJoin('person as p', (j) => j.onRef('p.id', '=', 't.target_id').on('t.kind', '=', 'person'))
      .select(['t.kind', 't.target_id', 'u.name as unit_name', 'p.name as person_name'])
      .where('t.activity_id', '=', id)
      .execute(),
    listAttachments(ctx.db, 'study_activity', id),
    expectedAttended(ctx, id),
    actor.personId
      ? ctx.db.selectFrom('study_attendance').select(['method', 'checked_at', 'hours_tenths']).where('activity_id', '=', id).where('person_id', '=', actor.personId).executeTakeFirst()
      : undefined,
  ]);
  return {
    ...base,
    // A participant sees the session, not who else was named on its list.
    targets: access === 'staff' ? targets.map((t) => ({ kind: t.kind, id: t.target_id, name: t.kind === 'unit' ? t.unit_name : t.person_name })) : [],
    attachments,
    expectedAttended: attendedExpected,
    attendanceRate: rate(attendedExpected, base.expectedCount),
    myAttendance: mine ? { method: mine.method, checkedAt: mine.checked_at, hours: hours(mine.hours_tenths) } : null,
    access,
  };
}

/** Who attended, latest first, each marked expected or not (PK index on activity; the matches are sorted). */
export async function listAttendance(ctx: Ctx, actor: Actor, id: string, f: PageQuery) {
  if ((await activityAccess(ctx, actor, id)) !== 'staff') throw notFound('学习活动不存在');
  const page = await listPage(ctx.db, {
    name: 'study-attendance',
    from: ctx.db.selectFrom('study_attendance').where('study_attendance.activity_id', '=', id),
    id: 'study_attendance.person_id',
    order: [['study_attendance.checked_at', 'desc'], ['study_attendance.person_id', 'asc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('study_attendance')
        .innerJoin('person', 'person.id', 'study_attendance.person_id')
        .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
        .select([
          'study_attendance.person_id', 'study_attendance.method', 'study_attendance.checked_at', 'study_attendance.hours_tenths',
          'person.name', 'org_unit.name as org_unit_name', expectedCondition(id).as('expected'),
        ])
        .where('study_attendance.activity_id', '=', id)
        .where('study_attendance.person_id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((r) => ({
      personId: r.person_id, name: r.name, orgUnitName: r.org_unit_name, method: r.method, methodLabel: ATTENDANCE_METHODS[r.method],
      checkedAt: r.checked_at, hours: hours(r.hours_tenths), expected: Boolean(Number(r.expected)),
    })),
  };
}

/** Expected serving people who have not attended, in the people list's order (index person_sort). */
export async function listAbsent(ctx: Ctx, actor: Actor, id: string, f: PageQuery) {
  if ((await activityAccess(ctx, actor, id)) !== 'staff') throw notFound('学习活动不存在');
  const from = applyScope(ctx.db.selectFrom('person').where('person.status', '=', 'active'), actor, PERSON_SCOPE)
    .where(expectedCondition(id))
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('study_attendance as sa').select('sa.person_id').whereRef('sa.person_id', '=', 'person.id').where('sa.activity_id', '=', id))),
    );
  const page = await listPage(ctx.db, {
    name: 'study-absent',
    from,
    id: 'person.id',
    order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('person')
        .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
        .select(['person.id', 'person.name', 'person.sort_key', 'org_unit.name as org_unit_name'])
        .where('person.id', 'in', ids),
    count: 'capped',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map((p) => ({ personId: p.id, name: p.name, orgUnitName: p.org_unit_name })) };
}

/** The code to show now (study:write, the organiser's scope): the staff web app's URL, as text and as a QR code. */
export async function currentCheckinCode(ctx: Ctx, actor: Actor, id: string) {
  const a = await applyScope(ctx.db.selectFrom('study_activity').select(['study_activity.id', 'study_activity.org_unit_id', 'study_activity.checkin_secret', 'study_activity.starts_at', 'study_activity.ends_at', 'study_activity.title']), actor, ACTIVITY_SCOPE)
    .where('study_activity.id', '=', id)
    .executeTakeFirst();
  if (!a) throw notFound('学习活动不存在');
  await assertUnitWritable(ctx.db, actor, a.org_unit_id, '该学习活动的组织单位');
  const nowMs = ctx.now().getTime();
  const w = windowOf(nowMs);
  const code = checkinCode(a.checkin_secret, a.id, w);
  const url = `${ctx.config.publicUrl}/study/checkin?a=${encodeURIComponent(a.id)}&c=${code}`;
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    activityId: a.id, title: a.title, code, url, svg,
    // Show a fresh code from refreshAt on; this one is still accepted until expiresAt.
    refreshAt: new Date((w + 1) * CHECKIN_WINDOW_MS).toISOString(),
    expiresAt: new Date((w + 2) * CHECKIN_WINDOW_MS).toISOString(),
    state: checkinState(a.starts_at, a.ends_at, nowMs),
    opensAt: new Date(Date.parse(a.starts_at) - CHECKIN_OPENS_BEFORE_MS).toISOString(),
    closesAt: a.ends_at,
  };
}

/** The officer's own: activities they were expected at or attended in the campaign, latest first, with their hours. */
export async function myActivities(ctx: Ctx, actor: Actor, f: MyQuery) {
  if (!actor.personId) return { items: [], total: 0, campaignId: null, hoursTotal: 0, attended: 0 };
  const personId = actor.personId;
  const campaignId = await campaignOf(ctx, 'study_activity', f.campaignId);
  if (!campaignId) return { items: [], total: 0, campaignId: null, hoursTotal: 0, attended: 0 };
  const me = await ctx.db.selectFrom('person').select('sort_key').where('id', '=', personId).executeTakeFirst();
  const ancestors = (me?.sort_key ?? '').split('/').filter(Boolean);
  const from = ctx.db
    .selectFrom('study_activity')
    .where('study_activity.campaign_id', '=', campaignId)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('study_attendance as sa').select('sa.person_id').whereRef('sa.activity_id', '=', 'study_activity.id').where('sa.person_id', '=', personId)),
        eb.exists(
          eb
            .selectFrom('study_activity_target as t')
            .select('t.activity_id')
            .whereRef('t.activity_id', '=', 'study_activity.id')
            .where((e) =>
              e.or([
                e.and([e('t.kind', '=', 'person'), e('t.target_id', '=', personId)]),
                ...(ancestors.length ? [e.and([e('t.kind', '=', 'unit'), e('t.target_id', 'in', ancestors)])] : []),
              ]),
            ),
        ),
      ]),
    );
  const page = await listPage(ctx.db, {
    name: 'study-mine',
    from,
    id: 'study_activity.id',
    order: [['study_activity.held_on', 'desc'], ['study_activity.id', 'desc']],
    rows: (ids) =>
      activityRows(ctx)
        .leftJoin('study_attendance as mine', (j) => j.onRef('mine.activity_id', '=', 'study_activity.id').on('mine.person_id', '=', personId))
        .select(['mine.checked_at as my_checked_at', 'mine.hours_tenths as my_hours', 'mine.method as my_method'])
        .where('study_activity.id', 'in', ids),
    count: 'capped',
    page: f.page,
    pageSize: f.pageSize,
  });
  const sum = await ctx.db
    .selectFrom('study_attendance')
    .innerJoin('study_activity', 'study_activity.id', 'study_attendance.activity_id')
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(study_attendance.hours_tenths), 0)`.as('t')])
    .where('study_attendance.person_id', '=', personId)
    .where('study_activity.campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  const now = ctx.now();
  return {
    ...page,
    campaignId,
    attended: Number(sum.n),
    hoursTotal: hours(Number(sum.t)),
    items: page.items.map((r) => ({
      ...presentActivity(r, now),
      attended: r.my_checked_at !== null,
      checkedAt: r.my_checked_at,
      method: r.my_method,
      hoursCredited: r.my_checked_at !== null ? hours(r.my_hours) : 0,
    })),
  };
}

// ---------------------------------------------------------------- series

export async function getSeries(ctx: Ctx, actor: Actor, id: string) {
  const s = await applyScope(ctx.db.selectFrom('study_series').selectAll(), actor, SERIES_SCOPE).where('study_series.id', '=', id).executeTakeFirst();
  if (!s) throw notFound('学习系列不存在');
  const rotaIds = JSON.parse(s.rota) as string[];
  const people = rotaIds.length
    ? await ctx.db
        .selectFrom('person')
        .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
        .select(['person.id', 'person.name', 'org_unit.name as org_unit_name'])
        .where('person.id', 'in', rotaIds)
        .execute()
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  // The series' sessions through index study_activity_unit (its campaign and unit), then by series.
  const sessions = () =>
    ctx.db
      .selectFrom('study_activity')
      .where('study_activity.campaign_id', '=', s.campaign_id)
      .where('study_activity.org_unit_id', '=', s.org_unit_id)
      .where('study_activity.series_id', '=', id);
  const nowIso = ctx.now().toISOString();
  const [counts, upcoming] = await Promise.all([
    sessions()
      .select([sql<number>`count(*)`.as('n'), sql<number>`sum(case when study_activity.starts_at < ${nowIso} then 1 else 0 end)`.as('held')])
      .executeTakeFirstOrThrow(),
    sessions()
      .select(['study_activity.id', 'study_activity.title', 'study_activity.held_on', 'study_activity.starts_at', 'study_activity.speaker', 'study_activity.speaker_person_id', 'study_activity.attended_count', 'study_activity.expected_count'])
      .where('study_activity.held_on', '>=', shanghaiDate(ctx.now()))
      .orderBy('study_activity.held_on')
      .orderBy('study_activity.id')
      .limit(20)
      .execute(),
  ]);
  return {
    id: s.id, campaignId: s.campaign_id, title: s.title, mode: s.mode, modeLabel: STUDY_MODES[s.mode], orgUnitId: s.org_unit_id,
    startsOn: s.starts_on, endsOn: s.ends_on, startTime: s.start_time, minutes: s.minutes,
    rota: rotaIds.map((pid, i) => ({ order: i + 1, personId: pid, name: byId.get(pid)?.name ?? null, orgUnitName: byId.get(pid)?.org_unit_name ?? null })),
    sessions: Number(counts.n), held: Number(counts.held ?? 0),
    upcoming: upcoming.map((a) => ({
      id: a.id, title: a.title, heldOn: a.held_on, startsAt: a.starts_at, speaker: a.speaker, speakerPersonId: a.speaker_person_id,
      expectedCount: Number(a.expected_count), attendedCount: Number(a.attended_count),
    })),
  };
}

// ---------------------------------------------------------------- reviews

const reviewRows = (ctx: Ctx) =>
  ctx.db
    .selectFrom('study_review')
    .innerJoin('person', 'person.id', 'study_review.person_id')
    .innerJoin('org_unit', 'org_unit.id', 'study_review.org_unit_id')
    .innerJoin('study_activity', 'study_activity.id', 'study_review.activity_id')
    .select([
      'study_review.id', 'study_review.activity_id', 'study_review.person_id', 'study_review.body', 'study_review.submitted_at',
      'study_review.updated_at', 'person.name as person_name', 'org_unit.name as org_unit_name', 'study_activity.title as activity_title',
    ]);

const presentReview = (r: Awaited<ReturnType<ReturnType<typeof reviewRows>['executeTakeFirstOrThrow']>>) => ({
  id: r.id, activityId: r.activity_id, activityTitle: r.activity_title, personId: r.person_id, personName: r.person_name,
  orgUnitName: r.org_unit_name, body: r.body, submittedAt: r.submitted_at, updatedAt: r.updated_at,
});

/** A page of reviews, latest first: the activity's (index study_review_activity) or a person's (study_review_person). */
async function reviewsPage(ctx: Ctx, name: string, from: Parameters<typeof listPage>[1]['from'], f: PageQuery) {
  const page = await listPage(ctx.db, {
    name,
    from,
    id: 'study_review.id',
    order: [['study_review.submitted_at', 'desc'], ['study_review.id', 'desc']],
    rows: (ids) => reviewRows(ctx).where('study_review.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map(presentReview) };
}

/** An activity's reviews by people in the caller's scope, latest first. */
export async function listReviews(ctx: Ctx, actor: Actor, activityId: string, f: PageQuery) {
  const a = await ctx.db.selectFrom('study_activity').select('id').where('id', '=', activityId).executeTakeFirst();
  if (!a) throw notFound('学习活动不存在');
  return reviewsPage(ctx, 'study-reviews', applyScope(ctx.db.selectFrom('study_review').where('study_review.activity_id', '=', activityId), actor, REVIEW_SCOPE), f);
}

/** The caller's own reviews, latest first. */
export async function myReviews(ctx: Ctx, actor: Actor, f: PageQuery) {
  if (!actor.personId) return { items: [], total: 0 };
  return reviewsPage(ctx, 'study-my-reviews', ctx.db.selectFrom('study_review').where('study_review.person_id', '=', actor.personId), f);
}

// ---------------------------------------------------------------- shares

/**
 * The daily feed: the campaign's published shares, newest first (index study_share_feed), open to every
 * participant like the bureau's public channel. Staff (study:read) also list the hidden ones in their scope.
 */
export async function listShares(ctx: Ctx, actor: Actor, f: ShareQuery) {
  const status = f.status ?? 'published';
  if (status === 'hidden' && !can(actor, 'study:read')) throw forbidden();
  const campaignId = await campaignOf(ctx, 'study_share', f.campaignId);
  if (!campaignId) return { items: [], total: 0, campaignId: null };
  let from = ctx.db.selectFrom('study_share').where('study_share.campaign_id', '=', campaignId).where('study_share.status', '=', status);
  if (status === 'hidden') from = applyScope(from, actor, SHARE_SCOPE);
  if (f.category) from = from.where('study_share.category', '=', f.category);
  if (f.date) {
    from = from
      .where('study_share.published_at', '>=', new Date(`${f.date}T00:00:00+08:00`).toISOString())
      .where('study_share.published_at', '<', new Date(`${addDays(f.date, 1)}T00:00:00+08:00`).toISOString());
  }
  const me = actor.personId;
  const page = await listPage(ctx.db, {
    name: 'study-shares',
    from,
    id: 'study_share.id',
    order: [['study_share.published_at', 'desc'], ['study_share.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('study_share')
        .innerJoin('person', 'person.id', 'study_share.author_person_id')
        .innerJoin('org_unit', 'org_unit.id', 'study_share.org_unit_id')
        .select((eb) => [
          'study_share.id', 'study_share.kind', 'study_share.category', 'study_share.title', 'study_share.body', 'study_share.audio_file_id',
          'study_share.author_person_id', 'study_share.published_at', 'study_share.published_on', 'study_share.status', 'study_share.plays',
          'study_share.likes', 'study_share.org_unit_id', 'person.name as author_name', 'org_unit.name as org_unit_name',
          sql<SqlBool>`${me
            ? eb.exists(eb.selectFrom('study_share_like as l').select('l.person_id').whereRef('l.share_id', '=', 'study_share.id').where('l.person_id', '=', me))
            : sql`0 = 1`}`.as('liked'),
          // Whether the viewer may hide or restore it: study:write and the share's unit in their scope.
          sql<SqlBool>`${can(actor, 'study:write') ? (scopeCondition(eb, actor, SHARE_SCOPE) ?? sql`1 = 1`) : sql`0 = 1`}`.as('manageable'),
        ])
        .where('study_share.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    campaignId,
    items: page.items.map((r) => ({
      id: r.id, kind: r.kind, kindLabel: SHARE_KINDS[r.kind], category: r.category, categoryLabel: SHARE_CATEGORIES[r.category], title: r.title,
      body: r.body, audioFileId: r.audio_file_id, audioUrl: r.audio_file_id ? `/api/files/${r.audio_file_id}` : null,
      authorPersonId: r.author_person_id, authorName: r.author_name, orgUnitName: r.org_unit_name, publishedAt: r.published_at,
      publishedOn: r.published_on, status: r.status, plays: Number(r.plays), likes: Number(r.likes), likedByMe: Boolean(Number(r.liked)),
      mine: r.author_person_id === me, orgUnitId: r.org_unit_id, canManage: Boolean(Number(r.manageable)),
    })),
  };
}

/** For the file policy: a published share's audio is open to every participant; a hidden one to its author and staff in scope. */
export async function shareReadable(ctx: Ctx, id: string) {
  const actor = ctx.actor;
  if (!actor) return false;
  const s = await ctx.db.selectFrom('study_share').select(['status', 'author_person_id']).where('id', '=', id).executeTakeFirst();
  if (!s) return false;
  if (s.status === 'published' && (can(actor, 'study:take') || can(actor, 'study:read'))) return true;
  if (actor.personId && s.author_person_id === actor.personId) return true;
  if (!can(actor, 'study:read')) return false;
  return Boolean(await applyScope(ctx.db.selectFrom('study_share').select('study_share.id'), actor, SHARE_SCOPE).where('study_share.id', '=', id).executeTakeFirst());
}

// ---------------------------------------------------------------- supervision

const visitRows = (ctx: Ctx) =>
  ctx.db
    .selectFrom('supervision_visit')
    .innerJoin('party_org', 'party_org.id', 'supervision_visit.party_org_id')
    .innerJoin('org_unit', 'org_unit.id', 'supervision_visit.org_unit_id')
    .selectAll('supervision_visit')
    .select(['party_org.name as party_org_name', 'org_unit.name as org_unit_name']);

function presentVisit(r: Awaited<ReturnType<ReturnType<typeof visitRows>['executeTakeFirstOrThrow']>>, today: string) {
  const state = !r.follow_up ? 'none' : r.follow_up_done_on ? 'done' : r.follow_up_due && r.follow_up_due < today ? 'overdue' : 'open';
  return {
    id: r.id, campaignId: r.campaign_id, partyOrgId: r.party_org_id, partyOrgName: r.party_org_name, orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name, visitedOn: r.visited_on, team: r.team, findings: r.findings, followUp: r.follow_up,
    followUpDue: r.follow_up_due, followUpDoneOn: r.follow_up_done_on, followUpResult: r.follow_up_result, followUpState: state,
    followUpStateLabel: { none: '无整改要求', open: '整改中', overdue: '已逾期', done: '已整改' }[state], updatedAt: r.updated_at,
  };
}

/** A campaign's visits in scope, latest first (index supervision_visit_order). */
export async function listVisits(ctx: Ctx, actor: Actor, f: VisitQuery) {
  const campaignId = await campaignOf(ctx, 'supervision_visit', f.campaignId);
  if (!campaignId) return { items: [], total: 0, campaignId: null };
  let from = applyScope(ctx.db.selectFrom('supervision_visit').where('supervision_visit.campaign_id', '=', campaignId), actor, VISIT_SCOPE);
  if (f.followUp === 'open') from = from.where('supervision_visit.follow_up', 'is not', null).where('supervision_visit.follow_up_done_on', 'is', null);
  if (f.followUp === 'done') from = from.where('supervision_visit.follow_up_done_on', 'is not', null);
  const page = await listPage(ctx.db, {
    name: 'supervision-visits',
    from,
    id: 'supervision_visit.id',
    order: [['supervision_visit.visited_on', 'desc'], ['supervision_visit.id', 'desc']],
    rows: (ids) => visitRows(ctx).where('supervision_visit.id', 'in', ids),
    count: f.followUp ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const today = shanghaiDate(ctx.now());
  return { ...page, campaignId, items: page.items.map((r) => presentVisit(r, today)) };
}

export async function getVisit(ctx: Ctx, actor: Actor, id: string) {
  const r = await applyScope(visitRows(ctx), actor, VISIT_SCOPE).where('supervision_visit.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('巡回指导记录不存在');
  return presentVisit(r, shanghaiDate(ctx.now()));
}

/** Party organisations in scope (actor null: all), by their unit; those of no unit only for the all scope. */
function partyOrgsInScope(ctx: Ctx, actor: Actor | null) {
  const q = ctx.db.selectFrom('party_org');
  if (!actor || hasAllScope(actor)) return q;
  return q.where((eb) => eb.and([eb('party_org.org_unit_id', 'is not', null), scopeCondition(eb, actor, { unit: 'party_org.org_unit_id' } as ScopeColumns)!]));
}

/** Party organisations in scope visited at least once in the campaign, of all in scope: per unit, and those not yet visited. */
export async function supervisionCoverage(ctx: Ctx, actor: Actor | null, campaignIdIn?: string) {
  const campaignId = campaignIdIn ?? (await campaignToShowFor(ctx, 'supervision_visit'));
  const rows = await partyOrgsInScope(ctx, actor)
    .leftJoin('org_unit', 'org_unit.id', 'party_org.org_unit_id')
    .select((eb) => [
      'party_org.id', 'party_org.name', 'party_org.path', 'party_org.org_unit_id', 'org_unit.name as unit_name', 'org_unit.path as unit_path',
      sql<SqlBool>`${campaignId
        ? eb.exists(eb.selectFrom('supervision_visit as v').select('v.id').whereRef('v.party_org_id', '=', 'party_org.id').where('v.campaign_id', '=', campaignId))
        : sql`0 = 1`}`.as('visited'),
    ])
    .execute();
  const byUnit = new Map<string, { unitId: string | null; unitName: string; unitPath: string; total: number; covered: number }>();
  for (const r of rows) {
    const key = r.org_unit_id ?? '';
    const u = byUnit.get(key) ?? { unitId: r.org_unit_id, unitName: r.unit_name ?? '未关联单位', unitPath: r.unit_path ?? '~', total: 0, covered: 0 };
    u.total++;
    if (Number(r.visited)) u.covered++;
    byUnit.set(key, u);
  }
  const units = [...byUnit.values()].sort((a, b) => (a.unitPath < b.unitPath ? -1 : a.unitPath > b.unitPath ? 1 : 0)).map(({ unitPath: _p, ...u }) => u);
  const notVisited = rows
    .filter((r) => !Number(r.visited))
    .sort((a, b) => ((a.unit_path ?? '~') + a.path < (b.unit_path ?? '~') + b.path ? -1 : 1))
    .map((r) => ({ partyOrgId: r.id, name: r.name, orgUnitId: r.org_unit_id, orgUnitName: r.unit_name }));
  const covered = units.reduce((a, u) => a + u.covered, 0);
  return { campaignId, total: rows.length, covered, rate: rate(covered, rows.length), units, notVisited };
}

// ---------------------------------------------------------------- commendations

/** Commendations in scope, latest first (index commendation_order). */
export async function listCommendations(ctx: Ctx, actor: Actor, f: CommendationQuery) {
  let from = applyScope(ctx.db.selectFrom('commendation'), actor, COMMENDATION_SCOPE);
  if (f.kind) from = from.where('commendation.kind', '=', f.kind);
  const page = await listPage(ctx.db, {
    name: 'commendations',
    from,
    id: 'commendation.id',
    order: [['commendation.conferred_on', 'desc'], ['commendation.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('commendation')
        .innerJoin('org_unit', 'org_unit.id', 'commendation.org_unit_id')
        .leftJoin('party_org', 'party_org.id', 'commendation.party_org_id')
        .leftJoin('person', 'person.id', 'commendation.person_id')
        .selectAll('commendation')
        .select(['org_unit.name as org_unit_name', 'party_org.name as party_org_name', 'person.name as person_name'])
        .where('commendation.id', 'in', ids),
    count: f.kind ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((r) => ({
      id: r.id, campaignId: r.campaign_id, kind: r.kind, kindLabel: COMMENDATION_KINDS[r.kind], partyOrgId: r.party_org_id,
      personId: r.person_id, name: r.kind === 'party_org' ? r.party_org_name : r.person_name, orgUnitId: r.org_unit_id,
      orgUnitName: r.org_unit_name, title: r.title, conferredBy: r.conferred_by, conferredOn: r.conferred_on, reason: r.reason,
    })),
  };
}

// ---------------------------------------------------------------- figures

/** Attendance is the attending person's record (their unit's scope); activities the organiser's. */
const ATTENDANCE_SCOPE: ScopeColumns = { unit: 'person.org_unit_id', person: 'study_attendance.person_id', unitPath: 'person.sort_key' };

/**
 * study: activities of the campaign shown per mode (all nine, zeros included) and in all, organised in
 * the viewer's scope; attendances and credited hours of the viewer's people in those campaign's activities.
 */
export async function studyFigures(ctx: Ctx, campaignIdIn?: string) {
  const actor = ctx.actor;
  const campaignId = campaignIdIn ?? (await campaignToShowFor(ctx, 'study_activity'));
  const byMode = Object.fromEntries(STUDY_MODE_CODES.map((m) => [m, 0])) as Record<StudyMode, number>;
  if (!campaignId) return { activitiesByMode: byMode, activities: 0, attendances: 0, hoursTotal: 0 };
  let acts = ctx.db.selectFrom('study_activity').where('study_activity.campaign_id', '=', campaignId);
  if (actor) acts = applyScope(acts, actor, ACTIVITY_SCOPE);
  const modes = await acts.select(['study_activity.mode', sql<number>`count(*)`.as('n')]).groupBy('study_activity.mode').execute();
  for (const m of modes) if (m.mode in byMode) byMode[m.mode] = Number(m.n);
  let att = ctx.db
    .selectFrom('study_attendance')
    .innerJoin('study_activity', 'study_activity.id', 'study_attendance.activity_id')
    .innerJoin('person', 'person.id', 'study_attendance.person_id')
    .where('study_activity.campaign_id', '=', campaignId);
  if (actor) att = applyScope(att, actor, ATTENDANCE_SCOPE);
  const a = await att.select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(study_attendance.hours_tenths), 0)`.as('t')]).executeTakeFirstOrThrow();
  return {
    activitiesByMode: byMode,
    activities: Object.values(byMode).reduce((x, y) => x + y, 0),
    attendances: Number(a.n),
    hoursTotal: hours(Number(a.t)),
  };
}

export async function supervisionFigures(ctx: Ctx) {
  const c = await supervisionCoverage(ctx, ctx.actor);
  return { coverage: { covered: c.covered, total: c.total } };
}

/** Used by routes to reject a date range the wrong way round. */
export function checkRange(f: { from?: string; to?: string }) {
  if (f.from && f.to && f.to < f.from) throw badRequest('结束日期：不能早于开始日期', 'to');
}
