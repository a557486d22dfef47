import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { rowCounts } from '../support/writes.js';

// 制度文件: versioned rules; publishing a version supersedes the one before; each person acknowledges
// the current version once (again: the same one row; a superseded version: refused); the coverage of
// a version is a count of acknowledgements among the serving officers who must read it.

describe.each(targets())('policy documents on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let officerPerson: { id: string; name: string };
  const unit: Record<string, { id: string; path: string }> = {};

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
    officerPerson = await s.deps.db.selectFrom('app_user').innerJoin('person', 'person.id', 'app_user.person_id').select(['person.id', 'person.name']).where('app_user.username', '=', 'officer').executeTakeFirstOrThrow();
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code', 'path']).where('code', 'in', ['CFSJ', 'HSQ', 'HSQ-01', 'NCX']).execute()) unit[u.code] = u;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const n = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
  const servingUnder = (path: string) =>
    n(db().selectFrom('person').select(sql<number>`count(*)`.as('n')).where('status', '=', 'active').where('sort_key', 'like', `${path}%`).executeTakeFirst());

  it('every officer reads the demo rules; coverage of a version counts its acknowledgements', async () => {
    const list = await officer.get('/api/policies?pageSize=50');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(7);
    const titles = list.body.items.map((p: any) => p.title);
    expect(titles).toContain('社区矫正工作规范');
    expect(titles.some((t: string) => t.includes('“三个规定”'))).toBe(true);
    const rule = list.body.items.find((p: any) => p.title.includes('“三个规定”'));
    expect(rule).toMatchObject({ requiredForMe: true, myAckAt: null, currentVersionNo: 1 });
    const norms = list.body.items.find((p: any) => p.title === '社区矫正工作规范');
    expect(norms.currentVersionNo).toBe(2);
    const detail = (await officer.get(`/api/policies/${norms.id}`)).body;
    expect(detail.versions.map((v: any) => [v.versionNo, v.status])).toEqual([[2, 'current'], [1, 'superseded']]);
    expect(detail.versions[0].changeNote).toContain('社区矫正法');

    const cov = (await office.get(`/api/policies/${norms.id}/coverage`)).body;
    const serving = await servingUnder(unit.CFSJ!.path);
    const acked = await n(
      db().selectFrom('policy_ack').innerJoin('person', 'person.id', 'policy_ack.person_id').select(sql<number>`count(*)`.as('n'))
        .where('policy_ack.version_id', '=', norms.currentVersionId).where('person.status', '=', 'active').executeTakeFirst(),
    );
    expect(cov).toMatchObject({ version: { versionNo: 2 }, total: serving, acknowledged: acked, missing: serving - acked });
    expect(cov.acknowledged / cov.total).toBeGreaterThan(0.85);
    const missing = (await office.get(`/api/policies/${norms.id}/missing?pageSize=200`)).body;
    expect(missing.total).toBe(serving - acked);
    expect((await unitadmin.get(`/api/policies/${norms.id}/coverage`)).status).toBe(403);
    expect((await officer.get(`/api/policies/${norms.id}/missing`)).status).toBe(403);
  });

  it('an officer acknowledges the current version once, by their own name', async () => {
    const rule = (await officer.get('/api/policies?pageSize=50')).body.items.find((p: any) => p.title.includes('“三个规定”'));
    const c0 = await rowCounts(db(), 'policy_ack');
    const wrong = await officer.post(`/api/policies/${rule.id}/acknowledge`, { versionId: rule.currentVersionId, signedName: '某某' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.field).toBe('signedName');
    const noVersion = await officer.post(`/api/policies/${rule.id}/acknowledge`, { versionId: 'nope', signedName: officerPerson.name });
    expect(noVersion.status).toBe(404);
    expect(await rowCounts(db(), 'policy_ack')).toEqual(c0);
    const before = (await office.get(`/api/policies/${rule.id}/coverage`)).body;
    const ok = await officer.post(`/api/policies/${rule.id}/acknowledge`, { versionId: rule.currentVersionId, signedName: officerPerson.name });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ versionNo: 1, already: false, ackedAt: clock().toISOString() });
    const c1 = await rowCounts(db(), 'policy_ack');
    expect(c1.policy_ack).toBe(c0.policy_ack + 1);
    const twice = await officer.post(`/api/policies/${rule.id}/acknowledge`, { versionId: rule.currentVersionId, signedName: officerPerson.name });
    expect(twice.body).toMatchObject({ already: true, ackedAt: ok.body.ackedAt });
    expect(await rowCounts(db(), 'policy_ack')).toEqual(c1);
    expect((await office.get(`/api/policies/${rule.id}/coverage`)).body.acknowledged).toBe(before.acknowledged + 1);
    expect((await officer.get(`/api/policies/${rule.id}`)).body.versions[0].myAckAt).toBe(ok.body.ackedAt);
  });

  it('publishes a policy and its revisions; a superseded version can no longer be acknowledged; refusals write nothing', async () => {
    const policy = (over: Record<string, unknown> = {}) => ({
      title: '红山区司法所社区矫正对象走访制度', docNo: '红司发〔2026〕3号', category: 'correction', issuingUnitId: unit.HSQ!.id,
      audience: 'units', audienceUnitIds: [unit['HSQ-01']!.id],
      version: { effectiveOn: '2026-11-01', body: '第一条 司法所每月至少走访一次社区矫正对象家庭，并做好记录。' }, ...over,
    });
    const c0 = await rowCounts(db(), 'policy_document', 'policy_version', 'policy_audience_unit');
    const bad: [Record<string, unknown>, string][] = [
      [policy({ title: '短' }), 'title'],
      [policy({ category: 'misc' }), 'category'],
      [policy({ audienceUnitIds: [] }), 'audienceUnitIds'],
      [policy({ audienceUnitIds: ['nowhere'] }), 'audienceUnitIds'],
      [policy({ issuingUnitId: 'nowhere' }), 'issuingUnitId'],
      [policy({ version: { effectiveOn: '2026-11-01', body: '' } }), 'version.body'],
      [policy({ version: { effectiveOn: '2026-02-30', body: '第一条 司法所每月至少走访一次。' } }), 'version.effectiveOn'],
    ];
    for (const [body, field] of bad) {
      const r = await office.post('/api/policies', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field, JSON.stringify(body)).toBe(field);
    }
    expect((await unitadmin.post('/api/policies', policy())).status).toBe(403);
    expect((await officer.post('/api/policies', policy())).status).toBe(403);
    expect(await rowCounts(db(), 'policy_document', 'policy_version', 'policy_audience_unit')).toEqual(c0);

    const made = await office.post('/api/policies', policy());
    expect(made.status).toBe(201);
    const audience = await servingUnder(unit['HSQ-01']!.path);
    expect((await office.get(`/api/policies/${made.body.id}/coverage`)).body).toMatchObject({ total: audience, acknowledged: 0, missing: audience });
    const listed = (await officer.get('/api/policies?pageSize=50')).body.items.find((p: any) => p.id === made.body.id);
    expect(listed).toMatchObject({ requiredForMe: true, categoryLabel: '社区矫正工作规范', issuingUnitName: '红山区司法局' });
    // Someone in another county is not asked to read it.
    const ncx = await s.deps.db.selectFrom('person').select('id').where('sort_key', 'like', `${unit.NCX!.path}%`).executeTakeFirstOrThrow();
    expect((await office.get(`/api/policies/${made.body.id}/missing?pageSize=200`)).body.items.map((p: any) => p.personId)).not.toContain(ncx.id);

    expect((await officer.post(`/api/policies/${made.body.id}/acknowledge`, { versionId: made.body.versionId, signedName: officerPerson.name })).status).toBe(200);
    expect((await office.get(`/api/policies/${made.body.id}/coverage`)).body.acknowledged).toBe(1);

    const c1 = await rowCounts(db(), 'policy_version');
    const early = await office.post(`/api/policies/${made.body.id}/versions`, { effectiveOn: '2026-10-01', body: '第一条 司法所每半月至少走访一次社区矫正对象家庭。' });
    expect(early.status).toBe(400);
    expect(early.body.field).toBe('effectiveOn');
    expect(await rowCounts(db(), 'policy_version')).toEqual(c1);
    const v2 = await office.post(`/api/policies/${made.body.id}/versions`, { effectiveOn: '2026-12-01', body: '第一条 司法所每半月至少走访一次社区矫正对象家庭。', changeNote: '走访频次由每月一次改为每半月一次。' });
    expect(v2.status).toBe(201);
    expect(v2.body.versionNo).toBe(2);
    const detail = (await officer.get(`/api/policies/${made.body.id}`)).body;
    expect(detail.versions.map((v: any) => [v.versionNo, v.status, Boolean(v.myAckAt)])).toEqual([[2, 'current', false], [1, 'superseded', true]]);

    // The new version starts unacknowledged; the old one keeps its acknowledgement and takes no more.
    const cov2 = (await office.get(`/api/policies/${made.body.id}/coverage`)).body;
    expect(cov2).toMatchObject({ version: { versionNo: 2 }, acknowledged: 0 });
    expect((await office.get(`/api/policies/${made.body.id}/coverage?versionId=${made.body.versionId}`)).body.acknowledged).toBe(1);
    const other = await s.as('unitadmin');
    const unitadminName = (await s.deps.db.selectFrom('app_user').innerJoin('person', 'person.id', 'app_user.person_id').select('person.name').where('app_user.username', '=', 'unitadmin').executeTakeFirstOrThrow()).name;
    const c2 = await rowCounts(db(), 'policy_ack');
    const stale = await other.post(`/api/policies/${made.body.id}/acknowledge`, { versionId: made.body.versionId, signedName: unitadminName });
    expect(stale.status).toBe(409);
    expect(stale.body.field).toBe('versionId');
    expect(await rowCounts(db(), 'policy_ack')).toEqual(c2);
    const audits = await db().selectFrom('audit_log').select(['action']).where('entity_type', '=', 'policy_document').where('entity_id', '=', made.body.id).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['acknowledge', 'create', 'publish_version']);
  });
});
