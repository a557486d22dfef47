import { registerStat } from '../../platform/stats.js';
import { commitmentFigures } from './queries.js';

// commitments.total / commitments.verified (CONTRACTS.md): commitments registered in the viewer's scope,
// and how many of them have a verification outcome recorded (true or false).
const names = { commitments: '证明事项告知承诺制', 'commitments.total': '告知承诺件数', 'commitments.verified': '已核查件数' };
registerStat('commitments.total', async (ctx) => (await commitmentFigures(ctx)).total, names);
registerStat('commitments.verified', async (ctx) => (await commitmentFigures(ctx)).verified, names);
