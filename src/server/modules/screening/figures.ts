import { registerStat } from '../../platform/stats.js';
import { screeningCounts } from './queries.js';

// screening.rules / .hits / .confirmed (CONTRACTS.md): counts, and only for those who may see them
// (clue handlers, and clues:stats holders who see clue counts) — a count of hits in a unit already
// says that someone there is suspected. The command line (no actor) sees them all.
registerStat('screening', async (ctx) => {
  const a = ctx.actor;
  if (a && !a.permissions.has('screening:read') && !a.permissions.has('clues:stats')) return { rules: null, hits: null, confirmed: null };
  const c = await screeningCounts(ctx, a && a.permissions.has('screening:read') ? a : null);
  return { rules: c.rules, hits: c.hits, confirmed: c.confirmed };
}, { screening: '智能化数据排查', 'screening.rules': '启用的排查规则', 'screening.hits': '排查命中', 'screening.confirmed': '命中转为线索' });
