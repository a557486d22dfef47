import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type Res, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { fileForm, png } from '../support/files.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { subtreeEnd } from '../../src/server/platform/access.js';
import { studyFigures } from '../../src/server/modules/study/queries.js';
import { seedDemoStudy } from '../../src/server/seed/demo-study.js';
import { checkin as checkin_ } from '../../src/server/modules/study/commands.js';
import { STUDY_MODE_CODES } from '../../src/shared/schemas/study.js';
import '../../src/server/modules/figures.js';

// 学习教育 "九学": activities with expected participants and attendance (by list and by the rotating QR
// code), hours that add up to their records, series with a speaker rota on working days, 观评, shares,
// roving supervision and its coverage, commendations, the figures, and the demo season. Everything runs
// in a campaign of the test's own (in progress by its dates), so the demo's data never shifts a figure.

type Table =
  | 'study_activity' | 'study_activity_target' | 'study_attendance' | 'study_series' | 'study_review' | 'study_share' | 'study_share_like'
  | 'supervision_visit' | 'commendation' | 'audit_log';

/** One silent MPEG-1 Layer III frame, repeated: a real (if quiet) MP3. */
const mp3 = () => {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat(Array.from({ length: 8 }, () => frame));
};

describe.each(targets())('study activities on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z')); // Monday 10:00 in Beijing
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let campaignId: string;
  const unit: Record<string, { id: string; path: string }> = {};
  let hsq01People: string[];
  let hsqOrganPeople: string[];
  let ncxPerson: string;
  let officerPerson: string;
  const seen: string[] = []; // every API answer's text, to look for secrets in

  const db = () => s.deps.db;
  const count = async (t: Table, where?: [string, string]) => {
    let q = db().selectFrom(t).select(sql<number>`count(*)`.as('n'));
    if (where) q = q.where(sql.ref(where[0]), '=', where[1]);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['study_activity', 'study_activity_target', 'study_attendance', 'study_series', 'study_review', 'study_share', 'study_share_like', 'supervision_visit', 'commendation', 'audit_log'] as const) {
      out[t] = await count(t);
    }
    return out;
  };
  const track = async <T = any>(p: Promise<Res<T>>) => {
    const r = await p;
    seen.push(r.text);
    return r;
  };
  /** Sessions idle out when the clock jumps: sign in afresh. */
  const relogin = async () => {
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
  };
  const at = (beijing: string) => new Date(`${beijing}+08:00`).toISOString();
  const activity = (over: Record<string, unknown> = {}) => ({
    mode: 'lecture', title: '党史专题宣讲', campaignId, startsAt: at('2026-11-23T09:00:00'), endsAt: at('2026-11-23T10:30:00'),
    place: '红山区司法局会议室', orgUnitId: unit.HSQ!.id, speaker: '市委宣讲团成员', summary: '学习《中国共产党简史》第一章。',
    links: [{ title: '学习强国', url: 'https://www.xuexi.cn/', kind: 'link' }], hours: 1.5, targetUnitIds: [unit['HSQ-01']!.id], ...over,
  });
  const create = async (c: Client, over: Record<string, unknown> = {}) => {
    const r = await track(c.post('/api/study/activities', activity(over)));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    await relogin();
    for (const u of await db().selectFrom('org_unit').select(['id', 'code', 'path']).where('code', 'in', ['CFSJ', 'HSQ', 'HSQ-01', 'NCX']).execute()) {
      unit[u.code!] = { id: u.id, path: u.path };
    }
    const c = await office.post('/api/campaigns', { name: '学习教育测试批次', batch: 98, startDate: '2026-09-01', endDate: '2026-12-31', status: 'planned' });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    campaignId = c.body.id;
    officerPerson = (await db().selectFrom('app_user').select('person_id').where('username', '=', 'officer').executeTakeFirstOrThrow()).person_id!;
    hsq01People = (await db().selectFrom('person').select('id').where('org_unit_id', '=', unit['HSQ-01']!.id).where('status', '=', 'active').where('id', '!=', officerPerson).orderBy('id').execute()).map((p) => p.id);
    hsqOrganPeople = (await db().selectFrom('person').select('id').where('org_unit_id', '=', unit.HSQ!.id).where('status', '=', 'active').orderBy('id').execute()).map((p) => p.id);
    ncxPerson = (await db().selectFrom('person').select('id').where('org_unit_id', '=', unit.NCX!.id).orderBy('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  it('expected participants are the target units’ serving people plus the named ones; list attendance is idempotent; hours add up to their records', async () => {
    clock.set(new Date('2026-11-23T02:00:00Z'));
    await relogin();
    const serving = Number((await db().selectFrom('person').select(sql<number>`count(*)`.as('n')).where('status', '=', 'active')
      .where('sort_key', '>=', unit['HSQ-01']!.path).where('sort_key', '<', subtreeEnd(unit['HSQ-01']!.path)).executeTakeFirstOrThrow()).n);
    const a1 = await create(office, { targetPersonIds: [ncxPerson] });
    let d = (await track(office.get(`/api/study/activities/${a1}`))).body;
    expect(d).toMatchObject({ expectedCount: serving + 1, attendedCount: 0, hours: 1.5, heldOn: '2026-11-23', mode: 'lecture', modeLabel: '宣讲导学', attendanceRate: 0 });
    expect(d.targets.map((t: any) => t.kind).sort()).toEqual(['person', 'unit']);
    expect(await count('study_activity_target', ['activity_id', a1])).toBe(2);

    // 名单登记 by the county's administrator: a person named twice is one row.
    let r = await track(unitadmin.post(`/api/study/activities/${a1}/attendance`, { personIds: [officerPerson, hsq01People[0], hsq01People[1]], method: 'list' }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ added: 3, already: 0, attendedCount: 3 });
    r = await track(unitadmin.post(`/api/study/activities/${a1}/attendance`, { personIds: [hsq01People[1], hsq01People[2]] }));
    expect(r.body).toMatchObject({ added: 1, already: 1, attendedCount: 4 });
    // A walk-in from the county bureau itself: recorded, not expected.
    r = await track(unitadmin.post(`/api/study/activities/${a1}/attendance`, { personIds: [hsqOrganPeople[0]] }));
    expect(r.body.added).toBe(1);
    // Someone outside the administrator's county: refused, nothing written.
    const c0 = await counts();
    r = await track(unitadmin.post(`/api/study/activities/${a1}/attendance`, { personIds: [hsq01People[2], ncxPerson] }));
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('personIds.1');
    expect(await counts()).toEqual(c0);

    const list = (await track(unitadmin.get(`/api/study/activities/${a1}/attendance?pageSize=50`))).body;
    expect(list.total).toBe(5);
    expect(await count('study_attendance', ['activity_id', a1])).toBe(5);
    const expectedOf = Object.fromEntries(list.items.map((i: any) => [i.personId, i.expected]));
    expect(expectedOf).toEqual({ [officerPerson]: true, [hsq01People[0]!]: true, [hsq01People[1]!]: true, [hsq01People[2]!]: true, [hsqOrganPeople[0]!]: false });
    expect(list.items.every((i: any) => i.method === 'list' && i.methodLabel === '名单登记' && i.hours === 1.5)).toBe(true);
    d = (await track(office.get(`/api/study/activities/${a1}`))).body;
    expect(d).toMatchObject({ attendedCount: 5, expectedAttended: 4 });
    expect(d.attendanceRate).toBeCloseTo(4 / (serving + 1), 3);
    const absent = (await track(unitadmin.get(`/api/study/activities/${a1}/absent?pageSize=200`))).body;
    expect(absent.total).toBe(serving - 4); // the named NCX person is outside the county admin's scope
    expect((await track(office.get(`/api/study/activities/${a1}/absent?pageSize=200`))).body.total).toBe(serving + 1 - 4);

    // A second activity: hours accumulate per person, and always equal the attendance records.
    const a2 = await create(unitadmin, { mode: 'self_study', title: '集中自学《论中国共产党历史》', hours: 2, startsAt: at('2026-11-23T08:00:00'), endsAt: at('2026-11-23T09:00:00') });
    await track(unitadmin.post(`/api/study/activities/${a2}/attendance`, { personIds: [officerPerson, hsq01People[0]] }));
    const mine = async () => (await track(officer.get(`/api/study/my/activities?campaignId=${campaignId}`))).body;
    let my = await mine();
    expect(my).toMatchObject({ attended: 2, hoursTotal: 3.5 });
    expect(my.items.map((i: any) => i.id).sort()).toEqual([a1, a2].sort());
    const recorded = async (personId: string) =>
      Number((await db().selectFrom('study_attendance').innerJoin('study_activity', 'study_activity.id', 'study_attendance.activity_id')
        .select(sql<number>`coalesce(sum(study_attendance.hours_tenths), 0)`.as('t')).where('study_attendance.person_id', '=', personId)
        .where('study_activity.campaign_id', '=', campaignId).executeTakeFirstOrThrow()).t) / 10;
    expect(await recorded(officerPerson)).toBe(3.5);

    // New hours are credited anew to every attendance of the activity.
    r = await track(unitadmin.patch(`/api/study/activities/${a1}`, { hours: 2 }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    my = await mine();
    expect(my.hoursTotal).toBe(4);
    expect(await recorded(officerPerson)).toBe(4);
    expect(my.items.find((i: any) => i.id === a1)).toMatchObject({ attended: true, hoursCredited: 2, hours: 2 });

    // Undoing one attendance keeps the count in step.
    r = await track(unitadmin.delete(`/api/study/activities/${a1}/attendance/${hsqOrganPeople[0]}`));
    expect(r.status).toBe(200);
    expect((await track(office.get(`/api/study/activities/${a1}`))).body.attendedCount).toBe(4);
    expect((await track(unitadmin.delete(`/api/study/activities/${a1}/attendance/${hsqOrganPeople[0]}`))).status).toBe(404);

    // The activities list: the campaign's, latest first, with filters.
    const all = (await track(office.get(`/api/study/activities?campaignId=${campaignId}`))).body;
    expect(all.items.map((i: any) => i.id)).toEqual([a1, a2].sort().reverse());
    expect((await track(office.get(`/api/study/activities?campaignId=${campaignId}&mode=self_study`))).body.items.map((i: any) => i.id)).toEqual([a2]);
    expect((await track(office.get(`/api/study/activities?campaignId=${campaignId}&from=2026-11-24`))).body.total).toBe(0);
    expect((await track(office.get(`/api/study/activities?from=2026-11-24&to=2026-11-01`))).body.field).toBe('to');
  });

  it('QR check-in: the current or previous 30-second code, only from 15 minutes before the start to the end; twice is one row', async () => {
    clock.set(new Date('2026-11-23T02:00:00Z'));
    await relogin();
    const id = await create(unitadmin, { mode: 'secretary_led', title: '支部书记领学', startsAt: '2026-11-23T02:30:00Z', endsAt: '2026-11-23T03:30:00Z', hours: 1 });
    const code = async () => {
      const r = await track(unitadmin.get(`/api/study/activities/${id}/checkin-code`));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const checkin = (c: Client, codeText: string) => track(c.post('/api/study/checkin', { activityId: id, code: codeText }));

    // 30 minutes before the start: not open yet.
    let shown = await code();
    expect(shown.state).toBe('not_open');
    expect(shown.url).toBe(`${s.config.publicUrl}/study/checkin?a=${id}&c=${shown.code}`);
    expect(shown.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(shown.opensAt).toBe('2026-11-23T02:15:00.000Z');
    let r = await checkin(officer, shown.code);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field: 'code' });
    expect(r.body.message).toContain('活动尚未开始签到');

    // 14 minutes before the start: open.
    clock.set(new Date('2026-11-23T02:16:00Z'));
    shown = await code();
    expect(shown.state).toBe('open');
    r = await checkin(officer, shown.code);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ already: false, message: '签到成功', hours: 1, expected: true });
    r = await checkin(officer, shown.code);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ already: true, message: '已签到' });
    expect(await count('study_attendance', ['activity_id', id])).toBe(1);

    // The previous window's code is still good; one from two windows ago is not.
    const old = shown.code;
    clock.advance(30_000);
    r = await checkin(unitadmin, old);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    clock.advance(30_000);
    r = await checkin(office, old);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('签到码已过期，请扫描现场最新二维码');
    expect((await checkin(office, 'not-a-code')).status).toBe(400);
    expect((await track(office.post('/api/study/checkin', { activityId: 'no-such-activity', code: old }))).body.field).toBe('activityId');
    r = await checkin(office, (await code()).code);
    expect(r.status).toBe(201);
    expect(r.body.expected).toBe(false); // the city's officer was not on the list, but is recorded

    // After the end: closed, even with the newest code.
    clock.set(new Date('2026-11-23T03:31:00Z'));
    await relogin();
    r = await checkin(officer, (await code()).code);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('活动已结束');

    const rows = await db().selectFrom('study_attendance').selectAll().where('activity_id', '=', id).execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((x) => x.method === 'qr' && x.hours_tenths === 10)).toBe(true);
    expect((await track(unitadmin.get(`/api/study/activities/${id}`))).body.attendedCount).toBe(3);

    // An account without a person of its own cannot check in.
    const noPerson = { ...systemCtx(s.deps), actor: { userId: 'u', username: 'u', displayName: 'u', personId: null, orgUnitId: unit.HSQ!.id, orgUnitPath: unit.HSQ!.path, roles: [], permissions: new Set(['study:take']) } };
    await expect(checkin_(noPerson, { activityId: id, code: 'x' })).rejects.toMatchObject({ statusCode: 400 });
    // Officers may not see the code.
    expect((await track(officer.get(`/api/study/activities/${id}/checkin-code`))).status).toBe(403);
  });

  it('another unit’s activity or person is out of a county administrator’s reach, and nothing is written', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const city = await create(office, { orgUnitId: unit.NCX!.id, targetUnitIds: [unit.NCX!.id], title: '宁城县司法局集中学习' });
    const c0 = await counts();
    const refusals: [Promise<Res>, number, string?][] = [
      [unitadmin.post('/api/study/activities', activity({ orgUnitId: unit.NCX!.id })), 403],
      [unitadmin.post('/api/study/activities', activity({ targetUnitIds: [unit.NCX!.id] })), 400, 'targetUnitIds'],
      [unitadmin.post('/api/study/activities', activity({ targetPersonIds: [hsq01People[0], ncxPerson] })), 400, 'targetPersonIds.1'],
      [unitadmin.post('/api/study/activities', activity({ speakerPersonId: ncxPerson })), 400, 'speakerPersonId'],
      [unitadmin.get(`/api/study/activities/${city}`), 404],
      [unitadmin.patch(`/api/study/activities/${city}`, { hours: 3 }), 404],
      [unitadmin.post(`/api/study/activities/${city}/attendance`, { personIds: [hsq01People[0]] }), 404],
      [unitadmin.get(`/api/study/activities/${city}/checkin-code`), 404],
      [unitadmin.get(`/api/study/activities/${city}/attendance`), 404],
      [unitadmin.post('/api/study/series', { title: '晨读分享', orgUnitId: unit.HSQ!.id, startsOn: '2026-11-23', endsOn: '2026-11-27', startTime: '08:20', minutes: 10, rotaPersonIds: [ncxPerson], targetUnitIds: [unit.HSQ!.id], hours: 0.5 }), 400, 'rotaPersonIds.0'],
    ];
    for (const [p, status, field] of refusals) {
      const r = await track(p);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      if (field) expect(r.body.field).toBe(field);
    }
    expect(await counts()).toEqual(c0);
    // The county's list holds none of the other county's activities.
    const listed = (await track(unitadmin.get(`/api/study/activities?campaignId=${campaignId}&pageSize=200`))).body.items;
    expect(listed.map((i: any) => i.id)).not.toContain(city);
    expect(listed.every((i: any) => i.orgUnitId === unit.HSQ!.id)).toBe(true);
    // Officers do not organise, and cannot list the staff's activities.
    expect((await track(officer.post('/api/study/activities', activity()))).status).toBe(403);
    expect((await track(officer.get('/api/study/activities'))).status).toBe(403);
    expect((await track(officer.get(`/api/study/activities/${city}`))).status).toBe(404);
  });

  it('bad input is a 400 naming the field, and writes nothing', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const c0 = await counts();
    const bad: [Record<string, unknown>, string][] = [
      [activity({ mode: 'chatting' }), 'mode'],
      [activity({ title: '' }), 'title'],
      [activity({ hours: 1.3 }), 'hours'],
      [activity({ hours: -1 }), 'hours'],
      [activity({ endsAt: at('2026-11-23T08:00:00') }), 'endsAt'],
      [activity({ startsAt: '2026-11-23 09:00' }), 'startsAt'],
      [activity({ links: [{ title: '脚本', url: 'javascript:alert(1)', kind: 'link' }] }), 'links.0.url'],
      [activity({ links: [{ title: '文件', url: 'file:///etc/passwd', kind: 'video' }] }), 'links.0.url'],
      [activity({ targetUnitIds: [] }), 'targetUnitIds'],
      [activity({ targetUnitIds: [unit['HSQ-01']!.id, unit['HSQ-01']!.id] }), 'targetUnitIds'],
      [activity({ topicId: 'no-such-topic' }), 'topicId'],
      [activity({ orgUnitId: 'no-such-unit' }), 'orgUnitId'],
      [activity({ partyOrgId: 'no-such-party' }), 'partyOrgId'],
      [activity({ campaignId: 'no-such-campaign' }), 'campaignId'],
    ];
    for (const [body, field] of bad) {
      const r = await track(office.post('/api/study/activities', body));
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const more: [Promise<Res>, string][] = [
      [office.post('/api/study/series', { title: '晨读', orgUnitId: unit.HSQ!.id, startsOn: '2026-01-01', endsOn: '2027-01-03', startTime: '08:20', minutes: 10, rotaPersonIds: [hsq01People[0]], targetUnitIds: [unit.HSQ!.id], hours: 0.5 }), 'endsOn'],
      [office.post('/api/study/series', { title: '晨读', orgUnitId: unit.HSQ!.id, startsOn: '2026-10-03', endsOn: '2026-10-04', startTime: '08:20', minutes: 10, rotaPersonIds: [hsq01People[0]], targetUnitIds: [unit.HSQ!.id], hours: 0.5, campaignId }), 'endsOn'],
      [office.post('/api/study/series', { title: '晨读', orgUnitId: unit.HSQ!.id, startsOn: '2026-11-23', endsOn: '2026-11-27', startTime: '8:20', minutes: 10, rotaPersonIds: [hsq01People[0]], targetUnitIds: [unit.HSQ!.id], hours: 0.5 }), 'startTime'],
      [office.post('/api/study/shares', { kind: 'text', category: 'feeling', title: '感悟' }), 'body'],
      [office.post('/api/study/shares', { kind: 'audio', category: 'reading', title: '领读' }), 'audioFileId'],
      [office.post('/api/study/shares', { kind: 'text', category: 'poem', title: '感悟', body: '内容' }), 'category'],
      [office.post('/api/study/supervision', { partyOrgId: 'no-such-party', visitedOn: '2026-11-20', team: '第一组', findings: '学习记录不全面。' }), 'partyOrgId'],
      [office.post('/api/study/commendations', { kind: 'person', title: '优秀共产党员', conferredBy: '局党组', conferredOn: '2026-11-20', reason: '事迹突出，群众认可。' }), 'personId'],
      [office.post(`/api/study/activities/no-such-activity/attendance`, { personIds: [] }), 'personIds'],
    ];
    for (const [p, field] of more) {
      const r = await track(p);
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.field).toBe(field);
    }
    expect(await counts()).toEqual(c0);
  });

  it('a series is one session per working day, speakers taken from the rota in turn', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const rota = [hsqOrganPeople[0]!, hsqOrganPeople[1]!, hsq01People[0]!];
    // 2026-09-28 … 2026-10-10: 国庆 1–7 October off, Saturday 10 October worked (调休).
    const r = await track(unitadmin.post('/api/study/series', {
      title: '学党史——这些事我感触最深', orgUnitId: unit.HSQ!.id, startsOn: '2026-09-28', endsOn: '2026-10-10', startTime: '08:20', minutes: 10,
      rotaPersonIds: rota, targetUnitIds: [unit.HSQ!.id], hours: 0.5, campaignId,
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ sessions: 6, firstOn: '2026-09-28', lastOn: '2026-10-10' });
    const sessions = await db().selectFrom('study_activity').selectAll().where('series_id', '=', r.body.id).orderBy('held_on').execute();
    expect(sessions.map((a) => a.held_on)).toEqual(['2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']);
    expect(sessions.map((a) => a.speaker_person_id)).toEqual([...rota, ...rota]);
    expect(sessions.every((a) => a.mode === 'sharing' && a.hours_tenths === 5 && a.starts_at === `${a.held_on}T00:20:00.000Z` && a.ends_at === `${a.held_on}T00:30:00.000Z`)).toBe(true);
    expect(new Set(sessions.map((a) => a.checkin_secret)).size).toBe(6);
    const shown = (await track(unitadmin.get(`/api/study/series/${r.body.id}`))).body;
    expect(shown).toMatchObject({ sessions: 6, held: 6, upcoming: [], startTime: '08:20', minutes: 10 });
    expect(shown.rota.map((p: any) => p.personId)).toEqual(rota);
    expect(shown.rota.every((p: any) => p.name)).toBe(true);

    // One still ahead: this week from tomorrow.
    const next = await track(unitadmin.post('/api/study/series', {
      title: '晨读前10分钟学习分享', orgUnitId: unit.HSQ!.id, startsOn: '2026-11-23', endsOn: '2026-11-29', startTime: '08:20', minutes: 10,
      rotaPersonIds: rota.slice(0, 2), targetUnitIds: [unit.HSQ!.id], hours: 0.5,
    }));
    expect(next.body.sessions).toBe(5);
    const upcoming = (await track(unitadmin.get(`/api/study/series/${next.body.id}`))).body;
    expect(upcoming.held).toBe(1); // Monday's, 08:20 this morning
    expect(upcoming.upcoming.map((u: any) => u.heldOn)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(upcoming.upcoming.map((u: any) => u.speakerPersonId)).toEqual([rota[0], rota[1], rota[0], rota[1], rota[0]]);
    expect((await track(office.get(`/api/study/series/${next.body.id}`))).status).toBe(200);
    expect((await track(officer.get(`/api/study/series/${next.body.id}`))).status).toBe(403);
  });

  it('观评: an event followed is reviewed by those expected or present, once each; staff read their people’s', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const event = await create(office, { mode: 'event_follow', title: '收看庆祝大会', orgUnitId: unit.CFSJ!.id, startsAt: at('2026-11-20T09:00:00'), endsAt: at('2026-11-20T11:00:00'), hours: 2 });
    const lecture = await create(office, { title: '另一次宣讲', startsAt: at('2026-11-20T14:00:00'), endsAt: at('2026-11-20T15:00:00') });
    const text = '收看庆祝大会后深受鼓舞，要立足司法所岗位为群众办实事、解难题，做到忠诚干净担当。';
    let r = await track(officer.put(`/api/study/activities/${event}/review`, { body: text }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.created).toBe(true);
    r = await track(officer.put(`/api/study/activities/${event}/review`, { body: `${text}（补充）` }));
    expect(r.body).toMatchObject({ created: false, id: r.body.id });
    expect(await count('study_review', ['activity_id', event])).toBe(1);
    // Neither expected nor present; not an event; too short.
    expect((await track(unitadmin.put(`/api/study/activities/${event}/review`, { body: text }))).status).toBe(403);
    expect((await track(officer.put(`/api/study/activities/${lecture}/review`, { body: text }))).body.field).toBe('activityId');
    expect((await track(officer.put(`/api/study/activities/${event}/review`, { body: '很受教育。' }))).body.field).toBe('body');
    // Present though not expected: may review.
    await track(office.post(`/api/study/activities/${event}/attendance`, { personIds: [hsqOrganPeople[0]] }));
    const list = (await track(unitadmin.get(`/api/study/activities/${event}/reviews`))).body;
    expect(list.items.map((i: any) => i.personId)).toEqual([officerPerson]);
    expect(list.items[0].body).toBe(`${text}（补充）`);
    expect((await track(officer.get('/api/study/my/reviews'))).body.items.map((i: any) => i.activityId)).toEqual([event]);
    // The officer, expected, may open the event; not so the lecture's staff lists.
    expect((await track(officer.get(`/api/study/activities/${event}`))).body).toMatchObject({ access: 'participant', mode: 'event_follow', targets: [] });
    expect((await track(officer.get(`/api/study/activities/${event}/reviews`))).status).toBe(403);
  });

  it('shares: text and audio, the feed newest first, one like per person, plays counted, staff hide and unhide', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const t = await track(officer.post('/api/study/shares', { kind: 'text', category: 'red_story', title: '红色故事：半条被子', body: '共产党人就是自己只有一条被子，也要剪下半条给老百姓。' }));
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    clock.advance(60_000);
    const up = await unitadmin.request('POST', '/api/files', fileForm(mp3(), '原文领读.mp3'));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.mime).toBe('audio/mpeg');
    const pic = await unitadmin.request('POST', '/api/files', fileForm(png(1, 2, 3), 'x.png'));
    const c0 = await counts();
    expect((await track(unitadmin.post('/api/study/shares', { kind: 'audio', category: 'reading', title: '原文领读', audioFileId: pic.body.id }))).body.field).toBe('audioFileId');
    expect((await track(officer.post('/api/study/shares', { kind: 'audio', category: 'reading', title: '原文领读', audioFileId: up.body.id }))).body.field).toBe('audioFileId');
    expect(await counts()).toEqual(c0);
    const a = await track(unitadmin.post('/api/study/shares', { kind: 'audio', category: 'reading', title: '原文领读：《论中国共产党历史》', audioFileId: up.body.id }));
    expect(a.status, JSON.stringify(a.body)).toBe(201);

    const feed = async (c: Client, extra = '') => (await track(c.get(`/api/study/shares?campaignId=${campaignId}${extra}`))).body;
    let f = await feed(officer);
    expect(f.items.map((i: any) => i.id)).toEqual([a.body.id, t.body.id]);
    expect(f.items[0]).toMatchObject({ kind: 'audio', kindLabel: '音频', categoryLabel: '原文领读', likes: 0, plays: 0, likedByMe: false, audioUrl: `/api/files/${up.body.id}` });
    expect(f.items[1]).toMatchObject({ mine: true, authorPersonId: officerPerson });
    expect((await feed(officer, '&date=2026-11-23')).total).toBe(2);
    expect((await feed(officer, '&date=2026-11-22')).total).toBe(0);
    expect((await feed(officer, '&category=reading')).items.map((i: any) => i.id)).toEqual([a.body.id]);
    // Who may hide it: staff whose scope holds the share's unit, never its officer author.
    expect(f.items.map((i: any) => i.canManage)).toEqual([false, false]);
    expect((await feed(unitadmin)).items.every((i: any) => i.canManage)).toBe(true);
    expect((await feed(office)).items.every((i: any) => i.canManage)).toBe(true);
    // The audio plays for every participant.
    expect((await officer.get(`/api/files/${up.body.id}`)).status).toBe(200);

    const like = (c: Client, on = true) => track(c.request(on ? 'POST' : 'DELETE', `/api/study/shares/${a.body.id}/like`));
    expect((await like(officer)).body).toEqual({ likes: 1, likedByMe: true });
    expect((await like(officer)).body).toEqual({ likes: 1, likedByMe: true });
    expect((await like(unitadmin)).body.likes).toBe(2);
    expect((await like(officer, false)).body).toEqual({ likes: 1, likedByMe: false });
    expect((await like(officer, false)).body.likes).toBe(1);
    expect(await count('study_share_like', ['share_id', a.body.id])).toBe(1);
    f = await feed(unitadmin);
    expect(f.items[0]).toMatchObject({ likes: 1, likedByMe: true });
    for (let i = 0; i < 2; i++) expect((await track(officer.post(`/api/study/shares/${a.body.id}/play`))).status).toBe(200);
    expect((await feed(officer)).items[0].plays).toBe(2);
    // Every share's counters equal their records.
    for (const sh of await db().selectFrom('study_share').select(['id', 'likes']).execute()) {
      expect(Number(sh.likes)).toBe(await count('study_share_like', ['share_id', sh.id]));
    }

    // Hidden: out of the feed, no plays or likes; staff in scope see it under status=hidden.
    expect((await track(officer.post(`/api/study/shares/${t.body.id}/hide`))).status).toBe(403);
    expect((await track(unitadmin.post(`/api/study/shares/${t.body.id}/hide`))).body).toEqual({ id: t.body.id, status: 'hidden' });
    expect((await feed(officer)).items.map((i: any) => i.id)).toEqual([a.body.id]);
    expect((await track(officer.post(`/api/study/shares/${t.body.id}/play`))).status).toBe(404);
    expect((await track(officer.post(`/api/study/shares/${t.body.id}/like`))).status).toBe(404);
    expect((await feed(unitadmin, '&status=hidden')).items.map((i: any) => i.id)).toEqual([t.body.id]);
    expect((await track(officer.get(`/api/study/shares?status=hidden`))).status).toBe(403);
    expect((await track(unitadmin.post(`/api/study/shares/${t.body.id}/unhide`))).status).toBe(200);
    expect((await feed(officer)).total).toBe(2);
  });

  it('roving supervision: visits with follow-ups, and coverage that equals its records', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const hsqParties = await db().selectFrom('party_org').select(['id', 'name']).where('org_unit_id', '=', unit.HSQ!.id).orderBy('path').execute();
    const ncxParty = await db().selectFrom('party_org').select('id').where('org_unit_id', '=', unit.NCX!.id).executeTakeFirstOrThrow();
    const cov = async (c: Client) => (await track(c.get(`/api/study/supervision/coverage?campaignId=${campaignId}`))).body;
    let c = await cov(unitadmin);
    expect(c).toMatchObject({ total: hsqParties.length, covered: 0 });
    const c0 = await counts();
    let r = await track(unitadmin.post('/api/study/supervision', { partyOrgId: ncxParty.id, visitedOn: '2026-11-20', team: '第一组', findings: '学习笔记记录简单。', campaignId }));
    expect(r.body.field).toBe('partyOrgId');
    r = await track(unitadmin.post('/api/study/supervision', { partyOrgId: hsqParties[0]!.id, visitedOn: '2026-11-30', team: '第一组', findings: '学习笔记记录简单。', campaignId }));
    expect(r.body.field).toBe('visitedOn');
    r = await track(unitadmin.post('/api/study/supervision', { partyOrgId: hsqParties[0]!.id, visitedOn: '2026-11-20', team: '第一组', findings: '学习笔记记录简单。', followUp: '补齐笔记', followUpDue: '2026-11-19', campaignId }));
    expect(r.body.field).toBe('followUpDue');
    expect(await counts()).toEqual(c0);

    r = await track(unitadmin.post('/api/study/supervision', {
      partyOrgId: hsqParties[0]!.id, visitedOn: '2026-11-20', team: '巡回指导第一组', findings: '学习笔记记录简单，研讨不深入。',
      followUp: '补齐个人自学笔记，组织一次专题研讨。', followUpDue: '2026-12-20', campaignId,
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const visit = r.body.id;
    await track(office.post('/api/study/supervision', { partyOrgId: hsqParties[0]!.id, visitedOn: '2026-11-21', team: '巡回指导第二组', findings: '复查：笔记已补齐。', campaignId }));
    const plain = await track(office.post('/api/study/supervision', { partyOrgId: ncxParty.id, visitedOn: '2026-11-21', team: '巡回指导第二组', findings: '学习计划执行较好。', campaignId }));
    c = await cov(unitadmin);
    expect(c).toMatchObject({ total: hsqParties.length, covered: 1 });
    expect(c.notVisited.map((p: any) => p.partyOrgId).sort()).toEqual(hsqParties.slice(1).map((p) => p.id).sort());
    expect(c.units).toEqual([{ unitId: unit.HSQ!.id, unitName: expect.any(String), total: hsqParties.length, covered: 1 }]);

    // The city's coverage: distinct visited party organisations of the campaign, of all.
    const all = await cov(office);
    const parties = await db().selectFrom('party_org').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const visited = await db().selectFrom('supervision_visit').select(sql<number>`count(distinct party_org_id)`.as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(all).toMatchObject({ total: Number(parties.n), covered: Number(visited.n) });
    expect(all.covered).toBe(2);
    expect(all.units.reduce((a: number, u: any) => a + u.covered, 0)).toBe(2);

    // Follow-up: open, then done with its result.
    let list = (await track(unitadmin.get(`/api/study/supervision?campaignId=${campaignId}&followUp=open`))).body;
    expect(list.items.map((v: any) => v.id)).toEqual([visit]);
    expect(list.items[0]).toMatchObject({ followUpState: 'open', followUpStateLabel: '整改中' });
    expect((await track(office.post(`/api/study/supervision/${plain.body.id}/follow-up-done`, { doneOn: '2026-11-22', result: '已整改' }))).status).toBe(400);
    expect((await track(unitadmin.post(`/api/study/supervision/${plain.body.id}/follow-up-done`, { doneOn: '2026-11-22', result: '已整改' }))).status).toBe(404);
    r = await track(unitadmin.post(`/api/study/supervision/${visit}/follow-up-done`, { doneOn: '2026-11-23', result: '已补齐学习笔记，召开专题研讨会一次。' }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await track(unitadmin.get(`/api/study/supervision/${visit}`))).body).toMatchObject({ followUpState: 'done', followUpDoneOn: '2026-11-23' });
    list = (await track(unitadmin.get(`/api/study/supervision?campaignId=${campaignId}`))).body;
    expect(list.total).toBe(2);
    expect((await track(unitadmin.patch(`/api/study/supervision/${visit}`, { team: '巡回指导第三组' }))).status).toBe(200);
  });

  it('commendations: a party organisation or a person in scope', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const lawyers = await db().selectFrom('party_org').select('id').where('name', '=', '中共赤峰市律师行业委员会').executeTakeFirstOrThrow();
    let r = await track(office.post('/api/study/commendations', {
      kind: 'party_org', partyOrgId: lawyers.id, title: '先进基层党组织', conferredBy: '中共赤峰市直属机关工作委员会', conferredOn: '2026-07-01',
      reason: '律师行业党建工作扎实，公益法律服务成效明显。',
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    r = await track(unitadmin.post('/api/study/commendations', {
      kind: 'person', personId: hsq01People[0], title: '优秀共产党员', conferredBy: '红山区司法局党总支', conferredOn: '2026-07-01', reason: '扎根基层化解矛盾纠纷。',
    }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const mine = r.body.id;
    const c0 = await counts();
    expect((await track(unitadmin.post('/api/study/commendations', { kind: 'person', personId: ncxPerson, title: '优秀共产党员', conferredBy: '局党组', conferredOn: '2026-07-01', reason: '事迹突出，群众认可。' }))).body.field).toBe('personId');
    expect((await track(unitadmin.post('/api/study/commendations', { kind: 'party_org', partyOrgId: lawyers.id, title: '先进基层党组织', conferredBy: '市委', conferredOn: '2026-07-01', reason: '事迹突出，群众认可。' }))).body.field).toBe('partyOrgId');
    expect(await counts()).toEqual(c0);
    // The county's own only (the demo's may be there too, when it is seeded).
    const listed = (await track(unitadmin.get('/api/study/commendations?pageSize=200'))).body;
    const county = new Set((await db().selectFrom('org_unit').select('id').where('path', 'like', `${unit.HSQ!.path}%`).execute()).map((u) => u.id));
    expect(listed.items.every((i: any) => county.has(i.orgUnitId))).toBe(true);
    expect(listed.items.find((i: any) => i.id === mine)).toMatchObject({ kindLabel: '先进个人', title: '优秀共产党员' });
    const city = (await track(office.get('/api/study/commendations?kind=party_org'))).body.items;
    expect(city.find((i: any) => i.partyOrgId === lawyers.id)).toMatchObject({ name: '中共赤峰市律师行业委员会', conferredBy: '中共赤峰市直属机关工作委员会' });
    expect((await track(unitadmin.patch(`/api/study/commendations/${mine}`, { title: '优秀党务工作者' }))).status).toBe(200);
  });

  it('the figures are their records: activities by mode, attendances, hours, supervision coverage', async () => {
    clock.set(new Date('2026-11-23T04:00:00Z'));
    await relogin();
    const stats = await collectStats(systemCtx(s.deps), ['study', 'supervision']);
    const st = stats.study as { activitiesByMode: Record<string, number>; activities: number; attendances: number; hoursTotal: number };
    expect(Object.keys(st.activitiesByMode).sort()).toEqual([...STUDY_MODE_CODES].sort());
    const modes = await db().selectFrom('study_activity').select(['mode', sql<number>`count(*)`.as('n')]).where('campaign_id', '=', campaignId).groupBy('mode').execute();
    expect(st.activitiesByMode).toEqual(Object.fromEntries(STUDY_MODE_CODES.map((m) => [m, Number(modes.find((x) => x.mode === m)?.n ?? 0)])));
    expect(st.activities).toBe(await count('study_activity', ['campaign_id', campaignId]));
    const att = await db().selectFrom('study_attendance').innerJoin('study_activity', 'study_activity.id', 'study_attendance.activity_id')
      .select([sql<number>`count(*)`.as('n'), sql<number>`sum(study_attendance.hours_tenths)`.as('t')]).where('study_activity.campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(st.attendances).toBe(Number(att.n));
    expect(st.hoursTotal).toBe(Number(att.t) / 10);
    expect(st.attendances).toBeGreaterThan(5);
    // Each activity's counters are its rows.
    for (const a of await db().selectFrom('study_activity').select(['id', 'attended_count']).where('campaign_id', '=', campaignId).execute()) {
      expect(Number(a.attended_count), a.id).toBe(await count('study_attendance', ['activity_id', a.id]));
    }
    const sup = (stats.supervision as { coverage: { covered: number; total: number } }).coverage;
    const visited = await db().selectFrom('supervision_visit').select(sql<number>`count(distinct party_org_id)`.as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
    expect(sup).toEqual({ covered: Number(visited.n), total: Number((await db().selectFrom('party_org').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n) });

    // Within a county administrator's scope: their units' activities, their people's hours.
    const county = (await unitadmin.get('/api/stats')).body;
    const hsqActs = await db().selectFrom('study_activity').innerJoin('org_unit', 'org_unit.id', 'study_activity.org_unit_id')
      .select(sql<number>`count(*)`.as('n')).where('study_activity.campaign_id', '=', campaignId).where('org_unit.path', 'like', `${unit.HSQ!.path}%`).executeTakeFirstOrThrow();
    expect(county.study.activities).toBe(Number(hsqActs.n));
    const hsqAtt = await db().selectFrom('study_attendance').innerJoin('study_activity', 'study_activity.id', 'study_attendance.activity_id')
      .innerJoin('person', 'person.id', 'study_attendance.person_id')
      .select([sql<number>`count(*)`.as('n'), sql<number>`sum(study_attendance.hours_tenths)`.as('t')])
      .where('study_activity.campaign_id', '=', campaignId).where('person.sort_key', 'like', `${unit.HSQ!.path}%`).executeTakeFirstOrThrow();
    expect(county.study.attendances).toBe(Number(hsqAtt.n));
    expect(county.study.hoursTotal).toBe(Number(hsqAtt.t) / 10);
    expect(county.supervision.coverage).toEqual({ covered: 1, total: (await db().selectFrom('party_org').select('id').where('org_unit_id', '=', unit.HSQ!.id).execute()).length });
    const labels = (await officer.get('/api/stats/labels')).body;
    expect(labels).toMatchObject({ 'study.activitiesByMode.event_follow': '重要活动跟学', 'study.hoursTotal': '累计学时', 'supervision.coverage.covered': '已指导党组织数' });
  });

  it('the check-in secret never leaves the server: in no answer and in no audit entry', async () => {
    const secrets = (await db().selectFrom('study_activity').select('checkin_secret').execute()).map((a) => a.checkin_secret);
    expect(secrets.length).toBeGreaterThan(5);
    expect(seen.length).toBeGreaterThan(50);
    const answers = seen.join('\n');
    const audit = JSON.stringify(await db().selectFrom('audit_log').selectAll().execute());
    for (const secret of secrets) {
      expect(answers.includes(secret)).toBe(false);
      expect(audit.includes(secret)).toBe(false);
    }
    expect(audit).not.toContain('checkin_secret');
  });

  it('the demo season: nine modes, everyone attended several, counters and figures equal their records', async () => {
    const have = await count('study_activity', ['campaign_id', 'campaign-1']);
    if (!have) {
      const started = performance.now();
      await db().transaction().execute((trx) => seedDemoStudy(trx, systemCtx(s.deps), new Date().toISOString()));
      console.log(`seedDemoStudy on ${target}: ${Math.round(performance.now() - started)} ms`);
    }
    const modes = await db().selectFrom('study_activity').select(['mode', sql<number>`count(*)`.as('n')]).where('campaign_id', '=', 'campaign-1').groupBy('mode').execute();
    expect(modes.map((m) => m.mode).sort()).toEqual([...STUDY_MODE_CODES].sort());
    expect(modes.every((m) => Number(m.n) >= 3)).toBe(true);
    const total = modes.reduce((a, m) => a + Number(m.n), 0);
    expect(total).toBeGreaterThanOrEqual(35);
    expect(total).toBeLessThanOrEqual(60);
    // Every serving person attended several.
    const per = await db().selectFrom('person').leftJoin('study_attendance', 'study_attendance.person_id', 'person.id')
      .select(['person.id', sql<number>`count(study_attendance.activity_id)`.as('n')]).where('person.status', '=', 'active').groupBy('person.id').execute();
    expect(per.length).toBe(835);
    expect(Math.min(...per.map((p) => Number(p.n)))).toBeGreaterThanOrEqual(3);
    for (const a of await db().selectFrom('study_activity').select(['id', 'attended_count']).where('campaign_id', '=', 'campaign-1').execute()) {
      expect(Number(a.attended_count)).toBe(await count('study_attendance', ['activity_id', a.id]));
    }
    for (const sh of await db().selectFrom('study_share').select(['id', 'likes']).where('campaign_id', '=', 'campaign-1').execute()) {
      expect(Number(sh.likes)).toBe(await count('study_share_like', ['share_id', sh.id]));
    }
    const fig = await studyFigures(systemCtx(s.deps), 'campaign-1');
    const att = await db().selectFrom('study_attendance').innerJoin('study_activity', 'study_activity.id', 'study_attendance.activity_id')
      .select([sql<number>`count(*)`.as('n'), sql<number>`sum(study_attendance.hours_tenths)`.as('t')]).where('study_activity.campaign_id', '=', 'campaign-1').executeTakeFirstOrThrow();
    expect(fig).toMatchObject({ activities: total, attendances: Number(att.n), hoursTotal: Number(att.t) / 10 });
    // The great occasions, with 观评.
    const events = await db().selectFrom('study_activity').select(['id', 'title']).where('campaign_id', '=', 'campaign-1').where('mode', '=', 'event_follow').orderBy('held_on').execute();
    expect(events.map((e) => e.title).join('|')).toMatch(/动员大会.*七一勋章.*庆祝/);
    for (const e of events) expect(await count('study_review', ['activity_id', e.id])).toBeGreaterThan(0);
    // A morning series at 红山区司法局 with a rota.
    const series = await db().selectFrom('study_series').selectAll().where('campaign_id', '=', 'campaign-1').executeTakeFirstOrThrow();
    expect(JSON.parse(series.rota).length).toBeGreaterThan(1);
    expect(await count('study_activity', ['series_id', series.id])).toBeGreaterThanOrEqual(10);
    // Most party organisations visited, not all; some follow-ups open; the account's two 先进基层党组织.
    const office2 = await s.as('office');
    const cov = (await office2.get('/api/study/supervision/coverage?campaignId=campaign-1')).body;
    expect(cov.covered).toBeGreaterThan(cov.total * 0.7);
    expect(cov.covered).toBeLessThan(cov.total);
    const open = (await office2.get('/api/study/supervision?campaignId=campaign-1&followUp=open')).body;
    expect(open.total).toBeGreaterThan(0);
    const honours = (await office2.get('/api/study/commendations?kind=party_org&pageSize=50')).body.items.filter((i: any) => i.campaignId === 'campaign-1');
    expect(honours.map((h: any) => `${h.name}/${h.title}/${h.conferredBy}`).sort()).toEqual([
      '中共赤峰市司法局机关委员会/先进基层党组织/中共赤峰市委',
      '中共赤峰市律师行业委员会/先进基层党组织/中共赤峰市直属机关工作委员会',
    ]);
    const feed = (await office2.get('/api/study/shares?campaignId=campaign-1&pageSize=5')).body;
    expect(feed.total).toBeGreaterThan(10);
    const audio = feed.items.find((i: any) => i.kind === 'audio') ?? (await office2.get('/api/study/shares?campaignId=campaign-1&pageSize=50')).body.items.find((i: any) => i.kind === 'audio');
    expect((await office2.get(audio.audioUrl)).status).toBe(200);
  });
});
