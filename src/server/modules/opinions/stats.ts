import { sql } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { applyScope } from '../../platform/access.js';
import { enabledCodes } from '../dict/queries.js';
import { CHANNELS, OPINION_STATUS } from '../../../shared/schemas/opinions.js';
import { OPINION_SCOPE } from './commands.js';

// 按期办结率: of the opinions whose deadline has come (answered, or still open past the deadline),
// the share answered on or before it. 满意率: of the rated answers, the share rated 4 or 5 stars.
// Merged and rejected opinions are outside both. A rate with nothing to measure is null.

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);

function measures(nowIso: string) {
  return {
    due: sql<number>`sum(case when opinion.deadline_at is not null and (opinion.status = 'replied' or (opinion.status = 'assigned' and opinion.deadline_at < ${nowIso})) then 1 else 0 end)`,
    onTime: sql<number>`sum(case when opinion.status = 'replied' and opinion.deadline_at is not null and opinion.replied_at <= opinion.deadline_at then 1 else 0 end)`,
    overdue: sql<number>`sum(case when opinion.status = 'assigned' and opinion.deadline_at < ${nowIso} then 1 else 0 end)`,
    replied: sql<number>`sum(case when opinion.status = 'replied' then 1 else 0 end)`,
    rated: sql<number>`sum(case when opinion.rating is not null then 1 else 0 end)`,
    satisfied: sql<number>`sum(case when opinion.rating >= 4 then 1 else 0 end)`,
  };
}

function scoped(ctx: Ctx, actor: Actor | null, campaignId?: string) {
  let q = ctx.db.selectFrom('opinion');
  if (actor) q = applyScope(q, actor, OPINION_SCOPE);
  if (campaignId) q = q.where('opinion.campaign_id', '=', campaignId);
  return q;
}

/** The statistics page and the headline figures; actor null = the whole bureau (CLI). */
export async function opinionStats(ctx: Ctx, actor: Actor | null, campaignId?: string) {
  const nowIso = ctx.now().toISOString();
  const m = measures(nowIso);
  const n = sql<number>`count(*)`;
  const [cats, byCat, byChan, byStatus, byUnitRows, totals, adopted] = await Promise.all([
    enabledCodes(ctx.db, 'opinion_category'),
    scoped(ctx, actor, campaignId).select(['opinion.category as key', n.as('n')]).groupBy('opinion.category').execute(),
    scoped(ctx, actor, campaignId).select(['opinion.channel as key', n.as('n')]).groupBy('opinion.channel').execute(),
    scoped(ctx, actor, campaignId).select(['opinion.status as key', n.as('n')]).groupBy('opinion.status').execute(),
    scoped(ctx, actor, campaignId)
      .leftJoin('org_unit', 'org_unit.id', 'opinion.assigned_unit_id')
      .select([
        'opinion.assigned_unit_id as unitId', 'org_unit.name as unitName', n.as('total'), m.due.as('due'), m.onTime.as('onTime'),
        m.overdue.as('overdue'), m.replied.as('replied'), m.rated.as('rated'), m.satisfied.as('satisfied'),
      ])
      .where('opinion.status', 'not in', ['merged', 'rejected'])
      .groupBy(['opinion.assigned_unit_id', 'org_unit.name'])
      .execute(),
    scoped(ctx, actor, campaignId)
      .select([n.as('total'), m.due.as('due'), m.onTime.as('onTime'), m.rated.as('rated'), m.satisfied.as('satisfied')])
      .executeTakeFirstOrThrow(),
    scoped(ctx, actor, campaignId)
      .innerJoin('opinion_adoption', 'opinion_adoption.opinion_id', 'opinion.id')
      .select(sql<number>`count(distinct opinion.id)`.as('n'))
      .where('opinion_adoption.target', '=', 'ledger')
      .executeTakeFirstOrThrow(),
  ]);
  // Totals for the rates exclude merged/rejected, as the per-unit rows do.
  const open = await scoped(ctx, actor, campaignId)
    .select([m.due.as('due'), m.onTime.as('onTime'), m.rated.as('rated'), m.satisfied.as('satisfied')])
    .where('opinion.status', 'not in', ['merged', 'rejected'])
    .executeTakeFirstOrThrow();
  const label = new Map(cats.map((c) => [c.code, c.label]));
  const count = (rows: { key: string | null; n: number }[], key: string | null) => Number(rows.find((r) => r.key === key)?.n ?? 0);
  return {
    total: Number(totals.total),
    byCategory: [
      ...cats.map((c) => ({ code: c.code, label: c.label, count: count(byCat, c.code) })),
      ...byCat.filter((r) => r.key && !label.has(r.key)).map((r) => ({ code: r.key!, label: r.key!, count: Number(r.n) })),
      { code: null, label: '未分类', count: count(byCat, null) },
    ],
    byChannel: Object.entries(CHANNELS).map(([code, l]) => ({ code, label: l, count: count(byChan, code) })),
    byStatus: Object.entries(OPINION_STATUS).map(([code, l]) => ({ code, label: l, count: count(byStatus, code) })),
    byUnit: byUnitRows
      .map((r) => ({
        unitId: r.unitId,
        unitName: r.unitName ?? '（未分办）',
        total: Number(r.total),
        replied: Number(r.replied),
        due: Number(r.due),
        onTime: Number(r.onTime),
        overdue: Number(r.overdue),
        onTimeRate: ratio(Number(r.onTime), Number(r.due)),
        rated: Number(r.rated),
        satisfied: Number(r.satisfied),
        satisfactionRate: ratio(Number(r.satisfied), Number(r.rated)),
      }))
      .sort((a, b) => b.total - a.total),
    onTimeReplyRate: ratio(Number(open.onTime), Number(open.due)),
    satisfactionRate: ratio(Number(open.satisfied), Number(open.rated)),
    adoptedIntoLedger: Number(adopted.n),
  };
}
