import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { rowCounts } from '../support/writes.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { sm3 } from '../../src/server/platform/crypto.js';
import { residentIdCheckChar } from '../../src/shared/validators.js';
import { creditCodeCheckChar } from '../../src/shared/schemas/commitments-labels.js';
import { addMonths, barUntil, drawSample } from '../../src/server/modules/commitments/commands.js';
import '../../src/server/modules/figures.js';

// 证明事项告知承诺制: every commitment is drawn for verification at once at its item's rate (a CSPRNG,
// the value kept); a false outcome lists the applicant, who is then refused the commitment route for
// the bar period; ID numbers are sealed, masked in every list and export, and never in the audit log.

function idNumber(serial: number) {
  const first17 = `150402198${String(serial % 10)}0${1 + (serial % 9)}1${serial % 9}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

function creditCode(serial: number) {
  const first17 = `91150402MA${String(serial).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

describe('the draw', () => {
  it('selects at the rate over 200,000 draws of the CSPRNG (within 4.5 sigma), never at 0 %, always at 100 %', () => {
    for (const rate of [5, 10, 37, 50]) {
      const n = 200_000;
      let drawn = 0;
      for (let i = 0; i < n; i++) if (drawSample(rate).drawn) drawn++;
      const sigma = Math.sqrt(n * (rate / 100) * (1 - rate / 100));
      expect(Math.abs(drawn - n * (rate / 100))).toBeLessThan(4.5 * sigma);
    }
    for (let i = 0; i < 1000; i++) {
      expect(drawSample(0).drawn).toBe(false);
      expect(drawSample(100).drawn).toBe(true);
    }
  });
});

describe('date arithmetic of the bar', () => {
  it('adds months clamped to the month end; the bar ends the day before the same date n months on', () => {
    expect(addMonths('2021-01-31', 1)).toBe('2021-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2021-11-15', 3)).toBe('2022-02-15');
    expect(barUntil('2021-06-10', 36)).toBe('2024-06-09');
    expect(barUntil('2021-12-31', 12)).toBe('2022-12-30');
  });
});

describe.each(targets())('notification-commitment on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  const unit: Record<string, string> = {};
  const db = () => s.deps.db;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin] = await Promise.all([s.as('office'), s.as('unitadmin')]);
    for (const u of await db().selectFrom('org_unit').select(['id', 'code']).where('code', 'in', ['CFSJ', 'HSQ', 'NCX']).execute()) unit[u.code!] = u.id;
  });
  afterAll(async () => s?.close());

  const item = (over: Record<string, unknown> = {}) => ({
    name: `测试事项${Math.random().toString(36).slice(2, 8)}`, department: 'notary', certificate: '亲属关系证明',
    legalBasis: '国办发〔2020〕42号', commitmentAllowed: true, samplingRate: 25, verifyDays: 20, barMonths: 12,
    template: '本人{applicant}因办理{business}，就“{item}”所需的{certificate}郑重承诺：所填信息真实、准确、完整。', ...over,
  });
  const newItem = async (over: Record<string, unknown> = {}) => {
    const r = await office.post('/api/commitments/items', item(over));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const commitment = (itemId: string, over: Record<string, unknown> = {}) => ({
    itemId, applicantKind: 'person', applicantName: '张三', applicantIdNo: idNumber(1), businessRef: '（2021）蒙赤红证字第0001号',
    orgUnitId: unit.HSQ, handledOn: '2026-11-20', ...over,
  });

  it('the demo: items, ~600 commitments drawn at their items’ rates, a few false ones listed; figures are counts', async () => {
    const items = (await office.get('/api/commitments/items')).body.items;
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(items.some((i: any) => !i.commitmentAllowed)).toBe(true);
    const total = Number((await db().selectFrom('cert_commitment').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    expect(total).toBeGreaterThanOrEqual(600);
    // Every stored draw agrees with its value and the rate in force.
    const wrong = await db().selectFrom('cert_commitment').select('id').where(sql<boolean>`(case when draw_value < sampling_rate * 100 then 1 else 0 end) <> drawn`).execute();
    expect(wrong).toEqual([]);
    const figures = (await collectStats(systemCtx(s.deps), ['commitments'])).commitments as { total: number; verified: number };
    const verified = Number((await db().selectFrom('cert_commitment').select(sql<number>`count(*)`.as('n')).where('verify_status', 'in', ['true', 'false']).executeTakeFirstOrThrow()).n);
    expect(figures).toEqual({ total, verified });
    const stats = (await office.get('/api/commitments/stats')).body;
    expect(stats.totals.total).toBe(total);
    expect(stats.totals.verified).toBe(verified);
    expect(stats.totals.false).toBeGreaterThan(0);
    const listed = (await office.get('/api/commitments/dishonesty?pageSize=100')).body;
    expect(listed.total).toBe(stats.totals.false);
    // unit_admin sees its county's share only, and the figures say the same.
    const hsqCount = Number((await db().selectFrom('cert_commitment').select(sql<number>`count(*)`.as('n'))
      .where('org_unit_id', 'in', db().selectFrom('org_unit').select('id').where('path', 'like', (await db().selectFrom('org_unit').select('path').where('id', '=', unit.HSQ!).executeTakeFirstOrThrow()).path + '%'))
      .executeTakeFirstOrThrow()).n);
    expect((await unitadmin.get('/api/commitments?pageSize=1')).body.total).toBe(hsqCount);
    expect((await unitadmin.get('/api/commitments/stats')).body.totals.total).toBe(hsqCount);
  });

  it('registers a commitment: the signed text frozen with its SM3 digest, the draw kept, the ID number sealed and masked', async () => {
    const itemId = await newItem({ samplingRate: 100 });
    const before = await rowCounts(db(), 'cert_commitment');
    const r = await office.post('/api/commitments', commitment(itemId));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ drawn: true, samplingRate: 100, verifyDue: '2026-12-10' });
    expect(r.body.drawValue).toBeGreaterThanOrEqual(0);
    expect(r.body.drawValue).toBeLessThan(10_000);
    const one = (await office.get(`/api/commitments/${r.body.id}`)).body;
    expect(one.signedText).toContain('本人张三因办理（2021）蒙赤红证字第0001号');
    expect(one.digest).toBe(sm3(one.signedText));
    expect(one.applicantIdNo).toBe(`15${'*'.repeat(15)}${idNumber(1).slice(17)}`);
    const row = await db().selectFrom('cert_commitment').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(row.applicant_id_enc).not.toContain(idNumber(1));
    expect(s.deps.cipher.open(row.applicant_id_enc!)).toBe(idNumber(1));
    expect(await rowCounts(db(), 'cert_commitment')).toEqual({ cert_commitment: before.cert_commitment + 1, audit_log: before.audit_log + 1 });
    // An organisation's credit code is public: shown whole, nothing sealed.
    const org = await office.post('/api/commitments', commitment(itemId, { applicantKind: 'org', applicantName: '赤峰市某某法律服务所', applicantIdNo: creditCode(7) }));
    expect(org.status, JSON.stringify(org.body)).toBe(201);
    expect((await office.get(`/api/commitments/${org.body.id}`)).body.applicantIdNo).toBe(creditCode(7));
  });

  // 1,000 registered records on SQLite; on PostgreSQL (each one several round trips) 400 — the bound is
  // the binomial's at either size, and the draw itself is tested 200,000 times above.
  it('the sampling rate is honoured over many registered commitments (within 4.5 sigma of the binomial)', async () => {
    const rate = 20;
    const itemId = await newItem({ samplingRate: rate });
    const n = target === 'sqlite' ? 1000 : 400;
    let drawn = 0;
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, j) => office.post('/api/commitments', commitment(itemId, { applicantIdNo: idNumber(1000 + i + j), applicantName: `申请人${i + j}` }))),
      );
      for (const b of batch) {
        expect(b.status).toBe(201);
        if (b.body.drawn) drawn++;
        expect(b.body.drawn).toBe(b.body.drawValue < rate * 100);
      }
    }
    const sigma = Math.sqrt(n * (rate / 100) * (1 - rate / 100));
    expect(Math.abs(drawn - n * (rate / 100))).toBeLessThan(4.5 * sigma);
    // The statistics count exactly these, and the queue holds the drawn ones.
    const st = (await office.get('/api/commitments/stats')).body.items.find((i: any) => i.itemId === itemId);
    expect(st).toMatchObject({ total: n, drawn, verified: 0 });
    // Rate 0 never draws, rate 100 always.
    const never = await newItem({ samplingRate: 0 });
    for (let i = 0; i < 20; i++) expect((await office.post('/api/commitments', commitment(never, { applicantIdNo: idNumber(5000 + i) }))).body.drawn).toBe(false);
  }, 300_000);

  it('a false outcome lists the applicant; a listed applicant is refused for every item, nothing written; after the bar or once lifted, accepted', async () => {
    const itemId = await newItem({ samplingRate: 100, barMonths: 12 });
    const other = await newItem({ samplingRate: 0 });
    const liar = idNumber(777);
    const c = await office.post('/api/commitments', commitment(itemId, { applicantIdNo: liar, applicantName: '李四', handledOn: '2024-01-02' }));
    expect(c.status).toBe(201);
    // Refusals of the outcome itself first: nothing written.
    const c0 = await rowCounts(db(), 'cert_commitment', 'cert_dishonesty');
    for (const [body, field, status] of [
      [{ outcome: 'false', verifiedOn: '2023-12-31', method: 'records' }, 'verifiedOn', 400],
      [{ outcome: 'false', verifiedOn: '2026-12-31', method: 'records' }, 'verifiedOn', 400],
      [{ outcome: 'maybe', verifiedOn: '2024-01-10', method: 'records' }, 'outcome', 400],
    ] as const) {
      const r = await office.post(`/api/commitments/${c.body.id}/verification`, body);
      expect(r.status).toBe(status);
      expect(r.body.field).toBe(field);
    }
    expect(await rowCounts(db(), 'cert_commitment', 'cert_dishonesty')).toEqual(c0);
    const v = await office.post(`/api/commitments/${c.body.id}/verification`, { outcome: 'false', verifiedOn: '2024-01-10', method: 'records', note: '亲属关系与户籍档案不符' });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.dishonesty).toMatchObject({ listedOn: '2024-01-10', barUntil: '2025-01-09' });
    expect((await office.post(`/api/commitments/${c.body.id}/verification`, { outcome: 'true', verifiedOn: '2024-01-11', method: 'records' })).status).toBe(409);

    const c1 = await rowCounts(db(), 'cert_commitment', 'cert_dishonesty');
    for (const [id, on] of [[itemId, '2024-06-01'], [other, '2025-01-09'], [other, '2024-01-10']] as const) {
      const refused = await office.post('/api/commitments', commitment(id, { applicantIdNo: liar, handledOn: on }));
      expect(refused.status).toBe(409);
      expect(refused.body.field).toBe('applicantIdNo');
      expect(refused.body.message).toContain('失信名单（限制期至 2025-01-09）');
    }
    expect(await rowCounts(db(), 'cert_commitment', 'cert_dishonesty')).toEqual(c1);
    // Before the listing and after the bar: accepted.
    expect((await office.post('/api/commitments', commitment(other, { applicantIdNo: liar, handledOn: '2024-01-09' }))).status).toBe(201);
    expect((await office.post('/api/commitments', commitment(other, { applicantIdNo: liar, handledOn: '2025-01-10' }))).status).toBe(201);

    // A listing in force today, lifted early with a reason: accepted from then on.
    const d = await office.post('/api/commitments', commitment(itemId, { applicantIdNo: idNumber(778), handledOn: '2026-11-01' }));
    await office.post(`/api/commitments/${d.body.id}/verification`, { outcome: 'false', verifiedOn: '2026-11-10', method: 'inquiry' });
    expect((await office.post('/api/commitments', commitment(other, { applicantIdNo: idNumber(778) }))).status).toBe(409);
    const entry = (await office.get('/api/commitments/dishonesty?active=1&pageSize=200')).body.items.find((e: any) => e.commitmentId === d.body.id);
    expect(entry).toMatchObject({ active: true, barUntil: '2027-11-09', applicantIdNo: expect.stringMatching(/^15\*{15}/) });
    const l0 = await rowCounts(db(), 'cert_dishonesty');
    const bad = await office.post(`/api/commitments/dishonesty/${entry.id}/lift`, { reason: '短' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('reason');
    expect(await rowCounts(db(), 'cert_dishonesty')).toEqual(l0);
    // unit_admin (红山区 and below) may lift a 红山区 listing.
    expect((await unitadmin.post(`/api/commitments/dishonesty/${entry.id}/lift`, { reason: '申请人已补交真实证明材料，经研究同意提前移出。' })).status).toBe(200);
    expect((await office.post(`/api/commitments/dishonesty/${entry.id}/lift`, { reason: '再次移出的理由说明。' })).status).toBe(409);
    expect((await office.post('/api/commitments', commitment(other, { applicantIdNo: idNumber(778) }))).status).toBe(201);
    const lifted = (await office.get('/api/commitments/dishonesty?pageSize=200')).body.items.find((e: any) => e.id === entry.id);
    expect(lifted).toMatchObject({ active: false, liftedOn: '2026-11-23' });
  });

  it('refusals name the field and write nothing; scope limits what a county may register and see', async () => {
    const itemId = await newItem();
    const closed = await newItem({ commitmentAllowed: false });
    const c0 = await rowCounts(db(), 'cert_commitment', 'cert_item');
    const bad: [unknown, string, number][] = [
      [commitment(itemId, { applicantIdNo: '150402198001011234' }), 'applicantIdNo', 400],
      [commitment(itemId, { applicantKind: 'org', applicantIdNo: '91150402MA0000000X' }), 'applicantIdNo', 400],
      [commitment(itemId, { handledOn: '2026-11-24' }), 'handledOn', 400],
      [commitment(itemId, { handledOn: '2026-02-30' }), 'handledOn', 400],
      [commitment(closed), 'itemId', 400],
      [commitment('no-such-item'), 'itemId', 400],
      [commitment(itemId, { applicantName: '' }), 'applicantName', 400],
      [commitment(itemId, { businessRef: '' }), 'businessRef', 400],
    ];
    for (const [body, field, status] of bad) {
      const r = await office.post('/api/commitments', body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.field).toBe(field);
    }
    for (const [body, field] of [[item({ samplingRate: 101 }), 'samplingRate'], [item({ barMonths: 0 }), 'barMonths'], [item({ template: '太短' }), 'template']] as const) {
      const r = await office.post('/api/commitments/items', body);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(field);
    }
    // The catalogue is kept city-wide: a county's administrator may not change it.
    const keeper = await unitadmin.patch(`/api/commitments/items/${itemId}`, { samplingRate: 90 });
    expect(keeper.status).toBe(403);
    expect(keeper.body.message).toContain('市局统一维护');
    expect((await unitadmin.post('/api/commitments/items', item())).status).toBe(403);
    // A county may not register for another county.
    const out = await unitadmin.post('/api/commitments', commitment(itemId, { orgUnitId: unit.NCX, applicantIdNo: idNumber(9) }));
    expect(out.status).toBe(403);
    expect(await rowCounts(db(), 'cert_commitment', 'cert_item')).toEqual(c0);
    // …nor see its records.
    const ncx = await office.post('/api/commitments', commitment(itemId, { orgUnitId: unit.NCX, applicantIdNo: idNumber(10) }));
    expect((await unitadmin.get(`/api/commitments/${ncx.body.id}`)).status).toBe(404);
    expect((await unitadmin.get('/api/commitments?pageSize=200')).body.items.every((i: any) => i.orgUnitId !== unit.NCX)).toBe(true);
    // Catalogue edits are audited with before and after.
    expect((await office.patch(`/api/commitments/items/${itemId}`, { samplingRate: 30 })).status).toBe(200);
    const audit = await db().selectFrom('audit_log').select(['before_json', 'after_json']).where('entity_type', '=', 'cert_item').where('entity_id', '=', itemId).where('action', '=', 'update').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!).sampling_rate).toBe(25);
    expect(JSON.parse(audit.after_json!).sampling_rate).toBe(30);
  });

  it('ID numbers never appear in clear in a list, an export or the audit log', async () => {
    const itemId = await newItem({ samplingRate: 100 });
    const secret = idNumber(4242);
    const c = await office.post('/api/commitments', commitment(itemId, { applicantIdNo: secret }));
    await office.post(`/api/commitments/${c.body.id}/verification`, { outcome: 'false', verifiedOn: '2026-11-21', method: 'records' });
    const list = await office.get('/api/commitments?pageSize=200');
    expect(list.text).not.toContain(secret);
    expect(list.body.items.find((i: any) => i.id === c.body.id).applicantIdNo).toBe(`15${'*'.repeat(15)}${secret.slice(17)}`);
    expect((await office.get('/api/commitments/dishonesty?pageSize=200')).text).not.toContain(secret);
    const xlsx = await office.get(`/api/commitments/export?itemId=${itemId}`);
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const cells = wb.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells.join('|')).not.toContain(secret);
    expect(cells).toContain(`15${'*'.repeat(15)}${secret.slice(17)}`);
    const audits = await db().selectFrom('audit_log').select(['before_json', 'after_json']).where('entity_type', 'in', ['cert_commitment', 'cert_dishonesty']).execute();
    expect(audits.length).toBeGreaterThan(0);
    const index = s.deps.cipher.blindIndex(`person:${secret}`);
    for (const a of audits) {
      const t = `${a.before_json ?? ''}${a.after_json ?? ''}`;
      expect(t).not.toContain(secret);
      expect(t).not.toContain(index);
      expect(t).not.toContain('v1.');
    }
  });
});
