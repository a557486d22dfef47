import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { png } from '../support/files.js';
import { WITHHELD } from '../../src/server/modules/opinions/disclosure.js';

// Open311 as real clients use it (FixMyStreet, city apps, the published Swagger description):
// query-string parameters, multipart photos, email/device/account ids, retries, the 90-day window,
// CORS, FixMyStreet's servicerequestupdates — and every answer checked against GeoReport v2's field
// rules, in JSON and XML. Nothing personal of a named submission leaves through any of it.

const PUBLIC_URL = 'https://yjzd.example.gov.cn';

// ---- GeoReport v2 field rules --------------------------------------------------------------------
// From the spec (wiki.open311.org/GeoReport_v2): W3C datetimes that carry their offset, status
// open/closed, lat/long numbers, media_url a URI (or nothing), errors [{code, description}] /
// <errors><error><code/><description/></error></errors>, lists as arrays (JSON) or container
// elements (XML), JSON a mapping of the XML (Spark convention).

const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const UPDATE_STATUSES = ['open', 'closed', 'in_progress', 'action_scheduled', 'duplicate', 'no_further_action'];

type Rule = 'str' | 'str?' | 'dt' | 'dt?' | 'num?' | 'uri' | 'uri?' | 'bool' | 'int' | readonly string[];
interface RecordRules {
  required: Record<string, Rule>;
  optional?: Record<string, Rule>;
}

function isUri(v: string) {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !/\s/.test(v);
  } catch {
    return false;
  }
}

/** One value against a rule. JSON keeps types (null for nothing); XML is all text ('' for nothing). */
function valueProblem(v: unknown, rule: Rule, xml: boolean): string | null {
  const nothing = xml ? v === '' : v === null;
  const ok = (() => {
    if (Array.isArray(rule)) return typeof v === 'string' && rule.includes(v);
    switch (rule) {
      case 'str': return typeof v === 'string';
      case 'str?': return nothing || typeof v === 'string';
      case 'dt': return typeof v === 'string' && W3C_DATETIME.test(v) && !Number.isNaN(Date.parse(v));
      case 'dt?': return nothing || (typeof v === 'string' && W3C_DATETIME.test(v) && !Number.isNaN(Date.parse(v)));
      case 'num?': return nothing || (xml ? typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) : typeof v === 'number' && Number.isFinite(v));
      case 'uri': return typeof v === 'string' && isUri(v);
      case 'uri?': return nothing || (typeof v === 'string' && isUri(v));
      case 'bool': return xml ? v === 'true' || v === 'false' : typeof v === 'boolean';
      case 'int': return xml ? typeof v === 'string' && /^-?\d+$/.test(v) : Number.isInteger(v);
    }
    return false;
  })();
  return ok ? null : `${JSON.stringify(v)} is not ${Array.isArray(rule) ? `one of ${rule.join('/')}` : rule}`;
}

function recordProblems(o: any, rules: RecordRules, xml: boolean, where: string): string[] {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return [`${where}: not a record`];
  const out: string[] = [];
  const known = { ...rules.required, ...(rules.optional ?? {}) };
  for (const [k, rule] of Object.entries(rules.required)) {
    if (!(k in o)) out.push(`${where}.${k}: missing`);
  }
  for (const [k, v] of Object.entries(o)) {
    const rule = known[k];
    if (!rule) {
      out.push(`${where}.${k}: not a GeoReport field`);
      continue;
    }
    const p = valueProblem(v, rule, xml);
    if (p) out.push(`${where}.${k}: ${p}`);
  }
  return out;
}

const SERVICE: RecordRules = {
  required: {
    service_code: 'str', service_name: 'str', description: 'str', metadata: 'bool',
    type: ['realtime', 'batch', 'blackbox'], keywords: 'str', group: 'str',
  },
};
const REQUEST: RecordRules = {
  required: {
    service_request_id: 'str', status: ['open', 'closed'], service_name: 'str?', service_code: 'str?', description: 'str?',
    requested_datetime: 'dt', updated_datetime: 'dt?', address: 'str?', lat: 'num?', long: 'num?', media_url: 'uri?',
  },
  // "May not be returned".
  optional: { status_notes: 'str?', agency_responsible: 'str?', service_notice: 'str?', expected_datetime: 'dt?', address_id: 'str?', zipcode: 'str?' },
};
const TOKEN: RecordRules = { required: { service_request_id: 'str', token: 'str' } };
// We answer realtime: service_request_id; the token is kept for clients that follow tokens/{token}.
const POSTED: RecordRules = { required: { service_request_id: 'str' }, optional: { token: 'str', service_notice: 'str?', account_id: 'str?' } };
const UPDATE: RecordRules = {
  required: { update_id: 'str', service_request_id: 'str', status: UPDATE_STATUSES, updated_datetime: 'dt', description: 'str?', media_url: 'uri?' },
};
const ERROR: RecordRules = { required: { code: 'int', description: 'str' } };
const ENDPOINT: RecordRules = { required: { specification: 'uri', url: 'uri', changeset: 'dt', type: ['production', 'test'] } };
const ATTRIBUTE: RecordRules = {
  required: {
    variable: 'bool', code: 'str', datatype: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'],
    required: 'bool', datatype_description: 'str?', order: 'int', description: 'str',
  },
};

type Kind = 'discovery' | 'services' | 'definition' | 'requests' | 'tokens' | 'posted' | 'updates' | 'errors';
const ROOTS: Record<Kind, [string, string | null]> = {
  discovery: ['discovery', null],
  services: ['services', 'service'],
  definition: ['service_definition', null],
  requests: ['service_requests', 'request'],
  tokens: ['service_requests', 'request'],
  posted: ['service_requests', 'request'],
  updates: ['service_requests_updates', 'request_update'],
  errors: ['errors', 'error'],
};

// Elements that are lists, so one item still parses as an array.
const LISTS = new Set([
  'services.service', 'service_requests.request', 'service_requests_updates.request_update', 'errors.error',
  'discovery.endpoints.endpoint', 'discovery.endpoints.endpoint.formats.format',
  'service_definition.attributes.attribute', 'service_definition.attributes.attribute.values.value',
]);
const xmlParser = new XMLParser({ parseTagValue: false, isArray: (_n, jpath) => LISTS.has(String(jpath)) });

interface Res {
  status: number;
  type: string;
  text: string;
  body: any;
  headers: Headers;
}

async function call(url: string, init?: RequestInit): Promise<Res> {
  const r = await fetch(url, init);
  const text = await r.text();
  const type = r.headers.get('content-type') ?? '';
  const body = type.startsWith('application/json') ? JSON.parse(text) : type.startsWith('text/xml') ? xmlParser.parse(text) : text;
  return { status: r.status, type, text, body, headers: r.headers };
}

function omit(o: any, key: string) {
  if (!o || typeof o !== 'object') return o;
  const { [key]: _drop, ...rest } = o;
  return rest;
}

/** A container element that parsed as '' (empty) is an empty list. */
const items = (v: unknown): unknown[] => (v === '' || v === undefined ? [] : (v as unknown[]));

/** Every GeoReport rule for one answer of a kind; [] when it conforms. */
function conformance(kind: Kind, r: Res, ext: 'json' | 'xml'): string[] {
  const out: string[] = [];
  const xml = ext === 'xml';
  if (xml) {
    if (r.type !== 'text/xml; charset=utf-8') out.push(`content-type ${r.type}`);
    if (!r.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')) out.push('no XML declaration with encoding utf-8');
    if (XMLValidator.validate(r.text) !== true) out.push('not well-formed XML');
  } else if (r.type !== 'application/json; charset=utf-8') out.push(`content-type ${r.type}`);
  if (out.length) return out;

  const [root, item] = ROOTS[kind];
  let top: any = r.body;
  if (xml) {
    const roots = Object.keys(r.body).filter((k) => k !== '?xml');
    if (roots.length !== 1 || roots[0] !== root) return [`root element ${roots.join(',')} (expected ${root})`];
    top = r.body[root];
  }
  const list = (v: any, tag: string | null, where: string): any[] | null => {
    const arr = xml ? (v === '' ? [] : v?.[tag!]) : v;
    if (!Array.isArray(arr)) {
      out.push(`${where}: not a list`);
      return null;
    }
    return arr;
  };

  if (kind === 'discovery') {
    out.push(...recordProblems(omit(top, 'endpoints'), { required: { changeset: 'dt', contact: 'str', key_service: 'str' } }, xml, 'discovery'));
    const endpoints = list(top.endpoints, 'endpoint', 'discovery.endpoints') ?? [];
    if (!endpoints.length) out.push('discovery.endpoints: empty');
    endpoints.forEach((e, i) => {
      out.push(...recordProblems(omit(e, 'formats'), ENDPOINT, xml, `endpoint[${i}]`));
      const formats = list(e.formats, 'format', `endpoint[${i}].formats`) ?? [];
      if (!formats.includes('text/xml')) out.push(`endpoint[${i}].formats: XML is required`);
      for (const f of formats) if (typeof f !== 'string' || !/^[a-z]+\/[a-z+.-]+$/.test(f)) out.push(`endpoint[${i}].formats: ${f}`);
    });
    return out;
  }
  if (kind === 'definition') {
    out.push(...recordProblems(omit(top, 'attributes'), { required: { service_code: 'str' } }, xml, 'definition'));
    const attrs = list(top.attributes, 'attribute', 'definition.attributes') ?? [];
    attrs.forEach((a, i) => {
      out.push(...recordProblems(omit(a, 'values'), ATTRIBUTE, xml, `attribute[${i}]`));
      if (a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') {
        const values = list(a.values, 'value', `attribute[${i}].values`) ?? [];
        values.forEach((v, j) => out.push(...recordProblems(v, { required: { key: 'str', name: 'str' } }, xml, `attribute[${i}].value[${j}]`)));
      }
    });
    return out;
  }
  const rows = list(top, item, root) ?? [];
  const rules = { services: SERVICE, requests: REQUEST, tokens: TOKEN, posted: POSTED, updates: UPDATE, errors: ERROR }[kind];
  rows.forEach((row, i) => {
    out.push(...recordProblems(row, rules, xml, `${item}[${i}]`));
    if (kind === 'requests') {
      const nothing = (v: unknown) => v === null || v === '';
      if (nothing(row.lat) !== nothing(row.long)) out.push(`${item}[${i}]: lat and long go together`);
      if (!nothing(row.lat) && Math.abs(Number(row.lat)) > 90) out.push(`${item}[${i}].lat out of range`);
      if (!nothing(row.long) && Math.abs(Number(row.long)) > 180) out.push(`${item}[${i}].long out of range`);
      if (typeof row.description === 'string' && row.description.length > 4000) out.push(`${item}[${i}].description over 4,000 characters`);
    }
    if (kind === 'errors' && Number(row.code) !== r.status) out.push(`error[${i}].code ${row.code} is not the HTTP status ${r.status}`);
  });
  if (kind === 'errors' && !rows.length) out.push('errors: empty');
  if (kind === 'posted' && rows.length !== 1) out.push('POST answers one request');
  return out;
}

function expectConforms(kind: Kind, r: Res, ext: 'json' | 'xml') {
  expect({ status: r.status, problems: conformance(kind, r, ext) }).toEqual({ status: expect.any(Number), problems: [] });
}

/** An HTTP exchange on a raw socket: for requests fetch would refuse to send or that break HTTP. */
function rawHttp(base: string, request: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(Number(u.port), u.hostname, () => sock.write(request));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const i = text.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.slice(0, i), body: text.slice(i + 4) });
    });
  });
}

function parseRaw(raw: { head: string; body: string }): Res {
  const type = /content-type: ([^\r\n]+)/i.exec(raw.head)?.[1] ?? '';
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw.head)?.[1] ?? 0);
  const body = type.startsWith('application/json') ? JSON.parse(raw.body) : type.startsWith('text/xml') ? xmlParser.parse(raw.body) : raw.body;
  return { status, type, text: raw.body, body, headers: new Headers() };
}

let seq = 0;
/** A text nobody else wrote. */
function text(topic: string) {
  seq += 1;
  return `${topic}（第 ${seq} 条，${Math.random().toString(36).slice(2, 8)}）`;
}

describe.each(targets())('Open311 conformance and real clients on %s', (target) => {
  let s: TestServer;
  let sec: Client;
  let office: Client;
  let apiKey: string;
  let keyId: string;
  let otherKey: string;

  const base = () => `${s.url}/open311/v2`;
  const get = (path: string, headers?: Record<string, string>) => call(`${base()}/${path}`, { headers });
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const postForm = (ext: 'json' | 'xml', params: Record<string, string>, query = '') =>
    call(`${base()}/requests.${ext}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form(params),
    });
  const postJson = (ext: 'json' | 'xml', body: unknown) =>
    call(`${base()}/requests.${ext}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const postMultipart = (ext: 'json' | 'xml', fields: Record<string, string>, media?: { data: Buffer; name: string; type: string }) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    if (media) f.append('media', new Blob([new Uint8Array(media.data)], { type: media.type }), media.name);
    return call(`${base()}/requests.${ext}`, { method: 'POST', body: f });
  };
  const counts = async () => {
    const n = async (t: 'opinion' | 'opinion_event' | 'attachment' | 'audit_log') =>
      Number((await s.deps.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return { opinion: await n('opinion'), opinion_event: await n('opinion_event'), attachment: await n('attachment'), audit_log: await n('audit_log') };
  };
  const row = (publicNo: string) => s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', publicNo).executeTakeFirstOrThrow();
  const submitted = (r: Res) => {
    expect(r.status, r.text).toBe(200);
    return r.body[0].service_request_id as string;
  };
  const w3 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  /** FixMyStreet asks for a window around now: the last two hours up to a minute ahead. */
  const fmsWindow = () => `start_date=${encodeURIComponent(w3(Date.now() - 2 * 3600_000))}&end_date=${encodeURIComponent(w3(Date.now() + 60_000))}`;

  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_URL: `${PUBLIC_URL}/` } });
    sec = await s.as('secadmin');
    office = await s.as('office');
    const k = await sec.post('/api/open311/keys', { name: 'FixMyStreet 测试实例' });
    expect(k.status).toBe(201);
    apiKey = k.body.apiKey;
    keyId = k.body.id;
    otherKey = (await sec.post('/api/open311/keys', { name: '另一客户端' })).body.apiKey;
  });
  afterAll(async () => s?.close());

  it('answers every resource, and every error, by the GeoReport v2 field rules in JSON and XML', async () => {
    const id = submitted(await postForm('json', {
      api_key: apiKey, service_code: 'notary_service', description: text('公证处窗口午休时间也应有人值守'),
      lat: '42.2663', long: '118.9568', address_string: '赤峰市红山区公证处',
    }));
    const named = submitted(await postForm('json', {
      api_key: apiKey, service_code: 'lawyer_management', description: text('律师事务所收费不透明'),
      first_name: '晓明', last_name: '欧阳', email: 'ouyang@example.com', lat: '42.1', long: '118.9',
    }));
    // Give both some history, so requests and updates carry every status.
    const unit = await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    const idRow = await row(id);
    expect((await office.post(`/api/opinions/${idRow.id}/assign`, { unitId: unit.id, workdays: 5 })).status).toBe(200);
    expect((await office.post(`/api/opinions/${(await row(named)).id}/reply`, { reply: '已核查并责令整改。' })).status).toBe(200);
    const token = (await row(id)).open311_token!;

    for (const ext of ['json', 'xml'] as const) {
      expectConforms('discovery', await get(`discovery.${ext}`), ext);
      expectConforms('services', await get(`services.${ext}`), ext);
      expectConforms('definition', await get(`services/notary_service.${ext}`), ext);
      const list = await get(`requests.${ext}`);
      expect(list.status).toBe(200);
      expectConforms('requests', list, ext);
      expectConforms('requests', await get(`requests.${ext}?status=closed`), ext);
      expectConforms('requests', await get(`requests.${ext}?start_date=2020-01-01&end_date=2020-02-01`), ext);
      expectConforms('requests', await get(`requests/${id}.${ext}`), ext);
      expectConforms('requests', await get(`requests/${named}.${ext}`), ext);
      expectConforms('tokens', await get(`tokens/${token}.${ext}`), ext);
      expectConforms('updates', await get(`servicerequestupdates.${ext}?${fmsWindow()}&api_key=${apiKey}`), ext);
      expectConforms('updates', await get(`servicerequestupdates.${ext}?start_date=2020-01-01&end_date=2020-02-01`), ext);
      expectConforms('posted', await postForm(ext, { api_key: apiKey, service_code: 'other', description: text('建议增设便民服务窗口') }), ext);
      expectConforms('posted', await postForm(ext, { api_key: apiKey, service_code: 'other' }), ext);

      // Errors: 400, 403, 404, 413 and the framework's own, each a list of {code, description}.
      for (const r of [
        await get(`requests.${ext}?status=pending`),
        await get(`requests.${ext}?start_date=2020-01-01&end_date=2020-06-01`),
        await get(`servicerequestupdates.${ext}?start_date=soon`),
        await get(`requests/YJ20990101ZZZZZ.${ext}`),
        await get(`services/potholes.${ext}`),
        await get(`tokens/nothing.${ext}`),
        await get(`nothing-here.${ext}`),
        await get(`requests/${'Y'.repeat(150)}.${ext}`),
        await get(`requests/%E0%A4%A.${ext}`),
        await postForm(ext, { service_code: 'other', description: text('没有密钥') }),
        await postForm(ext, { api_key: apiKey, service_code: 'potholes', description: text('不存在的类别') }),
        await postForm(ext, { api_key: apiKey, description: text('没有类别') }),
        await postMultipart(ext, { api_key: apiKey, service_code: 'other' }, { data: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n'), name: 'a.pdf', type: 'application/pdf' }),
        await call(`${base()}/requests.${ext}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key":' }),
        await call(`${base()}/requests.${ext}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }),
      ]) {
        expect(r.status).toBeGreaterThanOrEqual(400);
        expectConforms('errors', r, ext);
      }
    }
  });

  it('withholds all that identifies or addresses a named submitter: text, reply, place, media link', async () => {
    const content = text('反映某司法所工作人员态度生硬');
    const phone = '13912345678';
    const replyText = `欧阳先生您好，已约谈当事人，如有疑问请致电 ${phone}。`;
    const address = '赤峰市红山区文钟司法所门口';
    const id = submitted(await postForm('json', {
      api_key: apiKey, service_code: 'team_conduct', description: content, first_name: '晓明', last_name: '欧阳', phone,
      address_string: address, lat: '42.27771', long: '118.95123', media_url: 'https://photos.example.com/p/secret-123.jpg',
    }));
    const r = await row(id);
    expect(r.identity).toBe('named');
    const unit = await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    expect((await office.post(`/api/opinions/${r.id}/assign`, { unitId: unit.id, workdays: 5 })).status).toBe(200);
    expect((await office.post(`/api/opinions/${r.id}/reply`, { reply: replyText })).status).toBe(200);

    // A named one rejected with a reason: the reason stays inside too.
    const reason = '经核实，该事项系欧阳女士（电话 13800001111）个人纠纷';
    const rejected = submitted(await postForm('json', {
      api_key: apiKey, service_code: 'other', description: text('个人纠纷'), first_name: '丽', last_name: '欧阳', email: 'li@example.com',
    }));
    expect((await office.post(`/api/opinions/${(await row(rejected)).id}/reject`, { reason })).status).toBe(200);

    const secrets = [content, replyText, phone, '晓明', address, '42.27771', '118.95123', 'secret-123', reason, '13800001111', 'li@example.com'];
    const paths = [
      `requests/${id}.json`, `requests/${id}.xml`, 'requests.json', 'requests.xml', `requests.json?service_request_id=${id},${rejected}`,
      `requests/${rejected}.json`, `requests/${rejected}.xml`,
      `servicerequestupdates.json?${fmsWindow()}`, `servicerequestupdates.xml?${fmsWindow()}`,
    ];
    for (const path of paths) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.text).toContain(path.includes(rejected) && !path.includes(',') ? rejected : id);
      for (const secret of secrets) expect(res.text, `${path} leaks ${secret}`).not.toContain(secret);
    }
    const one = (await get(`requests/${id}.json`)).body[0];
    expect(one).toMatchObject({
      status: 'closed', description: WITHHELD.named, status_notes: WITHHELD.reply, address: null, lat: null, long: null, media_url: null,
    });
    const x = (await get(`requests/${id}.xml`)).body.service_requests.request[0];
    expect(x).toMatchObject({ description: WITHHELD.named, status_notes: WITHHELD.reply, address: '', lat: '', long: '', media_url: '' });
    expect((await get(`requests/${rejected}.json`)).body[0]).toMatchObject({ status: 'closed', status_notes: WITHHELD.rejected });
    const updates = (await get(`servicerequestupdates.json?${fmsWindow()}`)).body as any[];
    expect(updates.find((u) => u.service_request_id === id && u.status === 'closed').description).toBe(WITHHELD.reply);
    expect(updates.find((u) => u.service_request_id === rejected).description).toBe(WITHHELD.rejected);

    // An anonymous online one keeps all of it: text, reply, rejection reason, place, media link.
    const openText = text('希望公证处周六上午开放');
    const pub = submitted(await postForm('json', {
      api_key: apiKey, service_code: 'notary_service', description: openText, address_string: '赤峰市公证处',
      lat: '42.2', long: '118.9', media_url: 'https://photos.example.com/p/open.jpg',
    }));
    const pubReply = '自下月起周六上午开放。';
    expect((await office.post(`/api/opinions/${(await row(pub)).id}/reply`, { reply: pubReply })).status).toBe(200);
    expect((await get(`requests/${pub}.json`)).body[0]).toMatchObject({
      description: openText, status_notes: pubReply, address: '赤峰市公证处', lat: 42.2, long: 118.9, media_url: 'https://photos.example.com/p/open.jpg',
    });
    const pubRejected = submitted(await postForm('json', { api_key: apiKey, service_code: 'other', description: text('非职责事项') }));
    expect((await office.post(`/api/opinions/${(await row(pubRejected)).id}/reject`, { reason: '不属于司法行政职责' })).status).toBe(200);
    expect((await get(`requests/${pubRejected}.json`)).body[0].status_notes).toBe('不属于司法行政职责');
    // No media link at all: null, never "".
    expect((await get(`requests/${pubRejected}.json`)).body[0].media_url).toBeNull();
  });

  it('takes description as optional (a neutral text instead) and up to 4,000 characters; the web form keeps 2,000', async () => {
    const bare = submitted(await postForm('json', { api_key: apiKey, service_code: 'people_mediation', address_string: '松山区当铺地司法所' }));
    expect((await row(bare)).content).toBe('（未填写描述）类别：人民调解；地点：松山区当铺地司法所');
    const placeless = submitted(await postForm('json', { api_key: apiKey, service_code: 'people_mediation', lat: '42.3', long: '118.8' }));
    expect((await row(placeless)).content).toBe('（未填写描述）类别：人民调解；地点：42.3, 118.8');

    const long = `${text('详细反映')}${'很'.repeat(4000)}`.slice(0, 4000);
    expect(long).toHaveLength(4000);
    const big = submitted(await postForm('json', { api_key: apiKey, service_code: 'other', description: long }));
    expect((await row(big)).content).toBe(long);

    const before = await counts();
    const over = await postForm('json', { api_key: apiKey, service_code: 'other', description: `${long}多` });
    expect(over.status).toBe(400);
    expect(over.body[0].description).toContain('description');
    const web = await s.client().post('/api/public/opinions', { category: 'other', content: '长'.repeat(2001), identity: 'anonymous' });
    expect(web.status).toBe(400);
    expect(web.body.field).toBe('content');
    expect(await counts()).toEqual(before);
  });

  it('answers an unknown service_code with 404 and a missing one with 400, writing nothing', async () => {
    const before = await counts();
    for (const ext of ['json', 'xml'] as const) {
      const unknown = await postForm(ext, { api_key: apiKey, service_code: 'potholes', description: text('路面坑洼') });
      expect(unknown.status).toBe(404);
      expectConforms('errors', unknown, ext);
      expect(ext === 'json' ? unknown.body[0].description : unknown.body.errors.error[0].description).toContain('service_code');
      const missing = await postForm(ext, { api_key: apiKey, description: text('路面坑洼') });
      expect(missing.status).toBe(400);
      expect(ext === 'json' ? missing.body[0].description : missing.body.errors.error[0].description).toContain('service_code');
    }
    expect(await counts()).toEqual(before);
  });

  it('accepts POST parameters in the query string, the body winning', async () => {
    const inQuery = text('参数全在查询字符串里');
    const q = `?${form({ api_key: apiKey, service_code: 'legal_publicity', description: inQuery, address_string: '林西县' })}`;
    const onlyQuery = await call(`${base()}/requests.json${q}`, { method: 'POST' });
    const id = submitted(onlyQuery);
    expect(await row(id)).toMatchObject({ content: inQuery, category: 'legal_publicity', location_text: '林西县' });

    const inBody = text('正文里的描述');
    const mixed = await postForm('xml', { description: inBody, service_code: 'approval_service' }, `?${form({ api_key: apiKey, service_code: 'other', description: text('被覆盖') })}`);
    expect(mixed.status, mixed.text).toBe(200);
    const mixedId = mixed.body.service_requests.request[0].service_request_id;
    expect(await row(mixedId)).toMatchObject({ content: inBody, category: 'approval_service' });
  });

  it('accepts multipart/form-data with the photo as the media part, refusing wrong types and sizes without writing', async () => {
    const fields = { api_key: apiKey, service_code: 'public_legal_service', description: text('法律援助窗口指示牌缺失'), email: 'fms@example.com' };
    const photo = { data: png(10, 120, 200), name: 'photo.png', type: 'image/png' };
    const before = await counts();
    const posted = await postMultipart('json', fields, photo);
    const id = submitted(posted);
    const r = await row(id);
    expect(r.content).toBe(fields.description);
    const attachments = await s.deps.db.selectFrom('attachment').selectAll().where('owner_type', '=', 'opinion').where('owner_id', '=', r.id).execute();
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ mime: 'image/png', size: photo.data.length });
    // The staff see it with the opinion.
    const detail = await office.get(`/api/opinions/${r.id}`);
    expect(detail.status).toBe(200);
    expect(JSON.stringify(detail.body)).toContain(attachments[0]!.id);

    // The same multipart again is a retry: the same answer, nothing stored twice.
    const after = await counts();
    expect(after.opinion).toBe(before.opinion + 1);
    expect(after.attachment).toBe(before.attachment + 1);
    const again = await postMultipart('json', fields, photo);
    expect(again.body).toEqual(posted.body);
    expect(await counts()).toEqual(after);

    // Without a photo, in XML.
    const plain = await postMultipart('xml', { api_key: apiKey, service_code: 'other', description: text('multipart 无附件') });
    expect(plain.status, plain.text).toBe(200);
    expectConforms('posted', plain, 'xml');

    const mark = await counts();
    const pdf = await postMultipart('json', { ...fields, description: text('附件类型不对') }, { data: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'), name: 'x.jpg', type: 'image/jpeg' });
    expect(pdf.status).toBe(400);
    expect(pdf.body[0].description).toContain('media');
    const txt = await postMultipart('xml', { ...fields, description: text('附件是文本') }, { data: Buffer.from('just text'), name: 'a.png', type: 'image/png' });
    expect(txt.status).toBe(400);
    expectConforms('errors', txt, 'xml');
    const huge = Buffer.concat([png(1, 2, 3), Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await postMultipart('json', { ...fields, description: text('附件太大') }, { data: huge, name: 'big.png', type: 'image/png' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body[0].description).toContain('media');
    const twoPhotos = new FormData();
    for (const [k, v] of Object.entries({ ...fields, description: text('两张照片') })) twoPhotos.append(k, v);
    twoPhotos.append('media', new Blob([new Uint8Array(png(1, 1, 1))]), 'a.png');
    twoPhotos.append('media', new Blob([new Uint8Array(png(2, 2, 2))]), 'b.png');
    const two = await call(`${base()}/requests.json`, { method: 'POST', body: twoPhotos });
    expect(two.status).toBe(400);
    const noKey = await postMultipart('json', { service_code: 'other', description: text('无密钥附图') }, photo);
    expect(noKey.status).toBe(403);
    expect(await counts()).toEqual(mark);
  });

  it('keeps email, device_id and account_id sealed for a named submission, and media_url as a checked link', async () => {
    // FixMyStreet sends a name and an email, often no phone: that is a named submission.
    const id = submitted(await postForm('json', {
      api_key: apiKey, service_code: 'notary_service', description: text('公证费用标准不清楚'),
      first_name: 'Jane', last_name: 'Smith', email: 'jane.smith@example.com', device_id: 'dev-7788', account_id: 'acct-42',
      media_url: 'https://fms.example.org/photo/1.full.jpeg',
    }));
    const r = await row(id);
    expect(r).toMatchObject({ identity: 'named', media_url: 'https://fms.example.org/photo/1.full.jpeg', open311_key_id: keyId });
    expect(s.deps.cipher.open(r.submitter_email_enc!)).toBe('jane.smith@example.com');
    expect(s.deps.cipher.open(r.submitter_name_enc!)).toBe('Jane Smith');
    expect(r.submitter_phone_enc).toBeNull();
    expect(JSON.parse(s.deps.cipher.open(r.open311_meta_enc!))).toEqual({ deviceId: 'dev-7788', accountId: 'acct-42' });
    expect(JSON.stringify(r)).not.toContain('jane.smith@example.com');
    expect(JSON.stringify(r)).not.toContain('dev-7788');
    const audit = await s.deps.db.selectFrom('audit_log').select('after_json').where('entity_id', '=', r.id).executeTakeFirstOrThrow();
    for (const secret of ['jane', 'Smith', 'dev-7788', 'acct-42']) expect(audit.after_json).not.toContain(secret);

    // Anonymous by choice: no email, no device or account id kept.
    const anon = submitted(await postForm('json', {
      api_key: apiKey, service_code: 'other', description: text('匿名但带邮箱'), first_name: 'Ann', last_name: 'Lee',
      email: 'ann@example.com', device_id: 'dev-1', 'attribute[identity]': 'anonymous',
    }));
    expect(await row(anon)).toMatchObject({ identity: 'anonymous', submitter_email_enc: null, submitter_name_enc: null, open311_meta_enc: null });

    const before = await counts();
    const bad: [Record<string, string>, string][] = [
      [{ media_url: 'ftp://example.com/a.jpg' }, 'media_url'],
      [{ media_url: 'javascript:alert(1)' }, 'media_url'],
      [{ media_url: `https://example.com/${'a'.repeat(2000)}` }, 'media_url'],
      [{ media_url: 'not a url' }, 'media_url'],
      [{ email: 'not-an-email' }, 'email'],
      [{ first_name: '四', last_name: '李', 'attribute[identity]': 'named' }, 'phone/email'],
    ];
    for (const [extra, field] of bad) {
      const res = await postForm('json', { api_key: apiKey, service_code: 'other', description: text('字段不合规'), ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body[0].description).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('recognises a client\'s retry: the first answer again, nothing written, only for the same key and fields', async () => {
    const params = { api_key: apiKey, service_code: 'judicial_appraisal', description: text('鉴定收费应公示'), address_string: '宁城县' };
    const first = await postForm('json', params);
    const id = submitted(first);
    const before = await counts();
    const again = await postForm('json', params);
    expect(again.body).toEqual(first.body);
    expect(again.body[0].service_notice).toMatch(/查询码：[0-9A-Z]{4}(-[0-9A-Z]{4}){3}/);
    // The same fields as JSON, in another order, asking for XML: still the same request.
    const asXml = await postJson('xml', { description: params.description, address_string: '宁城县', service_code: 'judicial_appraisal', api_key: apiKey });
    expect(asXml.body.service_requests.request[0]).toMatchObject({ service_request_id: id, token: first.body[0].token });
    expect(await counts()).toEqual(before);

    // Another field, or another key: a new request.
    expect(submitted(await postForm('json', { ...params, address_string: '敖汉旗' }))).not.toBe(id);
    expect(submitted(await postForm('json', { ...params, api_key: otherKey }))).not.toBe(id);

    // Two copies at once (a slow answer and the client's retry): one opinion.
    const racing = { api_key: apiKey, service_code: 'other', description: text('并发重试') };
    const mark = await counts();
    const [a, b] = await Promise.all([postForm('json', racing), postForm('json', racing)]);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect((await counts()).opinion).toBe(mark.opinion + 1);
  });

  it('answers over-long URLs and headers, and malformed paths, in the spec\'s error format', async () => {
    const longQuery = `x=${'a'.repeat(20_000)}`;
    const ask = (path: string, extra = '') =>
      rawHttp(s.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`).then(parseRaw);

    const json = await ask(`/open311/v2/requests.json?${longQuery}`);
    expect(json.status).toBe(414);
    expectConforms('errors', json, 'json');
    const xml = await ask(`/open311/v2/requests.xml?${longQuery}`);
    expect(xml.status).toBe(414);
    expectConforms('errors', xml, 'xml');
    const header = await ask('/open311/v2/services.xml', `Cookie: c=${'b'.repeat(20_000)}\r\n`);
    expect(header.status).toBe(431);
    expectConforms('errors', header, 'xml');
    // Elsewhere our own JSON shape, in Chinese.
    const api = await ask(`/api/health?${longQuery}`);
    expect(api.status).toBe(414);
    expect(api.body).toEqual({ error: 'BAD_REQUEST', message: '请求地址或请求头过长' });

    // Too long a path segment, a broken percent-encoding: Fastify's framework errors.
    for (const ext of ['json', 'xml'] as const) {
      // (Under /open311 the catch-all route takes an over-long segment: 404, else Fastify's 414.)
      const param = await get(`requests/${'Y'.repeat(150)}.${ext}`);
      expect([404, 414]).toContain(param.status);
      expectConforms('errors', param, ext);
      const badUrl = await get(`requests/%E0%A4%A.${ext}`);
      expect(badUrl.status).toBe(400);
      expectConforms('errors', badUrl, ext);
    }
    const apiBad = await call(`${s.url}/api/opinions/%E0%A4%A`);
    expect(apiBad.status).toBe(400);
    expect(apiBad.body.error).toBe('BAD_REQUEST');
  });

  it('refuses a start_date/end_date window over 90 days', async () => {
    for (const path of ['requests', 'servicerequestupdates']) {
      for (const ext of ['json', 'xml'] as const) {
        const over = await get(`${path}.${ext}?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-04-01T00:00:01%2B08:00`);
        expect(over.status).toBe(400);
        expectConforms('errors', over, ext);
        expect(ext === 'json' ? over.body[0].description : over.body.errors.error[0].description).toContain('90 天');
        // Exactly 90 days, and 90 whole days given as dates: fine.
        expect((await get(`${path}.${ext}?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-04-01T00:00:00%2B08:00`)).status).toBe(200);
        expect((await get(`${path}.${ext}?start_date=2026-01-01&end_date=2026-03-31`)).status).toBe(200);
      }
    }
  });

  it('lets any web page read the public GETs (Access-Control-Allow-Origin: *), not POST', async () => {
    const id = submitted(await postForm('json', { api_key: apiKey, service_code: 'other', description: text('跨域读取') }));
    const token = (await row(id)).open311_token!;
    const origin = { origin: 'https://map.example.org' };
    for (const path of [
      'discovery.json', 'services.xml', 'services/other.json', 'requests.json', `requests/${id}.xml`, `tokens/${token}.json`,
      `servicerequestupdates.xml?${fmsWindow()}`, 'requests/YJ20990101ZZZZZ.json',
    ]) {
      const r = await get(path, origin);
      expect(r.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    const post = await call(`${base()}/requests.json`, {
      method: 'POST', headers: { ...origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ api_key: apiKey, service_code: 'other', description: text('跨域提交') }),
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves servicerequestupdates the way FixMyStreet reads it, with the same disclosure rule', async () => {
    const unit = await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    const a = submitted(await postForm('json', { api_key: apiKey, service_code: 'notary_service', description: text('动态甲') }));
    const b = submitted(await postForm('json', { api_key: apiKey, service_code: 'notary_service', description: text('动态乙') }));
    const aRow = await row(a);
    const bRow = await row(b);
    expect((await office.post(`/api/opinions/${aRow.id}/assign`, { unitId: unit.id, workdays: 5 })).status).toBe(200);
    expect((await office.post(`/api/opinions/${aRow.id}/adopt`, { target: 'ledger', title: '公证服务窗口整治' })).status).toBe(201);
    expect((await office.post(`/api/opinions/${aRow.id}/reply`, { reply: '已增设窗口。' })).status).toBe(200);
    expect((await office.post(`/api/opinions/${bRow.id}/merge`, { intoId: aRow.id })).status).toBe(200);

    // FixMyStreet's call: start_date, end_date, api_key and jurisdiction_id in the query.
    const x = await get(`servicerequestupdates.xml?${fmsWindow()}&api_key=${encodeURIComponent(apiKey)}&jurisdiction_id=cfsf.gov.cn`);
    expect(x.status).toBe(200);
    expectConforms('updates', x, 'xml');
    const updates = x.body.service_requests_updates.request_update as any[];
    const ofA = updates.filter((u) => u.service_request_id === a);
    expect(ofA.map((u) => u.status)).toEqual(['in_progress', 'action_scheduled', 'closed']);
    expect(ofA[1].description).toBe('已纳入整治台账：公证服务窗口整治');
    expect(ofA[2].description).toBe('已增设窗口。');
    const ofB = updates.filter((u) => u.service_request_id === b);
    expect(ofB).toEqual([expect.objectContaining({ status: 'duplicate', description: expect.stringContaining(a) })]);
    // Each item as FixMyStreet needs it: an update_id, a parsable time inside the window asked for.
    expect(new Set(updates.map((u) => u.update_id)).size).toBe(updates.length);
    for (const u of ofA) {
      const t = Date.parse(u.updated_datetime);
      expect(t).toBeGreaterThan(Date.now() - 2 * 3600_000);
      expect(t).toBeLessThanOrEqual(Date.now() + 60_000);
    }
    // No key needed (what it shows is public); JSON the same items.
    const j = await get(`servicerequestupdates.json?${fmsWindow()}`);
    expect(j.body.filter((u: any) => u.service_request_id === a).map((u: any) => u.update_id)).toEqual(ofA.map((u) => u.update_id));
    // A window in the past: an empty list.
    const past = await get('servicerequestupdates.xml?start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z');
    expect(past.status).toBe(200);
    expect(items(past.body.service_requests_updates)).toEqual([]);
  });

  it('builds discovery URLs from RECTIFY_PUBLIC_URL, never from the Host header', async () => {
    const ask = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const u = new URL(s.url);
        const req = http.request({ host: u.hostname, port: u.port, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const spoofed = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
    const j = await ask('/open311/v2/discovery.json', spoofed);
    expect(j.status).toBe(200);
    expect(JSON.parse(j.body).endpoints.map((e: any) => e.url)).toEqual([`${PUBLIC_URL}/open311/v2`]);
    const x = await ask('/open311/v2/discovery.xml', spoofed);
    expect(x.body).toContain(`<url>${PUBLIC_URL}/open311/v2</url>`);
    expect(j.body + x.body).not.toContain('evil.example');
  });

  it('removes characters illegal in XML from what comes in, and from what goes out', async () => {
    const dirty = '反映\u0000窗口\u000B排队\u000C太久\uFFFE，希望\uFFFF改进\uD800一下';
    const clean = '反映窗口排队太久，希望改进一下';
    // Open311 JSON body (can carry all of them, the lone surrogate too).
    const viaJson = await postJson('json', { api_key: apiKey, service_code: 'other', description: `${dirty}（甲）`, address_string: '红山区\u0000' });
    const a = submitted(viaJson);
    expect(await row(a)).toMatchObject({ content: `${clean}（甲）`, location_text: '红山区' });
    // Open311 form (a URL-encoded form cannot carry a lone surrogate).
    const b = submitted(await postForm('json', { api_key: apiKey, service_code: 'other', description: `${dirty.replace('\uD800', '')}（乙）` }));
    expect((await row(b)).content).toBe(`${clean}（乙）`);
    // Multipart fields bypass the app's input hook: cleaned all the same.
    const c = submitted(await postMultipart('json', { api_key: apiKey, service_code: 'other', description: `${dirty.replace('\uD800', '')}（丙）` }));
    expect((await row(c)).content).toBe(`${clean}（丙）`);
    // The public web form's JSON endpoint.
    const web = await s.client().post('/api/public/opinions', { category: 'other', content: `${dirty}（丁）`, identity: 'anonymous' });
    expect(web.status, JSON.stringify(web.body)).toBe(201);
    const d = web.body.publicNo as string;
    expect((await row(d)).content).toBe(`${clean}（丁）`);

    // A row stored before the cleaning existed: the XML answer drops the characters itself.
    const old = submitted(await postForm('json', { api_key: apiKey, service_code: 'other', description: text('旧数据') }));
    await s.deps.db.updateTable('opinion').set({ content: '旧\u000B数据\uFFFF里\u000C的字符', location_text: '地\uFFFE点' }).where('public_no', '=', old).execute();

    const xml = await get(`requests.xml?service_request_id=${[a, b, c, d, old].join(',')}`);
    expect(xml.status).toBe(200);
    expect(XMLValidator.validate(xml.text)).toBe(true);
    const byId = new Map((xml.body.service_requests.request as any[]).map((r) => [r.service_request_id, r]));
    expect(byId.get(a).description).toBe(`${clean}（甲）`);
    expect(byId.get(d).description).toBe(`${clean}（丁）`);
    expect(byId.get(old)).toMatchObject({ description: '旧数据里的字符', address: '地点' });
    expect(XMLValidator.validate((await get('requests.xml')).text)).toBe(true);
    expect(XMLValidator.validate((await get(`servicerequestupdates.xml?${fmsWindow()}`)).text)).toBe(true);
  });
});

describe.each(targets())('the demo bureau through Open311 on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target);
  });
  afterAll(async () => s?.close());

  it('has nothing dated after the seeding: every updated_datetime lies in the past', async () => {
    const now = Date.now();
    const r = await call(`${s.url}/open311/v2/requests.json`);
    expect(r.status).toBe(200);
    expect(r.body.length).toBeGreaterThan(10);
    const future = (r.body as any[]).filter((x) => Date.parse(x.updated_datetime) > now || Date.parse(x.requested_datetime) > now);
    expect(future).toEqual([]);
    expectConforms('requests', r, 'json');

    const db = s.deps.db;
    const iso = new Date(now).toISOString();
    const later = await db
      .selectFrom('opinion')
      .select(['public_no', 'updated_at', 'assigned_at', 'replied_at', 'rated_at', 'submitted_at'])
      .where((eb) => eb.or([
        eb('updated_at', '>', iso), eb('assigned_at', '>', iso), eb('replied_at', '>', iso), eb('rated_at', '>', iso), eb('submitted_at', '>', iso),
      ]))
      .execute();
    expect(later).toEqual([]);
    const events = await db.selectFrom('opinion_event').select(['opinion_id', 'kind', 'at']).where('at', '>', iso).execute();
    expect(events).toEqual([]);
    // Still a demo with work in every state among the recent ones.
    const recent = await db.selectFrom('opinion').select('status').where('submitted_at', '>', new Date(now - 30 * 86_400_000).toISOString()).execute();
    expect(new Set(recent.map((x) => x.status))).toEqual(new Set(['received', 'assigned']));
  });
});
