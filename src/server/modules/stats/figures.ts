import { registerStat } from '../../platform/stats.js';
import { countAll } from '../../platform/sqlx.js';
import { applyScope } from '../../platform/access.js';

// Foundation figures, within the viewer's data scope (actor null: the whole bureau, for the CLI).
// Each module registers its own keys from its own folder.
registerStat('people.total', async (ctx) => {
  let q = ctx.db.selectFrom('person').select(countAll().as('n'));
  if (ctx.actor) q = applyScope(q, ctx.actor, { unit: 'person.org_unit_id', person: 'person.id' });
  return Number((await q.executeTakeFirstOrThrow()).n);
}, { people: '干警', 'people.total': '干警总数' });
registerStat('orgUnits.countyBureaus', async (ctx) => {
  let q = ctx.db.selectFrom('org_unit').select(countAll().as('n')).where('kind', '=', 'county_bureau');
  if (ctx.actor) q = applyScope(q, ctx.actor, { unit: 'org_unit.id' });
  return Number((await q.executeTakeFirstOrThrow()).n);
}, { orgUnits: '组织机构', 'orgUnits.countyBureaus': '旗县区司法局数' });
