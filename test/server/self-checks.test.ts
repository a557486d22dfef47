import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import '../../src/server/modules/figures.js';

// 自查事项报告表: an officer fills the report item by item and signs the pledge; a signed version never
// changes (a correction is a new version); coverage and the missing names are counts of the records;
// the office reads declarations (audited), units only see who has and has not submitted.

describe.each(targets())('self-check reports on %s', (target) => {
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let officerPersonId: string;
  let officerName: string;

  beforeAll(async () => {
    s = await startServer(target);
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
    const me = await s.deps.db
      .selectFrom('app_user')
      .innerJoin('person', 'person.id', 'app_user.person_id')
      .select(['person.id', 'person.name'])
      .where('app_user.username', '=', 'officer')
      .executeTakeFirstOrThrow();
    officerPersonId = me.id;
    officerName = me.name;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const reportsOf = (personId: string) =>
    db().selectFrom('self_check_report').selectAll().where('person_id', '=', personId).where('campaign_id', '=', 'campaign-1').orderBy('version').execute();
  const auditCount = async () => Number((await db().selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('an officer fills the report item by item, is told what is missing, and signs it with their own name over the digest', async () => {
    const mine = await officer.get('/api/self-checks/mine?campaignId=campaign-1');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(16);
    expect(mine.body.pledge).toMatch(/自查从宽、被查从严/);
    const items: { categoryId: string; code: string }[] = mine.body.items;
    const before = await reportsOf(officerPersonId);
    const audit0 = await auditCount();

    // Refusals write nothing.
    const noDetail = await officer.put('/api/self-checks/mine', { campaignId: 'campaign-1', answers: [{ categoryId: items[0]!.categoryId, answer: 'yes' }] });
    expect(noDetail.status).toBe(400);
    expect(noDetail.body.field).toBe('answers.0.description');
    const stranger = await officer.put('/api/self-checks/mine', { campaignId: 'campaign-1', answers: [{ categoryId: 'not-an-item', answer: 'no' }] });
    expect(stranger.status).toBe(400);
    expect(stranger.body.field).toBe('answers.0.categoryId');
    expect(await reportsOf(officerPersonId)).toEqual(before);
    expect(await auditCount()).toBe(audit0);

    // A partial draft is kept, but cannot be signed.
    const partial = await officer.put('/api/self-checks/mine', { campaignId: 'campaign-1', answers: items.slice(0, 5).map((i) => ({ categoryId: i.categoryId, answer: 'no' })) });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ complete: false, answered: 5, total: 16 });
    const early = await officer.post('/api/self-checks/mine/sign', { campaignId: 'campaign-1', signedName: officerName, digest: partial.body.digest });
    expect(early.status).toBe(400);
    expect(early.body.field).toBe('answers');
    expect(early.body.message).toMatch(/还有 11 项未作答/);

    const answers = items.map((i) => (i.code === 'P2' ? { categoryId: i.categoryId, answer: 'yes', description: '本人配偶经营一家打印店，与业务无关。' } : { categoryId: i.categoryId, answer: 'no' }));
    const full = await officer.put('/api/self-checks/mine', { campaignId: 'campaign-1', answers, freeText: '无其他需要说明的情况。' });
    expect(full.body).toMatchObject({ complete: true, answered: 16 });
    expect(full.body.version).toBe(partial.body.version);
    const wrongName = await officer.post('/api/self-checks/mine/sign', { campaignId: 'campaign-1', signedName: '张三丰', digest: full.body.digest });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.field).toBe('signedName');
    const stale = await officer.post('/api/self-checks/mine/sign', { campaignId: 'campaign-1', signedName: officerName, digest: partial.body.digest });
    expect(stale.status).toBe(409);
    const draftRow = (await reportsOf(officerPersonId)).at(-1)!;
    expect(draftRow.status).toBe('draft');

    const signed = await officer.post('/api/self-checks/mine/sign', { campaignId: 'campaign-1', signedName: officerName, digest: full.body.digest });
    expect(signed.status).toBe(200);
    expect(signed.body.digest).toBe(full.body.digest);
    const after = await officer.get('/api/self-checks/mine?campaignId=campaign-1');
    expect(after.body.current).toMatchObject({ status: 'signed', declaredCount: 1, signature: { name: officerName, digest: full.body.digest, intact: true } });
    expect(after.body.current.answers.find((a: any) => a.code === 'P2')).toMatchObject({ answer: 'yes', description: '本人配偶经营一家打印店，与业务无关。' });
    // Every earlier signed version is now superseded; only this one counts.
    const rows = await reportsOf(officerPersonId);
    expect(rows.filter((r) => r.status === 'signed')).toHaveLength(1);
  });

  it('a signed report never changes: a correction is a new version, signed in turn, and the old one is kept', async () => {
    const mine = (await officer.get('/api/self-checks/mine?campaignId=campaign-1')).body;
    const signedBefore = (await reportsOf(officerPersonId)).find((r) => r.status === 'signed')!;
    const answers = mine.items.map((i: any) => ({ categoryId: i.categoryId, answer: 'no' }));
    const draft = await officer.put('/api/self-checks/mine', { campaignId: 'campaign-1', answers });
    expect(draft.body.version).toBe(signedBefore.version + 1);
    // The signed version is exactly as signed.
    const still = (await reportsOf(officerPersonId)).find((r) => r.id === signedBefore.id)!;
    expect(still).toEqual(signedBefore);
    const signed = await officer.post('/api/self-checks/mine/sign', { campaignId: 'campaign-1', signedName: officerName, digest: draft.body.digest });
    expect(signed.status).toBe(200);
    const versions = (await officer.get('/api/self-checks/mine?campaignId=campaign-1')).body.versions;
    expect(versions[0]).toMatchObject({ version: signedBefore.version + 1, status: 'signed' });
    expect(versions.find((v: any) => v.id === signedBefore.id)).toMatchObject({ status: 'superseded' });
    const old = await officer.get(`/api/self-checks/${signedBefore.id}`);
    expect(old.body.signature).toMatchObject({ digest: signedBefore.content_digest, intact: true });

    // Altered behind the application's back, the signature no longer matches what is stored.
    await db().updateTable('self_check_report').set({ free_text: '篡改后的内容' }).where('id', '=', signedBefore.id).execute();
    const tampered = await officer.get(`/api/self-checks/${signedBefore.id}`);
    expect(tampered.body.signature.intact).toBe(false);
  });

  it('coverage and the missing names are counts of the records, within each role scope', async () => {
    const hsq = await db().selectFrom('org_unit').select(['id', 'path']).where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    const cov = await unitadmin.get('/api/self-checks/coverage?campaignId=campaign-1');
    expect(cov.status).toBe(200);
    const people = await db()
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .select('person.id')
      .where('person.status', '=', 'active')
      .where('org_unit.path', 'like', `${hsq.path}%`)
      .execute();
    const signedIds = new Set(
      (await db().selectFrom('self_check_report').select('person_id').where('campaign_id', '=', 'campaign-1').where('status', '=', 'signed').execute()).map((r) => r.person_id),
    );
    const submitted = people.filter((p) => signedIds.has(p.id)).length;
    expect(cov.body).toMatchObject({ total: people.length, submitted, missing: people.length - submitted });
    expect(cov.body.units.reduce((a: number, u: any) => a + u.total, 0)).toBe(people.length);
    expect(cov.body.missing).toBeGreaterThan(0);

    const missing = await unitadmin.get('/api/self-checks/missing?campaignId=campaign-1&pageSize=200');
    expect(missing.body.total).toBe(cov.body.missing);
    const missingIds = missing.body.items.map((m: any) => m.personId);
    expect(missingIds.every((id: string) => !signedIds.has(id) && people.some((p) => p.id === id))).toBe(true);

    // The office sees the whole city; the headline figures are the same counts.
    const all = (await office.get('/api/self-checks/coverage?campaignId=campaign-1')).body;
    const serving = Number((await db().selectFrom('person').select(sql<number>`count(*)`.as('n')).where('status', '=', 'active').executeTakeFirstOrThrow()).n);
    expect(all.total).toBe(serving);
    const figures = (await collectStats(systemCtx(s.deps))).selfChecks as { submitted: number; total: number };
    expect(figures).toEqual({ submitted: all.submitted, total: all.total });
    expect(figures.submitted / figures.total).toBeGreaterThan(0.9);

    expect((await officer.get('/api/self-checks/coverage')).status).toBe(403);
  });

  it('the missing list\'s total, from per-unit kept counts, stays the exact count through every change of people and reports', async () => {
    const hsq = await db().selectFrom('org_unit').select(['id', 'path']).where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    const other = await db().selectFrom('org_unit').select('id').where('path', 'not like', `${hsq.path}%`).where('parent_id', 'is not', null).executeTakeFirstOrThrow();
    // The kept rows equal a count from the base tables (zero rows may stay behind).
    const expectKept = async (step: string) => {
      const serving = await db().selectFrom('person').select(['org_unit_id', sql<number>`count(*)`.as('n')]).where('status', '=', 'active').groupBy('org_unit_id').execute();
      const signed = await db()
        .selectFrom('self_check_report as r')
        .innerJoin('person as p', 'p.id', 'r.person_id')
        .select(['r.campaign_id', 'p.org_unit_id', sql<number>`count(*)`.as('n')])
        .where('r.status', '=', 'signed')
        .where('p.status', '=', 'active')
        .groupBy(['r.campaign_id', 'p.org_unit_id'])
        .execute();
      const keptServing = await db().selectFrom('serving_unit_total').selectAll().where('n', '<>', 0).execute();
      const keptSigned = await db().selectFrom('self_check_unit_total').selectAll().where('n', '<>', 0).execute();
      const key = (r: { campaign_id?: string; org_unit_id: string; n: unknown }) => `${r.campaign_id ?? ''}/${r.org_unit_id}=${Number(r.n)}`;
      expect(keptServing.map(key).sort(), step).toEqual(serving.map(key).sort());
      expect(keptSigned.map(key).sort(), step).toEqual(signed.map(key).sort());
      // And the endpoint's total (a full page, so the total is not the page's end) is coverage's exact figure.
      for (const [who, q] of [[office, ''], [office, `&orgUnitId=${hsq.id}`], [unitadmin, '']] as const) {
        const cov = (await who.get(`/api/self-checks/coverage?campaignId=campaign-1${q}`)).body;
        const page = (await who.get(`/api/self-checks/missing?campaignId=campaign-1&pageSize=1${q}`)).body;
        expect(page.total, `${step} ${q}`).toBe(cov.missing);
        expect(page.totalCapped).toBeUndefined();
        // Past the end: no rows, the same total.
        const past = (await who.get(`/api/self-checks/missing?campaignId=campaign-1&pageSize=100&page=1000${q}`)).body;
        expect(past).toMatchObject({ items: [], total: cov.missing });
      }
    };
    await expectKept('as seeded');

    const signedPeople = (
      await db().selectFrom('self_check_report as r').innerJoin('person as p', 'p.id', 'r.person_id').select(['p.id', 'p.org_unit_id'])
        .where('r.campaign_id', '=', 'campaign-1').where('r.status', '=', 'signed').where('p.status', '=', 'active')
        .where('p.sort_key', 'like', `${hsq.path}%`).where('p.id', '<>', officerPersonId).limit(2).execute()
    );
    const [a, b] = signedPeople as [{ id: string; org_unit_id: string }, { id: string; org_unit_id: string }];
    // Retired, then serving again.
    await db().updateTable('person').set({ status: 'retired' }).where('id', '=', a.id).execute();
    await expectKept('a signer retired');
    await db().updateTable('person').set({ status: 'active' }).where('id', '=', a.id).execute();
    await expectKept('serving again');
    // Moved out of the unit admin's scope, and back; an update touching neither column.
    await db().updateTable('person').set({ org_unit_id: other.id }).where('id', '=', b.id).execute();
    await expectKept('a signer moved');
    await db().updateTable('person').set({ org_unit_id: b.org_unit_id, status: 'active' }).where('id', '=', b.id).execute();
    await db().updateTable('person').set({ post: 'clerk' }).where('id', '=', b.id).execute();
    await expectKept('moved back');
    // A report withdrawn behind the application's back, and put back; a new person.
    const report = await db().selectFrom('self_check_report').selectAll().where('person_id', '=', a.id).where('status', '=', 'signed').executeTakeFirstOrThrow();
    await db().deleteFrom('self_check_report').where('id', '=', report.id).execute();
    await expectKept('a signed report deleted');
    await db().insertInto('self_check_report').values(report).execute();
    await db().updateTable('self_check_report').set({ status: 'superseded' }).where('id', '=', report.id).execute();
    await expectKept('superseded');
    await db().updateTable('self_check_report').set({ status: 'signed' }).where('id', '=', report.id).execute();
    const created = await (await s.as('admin')).post('/api/people', { name: '新调入', orgUnitId: hsq.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await expectKept('a new person');
    // The officer signs once more (a new version supersedes the signed one).
    const mine = (await officer.get('/api/self-checks/mine?campaignId=campaign-1')).body;
    const draft = await officer.put('/api/self-checks/mine', { campaignId: 'campaign-1', answers: mine.items.map((i: any) => ({ categoryId: i.categoryId, answer: 'no' })) });
    expect((await officer.post('/api/self-checks/mine/sign', { campaignId: 'campaign-1', signedName: officerName, digest: draft.body.digest })).status).toBe(200);
    await expectKept('signed again');
  });

  it('reminds those who have not submitted; the office reads a declaration (audited), a unit admin cannot', async () => {
    const missing = await unitadmin.get('/api/self-checks/missing?campaignId=campaign-1&pageSize=200');
    const accounts = await db().selectFrom('app_user').select('id').where('person_id', 'in', missing.body.items.map((m: any) => m.personId)).execute();
    const r = await unitadmin.post('/api/self-checks/remind', { campaignId: 'campaign-1' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ people: missing.body.total, notified: accounts.length });

    const list = await office.get('/api/self-checks?campaignId=campaign-1&declared=1&pageSize=200');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((i: any) => i.declaredCount > 0)).toBe(true);
    expect(list.body.items[0]).not.toHaveProperty('answers');
    const one = list.body.items.find((i: any) => i.personId !== officerPersonId);
    const before = await auditCount();
    const detail = await office.get(`/api/self-checks/${one.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.answers.some((a: any) => a.answer === 'yes' && a.description)).toBe(true);
    const audit = await db().selectFrom('audit_log').select(['action', 'entity_type', 'entity_id']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'read_protected', entity_type: 'self_check_report', entity_id: one.id });
    expect(await auditCount()).toBe(before + 1);

    expect((await unitadmin.get('/api/self-checks?campaignId=campaign-1')).status).toBe(403);
    expect((await unitadmin.get(`/api/self-checks/${one.id}`)).status).toBe(404);
    expect((await officer.get(`/api/self-checks/${one.id}`)).status).toBe(404);
    const reviewed = await office.post(`/api/self-checks/${one.id}/review`, { note: '已审核，情况属实，从宽处理。' });
    expect(reviewed.status).toBe(200);
  });
});
