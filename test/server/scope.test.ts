import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { startServer, type TestServer, type Client } from '../support/http.js';
import { targets } from '../support/db.js';

describe.each(targets())('data scope on %s', (target) => {
  let s: TestServer;
  let unitadmin: Client;
  let officer: Client;
  const unit: Record<string, { id: string; path: string; name: string }> = {};

  beforeAll(async () => {
    s = await startServer(target);
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code', 'path', 'name']).execute()) unit[u.code] = u;
    unitadmin = await s.as('unitadmin');
    officer = await s.as('officer');
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  /** People in a unit's subtree, counted straight from the database. */
  async function subtreeCount(code: string) {
    const r = await db()
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .select(sql<number>`count(*)`.as('n'))
      .where('org_unit.path', 'like', `${unit[code]!.path}%`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async function personIn(code: string) {
    return db().selectFrom('person').select(['id', 'name']).where('org_unit_id', '=', unit[code]!.id).orderBy('name').executeTakeFirstOrThrow();
  }
  const hongshanNames = () =>
    new Set(
      Object.values(unit)
        .filter((u) => u.path.startsWith(unit.HSQ!.path))
        .map((u) => u.name),
    );

  it('a unit admin of 红山区 sees exactly the people of 红山区 and its 司法所', async () => {
    const expected = await subtreeCount('HSQ');
    expect(expected).toBeGreaterThan(20);
    expect(expected).toBeLessThan(835);
    const names = hongshanNames();
    expect(names.has('红山区司法局')).toBe(true);
    let seen = 0;
    for (let page = 1; ; page++) {
      const r = await unitadmin.get(`/api/people?pageSize=200&page=${page}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(expected);
      for (const p of r.body.items) {
        expect(names.has(p.orgUnitName)).toBe(true);
        expect(p.orgUnitName === '红山区司法局' || p.orgUnitName.endsWith('司法所')).toBe(true);
      }
      seen += r.body.items.length;
      if (r.body.items.length < 200) break;
    }
    expect(seen).toBe(expected);
  });

  it('filters and search cannot reach outside the scope', async () => {
    const ncx = await unitadmin.get(`/api/people?orgUnitId=${unit.NCX!.id}`);
    expect(ncx.status).toBe(200);
    expect(ncx.body.total).toBe(0);
    const ncxPerson = await personIn('NCX');
    const byName = await unitadmin.get(`/api/people?q=${encodeURIComponent(ncxPerson.name)}&pageSize=200`);
    for (const p of byName.body.items) expect(hongshanNames().has(p.orgUnitName)).toBe(true);
    const root = await unitadmin.get(`/api/people?orgUnitId=${unit.CFSJ!.id}&pageSize=1`);
    expect(root.body.total).toBe(await subtreeCount('HSQ'));
  });

  it('a person of 宁城县 is invisible and untouchable for the 红山区 admin', async () => {
    const p = await personIn('NCX');
    const get = await unitadmin.get(`/api/people/${p.id}`);
    expect(get.status).toBe(404);
    const patch = await unitadmin.patch(`/api/people/${p.id}`, { name: '被改了' });
    expect(patch.status).toBe(404);
    const del = await unitadmin.delete(`/api/people/${p.id}`);
    expect(del.status).toBe(404);
    const after = await db().selectFrom('person').select('name').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(after.name).toBe(p.name);
  });

  it('the unit admin may create in 红山区 but not in 宁城县 nor at the city bureau', async () => {
    const before = await subtreeCount('CFSJ');
    const ncx = await unitadmin.post('/api/people', { name: '越权甲', orgUnitId: unit.NCX!.id });
    expect(ncx.status).toBe(403);
    expect(ncx.body.message).toMatch(/[\u4e00-\u9fa5]/);
    const city = await unitadmin.post('/api/people', { name: '越权乙', orgUnitId: unit.CFSJ!.id });
    expect(city.status).toBe(403);
    expect(await subtreeCount('CFSJ')).toBe(before);
    const ok = await unitadmin.post('/api/people', { name: '本辖区甲', orgUnitId: unit['HSQ-02']!.id });
    expect(ok.status).toBe(201);
  });

  it('never moves a person outside or above the admin’s own unit', async () => {
    const p = await personIn('HSQ-01');
    const out = await unitadmin.patch(`/api/people/${p.id}`, { orgUnitId: unit.NCX!.id });
    expect(out.status).toBe(403);
    const up = await unitadmin.patch(`/api/people/${p.id}`, { orgUnitId: unit.CFSJ!.id });
    expect(up.status).toBe(403);
    const row = await db().selectFrom('person').select('org_unit_id').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.org_unit_id).toBe(unit['HSQ-01']!.id);
    // Within the subtree is fine.
    const within = await unitadmin.patch(`/api/people/${p.id}`, { orgUnitId: unit['HSQ-02']!.id });
    expect(within.status).toBe(200);
  });

  it('the export holds only 红山区 rows', async () => {
    const r = await unitadmin.get('/api/people/export');
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const unitCol = header.indexOf('所在单位') + 1;
    expect(unitCol).toBeGreaterThan(0);
    const names = hongshanNames();
    let rows = 0;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      rows++;
      expect(names.has(String(row.getCell(unitCol).value))).toBe(true);
    });
    expect(rows).toBe(await subtreeCount('HSQ'));
  });

  it('an officer (self scope) sees only their own record and cannot edit anyone', async () => {
    const me = await officer.get('/api/me');
    const personId = me.body.user.personId;
    expect(personId).toBeTruthy();
    const list = await officer.get('/api/people');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].id).toBe(personId);
    expect((await officer.get(`/api/people/${personId}`)).status).toBe(200);
    // A colleague in the very same 司法所 is out of scope.
    const colleague = await db()
      .selectFrom('person')
      .select('id')
      .where('org_unit_id', '=', unit['HSQ-01']!.id)
      .where('id', '!=', personId)
      .executeTakeFirstOrThrow();
    expect((await officer.get(`/api/people/${colleague.id}`)).status).toBe(404);
    expect((await officer.patch(`/api/people/${colleague.id}`, { name: '改名' })).status).toBe(403);
    expect((await officer.patch(`/api/people/${personId}`, { name: '改名' })).status).toBe(403);
    expect((await officer.post('/api/people', { name: '新人', orgUnitId: unit['HSQ-01']!.id })).status).toBe(403);
    expect((await officer.get('/api/people/export')).status).toBe(403);
  });

  it('admin and 整顿办 (all scope) see all 835 people', async () => {
    const total = Number((await db().selectFrom('person').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    for (const who of ['admin', 'office', 'cluehandler']) {
      const c = await s.as(who);
      const r = await c.get('/api/people?pageSize=1');
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(total);
    }
    // Nothing here has added or removed people except the one created in 红山区 above.
    expect(total).toBe(836);
  });

  it('org units: a unit admin with org:write manages only its own subtree', async () => {
    // Without org:write at all: refused.
    const plain = await unitadmin.post('/api/org-units', { parentId: unit.HSQ!.id, name: '测试所', kind: 'office', code: 'HSQ-T0' });
    expect(plain.status).toBe(403);

    // Grant org:write through a second role with the same subtree scope, as a security admin could.
    const now = new Date().toISOString();
    await db()
      .insertInto('role')
      .values({
        id: 'role-test-org', code: 'test_org_writer', name: '单位维护（测试）', description: null, builtin: 0,
        permissions: JSON.stringify(['org:read', 'org:write']), data_scope: 'unit_and_below', created_at: now, updated_at: now,
      })
      .execute();
    const user = await db().selectFrom('app_user').select('id').where('username', '=', 'unitadmin').executeTakeFirstOrThrow();
    await db().insertInto('user_role').values({ user_id: user.id, role_id: 'role-test-org' }).execute();

    const underNcx = await unitadmin.post('/api/org-units', { parentId: unit.NCX!.id, name: '越权所', kind: 'office', code: 'NCX-T1' });
    expect(underNcx.status).toBe(403);
    const underRoot = await unitadmin.post('/api/org-units', { parentId: unit.CFSJ!.id, name: '越权局', kind: 'county_bureau', code: 'T-ROOT' });
    expect(underRoot.status).toBe(403);
    const noParent = await unitadmin.post('/api/org-units', { name: '顶级', kind: 'city_bureau', code: 'T-TOP' });
    expect(noParent.status).toBeGreaterThanOrEqual(400);
    expect(noParent.status).toBeLessThan(500);
    const created = await db().selectFrom('org_unit').select('id').where('code', 'in', ['NCX-T1', 'T-ROOT', 'T-TOP']).execute();
    expect(created).toHaveLength(0);

    const own = await unitadmin.post('/api/org-units', { parentId: unit.HSQ!.id, name: '新设司法所', kind: 'office', code: 'HSQ-T1' });
    expect(own.status).toBe(201);
    // Cannot move its own unit out, nor pull someone else's unit in, nor touch others' units.
    const moveOut = await unitadmin.patch(`/api/org-units/${own.body.id}`, { parentId: unit.NCX!.id });
    expect(moveOut.status).toBe(403);
    const pullIn = await unitadmin.patch(`/api/org-units/${unit['NCX-01']!.id}`, { parentId: unit.HSQ!.id });
    expect(pullIn.status).toBe(403);
    const rename = await unitadmin.patch(`/api/org-units/${unit.NCX!.id}`, { name: '改名' });
    expect(rename.status).toBe(403);
    const del = await unitadmin.delete(`/api/org-units/${unit['NCX-01']!.id}`);
    expect(del.status).toBe(403);
    const hsqSelf = await unitadmin.patch(`/api/org-units/${unit.HSQ!.id}`, { parentId: unit.NCX!.id });
    expect(hsqSelf.status).toBe(403);
    const ncx01 = await db().selectFrom('org_unit').select(['parent_id', 'name']).where('id', '=', unit['NCX-01']!.id).executeTakeFirstOrThrow();
    expect(ncx01.parent_id).toBe(unit.NCX!.id);

    // The tree is visible to all, but only the subtree is marked manageable.
    const tree = await unitadmin.get('/api/org-units');
    const inScope = tree.body.items.filter((u: any) => u.inScope).map((u: any) => u.code);
    expect(inScope).toContain('HSQ');
    expect(inScope).toContain('HSQ-T1');
    expect(inScope).not.toContain('NCX');
    expect(inScope).not.toContain('CFSJ');
  });
});
