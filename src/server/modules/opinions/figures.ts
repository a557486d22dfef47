import { registerStat } from '../../platform/stats.js';
import { opinionStats } from './stats.js';

// Headline figures of 开门纳谏 (CONTRACTS.md): opinions.total, byCategory and byChannel (Chinese
// label → count, as the campaign account quotes them: "12 大类 325 条"), adoptedIntoLedger,
// onTimeReplyRate, satisfactionRate. One query set for all six keys, within the viewer's scope.
registerStat('opinions', async (ctx) => {
  const s = await opinionStats(ctx, ctx.actor);
  return {
    total: s.total,
    byCategory: Object.fromEntries(s.byCategory.filter((c) => c.code !== null || c.count > 0).map((c) => [c.label, c.count])),
    byChannel: Object.fromEntries(s.byChannel.map((c) => [c.label, c.count])),
    adoptedIntoLedger: s.adoptedIntoLedger,
    onTimeReplyRate: s.onTimeReplyRate,
    satisfactionRate: s.satisfactionRate,
  };
}, {
  opinions: '意见建议',
  'opinions.total': '意见建议总数',
  'opinions.byCategory': '按类别',
  'opinions.byChannel': '按渠道',
  'opinions.adoptedIntoLedger': '纳入整治台账',
  // 按期办结率: of the opinions due (answered, or open past the deadline), those answered in time.
  'opinions.onTimeReplyRate': '按期办结率',
  // 满意率: of the rated answers, those rated 4 or 5 stars.
  'opinions.satisfactionRate': '满意率',
});
