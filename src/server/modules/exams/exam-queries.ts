import { sql, type Kysely } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { requirePermission } from '../../platform/context.js';
import { applyScope, hasAllScope, PERSON_SCOPE } from '../../platform/access.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { iterateList, listPage, type OrderTerm } from '../../platform/list.js';
import type { DB, ExamAttemptTable, ExamTable } from '../../db/types.js';
import { EXAM_KINDS, PAPER_MODES, QUESTION_TYPES, type QuestionType } from '../../../shared/schemas/study-labels.js';
import type { ExamQuery, ResultQuery } from '../../../shared/schemas/exams.js';
import { servingPeople, servingTotal, unitPathOf } from '../people/coverage.js';
import { ATTEMPT_SCOPE, finaliseExpired, finaliseIfExpired, type PaperEntry } from './exams.js';

// What staff see of exams (lists, results, an attempt with its answers) and what the person taking
// them sees (their exams, their paper without answers until the exam closes, their wrong-answer book).

const score = (t: number | null | undefined) => (t == null ? null : t / 10);

function presentExam(e: ExamTable & { topic_title?: string }) {
  return {
    id: e.id, topicId: e.topic_id, topicTitle: e.topic_title ?? null, kind: e.kind, kindLabel: EXAM_KINDS[e.kind], title: e.title, orgUnitId: e.org_unit_id,
    opensAt: e.opens_at, closesAt: e.closes_at, durationMinutes: e.duration_minutes, fullScore: e.full_score / 10, passScore: e.pass_score / 10,
    paperMode: e.paper_mode, paperModeLabel: e.paper_mode ? PAPER_MODES[e.paper_mode] : null,
    rules: (JSON.parse(e.rules) as { type: QuestionType; difficulty: number | null; count: number; points: number }[]).map((r) => ({ ...r, points: r.points / 10, typeLabel: QUESTION_TYPES[r.type] })),
    shuffleQuestions: e.shuffle_questions === 1, shuffleOptions: e.shuffle_options === 1, expectedCount: e.expected_count,
  };
}

type ExamStats = { attempts: number; submitted: number; graded: number; passed: number; awaitingMarks: number; average: number | null };

/** The exam's own counters: everyone's attempts, for a viewer who sees all. */
function countersOf(e: ExamTable): ExamStats {
  const graded = e.graded_count ?? 0;
  return {
    attempts: e.attempts_count ?? 0, submitted: e.submitted_count ?? 0, graded, passed: e.passed_count ?? 0,
    awaitingMarks: (e.submitted_count ?? 0) - graded, average: graded ? Math.round((e.score_total ?? 0) / graded) / 10 : null,
  };
}

/** Attempts in the viewer's scope per exam: taken, handed in, graded, passed (all-scope viewers read the counters). */
async function statsOf(ctx: Ctx, actor: Actor, exams: ExamTable[]): Promise<Map<string, ExamStats>> {
  if (hasAllScope(actor)) return new Map(exams.map((e) => [e.id, countersOf(e)]));
  const examIds = exams.map((e) => e.id);
  if (!examIds.length) return new Map<string, ExamStats>();
  const rows = await applyScope(ctx.db.selectFrom('exam_attempt'), actor, ATTEMPT_SCOPE)
    .select([
      'exam_attempt.exam_id', sql<number>`count(*)`.as('attempts'),
      sql<number>`sum(case when exam_attempt.status <> 'in_progress' then 1 else 0 end)`.as('submitted'),
      sql<number>`sum(case when exam_attempt.status = 'graded' then 1 else 0 end)`.as('graded'),
      sql<number>`sum(case when exam_attempt.status = 'submitted' then 1 else 0 end)`.as('awaiting'),
      sql<number>`sum(case when exam_attempt.passed = 1 then 1 else 0 end)`.as('passed'),
      sql<number>`sum(case when exam_attempt.status = 'graded' then exam_attempt.score else 0 end)`.as('total'),
    ])
    .where('exam_attempt.exam_id', 'in', examIds)
    .groupBy('exam_attempt.exam_id')
    .execute();
  return new Map(
    rows.map((r) => {
      const graded = Number(r.graded ?? 0);
      return [r.exam_id, {
        attempts: Number(r.attempts), submitted: Number(r.submitted ?? 0), graded, passed: Number(r.passed ?? 0), awaitingMarks: Number(r.awaiting ?? 0),
        average: graded ? Math.round(Number(r.total ?? 0) / graded) / 10 : null,
      }];
    }),
  );
}

const EMPTY_STATS = { attempts: 0, submitted: 0, graded: 0, passed: 0, awaitingMarks: 0, average: null };

/** Exams newest first (index exam_order; exam_topic for one topic); each with its figures in the viewer's scope. */
export async function listExams(ctx: Ctx, actor: Actor, f: ExamQuery) {
  let from = ctx.db.selectFrom('exam');
  if (f.topicId) from = from.where('exam.topic_id', '=', f.topicId);
  const page = await listPage(ctx.db, {
    name: 'exams',
    from,
    id: 'exam.id',
    order: f.topicId ? [['exam.topic_id', 'desc'], ['exam.opens_at', 'desc'], ['exam.id', 'desc']] : [['exam.opens_at', 'desc'], ['exam.id', 'desc']],
    rows: (ids) => ctx.db.selectFrom('exam').innerJoin('study_topic', 'study_topic.id', 'exam.topic_id').selectAll('exam').select('study_topic.title as topic_title').where('exam.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  const stats = await statsOf(ctx, actor, page.items);
  return { ...page, items: page.items.map((e) => ({ ...presentExam(e), ...(stats.get(e.id) ?? EMPTY_STATS) })) };
}

export async function getExam(ctx: Ctx, actor: Actor, id: string) {
  // First, so the figures count attempts past their time limit as handed in.
  await finaliseExpired(ctx, id);
  const e = await ctx.db.selectFrom('exam').innerJoin('study_topic', 'study_topic.id', 'exam.topic_id').selectAll('exam').select('study_topic.title as topic_title').where('exam.id', '=', id).executeTakeFirst();
  if (!e) throw notFound('考试不存在');
  const questions = e.paper_mode === 'fixed'
    ? await ctx.db.selectFrom('exam_question').innerJoin('question', 'question.id', 'exam_question.question_id').select(['question.id', 'question.type', 'question.stem', 'exam_question.points']).where('exam_question.exam_id', '=', id).orderBy('exam_question.seq').execute()
    : [];
  const targets = await ctx.db.selectFrom('exam_target').select(['kind', 'target_id']).where('exam_id', '=', id).execute();
  return {
    ...presentExam(e), ...((await statsOf(ctx, actor, [e])).get(id) ?? EMPTY_STATS),
    questions: questions.map((q) => ({ id: q.id, type: q.type, typeLabel: QUESTION_TYPES[q.type], stem: q.stem, points: q.points / 10 })),
    targetUnitIds: targets.filter((t) => t.kind === 'unit').map((t) => t.target_id), targetPersonCount: targets.filter((t) => t.kind === 'person').length,
    targetPersonIds: targets.filter((t) => t.kind === 'person').map((t) => t.target_id),
    // Named people with their names (the edit form shows them); only those the viewer may see.
    targetPeople: await namedPeople(ctx, actor, targets.filter((t) => t.kind === 'person').map((t) => t.target_id)),
    // Whether anyone at all has started it (not only in the viewer's scope): what may still be corrected.
    started: (e.attempts_count ?? 0) > 0,
  };
}

function resultRows(ctx: Ctx) {
  return (ids: string[]) =>
    ctx.db
      .selectFrom('exam_attempt')
      .innerJoin('person', 'person.id', 'exam_attempt.person_id')
      .innerJoin('org_unit', 'org_unit.id', 'exam_attempt.org_unit_id')
      .select([
        'exam_attempt.id', 'exam_attempt.person_id', 'exam_attempt.exam_id', 'exam_attempt.status', 'exam_attempt.score', 'exam_attempt.auto_score', 'exam_attempt.passed',
        'exam_attempt.tab_switches', 'exam_attempt.started_at', 'exam_attempt.submitted_at', 'exam_attempt.org_unit_id', 'person.name', 'person.police_no', 'org_unit.name as org_unit_name',
      ])
      .where('exam_attempt.id', 'in', ids);
}
type ResultRow = Awaited<ReturnType<ReturnType<ReturnType<typeof resultRows>>['executeTakeFirstOrThrow']>>;

function presentResult(a: ResultRow) {
  return {
    id: a.id, personId: a.person_id, name: a.name, policeNo: a.police_no, orgUnitId: a.org_unit_id, orgUnitName: a.org_unit_name, status: a.status,
    score: score(a.score), autoScore: score(a.auto_score), passed: a.passed == null ? null : a.passed === 1, tabSwitches: a.tab_switches,
    startedAt: a.started_at, submittedAt: a.submitted_at,
  };
}

async function resultsFrom(ctx: Ctx, actor: Actor, examId: string, f: { status?: string; orgUnitId?: string }) {
  let from = applyScope(ctx.db.selectFrom('exam_attempt').where('exam_attempt.exam_id', '=', examId), actor, ATTEMPT_SCOPE);
  if (f.status) from = from.where('exam_attempt.status', '=', f.status as 'graded');
  if (f.orgUnitId) {
    const path = await unitPathOf(ctx, f.orgUnitId);
    from = from.where('exam_attempt.org_unit_id', 'in', ctx.db.selectFrom('org_unit').select('id').where('path', 'like', `${path}%`));
  }
  const order: OrderTerm[] = f.status
    ? [['exam_attempt.exam_id', 'asc'], ['exam_attempt.status', 'asc'], ['exam_attempt.person_id', 'asc']]
    : [['exam_attempt.exam_id', 'asc'], ['exam_attempt.person_id', 'asc']];
  return { from, order };
}

async function namedPeople(ctx: Ctx, actor: Actor, ids: string[]) {
  if (!ids.length) return [];
  const rows = await applyScope(
    ctx.db.selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select(['person.id', 'person.name', 'org_unit.name as unit_name']),
    actor,
    PERSON_SCOPE,
  )
    .where('person.id', 'in', ids)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, orgUnitName: r.unit_name }));
}

/** One exam's attempts in the viewer's scope, by person (index exam_attempt_once; exam_attempt_list by status). */
export async function listResults(ctx: Ctx, actor: Actor, examId: string, f: ResultQuery) {
  const exam = await ctx.db.selectFrom('exam').select(['id', 'full_score']).where('id', '=', examId).executeTakeFirst();
  if (!exam) throw notFound('考试不存在');
  await finaliseExpired(ctx, examId);
  const { from, order } = await resultsFrom(ctx, actor, examId, f);
  const page = await listPage(ctx.db, { name: 'exam-results', from, id: 'exam_attempt.id', order, rows: resultRows(ctx), count: f.orgUnitId ? 'capped' : 'exact', page: f.page, pageSize: f.pageSize });
  return { ...page, fullScore: exam.full_score / 10, items: page.items.map(presentResult) };
}

/** Every result in scope, a batch at a time (the export). */
export async function* iterateResults(ctx: Ctx, actor: Actor, examId: string) {
  const { from, order } = await resultsFrom(ctx, actor, examId, {});
  for await (const r of iterateList({ name: 'exam-results-export', from, id: 'exam_attempt.id', order, rows: resultRows(ctx) })) yield presentResult(r);
}

async function paperQuestions(db: Kysely<DB>, paper: PaperEntry[]) {
  if (!paper.length) return new Map<string, { id: string; type: QuestionType; stem: string; options: string; answer: string; explanation: string | null }>();
  const rows = await db.selectFrom('question').select(['id', 'type', 'stem', 'options', 'answer', 'explanation']).where('id', 'in', paper.map((p) => p.q)).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * An attempt's paper. `reveal`: the right answers, marks and explanations (graders always; the person
 * only once the exam has closed). Options come in the order this person saw them.
 */
async function presentAttempt(ctx: Ctx, a: ExamAttemptTable, exam: ExamTable, reveal: boolean) {
  const paper = JSON.parse(a.paper) as PaperEntry[];
  const qs = await paperQuestions(ctx.db, paper);
  const answers = JSON.parse(a.answers) as Record<string, unknown>;
  const marks = JSON.parse(a.marks) as Record<string, number>;
  return {
    id: a.id, examId: a.exam_id, examTitle: exam.title, kind: exam.kind, personId: a.person_id, status: a.status, startedAt: a.started_at,
    deadlineAt: a.deadline_at, savedAt: a.saved_at, submittedAt: a.submitted_at, closesAt: exam.closes_at, version: a.version, tabSwitches: a.tab_switches,
    fullScore: exam.full_score / 10, passScore: exam.pass_score / 10, score: score(a.score), autoScore: score(a.auto_score),
    passed: a.passed == null ? null : a.passed === 1, revealed: reveal, now: ctx.now().toISOString(),
    questions: paper.map((p, i) => {
      const q = qs.get(p.q)!;
      const options = JSON.parse(q.options) as { key: string; text: string }[];
      const byKey = new Map(options.map((o) => [o.key, o]));
      return {
        no: i + 1, id: q.id, type: q.type, typeLabel: QUESTION_TYPES[q.type], stem: q.stem, points: p.points / 10,
        options: (p.opts ?? options.map((o) => o.key)).map((k) => byKey.get(k)!).filter(Boolean),
        given: answers[q.id] ?? null,
        ...(reveal ? { answer: JSON.parse(q.answer), explanation: q.explanation, mark: marks[q.id] == null ? null : marks[q.id]! / 10 } : {}),
      };
    }),
  };
}

/** A grader's view of an attempt (exams:read or exams:write, the person in scope): answers, marks, tab switches. */
export async function getAttemptForStaff(ctx: Ctx, actor: Actor, id: string) {
  await finaliseIfExpired(ctx, id);
  const a = await applyScope(ctx.db.selectFrom('exam_attempt').selectAll('exam_attempt'), actor, ATTEMPT_SCOPE).where('exam_attempt.id', '=', id).executeTakeFirst();
  if (!a) throw notFound('答卷不存在');
  const exam = await ctx.db.selectFrom('exam').selectAll().where('id', '=', a.exam_id).executeTakeFirstOrThrow();
  const person = await ctx.db.selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select(['person.name', 'org_unit.name as unit']).where('person.id', '=', a.person_id).executeTakeFirstOrThrow();
  return { ...(await presentAttempt(ctx, a as ExamAttemptTable, exam, true)), personName: person.name, orgUnitName: person.unit };
}

// --- the person taking exams ---

function ownPersonId(ctx: Ctx): string {
  const actor = requirePermission(ctx, 'study:take');
  if (!actor.personId) throw badRequest('当前账号未关联干警');
  return actor.personId;
}

/** The exams the caller is expected at, newest first, each with their own attempt. */
export async function myExams(ctx: Ctx) {
  const personId = ownPersonId(ctx);
  const me = await ctx.db.selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select('org_unit.path').where('person.id', '=', personId).executeTakeFirstOrThrow();
  const ancestors = me.path.split('/').filter(Boolean);
  const exams = await ctx.db
    .selectFrom('exam')
    .innerJoin('study_topic', 'study_topic.id', 'exam.topic_id')
    .selectAll('exam')
    .select('study_topic.title as topic_title')
    .where('exam.status', '=', 'published')
    .where((eb) =>
      eb.exists(
        eb.selectFrom('exam_target as t').select('t.exam_id').whereRef('t.exam_id', '=', 'exam.id')
          .where((w) => w.or([w.and([w('t.kind', '=', 'person'), w('t.target_id', '=', personId)]), w.and([w('t.kind', '=', 'unit'), w('t.target_id', 'in', ancestors)])])),
      ),
    )
    .orderBy('exam.opens_at', 'desc')
    .limit(200)
    .execute();
  const attempts = exams.length
    ? await ctx.db.selectFrom('exam_attempt').selectAll().where('person_id', '=', personId).where('exam_id', 'in', exams.map((e) => e.id)).execute()
    : [];
  for (const a of attempts) if (a.status === 'in_progress' && (await finaliseIfExpired(ctx, a.id))) Object.assign(a, await ctx.db.selectFrom('exam_attempt').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow());
  const byExam = new Map(attempts.map((a) => [a.exam_id, a]));
  const now = ctx.now();
  return {
    items: exams.map((e) => {
      const a = byExam.get(e.id);
      const state = now < new Date(e.opens_at) ? 'upcoming' : now >= new Date(e.closes_at) ? 'closed' : 'open';
      return {
        ...presentExam(e), state,
        attempt: a ? { id: a.id, status: a.status, score: score(a.score), passed: a.passed == null ? null : a.passed === 1, deadlineAt: a.deadline_at, submittedAt: a.submitted_at } : null,
      };
    }),
  };
}

/** The caller's own attempt: the paper to answer (no answers), or after the exam closes the review. */
export async function myAttempt(ctx: Ctx, id: string) {
  const personId = ownPersonId(ctx);
  await finaliseIfExpired(ctx, id);
  const a = await ctx.db.selectFrom('exam_attempt').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a || a.person_id !== personId) throw notFound('答卷不存在');
  const exam = await ctx.db.selectFrom('exam').selectAll().where('id', '=', a.exam_id).executeTakeFirstOrThrow();
  const closed = ctx.now() >= new Date(exam.closes_at);
  return presentAttempt(ctx, a, exam, closed && a.status !== 'in_progress');
}

/** 错题本: the caller's wrong answers from exams that have closed, most recent first (index wrong_answer_order). */
export async function myWrongAnswers(ctx: Ctx, f: { page: number; pageSize: number }) {
  const personId = ownPersonId(ctx);
  const now = ctx.now().toISOString();
  const from = ctx.db
    .selectFrom('wrong_answer')
    .where('wrong_answer.person_id', '=', personId)
    // An open exam's questions stay secret until it closes, for the person too.
    .where((eb) => eb.exists(eb.selectFrom('exam').select('exam.id').whereRef('exam.id', '=', 'wrong_answer.exam_id').where('exam.closes_at', '<=', now)));
  const page = await listPage(ctx.db, {
    name: 'wrong-answers',
    from,
    id: 'wrong_answer.question_id',
    order: [['wrong_answer.person_id', 'desc'], ['wrong_answer.last_at', 'desc'], ['wrong_answer.question_id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('wrong_answer')
        .innerJoin('question', 'question.id', 'wrong_answer.question_id')
        .innerJoin('exam', 'exam.id', 'wrong_answer.exam_id')
        .select(['wrong_answer.question_id', 'wrong_answer.answer as given', 'wrong_answer.times', 'wrong_answer.last_at', 'question.type', 'question.stem', 'question.options', 'question.answer', 'question.explanation', 'exam.title as exam_title'])
        .where('wrong_answer.person_id', '=', personId)
        .where('wrong_answer.question_id', 'in', ids),
    count: 'capped',
    page: f.page,
    pageSize: f.pageSize,
  });
  return {
    ...page,
    items: page.items.map((r) => ({
      questionId: r.question_id, type: r.type, typeLabel: QUESTION_TYPES[r.type], stem: r.stem, options: JSON.parse(r.options), answer: JSON.parse(r.answer),
      explanation: r.explanation, given: JSON.parse(r.given), times: r.times, lastAt: r.last_at, examTitle: r.exam_title,
    })),
  };
}

// --- topic results ---

export interface TopicResult {
  online: number | null;
  offline: number | null;
  combined: number;
  passed: boolean;
}

/**
 * A person's topic result: per kind the best of their graded exams of the topic as a percentage of
 * its full marks (a make-up counts), then online × weight + offline × weight. A kind not taken counts 0.
 */
export function combineTopic(
  topic: { online_weight: number; offline_weight: number; pass_score: number },
  attempts: { kind: 'online_objective' | 'offline_subjective'; score: number; full: number }[],
): TopicResult {
  const best = (kind: string) => {
    const s = attempts.filter((a) => a.kind === kind && a.full > 0).map((a) => (a.score / a.full) * 100);
    return s.length ? Math.max(...s) : null;
  };
  const online = best('online_objective');
  const offline = best('offline_subjective');
  const combined = Math.round(((online ?? 0) * topic.online_weight + (offline ?? 0) * topic.offline_weight)) / 100;
  return { online: online == null ? null : Math.round(online * 10) / 10, offline: offline == null ? null : Math.round(offline * 10) / 10, combined: Math.round(combined * 10) / 10, passed: combined >= topic.pass_score };
}

/**
 * The graded attempts of some people (a page) in the topics' exams: an index range of
 * exam_attempt_person_status (person and status, score and pass carried), never every graded attempt.
 * Exported for the plan check (test/server/lists.test.ts).
 */
export function topicAttemptsQuery(db: Kysely<DB>, personIds: string[], topicIds?: string[]) {
  let q = db
    .selectFrom('exam_attempt')
    .innerJoin('exam', 'exam.id', 'exam_attempt.exam_id')
    .select(['exam_attempt.person_id', 'exam.topic_id', 'exam.kind', 'exam.id as exam_id', 'exam.title', 'exam.full_score', 'exam_attempt.score', 'exam_attempt.passed'])
    .where('exam_attempt.person_id', 'in', personIds)
    .where('exam_attempt.status', '=', 'graded');
  if (topicIds) q = q.where('exam.topic_id', 'in', topicIds);
  return q;
}

/** Graded attempts of the given people in the topics' exams, keyed by person then topic. */
export async function topicAttempts(db: Kysely<DB>, personIds: string[], topicIds?: string[]) {
  const out = new Map<string, Map<string, { kind: 'online_objective' | 'offline_subjective'; score: number; full: number; examId: string; title: string; passed: boolean }[]>>();
  if (!personIds.length) return out;
  for (const r of await topicAttemptsQuery(db, personIds, topicIds).execute()) {
    const byTopic = out.get(r.person_id) ?? new Map();
    out.set(r.person_id, byTopic);
    byTopic.set(r.topic_id, [...(byTopic.get(r.topic_id) ?? []), { kind: r.kind, score: r.score ?? 0, full: r.full_score, examId: r.exam_id, title: r.title, passed: r.passed === 1 }]);
  }
  return out;
}

/** A topic's results for the serving people in scope, in the people list's order (index person_sort). */
export async function topicResults(ctx: Ctx, actor: Actor, topicId: string, f: { orgUnitId?: string; page: number; pageSize: number }) {
  const topic = await ctx.db.selectFrom('study_topic').selectAll().where('id', '=', topicId).executeTakeFirst();
  if (!topic) throw notFound('专题不存在');
  const unitPath = await unitPathOf(ctx, f.orgUnitId);
  const page = await listPage(ctx.db, {
    name: 'topic-results',
    from: servingPeople(ctx, actor, unitPath),
    id: 'person.id',
    order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
    rows: (ids) => ctx.db.selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select(['person.id', 'person.name', 'person.police_no', 'org_unit.name as unit_name']).where('person.id', 'in', ids),
    count: 'capped',
    total: servingTotal(ctx, actor, unitPath),
    page: f.page,
    pageSize: f.pageSize,
  });
  const attempts = await topicAttempts(ctx.db, page.items.map((p) => p.id), [topicId]);
  return {
    ...page,
    topic: { id: topic.id, title: topic.title, onlineWeight: topic.online_weight, offlineWeight: topic.offline_weight, passScore: topic.pass_score },
    items: page.items.map((p) => ({
      personId: p.id, name: p.name, policeNo: p.police_no, orgUnitName: p.unit_name,
      ...combineTopic(topic, attempts.get(p.id)?.get(topicId) ?? []),
    })),
  };
}

/**
 * The serving people in scope an exam expects, in the people list's order (index person_sort), each
 * with their result; `missing`: only those without one (who has not sat it yet).
 */
export async function listExpected(ctx: Ctx, actor: Actor, examId: string, f: { missing?: boolean; orgUnitId?: string; page: number; pageSize: number }) {
  const exam = await ctx.db.selectFrom('exam').select(['id', 'full_score']).where('id', '=', examId).executeTakeFirst();
  if (!exam) throw notFound('考试不存在');
  await finaliseExpired(ctx, examId);
  const targets = await ctx.db.selectFrom('exam_target').select(['kind', 'target_id']).where('exam_id', '=', examId).execute();
  const unitIds = targets.filter((t) => t.kind === 'unit').map((t) => t.target_id);
  const personIds = targets.filter((t) => t.kind === 'person').map((t) => t.target_id);
  const paths = unitIds.length ? (await ctx.db.selectFrom('org_unit').select('path').where('id', 'in', unitIds).execute()).map((u) => u.path) : [];
  let from = servingPeople(ctx, actor, await unitPathOf(ctx, f.orgUnitId)).where((eb) =>
    eb.or([
      ...paths.map((p) => eb.and([eb('person.sort_key', '>=', p), eb('person.sort_key', '<', `${p}\uffff`)])),
      ...(personIds.length ? [eb('person.id', 'in', personIds)] : []),
      ...(!paths.length && !personIds.length ? [eb.lit(false)] : []),
    ]),
  );
  if (f.missing) {
    from = from.where((eb) => eb.not(eb.exists(eb.selectFrom('exam_attempt as ea').select('ea.id').whereRef('ea.person_id', '=', 'person.id').where('ea.exam_id', '=', examId))));
  }
  const page = await listPage(ctx.db, {
    name: 'exam-expected',
    from,
    id: 'person.id',
    order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
    rows: (ids) => ctx.db.selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select(['person.id', 'person.name', 'person.police_no', 'org_unit.name as unit_name', 'person.sort_key']).where('person.id', 'in', ids),
    count: 'capped',
    page: f.page,
    pageSize: f.pageSize,
  });
  const ids = page.items.map((p) => p.id);
  const attempts = ids.length ? await ctx.db.selectFrom('exam_attempt').select(['id', 'person_id', 'status', 'score', 'passed']).where('exam_id', '=', examId).where('person_id', 'in', ids).execute() : [];
  const byPerson = new Map(attempts.map((a) => [a.person_id, a]));
  return {
    ...page,
    fullScore: exam.full_score / 10,
    items: page.items.map((p) => {
      const a = byPerson.get(p.id);
      return {
        personId: p.id, name: p.name, policeNo: p.police_no, orgUnitName: p.unit_name,
        attemptId: a?.id ?? null, status: a?.status ?? null, score: score(a?.score), passed: a?.passed == null ? null : a.passed === 1,
      };
    }),
  };
}
