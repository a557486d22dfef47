import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, Client, type TestServer } from '../support/http.js';
import { targets, movableClock, ADMIN_PASSWORD, DEMO_PASSWORD } from '../support/db.js';
import { hashPassword } from '../../src/server/platform/auth.js';

const MIN = 60_000;

/** The Set-Cookie line for one cookie name. */
function setCookie(headers: Headers, name: string): string {
  const line = headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no Set-Cookie for ${name}: ${headers.getSetCookie().join(' | ')}`);
  return line;
}

/** A response body that could leak internals: stack frames, source paths. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\n\s+at\s/);
  expect(text).not.toMatch(/\bat\s+\S+\s+\(/);
  expect(text).not.toMatch(/\.(ts|js):\d+/);
  expect(text).not.toMatch(/\/work\/|node_modules|src\/server/);
}

/** A request without the client's automatic CSRF header. */
async function withoutCsrf(c: Client, method: string, path: string, body?: unknown) {
  const saved = c.csrf;
  c.csrf = undefined;
  try {
    return await c.request(method, path, body);
  } finally {
    c.csrf = saved;
  }
}

const newPerson = (name: string) => ({ name, orgUnitId: '', post: 'staff' });

describe.each(targets())('auth and sessions on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target);
  });
  afterAll(async () => s?.close());

  async function unitId(code: string) {
    return (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  }
  async function personCount() {
    return Number((await s.deps.db.selectFrom('person').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  }

  it('login sets an HttpOnly, SameSite=Strict session cookie, not Secure over plain http', async () => {
    const c = s.client();
    const r = await c.login('admin');
    expect(r.status).toBe(200);
    expect(r.body.csrfToken).toBeTruthy();
    expect(r.body.mustChangePassword).toBe(false);
    const sid = setCookie(r.headers, 'rectify_sid');
    expect(sid).toMatch(/;\s*HttpOnly/i);
    expect(sid).toMatch(/;\s*SameSite=Strict/i);
    expect(sid).toMatch(/;\s*Path=\//i);
    expect(sid).not.toMatch(/;\s*Secure/i);
    // The CSRF cookie is readable by the page (so it can echo it), still SameSite=Strict.
    const csrf = setCookie(r.headers, 'rectify_csrf');
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/SameSite=Strict/i);
    // The token itself is never stored: the session id is its digest.
    const token = c.cookies.get('rectify_sid')!;
    const stored = await s.deps.db.selectFrom('app_session').select('id').where('id', '=', token).executeTakeFirst();
    expect(stored).toBeUndefined();
  });

  it('wrong password and unknown user both answer 401 with the same Chinese message, and both are logged', async () => {
    const wrong = await s.client().post('/api/auth/login', { username: 'secadmin', password: 'Nope#2026xx' });
    const unknown = await s.client().post('/api/auth/login', { username: 'nobody-here', password: 'Nope#2026xx' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toContain('用户名或密码错误');
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('rectify_sid='))).toBe(false);

    const rows = await s.deps.db
      .selectFrom('login_log')
      .select(['username', 'success', 'reason', 'user_id', 'ip'])
      .where('username', 'in', ['secadmin', 'nobody-here', 'admin'])
      .orderBy('at')
      .execute();
    expect(rows).toContainEqual(expect.objectContaining({ username: 'secadmin', success: 0, reason: 'bad_password' }));
    expect(rows).toContainEqual(expect.objectContaining({ username: 'nobody-here', success: 0, reason: 'no_such_user', user_id: null }));
    const ok = rows.find((r) => r.username === 'admin' && r.success === 1);
    expect(ok).toBeDefined();
    expect(ok!.user_id).toBeTruthy();
    expect(ok!.ip).toBe('127.0.0.1');
  });

  it('answers a bad login body with 400 naming the field', async () => {
    const r = await s.client().post('/api/auth/login', { username: '', password: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('username');
    expect(r.body.message).toContain('用户名');
  });

  it('CSRF: state changes need the session token in X-CSRF-Token; GET does not', async () => {
    const c = await s.as('admin');
    const unit = await unitId('HSQ-01');
    const before = await personCount();

    const missing = await withoutCsrf(c, 'POST', '/api/people', { ...newPerson('王测试'), orgUnitId: unit });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toBe('CSRF');
    expect(missing.body.message).toContain('CSRF');

    const wrong = await c.request('POST', '/api/people', { ...newPerson('王测试'), orgUnitId: unit }, { 'x-csrf-token': 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('CSRF');

    // Another user's token is not this session's token either.
    const other = await s.as('unitadmin');
    const crossed = await c.request('POST', '/api/people', { ...newPerson('王测试'), orgUnitId: unit }, { 'x-csrf-token': other.csrf! });
    expect(crossed.status).toBe(403);

    const pw = await withoutCsrf(c, 'POST', '/api/auth/password', { oldPassword: ADMIN_PASSWORD, newPassword: 'Another#2026x' });
    expect(pw.status).toBe(403);
    expect(pw.body.error).toBe('CSRF');

    const logout = await withoutCsrf(c, 'POST', '/api/auth/logout');
    expect(logout.status).toBe(403);
    expect(await personCount()).toBe(before);

    const get = await withoutCsrf(c, 'GET', '/api/people?pageSize=1');
    expect(get.status).toBe(200);
    const me = await withoutCsrf(c, 'GET', '/api/me');
    expect(me.status).toBe(200);

    const right = await c.post('/api/people', { ...newPerson('王测试'), orgUnitId: unit });
    expect(right.status).toBe(201);
    expect(await personCount()).toBe(before + 1);
  });

  it('password change enforces the rules, checks the old password, and ends the other sessions', async () => {
    const a = await s.as('secadmin');
    const b = await s.as('secadmin');
    expect((await b.get('/api/me')).status).toBe(200);

    const short = await a.post('/api/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'Ab1#' });
    expect(short.status).toBe(400);
    expect(short.body.field).toBe('newPassword');
    expect(short.body.message).toContain('新密码');
    expect(short.body.message).toContain('8');

    const twoClasses = await a.post('/api/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'abcdefgh12345' });
    expect(twoClasses.status).toBe(400);
    expect(twoClasses.body.field).toBe('newPassword');
    expect(twoClasses.body.message).toContain('新密码');
    expect(twoClasses.body.message).toContain('三类');

    const badOld = await a.post('/api/auth/password', { oldPassword: 'Wrong#2026xx', newPassword: 'Better#2026pw' });
    expect(badOld.status).toBe(400);
    expect(badOld.body.field).toBe('oldPassword');
    expect(badOld.body.message).toContain('原密码');

    const same = await a.post('/api/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD });
    expect(same.status).toBe(400);
    expect(same.body.field).toBe('newPassword');

    // None of the refusals changed anything: the old password still works.
    expect((await s.client().login('secadmin')).status).toBe(200);

    const ok = await a.post('/api/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'Better#2026pw' });
    expect(ok.status).toBe(200);
    // This session goes on; the other one is over.
    expect((await a.get('/api/me')).status).toBe(200);
    const bMe = await b.get('/api/me');
    expect(bMe.status).toBe(401);
    // The old password is dead, the new one works.
    expect((await s.client().login('secadmin')).status).toBe(401);
    expect((await s.client().login('secadmin', 'Better#2026pw')).status).toBe(200);

    const audit = await s.deps.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'after_json'])
      .where('action', '=', 'change_password')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after_json).not.toContain('Better#2026pw');
  });

  it('logout revokes the session: the old cookie gets 401', async () => {
    const c = await s.as('auditor');
    const cookie = c.cookies.get('rectify_sid')!;
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(200);
    const clears = out.headers.getSetCookie().find((l) => l.startsWith('rectify_sid='));
    expect(clears).toBeDefined();
    // Replaying the old cookie does not bring the session back.
    const replay = new Client(s.url);
    replay.cookies.set('rectify_sid', cookie);
    const me = await replay.get('/api/me');
    expect(me.status).toBe(401);
    expect(me.body.message).toContain('登录');
    const row = await s.deps.db.selectFrom('app_session').select(['revoked_at', 'revoked_reason']).where('revoked_reason', '=', 'logout').execute();
    expect(row.length).toBeGreaterThanOrEqual(1);
  });

  it('requests without a session get 401, a made-up cookie too', async () => {
    expect((await s.client().get('/api/people')).status).toBe(401);
    const fake = new Client(s.url);
    fake.cookies.set('rectify_sid', 'made-up-token');
    const r = await fake.get('/api/me');
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('UNAUTHENTICATED');
  });

  it('never answers with a stack trace: malformed JSON, wrong types, unknown routes, wrong media types', async () => {
    const c = await s.as('admin');
    const raw = (method: string, path: string, body: string, type: string) =>
      fetch(s.url + path, {
        method,
        headers: {
          'content-type': type,
          cookie: `rectify_sid=${c.cookies.get('rectify_sid')}`,
          'x-csrf-token': c.csrf!,
        },
        body,
      });

    const bad = await raw('POST', '/api/auth/login', '{"username": "admin", "password": ', 'application/json');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/json');
    const badText = await bad.text();
    expect(JSON.parse(badText).message).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.parse(badText).message).toContain('JSON');
    expectNoInternals(badText);

    const badAuthed = await raw('POST', '/api/people', '{not json', 'application/json');
    expect(badAuthed.status).toBe(400);
    expectNoInternals(await badAuthed.text());

    const notObject = await raw('POST', '/api/people', '"just a string"', 'application/json');
    expect(notObject.status).toBe(400);
    const notObjectText = await notObject.text();
    expect(JSON.parse(notObjectText).message).toMatch(/[\u4e00-\u9fa5]/);
    expectNoInternals(notObjectText);

    const media = await raw('POST', '/api/people', '<xml/>', 'application/xml');
    expect(media.status).toBeGreaterThanOrEqual(400);
    expect(media.status).toBeLessThan(500);
    expectNoInternals(await media.text());

    const huge = await raw('POST', '/api/people', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), 'application/json');
    expect(huge.status).toBe(413);
    expectNoInternals(await huge.text());

    const page = await c.get('/api/people?page=abc');
    expect(page.status).toBe(400);
    expect(page.body.message).toContain('页码');
    expectNoInternals(page.text);

    for (const path of ['/api/nope', '/api/people/x/y/z', '/totally/unknown']) {
      const r = await c.get(path);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/json');
      expect(r.body.error).toBe('NOT_FOUND');
      expect(r.body.message).toContain('不存在');
      expectNoInternals(r.text);
    }
    // A URL that cannot be decoded is refused before routing; still our JSON, still Chinese.
    const badUrl = await c.get('/api/people/%E0%A4%A');
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expectNoInternals(badUrl.text);

    const missing = await c.get('/api/people/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expectNoInternals(missing.text);
  });

  it('serves the OpenAPI document listing the API', async () => {
    const r = await s.client().get('/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/api/people', '/api/auth/login', '/api/me']));
    expect(r.body.paths['/api/auth/login'].post).toBeDefined();
    expect(r.body.paths['/api/people'].get).toBeDefined();
    expect(r.body.paths['/api/people'].post).toBeDefined();
  });
});

describe.each(targets())('lockout and idle timeout on %s (movable clock)', (target) => {
  const clock = movableClock();
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    clock.advance(MIN);
  });
  afterAll(async () => s?.close());

  it('locks an account after 5 wrong passwords in 15 minutes; even the right password is refused until it lifts', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await s.client().post('/api/auth/login', { username: 'officer', password: `Wrong#${i}pass` });
      expect(r.status).toBe(401);
      if (i < 5) expect(r.body.message).toContain(`再错 ${5 - i} 次`);
      else expect(r.body.message).toContain('锁定');
      clock.advance(20_000);
    }
    const locked = await s.client().post('/api/auth/login', { username: 'officer', password: DEMO_PASSWORD });
    expect(locked.status).toBe(423);
    expect(locked.body.message).toContain('锁定');
    expect(locked.headers.getSetCookie().some((c) => c.startsWith('rectify_sid='))).toBe(false);
    const logged = await s.deps.db.selectFrom('login_log').select('reason').where('username', '=', 'officer').where('reason', '=', 'locked').execute();
    expect(logged.length).toBe(1);

    // Other users are unaffected.
    expect((await s.client().login('unitadmin')).status).toBe(200);

    clock.advance(10 * MIN);
    expect((await s.client().login('officer')).status).toBe(423);
    clock.advance(6 * MIN);
    const again = await s.client().login('officer');
    expect(again.status).toBe(200);
  });

  it('a lock lasts 15 minutes from the locking failure, however the failures were spread', async () => {
    // Failures at 0, 4, 8, 12 and 14 minutes: locked at 14, so still locked at 20.
    const start = clock().getTime();
    for (const at of [0, 4, 8, 12, 14]) {
      clock.set(new Date(start + at * MIN));
      expect((await s.client().post('/api/auth/login', { username: 'cluehandler', password: 'Wrong#1pass' })).status).toBe(401);
    }
    clock.set(new Date(start + 16 * MIN));
    expect((await s.client().login('cluehandler')).status).toBe(423);
    clock.set(new Date(start + 20 * MIN));
    const r = await s.client().login('cluehandler');
    expect(r.status).toBe(423);
    expect(r.body.message).toMatch(/请 \d+ 分钟后再试/);
    clock.set(new Date(start + 29 * MIN + 30_000));
    expect((await s.client().login('cluehandler')).status).toBe(200);
  });

  it('a password reset lifts a lockout', async () => {
    for (let i = 0; i < 5; i++) await s.client().post('/api/auth/login', { username: 'auditor', password: 'Wrong#1pass' });
    expect((await s.client().login('auditor')).status).toBe(423);
    clock.advance(1000);
    // What `rectify user reset-password` and the security admin do: a new password, stamped now.
    await s.deps.db
      .updateTable('app_user')
      .set({ password_hash: await hashPassword('Reset#2026pass'), password_changed_at: clock().toISOString(), must_change_password: 1 })
      .where('username', '=', 'auditor')
      .execute();
    clock.advance(1000);
    const r = await s.client().login('auditor', 'Reset#2026pass');
    expect(r.status).toBe(200);
    expect(r.body.mustChangePassword).toBe(true);
  });

  it('a session ends after 30 idle minutes; activity extends it', async () => {
    const c = await s.as('office');
    clock.advance(29 * MIN);
    expect((await c.get('/api/me')).status).toBe(200);
    // 58 minutes after login, 29 after the last request: still alive.
    clock.advance(29 * MIN);
    expect((await c.get('/api/people?pageSize=1')).status).toBe(200);
    clock.advance(31 * MIN);
    const expired = await c.get('/api/me');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toContain('会话已超时');
    // Expired for good: coming back later does not revive it.
    clock.advance(-30 * MIN);
    expect((await c.get('/api/me')).status).toBe(401);
    clock.advance(30 * MIN);
    const row = await s.deps.db.selectFrom('app_session').select('revoked_reason').where('revoked_reason', '=', 'idle_timeout').execute();
    expect(row.length).toBeGreaterThanOrEqual(1);
    // Logging in again works.
    expect((await s.client().login('office')).status).toBe(200);
  });
});

describe.each(targets())('forced password change on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    // Without RECTIFY_ADMIN_PASSWORD the admin password is generated and must be changed at first login.
    s = await startServer(target, { env: { RECTIFY_ADMIN_PASSWORD: '' } });
  });
  afterAll(async () => s?.close());

  it('a generated admin password must be changed before anything else', async () => {
    const generated = s.report.generated.find((g) => g.username === 'admin');
    expect(generated).toBeDefined();
    expect(generated!.password).not.toBe(ADMIN_PASSWORD);
    const c = s.client();
    const r = await c.login('admin', generated!.password);
    expect(r.status).toBe(200);
    expect(r.body.mustChangePassword).toBe(true);

    const people = await c.get('/api/people');
    expect(people.status).toBe(403);
    expect(people.body.error).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(people.body.message).toContain('修改密码');
    const create = await c.post('/api/org-units', { name: '测试', kind: 'office', code: 'T1' });
    expect(create.status).toBe(403);
    expect(create.body.error).toBe('PASSWORD_CHANGE_REQUIRED');

    const me = await c.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.mustChangePassword).toBe(true);

    const changed = await c.post('/api/auth/password', { oldPassword: generated!.password, newPassword: 'MyOwn#2026pass' });
    expect(changed.status).toBe(200);
    expect((await c.get('/api/people?pageSize=1')).status).toBe(200);
    expect((await c.get('/api/me')).body.mustChangePassword).toBe(false);
    const fresh = await s.client().login('admin', 'MyOwn#2026pass');
    expect(fresh.body.mustChangePassword).toBe(false);
  });
});

describe.each(targets())('secure cookies on %s', (target) => {
  let secure: TestServer;
  beforeAll(async () => {
    secure = await startServer(target, { demo: false, env: { RECTIFY_SECURE_COOKIE: '1' } });
  });
  afterAll(async () => secure?.close());

  it('RECTIFY_SECURE_COOKIE=1 marks the cookies Secure', async () => {
    const r = await secure.client().login('admin');
    expect(r.status).toBe(200);
    expect(setCookie(r.headers, 'rectify_sid')).toMatch(/;\s*Secure/i);
    expect(setCookie(r.headers, 'rectify_sid')).toMatch(/HttpOnly/i);
    expect(setCookie(r.headers, 'rectify_csrf')).toMatch(/;\s*Secure/i);
  });
});
