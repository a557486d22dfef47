import { registerStat } from '../../platform/stats.js';
import { ledgerStats } from './queries.js';

// Headline figures of the ledger (CONTRACTS.md): ledger.total, ledger.byStatus (label → count of the
// stored states), ledger.overdue (open items past their deadline), within the viewer's scope.
registerStat('ledger', async (ctx) => ledgerStats(ctx, ctx.actor), {
  ledger: '整治台账',
  'ledger.total': '整治事项总数',
  'ledger.byStatus': '按状态',
  'ledger.overdue': '已逾期',
});
