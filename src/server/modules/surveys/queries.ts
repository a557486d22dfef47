import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { iterateList, listPage } from '../../platform/list.js';
import { countAll } from '../../platform/sqlx.js';
import type { SurveyAnswer, SurveyQuery } from '../../../shared/schemas/surveys.js';
import { openSurvey, questionDef, surveyMissing, SURVEY_SCOPE, type QuestionDef } from './commands.js';

/** How many free-text answers the results page shows per question (the newest). */
export const RESULT_TEXTS = 100;

function scoped(ctx: Ctx, actor: Actor) {
  return applyScope(ctx.db.selectFrom('survey'), actor, SURVEY_SCOPE);
}

function withCounts(q: ReturnType<typeof scoped>) {
  // The counts are per survey: fine for one page of rows (survey_question_s, survey_response_order).
  return q.select((eb) => [
    'survey.id',
    'survey.title',
    'survey.description',
    'survey.status',
    'survey.one_per_device',
    'survey.campaign_id',
    'survey.org_unit_id',
    'survey.published_at',
    'survey.closed_at',
    'survey.created_at',
    'survey.updated_at',
    eb.selectFrom('survey_question').select(countAll().as('n')).whereRef('survey_question.survey_id', '=', 'survey.id').as('question_count'),
    eb.selectFrom('survey_response').select(countAll().as('n')).whereRef('survey_response.survey_id', '=', 'survey.id').as('response_count'),
  ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof withCounts>['executeTakeFirstOrThrow']>>;

function present(r: Row) {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    onePerDevice: r.one_per_device === 1,
    questionCount: Number(r.question_count ?? 0),
    responseCount: Number(r.response_count ?? 0),
    campaignId: r.campaign_id,
    publishedAt: r.published_at,
    closedAt: r.closed_at,
    createdAt: r.created_at,
  };
}

export async function listSurveys(ctx: Ctx, actor: Actor, f: SurveyQuery) {
  let from = scoped(ctx, actor);
  if (f.status) from = from.where('survey.status', '=', f.status);
  const page = await listPage(ctx.db, {
    name: 'surveys',
    from,
    id: 'survey.id',
    // Newest first: index survey_order (survey_status_order, survey_unit_order) read backwards.
    order: [['survey.created_at', 'desc'], ['survey.id', 'desc']],
    rows: (ids) => withCounts(ctx.db.selectFrom('survey')).where('survey.id', 'in', ids),
    count: 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map(present) };
}

async function questionsOf(ctx: Ctx, surveyId: string): Promise<(QuestionDef & { seq: number })[]> {
  const rows = await ctx.db.selectFrom('survey_question').selectAll().where('survey_id', '=', surveyId).orderBy('seq').execute();
  return rows.map((q) => ({ ...questionDef(q), seq: q.seq }));
}

/** The survey as staff see it; 404 outside the caller's scope. */
export async function getSurvey(ctx: Ctx, actor: Actor, id: string) {
  const row = await withCounts(scoped(ctx, actor)).where('survey.id', '=', id).executeTakeFirst();
  if (!row) throw surveyMissing();
  const questions = await questionsOf(ctx, id);
  return {
    ...present(row),
    description: row.description,
    orgUnitId: row.org_unit_id,
    questions: questions.map((q) => ({ id: q.id, seq: q.seq, kind: q.kind, title: q.title, options: q.options, required: q.required })),
  };
}

/** Every response, newest first, page by page: results and exports never hold them all at once. */
export async function* iterateResponses(ctx: Ctx, surveyId: string) {
  const rows = iterateList({
    name: 'survey-responses',
    from: ctx.db.selectFrom('survey_response').where('survey_response.survey_id', '=', surveyId),
    id: 'survey_response.id',
    // Index survey_response_order, read backwards.
    order: [['survey_response.submitted_at', 'desc'], ['survey_response.id', 'desc']],
    rows: (ids) => ctx.db.selectFrom('survey_response').select(['id', 'answers', 'submitted_at']).where('id', 'in', ids),
  });
  for await (const r of rows) {
    yield { id: r.id, submittedAt: r.submitted_at, answers: JSON.parse(r.answers) as Record<string, SurveyAnswer> };
  }
}

interface Tally {
  id: string;
  kind: QuestionDef['kind'];
  title: string;
  options: string[] | null;
  required: boolean;
  answered: number;
  counts?: number[];
  distribution?: number[];
  average?: number | null;
  texts?: string[];
}

export async function surveyResults(ctx: Ctx, actor: Actor, id: string) {
  const survey = await getSurvey(ctx, actor, id);
  const tallies: Tally[] = survey.questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    title: q.title,
    options: q.options,
    required: q.required,
    answered: 0,
    ...(q.kind === 'single' || q.kind === 'multiple' ? { counts: (q.options ?? []).map(() => 0) } : {}),
    ...(q.kind === 'rating' ? { distribution: [0, 0, 0, 0, 0], average: null } : {}),
    ...(q.kind === 'text' ? { texts: [] } : {}),
  }));
  const sums = new Map<string, number>();
  let responses = 0;
  for await (const r of iterateResponses(ctx, id)) {
    responses++;
    for (const t of tallies) {
      const v = r.answers[t.id];
      if (v === undefined || v === null) continue;
      t.answered++;
      if (t.counts) {
        for (const choice of Array.isArray(v) ? v : [v]) {
          const i = t.options!.indexOf(String(choice));
          if (i >= 0) t.counts[i]!++;
        }
      } else if (t.distribution && typeof v === 'number') {
        t.distribution[v - 1]!++;
        sums.set(t.id, (sums.get(t.id) ?? 0) + v);
      } else if (t.texts && t.texts.length < RESULT_TEXTS) {
        t.texts.push(String(v));
      }
    }
  }
  for (const t of tallies) {
    if (t.distribution) t.average = t.answered ? Math.round(((sums.get(t.id) ?? 0) / t.answered) * 100) / 100 : null;
  }
  return { id, title: survey.title, status: survey.status, responses, questions: tallies };
}

// ---- public ----

export async function publicSurveys(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom('survey')
    .select((eb) => [
      'survey.id',
      'survey.title',
      'survey.description',
      'survey.one_per_device',
      'survey.published_at',
      eb.selectFrom('survey_question').select(countAll().as('n')).whereRef('survey_question.survey_id', '=', 'survey.id').as('question_count'),
    ])
    .where('survey.status', '=', 'published')
    .orderBy('survey.published_at', 'desc')
    .orderBy('survey.id', 'desc')
    .limit(100)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      questionCount: Number(r.question_count ?? 0),
      onePerDevice: r.one_per_device === 1,
      publishedAt: r.published_at,
    })),
  };
}

export async function publicSurvey(ctx: Ctx, id: string) {
  const s = await openSurvey(ctx.db, id);
  const questions = await questionsOf(ctx, id);
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    onePerDevice: s.one_per_device === 1,
    publishedAt: s.published_at,
    questions: questions.map((q) => ({ id: q.id, seq: q.seq, kind: q.kind, title: q.title, options: q.options, required: q.required })),
  };
}
