import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor, Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { peopleInScope } from '../../platform/access.js';
import { badRequest } from '../../platform/errors.js';
import { iterateList, listPage } from '../../platform/list.js';
import type { DB } from '../../db/types.js';
import { EXAM_KINDS, STUDY_MODES, type StudyMode } from '../../../shared/schemas/study-labels.js';
import { servingPeople, servingTotal, unitPathOf } from '../people/coverage.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { shanghaiDate } from '../../platform/time.js';
import { combineTopic, topicAttempts } from './exam-queries.js';

// 学习档案 and 年度考评: a person's year of study (hours, activities, shares, reviews, exam scores,
// topic results, commendations) and the study score it earns under the year's formula.

/** Without a year asked for: the year of the campaign the study pages open on (the demo's is 2021), else this year. */
export async function defaultStudyYear(ctx: Ctx): Promise<number> {
  const id = await campaignToShowFor(ctx, 'study_topic');
  const c = id ? await ctx.db.selectFrom('campaign').select('start_date').where('id', '=', id).executeTakeFirst() : undefined;
  return Number((c?.start_date ?? shanghaiDate(ctx.now())).slice(0, 4));
}

/** The UTC instants bounding a Shanghai calendar year: exams are dated by when they open. */
export function shanghaiYear(year: number) {
  return { from: new Date(Date.UTC(year - 1, 11, 31, 16)).toISOString(), to: new Date(Date.UTC(year, 11, 31, 16)).toISOString() };
}

export const AssessmentRule = z
  .object({
    hoursTarget: z.coerce.number().min(1, '至少 1 学时').max(1000).describe('年度学时目标'),
    participationTarget: z.coerce.number().int().min(1, '至少 1 次').max(1000).describe('年度分享、观评次数目标'),
    hoursWeight: z.coerce.number().int().min(0).max(100).describe('学时权重'),
    examsWeight: z.coerce.number().int().min(0).max(100).describe('考试权重'),
    participationWeight: z.coerce.number().int().min(0).max(100).describe('分享观评权重'),
    awardMinScore: z.coerce.number().min(0).max(100).describe('评先评优最低学习积分'),
    requireTopicsPassed: z.boolean().describe('评先评优须各专题合格'),
  })
  .superRefine((v, ctx) => {
    if (v.hoursWeight + v.examsWeight + v.participationWeight !== 100) ctx.addIssue({ code: 'custom', path: ['participationWeight'], message: '三项权重之和须为 100' });
  });
export type AssessmentRule = z.infer<typeof AssessmentRule>;

export const DEFAULT_RULE: AssessmentRule = {
  hoursTarget: 40, participationTarget: 4, hoursWeight: 40, examsWeight: 50, participationWeight: 10, awardMinScore: 85, requireTopicsPassed: true,
};

export async function ruleOf(db: Kysely<DB>, year: number): Promise<{ rule: AssessmentRule; custom: boolean; updatedAt: string | null }> {
  const row = await db.selectFrom('study_assessment_rule').selectAll().where('year', '=', year).executeTakeFirst();
  return row ? { rule: { ...DEFAULT_RULE, ...(JSON.parse(row.config) as AssessmentRule) }, custom: true, updatedAt: row.updated_at } : { rule: DEFAULT_RULE, custom: false, updatedAt: null };
}

export async function setRule(ctx: Ctx, year: number, rule: AssessmentRule) {
  const actor = requirePermission(ctx, 'study:assess');
  return runCommand(ctx, { action: 'update', entityType: 'study_assessment_rule' }, async (trx) => {
    const before = await trx.selectFrom('study_assessment_rule').selectAll().where('year', '=', year).executeTakeFirst();
    const now = ctx.now().toISOString();
    await trx
      .insertInto('study_assessment_rule')
      .values({ year, config: JSON.stringify(rule), updated_by: actor.userId, updated_at: now })
      .onConflict((oc) => oc.column('year').doUpdateSet({ config: JSON.stringify(rule), updated_by: actor.userId, updated_at: now }))
      .execute();
    return { result: { year, rule }, entityId: String(year), before: before ? JSON.parse(before.config) : null, after: rule };
  });
}

/** The year's per-person study facts for a batch of people: hours, participation, topic results. */
async function yearFacts(db: Kysely<DB>, personIds: string[], year: number) {
  const facts = new Map(personIds.map((p) => [p, { hoursTenths: 0, attended: 0, shares: 0, reviews: 0 }]));
  if (!personIds.length) return { facts, topics: [] as { id: string; title: string; online_weight: number; offline_weight: number; pass_score: number }[], attempts: new Map() as Awaited<ReturnType<typeof topicAttempts>> };
  const y = String(year);
  const hours = await db
    .selectFrom('study_attendance')
    .select(['person_id', sql<number>`sum(hours_tenths)`.as('h'), sql<number>`count(*)`.as('n')])
    .where('person_id', 'in', personIds)
    .where('held_on', '>=', `${y}-01-01`)
    .where('held_on', '<=', `${y}-12-31`)
    .groupBy('person_id')
    .execute();
  for (const r of hours) Object.assign(facts.get(r.person_id)!, { hoursTenths: Number(r.h ?? 0), attended: Number(r.n) });
  const shares = await db
    .selectFrom('study_share')
    .select(['author_person_id as person_id', sql<number>`count(*)`.as('n')])
    .where('author_person_id', 'in', personIds)
    .where('status', '=', 'published')
    .where('published_on', '>=', `${y}-01-01`)
    .where('published_on', '<=', `${y}-12-31`)
    .groupBy('author_person_id')
    .execute();
  for (const r of shares) facts.get(r.person_id)!.shares = Number(r.n);
  const { from, to } = shanghaiYear(year);
  const reviews = await db
    .selectFrom('study_review')
    .select(['person_id', sql<number>`count(*)`.as('n')])
    .where('person_id', 'in', personIds)
    .where('submitted_at', '>=', from)
    .where('submitted_at', '<', to)
    .groupBy('person_id')
    .execute();
  for (const r of reviews) facts.get(r.person_id)!.reviews = Number(r.n);
  const topics = await db
    .selectFrom('study_topic')
    .select(['id', 'title', 'online_weight', 'offline_weight', 'pass_score'])
    // The year's topics: those starting in the year; a topic without dates belongs to its exams' year.
    .where((eb) =>
      eb.or([
        eb.and([eb('starts_on', '>=', `${y}-01-01`), eb('starts_on', '<=', `${y}-12-31`)]),
        eb.and([
          eb('starts_on', 'is', null),
          eb.exists(eb.selectFrom('exam').select('exam.id').whereRef('exam.topic_id', '=', 'study_topic.id').where('exam.opens_at', '>=', from).where('exam.opens_at', '<', to)),
        ]),
      ]),
    )
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
  const attempts = await topicAttempts(db, personIds, topics.map((t) => t.id));
  return { facts, topics, attempts };
}

/** The formula, stated once: each part is its weight × how much of the target was reached (at most all). */
export function assess(rule: AssessmentRule, f: { hoursTenths: number; shares: number; reviews: number }, topicResults: { combined: number; passed: boolean }[]) {
  const hours = f.hoursTenths / 10;
  const hoursPart = rule.hoursWeight * Math.min(1, hours / rule.hoursTarget);
  const examAvg = topicResults.length ? topicResults.reduce((s, t) => s + t.combined, 0) / topicResults.length : 0;
  const examsPart = rule.examsWeight * (examAvg / 100);
  const partPart = rule.participationWeight * Math.min(1, (f.shares + f.reviews) / rule.participationTarget);
  const score = Math.round((hoursPart + examsPart + partPart) * 10) / 10;
  const topicsPassed = topicResults.every((t) => t.passed);
  return {
    score, hoursPart: Math.round(hoursPart * 10) / 10, examsPart: Math.round(examsPart * 10) / 10, participationPart: Math.round(partPart * 10) / 10,
    examAverage: Math.round(examAvg * 10) / 10, topicsPassed, eligible: score >= rule.awardMinScore && (!rule.requireTopicsPassed || topicsPassed),
  };
}

async function assessBatch(db: Kysely<DB>, people: { id: string; name: string; police_no: string | null; unit_name: string }[], year: number, rule: AssessmentRule) {
  const { facts, topics, attempts } = await yearFacts(db, people.map((p) => p.id), year);
  return people.map((p) => {
    const f = facts.get(p.id)!;
    const results = topics.map((t) => ({ topicId: t.id, title: t.title, ...combineTopic(t, attempts.get(p.id)?.get(t.id) ?? []) }));
    return { personId: p.id, name: p.name, policeNo: p.police_no, orgUnitName: p.unit_name, hours: f.hoursTenths / 10, attended: f.attended, shares: f.shares, reviews: f.reviews, topics: results, ...assess(rule, f, results) };
  });
}

const peopleRows = (ctx: Ctx) => (ids: string[]) =>
  ctx.db.selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select(['person.id', 'person.name', 'person.police_no', 'org_unit.name as unit_name', 'person.sort_key']).where('person.id', 'in', ids);

/** 年度考评: serving people in scope with their study score and award eligibility, in the people list's order. */
export async function assessment(ctx: Ctx, actor: Actor, f: { year: number; orgUnitId?: string; page: number; pageSize: number }) {
  const { rule, custom } = await ruleOf(ctx.db, f.year);
  const unitPath = await unitPathOf(ctx, f.orgUnitId);
  const page = await listPage(ctx.db, {
    name: 'assessment',
    from: servingPeople(ctx, actor, unitPath),
    id: 'person.id',
    order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
    rows: peopleRows(ctx),
    count: 'capped',
    total: servingTotal(ctx, actor, unitPath),
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, year: f.year, rule, customRule: custom, items: await assessBatch(ctx.db, page.items, f.year, rule) };
}

/** Every serving person in scope, a batch at a time, for the export. */
export async function* assessmentRows(ctx: Ctx, actor: Actor, f: { year: number; orgUnitId?: string }) {
  const { rule } = await ruleOf(ctx.db, f.year);
  const batch: { id: string; name: string; police_no: string | null; unit_name: string }[] = [];
  const people = iterateList({
    name: 'assessment-export',
    from: servingPeople(ctx, actor, await unitPathOf(ctx, f.orgUnitId)),
    id: 'person.id',
    order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
    rows: peopleRows(ctx),
  }, 500);
  for await (const p of people) {
    batch.push(p);
    if (batch.length === 500) yield* await assessBatch(ctx.db, batch.splice(0), f.year, rule);
  }
  if (batch.length) yield* await assessBatch(ctx.db, batch, f.year, rule);
}

/** One person's archive for a year: everything that makes their study score, each as its records. */
export async function archive(ctx: Ctx, personId: string, year: number) {
  const person = await ctx.db
    .selectFrom('person')
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select(['person.id', 'person.name', 'person.police_no', 'person.post', 'org_unit.name as unit_name'])
    .where('person.id', '=', personId)
    .executeTakeFirstOrThrow();
  const y = String(year);
  const { from, to } = shanghaiYear(year);
  const attendances = await ctx.db
    .selectFrom('study_attendance')
    .innerJoin('study_activity', 'study_activity.id', 'study_attendance.activity_id')
    .select(['study_activity.id', 'study_activity.title', 'study_activity.mode', 'study_attendance.held_on', 'study_attendance.hours_tenths', 'study_attendance.method'])
    .where('study_attendance.person_id', '=', personId)
    .where('study_attendance.held_on', '>=', `${y}-01-01`)
    .where('study_attendance.held_on', '<=', `${y}-12-31`)
    .orderBy('study_attendance.held_on')
    .execute();
  const shares = await ctx.db
    .selectFrom('study_share')
    .select(['id', 'title', 'category', 'kind', 'published_on', 'plays', 'likes'])
    .where('author_person_id', '=', personId)
    .where('status', '=', 'published')
    .where('published_on', '>=', `${y}-01-01`)
    .where('published_on', '<=', `${y}-12-31`)
    .orderBy('published_on')
    .execute();
  const reviews = await ctx.db
    .selectFrom('study_review')
    .innerJoin('study_activity', 'study_activity.id', 'study_review.activity_id')
    .select(['study_review.id', 'study_activity.title', 'study_review.body', 'study_review.submitted_at'])
    .where('study_review.person_id', '=', personId)
    .where('study_review.submitted_at', '>=', from)
    .where('study_review.submitted_at', '<', to)
    .orderBy('study_review.submitted_at')
    .execute();
  const exams = await ctx.db
    .selectFrom('exam_attempt')
    .innerJoin('exam', 'exam.id', 'exam_attempt.exam_id')
    .innerJoin('study_topic', 'study_topic.id', 'exam.topic_id')
    .select(['exam.id', 'exam.title', 'exam.kind', 'exam.full_score', 'exam.pass_score', 'exam.opens_at', 'study_topic.title as topic_title', 'exam_attempt.status', 'exam_attempt.score', 'exam_attempt.passed'])
    .where('exam_attempt.person_id', '=', personId)
    .where('exam.opens_at', '>=', from)
    .where('exam.opens_at', '<', to)
    .orderBy('exam.opens_at')
    .execute();
  const commendations = await ctx.db
    .selectFrom('commendation')
    .select(['id', 'title', 'conferred_by', 'conferred_on', 'reason'])
    .where('person_id', '=', personId)
    .where('conferred_on', '>=', `${y}-01-01`)
    .where('conferred_on', '<=', `${y}-12-31`)
    .orderBy('conferred_on')
    .execute();
  const wrong = await ctx.db.selectFrom('wrong_answer').select(sql<number>`count(*)`.as('n')).where('person_id', '=', personId).executeTakeFirstOrThrow();
  const { rule } = await ruleOf(ctx.db, year);
  const [assessed] = await assessBatch(ctx.db, [person], year, rule);
  const hoursByMode = Object.fromEntries(Object.keys(STUDY_MODES).map((m) => [m, 0])) as Record<StudyMode, number>;
  for (const a of attendances) hoursByMode[a.mode] += a.hours_tenths;
  return {
    year, person: { id: person.id, name: person.name, policeNo: person.police_no, post: person.post, orgUnitName: person.unit_name },
    hours: attendances.reduce((s, a) => s + a.hours_tenths, 0) / 10,
    hoursByMode: Object.fromEntries(Object.entries(hoursByMode).map(([m, t]) => [m, t / 10])),
    attendances: attendances.map((a) => ({ activityId: a.id, title: a.title, mode: a.mode, modeLabel: STUDY_MODES[a.mode], heldOn: a.held_on, hours: a.hours_tenths / 10, method: a.method })),
    shares: shares.map((s) => ({ id: s.id, title: s.title, category: s.category, kind: s.kind, publishedOn: s.published_on, plays: s.plays, likes: s.likes })),
    reviews: reviews.map((r) => ({ id: r.id, activityTitle: r.title, excerpt: r.body.slice(0, 120), submittedAt: r.submitted_at })),
    exams: exams.map((e) => ({
      examId: e.id, title: e.title, kind: e.kind, kindLabel: EXAM_KINDS[e.kind], topicTitle: e.topic_title, opensAt: e.opens_at, status: e.status,
      score: e.score == null ? null : e.score / 10, fullScore: e.full_score / 10, passed: e.passed == null ? null : e.passed === 1,
    })),
    topics: assessed!.topics,
    commendations: commendations.map((c) => ({ id: c.id, title: c.title, conferredBy: c.conferred_by, conferredOn: c.conferred_on, reason: c.reason })),
    wrongAnswers: Number(wrong.n),
    assessment: { rule, score: assessed!.score, hoursPart: assessed!.hoursPart, examsPart: assessed!.examsPart, participationPart: assessed!.participationPart, examAverage: assessed!.examAverage, topicsPassed: assessed!.topicsPassed, eligible: assessed!.eligible },
  };
}

/** A person's archive for staff: the person must be in the viewer's scope. */
export async function archiveFor(ctx: Ctx, actor: Actor, personId: string, year: number) {
  await peopleInScope(ctx.db, actor, [personId], () => ({ text: '干警：不存在或不在您的数据范围内', field: 'personId' }));
  return archive(ctx, personId, year);
}

export async function myArchive(ctx: Ctx, year: number) {
  const actor = requirePermission(ctx, 'study:take');
  if (!actor.personId) throw badRequest('当前账号未关联干警');
  return archive(ctx, actor.personId, year);
}

/** Per unit in scope: serving people, hours, attendance, exams taken and passed in the year. */
export async function unitSummary(ctx: Ctx, actor: Actor, f: { year: number; orgUnitId?: string }) {
  const path = await unitPathOf(ctx, f.orgUnitId);
  const y = String(f.year);
  const { from, to } = shanghaiYear(f.year);
  const people = await servingPeople(ctx, actor, path)
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select(['person.org_unit_id as unitId', 'org_unit.name as unitName', 'org_unit.path as unitPath', sql<number>`count(*)`.as('n')])
    .groupBy(['person.org_unit_id', 'org_unit.name', 'org_unit.path'])
    .execute();
  const hours = await servingPeople(ctx, actor, path)
    .innerJoin('study_attendance', 'study_attendance.person_id', 'person.id')
    .select(['person.org_unit_id as unitId', sql<number>`sum(study_attendance.hours_tenths)`.as('h'), sql<number>`count(*)`.as('n'), sql<number>`count(distinct person.id)`.as('people')])
    .where('study_attendance.held_on', '>=', `${y}-01-01`)
    .where('study_attendance.held_on', '<=', `${y}-12-31`)
    .groupBy('person.org_unit_id')
    .execute();
  const exams = await servingPeople(ctx, actor, path)
    .innerJoin('exam_attempt', 'exam_attempt.person_id', 'person.id')
    .innerJoin('exam', 'exam.id', 'exam_attempt.exam_id')
    .select(['person.org_unit_id as unitId', sql<number>`count(*)`.as('n'), sql<number>`sum(case when exam_attempt.passed = 1 then 1 else 0 end)`.as('passed')])
    .where('exam_attempt.status', '=', 'graded')
    .where('exam.opens_at', '>=', from)
    .where('exam.opens_at', '<', to)
    .groupBy('person.org_unit_id')
    .execute();
  const h = new Map(hours.map((r) => [r.unitId, r]));
  const e = new Map(exams.map((r) => [r.unitId, r]));
  const units = people
    .map((u) => {
      const hh = h.get(u.unitId);
      const ee = e.get(u.unitId);
      const n = Number(u.n);
      const hoursTotal = Number(hh?.h ?? 0) / 10;
      const graded = Number(ee?.n ?? 0);
      const passed = Number(ee?.passed ?? 0);
      return {
        unitId: u.unitId, unitName: u.unitName, unitPath: u.unitPath, people: n, hours: hoursTotal, hoursPerPerson: n ? Math.round((hoursTotal / n) * 10) / 10 : 0,
        attendances: Number(hh?.n ?? 0), peopleAttended: Number(hh?.people ?? 0), examsGraded: graded, examsPassed: passed, passRate: graded ? Math.round((passed / graded) * 1000) / 1000 : null,
      };
    })
    .sort((a, b) => (a.unitPath < b.unitPath ? -1 : a.unitPath > b.unitPath ? 1 : 0));
  const sum = (k: 'people' | 'hours' | 'attendances' | 'peopleAttended' | 'examsGraded' | 'examsPassed') => units.reduce((s, u) => s + u[k], 0);
  const totals = { people: sum('people'), hours: Math.round(sum('hours') * 10) / 10, attendances: sum('attendances'), peopleAttended: sum('peopleAttended'), examsGraded: sum('examsGraded'), examsPassed: sum('examsPassed') };
  return { year: f.year, ...totals, passRate: totals.examsGraded ? Math.round((totals.examsPassed / totals.examsGraded) * 1000) / 1000 : null, units: units.map(({ unitPath: _p, ...u }) => u) };
}
