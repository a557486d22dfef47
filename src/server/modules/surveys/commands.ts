import type { Actor, Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { applyScope, unitWritable } from '../../platform/access.js';
import { newId } from '../../platform/ids.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { isUniqueViolation } from '../../platform/dberrors.js';
import type { SurveyQuestionTable, SurveyTable } from '../../db/types.js';
import { spendChallenge } from '../opinions/challenge.js';
import { countSubmission, ipHash } from '../../platform/ratelimit.js';
import { campaignForNewRecord } from '../campaigns/queries.js';
import {
  MAX_TEXT_ANSWER, SURVEY_STATUS, type QuestionInput, type SurveyAnswer, type SurveyInput, type SurveyPatch,
  type SurveyResponseInput,
} from '../../../shared/schemas/surveys.js';

export const SURVEY_SCOPE = { unit: 'survey.org_unit_id' };

export const surveyMissing = () => notFound('问卷不存在或不在您的数据范围内');
export const surveyGone = () => new AppError(410, 'GONE', '问卷已结束');

function questionRows(surveyId: string, questions: QuestionInput[]): SurveyQuestionTable[] {
  return questions.map((q, i) => ({
    id: newId(),
    survey_id: surveyId,
    seq: i + 1,
    kind: q.kind,
    title: q.title,
    options: q.kind === 'single' || q.kind === 'multiple' ? JSON.stringify(q.options ?? []) : null,
    required: q.required ? 1 : 0,
  }));
}

function auditSurvey(s: Partial<SurveyTable>, questions?: number) {
  const { description: _d, ...rest } = s;
  return { ...rest, ...(questions !== undefined ? { questions } : {}) };
}

export async function createSurvey(ctx: Ctx, input: SurveyInput) {
  const actor = requirePermission(ctx, 'surveys:write');
  const campaignId = await campaignForNewRecord(ctx, input.campaignId);
  return runCommand(ctx, { action: 'create', entityType: 'survey' }, async (trx) => {
    const now = ctx.now().toISOString();
    const row: SurveyTable = {
      id: newId(),
      campaign_id: campaignId,
      title: input.title,
      description: input.description || null,
      status: 'draft',
      one_per_device: input.onePerDevice ? 1 : 0,
      // The survey belongs to its author's unit: that is what scopes who sees it and its results.
      org_unit_id: actor.orgUnitId,
      created_by: actor.userId,
      published_at: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('survey').values(row).execute();
    await trx.insertInto('survey_question').values(questionRows(row.id, input.questions)).execute();
    return { result: { id: row.id }, entityId: row.id, after: auditSurvey(row, input.questions.length) };
  });
}

/** A survey the actor may change: in their scope and of a unit they write (else 404). */
async function writableSurvey(trx: Trx, actor: Actor, id: string): Promise<SurveyTable> {
  const row = await applyScope(trx.selectFrom('survey').selectAll(), actor, SURVEY_SCOPE).where('survey.id', '=', id).executeTakeFirst();
  if (!row || !(await unitWritable(trx, actor, row.org_unit_id))) throw surveyMissing();
  return row;
}

const notDraft = (s: SurveyTable) =>
  conflict(`问卷${SURVEY_STATUS[s.status]}，不能再修改；如需调整请新建问卷`);

export async function updateSurvey(ctx: Ctx, id: string, patch: SurveyPatch) {
  const actor = requirePermission(ctx, 'surveys:write');
  // In a patch an empty campaign means "none", not "the active one".
  const campaignId = patch.campaignId ? await campaignForNewRecord(ctx, patch.campaignId) : patch.campaignId === undefined ? undefined : null;
  return runCommand(ctx, { action: 'update', entityType: 'survey' }, async (trx) => {
    const before = await writableSurvey(trx, actor, id);
    if (before.status !== 'draft') throw notDraft(before);
    const set: Partial<SurveyTable> = {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      ...(campaignId !== undefined ? { campaign_id: campaignId } : {}),
      ...(patch.onePerDevice !== undefined ? { one_per_device: patch.onePerDevice ? 1 : 0 } : {}),
      updated_at: ctx.now().toISOString(),
    };
    // Conditional on still being a draft: a publish that slipped in between wins, and this answers 409.
    const r = await trx.updateTable('survey').set(set).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw notDraft({ ...before, status: 'published' });
    if (patch.questions) {
      // Drafts have no responses, so the questions can simply be replaced.
      await trx.deleteFrom('survey_question').where('survey_id', '=', id).execute();
      await trx.insertInto('survey_question').values(questionRows(id, patch.questions)).execute();
    }
    return {
      result: { id },
      entityId: id,
      before: auditSurvey(before),
      after: auditSurvey({ ...before, ...set }, patch.questions?.length),
    };
  });
}

export async function publishSurvey(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'surveys:write');
  return runCommand(ctx, { action: 'publish', entityType: 'survey' }, async (trx) => {
    const before = await writableSurvey(trx, actor, id);
    if (before.status !== 'draft') throw conflict(`问卷${SURVEY_STATUS[before.status]}，只有草稿可以发布`);
    const q = await trx.selectFrom('survey_question').select('id').where('survey_id', '=', id).limit(1).executeTakeFirst();
    if (!q) throw badRequest('题目：至少 1 道题目才能发布', 'questions');
    const now = ctx.now().toISOString();
    const r = await trx
      .updateTable('survey')
      .set({ status: 'published', published_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('问卷已发布，不能重复发布');
    return { result: { id, status: 'published' as const, publishedAt: now }, entityId: id, before: { status: before.status }, after: { status: 'published' } };
  });
}

export async function closeSurvey(ctx: Ctx, id: string) {
  const actor = requirePermission(ctx, 'surveys:write');
  return runCommand(ctx, { action: 'close', entityType: 'survey' }, async (trx) => {
    const before = await writableSurvey(trx, actor, id);
    if (before.status !== 'published') throw conflict(`问卷${SURVEY_STATUS[before.status]}，只有已发布的问卷可以结束`);
    const now = ctx.now().toISOString();
    const r = await trx
      .updateTable('survey')
      .set({ status: 'closed', closed_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'published')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('问卷已结束');
    return { result: { id, status: 'closed' as const, closedAt: now }, entityId: id, before: { status: before.status }, after: { status: 'closed' } };
  });
}

// ---- public responses ----

export interface QuestionDef {
  id: string;
  kind: SurveyQuestionTable['kind'];
  title: string;
  options: string[] | null;
  required: boolean;
}

export function questionDef(q: SurveyQuestionTable): QuestionDef {
  return { id: q.id, kind: q.kind, title: q.title, options: q.options ? (JSON.parse(q.options) as string[]) : null, required: q.required === 1 };
}

/** Checks each answer against its question; answers the clean answers, empty ones left out. */
export function checkAnswers(questions: QuestionDef[], answers: Record<string, unknown>): Record<string, SurveyAnswer> {
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const key of Object.keys(answers)) {
    if (!byId.has(key)) throw badRequest('答案：含有不属于本问卷的题目，请刷新页面后重新填写', `answers.${key}`);
  }
  const out: Record<string, SurveyAnswer> = {};
  questions.forEach((q, i) => {
    const label = `第 ${i + 1} 题“${q.title}”`;
    const bad = (why: string) => badRequest(`${label}：${why}`, `answers.${q.id}`);
    let v = answers[q.id];
    if (typeof v === 'string') v = v.trim();
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (q.required) throw bad('此题为必答题');
      return;
    }
    switch (q.kind) {
      case 'single':
        if (typeof v !== 'string' || !q.options!.includes(v)) throw bad('请从给出的选项中选择一项');
        out[q.id] = v;
        break;
      case 'multiple': {
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && q.options!.includes(x))) {
          throw bad('请从给出的选项中选择');
        }
        if (new Set(v).size !== v.length) throw bad('选项不能重复');
        // Kept in the question's order, whatever order they were ticked in.
        out[q.id] = q.options!.filter((o) => (v as string[]).includes(o));
        break;
      }
      case 'rating':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) throw bad('评分应为 1–5 的整数');
        out[q.id] = v;
        break;
      case 'text':
        if (typeof v !== 'string') throw bad('应填写文字');
        if ([...v].length > MAX_TEXT_ANSWER) throw bad(`不能超过 ${MAX_TEXT_ANSWER} 字`);
        out[q.id] = v;
        break;
    }
  });
  return out;
}


/** Loads a survey the public may see: published; a closed one is gone (410); anything else unknown (404). */
export async function openSurvey(db: Ctx['db'], id: string): Promise<SurveyTable> {
  const s = await db.selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s || s.status === 'draft') throw notFound('问卷不存在');
  if (s.status === 'closed') throw surveyGone();
  return s;
}

export async function submitResponse(ctx: Ctx, surveyId: string, input: SurveyResponseInput) {
  // The honeypot is invisible to people; only scripts fill it.
  if (input.website) throw badRequest('提交失败，请刷新页面后重试');
  const survey = await openSurvey(ctx.db, surveyId);
  const questions = (
    await ctx.db.selectFrom('survey_question').selectAll().where('survey_id', '=', surveyId).orderBy('seq').execute()
  ).map(questionDef);
  const answers = checkAnswers(questions, input.answers);
  if (!Object.keys(answers).length) throw badRequest('答案：请至少回答一道题', 'answers');
  // Only a keyed digest of the device id is kept: enough to refuse a second response, useless to trace anyone.
  const deviceHash = survey.one_per_device ? ctx.cipher.blindIndex(`device:${input.deviceId}`) : null;
  return runCommand(ctx, { action: 'respond', entityType: 'survey' }, async (trx) => {
    if (ctx.config.publicChallenge) await spendChallenge(ctx, trx, input.altcha);
    await countSubmission(ctx, trx, 'survey', ipHash(ctx, ctx.ip), ctx.config.publicRateLimit);
    await openSurvey(trx, surveyId); // closed meanwhile?
    const duplicate = () => conflict('本设备已填写过该问卷', 'deviceId');
    if (deviceHash) {
      const prior = await trx
        .selectFrom('survey_response')
        .select('id')
        .where('survey_id', '=', surveyId)
        .where('device_hash', '=', deviceHash)
        .executeTakeFirst();
      if (prior) throw duplicate();
    }
    const id = newId();
    try {
      await trx
        .insertInto('survey_response')
        .values({ id, survey_id: surveyId, device_hash: deviceHash, answers: JSON.stringify(answers), submitted_at: ctx.now().toISOString() })
        .execute();
    } catch (err) {
      // Two submissions from one device at once: the unique constraint lets one through.
      if (deviceHash && isUniqueViolation(err)) throw duplicate();
      throw err;
    }
    // Responses are anonymous: the audit keeps the response id, never the answers or the device.
    return { result: { ok: true as const }, entityId: surveyId, after: { responseId: id } };
  });
}
