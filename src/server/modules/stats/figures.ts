import { registerStat } from '../../platform/stats.js';
import { countAll } from '../../platform/sqlx.js';

// Foundation figures. Each module registers its own keys from its own folder.
registerStat('people.total', async (ctx) =>
  Number((await ctx.db.selectFrom('person').select(countAll().as('n')).executeTakeFirstOrThrow()).n),
);
registerStat('orgUnits.countyBureaus', async (ctx) =>
  Number(
    (await ctx.db.selectFrom('org_unit').select(countAll().as('n')).where('kind', '=', 'county_bureau').executeTakeFirstOrThrow()).n,
  ),
);
