import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { rowCounts } from '../support/writes.js';
import { caseDeadlines, naturalDaysDeadline } from '../../src/server/modules/cases/deadlines.js';
import { calendarFrom, CN_2026_HOLIDAYS, CN_2026_MAKEUP_WORKDAYS, EMPTY_CALENDAR } from '../../src/server/platform/workdays.js';
import { creditCodeCheckChar } from '../../src/shared/schemas/commitments-labels.js';

// 案件受理: 行政复议 (5 working days to decide on acceptance, then 60 natural days, extendable once by at
// most 30) and 企业矛盾纠纷调解 (30 days by default); a deadline landing on a weekend or public holiday
// rolls to the next working day. Open cases past their running deadline are overdue.

const CAL_2026 = calendarFrom(CN_2026_HOLIDAYS.map(([d]) => d), CN_2026_MAKEUP_WORKDAYS.map(([d]) => d));

describe('deadline arithmetic', () => {
  it('60 natural days after acceptance, the acceptance day not counted', () => {
    // 2027-01-22 is a Friday.
    expect(caseDeadlines({ kind: 'reconsideration', receivedOn: '2026-11-20', acceptedOn: '2026-11-23' }, CAL_2026).decisionDue).toBe('2027-01-22');
    expect(naturalDaysDeadline('2021-01-01', 60, EMPTY_CALENDAR)).toBe('2021-03-02');
  });
  it('a last day on a public holiday or a weekend rolls to the next working day', () => {
    // Day 60 is 2026-05-01, the first day of the 劳动节 holiday (05-01…05-05): due 05-06.
    expect(naturalDaysDeadline('2026-03-02', 60, CAL_2026)).toBe('2026-05-06');
    // 30 days after 09-05 is 10-05, inside 国庆节 (10-01…10-07): due 10-08.
    expect(caseDeadlines({ kind: 'mediation', receivedOn: '2026-09-05' }, CAL_2026).decisionDue).toBe('2026-10-08');
    // A Sunday: the Monday.
    expect(caseDeadlines({ kind: 'mediation', receivedOn: '2026-11-20' }, CAL_2026).decisionDue).toBe('2026-12-21');
  });
  it('the extension adds at most 30 days once, counted on from the 60, then rolls', () => {
    // 90 days after 2026-11-15 is Saturday 2027-02-13: due Monday 02-15.
    expect(caseDeadlines({ kind: 'reconsideration', receivedOn: '2026-11-13', acceptedOn: '2026-11-15', extensionDays: 30 }, CAL_2026).decisionDue).toBe('2027-02-15');
    expect(() => caseDeadlines({ kind: 'reconsideration', receivedOn: '2026-11-13', acceptedOn: '2026-11-15', extensionDays: 31 }, CAL_2026)).toThrow();
  });
  it('across the year boundary, with the next year’s holidays when the calendar holds them', () => {
    // 60 days after 2026-11-02 is Friday 2027-01-01: the 2026 calendar does not know 2027's 元旦…
    expect(naturalDaysDeadline('2026-11-02', 60, CAL_2026)).toBe('2027-01-01');
    // …once 2027's holidays are entered (数据字典), it rolls past them and the weekend to Monday 01-04.
    const with2027 = calendarFrom([...CAL_2026.holidays, '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(naturalDaysDeadline('2026-11-02', 60, with2027)).toBe('2027-01-04');
    expect(naturalDaysDeadline('2021-12-01', 30, EMPTY_CALENDAR)).toBe('2021-12-31');
  });
  it('the acceptance review: 5 working days, holidays skipped and make-up working days counted', () => {
    // Received 09-30: 10-01…10-07 off; 10-08, 10-09, Saturday 10-10 (调休上班), 10-12, 10-13.
    expect(caseDeadlines({ kind: 'reconsideration', receivedOn: '2026-09-30' }, CAL_2026).acceptDue).toBe('2026-10-13');
    expect(caseDeadlines({ kind: 'reconsideration', receivedOn: '2026-11-20' }, CAL_2026).acceptDue).toBe('2026-11-27');
  });
});

function creditCode(serial: number) {
  const first17 = `91150402MA${String(serial).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

describe.each(targets())('case intake on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  const unit: Record<string, string> = {};
  let hsqPerson: string;
  let ncxPerson: string;
  const db = () => s.deps.db;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin] = await Promise.all([s.as('office'), s.as('unitadmin')]);
    for (const u of await db().selectFrom('org_unit').select(['id', 'code']).where('code', 'in', ['CFSJ', 'HSQ', 'NCX']).execute()) unit[u.code!] = u.id;
    hsqPerson = (await db().selectFrom('person').select('id').where('org_unit_id', '=', unit.HSQ!).orderBy('id').executeTakeFirstOrThrow()).id;
    ncxPerson = (await db().selectFrom('person').select('id').where('org_unit_id', '=', unit.NCX!).orderBy('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  const recon = (over: Record<string, unknown> = {}) => ({
    caseNo: '赤红复〔2026〕1号', applicant: '王某某', respondent: '赤峰市红山区市场监督管理局', act: '行政处罚决定（罚款人民币二万元）',
    request: '请求撤销行政处罚决定', receivedOn: '2026-11-20', orgUnitId: unit.HSQ, ...over,
  });
  const mediation = (over: Record<string, unknown> = {}) => ({
    parties: [{ name: '赤峰市红山鑫源商贸有限公司', code: creditCode(1) }, { name: '赤峰市红山宏达物流有限公司', code: creditCode(2) }],
    disputeType: 'contract', amount: 120000, summary: '双方因运输合同运费结算发生争议。', mediatorPersonId: hsqPerson, orgUnitId: unit.HSQ,
    receivedOn: '2026-11-20', ...over,
  });

  it('the demo: ~40 reconsiderations and ~60 mediations, the open ones overdue, counted in scope', async () => {
    const r = (await office.get('/api/cases/reconsiderations?pageSize=1')).body;
    const m = (await office.get('/api/cases/mediations?pageSize=1')).body;
    expect(r.total).toBeGreaterThanOrEqual(35);
    expect(m.total).toBeGreaterThanOrEqual(50);
    const overdue = (await office.get('/api/cases/overdue')).body;
    expect(overdue.reconsideration).toBeGreaterThan(0);
    expect(overdue.mediation).toBeGreaterThan(0);
    const shown = (await office.get('/api/cases/reconsiderations?overdue=1&pageSize=100')).body;
    expect(shown.total).toBe(overdue.reconsideration);
    expect(shown.items.every((c: any) => c.overdue && c.daysLeft < 0 && ['received', 'accepted'].includes(c.status))).toBe(true);
    const open = Number((await db().selectFrom('reconsideration_case').select(sql<number>`count(*)`.as('n')).where('status', 'in', ['received', 'accepted']).executeTakeFirstOrThrow()).n);
    expect(overdue.reconsideration).toBe(open);
    const closed = (await office.get('/api/cases/mediations?status=closed&pageSize=5')).body.items;
    expect(closed.every((c: any) => c.outcomeLabel && !c.overdue)).toBe(true);
  });

  it('a reconsideration: received, accepted (60 days), extended once, decided; deadlines computed; each step audited', async () => {
    const c = await unitadmin.post('/api/cases/reconsiderations', recon());
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.acceptDue).toBe('2026-11-27');
    const a0 = await rowCounts(db(), 'reconsideration_case');
    const bad: [string, unknown, string, number][] = [
      ['acceptance', { accepted: false, decidedOn: '2026-11-23' }, 'reason', 400],
      ['acceptance', { accepted: true, decidedOn: '2026-11-19' }, 'decidedOn', 400],
      ['acceptance', { accepted: true, decidedOn: '2026-11-24' }, 'decidedOn', 400],
      ['extension', { days: 10, reason: '案情复杂需调查' }, 'days', 409],
      ['decision', { outcome: 'upheld', decidedOn: '2026-11-23' }, 'outcome', 409],
    ];
    for (const [step, body, field, status] of bad) {
      const r = await unitadmin.post(`/api/cases/reconsiderations/${c.body.id}/${step}`, body);
      expect(r.status, `${step} ${JSON.stringify(r.body)}`).toBe(status);
      expect(r.body.field).toBe(field);
    }
    expect(await rowCounts(db(), 'reconsideration_case')).toEqual(a0);
    const acc = await unitadmin.post(`/api/cases/reconsiderations/${c.body.id}/acceptance`, { accepted: true, decidedOn: '2026-11-23' });
    expect(acc.body).toMatchObject({ status: 'accepted', decisionDue: '2027-01-22', dueOn: '2027-01-22' });
    for (const [body, field, status] of [[{ days: 31, reason: '案情复杂需调查' }, 'days', 400], [{ days: 30, reason: '短' }, 'reason', 400]] as const) {
      const r = await unitadmin.post(`/api/cases/reconsiderations/${c.body.id}/extension`, body);
      expect(r.status).toBe(status);
      expect(r.body.field).toBe(field);
    }
    const ext = await unitadmin.post(`/api/cases/reconsiderations/${c.body.id}/extension`, { days: 30, reason: '案情复杂，需现场勘验。' });
    // 90 days after 11-23 is Sunday 2027-02-21: Monday 02-22.
    expect(ext.body).toMatchObject({ decisionDue: '2027-02-22' });
    const again = await unitadmin.post(`/api/cases/reconsiderations/${c.body.id}/extension`, { days: 5, reason: '再次延期的理由。' });
    expect(again.status).toBe(409);
    expect(again.body.field).toBe('days');
    const dec = await unitadmin.post(`/api/cases/reconsiderations/${c.body.id}/decision`, { outcome: 'revoked', decidedOn: '2026-11-23', note: '处罚依据不足。' });
    expect(dec.status).toBe(200);
    const one = (await unitadmin.get(`/api/cases/reconsiderations/${c.body.id}`)).body;
    expect(one).toMatchObject({ status: 'decided', outcomeLabel: '撤销', dueOn: null, overdue: false, extensionDays: 30 });
    const actions = (await db().selectFrom('audit_log').select('action').where('entity_id', '=', c.body.id).orderBy('seq').execute()).map((a) => a.action);
    expect(actions).toEqual(['create', 'accept', 'extend', 'decide']);
  });

  it('an open case past its running deadline is overdue, and leaves the warning once acted on', async () => {
    const before = (await office.get('/api/cases/overdue')).body.reconsideration;
    // Received Monday 11-02: acceptance due 11-09, passed.
    const c = await office.post('/api/cases/reconsiderations', recon({ receivedOn: '2026-11-02', caseNo: null }));
    expect(c.body.acceptDue).toBe('2026-11-09');
    expect((await office.get('/api/cases/overdue')).body.reconsideration).toBe(before + 1);
    const listed = (await office.get('/api/cases/reconsiderations?overdue=1&pageSize=200')).body.items.find((x: any) => x.id === c.body.id);
    expect(listed).toMatchObject({ overdue: true, daysLeft: -14, dueOn: '2026-11-09' });
    await office.post(`/api/cases/reconsiderations/${c.body.id}/acceptance`, { accepted: true, decidedOn: '2026-11-20' });
    expect((await office.get('/api/cases/overdue')).body.reconsideration).toBe(before);
    // The 60 days run out (2027-01-19): overdue again.
    // (Sessions time out across the jump: sign in afresh on either side of it.)
    clock.set(new Date('2027-01-20T02:00:00Z'));
    try {
      const later = await s.as('office');
      const again = (await later.get(`/api/cases/reconsiderations/${c.body.id}`)).body;
      expect(again).toMatchObject({ overdue: true, dueOn: '2027-01-19', daysLeft: -1 });
    } finally {
      clock.set(new Date('2026-11-23T02:00:00Z'));
      [office, unitadmin] = await Promise.all([s.as('office'), s.as('unitadmin')]);
    }
  });

  it('a mediation: 30 days rolled to a working day; the mediator must be in scope; closed with an outcome', async () => {
    const m0 = await rowCounts(db(), 'mediation_case');
    const bad: [Record<string, unknown>, string, number][] = [
      [mediation({ mediatorPersonId: ncxPerson }), 'mediatorPersonId', 400],
      [mediation({ parties: [{ name: '只有一方有限公司' }] }), 'parties', 400],
      [mediation({ parties: [{ name: '甲公司有限公司', code: '91150402MA0000000X' }, { name: '乙公司有限公司' }] }), 'parties.0.code', 400],
      [mediation({ receivedOn: '2026-11-24' }), 'receivedOn', 400],
      [mediation({ amount: -1 }), 'amount', 400],
      [mediation({ orgUnitId: unit.NCX, mediatorPersonId: hsqPerson }), 'orgUnitId', 403],
    ];
    for (const [body, field, status] of bad) {
      const r = await unitadmin.post('/api/cases/mediations', body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      if (status === 400) expect(r.body.field).toBe(field);
    }
    expect(await rowCounts(db(), 'mediation_case')).toEqual(m0);
    const c = await unitadmin.post('/api/cases/mediations', mediation());
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.deadline).toBe('2026-12-21');
    const custom = await unitadmin.post('/api/cases/mediations', mediation({ periodDays: 15 }));
    expect(custom.body.deadline).toBe('2026-12-07');
    const closed = await unitadmin.post(`/api/cases/mediations/${c.body.id}/close`, { outcome: 'success', closedOn: '2026-11-23', note: '达成调解协议。' });
    expect(closed.status).toBe(200);
    expect((await unitadmin.post(`/api/cases/mediations/${c.body.id}/close`, { outcome: 'failed', closedOn: '2026-11-23' })).status).toBe(409);
    const one = (await unitadmin.get(`/api/cases/mediations/${c.body.id}`)).body;
    expect(one).toMatchObject({ status: 'closed', outcomeLabel: '调解成功', amount: 120000, mediatorPersonId: hsqPerson, partyNames: '赤峰市红山鑫源商贸有限公司、赤峰市红山宏达物流有限公司' });
  });

  it('scope: a county sees and acts on its own cases only; filters answer what they say', async () => {
    const ncx = await office.post('/api/cases/mediations', mediation({ orgUnitId: unit.NCX, mediatorPersonId: ncxPerson }));
    expect(ncx.status).toBe(201);
    expect((await unitadmin.get(`/api/cases/mediations/${ncx.body.id}`)).status).toBe(404);
    expect((await unitadmin.post(`/api/cases/mediations/${ncx.body.id}/close`, { outcome: 'success', closedOn: '2026-11-23' })).status).toBe(403);
    const mine = (await unitadmin.get('/api/cases/mediations?pageSize=200')).body.items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.some((c: any) => c.id === ncx.body.id)).toBe(false);
    const byUnit = (await office.get(`/api/cases/mediations?orgUnitId=${unit.NCX}&pageSize=200`)).body.items;
    expect(byUnit.every((c: any) => c.orgUnitId === unit.NCX)).toBe(true);
    const dated = (await office.get('/api/cases/reconsiderations?from=2021-03-01&to=2021-03-31&pageSize=200')).body.items;
    expect(dated.every((c: any) => c.receivedOn >= '2021-03-01' && c.receivedOn <= '2021-03-31')).toBe(true);
    const st = (await office.get('/api/cases/reconsiderations?status=not_accepted&pageSize=200')).body.items;
    expect(st.length).toBeGreaterThan(0);
    expect(st.every((c: any) => c.status === 'not_accepted' && c.notAcceptedReason)).toBe(true);
  });
});
