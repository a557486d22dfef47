import type { Deps } from '../../platform/context.js';
import { runCommand, systemCtx } from '../../platform/context.js';
import type { DailyJob } from '../../platform/jobs.js';
import { notify, unitAccountsWith } from '../../platform/notify.js';
import { shanghaiDate } from '../../platform/time.js';
import { linkPendingAdoptions } from './commands.js';

/**
 * Each morning: open ledger items past their deadline (Asia/Shanghai day) that their unit has not yet
 * been told about are marked noticed today, and each responsible unit's ledger keepers (accounts of
 * the unit that may write the ledger) plus each responsible person's own account get one notice per
 * unit naming up to ten items. A new deadline clears the mark (updateItem), so it is told again.
 */
export async function remindOverdueItems(deps: Deps): Promise<{ units: number; items: number }> {
  const ctx = systemCtx(deps);
  const today = shanghaiDate(deps.now());
  const due = await deps.db
    .selectFrom('rectification_item')
    .select(['id', 'seq', 'title', 'org_unit_id', 'responsible_person_id', 'parent_id'])
    .where('status', 'in', ['not_started', 'in_progress']) // index rectification_item_due
    .where('deadline', '<', today)
    .where('overdue_noticed_on', 'is', null)
    .orderBy('deadline')
    .orderBy('id')
    .limit(5000)
    .execute();
  if (!due.length) return { units: 0, items: 0 };
  const byUnit = new Map<string, typeof due>();
  for (const d of due) byUnit.set(d.org_unit_id, [...(byUnit.get(d.org_unit_id) ?? []), d]);
  return runCommand(ctx, { action: 'remind_overdue', entityType: 'rectification_item' }, async (trx) => {
    const nowIso = deps.now().toISOString();
    for (const [unitId, items] of byUnit) {
      const keepers = await unitAccountsWith(trx, unitId, 'rectification:write');
      const personIds = [...new Set(items.map((i) => i.responsible_person_id).filter((p): p is string => Boolean(p)))];
      const owners = personIds.length
        ? await trx.selectFrom('app_user').select('id').where('person_id', 'in', personIds).where('status', '=', 'active').execute()
        : [];
      const names = items.slice(0, 10).map((i) => `第 ${i.seq} 项 ${i.title}`);
      await notify(trx, nowIso, [...keepers, ...owners.map((u) => u.id)], {
        title: `有 ${items.length} 项整治事项已超过完成时限`,
        body: names.join('；') + (items.length > names.length ? ' 等' : ''),
        link: '/rectification?state=overdue',
      });
    }
    for (let i = 0; i < due.length; i += 500) {
      await trx
        .updateTable('rectification_item')
        .set({ overdue_noticed_on: today })
        .where('id', 'in', due.slice(i, i + 500).map((d) => d.id))
        .execute();
    }
    const result = { units: byUnit.size, items: due.length };
    return { result, entityId: null, after: result };
  });
}

export const rectificationJobs = (deps: Deps): DailyJob[] => [
  { name: 'rectification-overdue-reminder', at: '08:30', fn: () => remindOverdueItems(deps), staleAfterMs: 3600_000 },
  // Adoptions that found no campaign to land in (none existed yet) are taken up once there is one.
  { name: 'rectification-link-adoptions', at: '03:20', fn: () => linkPendingAdoptions(systemCtx(deps)), staleAfterMs: 3600_000 },
];

