import { registerStat } from '../../platform/stats.js';
import { clueCounts } from './queries.js';

// clues.total (CONTRACTS.md): a count, and only for those who may see clue counts (clue handlers,
// clues:stats) — to anyone else even a count in their scope would say "someone here is under review".
registerStat('clues', async (ctx) => {
  const a = ctx.actor;
  if (a && !a.permissions.has('clues:stats') && !a.permissions.has('clues:read')) return { total: null };
  return { total: (await clueCounts(ctx, a)).total };
}, { clues: '问题线索', 'clues.total': '问题线索总数' });
