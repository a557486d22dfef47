import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { listSettings } from '../../src/server/platform/list.js';
import { iteratePeople, listPeople } from '../../src/server/modules/people/queries.js';
import { systemCtx, type Actor, type ActorRole } from '../../src/server/platform/context.js';
import { PeopleQuery } from '../../src/shared/schemas/people.js';
import { personTermsMigration } from '../../src/server/db/migrations/0008_person_terms.js';

// The people search (`?q=`) reads person_term (db/migrations/0008_person_terms.ts). Its answers must be
// exactly those of the plain query it replaced — name or police number contains the text, lower-cased
// by the database, % and _ literal — with scope, filters, order, pages and totals unchanged; and the
// triggers must keep person_term right whoever writes people.

/** Code-point order, as both databases order these columns (sort_key "C", names in the test databases). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Where {
  /** A unit path prefix (unit_and_below scope, a unit with its subtree). */
  under?: string;
  /** Units by id (one unit without its subtree, a custom scope). */
  units?: string[];
  status?: string;
  personId?: string;
}

describe.each(targets())('people search on %s', (target) => {
  let s: TestServer;
  const as = new Map<string, Client>();
  const unit = new Map<string, { id: string; path: string }>();
  const db = () => s.deps.db;

  beforeAll(async () => {
    s = await startServer(target);
    for (const u of ['admin', 'office', 'unitadmin']) as.set(u, await s.as(u));
    for (const u of await db().selectFrom('org_unit').select(['id', 'code', 'path']).execute()) unit.set(u.code, u);
    // Letters in both cases, accented capitals (lower() differs between the databases), % and _.
    const admin = as.get('admin')!;
    for (const [name, policeNo, code] of [
      ['Ada Wang', 'AB-1207', 'HSQ-01'],
      ['ADAM李', 'ab_77', 'HSQ-02'],
      ['Émile周', 'É-5', 'NCX'],
      ['百分%丙', 'Q_7%', 'HSQ-01'],
      ['下划_丁', null, 'HSQ'],
    ] as const) {
      const r = await admin.post('/api/people', { name, policeNo, orgUnitId: unit.get(code)!.id });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
  });
  afterAll(async () => {
    listSettings.countCap = 10_000;
    await s?.close();
  });

  /** The matching people's ids in the list's order, by a plain LIKE over person written apart from the app's. */
  async function expected(q: string, where: Where = {}): Promise<string[]> {
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    let query = db()
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .select(['person.id', 'person.name', 'org_unit.path'])
      .where(sql<boolean>`(lower(person.name) like ${pattern} escape '\\' or lower(person.police_no) like ${pattern} escape '\\')`);
    if (where.under) query = query.where('org_unit.path', 'like', `${where.under}%`);
    if (where.units) query = query.where('person.org_unit_id', 'in', where.units);
    if (where.status) query = query.where('person.status', '=', where.status as 'active');
    if (where.personId) query = query.where('person.id', '=', where.personId);
    const rows = await query.execute();
    return rows.sort((a, b) => cmp(a.path, b.path) || cmp(a.name, b.name) || cmp(a.id, b.id)).map((r) => r.id);
  }

  /** Every page of `user`'s search equals the same slice of `want`, with the same total. */
  async function expectPages(user: string, params: Record<string, string>, want: string[], pageSize = 20) {
    const pages = Math.max(1, Math.ceil(want.length / pageSize));
    for (let page = 1; page <= pages + 1; page++) {
      const qs = new URLSearchParams({ ...params, pageSize: String(pageSize), page: String(page) });
      const r = await as.get(user)!.get(`/api/people?${qs}`);
      const where = `${user} ${qs}`;
      expect(r.status, where).toBe(200);
      expect(r.body.items.map((p: { id: string }) => p.id), where).toEqual(want.slice((page - 1) * pageSize, page * pageSize));
      expect(r.body.total, where).toBe(want.length);
      expect(r.body.totalCapped, where).toBeUndefined();
    }
  }

  /** The texts searched: from the demo's own names and police numbers, and the edge cases. */
  async function texts(): Promise<string[]> {
    const people = await db().selectFrom('person').select(['name', 'police_no']).orderBy('id').execute();
    const firstChars = new Map<string, number>();
    for (const p of people) firstChars.set(p.name[0]!, (firstChars.get(p.name[0]!) ?? 0) + 1);
    const surname = [...firstChars].sort((a, b) => b[1] - a[1])[0]![0];
    const named = people.find((p) => p.name.length >= 3 && /^\p{Script=Han}+$/u.test(p.name))!;
    const numbered = people.find((p) => p.police_no && /^\d{5,}$/.test(p.police_no))!;
    return [
      surname, // one Chinese character, many matches
      named.name.slice(1, 3), // two characters (a given name)
      named.name, // a full name
      named.name.slice(0, 2),
      numbered.police_no!, // a police number
      numbered.police_no!.slice(2, 5), // some of its digits
      '7', // one digit
      'ada', 'ADA', 'aDa W', 'ab', // letters, either case, with a space
      'émile', 'É', 'é', // lower() of É: SQLite leaves it, PostgreSQL lowers it
      '%', '_', '7%', 'b_7', '\\', // % and _ literal
      'İ', // lower-cased by JavaScript to two characters
      '不存在的名字', // no match
    ];
  }

  it('answers exactly what the plain query answers: every page and total, for everyone and a county admin', async () => {
    const hsq = unit.get('HSQ')!;
    for (const q of await texts()) {
      await expectPages('office', { q }, await expected(q));
      await expectPages('unitadmin', { q }, await expected(q, { under: hsq.path }));
    }
  });

  it('with unit and status filters, and deep pages', async () => {
    const [surname] = await texts();
    const hsq = unit.get('HSQ')!;
    const office01 = unit.get('HSQ-01')!;
    for (const q of [surname!, 'a', '7']) {
      await expectPages('office', { q, orgUnitId: hsq.id }, await expected(q, { under: hsq.path }));
      await expectPages('office', { q, orgUnitId: office01.id, includeSub: '0' }, await expected(q, { units: [office01.id] }));
      await expectPages('unitadmin', { q, orgUnitId: hsq.id, status: 'active' }, await expected(q, { under: hsq.path, status: 'active' }));
      for (const status of ['active', 'retired', 'transferred']) await expectPages('office', { q, status }, await expected(q, { status }));
    }
    // Small pages: every page of a common surname, each one skipping further into the range.
    const many = await expected(surname!);
    expect(many.length).toBeGreaterThan(10);
    await expectPages('office', { q: surname! }, many, 3);
  });

  it('caps a long count and says so, exactly as before', async () => {
    const [surname] = await texts();
    const all = await expected(surname!);
    listSettings.countCap = 4;
    try {
      const r = await as.get('office')!.get(`/api/people?q=${encodeURIComponent(surname!)}&pageSize=2&page=2`);
      expect(r.body.items.map((p: { id: string }) => p.id)).toEqual(all.slice(2, 4));
      expect(r.body).toMatchObject({ total: 4, totalCapped: true });
      // A page past the end counts too; a short last page is its own total.
      const past = await as.get('office')!.get(`/api/people?q=${encodeURIComponent(surname!)}&pageSize=2&page=999`);
      expect(past.body).toMatchObject({ items: [], total: 4, totalCapped: true });
      const few = await as.get('office')!.get(`/api/people?q=${encodeURIComponent('ada')}&pageSize=2`);
      expect(few.body.total).toBe((await expected('ada')).length);
      expect(few.body.totalCapped).toBeUndefined();
    } finally {
      listSettings.countCap = 10_000;
    }
  });

  it('every data scope, in process: unit, custom units, self; and the export', async () => {
    const ctx = systemCtx(s.deps);
    const office01 = unit.get('HSQ-01')!;
    const ncx = unit.get('NCX')!;
    const self = await db().selectFrom('person').select(['id', 'name', 'org_unit_id']).where('name', '=', 'Ada Wang').executeTakeFirstOrThrow();
    const actor = (roles: ActorRole[], orgUnitId = office01.id): Actor => ({
      userId: 'u', username: 'u', displayName: 'u', personId: self.id, orgUnitId,
      orgUnitPath: [...unit.values()].find((u) => u.id === orgUnitId)!.path, roles, permissions: new Set(['people:read']),
    });
    const role = (dataScope: ActorRole['dataScope'], customUnitIds: string[] = []): ActorRole => ({ code: dataScope, dataScope, customUnitIds });
    const listed = async (a: Actor, f: Record<string, string>) =>
      (await listPeople({ ...ctx, actor: a }, a, PeopleQuery.parse({ pageSize: '200', ...f }))).items.map((p) => p.id);
    for (const q of [...(await texts()).slice(0, 7), 'a']) {
      expect(await listed(actor([role('unit')]), { q }), q).toEqual(await expected(q, { units: [office01.id] }));
      expect(await listed(actor([role('custom', [office01.id, ncx.id])]), { q }), q).toEqual(await expected(q, { units: [office01.id, ncx.id] }));
      expect(await listed(actor([role('self')]), { q }), q).toEqual(await expected(q, { personId: self.id }));
      // Two roles: the union.
      expect(await listed(actor([role('unit'), role('custom', [ncx.id])]), { q }), q).toEqual(await expected(q, { units: [office01.id, ncx.id] }));
      expect(await listed(actor([]), { q }), q).toEqual([]);
      const exported: string[] = [];
      const all = actor([role('all')]);
      for await (const row of iteratePeople({ ...ctx, actor: all }, all, { q })) exported.push(row.id);
      expect(exported, q).toEqual(await expected(q));
    }
  });

  /** person_term holds exactly the characters of lower(name) and lower(police_no) of every person, with their unit's path. */
  async function expectTermsExact() {
    const people = await db()
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .select(['person.id', 'person.name', 'person.police_no', 'org_unit.path', sql<string>`lower(person.name)`.as('ln'), sql<string | null>`lower(person.police_no)`.as('lp')])
      .execute();
    const want = new Set<string>();
    for (const p of people) {
      for (const c of new Set([...Array.from(p.ln), ...Array.from(p.lp ?? '')])) want.add(JSON.stringify([c, p.path, p.name, p.id, p.police_no]));
    }
    const have = (await db().selectFrom('person_term').selectAll().execute()).map((r) => JSON.stringify([r.term, r.sort_key, r.name, r.person_id, r.police_no]));
    const haveSet = new Set(have);
    expect(have.length, 'duplicate terms').toBe(haveSet.size);
    expect([...haveSet].filter((k) => !want.has(k)), 'stale terms').toEqual([]);
    expect([...want].filter((k) => !haveSet.has(k)), 'missing terms').toEqual([]);
  }

  /** The search finds `id` by each text and not by the others. */
  async function expectFound(id: string, by: string[], notBy: string[] = []) {
    const found = async (q: string) => (await as.get('admin')!.get(`/api/people?q=${encodeURIComponent(q)}&pageSize=200`)).body.items.map((p: { id: string }) => p.id);
    for (const q of by) expect(await found(q), `found by ${q}`).toContain(id);
    for (const q of notBy) expect(await found(q), `not found by ${q}`).not.toContain(id);
  }

  it('the index stays exact through every kind of write', async () => {
    const admin = as.get('admin')!;
    await expectTermsExact();

    // Commands: create, rename, police number cleared and set again, a move with a rename (one UPDATE).
    const made = await admin.post('/api/people', { name: '索引甲Xy', orgUnitId: unit.get('HSQ-01')!.id, policeNo: 'Zq-901' });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    await expectTermsExact();
    await expectFound(id, ['索引甲', 'xy', 'zq-9', '甲']);
    expect((await admin.patch(`/api/people/${id}`, { name: '索引乙' })).status).toBe(200);
    await expectTermsExact();
    await expectFound(id, ['索引乙', 'zq'], ['索引甲', 'xy']);
    expect((await admin.patch(`/api/people/${id}`, { policeNo: null })).status).toBe(200);
    await expectTermsExact();
    await expectFound(id, ['索引乙'], ['zq', 'q']);
    expect((await admin.patch(`/api/people/${id}`, { policeNo: 'Wv-902' })).status).toBe(200);
    await expectTermsExact();
    await expectFound(id, ['wv-902', 'v'], ['zq']);
    expect((await admin.patch(`/api/people/${id}`, { name: '索引丙', orgUnitId: unit.get('NCX')!.id })).status).toBe(200);
    await expectTermsExact();
    await expectPages('unitadmin', { q: '索引' }, []);
    await expectPages('office', { q: '索引' }, [id]);

    // An org move rewrites the paths of a subtree, and so every sort_key there.
    const moved = unit.get('HSQ-02')!;
    expect((await admin.patch(`/api/org-units/${moved.id}`, { parentId: unit.get('NCX')!.id })).status).toBe(200);
    await expectTermsExact();
    const ncxPath = (await db().selectFrom('org_unit').select('path').where('id', '=', unit.get('NCX')!.id).executeTakeFirstOrThrow()).path;
    await expectPages('office', { q: 'a' }, await expected('a'));
    await expectPages('unitadmin', { q: 'a' }, await expected('a', { under: unit.get('HSQ')!.path }));
    await expectPages('office', { q: 'a', orgUnitId: unit.get('NCX')!.id }, await expected('a', { under: ncxPath }));

    // Delete.
    expect((await admin.delete(`/api/people/${id}`)).status).toBe(200);
    await expectTermsExact();
    await expectFound(id, [], ['索引丙']);

    // Excel import.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('干警');
    ws.addRow(['姓名', '单位编码', '警号']);
    ws.addRow(['导入检索甲', 'HSQ-01', 'Im-31']);
    ws.addRow(['导入检索乙', 'NCX', '']);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(Buffer.from(await wb.xlsx.writeBuffer()))]), 'people.xlsx');
    const imported = await admin.post('/api/people/import?mode=all', form);
    expect(imported.body).toMatchObject({ imported: 2, errors: [] });
    await expectTermsExact();
    await expectPages('office', { q: '导入检索' }, await expected('导入检索'));
    expect((await expected('导入检索')).length).toBe(2);

    // An operator's SQL: an insert without sort_key, a bad sort_key, name and unit in one statement, a delete.
    const now = new Date().toISOString();
    await db()
      .insertInto('person')
      .values({
        id: 'sql-person', name: '手写Sql', gender: null, birth_date: null, org_unit_id: unit.get('HSQ')!.id, post: null, party_org_id: null,
        police_no: 'Op-1', phone_enc: null, phone_masked: null, id_no_enc: null, id_no_masked: null, id_no_index: null,
        status: 'active', created_at: now, updated_at: now,
      })
      .execute();
    await expectTermsExact();
    await expectFound('sql-person', ['手写sql', 'op-1']);
    await db().updateTable('person').set({ sort_key: '/garbage/' }).where('id', '=', 'sql-person').execute();
    await expectTermsExact();
    await db().updateTable('person').set({ name: '手写改名', org_unit_id: unit.get('NCX')!.id }).where('id', '=', 'sql-person').execute();
    await expectTermsExact();
    await expectFound('sql-person', ['手写改名'], ['手写sql']);
    await db().updateTable('person').set({ police_no: sql`upper(police_no)` }).where('police_no', 'is not', null).execute();
    await expectTermsExact();
    await expectPages('office', { q: 'op-1' }, ['sql-person']);
    await db().deleteFrom('person').where('id', '=', 'sql-person').execute();
    await expectTermsExact();
  });

  it('the migration fills person_term from the people already there; its down step removes it all', async () => {
    const m = personTermsMigration(s.deps.dialect);
    await db().transaction().execute(async (trx) => {
      await m.down(trx);
      await m.up(trx);
    });
    await expectTermsExact();
    const made = await as.get('admin')!.post('/api/people', { name: '迁移后', orgUnitId: unit.get('HSQ')!.id });
    expect(made.status).toBe(201);
    await expectTermsExact();
    await expectPages('office', { q: '迁移后' }, [made.body.id]);
  });
});
