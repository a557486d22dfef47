// Phone numbers as people type them (spaces, dashes, +86, 0086, (0476)…) are accepted by every API
// that takes one — the public form, staff entry, symposium speakers, people, Open311 — and stored
// in one normalised form (src/shared/validators.ts normalizePhone). Real HTTP, SQLite.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type TestServer } from '../support/http.js';

const MOBILE = '13904761234';
const LANDLINE = '0476-8888888';
const FORMS: [string, string][] = [
  ['139 0476 1234', MOBILE],
  ['139-0476-1234', MOBILE],
  ['+86 139 0476 1234', MOBILE],
  ['+86-139-0476-1234', MOBILE],
  ['0086 13904761234', MOBILE],
  ['8613904761234', MOBILE],
  ['(0476)8888888', LANDLINE],
  ['（0476）8888888', LANDLINE],
  ['0476 888 8888', LANDLINE],
  ['04768888888', LANDLINE],
  ['+86 476 8888888', LANDLINE],
];

const unique = (topic: string) => `${topic}（编号 ${crypto.randomBytes(4).toString('hex')}）`;

describe('phone numbers as people type them', () => {
  let s: TestServer;
  let office: Client;
  let admin: Client;

  beforeAll(async () => {
    s = await startServer('sqlite', { env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' } });
    [office, admin] = await Promise.all([s.as('office'), s.as('admin')]);
  });
  afterAll(async () => s?.close());

  /** The phone an opinion keeps (sealed), in clear. */
  async function storedPhone(publicNo: string) {
    const row = await s.deps.db.selectFrom('opinion').select(['id', 'submitter_phone_enc']).where('public_no', '=', publicNo).executeTakeFirstOrThrow();
    return { id: row.id, phone: row.submitter_phone_enc ? s.deps.cipher.open(row.submitter_phone_enc) : null };
  }

  it('the public form: 201 for every form, stored normalised', async () => {
    for (const [typed, stored] of FORMS) {
      const r = await s.client().post('/api/public/opinions', {
        category: 'notary_service', content: unique('公证处窗口排队太久，希望增加窗口'), identity: 'named', name: '张三', phone: typed,
      });
      expect(r.status, typed).toBe(201);
      expect((await storedPhone(r.body.publicNo)).phone, typed).toBe(stored);
    }
    // What 整顿办 opens with 查看身份 is the stored form.
    const last = await s.client().post('/api/public/opinions', {
      content: unique('希望延长法律援助中心开放时间'), identity: 'named', name: '李四', phone: '+86 139-0476-1234',
    });
    const { id } = await storedPhone(last.body.publicNo);
    const who = await office.get(`/api/opinions/${id}/identity`);
    expect(who.status).toBe(200);
    expect(who.body.phone).toBe(MOBILE);
  });

  it('the public form still refuses what is no phone number, naming the field, writing nothing', async () => {
    const before = await s.deps.db.selectFrom('opinion').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    for (const bad of ['12345', '+1 555 123 4567', '139 0476 123x', '0476-888888']) {
      const r = await s.client().post('/api/public/opinions', {
        content: unique('希望公开办事流程'), identity: 'named', name: '王五', phone: bad,
      });
      expect(r.status, bad).toBe(400);
      expect(r.body.field, bad).toBe('phone');
      expect(r.body.message, bad).toContain('格式不正确');
    }
    const after = await s.deps.db.selectFrom('opinion').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('staff entry of an offline opinion', async () => {
    const r = await office.post('/api/opinions', {
      channel: 'hotline', identity: 'named', name: '赵六', phone: '(0476) 888-8888', content: unique('来电反映调解员补贴偏低'),
    });
    expect(r.status).toBe(201);
    const row = await s.deps.db.selectFrom('opinion').select('submitter_phone_enc').where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(s.deps.cipher.open(row.submitter_phone_enc!)).toBe(LANDLINE);
  });

  it('a symposium speaker', async () => {
    const city = await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'CFSJ').executeTakeFirstOrThrow();
    const r = await office.post('/api/symposiums', {
      title: '电话号码格式座谈会', heldOn: '2021-04-02', host: '王局长', orgUnitId: city.id,
      attendees: [{ kind: 'external', name: '李律师', organization: '某律师事务所' }],
      opinions: [{ content: unique('建议公证处延长周末办证时间'), identity: 'named', name: '钱代表', phone: '0086 139 0476 1234' }],
    });
    expect(r.status).toBe(201);
    const rows = await s.deps.db
      .selectFrom('opinion')
      .select('submitter_phone_enc')
      .where('channel', '=', 'symposium')
      .where('submitter_phone_enc', 'is not', null)
      .execute();
    expect(rows.map((o) => s.deps.cipher.open(o.submitter_phone_enc!))).toContain(MOBILE);
  });

  it('a person (staff record and the plain view)', async () => {
    const unit = await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    const r = await admin.post('/api/people', { name: '号码甲', orgUnitId: unit.id, phone: '+86 139 0476 1234' });
    expect(r.status).toBe(201);
    const plain = await admin.get(`/api/people/${r.body.id}?reveal=1`);
    expect(plain.status).toBe(200);
    expect(plain.body.phone).toBe(MOBILE);
    const masked = await admin.get(`/api/people/${r.body.id}`);
    expect(masked.body.phone).toBe('139****1234');
    const patched = await admin.patch(`/api/people/${r.body.id}`, { phone: '（0476）888 8888' });
    expect(patched.status).toBe(200);
    expect((await admin.get(`/api/people/${r.body.id}?reveal=1`)).body.phone).toBe(LANDLINE);
  });

  it('Open311 requests', async () => {
    const sec = await s.as('secadmin');
    const key = await sec.post('/api/open311/keys', { name: '号码测试客户端' });
    expect(key.status).toBe(201);
    const res = await fetch(`${s.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({
        api_key: key.body.apiKey, service_code: 'other', description: unique('建议在各司法所设置意见箱'),
        first_name: '三', last_name: '张', phone: '+86 (476) 888-8888',
      }).toString(),
    });
    expect(res.status).toBe(200);
    const [created] = (await res.json()) as { service_request_id: string }[];
    expect((await storedPhone(created!.service_request_id)).phone).toBe(LANDLINE);
  });
});
