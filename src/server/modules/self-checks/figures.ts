import { registerStat } from '../../platform/stats.js';
import { selfCheckFigures } from './queries.js';

// selfChecks.submitted / selfChecks.total (CONTRACTS.md): serving officers in the viewer's scope who
// signed a report for the campaign shown by default, and how many serving officers there are.
registerStat('selfChecks', (ctx) => selfCheckFigures(ctx), {
  selfChecks: '自查事项报告',
  'selfChecks.submitted': '已签字提交',
  'selfChecks.total': '应提交人数',
});
