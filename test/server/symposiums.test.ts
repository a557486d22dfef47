import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';

describe.each(targets())('symposiums on %s', (target) => {
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  const unit: Record<string, string> = {};
  let hsqPeople: { id: string; name: string }[];

  beforeAll(async () => {
    s = await startServer(target);
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
    for (const u of await s.deps.db.selectFrom('org_unit').select(['id', 'code']).where('code', 'in', ['CFSJ', 'HSQ', 'NCX']).execute()) {
      unit[u.code!] = u.id;
    }
    hsqPeople = await s.deps.db
      .selectFrom('person')
      .select(['id', 'name'])
      .where('org_unit_id', '=', unit.HSQ!)
      .orderBy('id')
      .limit(3)
      .execute();
    expect(hsqPeople.length).toBe(3);
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const count = async (table: 'symposium' | 'symposium_attendee' | 'opinion' | 'audit_log') =>
    Number((await db().selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const counts = async () => ({
    symposium: await count('symposium'),
    attendees: await count('symposium_attendee'),
    opinions: await count('opinion'),
    audit: await count('audit_log'),
  });

  function body(over: Record<string, unknown> = {}) {
    return {
      title: '市司法局开门纳谏座谈会',
      heldOn: '2021-04-02',
      host: '王局长',
      location: '市司法局三楼会议室',
      orgUnitId: unit.CFSJ,
      summary: '听取律师、人民调解员、群众代表对司法行政工作的意见建议。',
      attendees: [
        { kind: 'internal', personId: hsqPeople[0]!.id },
        { kind: 'internal', personId: hsqPeople[1]!.id },
        { kind: 'external', name: '李律师', organization: '内蒙古某律师事务所' },
      ],
      opinions: [
        { content: '建议公证处延长周末办证时间，方便上班族办理业务。', category: 'notary_service', identity: 'anonymous' },
        { content: '希望社区矫正工作加强与派出所的信息共享，避免脱管漏管。', identity: 'named', name: '赵代表', phone: '13912345678' },
        { content: '人民调解员补贴标准偏低，建议适当提高以稳定队伍。', identity: 'anonymous' },
      ],
      ...over,
    };
  }

  /** The office's city-level symposium with body()'s attendees and three opinions: each test records its own. */
  async function recorded(): Promise<{ id: string; opinions: { id: string; publicNo: string; receiptCode: string }[] }> {
    const r = await office.post('/api/symposiums', body());
    expect(r.status).toBe(201);
    return { id: r.body.id, opinions: r.body.opinions };
  }

  it('office records a symposium with internal and external attendees and three opinions, in one go', async () => {
    const before = await counts();
    const r = await office.post('/api/symposiums', body());
    expect(r.status).toBe(201);
    expect(r.body.id).toBeTruthy();
    expect(r.body.opinions).toHaveLength(3);
    for (const o of r.body.opinions) {
      expect(o.id).toBeTruthy();
      expect(o.publicNo).toBeTruthy();
      expect(o.receiptCode).toBeTruthy();
    }
    const cityId = r.body.id as string;
    const after = await counts();
    expect(after.symposium).toBe(before.symposium + 1);
    expect(after.attendees).toBe(before.attendees + 3);
    expect(after.opinions).toBe(before.opinions + 3);
    // One command, one audit entry.
    expect(after.audit).toBe(before.audit + 1);

    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'symposium')
      .where('entity_id', '=', cityId)
      .where('action', '=', 'create')
      .executeTakeFirstOrThrow();
    const after_json = audit.after_json ?? '';
    expect(after_json).toContain(r.body.opinions[1].id);
    // Never the named speaker's identity.
    expect(after_json).not.toContain('赵代表');
    expect(after_json).not.toContain('13912345678');

    // The named speaker's identity is stored sealed, not in clear.
    const named = await db().selectFrom('opinion').selectAll().where('id', '=', r.body.opinions[1].id).executeTakeFirstOrThrow();
    expect(named.identity).toBe('named');
    expect(named.submitter_name_enc).toBeTruthy();
    expect(named.submitter_name_enc).not.toContain('赵代表');
    expect(named.symposium_id).toBe(cityId);
    expect(named.entered_by).toBeTruthy();
  });

  it('its opinions are in the opinions list with channel symposium, and their receipt codes work publicly', async () => {
    const { opinions: created } = await recorded();
    const list = await office.get('/api/opinions?channel=symposium&pageSize=200');
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((i: any) => created.some((c) => c.id === i.id));
    expect(mine).toHaveLength(3);
    for (const item of mine) expect(item.channel).toBe('symposium');
    for (const c of created) {
      const pub = await s.client().get(`/api/public/opinions/${encodeURIComponent(c.receiptCode)}`);
      expect(pub.status).toBe(200);
      expect(pub.body.channel).toBe('座谈会');
      expect(pub.body.publicNo).toBe(c.publicNo);
      expect(pub.body.status).toBe('received');
      // Nothing personal on the public page.
      expect(JSON.stringify(pub.body)).not.toContain('赵代表');
      expect(JSON.stringify(pub.body)).not.toContain('13912345678');
    }
    const named = await s.client().get(`/api/public/opinions/${encodeURIComponent(created[1]!.receiptCode)}`);
    expect(named.body.content).toContain('社区矫正');
  });

  it('detail lists attendees (internal ones by their stored name) and the opinions raised', async () => {
    const { id: cityId } = await recorded();
    const r = await office.get(`/api/symposiums/${cityId}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: cityId,
      title: '市司法局开门纳谏座谈会',
      heldOn: '2021-04-02',
      host: '王局长',
      orgUnitId: unit.CFSJ,
      attendeeCount: 3,
      opinionCount: 3,
      // Not given: the one active campaign.
      campaignId: 'campaign-1',
    });
    expect(r.body.orgUnitName).toBe('赤峰市司法局');
    expect(r.body.summary).toContain('人民调解员');
    const internal = r.body.attendees.filter((a: any) => a.kind === 'internal');
    expect(internal.map((a: any) => a.name).sort()).toEqual([hsqPeople[0]!.name, hsqPeople[1]!.name].sort());
    expect(internal.map((a: any) => a.personId).sort()).toEqual([hsqPeople[0]!.id, hsqPeople[1]!.id].sort());
    const external = r.body.attendees.filter((a: any) => a.kind === 'external');
    expect(external).toEqual([expect.objectContaining({ name: '李律师', organization: '内蒙古某律师事务所', personId: null })]);
    expect(r.body.opinions).toHaveLength(3);
    expect(r.body.opinions[0]).toMatchObject({ status: 'received', category: 'notary_service' });
    expect(r.body.opinions[0].excerpt).toContain('公证处');
    expect(r.body.opinions[0].publicNo).toBeTruthy();
    // The detail never carries a speaker's identity.
    expect(JSON.stringify(r.body)).not.toContain('赵代表');

    const list = await office.get('/api/symposiums?q=开门纳谏');
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: any) => i.id === cityId);
    expect(item).toMatchObject({ attendeeCount: 3, opinionCount: 3, orgUnitName: '赤峰市司法局', heldOn: '2021-04-02' });
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    const none = await office.get('/api/symposiums?q=不存在的主题xyz');
    expect(none.body).toEqual({ items: [], total: 0 });
  });

  describe('bad input: 400 naming the field, nothing written', () => {
    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ['missing title', () => { const b = body(); delete (b as any).title; return b; }, 'title', '座谈会主题'],
      ['heldOn not a date', () => body({ heldOn: '2021-02-30' }), 'heldOn', '召开日期'],
      ['heldOn not even date-shaped', () => body({ heldOn: '上周五' }), 'heldOn', '召开日期'],
      [
        'an internal attendee who is not a known person',
        () => body({ attendees: [{ kind: 'external', name: '张三' }, { kind: 'internal', personId: '0190ffff-0000-7000-8000-000000000000' }] }),
        'attendees.1.personId',
        '参会',
      ],
      [
        'an opinion of 3 characters',
        () => body({ opinions: [{ content: '建议多开会议题', identity: 'anonymous' }, { content: '太慢了', identity: 'anonymous' }] }),
        'opinions.1.content',
        '意见内容',
      ],
      ['no attendees', () => body({ attendees: [] }), 'attendees', '参会人员'],
      ['an external attendee without a name', () => body({ attendees: [{ kind: 'external', organization: '某村' }] }), 'attendees.0.name', '姓名'],
      [
        'a named opinion without the speaker',
        () => body({ opinions: [{ content: '建议公开办事流程和时限。', identity: 'named' }] }),
        'opinions.0.name',
        '提出人姓名',
      ],
      [
        'an opinion category not in the dictionary',
        () => body({ opinions: [{ content: '建议公开办事流程和时限。', identity: 'anonymous', category: 'no_such_category' }] }),
        'opinions.0.category',
        '意见类别',
      ],
      ['an unknown org unit', () => body({ orgUnitId: 'no-such-unit' }), 'orgUnitId', '组织单位'],
      ['an unknown campaign', () => body({ campaignId: 'no-such-campaign' }), 'campaignId', '教育整顿批次'],
    ];
    it.each(cases)('%s', async (_name, make, field, label) => {
      const before = await counts();
      const r = await office.post('/api/symposiums', make());
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toContain(label);
      expect(await counts()).toEqual(before);
    });

    it('a bad opinion added later writes nothing either', async () => {
      const { id: cityId } = await recorded();
      const before = await counts();
      const r = await office.post(`/api/symposiums/${cityId}/opinions`, {
        opinions: [{ content: '建议加强法治宣传进社区。', identity: 'anonymous' }, { content: '慢', identity: 'anonymous' }],
      });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('opinions.1.content');
      expect(await counts()).toEqual(before);
    });
  });

  it('patch replaces the attendees; more opinions can be added later', async () => {
    const { id: cityId } = await recorded();
    const p = await office.patch(`/api/symposiums/${cityId}`, {
      host: '刘副局长',
      attendees: [{ kind: 'internal', personId: hsqPeople[2]!.id }, { kind: 'external', name: '周调解员' }],
    });
    expect(p.status).toBe(200);
    const d = await office.get(`/api/symposiums/${cityId}`);
    expect(d.body.host).toBe('刘副局长');
    expect(d.body.title).toBe('市司法局开门纳谏座谈会');
    expect(d.body.attendees.map((a: any) => a.name).sort()).toEqual([hsqPeople[2]!.name, '周调解员'].sort());

    const bad = await office.patch(`/api/symposiums/${cityId}`, { attendees: [{ kind: 'internal', personId: 'nobody' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('attendees.0.personId');
    expect((await office.get(`/api/symposiums/${cityId}`)).body.attendeeCount).toBe(2);

    const add = await office.post(`/api/symposiums/${cityId}/opinions`, {
      opinions: [{ content: '建议律师执业投诉处理结果及时反馈投诉人。', identity: 'anonymous', category: 'lawyer_management' }],
    });
    expect(add.status).toBe(201);
    expect(add.body.opinions).toHaveLength(1);
    expect(add.body.opinions[0].receiptCode).toBeTruthy();
    const d2 = await office.get(`/api/symposiums/${cityId}`);
    expect(d2.body.opinionCount).toBe(4);
    const o = await db().selectFrom('opinion').selectAll().where('id', '=', add.body.opinions[0].id).executeTakeFirstOrThrow();
    expect(o.channel).toBe('symposium');
    expect(o.symposium_id).toBe(cityId);
  });

  it('unit admin of 红山区 works within 红山区 only', async () => {
    const { id: cityId } = await recorded();
    const own = await unitadmin.post('/api/symposiums', body({ title: '红山区律师座谈会', orgUnitId: unit.HSQ, opinions: [] }));
    expect(own.status).toBe(201);
    const before = await counts();
    const other = await unitadmin.post('/api/symposiums', body({ title: '宁城县座谈会', orgUnitId: unit.NCX }));
    expect(other.status).toBe(403);
    expect(await counts()).toEqual(before);

    const list = await unitadmin.get('/api/symposiums?pageSize=200');
    expect(list.status).toBe(200);
    const ids = list.body.items.map((i: any) => i.id);
    expect(ids).toContain(own.body.id);
    expect(ids).not.toContain(cityId);
    expect(list.body.items.every((i: any) => i.orgUnitId === unit.HSQ)).toBe(true);
    expect((await unitadmin.get(`/api/symposiums/${cityId}`)).status).toBe(404);
    expect((await unitadmin.get(`/api/symposiums/${own.body.id}`)).status).toBe(200);
    // Nor can it change or add to the city's.
    expect((await unitadmin.patch(`/api/symposiums/${cityId}`, { host: '某人' })).status).toBe(404);
    expect(
      (await unitadmin.post(`/api/symposiums/${cityId}/opinions`, { opinions: [{ content: '建议加强法治宣传。', identity: 'anonymous' }] })).status,
    ).toBe(404);
    expect(await counts()).toEqual(before);
    // The office (scope all) sees both.
    const all = (await office.get('/api/symposiums?pageSize=200')).body.items.map((i: any) => i.id);
    expect(all).toEqual(expect.arrayContaining([cityId, own.body.id]));
  });

  it('an officer may neither read nor record symposiums', async () => {
    const { id: cityId } = await recorded();
    expect((await officer.get('/api/symposiums')).status).toBe(403);
    expect((await officer.get(`/api/symposiums/${cityId}`)).status).toBe(403);
    const before = await counts();
    expect((await officer.post('/api/symposiums', body({ orgUnitId: unit.HSQ }))).status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});
