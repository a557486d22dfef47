import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { fileForm, png } from '../support/files.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import '../../src/server/modules/figures.js';

// 问题线索 are restricted: only clue handlers see them, never one that concerns themselves; every view is
// audited and no audit entry holds a clue's text; leaders see counts only. A clue about a matter the
// person had declared in a signed self-check report is 自查从宽, with the declaration beside it.

describe.each(targets())('problem clues on %s', (target) => {
  let s: TestServer;
  let handler: Client;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let categories: Map<string, string>;

  beforeAll(async () => {
    s = await startServer(target);
    [handler, office, unitadmin, officer] = await Promise.all([s.as('cluehandler'), s.as('office'), s.as('unitadmin'), s.as('officer')]);
    categories = new Map(
      (await s.deps.db.selectFrom('problem_category').select(['id', 'code']).where('campaign_id', '=', 'campaign-1').execute()).map((c) => [c.code, c.id]),
    );
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const count = async (t: 'clue' | 'clue_event' | 'clue_subject' | 'audit_log') =>
    Number((await db().selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const lastAudit = () => db().selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const someone = async (offset = 0) => (await db().selectFrom('person').select(['id', 'org_unit_id']).where('status', '=', 'active').orderBy('id').offset(300 + offset).limit(1).executeTakeFirstOrThrow());

  function clue(over: Record<string, unknown> = {}) {
    return { campaignId: 'campaign-1', source: 'tip_off', categoryId: categories.get('S2'), summary: '举报某律师以“找关系”为由向当事人收取额外费用。', receivedOn: '2021-05-10', subjects: [], reporterName: '李某', reporterPhone: '139 0476 1234', ...over };
  }

  it('only clue handlers see clues; the list shows no text and its view is audited; leaders see counts only', async () => {
    for (const c of [office, unitadmin, officer]) expect((await c.get('/api/clues')).status).toBe(403);
    const list = await handler.get('/api/clues?campaignId=campaign-1&pageSize=50');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(await count('clue'));
    const sources = new Set(list.body.items.map((c: any) => c.source));
    for (const src of ['self_check', 'tip_off', 'data_screening', 'case_review', 'other']) expect(sources.has(src)).toBe(true);
    for (const c of list.body.items) {
      expect(c).not.toHaveProperty('summary');
      expect(c).not.toHaveProperty('reporter');
    }
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'read_protected', entity_type: 'clue' });
    expect(audit.after_json).toContain(list.body.items[0].clueNo);

    const counts = await office.get('/api/clues/stats');
    expect(counts.status).toBe(200);
    expect(counts.body.total).toBe(list.body.total);
    expect(JSON.stringify(counts.body)).not.toMatch(/XS\d|id/);
    expect((await unitadmin.get('/api/clues/stats')).status).toBe(403);
    const officeStats = (await office.get('/api/stats')).body;
    expect(officeStats.clues.total).toBe(list.body.total);
    expect((await unitadmin.get('/api/stats')).body.clues.total).toBeNull();
    expect(((await collectStats(systemCtx(s.deps))).clues as { total: number }).total).toBe(list.body.total);
  });

  it('registers a clue with its evidence; the text and the reporter are sealed and never in the audit log', async () => {
    const p = await someone();
    const up = await handler.post('/api/files', fileForm(png(200, 10, 10), '举报材料.png'));
    expect(up.status).toBe(201);
    const before = await count('clue');
    const bad: [Record<string, unknown>, string][] = [
      [clue({ subjects: [] }), 'subjects'],
      [clue({ subjects: [{}] }), 'subjects.0.personId'],
      [clue({ subjects: [{ personId: 'nobody' }] }), 'subjects.0.personId'],
      [clue({ subjects: [{ personId: p.id }], summary: '太短了' }), 'summary'],
      [clue({ subjects: [{ personId: p.id }], receivedOn: '2099-01-01' }), 'receivedOn'],
      [clue({ subjects: [{ personId: p.id }], categoryId: 'not-a-category' }), 'categoryId'],
      [clue({ subjects: [{ personId: p.id }], source: 'rumour' }), 'source'],
    ];
    for (const [body, field] of bad) {
      const r = await handler.post('/api/clues', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field).toBe(field);
    }
    expect(await count('clue')).toBe(before);
    expect((await office.post('/api/clues', clue({ subjects: [{ personId: p.id }] }))).status).toBe(403);

    const made = await handler.post('/api/clues', clue({ subjects: [{ personId: p.id }], attachmentIds: [up.body.id] }));
    expect(made.status).toBe(201);
    expect(made.body.clueNo).toMatch(/^XS20210510\d{4}$/);
    const row = await db().selectFrom('clue').selectAll().where('id', '=', made.body.id).executeTakeFirstOrThrow();
    expect(row.summary_enc).not.toContain('律师');
    expect(row.reporter_name_enc).not.toContain('李某');
    const audits = await db().selectFrom('audit_log').select(['before_json', 'after_json']).where('entity_type', 'in', ['clue', 'attachment']).execute();
    for (const a of audits) expect(`${a.before_json}${a.after_json}`).not.toMatch(/找关系|李某|13904761234/);

    const detail = await handler.get(`/api/clues/${made.body.id}`);
    expect(detail.body).toMatchObject({ summary: clue().summary, reporter: { named: true }, stageLabel: '待处置', sourceLabel: '举报' });
    expect(detail.body.attachments.map((f: any) => f.id)).toEqual([up.body.id]);
    expect((await lastAudit())).toMatchObject({ action: 'read_protected', entity_type: 'clue', entity_id: made.body.id });
    const identity = await handler.get(`/api/clues/${made.body.id}?identity=1`);
    expect(identity.body.reporter).toEqual({ name: '李某', phone: '13904761234' });
    expect(JSON.parse((await lastAudit()).after_json!)).toMatchObject({ identity: true });
    // Evidence opens for clue handlers only (and that read is audited too).
    expect((await handler.get(`/api/files/${up.body.id}`)).status).toBe(200);
    expect((await office.get(`/api/files/${up.body.id}`)).status).toBe(404);
  });

  it('moves through disposal, verification and closure in order; a wrong step writes nothing', async () => {
    const p = await someone(1);
    const made = await handler.post('/api/clues', clue({ subjects: [{ personId: p.id }] }));
    const id = made.body.id;
    const snapshot = async () => ({ clue: await db().selectFrom('clue').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), events: await count('clue_event') });
    const s0 = await snapshot();
    expect((await handler.post(`/api/clues/${id}/verify`, { outcome: 'true', verifiedOn: '2021-05-20', note: '核实属实' })).status).toBe(409);
    const noDue = await handler.post(`/api/clues/${id}/dispose`, { method: 'preliminary_verification', note: '初步核实' });
    expect(noDue.status).toBe(400);
    expect(noDue.body.field).toBe('due');
    expect(await snapshot()).toEqual(s0);

    // Each step has its deadline: a disposal decision within 15 days of receipt, then the disposal's own.
    expect((await handler.get(`/api/clues/${id}`)).body).toMatchObject({ stageDue: '2021-05-25', overdue: true });
    expect((await handler.post(`/api/clues/${id}/dispose`, { method: 'preliminary_verification', due: '2021-06-10', note: '经研究，初步核实' })).status).toBe(200);
    expect((await handler.get(`/api/clues/${id}`)).body).toMatchObject({ stageDue: '2021-06-10', disposalDue: '2021-06-10' });
    expect((await handler.post(`/api/clues/${id}/dispose`, { method: 'talk_inquiry', due: '2021-06-10', note: '再处置一次' })).status).toBe(409);
    expect((await handler.post(`/api/clues/${id}/verify`, { outcome: 'untrue', verifiedOn: '2021-06-01', note: '经核实，反映问题不属实' })).status).toBe(200);
    expect((await handler.get(`/api/clues/${id}`)).body.stageDue).toBe('2021-07-01'); // the disposition within 30 days
    const s1 = await snapshot();
    const wrong = await handler.post(`/api/clues/${id}/close`, { disposition: 'admonishment', closedOn: '2021-06-05', note: '诫勉谈话' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.field).toBe('disposition');
    expect(await snapshot()).toEqual(s1);
    expect((await handler.post(`/api/clues/${id}/close`, { disposition: 'none', closedOn: '2021-06-05', note: '予以澄清，不予处理' })).status).toBe(200);
    const d = (await handler.get(`/api/clues/${id}`)).body;
    expect(d).toMatchObject({ stage: 'closed', verificationOutcomeLabel: '不属实', dispositionLabel: '不予处理', stageDue: null, overdue: false });
    expect(d.history.map((h: any) => h.kind)).toEqual(['registered', 'dispose:preliminary_verification', 'verify:untrue', 'close:none']);
    expect(d.history[2].note).toBe('经核实，反映问题不属实');
  });

  it('自查从宽 only when the person had declared the same matter in a report signed before the clue; otherwise 被查从严', async () => {
    // The demo's self-reported clues.
    const list = (await handler.get('/api/clues?campaignId=campaign-1&source=self_check')).body.items;
    expect(list.length).toBeGreaterThan(0);
    const selfReported = (await handler.get(`/api/clues/${list[0].id}`)).body;
    expect(selfReported.leniency[0]).toMatchObject({ leniency: 'self_reported', leniencyLabel: '自查从宽' });
    expect(selfReported.leniency[0].declaration.description).toBeTruthy();

    // Someone who declared P2 (a spouse's business) in their signed report.
    const declarer = await db()
      .selectFrom('self_check_report')
      .select(['person_id', 'answers'])
      .where('campaign_id', '=', 'campaign-1')
      .where('status', '=', 'signed')
      .where('declared_count', '>', 0)
      .execute();
    const p2 = declarer.find((d) => JSON.parse(d.answers).some((a: any) => a.code === 'P2' && a.answer === 'yes'))!;
    expect(p2).toBeTruthy();
    const same = await handler.post('/api/clues', clue({ source: 'data_screening', categoryId: categories.get('P2'), summary: '工商信息比对发现该干警配偶经营企业。', subjects: [{ personId: p2.person_id }] }));
    const other = await handler.post('/api/clues', clue({ source: 'tip_off', categoryId: categories.get('D6'), summary: '有人反映该干警经常出入娱乐场所。', subjects: [{ personId: p2.person_id }] }));
    const sameD = (await handler.get(`/api/clues/${same.body.id}`)).body;
    expect(sameD.leniency[0]).toMatchObject({ leniency: 'self_reported', declaration: { item: expect.stringContaining('经商办企业') } });
    const otherD = (await handler.get(`/api/clues/${other.body.id}`)).body;
    expect(otherD.leniency[0]).toMatchObject({ leniency: 'found_by_investigation', leniencyLabel: '被查从严', declaration: null });

    // A declaration signed only after the clue was registered does not make it self-reported.
    const officerPerson = (await db().selectFrom('app_user').select('person_id').where('username', '=', 'officer').executeTakeFirstOrThrow()).person_id!;
    const late = await handler.post('/api/clues', clue({ source: 'tip_off', categoryId: categories.get('P3'), summary: '反映该干警与服务对象之间存在借贷往来。', subjects: [{ personId: officerPerson }] }));
    const mine = (await officer.get('/api/self-checks/mine?campaignId=campaign-1')).body;
    const answers = mine.items.map((i: any) => (i.code === 'P3' ? { categoryId: i.categoryId, answer: 'yes', description: '曾向服务对象借款，已归还。' } : { categoryId: i.categoryId, answer: 'no' }));
    const saved = await officer.put('/api/self-checks/mine', { campaignId: 'campaign-1', answers });
    const name = (await db().selectFrom('person').select('name').where('id', '=', officerPerson).executeTakeFirstOrThrow()).name;
    expect((await officer.post('/api/self-checks/mine/sign', { campaignId: 'campaign-1', signedName: name, digest: saved.body.digest })).status).toBe(200);
    expect((await handler.get(`/api/clues/${late.body.id}`)).body.leniency[0].leniency).toBe('found_by_investigation');
  });

  it('a handler never sees a clue that concerns themself, nor can register one', async () => {
    const p = await someone(2);
    const about = await handler.post('/api/clues', clue({ subjects: [{ personId: p.id }], summary: '反映该线索管理员本人的问题，应回避。' }));
    expect(about.status).toBe(201);
    // The handler's account is now that person's.
    await db().updateTable('app_user').set({ person_id: p.id }).where('username', '=', 'cluehandler').execute();
    try {
      const me = await s.as('cluehandler');
      const list = (await me.get('/api/clues?campaignId=campaign-1&pageSize=200')).body.items;
      expect(list.map((c: any) => c.id)).not.toContain(about.body.id);
      expect((await me.get(`/api/clues/${about.body.id}`)).status).toBe(404);
      expect((await me.post(`/api/clues/${about.body.id}/dispose`, { method: 'shelved', note: '暂存' })).status).toBe(404);
      const own = await me.post('/api/clues', clue({ subjects: [{ personId: p.id }] }));
      expect(own.status).toBe(400);
      expect(own.body.field).toBe('subjects');
    } finally {
      await db().updateTable('app_user').set({ person_id: null }).where('username', '=', 'cluehandler').execute();
    }
  });
});
