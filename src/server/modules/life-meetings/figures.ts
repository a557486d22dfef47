import { registerStat } from '../../platform/stats.js';
import { lifeMeetingFigures } from './queries.js';

// lifeMeetings.total (CONTRACTS.md): democratic life meetings recorded, within the viewer's scope.
registerStat('lifeMeetings', (ctx) => lifeMeetingFigures(ctx), { lifeMeetings: '民主生活会', 'lifeMeetings.total': '民主生活会次数' });
