import { sql, type Kysely } from 'kysely';
import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, assertUnitWritable, assertUnitsInScope, peopleInScope } from '../../platform/access.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { DB, ExamAttemptTable, ExamTable, QuestionTable } from '../../db/types.js';
import { DIFFICULTIES, QUESTION_TYPES, type QuestionType } from '../../../shared/schemas/study-labels.js';
import type { AttemptSave, ExamInput, MarkInput, OfflineScoreInput } from '../../../shared/schemas/exams.js';
import { answerShapeOk, checkRules, drawRandom, gradeAnswer, shuffle, type Answer, type DrawRule } from './grading.js';

// 考试: papers fixed or drawn by rules, online attempts (time limit, autosave, resume, shuffled
// questions and options, auto-grading), essays marked by hand, offline paper scores, the
// wrong-answer book. Scores are tenths of a point (exact integer sums on both dialects).

// The answering page acts on why a save was refused, so each reason has its own code (409).
const handedIn = (message: string) => new AppError(409, 'ATTEMPT_SUBMITTED', message);
const timeUp = (message: string) => new AppError(409, 'ATTEMPT_TIME_UP', message);
const stale = () => new AppError(409, 'ATTEMPT_STALE', '答卷已在另一个页面更新，请刷新后继续作答');

/** Saves and submits a little after the deadline still count: the request left the phone in time. */
export const DEADLINE_GRACE_MS = 10_000;

export const ATTEMPT_SCOPE = { unit: 'exam_attempt.org_unit_id', person: 'exam_attempt.person_id' };
export const EXAM_SCOPE = { unit: 'exam.org_unit_id' };

export interface PaperEntry {
  q: string;
  /** Tenths. */
  points: number;
  /** Option keys in the order this person sees them (choice questions). */
  opts?: string[];
}

const tenths = (points: number) => Math.round(points * 10);
const typeLabel = (t: QuestionType) => QUESTION_TYPES[t];
const difficultyLabel = (d: number) => DIFFICULTIES[d as 1 | 2 | 3] ?? String(d);

type AttemptState = { status: ExamAttemptTable['status']; score: number | null; passed: number | null } | null | undefined;

/** Keeps the exam's counters in step with one attempt's change (same transaction). */
async function applyAttemptDelta(trx: Trx, examId: string, before: AttemptState, after: AttemptState) {
  const f = (a: AttemptState) => ({
    attempts_count: a ? 1 : 0,
    submitted_count: a && a.status !== 'in_progress' ? 1 : 0,
    graded_count: a?.status === 'graded' ? 1 : 0,
    passed_count: a?.status === 'graded' && a.passed === 1 ? 1 : 0,
    score_total: a?.status === 'graded' ? (a.score ?? 0) : 0,
  });
  const b = f(before);
  const n = f(after);
  const cols = (Object.keys(n) as (keyof typeof n)[]).filter((k) => n[k] !== b[k]);
  if (!cols.length) return;
  await trx
    .updateTable('exam')
    .set((eb) => Object.fromEntries(cols.map((k) => [k, eb(k, '+', n[k] - b[k])])))
    .where('id', '=', examId)
    .execute();
}

/** Serving people expected at an exam: of the targeted units (and below), and those named. */
export async function countExpected(db: Kysely<DB> | Trx, unitPaths: string[], personIds: string[]): Promise<number> {
  if (!unitPaths.length && !personIds.length) return 0;
  const row = await db
    .selectFrom('person')
    .select(sql<number>`count(*)`.as('n'))
    .where('person.status', '=', 'active')
    .where((eb) =>
      eb.or([
        ...unitPaths.map((p) => eb.and([eb('person.sort_key', '>=', p), eb('person.sort_key', '<', `${p}\uffff`)])),
        ...(personIds.length ? [eb('person.id', 'in', personIds)] : []),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether the person is one the exam expects: a targeted unit above or at theirs, or named. */
export async function isExpected(db: Kysely<DB> | Trx, examId: string, personId: string): Promise<boolean> {
  const person = await db
    .selectFrom('person')
    .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
    .select(['person.id', 'org_unit.path'])
    .where('person.id', '=', personId)
    .executeTakeFirst();
  if (!person) return false;
  const ancestors = person.path.split('/').filter(Boolean);
  const hit = await db
    .selectFrom('exam_target')
    .select('exam_id')
    .where('exam_id', '=', examId)
    .where((eb) => eb.or([eb.and([eb('kind', '=', 'person'), eb('target_id', '=', personId)]), eb.and([eb('kind', '=', 'unit'), eb('target_id', 'in', ancestors)])]))
    .executeTakeFirst();
  return Boolean(hit);
}

async function loadBank(trx: Trx, topicId: string) {
  return trx.selectFrom('question').select(['id', 'type', 'difficulty']).where('topic_id', '=', topicId).where('status', '=', 'active').execute();
}

/** Checks an exam as set (scope, topic, paper rules or questions, scores) and gives its row, targets and fixed paper. */
async function prepareExam(trx: Trx, ctx: Ctx, actor: Actor, input: ExamInput, id: string, paperFrozen = false) {
  const topic = await trx.selectFrom('study_topic').select(['id', 'campaign_id']).where('id', '=', input.topicId).executeTakeFirst();
  if (!topic) throw badRequest('专题：不存在', 'topicId');
  await assertUnitWritable(trx, actor, input.orgUnitId, '组织单位');
  await assertUnitsInScope(trx, actor, input.targetUnitIds, 'targetUnitIds', '参考单位');
  await peopleInScope(trx, actor, input.targetPersonIds, (i) => ({ text: `参考人员：第 ${i + 1} 人不存在或不在您的数据范围内`, field: `targetPersonIds.${i}` }));

  let full = 0;
  const online = input.kind === 'online_objective';
  const rules: DrawRule[] = online && input.paperMode === 'random' ? input.rules.map((r) => ({ type: r.type, difficulty: r.difficulty ?? null, count: r.count, points: tenths(r.points) })) : [];
  const fixed = online && input.paperMode === 'fixed' ? input.questions : [];
  if (rules.length) {
    // A paper already drawn from stays as it was: the bank's later changes do not reopen it.
    const problems = paperFrozen ? [] : checkRules(rules, await loadBank(trx, input.topicId), { type: typeLabel, difficulty: difficultyLabel });
    if (problems.length) throw badRequest(`组卷规则：${problems.map((p) => p.message).join('；')}`, `rules.${problems[0]!.index}.count`, { problems });
    full = rules.reduce((s, r) => s + r.count * r.points, 0);
  }
  if (fixed.length && !paperFrozen) {
    const found = await trx.selectFrom('question').select(['id', 'topic_id', 'status']).where('id', 'in', fixed.map((q) => q.questionId)).execute();
    const byId = new Map(found.map((q) => [q.id, q]));
    fixed.forEach((q, i) => {
      const f = byId.get(q.questionId);
      if (!f || f.topic_id !== input.topicId) throw badRequest(`试题：第 ${i + 1} 题不在本专题题库中`, `questions.${i}.questionId`);
      if (f.status !== 'active') throw badRequest(`试题：第 ${i + 1} 题已停用`, `questions.${i}.questionId`);
    });
  }
  if (fixed.length) full = fixed.reduce((s, q) => s + tenths(q.points), 0);
  if (!online) full = tenths(input.fullScore!);
  const pass = tenths(input.passScore);
  if (pass > full) throw badRequest(`及格分：不能高于满分 ${full / 10}`, 'passScore');

  const units = input.targetUnitIds.length ? await trx.selectFrom('org_unit').select(['id', 'path']).where('id', 'in', input.targetUnitIds).execute() : [];
  const now = ctx.now().toISOString();
  const row: ExamTable = {
    id, topic_id: input.topicId, kind: input.kind, title: input.title, org_unit_id: input.orgUnitId, opens_at: new Date(input.opensAt).toISOString(),
    closes_at: new Date(input.closesAt).toISOString(), duration_minutes: online ? input.durationMinutes! : null, full_score: full, pass_score: pass,
    paper_mode: online ? input.paperMode! : null, rules: JSON.stringify(rules), shuffle_questions: online && input.shuffleQuestions ? 1 : 0,
    shuffle_options: online && input.shuffleOptions ? 1 : 0, status: 'published',
    expected_count: await countExpected(trx, units.map((u) => u.path), input.targetPersonIds), created_by: actor.userId, created_at: now, updated_at: now,
  };
  const targets = [
    ...input.targetUnitIds.map((t) => ({ exam_id: id, kind: 'unit' as const, target_id: t })),
    ...[...new Set(input.targetPersonIds)].map((t) => ({ exam_id: id, kind: 'person' as const, target_id: t })),
  ];
  const paper = fixed.map((q, i) => ({ exam_id: id, question_id: q.questionId, seq: i + 1, points: tenths(q.points) }));
  return { row, targets, paper };
}

async function writeParts(trx: Trx, id: string, targets: { exam_id: string; kind: 'unit' | 'person'; target_id: string }[], paper?: { exam_id: string; question_id: string; seq: number; points: number }[]) {
  await trx.deleteFrom('exam_target').where('exam_id', '=', id).execute();
  for (let i = 0; i < targets.length; i += 200) await trx.insertInto('exam_target').values(targets.slice(i, i + 200)).execute();
  if (paper) {
    await trx.deleteFrom('exam_question').where('exam_id', '=', id).execute();
    if (paper.length) await trx.insertInto('exam_question').values(paper).execute();
  }
}

export async function createExam(ctx: Ctx, input: ExamInput) {
  const actor = requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'create', entityType: 'exam' }, async (trx) => {
    const id = newId();
    const { row, targets, paper } = await prepareExam(trx, ctx, actor, input, id);
    await trx.insertInto('exam').values(row).execute();
    await writeParts(trx, id, targets, paper);
    return { result: { id, fullScore: row.full_score / 10, expectedCount: row.expected_count }, entityId: id, after: { ...row, targets: targets.length } };
  });
}

/** Fields that decide how attempts are drawn, timed and marked: fixed once anyone has started. */
const ONCE_ANSWERED = {
  opens_at: 'opensAt', duration_minutes: 'durationMinutes', full_score: 'fullScore', pass_score: 'passScore', paper_mode: 'paperMode',
  rules: 'rules', shuffle_questions: 'shuffleQuestions', shuffle_options: 'shuffleOptions', org_unit_id: 'orgUnitId',
} as const;

async function managedExam(trx: Trx, actor: Actor, id: string) {
  const before = await trx.selectFrom('exam').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('考试不存在');
  await assertUnitWritable(trx, actor, before.org_unit_id, '该考试的组织单位');
  const attempted = await trx.selectFrom('exam_attempt').select('id').where('exam_id', '=', id).executeTakeFirst();
  return { before, attempted: Boolean(attempted) };
}

/**
 * Corrects an exam. Before anyone has started: everything but its topic and kind. After: its title,
 * its end (not before now: nobody is shut out after the fact) and who is expected; the paper, times
 * and scores stay as the attempts were drawn and marked.
 */
export async function updateExam(ctx: Ctx, id: string, input: ExamInput) {
  const actor = requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'update', entityType: 'exam' }, async (trx) => {
    const { before, attempted } = await managedExam(trx, actor, id);
    if (input.topicId !== before.topic_id) throw badRequest('专题：考试不能改到另一专题，请另行发布', 'topicId');
    if (input.kind !== before.kind) throw badRequest('考试类型：不能修改，请另行发布', 'kind');
    const { row, targets, paper } = await prepareExam(trx, ctx, actor, input, id, attempted);
    if (attempted) {
      const same = (col: keyof typeof ONCE_ANSWERED) => {
        if (col !== 'rules') return row[col] === before[col];
        const norm = (j: string) => JSON.stringify((JSON.parse(j) as DrawRule[]).map((r) => [r.type, r.difficulty ?? null, r.count, r.points]));
        return norm(row.rules) === norm(before.rules);
      };
      for (const [col, field] of Object.entries(ONCE_ANSWERED) as [keyof typeof ONCE_ANSWERED, string][]) {
        if (!same(col)) throw conflict('已有人员参加本场考试，只能修改考试名称、结束时间和参考范围', field);
      }
      const oldPaper = await trx.selectFrom('exam_question').select(['question_id', 'seq', 'points']).where('exam_id', '=', id).orderBy('seq').execute();
      if (JSON.stringify(oldPaper.map((q) => [q.question_id, q.points])) !== JSON.stringify(paper.map((q) => [q.question_id, q.points]))) {
        throw conflict('已有人员参加本场考试，只能修改考试名称、结束时间和参考范围', 'questions');
      }
      if (row.closes_at !== before.closes_at && new Date(row.closes_at) <= ctx.now()) throw badRequest('结束时间：已有人员参考，不能早于当前时间', 'closesAt');
    }
    const set = { title: row.title, org_unit_id: row.org_unit_id, opens_at: row.opens_at, closes_at: row.closes_at, duration_minutes: row.duration_minutes,
      full_score: row.full_score, pass_score: row.pass_score, paper_mode: row.paper_mode, rules: row.rules, shuffle_questions: row.shuffle_questions,
      shuffle_options: row.shuffle_options, expected_count: row.expected_count, updated_at: ctx.now().toISOString() };
    await trx.updateTable('exam').set(set).where('id', '=', id).execute();
    await writeParts(trx, id, targets, attempted ? undefined : paper);
    return { result: { id, fullScore: set.full_score / 10, expectedCount: set.expected_count }, entityId: id, before, after: { ...before, ...set, targets: targets.length } };
  });
}

/** Withdraws an exam nobody has started (or had a score entered for). */
export async function deleteExam(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'delete', entityType: 'exam' }, async (trx) => {
    const { before, attempted } = await managedExam(trx, actor, id);
    if (attempted) throw conflict('已有人员参加本场考试（或已录入成绩），不能撤销');
    await trx.deleteFrom('exam_target').where('exam_id', '=', id).execute();
    await trx.deleteFrom('exam_question').where('exam_id', '=', id).execute();
    await trx.deleteFrom('exam').where('id', '=', id).execute();
    return { result: { id, deleted: true }, entityId: id, before };
  });
}

/** The exam the caller may manage: in scope (its organising unit) for exams:read / exams:write. */
export async function examInScope(db: Kysely<DB> | Trx, actor: Actor, id: string): Promise<ExamTable> {
  const row = await applyScope(db.selectFrom('exam').selectAll('exam'), actor, EXAM_SCOPE).where('exam.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('考试不存在');
  return row as ExamTable;
}

// --- taking an online exam ---

async function ownPerson(ctx: Ctx): Promise<{ actor: Actor; personId: string }> {
  const actor = requirePermission(ctx, 'study:take');
  if (!actor.personId) throw badRequest('当前账号未关联干警，不能参加考试');
  return { actor, personId: actor.personId };
}

async function drawPaper(trx: Trx, exam: ExamTable): Promise<PaperEntry[]> {
  let entries: { q: string; points: number }[];
  if (exam.paper_mode === 'fixed') {
    entries = (await trx.selectFrom('exam_question').select(['question_id', 'points']).where('exam_id', '=', exam.id).orderBy('seq').execute()).map((r) => ({ q: r.question_id, points: r.points }));
  } else {
    const rules = JSON.parse(exam.rules) as DrawRule[];
    const bank = await loadBank(trx, exam.topic_id);
    // The bank may have lost questions since the exam was set: say so rather than hand out a short paper.
    const problems = checkRules(rules, bank, { type: typeLabel, difficulty: difficultyLabel });
    if (problems.length) throw conflict(`本场考试的题库已不足以按规则组卷，请联系组织单位：${problems[0]!.message}`);
    entries = drawRandom(rules, bank);
  }
  if (exam.shuffle_questions) entries = shuffle(entries);
  const types = new Map(
    (await trx.selectFrom('question').select(['id', 'type', 'options']).where('id', 'in', entries.map((e) => e.q)).execute()).map((q) => [q.id, q]),
  );
  return entries.map((e) => {
    const q = types.get(e.q)!;
    if (q.type !== 'single' && q.type !== 'multiple') return e;
    const keys = (JSON.parse(q.options) as { key: string }[]).map((o) => o.key);
    return { ...e, opts: exam.shuffle_options ? shuffle(keys) : keys };
  });
}

/** Starts the caller's attempt, or resumes it (same paper, saved answers) after a dropped connection. */
export async function startAttempt(ctx: Ctx, examId: string) {
  const { personId } = await ownPerson(ctx);
  const existing = await ctx.db.selectFrom('exam_attempt').select(['id', 'status']).where('exam_id', '=', examId).where('person_id', '=', personId).executeTakeFirst();
  if (existing) {
    if (existing.status !== 'in_progress') throw handedIn('您已交卷，不能再次作答');
    await finaliseIfExpired(ctx, existing.id);
    return { id: existing.id, resumed: true };
  }
  try {
    return await runCommand(ctx, { action: 'create', entityType: 'exam_attempt' }, async (trx) => {
      const exam = await trx.selectFrom('exam').selectAll().where('id', '=', examId).executeTakeFirst();
      if (!exam || exam.status !== 'published') throw notFound('考试不存在');
      if (exam.kind !== 'online_objective') throw badRequest('线下考试不能在线作答');
      if (!(await isExpected(trx, examId, personId))) throw forbidden('您不在本场考试的参考人员中');
      const now = ctx.now();
      if (now < new Date(exam.opens_at)) throw badRequest('考试尚未开始');
      if (now >= new Date(exam.closes_at)) throw badRequest('考试已结束');
      const person = await trx.selectFrom('person').select('org_unit_id').where('id', '=', personId).executeTakeFirstOrThrow();
      const deadline = Math.min(now.getTime() + exam.duration_minutes! * 60_000, new Date(exam.closes_at).getTime());
      const row: ExamAttemptTable = {
        id: newId(), exam_id: examId, person_id: personId, org_unit_id: person.org_unit_id, paper: JSON.stringify(await drawPaper(trx, exam)),
        answers: '{}', marks: '{}', started_at: now.toISOString(), deadline_at: new Date(deadline).toISOString(), saved_at: null, submitted_at: null,
        status: 'in_progress', auto_score: 0, score: null, passed: null, tab_switches: 0, graded_by: null, graded_at: null, version: 0,
        updated_at: now.toISOString(),
      };
      await trx.insertInto('exam_attempt').values(row).execute();
      await applyAttemptDelta(trx, examId, null, row);
      return { result: { id: row.id, resumed: false }, entityId: row.id, after: { exam: examId, person: personId, deadline: row.deadline_at } };
    });
  } catch (e) {
    // Two tabs started at once: the unique (exam, person) lets one in; the other resumes it.
    const again = await ctx.db.selectFrom('exam_attempt').select(['id', 'status']).where('exam_id', '=', examId).where('person_id', '=', personId).executeTakeFirst();
    if (again && !(e instanceof AppError)) return { id: again.id, resumed: true };
    throw e;
  }
}

async function ownAttempt(trx: Kysely<DB> | Trx, id: string, personId: string) {
  const a = await trx.selectFrom('exam_attempt').selectAll().where('id', '=', id).executeTakeFirst();
  // Another person's attempt is as good as missing: its existence is not revealed.
  if (!a || a.person_id !== personId) throw notFound('答卷不存在');
  return a;
}

function checkAnswers(paper: PaperEntry[], types: Map<string, QuestionType>, answers: Record<string, Answer>) {
  const inPaper = new Map(paper.map((p) => [p.q, p]));
  for (const [qid, a] of Object.entries(answers)) {
    const entry = inPaper.get(qid);
    if (!entry) throw badRequest('作答：含有不在本试卷中的题目', `answers.${qid}`);
    const type = types.get(qid)!;
    if (!answerShapeOk(type, a)) throw badRequest(`作答：第 ${paper.indexOf(entry) + 1} 题的答案格式不对`, `answers.${qid}`);
    if ((type === 'single' || type === 'multiple') && a != null) {
      const keys = new Set(entry.opts ?? []);
      const given = Array.isArray(a) ? a : [a as string];
      if (given.some((g) => g !== '' && !keys.has(g))) throw badRequest(`作答：第 ${paper.indexOf(entry) + 1} 题的选项不存在`, `answers.${qid}`);
    }
  }
}

async function questionTypes(trx: Kysely<DB> | Trx, paper: PaperEntry[]) {
  const rows = await trx.selectFrom('question').select(['id', 'type']).where('id', 'in', paper.map((p) => p.q)).execute();
  return new Map(rows.map((r) => [r.id, r.type]));
}

/** Autosave: merges the answers given into the saved ones, until the deadline (plus grace). */
export async function saveAnswers(ctx: Ctx, id: string, input: AttemptSave) {
  const { personId } = await ownPerson(ctx);
  return runCommand(ctx, { action: 'update', entityType: 'exam_attempt' }, async (trx) => {
    const a = await ownAttempt(trx, id, personId);
    if (a.status !== 'in_progress') throw handedIn('已交卷，不能再修改答案');
    if (ctx.now().getTime() > new Date(a.deadline_at!).getTime() + DEADLINE_GRACE_MS) throw timeUp('已超过答题时限，答案未保存；系统将按最后一次保存的答案交卷');
    if (input.version !== undefined && input.version < a.version) throw stale();
    const paper = JSON.parse(a.paper) as PaperEntry[];
    checkAnswers(paper, await questionTypes(trx, paper), input.answers as Record<string, Answer>);
    const answers = { ...(JSON.parse(a.answers) as Record<string, Answer>), ...input.answers };
    const now = ctx.now().toISOString();
    const set = {
      answers: JSON.stringify(answers), saved_at: now, updated_at: now, version: a.version + 1,
      tab_switches: Math.max(a.tab_switches, input.tabSwitches ?? 0),
    };
    const done = await trx.updateTable('exam_attempt').set(set).where('id', '=', id).where('version', '=', a.version).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw stale();
    return { result: { version: set.version, savedAt: now, answered: Object.values(answers).filter((v) => v != null && v !== '').length }, entityId: id, after: { version: set.version, tabSwitches: set.tab_switches } };
  });
}

/** Grades the objective questions; an attempt with essays waits for marking. Writes the wrong-answer book. */
async function grade(trx: Trx, a: ExamAttemptTable, at: string, by: string | null) {
  const exam = await trx.selectFrom('exam').select(['id', 'pass_score']).where('id', '=', a.exam_id).executeTakeFirstOrThrow();
  const paper = JSON.parse(a.paper) as PaperEntry[];
  const answers = JSON.parse(a.answers) as Record<string, Answer>;
  const questions = new Map(
    (await trx.selectFrom('question').select(['id', 'type', 'answer']).where('id', 'in', paper.map((p) => p.q)).execute()).map((q) => [q.id, { ...q, answer: JSON.parse(q.answer) }]),
  );
  const marks: Record<string, number> = {};
  let auto = 0;
  let essays = 0;
  const wrong: { q: string; answer: Answer }[] = [];
  for (const p of paper) {
    const q = questions.get(p.q)!;
    const m = gradeAnswer(q, answers[p.q], p.points);
    if (m === null) {
      essays++;
      continue;
    }
    marks[p.q] = m;
    auto += m;
    if (m < p.points) wrong.push({ q: p.q, answer: answers[p.q] ?? null });
  }
  const graded = essays === 0;
  await applyAttemptDelta(trx, a.exam_id, a, { status: graded ? 'graded' : 'submitted', score: graded ? auto : null, passed: graded ? (auto >= exam.pass_score ? 1 : 0) : null });
  await trx
    .updateTable('exam_attempt')
    .set({
      status: graded ? 'graded' : 'submitted', marks: JSON.stringify(marks), auto_score: auto, score: graded ? auto : null,
      passed: graded ? (auto >= exam.pass_score ? 1 : 0) : null, submitted_at: at, graded_at: graded ? at : null, graded_by: graded ? by : null,
      updated_at: at, version: a.version + 1,
    })
    .where('id', '=', a.id)
    .execute();
  for (const w of wrong) {
    await trx
      .insertInto('wrong_answer')
      .values({ person_id: a.person_id, question_id: w.q, exam_id: a.exam_id, answer: JSON.stringify(w.answer), times: 1, last_at: at })
      .onConflict((oc) => oc.columns(['person_id', 'question_id']).doUpdateSet((eb) => ({ times: eb('wrong_answer.times', '+', 1), answer: eb.ref('excluded.answer'), exam_id: eb.ref('excluded.exam_id'), last_at: eb.ref('excluded.last_at') })))
      .execute();
  }
  return { status: graded ? 'graded' : 'submitted', autoScore: auto / 10, score: graded ? auto / 10 : null, passed: graded ? auto >= exam.pass_score : null };
}

/** Hands in the paper: the answers sent with it are saved first (within the deadline), then it is graded. */
export async function submitAttempt(ctx: Ctx, id: string, input: Partial<AttemptSave>) {
  const { personId } = await ownPerson(ctx);
  const first = await ownAttempt(ctx.db, id, personId);
  if (first.status !== 'in_progress') return { ...(await attemptOutcome(ctx, id)), already: true };
  const late = ctx.now().getTime() > new Date(first.deadline_at!).getTime() + DEADLINE_GRACE_MS;
  if (late) {
    await finaliseIfExpired(ctx, id);
    throw timeUp('已超过答题时限，本次提交的答案未被接受；系统已按最后一次保存的答案交卷');
  }
  return runCommand(ctx, { action: 'submit', entityType: 'exam_attempt' }, async (trx) => {
    const a = await ownAttempt(trx, id, personId);
    if (a.status !== 'in_progress') return { result: { ...(await outcomeOf(trx, a)), already: true }, entityId: id };
    const paper = JSON.parse(a.paper) as PaperEntry[];
    let answers = JSON.parse(a.answers) as Record<string, Answer>;
    if (input.answers) {
      checkAnswers(paper, await questionTypes(trx, paper), input.answers as Record<string, Answer>);
      answers = { ...answers, ...input.answers };
    }
    const at = ctx.now().toISOString();
    const withAnswers = { ...a, answers: JSON.stringify(answers), tab_switches: Math.max(a.tab_switches, input.tabSwitches ?? 0) };
    await trx.updateTable('exam_attempt').set({ answers: withAnswers.answers, tab_switches: withAnswers.tab_switches, saved_at: at }).where('id', '=', id).execute();
    const outcome = await grade(trx, withAnswers, at, null);
    return { result: { ...outcome, already: false }, entityId: id, after: { status: outcome.status, score: outcome.score, tabSwitches: withAnswers.tab_switches } };
  });
}

async function outcomeOf(db: Kysely<DB> | Trx, a: ExamAttemptTable) {
  return { status: a.status, autoScore: a.auto_score / 10, score: a.score == null ? null : a.score / 10, passed: a.passed == null ? null : a.passed === 1 };
}

async function attemptOutcome(ctx: Ctx, id: string) {
  return outcomeOf(ctx.db, await ctx.db.selectFrom('exam_attempt').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

/** An attempt past its deadline is handed in with what was saved (by the system). */
export async function finaliseIfExpired(ctx: Ctx, id: string): Promise<boolean> {
  const a = await ctx.db.selectFrom('exam_attempt').select(['status', 'deadline_at']).where('id', '=', id).executeTakeFirst();
  if (!a || a.status !== 'in_progress' || ctx.now().getTime() <= new Date(a.deadline_at!).getTime() + DEADLINE_GRACE_MS) return false;
  await runCommand({ ...ctx, actor: null }, { action: 'submit', entityType: 'exam_attempt' }, async (trx) => {
    const fresh = await trx.selectFrom('exam_attempt').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (fresh.status !== 'in_progress') return { result: null, entityId: id };
    const outcome = await grade(trx, fresh, fresh.deadline_at!, null);
    return { result: null, entityId: id, after: { status: outcome.status, score: outcome.score, auto: '超过答题时限，按最后保存的答案交卷' } };
  });
  return true;
}

/** Hands in every attempt past its deadline: run from the exam lists and results, and by a job. */
export async function finaliseExpired(ctx: Ctx, examId?: string): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - DEADLINE_GRACE_MS).toISOString();
  let q = ctx.db.selectFrom('exam_attempt').select('id').where('status', '=', 'in_progress').where('deadline_at', '<', cutoff);
  if (examId) q = q.where('exam_id', '=', examId);
  const ids = (await q.limit(5000).execute()).map((r) => r.id);
  let n = 0;
  for (const id of ids) if (await finaliseIfExpired(ctx, id)) n++;
  return n;
}

// --- marking and offline scores ---

/** Marks the essays of an attempt (exams:write, the person in scope); all marked → graded. */
export async function markAttempt(ctx: Ctx, id: string, input: MarkInput) {
  const actor = requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'mark', entityType: 'exam_attempt' }, async (trx) => {
    const a = await applyScope(trx.selectFrom('exam_attempt').selectAll('exam_attempt'), actor, ATTEMPT_SCOPE).where('exam_attempt.id', '=', id).executeTakeFirst();
    if (!a) throw notFound('答卷不存在');
    if (a.status === 'in_progress') throw conflict('考生尚未交卷');
    const paper = JSON.parse(a.paper) as PaperEntry[];
    const types = await questionTypes(trx, paper);
    const marks = JSON.parse(a.marks) as Record<string, number>;
    for (const [qid, pts] of Object.entries(input.marks)) {
      const entry = paper.find((p) => p.q === qid);
      if (!entry || types.get(qid) !== 'essay') throw badRequest('评分：只能为本答卷的简答题评分', `marks.${qid}`);
      const t = tenths(pts);
      if (t > entry.points) throw badRequest(`评分：第 ${paper.indexOf(entry) + 1} 题最多 ${entry.points / 10} 分`, `marks.${qid}`);
      marks[qid] = t;
    }
    const essays = paper.filter((p) => types.get(p.q) === 'essay');
    const allMarked = essays.every((p) => marks[p.q] !== undefined);
    const total = paper.reduce((s, p) => s + (marks[p.q] ?? 0), 0);
    const exam = await trx.selectFrom('exam').select('pass_score').where('id', '=', a.exam_id).executeTakeFirstOrThrow();
    const at = ctx.now().toISOString();
    const set = {
      marks: JSON.stringify(marks), status: allMarked ? ('graded' as const) : ('submitted' as const), score: allMarked ? total : null,
      passed: allMarked ? (total >= exam.pass_score ? 1 : 0) : null, graded_by: allMarked ? actor.userId : null, graded_at: allMarked ? at : null,
      updated_at: at, version: a.version + 1,
    };
    await trx.updateTable('exam_attempt').set(set).where('id', '=', id).execute();
    await applyAttemptDelta(trx, a.exam_id, a, set);
    return {
      result: { status: set.status, score: set.score == null ? null : set.score / 10, passed: set.passed == null ? null : set.passed === 1 },
      entityId: id, before: { status: a.status, score: a.score }, after: { status: set.status, score: set.score, marks: input.marks },
    };
  });
}

/** Offline exam scores, entered or imported: one graded result per person (re-entering corrects it). */
export async function enterScores(ctx: Ctx, examId: string, input: OfflineScoreInput, trxIn?: Trx) {
  const actor = requirePermission(ctx, 'exams:write');
  const work = async (trx: Trx) => {
    const exam = await examInScope(trx, actor, examId);
    if (exam.kind !== 'offline_subjective') throw badRequest('线上考试的成绩由系统评定，不能录入');
    // A county enters its own people's scores for a city exam: the people's scope is the check.
    const people = await peopleInScope(trx, actor, input.scores.map((s) => s.personId), (i) => ({ text: `成绩：第 ${i + 1} 行的干警不存在或不在您的数据范围内`, field: `scores.${i}.personId` }));
    const seen = new Set<string>();
    input.scores.forEach((s, i) => {
      if (seen.has(s.personId)) throw badRequest(`成绩：第 ${i + 1} 行的干警重复`, `scores.${i}.personId`);
      seen.add(s.personId);
      if (tenths(s.score) > exam.full_score) throw badRequest(`成绩：第 ${i + 1} 行超过满分 ${exam.full_score / 10}`, `scores.${i}.score`);
    });
    const at = ctx.now().toISOString();
    const had = new Map(
      (await trx.selectFrom('exam_attempt').select(['person_id', 'status', 'score', 'passed']).where('exam_id', '=', examId).where('person_id', 'in', input.scores.map((x) => x.personId)).execute()).map((r) => [r.person_id, r]),
    );
    for (const s of input.scores) {
      const score = tenths(s.score);
      await applyAttemptDelta(trx, examId, had.get(s.personId), { status: 'graded', score, passed: score >= exam.pass_score ? 1 : 0 });
      await trx
        .insertInto('exam_attempt')
        .values({
          id: newId(), exam_id: examId, person_id: s.personId, org_unit_id: people.get(s.personId)!.org_unit_id, paper: '[]', answers: '{}', marks: '{}',
          started_at: null, deadline_at: null, saved_at: null, submitted_at: at, status: 'graded', auto_score: 0, score, passed: score >= exam.pass_score ? 1 : 0,
          tab_switches: 0, graded_by: actor.userId, graded_at: at, version: 0, updated_at: at,
        })
        .onConflict((oc) => oc.columns(['exam_id', 'person_id']).doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'), passed: eb.ref('excluded.passed'), graded_by: eb.ref('excluded.graded_by'), graded_at: eb.ref('excluded.graded_at'),
          updated_at: eb.ref('excluded.updated_at'), version: eb('exam_attempt.version', '+', 1),
        })))
        .execute();
    }
    return { result: { saved: input.scores.length }, entityId: examId, after: { scores: input.scores.length } };
  };
  if (trxIn) return (await work(trxIn)).result;
  return runCommand(ctx, { action: 'scores', entityType: 'exam' }, work);
}

export type { QuestionTable };
