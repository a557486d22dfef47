import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { startServer, type TestServer, type Client } from '../support/http.js';
import { targets } from '../support/db.js';
import { rowCounts } from '../support/writes.js';
import { isValidResidentId, maskResidentId, residentIdCheckChar } from '../../src/shared/validators.js';

const HEADERS = ['姓名', '单位编码', '所在单位', '职务', '党组织', '警号', '手机号', '身份证号', '状态'];

/** A valid ID number outside the demo's range (born in 2000, Beijing division). */
function idNumber(serial: number) {
  const first17 = `1101052000${String(1 + (serial % 12)).padStart(2, '0')}${String(1 + (serial % 28)).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}
/** Same digits, wrong check character. */
function badChecksum(id: string) {
  const c = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + (c === residentIdCheckChar(id.slice(0, 17)) ? '2' : c);
}

async function xlsx(rows: (string | number)[][], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('干警');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(data: Buffer, filename = 'people.xlsx') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), filename);
  return form;
}

async function readBack(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, string>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const o: Record<string, string> = {};
    header.forEach((h, i) => (o[h] = row.getCell(i + 1).value == null ? '' : String(row.getCell(i + 1).value)));
    rows.push(o);
  });
  return { header, rows };
}

describe.each(targets())('people on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  let unitId: string;
  beforeAll(async () => {
    s = await startServer(target);
    admin = await s.as('admin');
    unitId = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ-01').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const people = async () => Number((await db().selectFrom('person').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const audits = async () => Number((await db().selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const byName = (name: string) => db().selectFrom('person').selectAll().where('name', '=', name).execute();
  const byId = (id: string) => db().selectFrom('person').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** People, party organisations and the audit log: what a refused people command must leave alone. */
  const written = () => rowCounts(db(), 'person', 'org_unit', 'party_org');

  describe('create', () => {
    it('refuses an ID number with a wrong check digit: 400 naming 身份证号, nothing written', async () => {
      const before = await people();
      const auditBefore = await audits();
      const r = await admin.post('/api/people', { name: '校验甲', orgUnitId: unitId, idNumber: badChecksum(idNumber(1)) });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('idNumber');
      expect(r.body.message).toContain('身份证号');
      expect(r.body.message).toContain('校验');
      expect(await people()).toBe(before);
      expect(await audits()).toBe(auditBefore);
      expect(await byName('校验甲')).toHaveLength(0);
    });

    it('refuses a malformed phone number: 400 naming 手机号, nothing written', async () => {
      const before = await people();
      const all = await written();
      const r = await admin.post('/api/people', { name: '校验乙', orgUnitId: unitId, phone: '1380013800' });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('phone');
      expect(r.body.message).toContain('手机号');
      expect(await people()).toBe(before);
      expect(await written()).toEqual(all);
      expect(await byName('校验乙')).toHaveLength(0);
    });

    it('names the field for other bad input too, writing nothing', async () => {
      const before = await written();
      const noName = await admin.post('/api/people', { orgUnitId: unitId });
      expect(noName.status).toBe(400);
      expect(noName.body.field).toBe('name');
      expect(noName.body.message).toContain('姓名');
      const badStatus = await admin.post('/api/people', { name: '校验丙', orgUnitId: unitId, status: 'dead' });
      expect(badStatus.status).toBe(400);
      expect(badStatus.body.message).toContain('状态');
      const noUnit = await admin.post('/api/people', { name: '校验丁', orgUnitId: 'no-such-unit' });
      expect(noUnit.status).toBeGreaterThanOrEqual(400);
      expect(noUnit.status).toBeLessThan(500);
      expect(await written()).toEqual(before);
      expect(await byName('校验丙')).toHaveLength(0);
      expect(await byName('校验丁')).toHaveLength(0);
    });

    it('stores a valid person with ID number and phone encrypted, lists them masked', async () => {
      const id = idNumber(2);
      const r = await admin.post('/api/people', {
        name: '加密甲', orgUnitId: unitId, idNumber: id, phone: '13912345678', post: 'staff', policeNo: '1500001',
      });
      expect(r.status).toBe(201);
      const [row] = await byName('加密甲');
      expect(row).toBeDefined();
      expect(row!.id_no_enc).toBeTruthy();
      expect(row!.id_no_enc).not.toContain(id);
      expect(row!.id_no_enc).not.toContain(id.slice(6, 14));
      expect(row!.phone_enc).not.toContain('13912345678');
      expect(row!.id_no_index).not.toContain(id);
      expect(row!.birth_date).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
      expect(row!.gender).toBe(Number(id[16]) % 2 ? 'M' : 'F');

      const list = await admin.get(`/api/people?q=${encodeURIComponent('加密甲')}`);
      expect(list.body.total).toBe(1);
      const item = list.body.items[0];
      expect(item.idNumber).toMatch(/^\d{2}\*{15}[\dX]$/);
      // 出生年月 only: the full birth date is digits 7–14 of the number.
      expect(item.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}`);
      expect(item.idNumber).toBe(maskResidentId(id));
      expect(item.phone).toBe('139****5678');
      expect(item.orgUnitName).toBe('文钟司法所');
      expect(JSON.stringify(list.body)).not.toContain(id);

      const detail = await admin.get(`/api/people/${r.body.id}`);
      expect(detail.body.idNumber).toBe(maskResidentId(id));
      expect(detail.body.revealed).toBe(false);
    });

    it('reveals the plain values to a holder of people:sensitive, and audits the read', async () => {
      const id = idNumber(3);
      const r = await admin.post('/api/people', { name: '明文甲', orgUnitId: unitId, idNumber: id, phone: '13711112222' });
      const before = await audits();
      const shown = await admin.get(`/api/people/${r.body.id}?reveal=1`);
      expect(shown.status).toBe(200);
      expect(shown.body.idNumber).toBe(id);
      expect(shown.body.phone).toBe('13711112222');
      expect(shown.body.revealed).toBe(true);
      expect(shown.body.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
      expect(await audits()).toBe(before + 1);
      const e = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(e.action).toBe('read_protected');
      expect(e.entity_type).toBe('person');
      expect(e.entity_id).toBe(r.body.id);
      expect(e.actor_name).toContain('admin');
    });

    it('refuses reveal to those without people:sensitive', async () => {
      const officer = await s.as('officer');
      const office = await s.as('office');
      const me = await officer.get('/api/me');
      const before = await audits();
      const own = await officer.get(`/api/people/${me.body.user.personId}?reveal=1`);
      expect(own.status).toBe(403);
      expect(own.body.message).toContain('明文');
      const other = await office.get(`/api/people/${me.body.user.personId}?reveal=1`);
      expect(other.status).toBe(403);
      expect(await audits()).toBe(before);
    });

    it('refuses a duplicate ID number with 409, in either letter case', async () => {
      const base = '11010519491231002X';
      expect(isValidResidentId(base)).toBe(true);
      expect((await admin.post('/api/people', { name: '重复甲', orgUnitId: unitId, idNumber: base })).status).toBe(201);
      const other = await admin.post('/api/people', { name: '重复丁', orgUnitId: unitId });
      expect(other.status).toBe(201);
      const otherRow = await byId(other.body.id);
      const before = await people();
      const all = await written();
      const dup = await admin.post('/api/people', { name: '重复乙', orgUnitId: unitId, idNumber: base });
      expect(dup.status).toBe(409);
      expect(dup.body.field).toBe('idNumber');
      expect(dup.body.message).toContain('身份证号');
      const lower = await admin.post('/api/people', { name: '重复丙', orgUnitId: unitId, idNumber: base.toLowerCase() });
      expect(lower.status).toBe(409);
      // Nor by editing another person.
      const patch = await admin.patch(`/api/people/${other.body.id}`, { idNumber: base });
      expect(patch.status).toBe(409);
      expect(await people()).toBe(before);
      expect(await written()).toEqual(all);
      expect(await byId(other.body.id)).toEqual(otherRow);
      expect(await byName('重复乙')).toHaveLength(0);
      expect(await byName('重复丙')).toHaveLength(0);
    });

    it('keeps posts as dictionary codes: a label is stored as its code, an unknown post is refused', async () => {
      const byLabel = await admin.post('/api/people', { name: '职务甲', orgUnitId: unitId, post: '司法助理员' });
      expect(byLabel.status).toBe(201);
      expect((await byName('职务甲'))[0]!.post).toBe('judicial_assistant');
      const before = await people();
      let all = await written();
      const unknown = await admin.post('/api/people', { name: '职务乙', orgUnitId: unitId, post: '大队长' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.field).toBe('post');
      expect(unknown.body.message).toContain('职务');
      expect(await people()).toBe(before);
      expect(await written()).toEqual(all);
      const patched = await admin.patch(`/api/people/${byLabel.body.id}`, { post: '所长' });
      expect(patched.status).toBe(200);
      expect((await byName('职务甲'))[0]!.post).toBe('office_director');
      const row = await byId(byLabel.body.id);
      all = await written();
      expect((await admin.patch(`/api/people/${byLabel.body.id}`, { post: '大队长' })).status).toBe(400);
      expect(await byId(byLabel.body.id)).toEqual(row);
      expect(await written()).toEqual(all);
      expect((await admin.patch(`/api/people/${byLabel.body.id}`, { post: null })).status).toBe(200);
      expect((await byName('职务甲'))[0]!.post).toBeNull();
    });

    it('edits, clears and deletes', async () => {
      const r = await admin.post('/api/people', { name: '修改甲', orgUnitId: unitId, phone: '13600001111' });
      const patched = await admin.patch(`/api/people/${r.body.id}`, { phone: '', status: 'retired' });
      expect(patched.status).toBe(200);
      const [row] = await byName('修改甲');
      expect(row!.phone_enc).toBeNull();
      expect(row!.phone_masked).toBeNull();
      expect(row!.status).toBe('retired');
      expect((await admin.delete(`/api/people/${r.body.id}`)).status).toBe(200);
      expect(await byName('修改甲')).toHaveLength(0);
      // A person with an account cannot be deleted.
      const officerPerson = await db().selectFrom('app_user').select('person_id').where('username', '=', 'officer').executeTakeFirstOrThrow();
      const officerRow = await byId(officerPerson.person_id!);
      const all = await written();
      const del = await admin.delete(`/api/people/${officerPerson.person_id}`);
      expect(del.status).toBe(409);
      expect(await written()).toEqual(all);
      expect(await byId(officerPerson.person_id!)).toEqual(officerRow);
    });
  });

  describe('list', () => {
    it('searches by name or police number, treating % and _ literally', async () => {
      const made = await admin.post('/api/people', { name: '百分_号%甲', orgUnitId: unitId, policeNo: 'P_100%' });
      expect(made.status).toBe(201);
      const total = (await admin.get('/api/people?pageSize=1')).body.total;
      for (const q of ['%', '_', '号%', '分_']) {
        const r = await admin.get(`/api/people?q=${encodeURIComponent(q)}`);
        expect(r.status).toBe(200);
        expect(r.body.items.map((p: any) => p.name)).toEqual(['百分_号%甲']);
      }
      expect((await admin.get(`/api/people?q=${encodeURIComponent('p_100')}`)).body.total).toBe(1);
      expect((await admin.get(`/api/people?q=${encodeURIComponent('\\')}`)).body.total).toBe(0);
      expect((await admin.get('/api/people?q=')).body.total).toBe(total);
    });

    it('pages through everyone exactly once, in a stable order', async () => {
      const total = (await admin.get('/api/people?pageSize=1')).body.total;
      const seen = new Set<string>();
      for (let page = 1; page <= Math.ceil(total / 200); page++) {
        const r = await admin.get(`/api/people?pageSize=200&page=${page}`);
        for (const p of r.body.items) seen.add(p.id);
      }
      expect(seen.size).toBe(total);
      const tooBig = await admin.get('/api/people?pageSize=500');
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.message).toContain('每页条数');
    });
  });

  describe('Excel import', () => {
    const good = (n: number, prefix: string, serialBase: number) =>
      Array.from({ length: n }, (_, i) => [
        `${prefix}${i + 1}`, 'HSQ-01', '', '科员', '红山区司法局机关党支部', `16${serialBase + i}`, `1350000${String(serialBase + i).padStart(4, '0')}`,
        idNumber(serialBase + i), '在职',
      ]);

    it('imports an all-good file, mapping labels to codes', async () => {
      const before = await people();
      const rows = good(3, '导入甲', 100);
      rows[1]![3] = 'judicial_assistant'; // a code is accepted as well as a label
      rows[2]![1] = '';
      rows[2]![2] = '红山区司法局'; // unit by name when no code
      rows[2]![8] = '退休';
      const auditBefore = await audits();
      const r = await admin.post('/api/people/import', upload(await xlsx(rows)));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ imported: 3, errors: [], totalRows: 3 });
      expect(await people()).toBe(before + 3);
      expect(await audits()).toBe(auditBefore + 1);

      const [p1] = await byName('导入甲1');
      expect(p1!.post).toBe('staff');
      expect(p1!.org_unit_id).toBe(unitId);
      expect(p1!.party_org_id).toBeTruthy();
      expect(p1!.status).toBe('active');
      expect(p1!.id_no_masked).toBe(maskResidentId(idNumber(100)));
      expect(p1!.id_no_enc).not.toContain(idNumber(100));
      expect(s.deps.cipher.open(p1!.id_no_enc!)).toBe(idNumber(100));
      expect(s.deps.cipher.open(p1!.phone_enc!)).toBe('13500000100');
      const [p2] = await byName('导入甲2');
      expect(p2!.post).toBe('judicial_assistant');
      const [p3] = await byName('导入甲3');
      expect(p3!.status).toBe('retired');
      const hsq = await db().selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow();
      expect(p3!.org_unit_id).toBe(hsq.id);
      const e = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(e.action).toBe('import');
      expect(e.entity_type).toBe('person');
    });

    it('mode=all: one bad row and nothing is imported; the row, field and message are reported', async () => {
      const rows = good(4, '导入乙', 200);
      rows[2]![7] = badChecksum(idNumber(202)); // Excel row 4
      const before = await people();
      const auditBefore = await audits();
      const r = await admin.post('/api/people/import?mode=all', upload(await xlsx(rows)));
      expect(r.status).toBe(200);
      expect(r.body.imported).toBe(0);
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors[0]).toMatchObject({ row: 4, field: '身份证号' });
      expect(r.body.errors[0].message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await people()).toBe(before);
      expect(await audits()).toBe(auditBefore);
      expect(await byName('导入乙1')).toHaveLength(0);
    });

    it('reports every kind of bad row against its column', async () => {
      const rows = good(7, '导入丙', 300);
      rows[0]![3] = '大队长'; // not a post in the dictionary
      rows[1]![1] = 'NOPE-99'; // unknown unit code
      rows[2]![6] = '12345'; // bad phone
      rows[3]![0] = ''; // no name
      rows[4]![8] = '失踪'; // bad status
      rows[5]![7] = idNumber(300); // same ID number as row 2
      rows[6]![1] = 'NCX-01'; // fine for admin
      const r = await admin.post('/api/people/import?dryRun=1', upload(await xlsx(rows)));
      expect(r.status).toBe(200);
      const byRow = (row: number) => r.body.errors.filter((e: any) => e.row === row).map((e: any) => e.field);
      expect(byRow(2)).toEqual(['职务']);
      expect(byRow(3)).toEqual(['单位编码']);
      expect(byRow(4)).toEqual(['手机号']);
      expect(byRow(5)).toEqual(['姓名']);
      expect(byRow(6)).toEqual(['状态']);
      expect(byRow(7)).toEqual(['身份证号']);
      expect(byRow(8)).toEqual([]);
      expect(r.body.errors.find((e: any) => e.row === 2).message).toContain('大队长');
    });

    it('refuses rows outside a unit admin’s scope', async () => {
      const unitadmin = await s.as('unitadmin');
      const rows = good(2, '导入丁', 400);
      rows[1]![1] = 'NCX-01';
      const r = await unitadmin.post('/api/people/import?mode=good_rows', upload(await xlsx(rows)));
      expect(r.status).toBe(200);
      expect(r.body.imported).toBe(1);
      expect(r.body.errors).toEqual([expect.objectContaining({ row: 3, field: '所在单位' })]);
      expect(await byName('导入丁2')).toHaveLength(0);
    });

    it('mode=good_rows imports the good rows and reports the bad', async () => {
      const registered = await admin.post('/api/people', { name: '已登记戊', orgUnitId: unitId, idNumber: idNumber(800) });
      expect(registered.status).toBe(201);
      const rows = good(5, '导入戊', 500);
      rows[1]![6] = '999'; // row 3 bad phone
      rows[3]![7] = idNumber(800); // row 5: already registered
      const before = await people();
      const r = await admin.post('/api/people/import?mode=good_rows', upload(await xlsx(rows)));
      expect(r.status).toBe(200);
      expect(r.body.imported).toBe(3);
      expect(r.body.skipped).toBe(2);
      expect(r.body.errors.map((e: any) => [e.row, e.field])).toEqual([[3, '手机号'], [5, '身份证号']]);
      expect(await people()).toBe(before + 3);
      expect(await byName('导入戊2')).toHaveLength(0);
      expect(await byName('导入戊4')).toHaveLength(0);
      expect(await byName('导入戊5')).toHaveLength(1);
    });

    it('dryRun=1 checks but writes nothing', async () => {
      const before = await people();
      const auditBefore = await audits();
      const r = await admin.post('/api/people/import?dryRun=1&mode=good_rows', upload(await xlsx(good(3, '导入己', 600))));
      expect(r.status).toBe(200);
      expect(r.body.dryRun).toBe(true);
      expect(r.body.errors).toEqual([]);
      expect(r.body.imported).toBe(0);
      expect(await people()).toBe(before);
      expect(await audits()).toBe(auditBefore);
    });

    it('refuses what is not an .xlsx workbook with 400 naming the file, writing nothing', async () => {
      const before = await written();
      const text = await admin.post('/api/people/import', upload(Buffer.from('姓名,单位编码\n张三,HSQ-01\n'), 'people.csv'));
      expect(text.status).toBe(400);
      expect(text.body.field).toBe('file');
      expect(text.body.message).toContain('xlsx');
      const fake = await admin.post('/api/people/import', upload(Buffer.from('this is not a zip'), 'people.xlsx'));
      expect(fake.status).toBe(400);
      expect(fake.body.field).toBe('file');
      expect(fake.body.message).toContain('Excel');
      const noHeaders = await admin.post('/api/people/import', upload(await xlsx([['x', 'y']], ['甲', '乙'])));
      expect(noHeaders.status).toBe(400);
      expect(noHeaders.body.message).toContain('模板');
      const empty = await admin.post('/api/people/import', upload(await xlsx([])));
      expect(empty.status).toBe(400);
      const json = await admin.post('/api/people/import', { file: 'x' });
      expect(json.status).toBe(400);
      expect(json.body.field).toBe('file');
      // Broken multipart bodies (a cut-off upload, no boundary) are the client's error, not a 500.
      for (const [body, type] of [
        ['--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK', 'multipart/form-data; boundary=x'],
        ['whatever', 'multipart/form-data'],
      ]) {
        const r = await fetch(`${s.url}/api/people/import`, {
          method: 'POST',
          headers: { cookie: `rectify_sid=${admin.cookies.get('rectify_sid')}`, 'x-csrf-token': admin.csrf!, 'content-type': type! },
          body,
        });
        expect(r.status).toBe(400);
        const out = await r.json();
        expect(out.field).toBe('file');
        expect(out.message).toContain('文件');
      }
      expect(await written()).toEqual(before);
    });

    it('the template round-trips through the importer', async () => {
      const t = await admin.get('/api/people/import-template');
      expect(t.status).toBe(200);
      expect(t.headers.get('content-type')).toContain('spreadsheetml');
      const { header } = await readBack(t.body);
      expect(header).toEqual(HEADERS);
      const r = await admin.post('/api/people/import?dryRun=1', upload(t.body));
      expect(r.status).toBe(200);
      expect(r.body.errors).toEqual([]);
    });

    it('only people:import may import; nothing written', async () => {
      const office = await s.as('office');
      const before = await written();
      const r = await office.post('/api/people/import', upload(await xlsx(good(1, '导入庚', 700))));
      expect(r.status).toBe(403);
      expect(await written()).toEqual(before);
      expect(await byName('导入庚1')).toHaveLength(0);
    });
  });

  describe('Excel export', () => {
    it('exports a real workbook, masked, with post labels', async () => {
      expect((await admin.post('/api/people', { name: '导出甲', orgUnitId: unitId, post: 'staff', status: 'active' })).status).toBe(201);
      const r = await admin.get('/api/people/export');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('spreadsheetml');
      expect(r.headers.get('content-disposition')).toContain('attachment');
      const { header, rows } = await readBack(r.body);
      expect(header).toEqual(expect.arrayContaining(['姓名', '所在单位', '职务', '手机号', '身份证号', '状态']));
      expect(rows.length).toBe(await people());
      for (const row of rows) {
        if (row["身份证号"]) expect(row["身份证号"]).toMatch(/^\d{2}\*{15}[\dX]$/);
        if (row['手机号']) expect(row['手机号']).toContain('****');
      }
      const imported = rows.find((x) => x['姓名'] === '导出甲')!;
      expect(imported['职务']).toBe('科员');
      expect(rows.some((x) => /^[a-z_]+$/.test(x['职务']!))).toBe(false);
      expect(imported['状态']).toBe('在职');
    });

    it('filters the export like the list', async () => {
      const list = await admin.get(`/api/people?status=retired&pageSize=1`);
      const r = await admin.get('/api/people/export?status=retired');
      const { rows } = await readBack(r.body);
      expect(rows.length).toBe(list.body.total);
      expect(rows.every((x) => x['状态'] === '退休')).toBe(true);
    });

    it('sensitive=1: plain values for people:sensitive, audited', async () => {
      expect((await admin.post('/api/people', { name: '导出乙', orgUnitId: unitId, idNumber: idNumber(810) })).status).toBe(201);
      const before = await audits();
      const r = await admin.get('/api/people/export?sensitive=1');
      expect(r.status).toBe(200);
      const { rows } = await readBack(r.body);
      const withId = rows.filter((x) => x['身份证号']);
      expect(withId.length).toBeGreaterThan(800);
      for (const x of withId) expect(isValidResidentId(x['身份证号']!)).toBe(true);
      expect(rows.find((x) => x['姓名'] === '导出乙')!['身份证号']).toBe(idNumber(810));
      expect(await audits()).toBe(before + 1);
      const e = await db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(e.action).toBe('read_protected');
      expect(e.entity_type).toBe('person');
      expect(e.after_json).toContain('export');
    });

    it('refuses the export to an officer, and plain values to 整顿办', async () => {
      const officer = await s.as('officer');
      const office = await s.as('office');
      const before = await audits();
      expect((await officer.get('/api/people/export')).status).toBe(403);
      expect((await office.get('/api/people/export?sensitive=1')).status).toBe(403);
      expect(await audits()).toBe(before);
      expect((await office.get('/api/people/export')).status).toBe(200);
    });
  });
});
