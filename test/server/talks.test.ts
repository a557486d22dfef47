import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import '../../src/server/modules/figures.js';

// 谈心谈话 and 民主生活会: the demo's two full rounds are figures the platform computes and proves by its
// records; recording a talk checks everyone it names against the recorder's scope and the round's dates;
// a life meeting's problems become ledger items with deadlines in the same step.

describe.each(targets())('talks and life meetings on %s', (target) => {
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
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code']).where('code', 'in', ['CFSJ', 'HSQ', 'NCX']).execute()) unit[u.code!] = u.id;
    hsqPeople = (await s.deps.db.selectFrom('person').select('id').where('org_unit_id', '=', unit.HSQ!).where('status', '=', 'active').orderBy('id').limit(4).execute()).map((p) => p.id);
    ncxPerson = (await s.deps.db.selectFrom('person').select('id').where('org_unit_id', '=', unit.NCX!).orderBy('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const count = async (t: 'talk' | 'talk_participant' | 'life_meeting' | 'life_meeting_problem' | 'rectification_item' | 'audit_log') =>
    Number((await db().selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('two full rounds cover every serving officer, and each figure is a count of the talks that prove it', async () => {
    const serving = Number((await db().selectFrom('person').select(sql<number>`count(*)`.as('n')).where('status', '=', 'active').executeTakeFirstOrThrow()).n);
    const figures = (await collectStats(systemCtx(s.deps))).talks as { rounds: { round: number; covered: number; total: number }[] };
    expect(figures.rounds).toEqual([
      { round: 1, covered: serving, total: serving },
      { round: 2, covered: serving, total: serving },
    ]);
    const rounds = (await office.get('/api/talks/rounds?campaignId=campaign-1')).body.items;
    for (const r of rounds) {
      // The proof: distinct serving participants of the round's talks.
      const proved = await db()
        .selectFrom('talk_participant')
        .innerJoin('person', 'person.id', 'talk_participant.person_id')
        .select(sql<number>`count(distinct talk_participant.person_id)`.as('n'))
        .where('talk_participant.round_id', '=', r.id)
        .where('person.status', '=', 'active')
        .executeTakeFirstOrThrow();
      expect(Number(proved.n)).toBe(serving);
      const cov = (await office.get(`/api/talks/coverage?roundId=${r.id}`)).body;
      expect(cov).toMatchObject({ total: serving, covered: serving, missing: 0 });
      expect((await office.get(`/api/talks/missing?roundId=${r.id}`)).body.total).toBe(0);
    }
    const talks = await office.get(`/api/talks?roundId=${rounds[0].id}&pageSize=5`);
    expect(talks.body.total).toBe(Number((await db().selectFrom('talk').select(sql<number>`count(*)`.as('n')).where('round_id', '=', rounds[0].id).executeTakeFirstOrThrow()).n));
    expect(talks.body.items[0]).toMatchObject({ round: 1, talkeeCount: 1 });
    expect(talks.body.items[0].talkees).toHaveLength(1);
  });

  it('a new round starts uncovered; a recorded talk covers its talker and talkees; a refusal writes nothing', async () => {
    const round = await office.post('/api/talks/rounds', { campaignId: 'campaign-1', round: 3, name: '第三轮谈心谈话', startDate: '2026-11-01', endDate: '2026-12-31' });
    expect(round.status).toBe(201);
    expect((await unitadmin.post('/api/talks/rounds', { campaignId: 'campaign-1', round: 4, name: '第四轮' })).status).toBe(403);
    expect((await office.post('/api/talks/rounds', { campaignId: 'campaign-1', round: 3, name: '重复的轮次' })).status).toBe(409);
    const roundId = round.body.id;
    const before = (await unitadmin.get(`/api/talks/coverage?roundId=${roundId}`)).body;
    expect(before.covered).toBe(0);

    const talk = (over: Record<string, unknown> = {}) => ({
      roundId, talkerPersonId: hsqPeople[0], talkeePersonIds: [hsqPeople[1], hsqPeople[2]], heldOn: '2026-11-20',
      reason: 'post_change', topics: ['ideology', 'integrity'], summary: '就岗位调整后的思想状况进行谈心，对方表示服从安排。', ...over,
    });
    const counts = async () => ({ talks: await count('talk'), parts: await count('talk_participant'), audit: await count('audit_log') });
    const c0 = await counts();
    const bad: [Record<string, unknown>, string][] = [
      [talk({ talkeePersonIds: [hsqPeople[0]] }), 'talkeePersonIds'],
      [talk({ talkeePersonIds: [hsqPeople[1], hsqPeople[1]] }), 'talkeePersonIds'],
      [talk({ talkeePersonIds: [ncxPerson] }), 'talkeePersonIds.0'],
      [talk({ heldOn: '2026-10-20' }), 'heldOn'],
      [talk({ heldOn: '2026-11-30' }), 'heldOn'], // after today (2026-11-23)
      [talk({ topics: [] }), 'topics'],
      [talk({ roundId: 'no-such-round' }), 'roundId'],
      [talk({ summary: '太短' }), 'summary'],
    ];
    for (const [body, field] of bad) {
      const r = await unitadmin.post('/api/talks', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field).toBe(field);
    }
    expect(await counts()).toEqual(c0);

    const made = await unitadmin.post('/api/talks', talk());
    expect(made.status).toBe(201);
    const after = (await unitadmin.get(`/api/talks/coverage?roundId=${roundId}`)).body;
    expect(after.covered).toBe(3);
    expect(after.missing).toBe(before.missing - 3);
    const missing = (await unitadmin.get(`/api/talks/missing?roundId=${roundId}&pageSize=200`)).body;
    expect(missing.total).toBe(after.missing);
    expect(missing.items.map((m: any) => m.personId)).not.toContain(hsqPeople[1]);
    const detail = (await unitadmin.get(`/api/talks/${made.body.id}`)).body;
    expect(detail).toMatchObject({ reasonLabel: '岗位职务调整时', topicLabels: ['谈思想认识', '谈廉洁自律'], talkeeCount: 2 });
    const mine = (await unitadmin.get(`/api/talks?roundId=${roundId}&personId=${hsqPeople[2]}`)).body;
    expect(mine.items.map((t: any) => t.id)).toEqual([made.body.id]);

    // Another county's talks are outside a county admin's scope.
    const cityTalk = await db().selectFrom('talk').select('id').where('org_unit_id', '=', unit.NCX!).executeTakeFirstOrThrow();
    expect((await unitadmin.get(`/api/talks/${cityTalk.id}`)).status).toBe(404);
    expect((await office.get(`/api/talks/${cityTalk.id}`)).status).toBe(200);
  });

  it('a talk can be corrected, including who took part; coverage follows, a refused correction writes nothing, and the person filter names whose talks they are', async () => {
    const round = await office.post('/api/talks/rounds', { campaignId: 'campaign-1', round: 5, name: '第五轮谈心谈话', startDate: '2026-11-01', endDate: '2026-12-31' });
    expect(round.status).toBe(201);
    const roundId = round.body.id;
    const made = await unitadmin.post('/api/talks', {
      roundId, talkerPersonId: hsqPeople[0], talkeePersonIds: [hsqPeople[1]], heldOn: '2026-11-20', topics: ['ideology'],
      summary: '谈话对象登记有误的一次谈话记录。',
    });
    expect(made.status).toBe(201);
    const talkId = made.body.id;
    const missingIds = async () => ((await unitadmin.get(`/api/talks/missing?roundId=${roundId}&pageSize=200`)).body.items as any[]).map((m) => m.personId);
    expect(await missingIds()).toContain(hsqPeople[2]);

    const snapshot = async () => ({
      talk: await db().selectFrom('talk').selectAll().where('id', '=', talkId).executeTakeFirstOrThrow(),
      parts: await db().selectFrom('talk_participant').select(['person_id', 'role']).where('talk_id', '=', talkId).orderBy('person_id').execute(),
      audit: await count('audit_log'),
    });
    const s0 = await snapshot();
    const bad: [Record<string, unknown>, string, number][] = [
      [{ talkeePersonIds: [hsqPeople[0]] }, 'talkeePersonIds', 400],
      [{ talkeePersonIds: [ncxPerson] }, 'talkeePersonIds.0', 400],
      [{ talkerPersonId: ncxPerson }, 'talkerPersonId', 400],
      [{ heldOn: '2026-10-01' }, 'heldOn', 400],
      [{ summary: '太短' }, 'summary', 400],
      [{ roundId: 'no-such-round' }, 'roundId', 400],
      [{ topics: ['no-such-topic'] }, 'topics.0', 400],
    ];
    for (const [body, field, status] of bad) {
      const r = await unitadmin.patch(`/api/talks/${talkId}`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.field).toBe(field);
    }
    expect(await snapshot()).toEqual(s0);

    // The wrong talkee is replaced: the right one is covered, the wrong one is missing again.
    const fixed = await unitadmin.patch(`/api/talks/${talkId}`, { talkeePersonIds: [hsqPeople[2]], reason: 'post_change', followUp: '一个月后回访。' });
    expect(fixed.status).toBe(200);
    const detail = (await unitadmin.get(`/api/talks/${talkId}`)).body;
    expect(detail).toMatchObject({ talkeeCount: 1, talkees: [{ id: hsqPeople[2] }], reasonLabel: '岗位职务调整时', followUp: '一个月后回访。', heldOn: '2026-11-20' });
    const missing = await missingIds();
    expect(missing).toContain(hsqPeople[1]);
    expect(missing).not.toContain(hsqPeople[2]);
    const audit = await db().selectFrom('audit_log').selectAll().where('entity_type', '=', 'talk').where('entity_id', '=', talkId).where('action', '=', 'update').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit)).toContain(hsqPeople[2]);
    expect(JSON.stringify(audit)).not.toContain('登记有误');

    // Recorded in the wrong round: moved, it covers its people in the right one and no longer in this.
    const other = (await office.post('/api/talks/rounds', { campaignId: 'campaign-1', round: 6, name: '第六轮谈心谈话', startDate: '2026-11-01' })).body.id;
    const otherMissing = async () => ((await unitadmin.get(`/api/talks/missing?roundId=${other}&pageSize=200`)).body.items as any[]).map((m) => m.personId);
    expect(await otherMissing()).toContain(hsqPeople[2]);
    expect((await unitadmin.patch(`/api/talks/${talkId}`, { roundId: other })).status).toBe(200);
    expect(await otherMissing()).not.toContain(hsqPeople[2]);
    expect(await missingIds()).toContain(hsqPeople[2]);
    expect((await unitadmin.patch(`/api/talks/${talkId}`, { roundId })).status).toBe(200);

    // Whose talks: the list filtered on a person says who it is; someone outside scope is not named.
    const theirs = (await unitadmin.get(`/api/talks?roundId=${roundId}&personId=${hsqPeople[2]}`)).body;
    expect(theirs.items.map((t: any) => t.id)).toEqual([talkId]);
    expect(theirs.person).toMatchObject({ id: hsqPeople[2] });
    const outside = (await unitadmin.get(`/api/talks?roundId=${roundId}&personId=${ncxPerson}`)).body;
    expect(outside).toMatchObject({ items: [], person: null });

    // A county admin cannot correct another county's talk.
    const cityTalk = await db().selectFrom('talk').select(['id', 'summary']).where('org_unit_id', '=', unit.NCX!).executeTakeFirstOrThrow();
    expect((await unitadmin.patch(`/api/talks/${cityTalk.id}`, { summary: '越权修改他人单位的谈话记录。' })).status).toBe(403);
    expect((await db().selectFrom('talk').select('summary').where('id', '=', cityTalk.id).executeTakeFirstOrThrow()).summary).toBe(cityTalk.summary);
  });

  it('a life meeting records its attendees and problems, and each problem is a ledger item with its deadline', async () => {
    const meeting = (over: Record<string, unknown> = {}) => ({
      campaignId: 'campaign-1', orgUnitId: unit.HSQ, title: '红山区司法局专题民主生活会', heldOn: '2026-11-20', host: '局党组书记',
      attendeePersonIds: hsqPeople.slice(0, 3),
      problems: [
        { kind: 'self_criticism', personId: hsqPeople[0], description: '对基层司法所工作指导不够，调研不深入。', measures: '每月到司法所调研一次。', deadline: '2026-12-31' },
        { kind: 'found', description: '窗口服务效率不高，群众等待时间长。', measures: '推行预约办理。' },
      ],
      ...over,
    });
    const c0 = { m: await count('life_meeting'), p: await count('life_meeting_problem'), i: await count('rectification_item') };
    const early = await unitadmin.post('/api/life-meetings', meeting({ problems: [{ kind: 'found', description: '窗口服务效率不高，群众等待时间长。', deadline: '2026-11-01' }] }));
    expect(early.status).toBe(400);
    expect(early.body.field).toBe('problems.0.deadline');
    const outside = await unitadmin.post('/api/life-meetings', meeting({ orgUnitId: unit.NCX }));
    expect(outside.status).toBe(403);
    const stranger = await unitadmin.post('/api/life-meetings', meeting({ problems: [{ kind: 'criticism', personId: ncxPerson, description: '工作作风不够扎实的问题。' }] }));
    expect(stranger.status).toBe(400);
    expect(stranger.body.field).toBe('problems.0.personId');
    expect({ m: await count('life_meeting'), p: await count('life_meeting_problem'), i: await count('rectification_item') }).toEqual(c0);

    const made = await unitadmin.post('/api/life-meetings', meeting());
    expect(made.status).toBe(201);
    expect(made.body.itemIds).toHaveLength(2);
    const detail = (await unitadmin.get(`/api/life-meetings/${made.body.id}`)).body;
    expect(detail.attendees).toHaveLength(3);
    expect(detail.problems.map((p: any) => p.kindLabel)).toEqual(['自我批评', '查摆问题']);
    expect(detail.problems[0].item).toMatchObject({ deadline: '2026-12-31', status: 'not_started' });
    const item = (await unitadmin.get(`/api/rectification/items/${made.body.itemIds[0]}`)).body;
    expect(item).toMatchObject({ source: 'life_meeting', sourceLabel: '民主生活会', deadline: '2026-12-31', mode: 'deadline', measures: '每月到司法所调研一次。', responsiblePersonId: hsqPeople[0] });

    const all = (await collectStats(systemCtx(s.deps))).lifeMeetings as { total: number };
    expect(all.total).toBe(await count('life_meeting'));
    // The demo's leading-group meeting is the city's: not in a county admin's list.
    const list = (await unitadmin.get('/api/life-meetings?campaignId=campaign-1')).body;
    expect(list.items.map((m: any) => m.id)).toEqual([made.body.id]);
    expect((await office.get('/api/life-meetings?campaignId=campaign-1')).body.total).toBe(all.total);
  });
});
