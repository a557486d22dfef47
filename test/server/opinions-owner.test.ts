import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';

// Opinions a county enters (window card, its own symposium) stay in that county's scope before
// triage; the city office still sees and triages them; other counties never do.
describe.each(targets())('opinions owned by the entering unit on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target);
  });
  afterAll(async () => s?.close());

  it('a unit admin keeps seeing what they entered; other units do not', async () => {
    const unitadmin = await s.as('unitadmin');
    const entered = await unitadmin.post('/api/opinions', {
      channel: 'window_card', content: '文钟司法所窗口意见卡：调解室太小，希望扩建独立调解室', identity: 'anonymous',
    });
    expect(entered.status).toBe(201);
    const mine = await unitadmin.get(`/api/opinions?q=${encodeURIComponent('调解室')}`);
    expect(mine.body.items.map((o: any) => o.id)).toContain(entered.body.id);
    expect((await unitadmin.get(`/api/opinions/${entered.body.id}`)).status).toBe(200);

    const office = await s.as('office');
    expect((await office.get(`/api/opinions/${entered.body.id}`)).status).toBe(200);
    // A second county admin, scoped to 宁城县, does not see it.
    const secadmin = await s.as('secadmin');
    const ncx = (await secadmin.get('/api/org-units')).body.items.find((u: any) => u.code === 'NCX');
    const created = await secadmin.post('/api/users', { username: 'ncxadmin', displayName: '宁城管理员', orgUnitId: ncx.id, roleCodes: ['unit_admin'] });
    expect(created.status).toBe(201);
    const other = s.client();
    await other.login('ncxadmin', created.body.initialPassword);
    expect((await other.post('/api/auth/password', { oldPassword: created.body.initialPassword, newPassword: 'Ncx#2026pass' })).status).toBe(200);
    expect((await other.get(`/api/opinions/${entered.body.id}`)).status).toBe(404);

    // By number: an 意见编号 typed into the search box finds exactly that opinion.
    const byNo = await office.get(`/api/opinions?q=${entered.body.publicNo.toLowerCase()}`);
    expect(byNo.body.total).toBe(1);
    expect(byNo.body.items[0].id).toBe(entered.body.id);
  });
});
