import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { linkAdoption, onOpinionAdopted } from '../../src/server/modules/opinions/commands.js';
import { systemCtx } from '../../src/server/platform/context.js';

// Adoption is a command other modules answer to: a receiving module registers a handler that creates
// its record in the same transaction, or links it later with linkAdoption. Both ends are audited.
describe.each(targets())('opinion adoption hooks on %s', (target) => {
  let s: TestServer;
  const seen: string[] = [];
  beforeAll(async () => {
    // A stand-in project list: it records a row through the audited command path and answers its id.
    onOpinionAdopted('project', async (trx, ctx, a) => {
      seen.push(a.title);
      await trx.insertInto('setting').values({ key: `project:${a.adoptionId}`, value: a.title, updated_at: ctx.now().toISOString() }).execute();
      return `P-${a.adoptionId.slice(0, 8)}`;
    });
    s = await startServer(target);
  });
  afterAll(async () => s?.close());

  async function newOpinion(text: string) {
    const sub = await s.client().post('/api/public/opinions', { content: text, identity: 'anonymous' });
    expect(sub.status).toBe(201);
    const office = await s.as('office');
    const row = await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', sub.body.publicNo).executeTakeFirstOrThrow();
    return { office, id: row.id, code: sub.body.receiptCode as string };
  }

  it('a registered handler creates the linked record in the same transaction', async () => {
    const { office, id, code } = await newOpinion('希望在每个司法所设立群众接待日，方便反映问题');
    const r = await office.post(`/api/opinions/${id}/adopt`, { target: 'project', title: '司法所群众接待日' });
    expect(r.status).toBe(201);
    expect(r.body.targetRef).toMatch(/^P-/);
    expect(seen).toContain('司法所群众接待日');
    const detail = (await office.get(`/api/opinions/${id}`)).body;
    expect(detail.adoptions).toEqual([expect.objectContaining({ target: 'project', status: 'linked', targetRef: r.body.targetRef })]);
    const made = await s.deps.db.selectFrom('setting').selectAll().where('key', '=', `project:${r.body.id}`).executeTakeFirst();
    expect(made?.value).toBe('司法所群众接待日');
    const pub = (await s.client().get(`/api/public/opinions/${code}`)).body;
    expect(pub.history.map((h: any) => h.text)).toContain('已纳入项目清单：司法所群众接待日');
  });

  it('a handler that fails leaves neither the adoption nor its record', async () => {
    onOpinionAdopted('project', async () => {
      throw new Error('project list unavailable');
    });
    const { office, id } = await newOpinion('建议公开各司法所的办公电话和值班安排');
    const before = await s.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await office.post(`/api/opinions/${id}/adopt`, { target: 'project', title: '公开办公电话' });
    expect(r.status).toBe(500);
    expect(await s.deps.db.selectFrom('opinion_adoption').selectAll().where('opinion_id', '=', id).execute()).toEqual([]);
    const after = await s.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('when the receiving module cannot take it yet, the adoption waits as pending until the module links it', async () => {
    // The ledger answers null when there is no campaign to put the item in (rectification/commands.ts).
    onOpinionAdopted('ledger', async () => null);
    const { office, id } = await newOpinion('律师事务所收费标准应当在网站上公示');
    const r = await office.post(`/api/opinions/${id}/adopt`, { target: 'ledger', title: '律师收费公示整治' });
    expect(r.status).toBe(201);
    expect(r.body.targetRef).toBeNull();
    let adoption = await s.deps.db.selectFrom('opinion_adoption').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(adoption.status).toBe('pending');
    await linkAdoption(systemCtx(s.deps), r.body.id, 'L-0001');
    adoption = await s.deps.db.selectFrom('opinion_adoption').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(adoption).toMatchObject({ status: 'linked', target_ref: 'L-0001' });
    const audit = await s.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'link_adoption').where('entity_id', '=', r.body.id).execute();
    expect(audit).toHaveLength(1);
    // The stats count an adoption into the ledger whether or not it is linked yet.
    expect((await office.get('/api/opinions/stats')).body.adoptedIntoLedger).toBeGreaterThanOrEqual(9);
  });
});
