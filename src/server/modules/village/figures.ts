import { registerStat } from '../../platform/stats.js';
import { villageFigures } from './queries.js';

// Headline figures of 法律志愿服务进乡村“1155”工程 (CONTRACTS.md), in the viewer's scope:
// village1155.pairings — active pairings whose five-year term covers this year (Asia/Shanghai);
// village1155.compliant — of those, pairings whose cadre already has ≥5 services and ≥5 visits dated
// this year (the board's "已达标"; on pace but not there yet does not count).
registerStat('village1155.pairings', async (ctx) => (await villageFigures(ctx)).pairings, {
  village1155: '“1155”工程',
  'village1155.pairings': '结对干部数',
});
registerStat('village1155.compliant', async (ctx) => (await villageFigures(ctx)).compliant, { 'village1155.compliant': '本年度已达标结对数' });
