import { registerStat } from '../../platform/stats.js';
import { talkFigures } from './queries.js';

// talks.rounds (CONTRACTS.md): [{round, covered, total}] for the campaign shown — serving officers in
// the viewer's scope who took part in a talk of the round (as talker or talkee), of how many.
registerStat('talks', (ctx) => talkFigures(ctx), { talks: '谈心谈话', 'talks.rounds': '各轮覆盖情况' });
