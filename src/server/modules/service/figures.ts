import { registerStat } from '../../platform/stats.js';
import { serviceFigures } from './queries.js';

// Headline figures of 为民服务 (CONTRACTS.md), in the viewer's scope: service.measures (measures),
// service.workstations (legal service workstations), service.entitiesServed (distinct enterprises
// with at least one service record or 法治体检).
registerStat('service', (ctx) => serviceFigures(ctx), {
  service: '为民服务',
  'service.measures': '便民利民措施',
  'service.workstations': '法律服务工作站',
  'service.entitiesServed': '服务市场主体',
});
