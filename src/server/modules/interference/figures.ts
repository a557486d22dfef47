import { registerStat } from '../../platform/stats.js';
import { interferenceFigures } from './queries.js';

// interference.records (records in the viewer's scope, less any naming the viewer) and
// interference.zeroReportCoverage (serving officers in scope who recorded or filed a 零报告 for the
// current quarter, as a fraction; null when there is nobody to measure). Only for holders of
// interference:read or interference:coverage (null to anyone else); the CLI sees the whole bureau.
registerStat('interference', (ctx) => interferenceFigures(ctx), {
  interference: '“三个规定”记录报告',
  'interference.records': '过问干预记录数',
  'interference.zeroReportCoverage': '本季度记录报告覆盖率（含零报告）',
});
