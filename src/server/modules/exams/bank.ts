import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { iterateList, listPage } from '../../platform/list.js';
import { lockExclusive } from '../../db/index.js';
import type { QuestionTable } from '../../db/types.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { DIFFICULTIES, QUESTION_TYPES, type QuestionInput, type QuestionQuery, type QuestionType } from '../../../shared/schemas/exams.js';

// 题库: a topic's questions. Reading the bank shows the answers, so every read needs exams:write
// (never study:take). A question keeps its topic for life; it is retired rather than deleted, so
// papers and attempts that used it still resolve.

export interface QuestionOptionView {
  key: string;
  text: string;
}

export function presentQuestion(r: QuestionTable) {
  return {
    id: r.id, topicId: r.topic_id, type: r.type, typeLabel: QUESTION_TYPES[r.type] ?? r.type, difficulty: r.difficulty,
    difficultyLabel: DIFFICULTIES[r.difficulty] ?? String(r.difficulty), stem: r.stem,
    options: JSON.parse(r.options) as QuestionOptionView[], answer: JSON.parse(r.answer) as unknown, explanation: r.explanation,
    status: r.status, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
export type QuestionView = ReturnType<typeof presentQuestion>;

/** The stored answer: multiple-choice keys sorted, so equal answers compare equal. */
export function normaliseAnswer(input: Pick<QuestionInput, 'type' | 'answer'>): QuestionInput['answer'] {
  if (input.type === 'multiple' && Array.isArray(input.answer)) return [...(input.answer as string[])].sort();
  return input.answer;
}

/** What makes two questions the same: type and stem (trimmed). */
export const duplicateKey = (type: string, stem: string) => `${type}\u0000${stem.trim()}`;

export function duplicateMessage(type: QuestionType, status: 'active' | 'retired') {
  return `本专题已有相同题干的${QUESTION_TYPES[type]}${status === 'retired' ? '（已停用，可将其恢复）' : ''}`;
}

/** Serialises bank writes per topic on PostgreSQL, so two writers cannot both pass the duplicate check. */
export async function lockTopicBank(trx: Trx, ctx: Ctx, topicId: string) {
  await lockExclusive(trx, ctx.dialect, `question-bank:${topicId}`);
}

async function assertTopic(trx: Trx | Ctx['db'], topicId: string) {
  const topic = await trx.selectFrom('study_topic').select(['id', 'title']).where('id', '=', topicId).executeTakeFirst();
  if (!topic) throw badRequest('专题：不存在', 'topicId');
  return topic;
}

async function assertNotDuplicate(trx: Trx, input: QuestionInput, exceptId?: string) {
  let q = trx
    .selectFrom('question')
    .select(['id', 'status'])
    .where('topic_id', '=', input.topicId)
    .where('type', '=', input.type)
    .where('stem', '=', input.stem.trim());
  if (exceptId) q = q.where('id', '!=', exceptId);
  const same = await q.executeTakeFirst();
  if (same) throw conflict(`题干：${duplicateMessage(input.type, same.status)}`, 'stem');
}

/** The row a valid input makes (import and hand entry alike). */
export function questionRow(input: QuestionInput, actorId: string | null, now: string, id = newId()): QuestionTable {
  return {
    id, topic_id: input.topicId, type: input.type, difficulty: input.difficulty as 1 | 2 | 3, stem: input.stem.trim(),
    options: JSON.stringify(input.options.map((o) => ({ key: o.key, text: o.text }))), answer: JSON.stringify(normaliseAnswer(input)),
    explanation: input.explanation || null, status: 'active', created_by: actorId, created_at: now, updated_at: now,
  };
}

export async function createQuestion(ctx: Ctx, input: QuestionInput) {
  const actor = requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'create', entityType: 'question' }, async (trx) => {
    await assertTopic(trx, input.topicId);
    await lockTopicBank(trx, ctx, input.topicId);
    await assertNotDuplicate(trx, input);
    const row = questionRow(input, actor.userId, ctx.now().toISOString());
    await trx.insertInto('question').values(row).execute();
    return { result: presentQuestion(row), entityId: row.id, after: row };
  });
}

/** Replaces a question's content (PUT); its topic stays. */
export async function updateQuestion(ctx: Ctx, id: string, input: QuestionInput) {
  requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: 'update', entityType: 'question' }, async (trx) => {
    const before = await trx.selectFrom('question').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('试题不存在');
    if (input.topicId !== before.topic_id) throw badRequest('专题：试题不能改到另一专题', 'topicId');
    await lockTopicBank(trx, ctx, before.topic_id);
    await assertNotDuplicate(trx, input, id);
    const set = {
      type: input.type, difficulty: input.difficulty as 1 | 2 | 3, stem: input.stem.trim(),
      options: JSON.stringify(input.options.map((o) => ({ key: o.key, text: o.text }))), answer: JSON.stringify(normaliseAnswer(input)),
      explanation: input.explanation || null, updated_at: ctx.now().toISOString(),
    };
    // Attempts are graded and reviewed against the bank's current text: once anyone has answered an
    // exam of this topic, what decides a mark stays as it was (the explanation and difficulty may change).
    const decides = (['type', 'stem', 'options', 'answer'] as const).filter((k) => set[k] !== before[k]);
    if (decides.length) {
      const answered = await trx
        .selectFrom('exam')
        .select('exam.id')
        .where('exam.topic_id', '=', before.topic_id)
        .where((eb) => eb.exists(eb.selectFrom('exam_attempt').select('exam_attempt.id').whereRef('exam_attempt.exam_id', '=', 'exam.id')))
        .executeTakeFirst();
      if (answered) throw conflict('本专题已有考生作答，试题的题型、题干、选项和答案不能再修改（以免改变已交答卷的评分），可停用本题后另增一题', decides[0] === 'options' ? 'options' : decides[0] === 'stem' ? 'stem' : decides[0] === 'type' ? 'type' : 'answer');
    }
    await trx.updateTable('question').set(set).where('id', '=', id).execute();
    const after = { ...before, ...set };
    return { result: presentQuestion(after), entityId: id, before, after };
  });
}

async function setStatus(ctx: Ctx, id: string, status: 'active' | 'retired') {
  requirePermission(ctx, 'exams:write');
  return runCommand(ctx, { action: status === 'retired' ? 'retire' : 'restore', entityType: 'question' }, async (trx) => {
    const before = await trx.selectFrom('question').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('试题不存在');
    if (before.status === status) throw conflict(status === 'retired' ? '状态：试题已停用' : '状态：试题未停用', 'status');
    const set = { status, updated_at: ctx.now().toISOString() };
    await trx.updateTable('question').set(set).where('id', '=', id).execute();
    return { result: presentQuestion({ ...before, ...set }), entityId: id, before: { status: before.status }, after: { status } };
  });
}

/** Takes a question out of use: new papers no longer draw it; papers already set keep it. */
export const retireQuestion = (ctx: Ctx, id: string) => setStatus(ctx, id, 'retired');
export const restoreQuestion = (ctx: Ctx, id: string) => setStatus(ctx, id, 'active');

export async function getQuestion(ctx: Ctx, id: string) {
  requirePermission(ctx, 'exams:write');
  const r = await ctx.db.selectFrom('question').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('试题不存在');
  return presentQuestion(r);
}

/** The topic asked for, else the first topic of the campaign the study pages open on. */
export async function topicToShow(ctx: Ctx, topicId?: string): Promise<{ id: string; title: string } | null> {
  if (topicId) return assertTopic(ctx.db, topicId);
  const campaignId = await campaignToShowFor(ctx, 'study_topic');
  if (!campaignId) return null;
  const t = await ctx.db
    .selectFrom('study_topic')
    .select(['id', 'title'])
    .where('campaign_id', '=', campaignId)
    .orderBy('starts_on')
    .orderBy('id')
    .executeTakeFirst();
  return t ?? null;
}

type BankFilter = Pick<QuestionQuery, 'type' | 'difficulty' | 'status'> & { topicId: string };

// Index question_bank (topic_id, status, type, difficulty, id): topic and status are always fixed,
// so the order (type, difficulty, id) is the index's own with or without a type or difficulty filter.
const BANK_ORDER = [['question.type', 'asc'], ['question.difficulty', 'asc'], ['question.id', 'asc']] as const;

function bankFrom(ctx: Ctx, f: BankFilter) {
  let from = ctx.db.selectFrom('question').where('question.topic_id', '=', f.topicId).where('question.status', '=', f.status);
  if (f.type) from = from.where('question.type', '=', f.type);
  if (f.difficulty) from = from.where('question.difficulty', '=', f.difficulty as 1 | 2 | 3);
  return from;
}

export async function listQuestions(ctx: Ctx, f: Omit<QuestionQuery, 'topicId'> & { topicId?: string }) {
  requirePermission(ctx, 'exams:write');
  const topic = await topicToShow(ctx, f.topicId);
  if (!topic) return { items: [], total: 0, topicId: null };
  const filter = { ...f, topicId: topic.id };
  const page = await listPage(ctx.db, {
    name: 'questions',
    from: bankFrom(ctx, filter),
    id: 'question.id',
    order: BANK_ORDER,
    rows: (ids) => ctx.db.selectFrom('question').selectAll('question').where('question.id', 'in', ids),
    // A difficulty without a type skips the index's type column: its count walks the topic's entries.
    count: f.difficulty && !f.type ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, topicId: topic.id, items: page.items.map(presentQuestion) };
}

/** Every question of a topic in the list's order, a batch at a time (exports). */
export function iterateQuestions(ctx: Ctx, f: BankFilter): AsyncGenerator<QuestionTable> {
  return iterateList({
    name: 'questions-export',
    from: bankFrom(ctx, f),
    id: 'question.id',
    order: BANK_ORDER,
    rows: (ids) => ctx.db.selectFrom('question').selectAll('question').where('question.id', 'in', ids),
  });
}
