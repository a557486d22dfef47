import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http.js';
import { dialectOf, targets } from '../support/db.js';

describe.each(targets())('platform smoke on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target);
  });
  afterAll(async () => s?.close());

  it('answers health with the database kind', async () => {
    const r = await s.client().get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: dialectOf(target) });
  });

  it('logs in the admin and lists the 835 demo people', async () => {
    const c = await s.as('admin');
    const me = await c.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('admin');
    expect(me.body.permissions).toContain('people:read');
    const people = await c.get('/api/people?pageSize=5');
    expect(people.status).toBe(200);
    expect(people.body.total).toBe(835);
    expect(people.body.items).toHaveLength(5);
    expect(people.body.items[0].idNumber).toMatch(/^\d{2}\*{15}[\dX]$/);
  });

  it('answers JSON 404 for unknown routes', async () => {
    const r = await s.client().get('/api/nope');
    expect(r.status).toBe(404);
    expect(r.body.message).toContain('接口不存在');
  });
});
