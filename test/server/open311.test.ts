import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { XMLParser } from 'fast-xml-parser';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { png } from '../support/files.js';

// Open311 GeoReport v2: a client that knows only the spec discovers the services, files an
// opinion with its API key, and follows it to its reply — in JSON and in XML. Nothing personal
// ever comes back, and every bad request answers in the spec's error format and writes nothing.

const CATEGORY_CODES = [
  'approval_service', 'public_legal_service', 'lawyer_management', 'notary_service', 'judicial_appraisal',
  'people_mediation', 'community_correction', 'law_enforcement_supervision', 'administrative_reconsideration',
  'legal_publicity', 'team_conduct', 'other',
];
const RECEIPT_RE = /[0-9A-Z]{4}(-[0-9A-Z]{4}){3}/;
const W3_SHANGHAI = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

// Lists are arrays even with one element, as the spec's JSON mapping has them.
const LISTS = new Set([
  'services.service', 'service_requests.request', 'errors.error', 'discovery.endpoints.endpoint',
  'discovery.endpoints.endpoint.formats.format', 'service_definition.attributes.attribute',
  'service_definition.attributes.attribute.values.value',
]);
const xml = new XMLParser({ parseTagValue: false, isArray: (_name, jpath) => LISTS.has(String(jpath)) });

interface Res {
  status: number;
  type: string;
  text: string;
  body: any;
}

async function call(url: string, init?: RequestInit): Promise<Res> {
  const r = await fetch(url, init);
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, type, text, body: type.startsWith('application/json') ? JSON.parse(text) : type.startsWith('text/xml') ? xml.parse(text) : text };
}

describe.each(targets())('Open311 GeoReport v2 on %s', (target) => {
  let s: TestServer;
  let sec: Client;
  let office: Client;
  let apiKey: string;

  const base = () => `${s.url}/open311/v2`;
  const get = (path: string) => call(`${base()}/${path}`);
  const postForm = (ext: 'json' | 'xml', params: Record<string, string>) =>
    call(`${base()}/requests.${ext}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    });
  const opinions = async () =>
    Number((await s.deps.db.selectFrom('opinion').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  function expectJson(r: Res) {
    expect(r.type).toBe('application/json; charset=utf-8');
  }
  function expectXml(r: Res) {
    expect(r.type).toBe('text/xml; charset=utf-8');
    expect(r.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  }
  /** The spec's error answer, in the URL's format, with the HTTP status as its code. */
  function expectSpecError(r: Res, status: number, ext: 'json' | 'xml', mentions?: string) {
    expect(r.status).toBe(status);
    let description: string;
    if (ext === 'json') {
      expectJson(r);
      expect(Array.isArray(r.body)).toBe(true);
      expect(r.body).toHaveLength(1);
      expect(r.body[0].code).toBe(status);
      description = r.body[0].description;
    } else {
      expectXml(r);
      expect(Object.keys(r.body).filter((k) => k !== '?xml')).toEqual(['errors']);
      expect(r.body.errors.error[0].code).toBe(String(status));
      description = r.body.errors.error[0].description;
    }
    expect(description).toMatch(/[\u4e00-\u9fff]/);
    if (mentions) expect(description).toContain(mentions);
  }

  beforeAll(async () => {
    s = await startServer(target);
    sec = await s.as('secadmin');
    office = await s.as('office');
    const k = await sec.post('/api/open311/keys', { name: '测试用 Open311 客户端' });
    expect(k.status).toBe(201);
    apiKey = k.body.apiKey;
  });
  afterAll(async () => s?.close());

  it('serves discovery in JSON and XML', async () => {
    const j = await get('discovery.json');
    expect(j.status).toBe(200);
    expectJson(j);
    expect(j.body).toMatchObject({
      changeset: expect.stringMatching(W3_SHANGHAI),
      contact: expect.any(String),
      key_service: expect.stringContaining('api_key'),
    });
    expect(j.body.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        // The configured public address (RECTIFY_PUBLIC_URL), never the Host the request came with.
        url: `${s.config.publicUrl}/open311/v2`,
        changeset: j.body.changeset,
        type: 'production',
        formats: ['application/json', 'text/xml'],
      },
    ]);

    const x = await get('discovery.xml');
    expect(x.status).toBe(200);
    expectXml(x);
    const d = x.body.discovery;
    expect(d.changeset).toBe(j.body.changeset);
    expect(d.key_service).toBe(j.body.key_service);
    expect(d.endpoints.endpoint).toHaveLength(1);
    expect(d.endpoints.endpoint[0]).toEqual({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${s.config.publicUrl}/open311/v2`,
      changeset: j.body.changeset,
      type: 'production',
      formats: { format: ['application/json', 'text/xml'] },
    });
  });

  it('lists one service per opinion category, in JSON and XML, and nothing else', async () => {
    const j = await get('services.json');
    expect(j.status).toBe(200);
    expectJson(j);
    expect(j.body.map((x: any) => x.service_code).sort()).toEqual([...CATEGORY_CODES].sort());
    const legal = j.body.find((x: any) => x.service_code === 'public_legal_service');
    expect(legal).toEqual({
      service_code: 'public_legal_service',
      service_name: '公共法律服务',
      description: expect.stringContaining('media_url'),
      metadata: true,
      type: 'realtime',
      keywords: expect.stringContaining('公共法律服务'),
      group: '开门纳谏',
    });

    const x = await get('services.xml');
    expect(x.status).toBe(200);
    expectXml(x);
    const services = x.body.services.service;
    expect(services).toHaveLength(12);
    const lx = services.find((v: any) => v.service_code === 'public_legal_service');
    expect(lx).toEqual({ ...legal, metadata: 'true' });
  });

  it('defines the identity and wants_contact attributes; an unknown code is a 404 in both formats', async () => {
    const j = await get('services/people_mediation.json');
    expect(j.status).toBe(200);
    expectJson(j);
    expect(j.body.service_code).toBe('people_mediation');
    expect(j.body.attributes.map((a: any) => a.code)).toEqual(['identity', 'wants_contact']);
    const identity = j.body.attributes[0];
    expect(identity).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: false, order: 1 });
    expect(identity.values).toEqual([{ key: 'named', name: '实名' }, { key: 'anonymous', name: '匿名' }]);
    expect(identity.datatype_description).toContain('anonymous');
    expect(j.body.attributes[1].values.map((v: any) => v.key)).toEqual(['true', 'false']);

    const x = await get('services/people_mediation.xml');
    expect(x.status).toBe(200);
    expectXml(x);
    const def = x.body.service_definition;
    expect(def.service_code).toBe('people_mediation');
    const attrs = def.attributes.attribute;
    expect(attrs.map((a: any) => a.code)).toEqual(['identity', 'wants_contact']);
    expect(attrs[0]).toMatchObject({ variable: 'true', datatype: 'singlevaluelist', required: 'false', order: '1' });
    expect(attrs[0].values.value).toEqual([{ key: 'named', name: '实名' }, { key: 'anonymous', name: '匿名' }]);

    expectSpecError(await get('services/no_such_service.json'), 404, 'json', 'service_code');
    expectSpecError(await get('services/no_such_service.xml'), 404, 'xml', 'service_code');
  });

  it('takes a form-encoded request, follows it to its reply, and resolves its token', async () => {
    const content = '希望公共法律服务中心周六上午也开放，方便上班族办理法律援助申请。';
    const before = await opinions();
    const posted = await postForm('json', {
      api_key: apiKey,
      jurisdiction_id: 'cfsf.gov.cn',
      service_code: 'public_legal_service',
      description: content,
      lat: '42.2663',
      long: '118.9568',
      address_string: '内蒙古赤峰市红山区公共法律服务中心',
      email: 'citizen@example.com',
      device_id: 'device-123',
      media_url: 'http://example.com/photo.jpg',
    });
    expect(posted.status).toBe(200);
    expectJson(posted);
    expect(await opinions()).toBe(before + 1);
    expect(posted.body).toHaveLength(1);
    const ans = posted.body[0];
    expect(ans).toEqual({
      service_request_id: expect.stringMatching(/^YJ\d{8}[0-9A-Z]{5}$/),
      token: expect.any(String),
      service_notice: expect.stringMatching(RECEIPT_RE),
      account_id: null,
    });
    const id: string = ans.service_request_id;
    const receipt = RECEIPT_RE.exec(ans.service_notice)![0];

    // The receipt code in the notice is the citizen's way in on the public page.
    const pub = await s.client().get(`/api/public/opinions/${receipt}`);
    expect(pub.status).toBe(200);
    expect(pub.body.publicNo).toBe(id);

    // Stored as a portal opinion in its category, with its place and media link; an anonymous
    // submission keeps no email or device id anywhere.
    const row = await s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'portal', category: 'public_legal_service', identity: 'anonymous', status: 'received',
      media_url: 'http://example.com/photo.jpg', submitter_email_enc: null, open311_meta_enc: null,
    });
    expect(row.location_text).toBe('内蒙古赤峰市红山区公共法律服务中心');
    expect(Number(row.lat)).toBeCloseTo(42.2663);
    expect(Number(row.lon)).toBeCloseTo(118.9568);
    expect(JSON.stringify(row)).not.toContain('citizen@example.com');

    // The audit entry says it came through Open311 and with which key.
    const audit = await s.deps.db
      .selectFrom('audit_log').selectAll().where('entity_type', '=', 'opinion').where('entity_id', '=', row.id).where('action', '=', 'submit')
      .executeTakeFirstOrThrow();
    const keyId = (await sec.get('/api/open311/keys')).body.items.find((k: any) => k.name === '测试用 Open311 客户端').id;
    expect(JSON.parse(audit.after_json!)).toMatchObject({ via: 'open311', keyId });
    expect(audit.after_json).not.toContain(receipt);

    const open = await get(`requests/${id}.json`);
    expect(open.status).toBe(200);
    expectJson(open);
    expect(open.body).toHaveLength(1);
    expect(open.body[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'public_legal_service',
      service_name: '公共法律服务',
      description: content,
      address: '内蒙古赤峰市红山区公共法律服务中心',
      media_url: 'http://example.com/photo.jpg',
      requested_datetime: expect.stringMatching(W3_SHANGHAI),
      updated_datetime: expect.stringMatching(W3_SHANGHAI),
    });
    expect(open.body[0].lat).toBeCloseTo(42.2663);
    expect(open.body[0].long).toBeCloseTo(118.9568);

    // Staff handle it as any other opinion: assign to 红山区司法局, then reply.
    const unit = await s.deps.db.selectFrom('org_unit').select(['id', 'name']).where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    const assigned = await office.post(`/api/opinions/${row.id}/assign`, { unitId: unit.id, workdays: 5 });
    expect(assigned.status).toBe(200);
    const during = await get(`requests/${id}.json`);
    expect(during.body[0]).toMatchObject({ status: 'open', agency_responsible: unit.name, expected_datetime: expect.stringMatching(W3_SHANGHAI) });

    const reply = '经研究，自下月起公共法律服务中心周六上午正常开放，感谢您的建议。';
    expect((await office.post(`/api/opinions/${row.id}/reply`, { reply })).status).toBe(200);

    const closed = await get(`requests/${id}.xml`);
    expect(closed.status).toBe(200);
    expectXml(closed);
    const req = closed.body.service_requests.request;
    expect(req).toHaveLength(1);
    expect(req[0]).toMatchObject({
      service_request_id: id,
      status: 'closed',
      status_notes: reply,
      service_code: 'public_legal_service',
      agency_responsible: unit.name,
      description: content,
      media_url: 'http://example.com/photo.jpg',
    });
    expect(req[0].updated_datetime).toMatch(W3_SHANGHAI);

    for (const ext of ['json', 'xml'] as const) {
      const t = await get(`tokens/${ans.token}.${ext}`);
      expect(t.status).toBe(200);
      const body = ext === 'json' ? t.body : t.body.service_requests.request;
      expect(body).toEqual([{ service_request_id: id, token: ans.token }]);
    }
    expectSpecError(await get('tokens/no-such-token.json'), 404, 'json', 'token');
    expectSpecError(await get('tokens/no-such-token.xml'), 404, 'xml', 'token');
  });

  it('accepts JSON bodies and answers in XML when asked', async () => {
    const posted = await call(`${base()}/requests.xml`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        api_key: apiKey,
        service_code: 'legal_publicity',
        description: '建议在社区多开展民法典普法讲座，面向老年人讲解防诈骗知识。',
        attribute: { identity: 'anonymous' },
      }),
    });
    expect(posted.status).toBe(200);
    expectXml(posted);
    const r = posted.body.service_requests.request;
    expect(r).toHaveLength(1);
    expect(r[0].service_request_id).toMatch(/^YJ/);
    expect(r[0].service_notice).toMatch(RECEIPT_RE);
  });

  it('filters GET requests by id, status, service code and date range', async () => {
    const submit = async (code: string, text: string) => (await postForm('json', { api_key: apiKey, service_code: code, description: text })).body[0].service_request_id as string;
    const a = await submit('notary_service', '公证办理材料清单能否在网上公开，减少群众来回跑。');
    const b = await submit('notary_service', '建议公证处开通夜间预约，方便外出务工人员办理。');
    const c = await submit('judicial_appraisal', '司法鉴定收费标准希望在大厅显著位置公示。');
    // Close b by rejecting it.
    const bRow = await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', b).executeTakeFirstOrThrow();
    expect((await office.post(`/api/opinions/${bRow.id}/reject`, { reason: '与已答复事项重复' })).status).toBe(200);

    const ids = (r: Res) => (r.body as any[]).map((x) => x.service_request_id);

    const byIds = await get(`requests.json?service_request_id=${a},${c}`);
    expect(byIds.status).toBe(200);
    expect(ids(byIds).sort()).toEqual([a, c].sort());

    const notary = await get('requests.json?service_code=notary_service');
    expect(ids(notary)).toEqual(expect.arrayContaining([a, b]));
    expect(ids(notary)).not.toContain(c);
    expect((notary.body as any[]).every((x) => x.service_code === 'notary_service')).toBe(true);

    const open = await get('requests.json?status=open&service_code=notary_service,judicial_appraisal');
    expect(ids(open)).toEqual(expect.arrayContaining([a, c]));
    expect(ids(open)).not.toContain(b);
    expect((open.body as any[]).every((x) => x.status === 'open')).toBe(true);

    const closed = await get('requests.json?status=closed');
    expect(ids(closed)).toContain(b);
    expect(ids(closed)).not.toContain(a);
    const bView = (closed.body as any[]).find((x) => x.service_request_id === b);
    expect(bView).toMatchObject({ status: 'closed', status_notes: '与已答复事项重复' });

    // Newest first.
    const all = ids(await get('requests.json'));
    expect(all.indexOf(c)).toBeLessThan(all.indexOf(a));

    const now = Date.now();
    const w3 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const inRange = await get(`requests.json?start_date=${w3(now - 3600_000)}&end_date=${w3(now + 3600_000)}`);
    expect(ids(inRange)).toEqual(expect.arrayContaining([a, b, c]));
    const future = await get(`requests.json?start_date=${w3(now + 3600_000)}`);
    expect(future.status).toBe(200);
    expect(future.body).toEqual([]);
    const past = await get(`requests.json?start_date=2020-01-01T00:00:00%2B08:00&end_date=2020-03-01T00:00:00%2B08:00`);
    expect(past.body).toEqual([]);
    const pastXml = await get('requests.xml?start_date=2020-01-01&end_date=2020-03-01');
    expect(pastXml.status).toBe(200);
    expectXml(pastXml);
    expect(pastXml.body.service_requests).toBe('');

    expectSpecError(await get('requests.json?status=pending'), 400, 'json', 'status');
    expectSpecError(await get('requests.xml?start_date=yesterday'), 400, 'xml', 'start_date');
    expectSpecError(await get('requests.json?start_date=2026-02-30'), 400, 'json', 'start_date');
  });

  it('never exposes a named submitter, nor the text of a named opinion', async () => {
    const text = '反映某律师事务所收费不透明的问题，希望主管部门核查处理。';
    const phone = '13912345678';
    const posted = await postForm('json', {
      api_key: apiKey, service_code: 'lawyer_management', description: text,
      first_name: '晓明', last_name: '欧阳', phone, 'attribute[wants_contact]': 'true',
    });
    expect(posted.status).toBe(200);
    const id = posted.body[0].service_request_id;
    expect(posted.text).not.toContain(phone);
    expect(posted.text).not.toContain('欧阳晓明');

    // Stored as named, with the wish to be contacted, behind the audited identity view.
    const row = await s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ identity: 'named', wants_contact: 1 });
    const identity = await office.get(`/api/opinions/${row.id}/identity`);
    expect(identity.body).toMatchObject({ name: '欧阳晓明', phone, wantsContact: true });

    for (const path of [`requests/${id}.json`, `requests/${id}.xml`, 'requests.json', 'requests.xml', `requests.json?service_request_id=${id}`]) {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.text).toContain(id);
      for (const secret of [text, phone, '欧阳晓明', '晓明', '欧阳']) expect(r.text).not.toContain(secret);
    }

    // A name without any way to reach the person (no phone, no email) stays anonymous.
    const anon = await postForm('json', {
      api_key: apiKey, service_code: 'other', description: '希望司法局官网增加常见问题解答栏目。', first_name: '三', last_name: '张',
    });
    expect(anon.status).toBe(200);
    const anonRow = await s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', anon.body[0].service_request_id).executeTakeFirstOrThrow();
    expect(anonRow.identity).toBe('anonymous');
    expect(anonRow.submitter_name_enc).toBeNull();
  });

  describe('bad requests answer in the spec\'s error format and write nothing', () => {
    const valid = () => ({ api_key: apiKey, service_code: 'other', description: '建议在各司法所设置意见箱并定期公开处理情况。' });

    for (const ext of ['json', 'xml'] as const) {
      it(`POST requests.${ext}`, async () => {
        const revoked = (await sec.post('/api/open311/keys', { name: `待撤销密钥 ${ext}` })).body;
        expect((await sec.delete(`/api/open311/keys/${revoked.id}`)).status).toBe(200);

        const { api_key: _k, ...noKey } = valid();
        const cases: [Record<string, string>, number, string][] = [
          [noKey, 403, 'api_key'],
          [{ ...valid(), api_key: 'not-a-real-key-at-all-xxxxxxxxxx' }, 403, 'api_key'],
          [{ ...valid(), api_key: revoked.apiKey }, 403, 'api_key'],
          [{ ...valid(), service_code: 'potholes' }, 404, 'service_code'],
          [{ ...valid(), service_code: '' }, 400, 'service_code'],
          [{ ...valid(), description: '太短' }, 400, 'description'],
          [{ ...valid(), description: '长'.repeat(4001) }, 400, 'description'],
          [{ ...valid(), first_name: '四', last_name: '李', phone: '12345' }, 400, 'phone'],
          [{ ...valid(), phone: '139-not-a-phone' }, 400, 'phone'],
          [{ ...valid(), lat: '42.1' }, 400, 'long'],
          [{ ...valid(), lat: 'north', long: '118.9' }, 400, 'lat'],
          [{ ...valid(), 'attribute[identity]': 'named' }, 400, 'first_name'],
          [{ ...valid(), 'attribute[identity]': 'secret' }, 400, 'attribute[identity]'],
        ];
        const before = await opinions();
        for (const [params, status, field] of cases) {
          expectSpecError(await postForm(ext, params), status, ext, field);
        }
        // A body that is not form data or JSON at all.
        const garbled = await call(`${base()}/requests.${ext}`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key":',
        });
        expectSpecError(garbled, 400, ext);
        expect(await opinions()).toBe(before);
      });

      it(`GET unknowns as 404 in .${ext}`, async () => {
        const before = await opinions();
        expectSpecError(await get(`requests/YJ20990101ZZZZZ.${ext}`), 404, ext, 'service_request_id');
        expectSpecError(await get(`no-such-resource.${ext}`), 404, ext, '接口不存在');
        expectSpecError(await get(`requests/a/b.${ext}`), 404, ext);
        expectSpecError(await call(`${base()}/discovery.${ext}`, { method: 'DELETE' }), 404, ext);
        expect(await opinions()).toBe(before);
      });
    }

    it('answers unknown paths anywhere under /open311 in the spec format (JSON by default)', async () => {
      expectSpecError(await call(`${s.url}/open311/v3/services.json`), 404, 'json', '接口不存在');
      expectSpecError(await call(`${s.url}/open311`), 404, 'json', '接口不存在');
      expectSpecError(await call(`${s.url}/open311/v2/services/other.html`), 404, 'json');
    });
  });
});

describe.each(targets())('Open311 hourly limit on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    // One public submission an hour makes ten per Open311 key and address; the clock stands still.
    s = await startServer(target, { now: movableClock(), env: { RECTIFY_PUBLIC_RATE_LIMIT: '1' } });
  });
  afterAll(async () => s?.close());

  it('refuses the eleventh submission of the hour per key, in the spec format, writing nothing', async () => {
    const sec = await s.as('secadmin');
    const first = (await sec.post('/api/open311/keys', { name: '限流测试客户端甲' })).body.apiKey as string;
    const second = (await sec.post('/api/open311/keys', { name: '限流测试客户端乙' })).body.apiKey as string;
    const submit = (apiKey: string, i: number, ext = 'json') =>
      call(`${s.url}/open311/v2/requests.${ext}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: apiKey, service_code: 'other', description: `第 ${i} 条测试意见：建议延长窗口服务时间。` }).toString(),
      });
    for (let i = 1; i <= 10; i++) expect((await submit(first, i)).status).toBe(200);
    const count = async () =>
      Number((await s.deps.db.selectFrom('opinion').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const refused = await submit(first, 11);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual([{ code: 429, description: expect.stringContaining('每小时最多 10 次') }]);
    const refusedXml = await submit(first, 12, 'xml');
    expect(refusedXml.status).toBe(429);
    expect(refusedXml.body.errors.error[0].code).toBe('429');
    // With a photo: refused before the photo is stored, so no attachment is left behind either.
    const files = async () =>
      Number((await s.deps.db.selectFrom('attachment').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const filesBefore = await files();
    const withPhoto = new FormData();
    for (const [k, v] of Object.entries({ api_key: first, service_code: 'other', description: '第 13 条测试意见：附照片。' })) withPhoto.append(k, v);
    withPhoto.append('media', new Blob([new Uint8Array(png(9, 9, 9))], { type: 'image/png' }), 'p.png');
    const refusedPhoto = await call(`${s.url}/open311/v2/requests.json`, { method: 'POST', body: withPhoto });
    expect(refusedPhoto.status).toBe(429);
    expect(await files()).toBe(filesBefore);
    expect(await count()).toBe(before);
    // Another client's key has its own allowance.
    expect((await submit(second, 14)).status).toBe(200);
  });
});
