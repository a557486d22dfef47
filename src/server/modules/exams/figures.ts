import { sql } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { registerStat } from '../../platform/stats.js';
import { campaignToShowFor } from '../campaigns/queries.js';
import { ATTEMPT_SCOPE, finaliseExpired } from './exams.js';

// exams.total (CONTRACTS.md): exams of the campaign shown (its topics' exams, online and offline).
// exams.passRate: of the graded results of those exams in the viewer's scope, the share that passed
// (0–1, three decimals; null before any result). Each figure is a count of records the results list shows.
export async function examFigures(ctx: Ctx) {
  const campaignId = await campaignToShowFor(ctx, 'study_topic');
  if (!campaignId) return { total: 0, graded: 0, passed: 0, passRate: null };
  // Attempts past their time limit count as handed in, whether or not anyone has opened them since.
  await finaliseExpired(ctx);
  const topics = ctx.db.selectFrom('study_topic').select('id').where('campaign_id', '=', campaignId);
  const total = await ctx.db.selectFrom('exam').select(sql<number>`count(*)`.as('n')).where('topic_id', 'in', topics).executeTakeFirstOrThrow();
  let attempts = ctx.db
    .selectFrom('exam_attempt')
    .where('exam_attempt.status', '=', 'graded')
    .where('exam_attempt.exam_id', 'in', ctx.db.selectFrom('exam').select('exam.id').where('exam.topic_id', 'in', topics));
  if (ctx.actor) attempts = applyScope(attempts, ctx.actor, ATTEMPT_SCOPE);
  const r = await attempts
    .select([sql<number>`count(*)`.as('graded'), sql<number>`sum(case when exam_attempt.passed = 1 then 1 else 0 end)`.as('passed')])
    .executeTakeFirstOrThrow();
  const graded = Number(r.graded);
  const passed = Number(r.passed ?? 0);
  return { total: Number(total.n), graded, passed, passRate: graded ? Math.round((passed / graded) * 1000) / 1000 : null };
}

registerStat('exams', (ctx) => examFigures(ctx), {
  exams: '考试',
  'exams.total': '考试场次',
  'exams.graded': '已评分答卷',
  'exams.passed': '及格人次',
  'exams.passRate': '及格率',
});
