import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { fileForm, png } from '../support/files.js';
import { remindOverdueItems } from '../../src/server/modules/rectification/jobs.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import '../../src/server/modules/figures.js';

// 查纠整改, the ledger: the demo's items, every rule of a ledger item (numbering, scope, dates,
// categories, progress and its roll-up, sign-off with evidence, immutability once signed off), the
// adoption of opinions, the daily overdue reminder on a fixed clock, the public face and its ratings.

describe.each(targets())('rectification ledger on %s', (target) => {
  // Monday 2026-11-23, 10:00 in Beijing.
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  const unit: Record<string, string> = {};
  let officerPersonId: string;
  let hsqPersonId: string;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code']).where('code', 'in', ['CFSJ', 'HSQ', 'HSQ-01', 'NCX']).execute()) {
      unit[u.code!] = u.id;
    }
    officerPersonId = (await s.deps.db.selectFrom('app_user').select('person_id').where('username', '=', 'officer').executeTakeFirstOrThrow()).person_id!;
    hsqPersonId = (await s.deps.db.selectFrom('person').select('id').where('org_unit_id', '=', unit.HSQ!).orderBy('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const count = async (table: 'rectification_item' | 'rectification_progress' | 'rectification_rating' | 'audit_log' | 'problem_category') =>
    Number((await db().selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const counts = async () => ({
    items: await count('rectification_item'),
    progress: await count('rectification_progress'),
    audit: await count('audit_log'),
  });
  const categoryId = async (code: string, campaignId = 'campaign-1') =>
    (await db().selectFrom('problem_category').select('id').where('campaign_id', '=', campaignId).where('code', '=', code).executeTakeFirstOrThrow()).id;

  function item(over: Record<string, unknown> = {}) {
    return {
      campaignId: 'campaign-1',
      source: 'inspection',
      title: '窗口单位工作日午间无人值守',
      description: '督导检查发现个别司法所午间无人值守，群众办事不便。',
      measures: '实行午间轮值，公示值班电话。',
      goal: '工作日午间有人值守',
      orgUnitId: unit.HSQ,
      responsiblePersonId: hsqPersonId,
      mode: 'deadline',
      startDate: '2026-11-20',
      deadline: '2026-12-31',
      ...over,
    };
  }

  async function evidence(c: Client): Promise<string> {
    const up = await c.post('/api/files', fileForm(png(10, 120, 30), '整改照片.png'));
    expect(up.status).toBe(201);
    return up.body.id;
  }

  it('the demo campaign carries the "7+2" catalogue, tens of items, the eight adopted opinions and a few overdue', async () => {
    const cats = await office.get('/api/rectification/categories?campaignId=campaign-1');
    expect(cats.status).toBe(200);
    const codes = cats.body.items.map((c: any) => c.code);
    expect(codes.filter((c: string) => c.startsWith('P'))).toHaveLength(7);
    expect(codes.filter((c: string) => c.startsWith('S'))).toHaveLength(2);
    expect(codes.filter((c: string) => c.startsWith('D'))).toHaveLength(7);
    expect(cats.body.items.find((c: any) => c.code === 'S1').name).toContain('脱管漏管虚管');
    expect(cats.body.items.find((c: any) => c.code === 'S2').name).toContain('司法掮客');

    const list = await office.get('/api/rectification/items?pageSize=100');
    expect(list.status).toBe(200);
    expect(list.body.campaignId).toBe('campaign-1');
    expect(list.body.total).toBeGreaterThanOrEqual(20);
    expect(list.body.items.map((i: any) => i.seq)).toEqual(list.body.items.map((_: unknown, k: number) => k + 1));
    const overdue = list.body.items.filter((i: any) => i.state === 'overdue');
    expect(overdue.length).toBeGreaterThanOrEqual(2);
    expect(overdue.every((i: any) => i.deadline < '2026-11-23' && ['not_started', 'in_progress'].includes(i.status))).toBe(true);

    // The eight adoptions of the symposium are linked to items, and the two figures agree.
    const adoptions = await db().selectFrom('opinion_adoption').select(['status', 'target_ref']).where('target', '=', 'ledger').execute();
    expect(adoptions).toHaveLength(8);
    expect(adoptions.every((a) => a.status === 'linked' && a.target_ref)).toBe(true);
    const fromOpinions = list.body.items.filter((i: any) => i.source === 'opinion');
    expect(fromOpinions.map((i: any) => i.id).sort()).toEqual(adoptions.map((a) => a.target_ref).sort());
    const stats = (await office.get('/api/stats')).body;
    expect(stats.opinions.adoptedIntoLedger).toBe(8);
    const all = await collectStats(systemCtx(s.deps));
    const ledger = all.ledger as { total: number; byStatus: Record<string, number>; overdue: number };
    expect(ledger.total).toBe(await count('rectification_item'));
    expect(Object.values(ledger.byStatus).reduce((a, b) => a + b, 0)).toBe(ledger.total);
    // ledger.overdue counts every open item past its deadline, sub-items included.
    const lateRows = await db()
      .selectFrom('rectification_item')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', 'in', ['not_started', 'in_progress'])
      .where('deadline', '<', '2026-11-23')
      .executeTakeFirstOrThrow();
    expect(ledger.overdue).toBe(Number(lateRows.n));

    // The special action's sub-items, one per county, roll up into their parent.
    const parent = list.body.items.find((i: any) => i.title.includes('脱管漏管虚管'));
    expect(parent.childCount).toBe(12);
    const detail = await office.get(`/api/rectification/items/${parent.id}`);
    expect(detail.body.children).toHaveLength(12);
    const mean = detail.body.children.reduce((a: number, c: any) => a + c.progress * c.weight, 0) / detail.body.children.reduce((a: number, c: any) => a + c.weight, 0);
    expect(detail.body.progress).toBeCloseTo(mean, 1);
    expect(detail.body.children[0].number).toBe(`${parent.seq}-1`);

    // Signed-off items carry their evidence.
    const signed = list.body.items.find((i: any) => i.status === 'signed_off' && i.childCount === 0);
    const signedDetail = await office.get(`/api/rectification/items/${signed.id}`);
    expect(signedDetail.body.progressReports.some((p: any) => p.attachments.length > 0)).toBe(true);
    const file = signedDetail.body.progressReports.find((p: any) => p.attachments.length).attachments[0];
    const got = await office.get(`/api/files/${file.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toContain('image/png');
  });

  it('numbers new items after the last, checks dates, categories, units and people, and a refusal writes nothing', async () => {
    const before = await counts();
    const bad = [
      [item({ deadline: '2026-11-01' }), 'deadline', /不能早于开始日期/],
      [item({ mode: 'deadline', deadline: null }), 'deadline', /限期整治须填写完成时限/],
      [item({ categoryId: 'no-such-category' }), 'categoryId', /问题类别/],
      [item({ categoryId: await categoryId('P1', 'campaign-2') }), 'categoryId', /本批次/],
      [item({ campaignId: 'campaign-9' }), 'campaignId', /批次/],
      [item({ title: '短' }), 'title', /问题名称/],
      [item({ responsiblePersonId: 'nobody' }), 'responsiblePersonId', /责任人/],
    ] as const;
    for (const [body, field, message] of bad) {
      const r = await office.post('/api/rectification/items', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toMatch(message);
    }
    // A unit admin of 红山区 may not give an item to 宁城县, nor name a 宁城县 officer.
    const ncxPerson = (await db().selectFrom('person').select('id').where('org_unit_id', '=', unit.NCX!).executeTakeFirstOrThrow()).id;
    expect((await unitadmin.post('/api/rectification/items', item({ orgUnitId: unit.NCX }))).status).toBe(403);
    const outside = await unitadmin.post('/api/rectification/items', item({ responsiblePersonId: ncxPerson }));
    expect(outside.status).toBe(400);
    expect(outside.body.field).toBe('responsiblePersonId');
    // An officer may read the items they answer for, never write.
    expect((await officer.post('/api/rectification/items', item())).status).toBe(403);
    expect(await counts()).toEqual(before);

    const last = (await office.get('/api/rectification/items?campaignId=campaign-1&pageSize=200')).body.total;
    const created = await unitadmin.post('/api/rectification/items', item({ categoryId: await categoryId('D5') }));
    expect(created.status).toBe(201);
    expect(created.body.seq).toBe(last + 1);
    const audit = await db().selectFrom('audit_log').select(['action', 'entity_type']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'create', entity_type: 'rectification_item' });
  });

  it('each role sees the items in its scope: the city, its own county, the officer only what they answer for', async () => {
    const mine = await office.post('/api/rectification/items', item({ title: '司法所档案室防潮设施不足', orgUnitId: unit['HSQ-01'], responsiblePersonId: officerPersonId }));
    const city = await office.post('/api/rectification/items', item({ title: '市局机关会议室预约混乱', orgUnitId: unit.CFSJ, responsiblePersonId: null }));
    expect([mine.status, city.status]).toEqual([201, 201]);

    const seenBy = async (c: Client) => new Set((await c.get('/api/rectification/items?campaignId=campaign-1&pageSize=200')).body.items.map((i: any) => i.id));
    const [o, u, me] = await Promise.all([seenBy(office), seenBy(unitadmin), seenBy(officer)]);
    expect(o.has(mine.body.id) && o.has(city.body.id)).toBe(true);
    expect(u.has(mine.body.id)).toBe(true);
    expect(u.has(city.body.id)).toBe(false);
    expect([...me]).toEqual([mine.body.id]);
    // 红山区's share of the city-wide special action (a sub-item whose parent it cannot see) is on its list.
    const share = await db()
      .selectFrom('rectification_item')
      .select('id')
      .where('org_unit_id', '=', unit.HSQ!)
      .where('parent_key', '!=', '')
      .where('title', 'like', '%社区矫正对象排查')
      .executeTakeFirstOrThrow();
    expect(u.has(share.id)).toBe(true);
    expect(o.has(share.id)).toBe(false); // the office sees it under its parent
    expect((await unitadmin.get(`/api/rectification/items/${city.body.id}`)).status).toBe(404);
    expect((await officer.get(`/api/rectification/items/${city.body.id}`)).status).toBe(404);
    // Nor can an item outside one's scope be made a parent.
    const child = await unitadmin.post('/api/rectification/items', item({ parentId: city.body.id }));
    expect(child.status).toBe(400);
    expect(child.body.field).toBe('parentId');
  });

  it('progress rolls up by weight; sign-off needs the work finished and its evidence; a signed-off item is closed', async () => {
    const parent = await office.post('/api/rectification/items', item({ title: '红山区司法所规范化建设', orgUnitId: unit.HSQ }));
    const a = await office.post('/api/rectification/items', item({ title: '司法所标识标牌统一', parentId: parent.body.id, weight: 1 }));
    const b = await office.post('/api/rectification/items', item({ title: '司法所调解室改造提升', parentId: parent.body.id, weight: 3 }));
    expect([parent.status, a.status, b.status]).toEqual([201, 201, 201]);
    expect([a.body.seq, b.body.seq]).toEqual([1, 2]);

    // A parent's progress comes from its sub-items only.
    const direct = await office.post(`/api/rectification/items/${parent.body.id}/progress`, { percent: 50, note: '推进中' });
    expect(direct.status).toBe(400);
    expect(direct.body.field).toBe('percent');

    const file = await evidence(unitadmin);
    expect((await unitadmin.post(`/api/rectification/items/${a.body.id}/progress`, { percent: 100, note: '标识标牌已全部更换', attachmentIds: [file] })).status).toBe(201);
    expect((await unitadmin.post(`/api/rectification/items/${b.body.id}/progress`, { percent: 50, note: '调解室改造已完成一半' })).status).toBe(201);
    let p = (await office.get(`/api/rectification/items/${parent.body.id}`)).body;
    expect(p.progress).toBe(62.5); // (100×1 + 50×3) / 4
    expect(p.status).toBe('in_progress');
    expect(p.children.map((c: any) => c.number)).toEqual([`${p.seq}-1`, `${p.seq}-2`]);

    // Sign-off: not by a unit admin; not before done; not without evidence; not the parent before its sub-items.
    const before = await counts();
    expect((await unitadmin.post(`/api/rectification/items/${a.body.id}/sign-off`, { note: '同意销号' })).status).toBe(403);
    const early = await office.post(`/api/rectification/items/${b.body.id}/sign-off`, { note: '同意销号' });
    expect(early.status).toBe(400);
    expect(early.body.field).toBe('status');
    expect((await unitadmin.post(`/api/rectification/items/${b.body.id}/progress`, { percent: 100, note: '调解室改造完成' })).status).toBe(201);
    const bare = await office.post(`/api/rectification/items/${b.body.id}/sign-off`, { note: '同意销号' });
    expect(bare.status).toBe(400);
    expect(bare.body.field).toBe('attachmentIds');
    expect(bare.body.message).toMatch(/佐证材料/);
    p = (await office.get(`/api/rectification/items/${parent.body.id}`)).body;
    expect(p.progress).toBe(100);
    expect(p.status).toBe('done');
    const parentEarly = await office.post(`/api/rectification/items/${parent.body.id}/sign-off`, { note: '同意销号' });
    expect(parentEarly.status).toBe(400);
    expect(parentEarly.body.field).toBe('children');
    const afterRefusals = await counts();
    expect(afterRefusals.items).toBe(before.items);
    expect(afterRefusals.audit).toBe(before.audit + 1); // only the progress report
    expect((await db().selectFrom('rectification_item').select('status').where('id', '=', b.body.id).executeTakeFirstOrThrow()).status).toBe('done');

    // The evidence opens for whoever may read the item, and not for an officer outside it.
    const detailA = (await office.get(`/api/rectification/items/${a.body.id}`)).body;
    expect(detailA.progressReports[0].attachments.map((f: any) => f.id)).toEqual([file]);
    expect((await office.get(`/api/files/${file}`)).status).toBe(200);
    expect((await officer.get(`/api/files/${file}`)).status).toBe(404);

    expect((await office.post(`/api/rectification/items/${a.body.id}/sign-off`, { note: '经核验，整改到位' })).status).toBe(200);
    const file2 = await evidence(unitadmin);
    expect((await unitadmin.post(`/api/rectification/items/${b.body.id}/progress`, { percent: 100, note: '补充佐证照片', attachmentIds: [file2] })).status).toBe(201);
    expect((await office.post(`/api/rectification/items/${b.body.id}/sign-off`, { note: '经核验，整改到位' })).status).toBe(200);
    expect((await office.post(`/api/rectification/items/${parent.body.id}/sign-off`, { note: '子事项全部销号' })).status).toBe(200);
    p = (await office.get(`/api/rectification/items/${parent.body.id}`)).body;
    expect(p.status).toBe('signed_off');
    expect(p.signOffNote).toBe('子事项全部销号');

    const frozen = await counts();
    expect((await office.patch(`/api/rectification/items/${a.body.id}`, { title: '改个名字试试' })).status).toBe(409);
    expect((await unitadmin.post(`/api/rectification/items/${a.body.id}/progress`, { percent: 90, note: '再报一次' })).status).toBe(409);
    expect((await office.post('/api/rectification/items', item({ parentId: parent.body.id }))).status).toBe(400);
    expect(await counts()).toEqual(frozen);
  });

  it('an opinion taken into the ledger becomes an item in the same step, and the public follows it by receipt code', async () => {
    const pub = s.client();
    const sub = await pub.post('/api/public/opinions', { content: '建议红山区公证处周六上午也能办理公证业务，方便上班族。', identity: 'anonymous' });
    expect(sub.status).toBe(201);
    const found = await office.get(`/api/opinions?q=${encodeURIComponent('周六上午')}`);
    const opinionId = found.body.items.find((o: any) => o.publicNo === sub.body.publicNo).id;
    const adopted = await office.post(`/api/opinions/${opinionId}/adopt`, { target: 'ledger', title: '公证处周末延时服务' });
    expect(adopted.status).toBe(201);
    const itemId = adopted.body.targetRef;
    expect(itemId).toBeTruthy();
    const row = await db().selectFrom('rectification_item').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'opinion', source_ref: opinionId, title: '公证处周末延时服务', list: 'ledger', is_public: 0 });
    expect((await db().selectFrom('opinion_adoption').select('status').where('target_ref', '=', itemId).executeTakeFirstOrThrow()).status).toBe('linked');

    // Unpublished: the receipt code finds the adoption but shows nothing of the item.
    let follow = await pub.get(`/api/public/rectification/follow/${encodeURIComponent(sub.body.receiptCode)}`);
    expect(follow.status).toBe(200);
    expect(follow.body).toMatchObject({ publicNo: sub.body.publicNo, adopted: 1, items: [] });
    expect((await pub.get(`/api/public/rectification/${itemId}`)).status).toBe(404);

    expect((await office.patch(`/api/rectification/items/${itemId}`, { isPublic: true, mode: 'deadline', deadline: '2026-12-31', goal: '周六上午可办理公证' })).status).toBe(200);
    follow = await pub.get(`/api/public/rectification/follow/${encodeURIComponent(sub.body.receiptCode)}`);
    expect(follow.body.items).toHaveLength(1);
    expect(follow.body.items[0]).toMatchObject({ id: itemId, title: '公证处周末延时服务', goal: '周六上午可办理公证', deadline: '2026-12-31', statusLabel: '未开始' });
    expect((await pub.get('/api/public/rectification/follow/XXXX-XXXX-XXXX-XXXX')).status).toBe(404);
  });

  it('the public ledger shows published items with goal, deadline, progress and how to report, and nobody behind them', async () => {
    const pub = s.client();
    const r = await pub.get('/api/public/rectification?pageSize=50');
    expect(r.status).toBe(200);
    const published = await db().selectFrom('rectification_item').select('id').where('is_public', '=', 1).where('parent_key', '=', '').execute();
    expect(r.body.total).toBe(published.length);
    expect(r.body.items.length).toBe(Math.min(50, published.length));
    for (const i of r.body.items) {
      expect(i).toHaveProperty('goal');
      expect(i).toHaveProperty('deadline');
      expect(typeof i.progress).toBe('number');
      expect(i.reportingChannel).toMatch(/12345/);
      // Staff, persons and source records stay inside.
      expect(Object.keys(i)).not.toEqual(expect.arrayContaining(['responsiblePersonId']));
      for (const k of ['responsiblePersonId', 'responsiblePersonName', 'sourceRef', 'description', 'signOffNote']) expect(i).not.toHaveProperty(k);
    }
    const text = JSON.stringify(r.body);
    const names = (await db().selectFrom('person').innerJoin('rectification_item', 'rectification_item.responsible_person_id', 'person.id').select('person.name').where('rectification_item.is_public', '=', 1).execute()).map((p) => p.name);
    for (const n of names) expect(text).not.toContain(n);

    const rates = await pub.get('/api/public/rectification/rates');
    expect(rates.status).toBe(200);
    const staff = (await office.get('/api/opinions/stats')).body;
    expect(rates.body.onTimeReplyRate).toBe(staff.onTimeReplyRate);
    expect(rates.body.units.length).toBeGreaterThan(0);
  });

  it('the public rates a finished published item once per address; an open or unpublished one cannot be rated', async () => {
    const pub = s.client();
    const list = (await pub.get('/api/public/rectification?pageSize=50')).body.items;
    const open = list.find((i: any) => !i.canRate);
    const finished = list.find((i: any) => i.canRate && !i.rating);
    const before = await count('rectification_rating');
    expect((await pub.post(`/api/public/rectification/${open.id}/rating`, { rating: 5 })).status).toBe(409);
    const bad = await pub.post(`/api/public/rectification/${finished.id}/rating`, { rating: 9 });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('rating');
    const hidden = await db().selectFrom('rectification_item').select('id').where('is_public', '=', 0).where('status', '=', 'signed_off').executeTakeFirstOrThrow();
    expect((await pub.post(`/api/public/rectification/${hidden.id}/rating`, { rating: 5 })).status).toBe(404);
    expect(await count('rectification_rating')).toBe(before);

    expect((await pub.post(`/api/public/rectification/${finished.id}/rating`, { rating: 4, comment: '改得不错' })).status).toBe(200);
    const again = await s.client().post(`/api/public/rectification/${finished.id}/rating`, { rating: 1 });
    expect(again.status).toBe(409);
    expect(await count('rectification_rating')).toBe(before + 1);
    const shown = (await pub.get(`/api/public/rectification/${finished.id}`)).body;
    expect(shown.rating).toEqual({ count: 1, average: 4 });
  });

  it('reminds each responsible unit of its overdue items once, and again only after a new deadline passes', async () => {
    const created = await unitadmin.post('/api/rectification/items', item({ title: '司法所值班电话无人接听', startDate: '2026-11-01', deadline: '2026-11-20' }));
    expect(created.status).toBe(201);
    const listed = (await unitadmin.get('/api/rectification/items?campaignId=campaign-1&state=overdue&pageSize=200')).body.items;
    expect(listed.map((i: any) => i.id)).toContain(created.body.id);
    expect(listed.every((i: any) => i.stateLabel === '已逾期')).toBe(true);
    const notStarted = (await unitadmin.get('/api/rectification/items?campaignId=campaign-1&state=not_started&pageSize=200')).body.items;
    expect(notStarted.map((i: any) => i.id)).not.toContain(created.body.id);

    const first = await remindOverdueItems(s.deps);
    expect(first.items).toBeGreaterThanOrEqual(1);
    const notes = (await unitadmin.get('/api/notifications?pageSize=50')).body.items;
    const mine = notes.find((n: any) => n.body?.includes('司法所值班电话无人接听'));
    expect(mine.title).toMatch(/已超过完成时限/);
    expect(mine.link).toBe('/rectification?state=overdue');
    // The same day again: nothing new.
    expect(await remindOverdueItems(s.deps)).toEqual({ units: 0, items: 0 });
    // A new deadline that passes in turn is told again.
    expect((await unitadmin.patch(`/api/rectification/items/${created.body.id}`, { deadline: '2026-11-25' })).status).toBe(200);
    clock.advance(3 * 86_400_000);
    unitadmin = await s.as('unitadmin');
    const later = await remindOverdueItems(s.deps);
    expect(later.items).toBe(1);
    clock.set(new Date('2026-11-23T02:00:00Z'));
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
  });

  it('exports the ledger in the usual columns, sub-items after their parent, within the caller scope', async () => {
    const r = await unitadmin.get('/api/rectification/items/export?campaignId=campaign-1');
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    for (const h of ['序号', '问题描述', '整改措施', '责任单位', '责任人', '完成时限', '整改进展', '状态']) expect(header).toContain(h);
    const unitCol = header.indexOf('责任单位') + 1;
    const hsq = await db().selectFrom('org_unit').select('path').where('id', '=', unit.HSQ!).executeTakeFirstOrThrow();
    const inScope = new Set((await db().selectFrom('org_unit').select('name').where('path', 'like', `${hsq.path}%`).execute()).map((u) => u.name));
    const numbers: string[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      numbers.push(String(row.getCell(1).value));
      expect(inScope.has(String(row.getCell(unitCol).value))).toBe(true);
    });
    expect(numbers.length).toBeGreaterThan(0);
    // A sub-item (n-k) follows its parent (n) or its sibling, unless its parent is outside the scope
    // (the county's share of a city-wide item), in which case the parent is not in the file at all.
    for (const [k, num] of numbers.entries()) {
      if (!num.includes('-')) continue;
      const parent = num.split('-')[0]!;
      if (numbers.includes(parent)) expect(numbers[k - 1]!.split('-')[0]).toBe(parent);
    }
    expect(numbers.some((n) => n.includes('-'))).toBe(true);
  });

  it('the catalogue: defaults once per campaign, the bureau adds its own, only the office edits', async () => {
    const before = await count('problem_category');
    const again = await office.post('/api/rectification/categories/defaults', { campaignId: 'campaign-1' });
    expect(again.body).toEqual({ added: 0 });
    expect((await unitadmin.post('/api/rectification/categories', { campaignId: 'campaign-1', kind: 'persistent', name: '基层法律服务所违规代理' })).status).toBe(403);
    const bad = await office.post('/api/rectification/categories', { campaignId: 'campaign-1', kind: 'nonsense', name: '基层法律服务所违规代理' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('kind');
    expect(await count('problem_category')).toBe(before);
    const made = await office.post('/api/rectification/categories', { campaignId: 'campaign-1', kind: 'persistent', name: '基层法律服务所违规代理' });
    expect(made.status).toBe(201);
    expect(made.body.code).toBe('X1');
    expect((await office.patch(`/api/rectification/categories/${made.body.id}`, { enabled: false })).status).toBe(200);
    const use = await office.post('/api/rectification/items', item({ categoryId: made.body.id }));
    expect(use.status).toBe(400);
    expect(use.body.field).toBe('categoryId');
  });
});

describe.each(targets())('rectification ledger import on %s', (target) => {
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;

  beforeAll(async () => {
    s = await startServer(target);
    [office, unitadmin] = await Promise.all([s.as('office'), s.as('unitadmin')]);
  });
  afterAll(async () => s?.close());

  const itemCount = async () =>
    Number((await s.deps.db.selectFrom('rectification_item').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const auditCount = async () => Number((await s.deps.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  async function workbook(rows: (string | number | Date)[][]): Promise<Buffer> {
    const tpl = await office.get('/api/rectification/items/import-template');
    expect(tpl.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.body);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as string[]).slice(1);
    const out = new ExcelJS.Workbook();
    const sheet = out.addWorksheet('台账');
    sheet.addRow(headers);
    for (const r of rows) sheet.addRow(r);
    return Buffer.from(await out.xlsx.writeBuffer());
  }
  // 序号 问题名称 问题描述 问题类别 问题来源 整改措施 整改目标 整改方式 责任单位 单位编码 责任人 开始日期 完成时限 整改进展 向社会公开
  const row = (over: Partial<Record<number, string | Date>> = {}) => {
    const r: (string | Date)[] = ['1', '窗口午间无人值守', '个别司法所工作日午间无人值守，群众办事不便。', 'D5', '督导检查', '实行午间轮值。', '午间有人值守', '限期整治', '', 'HSQ', '', '2026-04-01', '2026/5/31', '60%', '是'];
    for (const [k, v] of Object.entries(over)) r[Number(k)] = v!;
    return r;
  };
  const upload = (c: Client, data: Buffer, query: string) =>
    c.post(`/api/rectification/items/import?campaignId=campaign-2&${query}`, fileForm(data, '台账.xlsx'));

  it('imports an Excel ledger with sub-items, people by name and the dates people type; mode=all refuses the whole file on one bad row', async () => {
    const hsqPerson = await s.deps.db
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .select('person.name')
      .where('org_unit.code', '=', 'HSQ')
      .orderBy('person.id')
      .executeTakeFirstOrThrow();
    const names = await s.deps.db
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .select(sql<number>`count(*)`.as('n'))
      .where('person.name', '=', hsqPerson.name)
      .where('org_unit.code', '=', 'HSQ')
      .executeTakeFirstOrThrow();
    expect(Number(names.n)).toBe(1);
    const good = [
      row({ 10: hsqPerson.name }),
      row({ 0: '1-1', 1: '文钟司法所午间值守', 2: '文钟司法所落实午间轮值制度。', 9: 'HSQ-01', 12: '2026年5月15日', 13: '100%', 14: '否' }),
      row({ 0: '2', 1: '', 2: '调解卷宗要素缺失，需统一标准。', 3: '', 4: '智能化数据排查', 7: '', 12: '', 13: '' }),
    ];
    const bad = [...good, row({ 0: '3', 2: '短', 9: 'NOPE', 12: '2026-02-30' })];
    const before = { items: await itemCount(), audit: await auditCount() };
    const refused = await upload(office, await workbook(bad), 'mode=all');
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ imported: 0, totalRows: 4 });
    expect(refused.body.errors.map((e: any) => e.field).sort()).toEqual(['单位编码', '完成时限', '问题描述'].sort());
    expect(refused.body.errors.every((e: any) => e.row === 5)).toBe(true);
    expect({ items: await itemCount(), audit: await auditCount() }).toEqual(before);

    const dry = await upload(office, await workbook(good), 'mode=all&dryRun=1');
    expect(dry.body).toMatchObject({ imported: 0, errors: [], dryRun: true });
    expect(await itemCount()).toBe(before.items);

    const done = await upload(office, await workbook(good), 'mode=all');
    expect(done.body).toMatchObject({ imported: 3, errors: [] });
    expect(await auditCount()).toBe(before.audit + 1);
    const list = (await office.get('/api/rectification/items?campaignId=campaign-2&pageSize=200')).body.items;
    const first = list.find((i: any) => i.title === '窗口午间无人值守');
    expect(first).toMatchObject({ deadline: '2026-05-31', isPublic: true, categoryCode: 'D5', sourceLabel: '督导检查', responsiblePersonName: hsqPerson.name, childCount: 1 });
    // The parent's progress is its sub-item's, not the 60% typed on its row.
    expect(first.progress).toBe(100);
    const second = list.find((i: any) => i.description.startsWith('调解卷宗'));
    expect(second).toMatchObject({ title: '调解卷宗要素缺失', mode: 'concurrent', source: 'data_screening', deadline: null, progress: 0 });
    const detail = (await office.get(`/api/rectification/items/${first.id}`)).body;
    expect(detail.children[0]).toMatchObject({ title: '文钟司法所午间值守', deadline: '2026-05-15', progress: 100, status: 'done', isPublic: false });
  });

  it('good_rows imports the good rows and reports the others; a unit outside the importer scope is a row error', async () => {
    const before = await itemCount();
    const r = await upload(unitadmin, await workbook([row({ 0: '1' }), row({ 0: '2', 9: 'NCX' }), row({ 0: '2-1' }), row({ 0: '4', 13: '150%' })]), 'mode=good_rows');
    expect(r.status).toBe(200);
    expect(r.body.imported).toBe(1);
    const byRow = Object.fromEntries(r.body.errors.map((e: any) => [e.row, e]));
    expect(byRow[3]).toMatchObject({ field: '责任单位', message: '超出您的数据范围' });
    expect(byRow[4].field).toBe('序号'); // its parent (row 3) was refused
    expect(byRow[5]).toMatchObject({ field: '整改进展' });
    expect(await itemCount()).toBe(before + 1);
    const noHeaders = await upload(office, Buffer.from(await new ExcelJS.Workbook().addWorksheet('x').workbook.xlsx.writeBuffer()), 'mode=all');
    expect(noHeaders.status).toBe(400);
    expect(noHeaders.body.field).toBe('file');
  });
});
