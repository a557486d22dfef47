import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { fileForm, png } from '../support/files.js';
import { rowCounts } from '../support/writes.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { sm3 } from '../../src/server/platform/crypto.js';
import { periodOfInstant, zeroReportContent } from '../../src/server/modules/interference/commands.js';
import { periodLabel, periodOfDate, periodRange, shiftPeriod } from '../../src/shared/schemas/interference.js';
import '../../src/server/modules/figures.js';

// “三个规定”记录报告 are restricted: the recorder sees their own; a reader (interference:read) sees those in
// scope, each detail view audited, never one naming them as the intervener (not in lists, counts or by
// id); coverage holders see who reported and counts, never content or names of interveners. Each
// quarter every serving officer records or files a 零报告; the coverage figures are counts of those rows.

describe('reporting periods (calendar quarters, Asia/Shanghai)', () => {
  it('places dates and instants in their quarter across quarter and year boundaries', () => {
    expect(periodOfDate('2021-03-31')).toBe('2021Q1');
    expect(periodOfDate('2021-04-01')).toBe('2021Q2');
    expect(periodOfDate('2021-12-31')).toBe('2021Q4');
    // 23:59:59 on 31 March in Shanghai is still the first quarter; a second later, the second.
    expect(periodOfInstant(new Date('2026-03-31T15:59:59Z'))).toBe('2026Q1');
    expect(periodOfInstant(new Date('2026-03-31T16:00:00Z'))).toBe('2026Q2');
    // New Year's Eve in UTC is already New Year's Day in Shanghai.
    expect(periodOfInstant(new Date('2026-12-31T16:30:00Z'))).toBe('2027Q1');
    expect(periodOfInstant(new Date('2026-12-31T15:59:59Z'))).toBe('2026Q4');
    expect(shiftPeriod('2027Q1', -1)).toBe('2026Q4');
    expect(shiftPeriod('2026Q4', 1)).toBe('2027Q1');
    expect(shiftPeriod('2026Q2', -6)).toBe('2024Q4');
    expect(periodRange('2024Q1')).toEqual({ start: '2024-01-01', end: '2024-03-31' });
    expect(periodRange('2026Q2')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodRange('2026Q4')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodLabel('2021Q3')).toBe('2021年第三季度');
  });
});

describe.each(targets())('“三个规定” records and zero reports on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let cluehandler: Client;
  const person: Record<string, { id: string; name: string }> = {};

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin, officer, cluehandler] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer'), s.as('cluehandler')]);
    for (const u of ['office', 'unitadmin', 'officer']) {
      person[u] = await s.deps.db
        .selectFrom('app_user')
        .innerJoin('person', 'person.id', 'app_user.person_id')
        .select(['person.id', 'person.name'])
        .where('app_user.username', '=', u)
        .executeTakeFirstOrThrow();
    }
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const n = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
  const lastAudit = () => db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const serving = () => n(db().selectFrom('person').select(sql<number>`count(*)`.as('n')).where('status', '=', 'active').executeTakeFirst());

  const record = (over: Record<string, unknown> = {}) => ({
    category: 'contact', intervenerKind: 'external', intervenerName: '钱某', intervenerPost: '某律师事务所律师', intervenerRelation: 'lawyer',
    caseRef: '（2026）赤司矫字第 77 号社区矫正对象请假外出审批', manners: ['pleading', 'fishing'], occurredAt: '2026-05-10T10:30:00+08:00',
    requestText: '打听审批进展，请求“通融一下”尽快批准外出。', handling: 'refused', handlingNote: '当场拒绝并告知纪律要求。', ...over,
  });
  const SECRET_TEXT = /钱某|赤司矫字第 77 号|通融一下|当场拒绝并告知纪律要求/;

  it('the demo quarter coverage is a count of records and 零报告, near but below 100 %', async () => {
    const total = await serving();
    for (const period of ['2021Q2', '2021Q3']) {
      const cov = (await office.get(`/api/interference/coverage?period=${period}`)).body;
      const recorded = await n(
        db().selectFrom('interference_record').innerJoin('person', 'person.id', 'interference_record.recorder_person_id')
          .select(sql<number>`count(distinct interference_record.recorder_person_id)`.as('n'))
          .where('interference_record.period', '=', period).where('person.status', '=', 'active').executeTakeFirst(),
      );
      const zeroOnly = await n(
        db().selectFrom('zero_report').innerJoin('person', 'person.id', 'zero_report.person_id').select(sql<number>`count(*)`.as('n'))
          .where('zero_report.period', '=', period).where('person.status', '=', 'active')
          .where((eb) => eb.not(eb.exists(eb.selectFrom('interference_record as ir').select('ir.id').whereRef('ir.recorder_person_id', '=', 'zero_report.person_id').where('ir.period', '=', period))))
          .executeTakeFirst(),
      );
      expect(cov).toMatchObject({ period, total, recorded, zeroReported: zeroOnly, missing: total - recorded - zeroOnly });
      expect(recorded).toBeGreaterThan(3);
      if (period === '2021Q2') {
        // The demo's 零报告 quarter: near, not at, 100 %.
        expect(cov.rate).toBeGreaterThan(0.9);
        expect(cov.rate).toBeLessThan(1);
      }
      expect(cov.units.reduce((a: number, u: any) => a + u.missing, 0)).toBe(cov.missing);
      const missing = (await office.get(`/api/interference/missing?period=${period}&pageSize=200`)).body;
      expect(missing.total).toBe(cov.missing);
    }
    const rows = await n(db().selectFrom('interference_record').select(sql<number>`count(*)`.as('n')).executeTakeFirst());
    const figures = (await collectStats(systemCtx(s.deps))).interference as { records: number; zeroReportCoverage: number };
    expect(figures.records).toBe(rows);
    const current = (await office.get('/api/interference/coverage')).body;
    expect(current.period).toBe('2026Q4');
    expect(figures.zeroReportCoverage).toBeCloseTo((current.recorded + current.zeroReported) / total, 10);
    expect(figures.zeroReportCoverage).toBeLessThan(1);
    // Counts by regulation and manner add up to the year's records.
    const st = (await office.get('/api/interference/stats?year=2021')).body;
    const year = await n(db().selectFrom('interference_record').select(sql<number>`count(*)`.as('n')).where('period', 'like', '2021Q%').executeTakeFirst());
    expect(st.total).toBe(year);
    expect(st.byCategory.reduce((a: number, c: any) => a + c.count, 0)).toBe(year);
    expect(st.byPeriod.reduce((a: number, c: any) => a + c.records, 0)).toBe(year);
    // Figures only for those who may see them.
    expect((await officer.get('/api/stats')).status).toBe(403);
    expect(((await unitadmin.get('/api/stats')).body.interference.records)).toBeTypeOf('number');
  });

  it('refuses a wrong record and writes nothing; a record is sealed, out of the audit, and its recorder opens it unaudited', async () => {
    const c0 = await rowCounts(db(), 'interference_record', 'attachment');
    const bad: [Record<string, unknown>, string][] = [
      [record({ occurredAt: '2026-11-24T10:00:00+08:00' }), 'occurredAt'],
      [record({ occurredAt: '2014-06-01T10:00:00+08:00' }), 'occurredAt'],
      [record({ occurredAt: '2026-05-10' }), 'occurredAt'],
      [record({ intervenerKind: 'internal', intervenerName: null }), 'intervenerPersonId'],
      [record({ intervenerKind: 'internal', intervenerPersonId: 'nobody' }), 'intervenerPersonId'],
      [record({ intervenerKind: 'internal', intervenerPersonId: person.officer!.id }), 'intervenerPersonId'],
      [record({ intervenerName: '' }), 'intervenerName'],
      [record({ manners: [] }), 'manners'],
      [record({ manners: ['bribery'] }), 'manners.0'],
      [record({ category: 'rumour' }), 'category'],
      [record({ caseRef: '' }), 'caseRef'],
      [record({ requestText: '短' }), 'requestText'],
      [record({ attachmentIds: ['not-a-file'] }), 'attachmentIds'],
    ];
    for (const [body, field] of bad) {
      const r = await officer.post('/api/interference/records', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field, JSON.stringify(body)).toBe(field);
    }
    expect(await rowCounts(db(), 'interference_record', 'attachment')).toEqual(c0);
    expect((await cluehandler.post('/api/interference/records', record())).status).toBe(403);

    const made = await officer.post('/api/interference/records', record());
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ period: '2026Q2', recordNo: expect.stringMatching(/^SG20261123\d{4}$/) });
    const row = await db().selectFrom('interference_record').selectAll().where('id', '=', made.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toMatch(SECRET_TEXT);
    expect(row.org_unit_id).toBe((await db().selectFrom('person').select('org_unit_id').where('id', '=', person.officer!.id).executeTakeFirstOrThrow()).org_unit_id);

    const before = await rowCounts(db());
    const own = await officer.get(`/api/interference/records/${made.body.id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      own: true, caseRef: record().caseRef, requestText: record().requestText, handlingNote: '当场拒绝并告知纪律要求。',
      intervener: { name: '钱某', post: '某律师事务所律师', relation: 'lawyer', relationLabel: '律师', personId: null },
      categoryLabel: '不正当接触交往', mannerLabels: ['说情打招呼', '打探案情'], recorderName: person.officer!.name,
    });
    expect(await rowCounts(db())).toEqual(before);
    const mine = (await officer.get('/api/interference/mine/records')).body;
    expect(mine.items.map((r: any) => r.id)).toContain(made.body.id);
    expect(mine.total).toBe(await n(db().selectFrom('interference_record').select(sql<number>`count(*)`.as('n')).where('recorder_person_id', '=', person.officer!.id).executeTakeFirst()));
    // Officers read only their own: no list of others', no other's record.
    expect((await officer.get('/api/interference/records')).status).toBe(403);
    const other = await db().selectFrom('interference_record').select('id').where('recorder_person_id', '!=', person.officer!.id).executeTakeFirstOrThrow();
    expect((await officer.get(`/api/interference/records/${other.id}`)).status).toBe(404);
  });

  it('a reader never sees a record naming them: not listed, not counted, not opened, not its files', async () => {
    const up = await officer.post('/api/files', fileForm(png(10, 200, 10), '说情短信截图.png'));
    expect(up.status).toBe(201);
    const named = await officer.post('/api/interference/records', record({
      category: 'leader', intervenerKind: 'internal', intervenerName: null, intervenerPersonId: person.office!.id, intervenerPost: '科长',
      intervenerRelation: 'superior', occurredAt: '2026-06-02T15:00:00+08:00', attachmentIds: [up.body.id],
    }));
    expect(named.status).toBe(201);
    const row = await db().selectFrom('interference_record').selectAll().where('id', '=', named.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(person.office!.id);
    expect(JSON.stringify(row)).not.toContain(person.office!.name);

    const all = await n(db().selectFrom('interference_record').select(sql<number>`count(*)`.as('n')).executeTakeFirst());
    const namingOffice = await n(db().selectFrom('interference_record').select(sql<number>`count(*)`.as('n')).where('intervener_index', '=', s.deps.cipher.blindIndex(person.office!.id)).executeTakeFirst());
    expect(namingOffice).toBe(1);
    const list = await office.get('/api/interference/records?pageSize=200');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(all - 1);
    expect(list.body.items.map((r: any) => r.id)).not.toContain(named.body.id);
    const q2 = await office.get('/api/interference/records?period=2026Q2&pageSize=200');
    expect(q2.body.items.map((r: any) => r.id)).not.toContain(named.body.id);
    expect(q2.body.total).toBe(1);
    for (const r of list.body.items) {
      expect(r).not.toHaveProperty('intervener');
      expect(r).not.toHaveProperty('caseRef');
      expect(r).not.toHaveProperty('requestText');
    }
    // The list view is audited with the numbers shown.
    expect(await lastAudit()).toMatchObject({ action: 'read_protected', entity_type: 'interference_record' });
    expect((await office.get(`/api/interference/records/${named.body.id}`)).status).toBe(404);
    expect((await office.get(`/api/files/${up.body.id}`)).status).toBe(404);
    expect((await officer.get(`/api/files/${up.body.id}`)).status).toBe(200);
    // Counts leave it out too: the year's statistics and the headline figure.
    const st = (await office.get('/api/interference/stats?year=2026')).body;
    expect(st.total).toBe(1);
    expect(st.byCategory.find((c: any) => c.key === 'leader').count).toBe(0);
    expect((await office.get('/api/stats')).body.interference.records).toBe(all - 1);
    expect(((await collectStats(systemCtx(s.deps))).interference as { records: number }).records).toBe(all);

    // Any other record opens for the reader, and each view is audited before the content is answered.
    const plain = list.body.items.find((r: any) => r.period === '2026Q2');
    for (let i = 0; i < 2; i++) {
      const seq = (await lastAudit()).seq;
      const d = await office.get(`/api/interference/records/${plain.id}`);
      expect(d.status).toBe(200);
      expect(d.body).toMatchObject({ own: false, caseRef: record().caseRef });
      const a = await lastAudit();
      expect(a.seq).toBeGreaterThan(seq);
      expect(a).toMatchObject({ action: 'view', entity_type: 'interference_record', entity_id: plain.id });
      expect(a.after_json).toContain(plain.recordNo);
    }
    // Nothing sealed in any audit entry.
    const audits = await db().selectFrom('audit_log').select(['before_json', 'after_json']).where('entity_type', 'in', ['interference_record', 'zero_report', 'attachment']).execute();
    expect(audits.length).toBeGreaterThan(3);
    for (const a of audits) {
      expect(`${a.before_json}${a.after_json}`).not.toMatch(SECRET_TEXT);
      expect(`${a.before_json}${a.after_json}`).not.toContain(person.office!.id);
    }
  });

  it('coverage holders see who reported and counts, never content or interveners', async () => {
    const ids = (await db().selectFrom('interference_record').select(['id', 'record_no']).execute());
    const any = ids[0]!;
    expect((await unitadmin.get('/api/interference/records')).status).toBe(403);
    expect((await unitadmin.get(`/api/interference/records/${any.id}`)).status).toBe(404);
    const bodies: string[] = [];
    for (const path of [
      '/api/interference/coverage', '/api/interference/coverage?period=2021Q2', '/api/interference/missing?period=2021Q2&pageSize=200',
      '/api/interference/missing', '/api/interference/stats?year=2021', '/api/interference/stats?year=2026', '/api/stats', '/api/interference/mine',
      '/api/interference/mine/records',
    ]) {
      const r = await unitadmin.get(path);
      expect(r.status, path).toBe(200);
      bodies.push(r.text);
    }
    const text = bodies.join('\n');
    expect(text).not.toMatch(SECRET_TEXT);
    expect(text).not.toMatch(/intervener|caseRef|requestText|handlingNote|SG20\d{6}/);
    // Coverage is within scope: 红山区 and below only.
    const cov = (await unitadmin.get('/api/interference/coverage?period=2021Q2')).body;
    const hsq = await db().selectFrom('org_unit').select('path').where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    const inScope = await n(db().selectFrom('person').select(sql<number>`count(*)`.as('n')).where('status', '=', 'active').where('sort_key', 'like', `${hsq.path}%`).executeTakeFirst());
    expect(cov.total).toBe(inScope);
    // Officers have neither coverage nor counts.
    for (const path of ['/api/interference/coverage', '/api/interference/missing', '/api/interference/stats']) expect((await officer.get(path)).status).toBe(403);
  });

  it('零报告: once per quarter, only without a record, never for a future quarter; a later record supersedes it', async () => {
    const me = (await officer.get('/api/interference/mine')).body;
    expect(me).toMatchObject({ currentPeriod: '2026Q4', personName: person.officer!.name, statement: '本季度无过问干预案件情况需记录报告' });
    expect(me.periods[0]).toMatchObject({ period: '2026Q4', status: 'missing', records: 0, zeroReport: null });
    const cov0 = (await unitadmin.get('/api/interference/coverage')).body;
    const office0 = (await office.get('/api/interference/coverage')).body;

    const c0 = await rowCounts(db(), 'zero_report');
    for (const [body, status, field] of [
      [{ period: '2026Q4', signedName: '张三' }, 400, 'signedName'],
      [{ period: '2027Q1', signedName: person.officer!.name }, 400, 'period'],
      [{ period: '2026-Q4', signedName: person.officer!.name }, 400, 'period'],
      [{ period: '2014Q4', signedName: person.officer!.name }, 400, 'period'],
      // The demo officer recorded an interference in 2021's third quarter.
      [{ period: '2021Q3', signedName: person.officer!.name }, 409, 'period'],
      [{ period: '2026Q2', signedName: person.officer!.name }, 409, 'period'],
    ] as const) {
      const r = await officer.post('/api/interference/zero-reports', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.field).toBe(field);
    }
    expect(await rowCounts(db(), 'zero_report')).toEqual(c0);

    const filed = await officer.post('/api/interference/zero-reports', { period: '2026Q4', signedName: person.officer!.name });
    expect(filed.status).toBe(201);
    const row = await db().selectFrom('zero_report').selectAll().where('id', '=', filed.body.id).executeTakeFirstOrThrow();
    expect(row.digest).toBe(sm3(zeroReportContent(row)));
    expect(row.signed_at).toBe(clock().toISOString());
    const c1 = await rowCounts(db(), 'zero_report');
    const again = await officer.post('/api/interference/zero-reports', { period: '2026Q4', signedName: person.officer!.name });
    expect(again.status).toBe(409);
    expect(await rowCounts(db(), 'zero_report')).toEqual(c1);

    const cov1 = (await unitadmin.get('/api/interference/coverage')).body;
    expect(cov1).toMatchObject({ total: cov0.total, zeroReported: cov0.zeroReported + 1, missing: cov0.missing - 1, recorded: cov0.recorded });
    expect((await office.get('/api/interference/coverage')).body.missing).toBe(office0.missing - 1);
    const missing = (await unitadmin.get('/api/interference/missing?pageSize=200')).body;
    expect(missing.items.map((p: any) => p.personId)).not.toContain(person.officer!.id);
    expect((await officer.get('/api/interference/mine')).body.periods[0]).toMatchObject({ status: 'zero', zeroReport: { superseded: false, intact: true } });

    // Something happens later in the quarter: the record is taken, and the 零报告 shows as superseded.
    const late = await officer.post('/api/interference/records', record({ occurredAt: '2026-11-23T09:30:00+08:00' }));
    expect(late.status).toBe(201);
    expect(late.body.period).toBe('2026Q4');
    const after = (await officer.get('/api/interference/mine')).body;
    expect(after.periods[0]).toMatchObject({ status: 'recorded', records: 1, zeroReport: { superseded: true } });
    const cov2 = (await unitadmin.get('/api/interference/coverage')).body;
    expect(cov2).toMatchObject({ total: cov0.total, recorded: cov0.recorded + 1, zeroReported: cov0.zeroReported, missing: cov0.missing - 1 });
  });

  it('the current quarter follows the Shanghai calendar at the turn of the year', async () => {
    const saved = clock();
    try {
      // Signed in afresh at each time (a session idle for weeks has expired).
      clock.set(new Date('2026-12-31T15:59:00Z'));
      const o1 = await s.as('officer');
      expect((await o1.get('/api/interference/mine')).body.currentPeriod).toBe('2026Q4');
      expect((await o1.post('/api/interference/zero-reports', { period: '2027Q1', signedName: person.officer!.name })).body.field).toBe('period');
      clock.set(new Date('2026-12-31T16:30:00Z'));
      const [o2, u2] = await Promise.all([s.as('officer'), s.as('unitadmin')]);
      expect((await o2.get('/api/interference/mine')).body.currentPeriod).toBe('2027Q1');
      expect((await u2.get('/api/interference/coverage')).body.period).toBe('2027Q1');
    } finally {
      clock.set(saved);
    }
  });

  it('催报 tells exactly the accounts of those in scope who have not reported the quarter; refusals write nothing', async () => {
    // A past quarter of this year: nobody in the demo reported it, the officer now does.
    const period = '2026Q3';
    const counts = () => rowCounts(db(), 'notification', 'audit_log');
    const c0 = await counts();
    expect((await officer.post('/api/interference/remind', { period })).status).toBe(403);
    const elsewhere = await db().selectFrom('org_unit').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const outside = await unitadmin.post('/api/interference/remind', { period, orgUnitId: elsewhere.id });
    expect(outside.status).toBe(400);
    expect(outside.body.field).toBe('orgUnitId');
    const future = await unitadmin.post('/api/interference/remind', { period: '2027Q1' });
    expect(future.status).toBe(400);
    expect(future.body.field).toBe('period');
    expect((await unitadmin.post('/api/interference/remind', { period: '2021Q9' })).body.field).toBe('period');
    expect(await counts()).toEqual(c0);

    expect((await officer.post('/api/interference/zero-reports', { period, signedName: person.officer!.name })).status).toBe(201);
    const c1 = await counts();

    // Who the county admin's list says has not reported, walked page by page.
    const missing: string[] = [];
    for (let page = 1; ; page++) {
      const r = (await unitadmin.get(`/api/interference/missing?period=${period}&page=${page}&pageSize=200`)).body;
      missing.push(...r.items.map((p: { personId: string }) => p.personId));
      if (r.items.length < 200) break;
    }
    expect(missing.length).toBeGreaterThan(0);
    expect(missing).not.toContain(person.officer!.id);
    expect(missing).toContain(person.unitadmin!.id);
    const accounts = await db().selectFrom('app_user').select('id').where('person_id', 'in', missing).where('status', '=', 'active').execute();
    expect(accounts.length).toBeGreaterThan(0);
    const r = await unitadmin.post('/api/interference/remind', { period });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ period, people: missing.length, notified: accounts.length });
    const sent = await db().selectFrom('notification').select(['user_id', 'title', 'link']).where('created_at', '>=', clock().toISOString()).where('link', '=', '/institutions/interference').execute();
    expect(sent.map((x) => x.user_id).sort()).toEqual(accounts.map((a) => a.id).sort());
    expect(sent[0]?.title).toBe('请完成2026年第三季度“三个规定”记录报告');
    // The officer, who reported the quarter, is not told.
    const officerAccount = await db().selectFrom('app_user').select('id').where('username', '=', 'officer').executeTakeFirstOrThrow();
    expect(sent.map((x) => x.user_id)).not.toContain(officerAccount.id);
    expect((await counts()).notification).toBe(c1.notification + accounts.length);
    const audit = await db().selectFrom('audit_log').select(['action', 'entity_type', 'after_json']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'remind', entity_type: 'zero_report' });
    expect(JSON.parse(audit.after_json!)).toEqual({ period, people: missing.length, notified: accounts.length, orgUnitId: null });
  });

});
