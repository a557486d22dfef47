import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer, type Client } from '../support/http.js';
import { targets } from '../support/db.js';
import { rowCounts } from '../support/writes.js';

describe.each(targets())('org units on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  const unit: Record<string, { id: string; path: string; depth: number }> = {};
  beforeAll(async () => {
    s = await startServer(target);
    admin = await s.as('admin');
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code', 'path', 'depth']).execute()) unit[u.code] = u;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const node = (id: string) => db().selectFrom('org_unit').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const tree = () => rowCounts(db(), 'org_unit', 'party_org', 'person');
  async function create(parentCode: string, code: string, kind = 'office') {
    const r = await admin.post('/api/org-units', { parentId: unit[parentCode]!.id, name: `测试${code}`, kind, code });
    expect(r.status).toBe(201);
    unit[code] = await node(r.body.id);
    return r.body.id as string;
  }

  it('lists the whole tree with the 12 county bureaus', async () => {
    const r = await admin.get('/api/org-units');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(r.body.items.length);
    expect(r.body.items.filter((u: any) => u.kind === 'county_bureau')).toHaveLength(12);
    const root = r.body.items.find((u: any) => u.code === 'CFSJ');
    expect(root).toMatchObject({ name: '赤峰市司法局', parentId: null, depth: 0, inScope: true });
  });

  it('creates a unit under a parent with the right path and depth, audited', async () => {
    const id = await create('HSQ', 'T-A', 'office');
    const row = await node(id);
    expect(row.parent_id).toBe(unit.HSQ!.id);
    expect(row.path).toBe(`${unit.HSQ!.path}${id}/`);
    expect(row.depth).toBe(unit.HSQ!.depth + 1);
    const e = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(e).toMatchObject({ action: 'create', entity_type: 'org_unit', entity_id: id });
  });

  it('refuses bad input with the field named, writing nothing', async () => {
    const before = await tree();
    const dup = await admin.post('/api/org-units', { parentId: unit.HSQ!.id, name: '重复', kind: 'office', code: 'HSQ-01' });
    expect(dup.status).toBe(409);
    expect(dup.body.field).toBe('code');
    expect(dup.body.message).toContain('单位编码');
    const badCode = await admin.post('/api/org-units', { parentId: unit.HSQ!.id, name: '坏编码', kind: 'office', code: '红山 01' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.field).toBe('code');
    expect(badCode.body.message).toContain('单位编码');
    const badKind = await admin.post('/api/org-units', { parentId: unit.HSQ!.id, name: '坏类别', kind: 'village', code: 'T-K' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toContain('单位类别');
    const noParent = await admin.post('/api/org-units', { parentId: 'no-such-unit', name: '孤儿', kind: 'office', code: 'T-O' });
    expect(noParent.status).toBeGreaterThanOrEqual(400);
    expect(noParent.status).toBeLessThan(500);
    const made = await db().selectFrom('org_unit').select('id').where('code', 'in', ['T-K', 'T-O']).execute();
    expect(made).toHaveLength(0);
    expect(await tree()).toEqual(before);
  });

  it('moves a unit with its whole subtree, rewriting paths and depths; people follow in scope', async () => {
    const a = await create('HSQ', 'T-M1', 'office');
    const b = await create('T-M1', 'T-M2', 'department');
    const c = await create('T-M2', 'T-M3', 'department');
    const person = await admin.post('/api/people', { name: '随迁甲', orgUnitId: c });
    expect(person.status).toBe(201);
    const unitadmin = await s.as('unitadmin');
    expect((await unitadmin.get(`/api/people/${person.body.id}`)).status).toBe(200);

    const moved = await admin.patch(`/api/org-units/${a}`, { parentId: unit.NCX!.id });
    expect(moved.status).toBe(200);
    const [ra, rb, rc] = await Promise.all([node(a), node(b), node(c)]);
    expect(ra.parent_id).toBe(unit.NCX!.id);
    expect(ra.path).toBe(`${unit.NCX!.path}${a}/`);
    expect(rb.path).toBe(`${unit.NCX!.path}${a}/${b}/`);
    expect(rc.path).toBe(`${unit.NCX!.path}${a}/${b}/${c}/`);
    expect([ra.depth, rb.depth, rc.depth]).toEqual([unit.NCX!.depth + 1, unit.NCX!.depth + 2, unit.NCX!.depth + 3]);
    expect(rb.parent_id).toBe(a);
    // Nothing else changed path.
    expect((await node(unit['HSQ-01']!.id)).path).toBe(unit['HSQ-01']!.path);

    // The subtree is now 宁城县's: its people leave 红山区's scope.
    expect((await unitadmin.get(`/api/people/${person.body.id}`)).status).toBe(404);
    const ncx = await admin.get(`/api/people?orgUnitId=${unit.NCX!.id}&q=${encodeURIComponent('随迁甲')}`);
    expect(ncx.body.total).toBe(1);
    const e = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(e).toMatchObject({ action: 'update', entity_type: 'org_unit', entity_id: a });
    expect(JSON.parse(e.before_json!).parent_id).toBe(unit.HSQ!.id);
    expect(JSON.parse(e.after_json!).parent_id).toBe(unit.NCX!.id);

    // Moving up a level works the same way.
    const up = await admin.patch(`/api/org-units/${b}`, { parentId: unit.CFSJ!.id });
    expect(up.status).toBe(200);
    expect((await node(c)).path).toBe(`${unit.CFSJ!.path}${b}/${c}/`);
    expect((await node(c)).depth).toBe(2);
  });

  it('refuses to move a unit under itself or its own descendant', async () => {
    const a = await create('HSQ', 'T-C1');
    const b = await create('T-C1', 'T-C2', 'department');
    const c = await create('T-C2', 'T-C3', 'department');
    const before = await tree();
    const rowsBefore = await Promise.all([node(a), node(b), node(c)]);
    for (const target of [a, b, c]) {
      const r = await admin.patch(`/api/org-units/${a}`, { parentId: target });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('parentId');
      expect(r.body.message).toContain('上级');
    }
    const noParent = await admin.patch(`/api/org-units/${a}`, { parentId: null });
    expect(noParent.status).toBe(400);
    expect(noParent.body.field).toBe('parentId');
    const [ra, rc] = await Promise.all([node(a), node(c)]);
    expect(ra.parent_id).toBe(unit.HSQ!.id);
    expect(rc.path).toBe(`${unit.HSQ!.path}${a}/${b}/${c}/`);
    expect(await Promise.all([node(a), node(b), node(c)])).toEqual(rowsBefore);
    expect(await tree()).toEqual(before);
  });

  it('renames and recodes, refusing a code in use', async () => {
    const a = await create('HSQ', 'T-R1');
    const r = await admin.patch(`/api/org-units/${a}`, { name: '更名后的所', code: 'T-R2' });
    expect(r.status).toBe(200);
    expect(await node(a)).toMatchObject({ name: '更名后的所', code: 'T-R2' });
    const before = await tree();
    const row = await node(a);
    const dup = await admin.patch(`/api/org-units/${a}`, { code: 'HSQ', name: '不应生效' });
    expect(dup.status).toBe(409);
    expect(dup.body.field).toBe('code');
    expect(await node(a)).toEqual(row);
    expect(await tree()).toEqual(before);
  });

  it('refuses to delete a unit with children, people or accounts (409); deletes an empty one', async () => {
    const parent = await create('HSQ', 'T-D1');
    const child = await create('T-D1', 'T-D2', 'department');
    let before = await tree();
    const withChildren = await admin.delete(`/api/org-units/${parent}`);
    expect(withChildren.status).toBe(409);
    expect(withChildren.body.message).toContain('不能删除');
    expect(await tree()).toEqual(before);

    const person = await admin.post('/api/people', { name: '留守甲', orgUnitId: child });
    before = await tree();
    const withPeople = await admin.delete(`/api/org-units/${child}`);
    expect(withPeople.status).toBe(409);
    expect(await tree()).toEqual(before);
    expect((await admin.delete(`/api/people/${person.body.id}`)).status).toBe(200);

    // The unit of a demo account (HSQ-01 holds the officer) cannot go either.
    before = await tree();
    expect((await admin.delete(`/api/org-units/${unit['HSQ-01']!.id}`)).status).toBe(409);
    expect(await tree()).toEqual(before);

    const auditsBefore = (await db().selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()).seq;
    expect((await admin.delete(`/api/org-units/${child}`)).status).toBe(200);
    expect((await admin.delete(`/api/org-units/${parent}`)).status).toBe(200);
    expect(await db().selectFrom('org_unit').select('id').where('id', 'in', [parent, child]).execute()).toHaveLength(0);
    const e = await db().selectFrom('audit_log').selectAll().where('seq', '>', auditsBefore).orderBy('seq').execute();
    expect(e.map((x) => [x.action, x.entity_type])).toEqual([['delete', 'org_unit'], ['delete', 'org_unit']]);
    expect(JSON.parse(e[0]!.before_json!).code).toBe('T-D2');
    before = await tree();
    expect((await admin.delete(`/api/org-units/${parent}`)).status).toBe(404);
    expect(await tree()).toEqual(before);
  });

  it('roles without org:write cannot change the tree, and nothing is written', async () => {
    const victim = await create('HSQ', 'T-N0');
    const row = await node(victim);
    // Logging in is itself audited: sign everyone in before taking the snapshot.
    const whos = ['office', 'unitadmin', 'officer', 'auditor', 'secadmin'];
    const clients = await Promise.all(whos.map((w) => s.as(w)));
    const before = await tree();
    for (const [i, who] of whos.entries()) {
      const c = clients[i]!;
      const r = await c.post('/api/org-units', { parentId: unit.HSQ!.id, name: '无权', kind: 'office', code: `T-N-${who}` });
      expect(r.status, who).toBe(403);
      expect((await c.patch(`/api/org-units/${victim}`, { name: '无权改名', parentId: unit.NCX!.id })).status, who).toBe(403);
      expect((await c.delete(`/api/org-units/${victim}`)).status, who).toBe(403);
      expect((await c.post('/api/party-orgs', { name: '无权党委', kind: 'committee' })).status, who).toBe(403);
    }
    expect(await tree()).toEqual(before);
    expect(await node(victim)).toEqual(row);
  });

  describe('party organisations', () => {
    it('creates, moves and deletes, with the same rules', async () => {
      const top = await admin.post('/api/party-orgs', { name: '测试党委', kind: 'committee', orgUnitId: unit.HSQ!.id });
      expect(top.status).toBe(201);
      const branch = await admin.post('/api/party-orgs', { parentId: top.body.id, name: '测试支部', kind: 'branch' });
      expect(branch.status).toBe(201);
      const other = await admin.post('/api/party-orgs', { name: '另一党委', kind: 'committee' });
      const rows = async () =>
        Object.fromEntries(
          (await db().selectFrom('party_org').select(['id', 'path', 'parent_id']).where('id', 'in', [top.body.id, branch.body.id, other.body.id]).execute()).map((r) => [r.id, r]),
        );
      let r = await rows();
      expect(r[branch.body.id]!.path).toBe(`/${top.body.id}/${branch.body.id}/`);

      let before = await tree();
      const loop = await admin.patch(`/api/party-orgs/${top.body.id}`, { parentId: branch.body.id });
      expect(loop.status).toBe(400);
      expect(loop.body.field).toBe('parentId');
      expect(await rows()).toEqual(r);
      expect(await tree()).toEqual(before);

      expect((await admin.patch(`/api/party-orgs/${top.body.id}`, { parentId: other.body.id })).status).toBe(200);
      r = await rows();
      expect(r[branch.body.id]!.path).toBe(`/${other.body.id}/${top.body.id}/${branch.body.id}/`);
      // Back to the top level.
      expect((await admin.patch(`/api/party-orgs/${top.body.id}`, { parentId: null })).status).toBe(200);
      r = await rows();
      expect(r[top.body.id]!.parent_id).toBeNull();
      expect(r[branch.body.id]!.path).toBe(`/${top.body.id}/${branch.body.id}/`);

      const member = await admin.post('/api/people', { name: '党员甲', orgUnitId: unit.HSQ!.id, partyOrgId: branch.body.id });
      expect(member.status).toBe(201);
      before = await tree();
      r = await rows();
      expect((await admin.delete(`/api/party-orgs/${top.body.id}`)).status).toBe(409);
      expect((await admin.delete(`/api/party-orgs/${branch.body.id}`)).status).toBe(409);
      expect(await rows()).toEqual(r);
      expect(await tree()).toEqual(before);
      expect((await admin.patch(`/api/people/${member.body.id}`, { partyOrgId: null })).status).toBe(200);
      expect((await admin.delete(`/api/party-orgs/${branch.body.id}`)).status).toBe(200);
      expect((await admin.delete(`/api/party-orgs/${top.body.id}`)).status).toBe(200);

      const list = await admin.get('/api/party-orgs');
      expect(list.body.items.some((p: any) => p.id === top.body.id)).toBe(false);
      expect(list.body.items.some((p: any) => p.id === other.body.id)).toBe(true);
    });
  });
});
