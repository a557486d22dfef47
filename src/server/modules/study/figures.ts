import { registerStat } from '../../platform/stats.js';
import { STUDY_MODES } from '../../../shared/schemas/study.js';
import { studyFigures, supervisionFigures } from './queries.js';

// study.* and supervision.coverage (CONTRACTS.md), for the campaign shown, within the viewer's scope:
// activities by the organising unit, attendances and 学时 by the attending person's unit, party
// organisations by their unit. hoursTotal is in hours, one decimal.
registerStat('study', (ctx) => studyFigures(ctx), {
  study: '学习教育',
  'study.activitiesByMode': '按“九学”模式的学习活动数',
  ...Object.fromEntries(Object.entries(STUDY_MODES).map(([code, label]) => [`study.activitiesByMode.${code}`, label])),
  'study.activities': '学习活动数',
  'study.attendances': '参学人次',
  'study.hoursTotal': '累计学时',
});
registerStat('supervision', (ctx) => supervisionFigures(ctx), {
  supervision: '巡回指导',
  'supervision.coverage': '巡回指导覆盖党组织',
  'supervision.coverage.covered': '已指导党组织数',
  'supervision.coverage.total': '党组织总数',
});
