import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { fileForm, png } from '../support/files.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { checkUscc, usccCheckChar, USCC_WARNING } from '../../src/shared/schemas/service-labels.js';
import '../../src/server/modules/figures.js';

// 为民服务: the account's measures, 13 workstations and over a thousand market entities served are
// figures computed from their records; a credit code is checked strictly for its form and only warned
// about for its check character; the public sees public measures without anyone's name; a county
// admin neither sees nor writes another county's records.

describe.each(targets())('service on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  const unit: Record<string, string> = {};
  let hsqPeople: string[];
  let ncxPerson: string;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin] = await Promise.all([s.as('office'), s.as('unitadmin')]);
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code']).where('code', 'in', ['CFSJ', 'CFSJ-PUBLIC_LEGAL', 'HSQ', 'NCX']).execute()) unit[u.code!] = u.id;
    hsqPeople = (await s.deps.db.selectFrom('person').select('id').where('org_unit_id', '=', unit.HSQ!).where('status', '=', 'active').orderBy('id').limit(3).execute()).map((p) => p.id);
    ncxPerson = (await s.deps.db.selectFrom('person').select('id').where('org_unit_id', '=', unit.NCX!).orderBy('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  type T = 'service_measure' | 'service_milestone' | 'service_progress' | 'legal_workstation' | 'enterprise' | 'enterprise_service' | 'audit_log';
  const count = async (t: T) => Number((await db().selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['service_measure', 'service_milestone', 'service_progress', 'legal_workstation', 'enterprise', 'enterprise_service', 'audit_log'] as T[]) out[t] = await count(t);
    return out;
  };
  const code = (first17: string) => first17 + usccCheckChar(first17);

  it('the credit code check: GB 32100 check characters, strict form', () => {
    expect(checkUscc('91150402MA0N3XL51B')).not.toBe('format');
    const good = code('91150402MA0N3XL51');
    expect(checkUscc(good)).toBe('ok');
    expect(checkUscc(good.toLowerCase())).toBe('ok');
    expect(checkUscc(`${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`)).toBe('checksum');
    expect(checkUscc('91150402MA0N3XL5')).toBe('format'); // 16 characters
    expect(checkUscc('91150402MA0N3XLI1A')).toBe('format'); // I is not in the charset
    // A published real code (a well-known check): 91350100M000100Y43.
    expect(checkUscc('91350100M000100Y43')).toBe('ok');
  });

  it('the demo has the account’s figures, each a count of the records that prove it', async () => {
    const fig = (await collectStats(systemCtx(s.deps))).service as Record<string, number>;
    const groups = await db().selectFrom('service_measure').select(['grp', sql<number>`count(*)`.as('n')]).groupBy('grp').execute();
    const by = Object.fromEntries(groups.map((g) => [g.grp, Number(g.n)]));
    expect(by).toMatchObject({ convenience: 16, business_environment: 10 });
    expect(by.ten_linkages).toBeGreaterThan(0);
    expect(fig.measures).toBe(await count('service_measure'));
    expect(fig.workstations).toBe(13);
    expect(fig.workstations).toBe(await count('legal_workstation'));
    const distinct = Number((await db().selectFrom('enterprise_service').select(sql<number>`count(distinct enterprise_id)`.as('n')).executeTakeFirstOrThrow()).n);
    expect(fig.entitiesServed).toBe(distinct);
    expect(fig.entitiesServed).toBeGreaterThan(1000);
    // Served counts enterprises, not visits: there are more records than enterprises served.
    expect(await count('enterprise_service')).toBeGreaterThan(distinct);

    const served = (await office.get('/api/service/served')).body;
    expect(served.entitiesServed).toBe(distinct);
    expect(served.byWorkstation).toHaveLength(13);
    expect(served.byCounty).toHaveLength(12);
    expect(served.byCounty.reduce((a: number, c: any) => a + c.served, 0)).toBe(distinct); // an enterprise is in one county

    // Demo codes: valid check characters except the few early ones, which carry a warning.
    const ents = await db().selectFrom('enterprise').select(['code', 'code_warning']).execute();
    const failing = ents.filter((e) => checkUscc(e.code) !== 'ok');
    expect(failing.length).toBeGreaterThanOrEqual(2);
    expect(failing.length).toBeLessThanOrEqual(3);
    expect(failing.every((e) => e.code_warning === 1 && checkUscc(e.code) === 'checksum')).toBe(true);
    expect(ents.filter((e) => e.code_warning).length).toBe(failing.length);

    // In a county admin's scope: their county's two workstations and what they served.
    const mine = (await unitadmin.get('/api/stats')).body.service;
    const hsqPath = (await db().selectFrom('org_unit').select('path').where('id', '=', unit.HSQ!).executeTakeFirstOrThrow()).path;
    const inScope = Number(
      (
        await db()
          .selectFrom('enterprise_service')
          .innerJoin('org_unit', 'org_unit.id', 'enterprise_service.org_unit_id')
          .select(sql<number>`count(distinct enterprise_service.enterprise_id)`.as('n'))
          .where('org_unit.path', 'like', `${hsqPath}%`)
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(mine).toMatchObject({ workstations: 2, entitiesServed: inScope });
    expect(inScope).toBeGreaterThan(0);
    expect(inScope).toBeLessThan(distinct);
  });

  it('a measure: refusals write nothing; milestones and progress updates drive its status; evidence is kept', async () => {
    const input = (over: Record<string, unknown> = {}) => ({
      group: 'convenience', number: 17, title: '公证服务“延时办”“预约办”', orgUnitId: unit['CFSJ-PUBLIC_LEGAL'], startDate: '2026-11-01', dueDate: '2026-12-31',
      isPublic: true, milestones: [{ title: '公布预约电话', dueDate: '2026-11-15' }, { title: '全面实施', dueDate: '2026-12-31' }], ...over,
    });
    const c0 = await counts();
    const bad: [Record<string, unknown>, string, number][] = [
      [input({ dueDate: '2026-10-01' }), 'dueDate', 400],
      [input({ orgUnitId: 'no-such-unit' }), 'orgUnitId', 400],
      [input({ ownerPersonId: 'no-such-person' }), 'ownerPersonId', 400],
      [input({ group: 'nonsense' }), 'group', 400],
      [input({ title: '' }), 'title', 400],
      [input({ number: 1 }), 'number', 409], // 便民利民第 1 条 exists
    ];
    for (const [body, field, status] of bad) {
      const r = await office.post('/api/service/measures', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.field).toBe(field);
    }
    const refusedDate = await office.post('/api/service/measures', input({ dueDate: '2026-10-01' }));
    expect(refusedDate.body.message).toMatch(/^完成时限：/);
    // A county admin cannot give the city's department a measure: outside its scope, as if it did not exist.
    const outside = await unitadmin.post('/api/service/measures', input());
    expect([outside.status, outside.body.field]).toEqual([400, 'orgUnitId']);
    expect(await counts()).toEqual(c0);

    const made = await office.post('/api/service/measures', input());
    expect(made.status).toBe(201);
    const id = made.body.id;
    let m = (await office.get(`/api/service/measures/${id}`)).body;
    expect(m).toMatchObject({ status: 'not_started', statusLabel: '未开始', progress: 0, groupLabel: '便民利民措施' });
    expect(m.milestones).toHaveLength(2);

    // Progress: refused in the future, then recorded with evidence.
    expect((await office.post(`/api/service/measures/${id}/progress`, { reportedOn: '2026-11-30', percent: 40, note: '已公布预约电话。' })).body.field).toBe('reportedOn');
    const up = await office.post('/api/files', fileForm(png(100, 8, 8), '预约公示.png'));
    expect(up.status).toBe(201);
    const rep = await office.post(`/api/service/measures/${id}/progress`, { reportedOn: '2026-11-20', percent: 40, note: '已在各公证处公布预约电话。', attachmentIds: [up.body.id] });
    expect(rep.status).toBe(201);
    m = (await office.get(`/api/service/measures/${id}`)).body;
    expect(m).toMatchObject({ status: 'in_progress', progress: 40 });
    expect(m.progressReports[0]).toMatchObject({ percent: 40, note: '已在各公证处公布预约电话。' });
    expect(m.progressReports[0].files.map((f: any) => f.id)).toEqual([up.body.id]);

    // Both milestones reached: done; then the clock passes nothing, it stays done.
    for (const ms of m.milestones) expect((await office.patch(`/api/service/milestones/${ms.id}`, { doneOn: '2026-11-22' })).status).toBe(200);
    m = (await office.get(`/api/service/measures/${id}`)).body;
    expect(m).toMatchObject({ status: 'done', progress: 100, doneOn: '2026-11-23' });

    // Overdue: a measure past its due date without being done.
    const late = await office.post('/api/service/measures', input({ number: 18, startDate: '2026-10-01', dueDate: '2026-11-01', milestones: [] }));
    expect((await office.get(`/api/service/measures/${late.body.id}`)).body.status).toBe('overdue');
    const overdue = (await office.get('/api/service/measures?status=overdue&pageSize=200')).body.items.map((x: any) => x.id);
    expect(overdue).toContain(late.body.id);
    expect(overdue).not.toContain(id);
    const done = (await office.get('/api/service/measures?status=done&pageSize=200')).body.items;
    expect(done.every((x: any) => x.progress === 100)).toBe(true);
    expect(done.map((x: any) => x.id)).toContain(id);
    const conv = (await office.get('/api/service/measures?group=convenience&pageSize=200')).body;
    expect(conv.total).toBe(18);
    expect(conv.items.map((x: any) => x.number)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  });

  it('the public summary: public measures only, by group, with units and progress and no one’s name', async () => {
    const pub = s.client();
    const r = await pub.get('/api/public/service-measures');
    expect(r.status).toBe(200);
    const items = r.body.groups.flatMap((g: any) => g.items);
    const publicCount = Number((await db().selectFrom('service_measure').select(sql<number>`count(*)`.as('n')).where('is_public', '=', 1).executeTakeFirstOrThrow()).n);
    expect(items).toHaveLength(publicCount);
    expect(r.body.total).toBe(publicCount);
    const hidden = await db().selectFrom('service_measure').select('id').where('is_public', '=', 0).execute();
    expect(hidden.length).toBeGreaterThan(0);
    for (const h of hidden) expect(items.map((i: any) => i.id)).not.toContain(h.id);
    expect(r.body.groups.map((g: any) => g.group)).toEqual(['convenience', 'ten_linkages', 'business_environment']);
    // No person's name anywhere in the answer, nor the progress reports' text.
    const owners = await db().selectFrom('service_measure').innerJoin('person', 'person.id', 'service_measure.owner_person_id').select('person.name').execute();
    const text = JSON.stringify(r.body);
    expect(owners.length).toBeGreaterThan(0);
    for (const o of owners) expect(text).not.toContain(`"${o.name}"`);
    expect(text).not.toContain('ownerName');
    expect(text).not.toContain('制定了实施方案，明确了责任分工');
    expect(items[0]).toMatchObject({ unitName: expect.any(String), progress: expect.any(Number), statusLabel: expect.any(String) });
    expect(items.some((i: any) => i.status === 'overdue')).toBe(true);
    expect(items.some((i: any) => i.status === 'done')).toBe(true);
  });

  it('enterprises: a malformed code is refused naming the field; a failing check character is accepted with a warning', async () => {
    const c0 = await counts();
    for (const bad of ['9115040212345678', '91150402MA0N3XLI1A', '91150402-MA0N3XL5']) {
      const r = await unitadmin.post('/api/service/enterprises', { code: bad, name: '赤峰测试商贸有限公司', orgUnitId: unit.HSQ });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('code');
      expect(r.body.message).toMatch(/^统一社会信用代码：/);
    }
    // Another county: not the county admin's to register.
    const elsewhere = await unitadmin.post('/api/service/enterprises', { code: code('91150429MA0TEXT01'), name: '宁城测试有限公司', orgUnitId: unit.NCX });
    expect([elsewhere.status, elsewhere.body.field]).toEqual([400, 'orgUnitId']);
    expect(await counts()).toEqual(c0);

    const ok = await unitadmin.post('/api/service/enterprises', { code: code('91150402MA0TEXT01').toLowerCase(), name: '赤峰红山测试有限公司', orgUnitId: unit.HSQ });
    expect(ok.status).toBe(201);
    expect(ok.body.codeWarning).toBeNull();
    const first17 = '91150402MA0TEXT02';
    const wrong = first17 + (usccCheckChar(first17) === '0' ? '1' : '0');
    const early = await unitadmin.post('/api/service/enterprises', { code: wrong, name: '赤峰红山早期赋码有限公司', orgUnitId: unit.HSQ });
    expect(early.status).toBe(201);
    expect(early.body.codeWarning).toBe(USCC_WARNING);
    const found = (await unitadmin.get(`/api/service/enterprises?q=${wrong}`)).body.items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: wrong, codeWarning: USCC_WARNING });
    expect((await unitadmin.post('/api/service/enterprises', { code: wrong, name: '重复', orgUnitId: unit.HSQ })).status).toBe(409);
  });

  it('an enterprise is corrected: code (warning recomputed), name, type, legal rep; refusals write nothing', async () => {
    const made = await unitadmin.post('/api/service/enterprises', { code: code('91150402MA0FXX001'), name: '赤峰红山待更正有限公司', orgUnitId: unit.HSQ });
    expect(made.status).toBe(201);
    const other = await unitadmin.post('/api/service/enterprises', { code: code('91150402MA0FXX002'), name: '赤峰红山另一有限公司', orgUnitId: unit.HSQ });
    const id = made.body.id as string;
    const row = () => db().selectFrom('enterprise').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const ncxEnterprise = await office.post('/api/service/enterprises', { code: code('91150429MA0FXX003'), name: '宁城待更正有限公司', orgUnitId: unit.NCX });
    expect([other.status, ncxEnterprise.status]).toEqual([201, 201]);
    const r0 = await row();
    const c0 = await counts();
    const refused: [Client, Record<string, unknown>, number, string | undefined][] = [
      [unitadmin, { code: '9115040212345678' }, 400, 'code'],
      [unitadmin, { name: 'x' }, 400, 'name'],
      [unitadmin, { code: code('91150402MA0FXX002') }, 409, 'code'],
      // Moving it to another county is not the county admin's to do.
      [unitadmin, { orgUnitId: unit.NCX }, 400, 'orgUnitId'],
    ];
    for (const [c, body, status, field] of refused) {
      const r = await c.patch(`/api/service/enterprises/${id}`, body);
      expect([r.status, r.body.field], JSON.stringify(body)).toEqual([status, field]);
    }
    // Another county's admin does not see it at all.
    expect((await unitadmin.patch(`/api/service/enterprises/${ncxEnterprise.body.id}`, { name: '改名' })).status).toBe(404);
    expect(await row()).toEqual(r0);
    expect(await counts()).toEqual(c0);
    const audits = await count('audit_log');

    const first17 = '91150402MA0FXX004';
    const wrong = first17 + (usccCheckChar(first17) === '0' ? '1' : '0');
    const fixed = await unitadmin.patch(`/api/service/enterprises/${id}`, { code: wrong.toLowerCase(), name: '赤峰红山已更正有限公司', kind: 'individual', legalRep: '张某' });
    expect(fixed.status).toBe(200);
    expect(fixed.body.codeWarning).toBe(USCC_WARNING);
    expect(await row()).toMatchObject({ code: wrong, code_warning: 1, name: '赤峰红山已更正有限公司', kind: 'individual', legal_rep: '张某', org_unit_id: unit.HSQ });
    const back = await unitadmin.patch(`/api/service/enterprises/${id}`, { code: code('91150402MA0FXX001') });
    expect(back.body.codeWarning).toBeNull();
    expect((await row()).legal_rep).toBe('张某');
    expect(await count('audit_log')).toBe(audits + 2);
    // The office may move it to another county.
    expect((await office.patch(`/api/service/enterprises/${id}`, { orgUnitId: unit.NCX })).status).toBe(200);
    expect((await row()).org_unit_id).toBe(unit.NCX);
  });

  it('service records and 法治体检: scope, inline enterprise registration, findings, follow-up, export', async () => {
    const hsqStations = (await unitadmin.get('/api/service/workstations')).body.items;
    expect(hsqStations).toHaveLength(2);
    const allStations = (await office.get('/api/service/workstations?pageSize=50')).body.items;
    expect(allStations).toHaveLength(13);
    const ncxStation = allStations.find((w: any) => w.name.startsWith('宁城县'));
    const hsqStation = hsqStations.find((w: any) => w.orgUnitId === unit.HSQ);
    const served0 = (await unitadmin.get('/api/service/served')).body.entitiesServed;

    const check = (over: Record<string, unknown> = {}) => ({
      kind: 'health_check', workstationId: hsqStation.id, servedOn: '2026-11-20', staffPersonIds: [hsqPeople[0]],
      summary: '律师上门开展法治体检并反馈意见。', findings: [{ area: '劳动用工', risk: 'high', finding: '未与 3 名员工签订书面劳动合同。' }],
      recommendations: '一个月内补签劳动合同。', followUpStatus: 'pending',
      enterprise: { code: code('91150402MA0TEXT03'), name: '赤峰红山新登记商贸有限公司', kind: 'small_micro', orgUnitId: unit.HSQ }, ...over,
    });
    const c0 = await counts();
    const bad: [Record<string, unknown>, string, number][] = [
      [check({ workstationId: ncxStation.id }), 'workstationId', 400], // another county's station: as if it did not exist
      [check({ staffPersonIds: [ncxPerson] }), 'staffPersonIds.0', 400],
      [check({ findings: [] }), 'findings', 400],
      [check({ servedOn: '2026-12-01' }), 'servedOn', 400],
      [check({ enterprise: { code: 'ABC', name: '赤峰测试', orgUnitId: unit.HSQ } }), 'enterprise.code', 400],
      [check({ enterprise: null }), 'enterpriseId', 400],
      [check({ enterprise: { code: code('91150429MA0TEXT04'), name: '宁城新登记公司', orgUnitId: unit.NCX } }), 'enterprise.orgUnitId', 400],
    ];
    for (const [body, field, status] of bad) {
      const r = await unitadmin.post('/api/service/records', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.field).toBe(field);
    }
    // A demo enterprise of another county, named by its code: registered elsewhere, not in scope.
    const ncxEnt = await db().selectFrom('enterprise').select(['id', 'code', 'name']).where('org_unit_id', '=', unit.NCX!).executeTakeFirstOrThrow();
    const other = await unitadmin.post('/api/service/records', check({ enterprise: { code: ncxEnt.code, name: ncxEnt.name, orgUnitId: unit.HSQ } }));
    expect(other.status).toBe(409);
    expect((await unitadmin.post('/api/service/records', check({ enterprise: null, enterpriseId: ncxEnt.id }))).body.field).toBe('enterpriseId');
    expect(await counts()).toEqual(c0);

    const made = await unitadmin.post('/api/service/records', check());
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ enterpriseCreated: true, codeWarning: null });
    const c1 = await counts();
    expect(c1.enterprise).toBe(c0.enterprise! + 1);
    expect(c1.enterprise_service).toBe(c0.enterprise_service! + 1);
    expect(c1.audit_log).toBe(c0.audit_log! + 1);
    // Served counts distinct enterprises: a second visit to the same one adds a record, not an entity.
    expect((await unitadmin.get('/api/service/served')).body.entitiesServed).toBe(served0 + 1);
    const again = await unitadmin.post('/api/service/records', check({ kind: 'consultation', findings: [], enterprise: null, enterpriseId: made.body.enterpriseId }));
    expect(again.status).toBe(201);
    expect((await unitadmin.get('/api/service/served')).body.entitiesServed).toBe(served0 + 1);
    expect((await unitadmin.get('/api/stats')).body.service.entitiesServed).toBe(served0 + 1);

    const detail = (await unitadmin.get(`/api/service/records/${made.body.id}`)).body;
    expect(detail).toMatchObject({ kindLabel: '法治体检', enterpriseName: '赤峰红山新登记商贸有限公司', followUpLabel: '待跟进', workstationName: hsqStation.name });
    expect(detail.findings).toEqual([{ area: '劳动用工', risk: 'high', finding: '未与 3 名员工签订书面劳动合同。' }]);
    expect(detail.staff[0].id).toBe(hsqPeople[0]);
    const fu = await unitadmin.patch(`/api/service/records/${made.body.id}`, { followUpStatus: 'done', followUp: '已回访，劳动合同已补签。' });
    expect(fu.status).toBe(200);
    expect((await unitadmin.get(`/api/service/records/${made.body.id}`)).body.followUpLabel).toBe('已跟进');

    // Lists and scope: the county admin sees only its county's records; another county's is a 404 and cannot be written.
    const mine = (await unitadmin.get('/api/service/records?pageSize=200')).body;
    expect(mine.items.every((r: any) => r.workstationId === hsqStation.id || hsqStations.some((w: any) => w.id === r.workstationId))).toBe(true);
    const ncxRecord = await db().selectFrom('enterprise_service').select('id').where('workstation_id', '=', ncxStation.id).executeTakeFirstOrThrow();
    expect((await unitadmin.get(`/api/service/records/${ncxRecord.id}`)).status).toBe(404);
    expect((await unitadmin.patch(`/api/service/records/${ncxRecord.id}`, { followUpStatus: 'done' })).status).toBe(404);
    expect((await office.get(`/api/service/records/${ncxRecord.id}`)).status).toBe(200);
    expect((await unitadmin.patch(`/api/service/workstations/${ncxStation.id}`, { contact: '0476-1234567' })).status).toBe(404);
    const checks = (await office.get(`/api/service/records?kind=health_check&workstationId=${hsqStation.id}&pageSize=5`)).body;
    expect(checks.items[0].id).toBe(made.body.id);
    expect(checks.items.every((r: any) => r.kind === 'health_check')).toBe(true);
    const dated = (await office.get('/api/service/records?from=2026-11-01&to=2026-11-30&pageSize=50')).body.items.map((r: any) => r.id);
    expect(dated.sort()).toEqual([made.body.id, again.body.id].sort());

    const xlsx = await office.request('GET', `/api/service/records/export?workstationId=${hsqStation.id}`);
    expect(xlsx.status).toBe(200);
  });

  it('workstations: create with validation, names unique', async () => {
    const c0 = await counts();
    expect((await office.post('/api/service/workstations', { name: '红山区小微企业法律服务工作站', orgUnitId: unit.HSQ })).status).toBe(409);
    expect((await office.post('/api/service/workstations', { name: '新工作站', orgUnitId: 'nope' })).body.field).toBe('orgUnitId');
    expect((await unitadmin.post('/api/service/workstations', { name: '宁城县第二工作站', orgUnitId: unit.NCX })).body.field).toBe('orgUnitId');
    expect(await counts()).toEqual(c0);
    const ok = await unitadmin.post('/api/service/workstations', { name: '红山区第三小微企业法律服务工作站', orgUnitId: unit.HSQ, openedOn: '2026-11-01' });
    expect(ok.status).toBe(201);
    expect((await unitadmin.get('/api/stats')).body.service.workstations).toBe(3);
  });
});
