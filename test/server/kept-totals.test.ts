import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';

// Lists of serving officers answer their total from per-unit counts kept by triggers (migration 0021,
// people/coverage.ts servingTotal), not by counting the people. For every role and scope, the total
// must be exactly the number of rows the list holds when walked page by page.

describe.each(targets())('kept totals of the serving-officer lists on %s', (target) => {
  let s: TestServer;
  const users: Record<string, Client> = {};

  beforeAll(async () => {
    s = await startServer(target);
    for (const u of ['office', 'unitadmin', 'officer']) users[u] = await s.as(u);
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Every row of a list, page by page; the total each page answered. */
  async function walk(c: Client, path: string) {
    const ids = new Set<string>();
    const totals = new Set<number>();
    for (let page = 1; ; page++) {
      const r = await c.get(`${path}&page=${page}&pageSize=200`);
      expect(r.status, `${path} page ${page}`).toBe(200);
      totals.add(r.body.total);
      expect(r.body.totalCapped).toBeUndefined();
      for (const i of r.body.items as { personId: string }[]) ids.add(i.personId);
      if (r.body.items.length < 200) break;
    }
    return { rows: ids.size, totals: [...totals] };
  }

  it('年度考评 and 未交自查报告: the total is the rows there are, for each role', async () => {
    const checked: string[] = [];
    const unit = await s.deps.db.selectFrom('app_user').select('org_unit_id').where('username', '=', 'unitadmin').executeTakeFirstOrThrow();
    for (const [who, c] of Object.entries(users)) {
      const paths = ['/api/study/assessment?year=2021', '/api/self-checks/missing?campaignId=campaign-1'];
      if (who !== 'officer') paths.push(`/api/study/assessment?year=2021&orgUnitId=${unit.org_unit_id}`);
      for (const path of paths) {
        const r = await c.get(`${path}&page=1&pageSize=1`);
        if (r.status === 403) continue;
        const { rows, totals } = await walk(c, path);
        expect(totals, `${who} ${path}`).toEqual([rows]);
        expect(r.body.total, `${who} ${path}`).toBe(rows);
        checked.push(`${who} ${path.split('?')[0]} ${rows}`);
      }
    }
    // Office and the county admin may open both lists (a unit admin's scope is a subtree); the officer neither.
    expect(checked.filter((c) => c.startsWith('office')).length, checked.join('\n')).toBe(3);
    expect(checked.filter((c) => c.startsWith('unitadmin')).length, checked.join('\n')).toBe(3);
    expect(new Set(checked.map((c) => c.split(' ').at(-1))).size, checked.join('\n')).toBeGreaterThan(1);
  });

  it('the totals follow a person leaving service and returning, and a unit move', async () => {
    const office = users.office!;
    const before = (await office.get('/api/study/assessment?year=2021&pageSize=1')).body.total as number;
    const someone = await s.deps.db.selectFrom('person').select(['id', 'org_unit_id']).where('status', '=', 'active').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const other = await s.deps.db.selectFrom('org_unit').select('id').where('id', '!=', someone.org_unit_id).orderBy('path', 'desc').limit(1).executeTakeFirstOrThrow();
    await s.deps.db.updateTable('person').set({ status: 'retired' }).where('id', '=', someone.id).execute();
    expect((await office.get('/api/study/assessment?year=2021&pageSize=1')).body.total).toBe(before - 1);
    await s.deps.db.updateTable('person').set({ status: 'active', org_unit_id: other.id }).where('id', '=', someone.id).execute();
    expect((await office.get('/api/study/assessment?year=2021&pageSize=1')).body.total).toBe(before);
    const inOther = await walk(office, `/api/study/assessment?year=2021&orgUnitId=${other.id}`);
    expect(inOther.totals).toEqual([inOther.rows]);
    await s.deps.db.updateTable('person').set({ org_unit_id: someone.org_unit_id }).where('id', '=', someone.id).execute();
  });
});
