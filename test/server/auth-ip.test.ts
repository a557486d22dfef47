import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';

// One address trying many usernames: refused for the hour once it has failed too often, whatever
// account it tries next; the per-account lockout alone would never see it.
describe.each(targets())('failed logins per address on %s', (target) => {
  const clock = movableClock();
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { now: clock, env: { RECTIFY_LOGIN_FAILS_PER_IP: '4' } });
  });
  afterAll(async () => s?.close());

  it('refuses the address after the limit, then lets it in the next hour', async () => {
    const c = s.client();
    for (const u of ['zhang', 'wang', 'li', 'zhao']) {
      expect((await c.post('/api/auth/login', { username: u, password: 'Wrong#pass1' })).status).toBe(401);
    }
    // Even a correct password for a real account is refused from this address now.
    const refused = await c.login('office');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toContain('该地址');
    const log = await s.deps.db.selectFrom('login_log').select('reason').where('username', '=', 'office').execute();
    expect(log.map((r) => r.reason)).toContain('ip_limited');
    // The refusals do not lock the account itself.
    clock.advance(61 * 60_000);
    expect((await c.login('office')).status).toBe(200);
  });
});
