import { sql, type Kysely } from 'kysely';
import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import {
  applyScope, assertUnitsInScope, assertUnitWritable, hasAllScope, peopleInScope, scopeCondition, subtreeEnd, type ScopeColumns,
} from '../../platform/access.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { shanghaiDate } from '../../platform/time.js';
import { addDays, isWorkday, loadCalendar } from '../../platform/workdays.js';
import type { DB, StudyActivityTable, StudySeriesTable } from '../../db/types.js';
import { campaignForNewRecord } from '../campaigns/queries.js';
import { attachFiles } from '../files/commands.js';
import type {
  ActivityInput, ActivityPatch, AttendanceInput, CheckinInput, CommendationInput, CommendationPatch, FollowUpDoneInput, ReviewInput,
  SeriesInput, ShareInput, VisitInput, VisitPatch,
} from '../../../shared/schemas/study.js';
import { checkinState, newCheckinSecret, verifyCheckinCode } from './checkin.js';

// 学习教育 "九学": every verb is one transaction with its audit entry (runCommand); every unit, party
// organisation and person it names is checked against the caller's scope; a refused command writes
// nothing. An activity's check-in secret is never returned and never audited.

/** An activity, a series and a visit belong to the organising unit. */
export const ACTIVITY_SCOPE: ScopeColumns = { unit: 'study_activity.org_unit_id' };
export const SERIES_SCOPE: ScopeColumns = { unit: 'study_series.org_unit_id' };
export const VISIT_SCOPE: ScopeColumns = { unit: 'supervision_visit.org_unit_id' };
/** A share, a review and a person's commendation are also their person's own. */
export const SHARE_SCOPE: ScopeColumns = { unit: 'study_share.org_unit_id', person: 'study_share.author_person_id' };
export const REVIEW_SCOPE: ScopeColumns = { unit: 'study_review.org_unit_id', person: 'study_review.person_id' };
export const COMMENDATION_SCOPE: ScopeColumns = { unit: 'commendation.org_unit_id', person: 'commendation.person_id' };

const BATCH = 500;
const tenths = (hours: number) => Math.round(hours * 10);

/** The activity without its check-in secret: what an audit entry may hold. */
export function auditable(r: StudyActivityTable) {
  const { checkin_secret: _secret, ...rest } = r;
  return rest;
}

async function insertBatches<T extends keyof DB>(trx: Trx, table: T, rows: readonly object[], size = BATCH) {
  for (let i = 0; i < rows.length; i += size) await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
}

// ---------------------------------------------------------------- expected participants

/** Serving people of the units (and below) plus the named people: how many are expected. */
export async function expectedCount(db: Kysely<DB>, unitIds: readonly string[], personIds: readonly string[]): Promise<number> {
  const paths = unitIds.length ? (await db.selectFrom('org_unit').select('path').where('id', 'in', [...unitIds]).execute()).map((u) => u.path) : [];
  if (!paths.length && !personIds.length) return 0;
  const row = await db
    .selectFrom('person')
    .select(sql<number>`count(*)`.as('n'))
    .where((eb) =>
      eb.or([
        ...paths.map((p) => eb.and([eb('person.status', '=', 'active'), eb('person.sort_key', '>=', p), eb('person.sort_key', '<', subtreeEnd(p))])),
        ...(personIds.length ? [eb('person.id', 'in', [...personIds])] : []),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether a person is among an activity's expected participants (named, or in a target unit's subtree). */
export async function isExpected(db: Kysely<DB>, activityId: string, personId: string): Promise<boolean> {
  const p = await db.selectFrom('person').select('sort_key').where('id', '=', personId).executeTakeFirst();
  if (!p) return false;
  const ancestors = (p.sort_key ?? '').split('/').filter(Boolean);
  const hit = await db
    .selectFrom('study_activity_target')
    .select('activity_id')
    .where('activity_id', '=', activityId)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'person'), eb('target_id', '=', personId)]),
        ...(ancestors.length ? [eb.and([eb('kind', '=', 'unit'), eb('target_id', 'in', ancestors)])] : []),
      ]),
    )
    .executeTakeFirst();
  return Boolean(hit);
}

async function checkTargets(trx: Trx, actor: Actor, unitIds: readonly string[], personIds: readonly string[]) {
  if (new Set(unitIds).size !== unitIds.length) throw badRequest('参加单位：有重复的单位', 'targetUnitIds');
  if (new Set(personIds).size !== personIds.length) throw badRequest('参加人员：有重复的人员', 'targetPersonIds');
  await assertUnitsInScope(trx, actor, unitIds, 'targetUnitIds', '参加单位');
  await peopleInScope(trx, actor, personIds, (i) => ({ text: `参加人员：第 ${i + 1} 人不存在或不在您的数据范围内`, field: `targetPersonIds.${i}` }));
}

const targetRows = (activityId: string, unitIds: readonly string[], personIds: readonly string[]) => [
  ...unitIds.map((t) => ({ activity_id: activityId, kind: 'unit' as const, target_id: t })),
  ...personIds.map((t) => ({ activity_id: activityId, kind: 'person' as const, target_id: t })),
];

// ---------------------------------------------------------------- shared checks

async function existingUnit(trx: Trx, actor: Actor, unitId: string, field: string, label: string) {
  const u = await trx.selectFrom('org_unit').select(['id', 'path']).where('id', '=', unitId).executeTakeFirst();
  if (!u) throw badRequest(`${label}：不存在`, field);
  await assertUnitWritable(trx, actor, u.id, label);
  return u;
}

async function campaignFor(trx: Trx, ctx: Ctx, id: string | null | undefined, onDate: string) {
  const c = await campaignForNewRecord({ db: trx, now: ctx.now }, id, onDate);
  if (!c) throw badRequest('教育整顿批次：当日没有进行中的批次，请选择批次', 'campaignId');
  return c;
}

async function checkTopic(trx: Trx, topicId: string | null | undefined, campaignId: string) {
  if (!topicId) return;
  const t = await trx.selectFrom('study_topic').select('campaign_id').where('id', '=', topicId).executeTakeFirst();
  if (!t || t.campaign_id !== campaignId) throw badRequest('学习专题：不存在或不属于该批次', 'topicId');
}

/** A party organisation the caller may see (by its unit); answers it with its unit. */
async function partyOrgInScope(trx: Trx, actor: Actor, partyOrgId: string, field = 'partyOrgId') {
  const p = await trx.selectFrom('party_org').select(['id', 'name', 'org_unit_id']).where('id', '=', partyOrgId).executeTakeFirst();
  const visible = p && (hasAllScope(actor) || (p.org_unit_id !== null && (await unitReadable(trx, actor, p.org_unit_id))));
  if (!p || !visible) throw badRequest('党组织：不存在或不在您的数据范围内', field);
  return p;
}

async function unitReadable(trx: Trx, actor: Actor, unitId: string) {
  const q = trx.selectFrom('org_unit').select('org_unit.id').where('org_unit.id', '=', unitId);
  return Boolean(await (hasAllScope(actor) ? q : q.where((eb) => scopeCondition(eb, actor, { unit: 'org_unit.id' })!)).executeTakeFirst());
}

async function speakerName(trx: Trx, actor: Actor, personId: string | null | undefined) {
  if (!personId) return null;
  const people = await peopleInScope(trx, actor, [personId], () => ({ text: '主讲人：不存在或不在您的数据范围内', field: 'speakerPersonId' }));
  return people.get(personId)!.name;
}

/** The activity as the caller may see it, or 404; then it must be theirs to write (403). */
async function writableActivity(trx: Trx, actor: Actor, id: string) {
  const a = await applyScope(trx.selectFrom('study_activity').selectAll(), actor, ACTIVITY_SCOPE).where('study_activity.id', '=', id).executeTakeFirst();
  if (!a) throw notFound('学习活动不存在');
  await assertUnitWritable(trx, actor, a.org_unit_id, '该学习活动的组织单位');
  return a as StudyActivityTable;
}

// ---------------------------------------------------------------- activities

export async function createActivity(ctx: Ctx, input: ActivityInput) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'create', entityType: 'study_activity' }, async (trx) => {
    const heldOn = shanghaiDate(new Date(input.startsAt));
    await existingUnit(trx, actor, input.orgUnitId, 'orgUnitId', '组织单位');
    const campaignId = await campaignFor(trx, ctx, input.campaignId, heldOn);
    await checkTopic(trx, input.topicId, campaignId);
    if (input.partyOrgId) await partyOrgInScope(trx, actor, input.partyOrgId);
    const named = await speakerName(trx, actor, input.speakerPersonId);
    await checkTargets(trx, actor, input.targetUnitIds, input.targetPersonIds);
    const now = ctx.now().toISOString();
    const row: StudyActivityTable = {
      id: newId(), campaign_id: campaignId, topic_id: input.topicId || null, series_id: null, mode: input.mode, title: input.title,
      held_on: heldOn, starts_at: new Date(input.startsAt).toISOString(), ends_at: new Date(input.endsAt).toISOString(),
      place: input.place || null, org_unit_id: input.orgUnitId, party_org_id: input.partyOrgId || null,
      speaker: input.speaker || named, speaker_person_id: input.speakerPersonId || null, summary: input.summary || null,
      links: JSON.stringify(input.links), hours_tenths: tenths(input.hours), checkin_secret: newCheckinSecret(),
      expected_count: await expectedCount(trx, input.targetUnitIds, input.targetPersonIds), attended_count: 0,
      created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('study_activity').values(row).execute();
    await insertBatches(trx, 'study_activity_target', targetRows(row.id, input.targetUnitIds, input.targetPersonIds));
    await attachFiles(trx, actor.userId, input.attachmentIds, 'study_activity', row.id);
    return {
      result: { id: row.id, heldOn, expectedCount: row.expected_count },
      entityId: row.id,
      after: { ...auditable(row), targetUnitIds: input.targetUnitIds, targetPersonIds: input.targetPersonIds },
    };
  });
}

/**
 * Corrects an activity. A new start moves its date on every attendance; new hours are credited anew to
 * every attendance; a target list given replaces that kind of target and the expected count follows.
 */
export async function updateActivity(ctx: Ctx, id: string, patch: ActivityPatch) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'update', entityType: 'study_activity' }, async (trx) => {
    const before = await writableActivity(trx, actor, id);
    if (patch.campaignId && patch.campaignId !== before.campaign_id) throw badRequest('教育整顿批次：活动不能改到另一批次', 'campaignId');
    const startsAt = patch.startsAt ? new Date(patch.startsAt).toISOString() : before.starts_at;
    const endsAt = patch.endsAt ? new Date(patch.endsAt).toISOString() : before.ends_at;
    if (Date.parse(endsAt) <= Date.parse(startsAt)) throw badRequest('结束时间：须晚于开始时间', patch.endsAt ? 'endsAt' : 'startsAt');
    if (patch.orgUnitId && patch.orgUnitId !== before.org_unit_id) await existingUnit(trx, actor, patch.orgUnitId, 'orgUnitId', '组织单位');
    if (patch.topicId) await checkTopic(trx, patch.topicId, before.campaign_id);
    if (patch.partyOrgId) await partyOrgInScope(trx, actor, patch.partyOrgId);
    const named = patch.speakerPersonId ? await speakerName(trx, actor, patch.speakerPersonId) : null;
    let expected = before.expected_count;
    if (patch.targetUnitIds || patch.targetPersonIds) {
      const old = await trx.selectFrom('study_activity_target').select(['kind', 'target_id']).where('activity_id', '=', id).execute();
      const units = patch.targetUnitIds ?? old.filter((t) => t.kind === 'unit').map((t) => t.target_id);
      const persons = patch.targetPersonIds ?? old.filter((t) => t.kind === 'person').map((t) => t.target_id);
      if (!units.length && !persons.length) throw badRequest('参加单位：至少选择一个参加单位或参加人员', 'targetUnitIds');
      await checkTargets(trx, actor, patch.targetUnitIds ?? [], patch.targetPersonIds ?? []);
      await trx.deleteFrom('study_activity_target').where('activity_id', '=', id).execute();
      await insertBatches(trx, 'study_activity_target', targetRows(id, units, persons));
      expected = await expectedCount(trx, units, persons);
    }
    const heldOn = shanghaiDate(new Date(startsAt));
    const hours = patch.hours !== undefined ? tenths(patch.hours) : before.hours_tenths;
    const set = {
      ...(patch.mode ? { mode: patch.mode } : {}),
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.topicId !== undefined ? { topic_id: patch.topicId || null } : {}),
      ...(patch.place !== undefined ? { place: patch.place || null } : {}),
      ...(patch.orgUnitId ? { org_unit_id: patch.orgUnitId } : {}),
      ...(patch.partyOrgId !== undefined ? { party_org_id: patch.partyOrgId || null } : {}),
      ...(patch.speakerPersonId !== undefined ? { speaker_person_id: patch.speakerPersonId || null } : {}),
      ...(patch.speaker !== undefined || named ? { speaker: patch.speaker || named || null } : {}),
      ...(patch.summary !== undefined ? { summary: patch.summary || null } : {}),
      ...(patch.links ? { links: JSON.stringify(patch.links) } : {}),
      starts_at: startsAt, ends_at: endsAt, held_on: heldOn, hours_tenths: hours, expected_count: expected,
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('study_activity').set(set).where('id', '=', id).execute();
    if (heldOn !== before.held_on || hours !== before.hours_tenths) {
      await trx.updateTable('study_attendance').set({ held_on: heldOn, hours_tenths: hours }).where('activity_id', '=', id).execute();
    }
    if (patch.attachmentIds?.length) await attachFiles(trx, actor.userId, patch.attachmentIds, 'study_activity', id);
    return { result: { id, heldOn, expectedCount: expected }, entityId: id, before: auditable(before), after: auditable({ ...before, ...set }) };
  });
}

// ---------------------------------------------------------------- attendance

async function addAttendance(
  trx: Trx, activity: Pick<StudyActivityTable, 'id' | 'held_on' | 'hours_tenths'>, personIds: readonly string[], method: 'qr' | 'list',
  at: string, by: string | null,
): Promise<string[]> {
  const added: string[] = [];
  for (let i = 0; i < personIds.length; i += BATCH) {
    const rows = personIds.slice(i, i + BATCH).map((p) => ({
      activity_id: activity.id, person_id: p, method, checked_at: at, held_on: activity.held_on, hours_tenths: activity.hours_tenths, recorded_by: by,
    }));
    // The primary key makes a second check-in a no-op; only rows really added count.
    const got = await trx
      .insertInto('study_attendance')
      .values(rows)
      .onConflict((oc) => oc.columns(['activity_id', 'person_id']).doNothing())
      .returning('person_id')
      .execute();
    added.push(...got.map((r) => r.person_id));
  }
  if (added.length) {
    await trx
      .updateTable('study_activity')
      .set((eb) => ({ attended_count: eb('attended_count', '+', added.length) }))
      .where('id', '=', activity.id)
      .execute();
  }
  return added;
}

/** 名单登记: staff record who attended (idempotent per person). Not before check-in opens. */
export async function recordAttendance(ctx: Ctx, activityId: string, input: AttendanceInput) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'record_attendance', entityType: 'study_activity' }, async (trx) => {
    const a = await writableActivity(trx, actor, activityId);
    if (checkinState(a.starts_at, a.ends_at, ctx.now().getTime()) === 'not_open') {
      throw badRequest('参加人员：活动尚未开始，不能登记签到', 'personIds');
    }
    await peopleInScope(trx, actor, input.personIds, (i) => ({ text: `参加人员：第 ${i + 1} 人不存在或不在您的数据范围内`, field: `personIds.${i}` }));
    const wanted = [...new Set(input.personIds)];
    const added = await addAttendance(trx, a, wanted, 'list', ctx.now().toISOString(), actor.userId);
    return {
      result: { added: added.length, already: wanted.length - added.length, attendedCount: a.attended_count + added.length },
      entityId: a.id,
      after: { method: 'list', added },
    };
  });
}

export async function removeAttendance(ctx: Ctx, activityId: string, personId: string) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'remove_attendance', entityType: 'study_activity' }, async (trx) => {
    const a = await writableActivity(trx, actor, activityId);
    const gone = await trx
      .deleteFrom('study_attendance')
      .where('activity_id', '=', a.id)
      .where('person_id', '=', personId)
      .returning(['person_id', 'method', 'checked_at'])
      .executeTakeFirst();
    if (!gone) throw notFound('该人员没有签到记录');
    await trx.updateTable('study_activity').set((eb) => ({ attended_count: eb('attended_count', '-', 1) })).where('id', '=', a.id).execute();
    return { result: { removed: 1, attendedCount: a.attended_count - 1 }, entityId: a.id, before: gone };
  });
}

/** 扫码签到: the signed-in officer's own attendance, with the code shown at the session. */
export async function checkin(ctx: Ctx, input: CheckinInput) {
  const actor = requirePermission(ctx, 'study:take');
  if (!actor.personId) throw badRequest('当前账号未关联干警信息，不能签到');
  const personId = actor.personId;
  return runCommand(ctx, { action: 'checkin', entityType: 'study_activity' }, async (trx) => {
    const a = await trx.selectFrom('study_activity').selectAll().where('id', '=', input.activityId).executeTakeFirst();
    if (!a) throw badRequest('学习活动：不存在', 'activityId');
    const nowMs = ctx.now().getTime();
    const state = checkinState(a.starts_at, a.ends_at, nowMs);
    if (state === 'not_open') throw badRequest('活动尚未开始签到（开始前 15 分钟起可签到）', 'code');
    if (state === 'closed') throw badRequest('活动已结束，签到已关闭', 'code');
    if (!verifyCheckinCode(a.checkin_secret, a.id, input.code, nowMs)) throw badRequest('签到码已过期，请扫描现场最新二维码', 'code');
    const at = ctx.now().toISOString();
    const added = await addAttendance(trx, a, [personId], 'qr', at, actor.userId);
    const already = added.length === 0;
    const expected = await isExpected(trx, a.id, personId);
    return {
      result: {
        already, message: already ? '已签到' : '签到成功', activityId: a.id, title: a.title, heldOn: a.held_on,
        hours: a.hours_tenths / 10, expected,
      },
      entityId: a.id,
      // Who checked in: never the code.
      after: { personId, method: 'qr', already },
    };
  });
}

// ---------------------------------------------------------------- series

export async function createSeries(ctx: Ctx, input: SeriesInput) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'create', entityType: 'study_series' }, async (trx) => {
    await existingUnit(trx, actor, input.orgUnitId, 'orgUnitId', '组织单位');
    const campaignId = await campaignFor(trx, ctx, input.campaignId, input.startsOn);
    await checkTopic(trx, input.topicId, campaignId);
    const rota = await peopleInScope(trx, actor, input.rotaPersonIds, (i) => ({
      text: `轮值主讲人：第 ${i + 1} 人不存在或不在您的数据范围内`, field: `rotaPersonIds.${i}`,
    }));
    await checkTargets(trx, actor, input.targetUnitIds, input.targetPersonIds);
    const cal = await loadCalendar(trx);
    const days: string[] = [];
    for (let d = input.startsOn; d <= input.endsOn; d = addDays(d, 1)) if (isWorkday(d, cal)) days.push(d);
    if (!days.length) throw badRequest('结束日期：所选期间没有工作日', 'endsOn');
    const targets = input.targetUnitIds.length + input.targetPersonIds.length;
    if (days.length * targets > 50_000) throw badRequest('参加人员：场次太多、人员太多，请改按单位选择参加对象', 'targetPersonIds');
    const now = ctx.now().toISOString();
    const series: StudySeriesTable = {
      id: newId(), campaign_id: campaignId, title: input.title, mode: input.mode, org_unit_id: input.orgUnitId, starts_on: input.startsOn,
      ends_on: input.endsOn, start_time: input.startTime, minutes: input.minutes, rota: JSON.stringify(input.rotaPersonIds),
      created_by: actor.userId, created_at: now,
    };
    await trx.insertInto('study_series').values(series).execute();
    const expected = await expectedCount(trx, input.targetUnitIds, input.targetPersonIds);
    const activities: StudyActivityTable[] = days.map((day, i) => {
      const speakerId = input.rotaPersonIds[i % input.rotaPersonIds.length]!;
      const start = new Date(`${day}T${input.startTime}:00+08:00`);
      return {
        id: newId(), campaign_id: campaignId, topic_id: input.topicId || null, series_id: series.id, mode: input.mode,
        title: `${input.title}（第 ${i + 1} 期）`, held_on: day, starts_at: start.toISOString(),
        ends_at: new Date(start.getTime() + input.minutes * 60_000).toISOString(), place: input.place || null, org_unit_id: input.orgUnitId,
        party_org_id: null, speaker: rota.get(speakerId)!.name, speaker_person_id: speakerId, summary: null, links: '[]',
        hours_tenths: tenths(input.hours), checkin_secret: newCheckinSecret(), expected_count: expected, attended_count: 0,
        created_by: actor.userId, created_at: now, updated_at: now,
      };
    });
    await insertBatches(trx, 'study_activity', activities, 100);
    await insertBatches(trx, 'study_activity_target', activities.flatMap((a) => targetRows(a.id, input.targetUnitIds, input.targetPersonIds)));
    return {
      result: { id: series.id, sessions: activities.length, firstOn: days[0], lastOn: days.at(-1) },
      entityId: series.id,
      after: { ...series, sessions: activities.length, targetUnitIds: input.targetUnitIds, targetPersonIds: input.targetPersonIds },
    };
  });
}

// ---------------------------------------------------------------- reviews (观评)

export async function writeReview(ctx: Ctx, activityId: string, input: ReviewInput) {
  const actor = requirePermission(ctx, 'study:take');
  if (!actor.personId) throw badRequest('当前账号未关联干警信息，不能撰写观评');
  const personId = actor.personId;
  return runCommand(ctx, { action: 'review', entityType: 'study_review' }, async (trx) => {
    const a = await trx.selectFrom('study_activity').select(['id', 'mode']).where('id', '=', activityId).executeTakeFirst();
    if (!a) throw notFound('学习活动不存在');
    if (a.mode !== 'event_follow') throw badRequest('学习活动：只有“重要活动跟学”的活动可以撰写观评', 'activityId');
    const attended = await trx.selectFrom('study_attendance').select('person_id').where('activity_id', '=', a.id).where('person_id', '=', personId).executeTakeFirst();
    if (!attended && !(await isExpected(trx, a.id, personId))) throw forbidden('只有参加或应参加该活动的人员可以撰写观评');
    const person = await trx.selectFrom('person').select('org_unit_id').where('id', '=', personId).executeTakeFirstOrThrow();
    const now = ctx.now().toISOString();
    const before = await trx.selectFrom('study_review').select(['id', 'submitted_at']).where('activity_id', '=', a.id).where('person_id', '=', personId).executeTakeFirst();
    const id = before?.id ?? newId();
    // One review per person and activity: a second write updates it (also when two arrive at once).
    await trx
      .insertInto('study_review')
      .values({ id, activity_id: a.id, person_id: personId, org_unit_id: person.org_unit_id, body: input.body, submitted_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['activity_id', 'person_id']).doUpdateSet({ body: input.body, updated_at: now }))
      .execute();
    const saved = await trx.selectFrom('study_review').select('id').where('activity_id', '=', a.id).where('person_id', '=', personId).executeTakeFirstOrThrow();
    return {
      result: { id: saved.id, created: !before },
      entityId: saved.id,
      after: { activityId: a.id, personId, chars: input.body.length },
    };
  });
}

// ---------------------------------------------------------------- shares (分享促学)

export async function createShare(ctx: Ctx, input: ShareInput) {
  const actor = requirePermission(ctx, 'study:take');
  if (!actor.personId) throw badRequest('当前账号未关联干警信息，不能发布分享');
  const personId = actor.personId;
  return runCommand(ctx, { action: 'create', entityType: 'study_share' }, async (trx) => {
    const today = shanghaiDate(ctx.now());
    const campaignId = await campaignFor(trx, ctx, input.campaignId, today);
    const person = await trx.selectFrom('person').select('org_unit_id').where('id', '=', personId).executeTakeFirstOrThrow();
    const id = newId();
    if (input.audioFileId) {
      const f = await trx.selectFrom('attachment').select(['mime', 'uploaded_by']).where('id', '=', input.audioFileId).executeTakeFirst();
      if (!f || f.uploaded_by !== actor.userId) throw badRequest('音频文件：不存在或不可使用', 'audioFileId');
      if (!f.mime.startsWith('audio/')) throw badRequest('音频文件：须为音频（如 MP3）', 'audioFileId');
      await attachFiles(trx, actor.userId, [input.audioFileId], 'study_share', id, 'audioFileId');
    }
    const now = ctx.now().toISOString();
    const row = {
      id, campaign_id: campaignId, kind: input.kind, category: input.category, title: input.title, body: input.body || null,
      audio_file_id: input.audioFileId || null, author_person_id: personId, org_unit_id: person.org_unit_id, published_on: today,
      published_at: now, status: 'published' as const, plays: 0, likes: 0, created_by: actor.userId, updated_at: now,
    };
    await trx.insertInto('study_share').values(row).execute();
    return { result: { id }, entityId: id, after: { ...row, body: row.body ? `${row.body.length} 字` : null } };
  });
}

async function publishedShare(trx: Trx, id: string) {
  const s = await trx.selectFrom('study_share').select(['id', 'status', 'likes', 'plays']).where('id', '=', id).executeTakeFirst();
  if (!s || s.status !== 'published') throw notFound('分享不存在或已隐藏');
  return s;
}

/** Every play counts (no debounce: a listener replaying a story is a listen). */
export async function playShare(ctx: Ctx, id: string) {
  if (!ctx.actor || !(ctx.actor.permissions.has('study:take') || ctx.actor.permissions.has('study:read'))) throw forbidden();
  return runCommand(ctx, { action: 'play', entityType: 'study_share' }, async (trx) => {
    const s = await publishedShare(trx, id);
    await trx.updateTable('study_share').set((eb) => ({ plays: eb('plays', '+', 1) })).where('id', '=', id).execute();
    return { result: { plays: Number(s.plays) + 1 }, entityId: id };
  });
}

export async function likeShare(ctx: Ctx, id: string, like: boolean) {
  const actor = requirePermission(ctx, 'study:take');
  if (!actor.personId) throw badRequest('当前账号未关联干警信息，不能点赞');
  const personId = actor.personId;
  return runCommand(ctx, { action: like ? 'like' : 'unlike', entityType: 'study_share' }, async (trx) => {
    await publishedShare(trx, id);
    let changed = 0;
    if (like) {
      const got = await trx
        .insertInto('study_share_like')
        .values({ share_id: id, person_id: personId, at: ctx.now().toISOString() })
        .onConflict((oc) => oc.columns(['share_id', 'person_id']).doNothing())
        .returning('person_id')
        .execute();
      changed = got.length;
    } else {
      const got = await trx.deleteFrom('study_share_like').where('share_id', '=', id).where('person_id', '=', personId).returning('person_id').execute();
      changed = -got.length;
    }
    if (changed) await trx.updateTable('study_share').set((eb) => ({ likes: eb('likes', '+', changed) })).where('id', '=', id).execute();
    const after = await trx.selectFrom('study_share').select('likes').where('id', '=', id).executeTakeFirstOrThrow();
    return { result: { likes: Number(after.likes), likedByMe: like }, entityId: id, after: { personId, changed } };
  });
}

export async function setShareStatus(ctx: Ctx, id: string, status: 'published' | 'hidden') {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: status === 'hidden' ? 'hide' : 'unhide', entityType: 'study_share' }, async (trx) => {
    const s = await applyScope(trx.selectFrom('study_share').select(['study_share.id', 'study_share.org_unit_id', 'study_share.status']), actor, SHARE_SCOPE)
      .where('study_share.id', '=', id)
      .executeTakeFirst();
    if (!s) throw notFound('分享不存在');
    await assertUnitWritable(trx, actor, s.org_unit_id, '该分享所属单位');
    await trx.updateTable('study_share').set({ status, updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    return { result: { id, status }, entityId: id, before: { status: s.status }, after: { status } };
  });
}

// ---------------------------------------------------------------- roving supervision (巡回指导)

async function visitParty(trx: Trx, actor: Actor, partyOrgId: string) {
  const p = await partyOrgInScope(trx, actor, partyOrgId);
  if (!p.org_unit_id) throw badRequest('党组织：未关联单位，请先在党组织中设置所属单位', 'partyOrgId');
  await assertUnitWritable(trx, actor, p.org_unit_id, '该党组织所属单位');
  return { ...p, org_unit_id: p.org_unit_id };
}

function checkVisitDates(today: string, v: { visitedOn?: string | null; followUpDue?: string | null }, visitedOn: string) {
  if (v.visitedOn && v.visitedOn > today) throw badRequest('指导日期：不能晚于今天', 'visitedOn');
  if (v.followUpDue && v.followUpDue < visitedOn) throw badRequest('整改期限：不能早于指导日期', 'followUpDue');
}

export async function createVisit(ctx: Ctx, input: VisitInput) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'create', entityType: 'supervision_visit' }, async (trx) => {
    const party = await visitParty(trx, actor, input.partyOrgId);
    checkVisitDates(shanghaiDate(ctx.now()), input, input.visitedOn);
    if (input.followUpDue && !input.followUp) throw badRequest('整改要求：有整改期限时须写明整改要求', 'followUp');
    const campaignId = await campaignFor(trx, ctx, input.campaignId, input.visitedOn);
    const now = ctx.now().toISOString();
    const row = {
      id: newId(), campaign_id: campaignId, party_org_id: party.id, org_unit_id: party.org_unit_id, visited_on: input.visitedOn, team: input.team,
      findings: input.findings, follow_up: input.followUp || null, follow_up_due: input.followUpDue || null, follow_up_done_on: null,
      follow_up_result: null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    await trx.insertInto('supervision_visit').values(row).execute();
    return { result: { id: row.id }, entityId: row.id, after: row };
  });
}

async function writableVisit(trx: Trx, actor: Actor, id: string) {
  const v = await applyScope(trx.selectFrom('supervision_visit').selectAll(), actor, VISIT_SCOPE).where('supervision_visit.id', '=', id).executeTakeFirst();
  if (!v) throw notFound('巡回指导记录不存在');
  await assertUnitWritable(trx, actor, v.org_unit_id, '该党组织所属单位');
  return v;
}

export async function updateVisit(ctx: Ctx, id: string, patch: VisitPatch) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'update', entityType: 'supervision_visit' }, async (trx) => {
    const before = await writableVisit(trx, actor, id);
    const visitedOn = patch.visitedOn ?? before.visited_on;
    checkVisitDates(shanghaiDate(ctx.now()), { visitedOn: patch.visitedOn, followUpDue: patch.followUpDue ?? before.follow_up_due }, visitedOn);
    const followUp = patch.followUp !== undefined ? patch.followUp || null : before.follow_up;
    const due = patch.followUpDue !== undefined ? patch.followUpDue || null : before.follow_up_due;
    if (due && !followUp) throw badRequest('整改要求：有整改期限时须写明整改要求', 'followUp');
    const set = {
      ...(patch.visitedOn ? { visited_on: patch.visitedOn } : {}),
      ...(patch.team ? { team: patch.team } : {}),
      ...(patch.findings ? { findings: patch.findings } : {}),
      follow_up: followUp, follow_up_due: due,
      updated_at: ctx.now().toISOString(),
    };
    await trx.updateTable('supervision_visit').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}

export async function completeFollowUp(ctx: Ctx, id: string, input: FollowUpDoneInput) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'follow_up_done', entityType: 'supervision_visit' }, async (trx) => {
    const v = await writableVisit(trx, actor, id);
    if (!v.follow_up) throw badRequest('整改要求：该次指导没有整改要求', 'result');
    if (input.doneOn < v.visited_on) throw badRequest('整改完成日期：不能早于指导日期', 'doneOn');
    if (input.doneOn > shanghaiDate(ctx.now())) throw badRequest('整改完成日期：不能晚于今天', 'doneOn');
    const set = { follow_up_done_on: input.doneOn, follow_up_result: input.result, updated_at: ctx.now().toISOString() };
    await trx.updateTable('supervision_visit').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before: { follow_up_done_on: v.follow_up_done_on }, after: set };
  });
}

// ---------------------------------------------------------------- commendations (选树典型)

export async function createCommendation(ctx: Ctx, input: CommendationInput) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'create', entityType: 'commendation' }, async (trx) => {
    let unitId: string;
    if (input.kind === 'party_org') {
      const p = await partyOrgInScope(trx, actor, input.partyOrgId!);
      if (!p.org_unit_id) throw badRequest('党组织：未关联单位，请先在党组织中设置所属单位', 'partyOrgId');
      unitId = p.org_unit_id;
    } else {
      const people = await peopleInScope(trx, actor, [input.personId!], () => ({ text: '人员：不存在或不在您的数据范围内', field: 'personId' }));
      unitId = people.get(input.personId!)!.org_unit_id;
    }
    await assertUnitWritable(trx, actor, unitId, '其所属单位');
    const campaignId = input.campaignId
      ? await campaignFor(trx, ctx, input.campaignId, input.conferredOn)
      : await campaignForNewRecord({ db: trx, now: ctx.now }, null, input.conferredOn);
    const row = {
      id: newId(), campaign_id: campaignId, kind: input.kind, party_org_id: input.kind === 'party_org' ? input.partyOrgId! : null,
      person_id: input.kind === 'person' ? input.personId! : null, org_unit_id: unitId, title: input.title, conferred_by: input.conferredBy,
      conferred_on: input.conferredOn, reason: input.reason, created_by: actor.userId, created_at: ctx.now().toISOString(),
    };
    await trx.insertInto('commendation').values(row).execute();
    return { result: { id: row.id }, entityId: row.id, after: row };
  });
}

export async function updateCommendation(ctx: Ctx, id: string, patch: CommendationPatch) {
  const actor = requirePermission(ctx, 'study:write');
  return runCommand(ctx, { action: 'update', entityType: 'commendation' }, async (trx) => {
    const before = await applyScope(trx.selectFrom('commendation').selectAll(), actor, COMMENDATION_SCOPE).where('commendation.id', '=', id).executeTakeFirst();
    if (!before) throw notFound('典型记录不存在');
    await assertUnitWritable(trx, actor, before.org_unit_id, '其所属单位');
    const set = {
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.conferredBy ? { conferred_by: patch.conferredBy } : {}),
      ...(patch.conferredOn ? { conferred_on: patch.conferredOn } : {}),
      ...(patch.reason ? { reason: patch.reason } : {}),
    };
    if (Object.keys(set).length) await trx.updateTable('commendation').set(set).where('id', '=', id).execute();
    return { result: { id }, entityId: id, before, after: { ...before, ...set } };
  });
}
