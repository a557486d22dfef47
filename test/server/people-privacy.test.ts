import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { isValidResidentId, residentIdCheckChar } from '../../src/shared/validators.js';

// The attacks an outside reviewer ran on officers' personal data, run again: a role without
// people:sensitive gathers everything it can read about one officer (list, detail, Excel export, and
// for the auditor the audit log) and tries to rebuild the resident ID number; a county's
// administrator probes ID numbers registered elsewhere.

/** What a reader put together about one person. */
interface Facts {
  masked: Set<string>;
  birth: Set<string>;
  gender: Set<string>;
  texts: string[];
}

/**
 * Every ID number consistent with the facts, given the strongest guess an attacker has: the
 * birthplace code is the unit's own county (it usually is). Returns how many remain possible.
 */
function candidates(f: Facts, region: string): number {
  let n = 0;
  const masks = [...f.masked];
  const births = [...f.birth];
  const genders = [...f.gender];
  for (let day = 1; day <= 31; day++) {
    for (const birth of births.length ? births : ['']) {
      // A full date pins the day; a month leaves all of them.
      const ym = birth.slice(0, 7);
      if (!/^\d{4}-\d{2}$/.test(ym)) return Infinity;
      if (birth.length === 10 && Number(birth.slice(8, 10)) !== day) continue;
      const ymd = `${ym.replace('-', '')}${String(day).padStart(2, '0')}`;
      for (let seq = 0; seq < 1000; seq++) {
        const first17 = `${region}${ymd}${String(seq).padStart(3, '0')}`;
        const id = first17 + residentIdCheckChar(first17);
        if (!isValidResidentId(id)) continue;
        if (genders.length && !genders.every((g) => (Number(id[16]) % 2 === 1 ? 'M' : 'F') === g)) continue;
        if (!masks.every((m) => m.length === 18 && [...m].every((c, i) => c === '*' || c === id[i]))) continue;
        n++;
      }
    }
  }
  return n;
}

async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, string>[] = [];
  ws.eachRow((r, i) => {
    if (i === 1) return;
    const v = (r.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, k) => [h, v[k] == null ? '' : String(v[k])])));
  });
  return rows;
}

describe.each(targets())('officers\' personal data on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  const region = '150402'; // 红山区
  const first17 = `${region}19860723041`;
  const idNo = first17 + residentIdCheckChar(first17);
  let personId: string;

  beforeAll(async () => {
    s = await startServer(target);
    admin = await s.as('admin');
    const unit = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ-01').executeTakeFirstOrThrow()).id;
    const r = await admin.post('/api/people', { name: '隐私测试甲', orgUnitId: unit, idNumber: idNo, phone: '13904761111' });
    expect(r.status).toBe(201);
    personId = r.body.id;
    // An edit too, so the audit log has before and after.
    expect((await admin.patch(`/api/people/${personId}`, { policeNo: '1504021' })).status).toBe(200);
  });
  afterAll(async () => s?.close());

  async function gather(c: Client, f: Facts) {
    const add = (p: any) => {
      if (!p) return;
      f.texts.push(JSON.stringify(p));
      if (p.idNumber) f.masked.add(p.idNumber);
      if (p.birthDate) f.birth.add(p.birthDate);
      if (p.gender) f.gender.add(p.gender);
    };
    const list = await c.get(`/api/people?q=${encodeURIComponent('隐私测试甲')}`);
    if (list.status === 200) for (const p of list.body.items) add(p);
    const detail = await c.get(`/api/people/${personId}`);
    if (detail.status === 200) add(detail.body);
    const exp = await c.get(`/api/people/export?q=${encodeURIComponent('隐私测试甲')}`);
    if (exp.status === 200) {
      for (const row of await readXlsx(exp.body)) {
        f.texts.push(JSON.stringify(row));
        if (row['身份证号']) f.masked.add(row['身份证号']);
        if (row['出生年月'] || row['出生日期']) f.birth.add(row['出生年月'] || row['出生日期']!);
        if (row['性别']) f.gender.add(row['性别'] === '男' ? 'M' : 'F');
      }
    }
    const audit = await c.get(`/api/audit-logs?entityType=person&entityId=${personId}&pageSize=50`);
    if (audit.status === 200) {
      f.texts.push(JSON.stringify(audit.body));
      for (const e of audit.body.items) {
        for (const snap of [e.before, e.after]) {
          if (!snap) continue;
          if (snap.id_no_masked) f.masked.add(snap.id_no_masked);
          if (typeof snap.birth_date === 'string' && /^\d{4}-\d{2}/.test(snap.birth_date)) f.birth.add(snap.birth_date);
          if (snap.gender) f.gender.add(snap.gender);
        }
      }
    }
  }

  it.each(['secadmin', 'cluehandler', 'unitadmin', 'office', 'auditor'])(
    '%s, without people:sensitive, cannot rebuild the ID number from all it can read',
    async (username) => {
      const c = await s.as(username);
      const me = await c.get('/api/me');
      expect(me.body.permissions).not.toContain('people:sensitive');
      const f: Facts = { masked: new Set(), birth: new Set(), gender: new Set(), texts: [] };
      await gather(c, f);
      // It did read something about the person (or, for the auditor, the audit of them).
      expect(f.texts.join('')).toMatch(/隐私测试甲|person/);
      const all = f.texts.join('\n');
      expect(all).not.toContain(idNo);
      expect(all).not.toContain(idNo.slice(6, 14)); // the birth date as digits
      expect(all).not.toContain('1986-07-23');
      expect(all).not.toContain('13904761111');
      // Even granting the birthplace, more than a thousand numbers fit what it saw.
      if (f.birth.size === 0) f.birth.add('1986-07'); // worst case: assume it knows the month anyway
      const n = candidates(f, region);
      expect(n).toBeGreaterThan(1000);
    },
  );

  it('the plain values, and the full birth date with them, only for people:sensitive on an audited request', async () => {
    const plain = await admin.get(`/api/people/${personId}?reveal=1`);
    expect(plain.body).toMatchObject({ idNumber: idNo, birthDate: '1986-07-23', revealed: true });
    expect(plain.headers.get('cache-control')).toBe('no-store');
    const masked = await admin.get(`/api/people/${personId}`);
    expect(masked.body.birthDate).toBe('1986-07');
    expect(masked.body.idNumber).toBe(`15${'*'.repeat(15)}${idNo[17]}`);
    const exp = await admin.get(`/api/people/export?sensitive=1&q=${encodeURIComponent('隐私测试甲')}`);
    expect(exp.headers.get('cache-control')).toBe('no-store');
    const [row] = await readXlsx(exp.body);
    expect(row).toMatchObject({ 身份证号: idNo, 出生日期: '1986-07-23' });
  });

  it('an ID number registered outside a county administrator\'s scope: refused without saying to whom or where', async () => {
    const ua = await s.as('unitadmin');
    const ncxUnit = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'NCX').executeTakeFirstOrThrow()).id;
    const hsqUnit = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow()).id;
    const elsewhere17 = '15042919791102035';
    const elsewhere = elsewhere17 + residentIdCheckChar(elsewhere17);
    expect((await admin.post('/api/people', { name: '宁城干警乙', orgUnitId: ncxUnit, idNumber: elsewhere })).status).toBe(201);
    const before = (await s.deps.db.selectFrom('person').select(s.deps.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const probe = await ua.post('/api/people', { name: '探测', orgUnitId: hsqUnit, idNumber: elsewhere });
    expect(probe.status).toBe(409);
    expect(probe.body.field).toBe('idNumber');
    expect(probe.text).not.toContain('宁城');
    expect(probe.text).not.toContain('其他干警');
    expect(probe.text).not.toContain('已登记');
    // The same answer an unregistered-but-refused number would get: no detail at all.
    expect(probe.body.message).toMatch(/^身份证号：该身份证号无法登记/);
    // Nor through the import's row report.
    // Inside its scope it is told whom the number belongs to (it can see that person anyway).
    const mine17 = '15040219880808021';
    const mine = mine17 + residentIdCheckChar(mine17);
    expect((await ua.post('/api/people', { name: '红山干警丙', orgUnitId: hsqUnit, idNumber: mine })).status).toBe(201);
    const dup = await ua.post('/api/people', { name: '探测二', orgUnitId: hsqUnit, idNumber: mine });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain('红山干警丙');
    const after = (await s.deps.db.selectFrom('person').select(s.deps.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after)).toBe(Number(before) + 1);
  });
});
