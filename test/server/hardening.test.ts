import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { startServer, Client, type TestServer } from '../support/http.js';
import { createTestDb, targets, DEMO_PASSWORD } from '../support/db.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, parseTrustProxy } from '../../src/server/config.js';
import { redactUrl } from '../../src/server/platform/logging.js';
import { cleanText } from '../../src/server/platform/input.js';
import { insertWithFreshNumber } from '../../src/server/modules/opinions/commands.js';
import { systemCtx } from '../../src/server/platform/context.js';

// The outside review's remaining findings, each tried as the attack or the user's walk:
// forged client addresses, side doors for secrets (logs, caches), figures and trees beyond one's
// scope, references to people beyond one's scope, illegal characters, number clashes.

const ILLEGAL = '\u0000\u000B\u000C\uFFFE\uFFFF\uD800';

async function count(s: TestServer, t: 'opinion' | 'audit_log' | 'symposium' | 'symposium_attendee') {
  return Number((await s.deps.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
}

describe('settings', () => {
  it('RECTIFY_TRUST_PROXY takes the proxies\' addresses or a hop count, never "trust everyone"', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    for (const v of ['true', 'all', '*']) expect(() => parseTrustProxy(v)).toThrow(/RECTIFY_TRUST_PROXY/);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/不是 IP/);
    expect(() => loadConfig({ RECTIFY_TRUST_PROXY: 'true' })).toThrow(/不能信任所有代理/);
  });

  it('RECTIFY_PUBLIC_URL is checked and has a default from HOST and PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ RECTIFY_PUBLIC_URL: 'https://yjzd.example.gov.cn/' }).publicUrl).toBe('https://yjzd.example.gov.cn');
    expect(() => loadConfig({ RECTIFY_PUBLIC_URL: 'yjzd.example.gov.cn' })).toThrow(/RECTIFY_PUBLIC_URL/);
  });

  it('input text loses exactly the characters XML cannot carry', () => {
    expect(cleanText(`a${ILLEGAL}b\tc\nd\r\u{1F600}`)).toBe('ab\tc\nd\r\u{1F600}');
    expect(cleanText('\uDC00x\uD83D')).toBe('x');
  });
});

describe('request logs', () => {
  it('redact receipt codes, tokens and every typed query value', () => {
    expect(redactUrl('/api/public/opinions/7K3Q-9XMB-2H4T-R8CN')).toBe('/api/public/opinions/[已隐去]');
    expect(redactUrl('/api/public/opinions/7K3Q-9XMB-2H4T-R8CN/rating')).toBe('/api/public/opinions/[已隐去]/rating');
    expect(redactUrl('/open311/v2/tokens/abcDEF123.json')).toBe('/open311/v2/tokens/[已隐去]');
    expect(redactUrl('/api/people?q=13904761234&page=2')).toBe('/api/people?q=[已隐去]&page=2');
    expect(redactUrl('/open311/v2/requests.json?api_key=SECRET&service_code=x')).not.toContain('SECRET');
  });

  it.each(targets())('never carry a receipt code, token, key or search term (%s)', async (target) => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const tdb = await createTestDb(target);
    const app = await buildApp(tdb.deps, { logger: { level: 'info', stream }, webRoot: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    try {
      const pub = new Client(url);
      const sub = await pub.post('/api/public/opinions', { category: 'notary_service', content: '公证处周末不开门，上班族办事难', identity: 'anonymous' });
      expect(sub.status).toBe(201);
      await pub.get(`/api/public/opinions/${sub.body.receiptCode}`);
      const office = new Client(url);
      expect((await office.login('office', DEMO_PASSWORD)).status).toBe(200);
      await office.get(`/api/people?q=${encodeURIComponent('13904761234')}`);
      await office.get(`/api/opinions?q=${encodeURIComponent('张三丰')}`);
      const sec = new Client(url);
      await sec.login('secadmin', DEMO_PASSWORD);
      const key = await sec.post('/api/open311/keys', { name: '日志测试' });
      const post = await fetch(`${url}/open311/v2/requests.json?api_key=${key.body.apiKey}`, {
        method: 'POST',
        body: new URLSearchParams({ service_code: 'notary_service', description: '公证处网上预约经常失败' }),
      });
      const [{ token }] = (await post.json()) as { token: string }[];
      await fetch(`${url}/open311/v2/tokens/${token}.json`);
      const log = lines.join('');
      expect(log).toContain('/api/public/opinions/[已隐去]');
      // One line per request, written when it is answered, naming the request (redacted) and its status.
      const entries = lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l));
      expect(entries.filter((e) => e.msg === 'incoming request')).toEqual([]);
      const done = entries.filter((e) => e.msg === 'request completed');
      expect(done.find((e) => e.req?.url === '/api/people?q=[已隐去]')).toMatchObject({ req: { method: 'GET' }, res: { statusCode: 200 } });
      expect(done.filter((e) => e.req?.url === '/api/public/opinions/[已隐去]')).toHaveLength(1);
      for (const secret of [sub.body.receiptCode, token, key.body.apiKey, '13904761234', encodeURIComponent('张三丰'), '张三丰']) {
        expect(log, secret).not.toContain(secret);
      }
    } finally {
      await app.close();
      await tdb.cleanup();
    }
  });
});

describe.each(targets())('side doors and scope on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' } });
  });
  afterAll(async () => s?.close());

  it('sensitive answers are never stored: identity, plain person, exports all carry Cache-Control: no-store', async () => {
    const pub = s.client();
    const sub = await pub.post('/api/public/opinions', {
      category: 'notary_service', content: '实名反映公证员态度问题（缓存测试）', identity: 'named', name: '王五', phone: '13904760001',
    });
    const id = (await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', sub.body.publicNo).executeTakeFirstOrThrow()).id;
    const office = await s.as('office');
    const admin = await s.as('admin');
    const somebody = (await admin.get('/api/people?pageSize=1')).body.items[0].id;
    for (const [c, path] of [
      [office, `/api/opinions/${id}/identity`],
      [office, `/api/opinions/${id}`],
      [office, '/api/opinions/export'],
      [admin, `/api/people/${somebody}?reveal=1`],
      [admin, '/api/people/export?sensitive=1'],
      [admin, '/api/people/export'],
      [pub, `/api/public/opinions/${sub.body.receiptCode}`],
    ] as const) {
      const r = await c.get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('a county\'s administrator sees its own figures and tree, not the city\'s', async () => {
    const office = await s.as('office');
    const ua = await s.as('unitadmin');
    const city = (await office.get('/api/stats')).body;
    const county = (await ua.get('/api/stats')).body;
    const hsqPeople = Number(
      (
        await s.deps.db
          .selectFrom('person')
          .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
          .select(sql<number>`count(*)`.as('n'))
          .where('org_unit.path', 'like', (await s.deps.db.selectFrom('org_unit').select('path').where('code', '=', 'HSQ').executeTakeFirstOrThrow()).path + '%')
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(county.people.total).toBe(hsqPeople);
    expect(county.people.total).toBeLessThan(city.people.total);
    expect(county.orgUnits.countyBureaus).toBe(1);
    expect(city.orgUnits.countyBureaus).toBe(12);
    expect(county.opinions.total).toBeLessThan(city.opinions.total);
    expect(county.opinions.total).toBe((await ua.get('/api/opinions?pageSize=1')).body.total);

    const tree = (await ua.get('/api/org-units')).body.items as { name: string; inScope: boolean; kind: string }[];
    expect(tree.filter((u) => u.kind === 'county_bureau').map((u) => u.name)).toEqual(['红山区司法局']);
    expect(tree.some((u) => u.name.includes('宁城'))).toBe(false);
    // The root is there to hang the tree on, but not in scope.
    expect(tree.find((u) => u.kind === 'city_bureau')?.inScope).toBe(false);
    const parties = (await ua.get('/api/party-orgs')).body.items as { name: string; orgUnitId: string | null }[];
    const all = (await office.get('/api/party-orgs')).body.items as unknown[];
    expect(parties.length).toBeLessThan(all.length);
    expect(parties.some((p) => p.name.includes('宁城'))).toBe(false);
  });

  it('a symposium cannot name an attendee outside the caller\'s scope (nor show them afterwards)', async () => {
    const ua = await s.as('unitadmin');
    const hsq = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow()).id;
    const outsider = await s.deps.db
      .selectFrom('person')
      .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
      .select(['person.id', 'person.name'])
      .where('org_unit.code', 'like', 'NCX%')
      .executeTakeFirstOrThrow();
    const insider = (await ua.get('/api/people?pageSize=1')).body.items[0];
    const before = [await count(s, 'symposium'), await count(s, 'symposium_attendee'), await count(s, 'audit_log')];
    const body = {
      title: '红山区开门纳谏座谈会', heldOn: '2026-11-20', host: '主持人', orgUnitId: hsq,
      attendees: [{ kind: 'internal', personId: insider.id }, { kind: 'internal', personId: outsider.id }],
    };
    const r = await ua.post('/api/symposiums', body);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('attendees.1.personId');
    expect(r.text).not.toContain(outsider.name);
    expect([await count(s, 'symposium'), await count(s, 'symposium_attendee'), await count(s, 'audit_log')]).toEqual(before);
    const ok = await ua.post('/api/symposiums', { ...body, attendees: [body.attendees[0]] });
    expect(ok.status).toBe(201);
    const patch = await ua.patch(`/api/symposiums/${ok.body.id}`, { attendees: body.attendees });
    expect(patch.status).toBe(400);
    const detail = await ua.get(`/api/symposiums/${ok.body.id}`);
    expect(detail.text).not.toContain(outsider.name);
  });

  it('a person\'s party organisation must be within the caller\'s scope', async () => {
    const ua = await s.as('unitadmin');
    const hsqOffice = (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', 'HSQ-01').executeTakeFirstOrThrow()).id;
    const foreignParty = await s.deps.db
      .selectFrom('party_org')
      .innerJoin('org_unit', 'org_unit.id', 'party_org.org_unit_id')
      .select('party_org.id')
      .where('org_unit.code', 'like', 'NCX%')
      .executeTakeFirstOrThrow();
    const r = await ua.post('/api/people', { name: '跨党组织', orgUnitId: hsqOffice, partyOrgId: foreignParty.id });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('partyOrgId');
    expect((await ua.get(`/api/people?q=${encodeURIComponent('跨党组织')}`)).body.total).toBe(0);
  });

  it('a disabled account with the right password is answered exactly like a wrong password', async () => {
    const sec = await s.as('secadmin');
    const officer = await s.as('officer');
    const me = (await officer.get('/api/me')).body.user.id;
    expect((await sec.patch(`/api/users/${me}`, { status: 'disabled' })).status).toBe(200);
    try {
      const right = await s.client().login('officer', DEMO_PASSWORD);
      const wrong = await s.client().login('officer', 'Wrong#2026pass');
      expect(right.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(right.body.error).toBe(wrong.body.error);
      // The remaining-attempts count moves by one between the two; otherwise the same words.
      expect(right.body.message.replace(/\d+/g, 'N')).toBe(wrong.body.message.replace(/\d+/g, 'N'));
      expect(right.text).not.toContain('停用');
    } finally {
      expect((await sec.patch(`/api/users/${me}`, { status: 'active' })).status).toBe(200);
    }
  });

  it('text loses characters illegal in XML at the shared boundary: JSON bodies, queries, and the Excel export stays a valid workbook', async () => {
    const pub = s.client();
    const content = `公证处${ILLEGAL}窗口太少，排队两小时（${crypto.randomBytes(2).toString('hex')}）`;
    const r = await pub.post('/api/public/opinions', { category: 'notary_service', content, identity: 'anonymous' });
    expect(r.status).toBe(201);
    const row = await s.deps.db.selectFrom('opinion').select(['content', 'id']).where('public_no', '=', r.body.publicNo).executeTakeFirstOrThrow();
    expect(row.content).toBe(cleanText(content));
    expect(row.content).not.toMatch(/[\u0000\u000B\u000C\uFFFE\uFFFF\uD800]/);
    // Staff text too (a reply), and a query string.
    const office = await s.as('office');
    expect((await office.post(`/api/opinions/${row.id}/reply`, { reply: `已答复${ILLEGAL}完毕` })).status).toBe(200);
    const search = await office.get(`/api/opinions?q=${encodeURIComponent(`窗口${ILLEGAL.slice(0, 3)}`)}`);
    expect(search.status).toBe(200);
    const exp = await office.get('/api/opinions/export');
    expect(exp.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.body as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0]!.eachRow((rr) => rr.eachCell((c) => cells.push(String(c.value ?? ''))));
    expect(cells.some((c) => c === cleanText(content))).toBe(true);
    expect(cells.some((c) => c === '已答复完毕')).toBe(true);
  });

  it('an 意见编号 that is already taken is drawn again, never a 500 (also when two transactions draw the same one at once)', async () => {
    const { search_vector: _v, ...existing } = (await s.deps.db.selectFrom('opinion').selectAll().limit(1).executeTakeFirstOrThrow()) as any;
    const fresh = (n: string) => ({ ...existing, id: crypto.randomUUID(), receipt_hash: crypto.randomBytes(32).toString('hex'), public_no: n });
    const before = await count(s, 'opinion');
    const ctx = systemCtx(s.deps);
    // Against a committed row: the check before inserting draws again.
    const draws = [existing.public_no, 'YJ20261127ZZZZ9'];
    const got = await s.deps.db.transaction().execute((trx) => insertWithFreshNumber(trx, fresh(existing.public_no), () => draws.shift()!));
    expect(got).toBe('YJ20261127ZZZZ9');
    // Against a row another transaction has inserted but not committed: on PostgreSQL the second
    // insert waits, then clashes on the unique index and retries inside a savepoint.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const firstIn = new Promise<void>((r) => (inserted = r));
    const first = s.deps.db.transaction().execute(async (trx) => {
      await insertWithFreshNumber(trx, fresh('YJ20261127AAAA1'), () => 'unused');
      inserted();
      await held;
    });
    await firstIn;
    const seconds = ['YJ20261127AAAA1', 'YJ20261127BBBB2'];
    const second = s.deps.db.transaction().execute(async (trx) => {
      const no = await insertWithFreshNumber(trx, fresh('YJ20261127AAAA1'), () => seconds.shift()!);
      // The transaction is still usable after the clash.
      await trx.selectFrom('opinion').select('id').limit(1).execute();
      return no;
    });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await first;
    expect(await second).toBe('YJ20261127BBBB2');
    expect(await count(s, 'opinion')).toBe(before + 3);
  });
});

describe.each(targets())('an existing database on a new release (%s)', (target) => {
  it('gets the built-in roles of this release at start (e.g. approvals:decide), with one audit entry', async () => {
    const tdb = await createTestDb(target, { demo: false });
    try {
      const { bootstrap } = await import('../../src/server/seed/bootstrap.js');
      // As a database created before approvals existed would be.
      const row = await tdb.deps.db.selectFrom('role').select('permissions').where('code', '=', 'sysadmin').executeTakeFirstOrThrow();
      const old = (JSON.parse(row.permissions) as string[]).filter((p) => !p.startsWith('approvals:'));
      await tdb.deps.db.updateTable('role').set({ permissions: JSON.stringify(old) }).where('code', '=', 'sysadmin').execute();
      const audits = async () => Number((await tdb.deps.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
      const before = await audits();
      const report = await bootstrap(tdb.deps, { demo: false });
      expect(report.created).toBe(false);
      const after = await tdb.deps.db.selectFrom('role').select('permissions').where('code', '=', 'sysadmin').executeTakeFirstOrThrow();
      expect(JSON.parse(after.permissions)).toContain('approvals:decide');
      expect(await audits()).toBe(before + 1);
      // A second start finds nothing to do.
      await bootstrap(tdb.deps, { demo: false });
      expect(await audits()).toBe(before + 1);
    } finally {
      await tdb.cleanup();
    }
  });
});

describe.each(targets())('the client address behind a proxy on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_TRUST_PROXY: '1', RECTIFY_PUBLIC_RATE_LIMIT: '2' } });
  });
  afterAll(async () => s?.close());

  it('with one trusted hop, the address the proxy saw counts: a forged X-Forwarded-For first hop changes nothing', async () => {
    const pub = s.client();
    const send = (forged: string, n: number) =>
      pub.post(
        '/api/public/opinions',
        { category: 'notary_service', content: `代理测试第${n}条：公证处排队太久（${crypto.randomBytes(2).toString('hex')}）`, identity: 'anonymous' },
        // The client forges the first hop; our proxy appends the address it really saw.
        { 'x-forwarded-for': `${forged}, 203.0.113.7` },
      );
    expect((await send('1.1.1.1', 1)).status).toBe(201);
    expect((await send('2.2.2.2', 2)).status).toBe(201);
    const before = await count(s, 'opinion');
    const third = await send('3.3.3.3', 3);
    expect(third.status).toBe(429);
    expect(await count(s, 'opinion')).toBe(before);
    // Another real client (another address appended by the proxy) is not affected.
    const other = await pub.post(
      '/api/public/opinions',
      { category: 'notary_service', content: `另一位群众：公证处排队太久（${crypto.randomBytes(2).toString('hex')}）`, identity: 'anonymous' },
      { 'x-forwarded-for': '203.0.113.8' },
    );
    expect(other.status).toBe(201);
    // And the login log records the proxy-seen address, not the forged one.
    await s.client().request('POST', '/api/auth/login', { username: 'nobody', password: 'x' }, { 'x-forwarded-for': '9.9.9.9, 203.0.113.9' });
    const last = await s.deps.db.selectFrom('login_log').select('ip').orderBy('at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.ip).toBe('203.0.113.9');
  });
});
