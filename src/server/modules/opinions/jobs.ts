import { sql } from 'kysely';
import type { Deps } from '../../platform/context.js';
import { runCommand, systemCtx } from '../../platform/context.js';
import type { DailyJob } from '../../platform/jobs.js';
import { notify, unitAccountsWith } from '../../platform/notify.js';
import { pruneRates } from '../../platform/ratelimit.js';

/**
 * Each morning: remind every handling unit of its opinions past the reply deadline (one notice per
 * unit to the accounts that may reply), and clear spent rate-limit buckets and challenges.
 */
export async function remindOverdueOpinions(deps: Deps): Promise<{ units: number; opinions: number }> {
  const ctx = systemCtx(deps);
  const nowIso = deps.now().toISOString();
  // Counted per unit in SQL, and only the first ten numbers of each fetched: a backlog of hundreds of
  // thousands must not be loaded whole (the reminder names ten and says how many).
  const counts = await deps.db
    .selectFrom('opinion')
    .select(['assigned_unit_id', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'assigned')
    .where('deadline_at', '<', nowIso)
    .where('assigned_unit_id', 'is not', null)
    .groupBy('assigned_unit_id')
    .execute();
  const byUnit = new Map<string, { n: number; nos: string[] }>();
  for (const c of counts) {
    const first = await deps.db
      .selectFrom('opinion')
      .select('public_no')
      .where('assigned_unit_id', '=', c.assigned_unit_id!)
      .where('status', '=', 'assigned')
      .where('deadline_at', '<', nowIso)
      .orderBy('deadline_at')
      .orderBy('id')
      .limit(10)
      .execute();
    byUnit.set(c.assigned_unit_id!, { n: Number(c.n), nos: first.map((f) => f.public_no) });
  }
  if (byUnit.size === 0) return { units: 0, opinions: 0 };
  const total = [...byUnit.values()].reduce((a, b) => a + b.n, 0);
  return runCommand(ctx, { action: 'remind_overdue', entityType: 'opinion' }, async (trx) => {
    for (const [unitId, { n, nos }] of byUnit) {
      await notify(trx, nowIso, await unitAccountsWith(trx, unitId, 'opinions:reply'), {
        title: `有 ${n} 条意见已超过答复期限`,
        body: nos.join('、') + (n > nos.length ? ' 等' : ''),
        link: '/opinions?overdue=1',
      });
    }
    const result = { units: byUnit.size, opinions: total };
    return { result, entityId: null, after: result };
  });
}

export const opinionJobs = (deps: Deps): DailyJob[] => [
  { name: 'opinions-overdue-reminder', at: '08:30', fn: () => remindOverdueOpinions(deps), staleAfterMs: 3600_000 },
  {
    name: 'public-intake-prune',
    at: '03:10',
    fn: () =>
      deps.db.transaction().execute(async (trx) => {
        await pruneRates(trx, deps.now());
        await trx.deleteFrom('spent_challenge').where('expires_at', '<', deps.now().toISOString()).execute();
      }),
    staleAfterMs: 3600_000,
  },
];
