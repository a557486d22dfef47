import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { png } from '../support/files.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { elapsedFraction, judge } from '../../src/server/modules/village/compliance.js';
import '../../src/server/modules/figures.js';

// 法律志愿服务进乡村“1155”工程: pairings one to one, records sent from a phone that may send them twice,
// the board's yearly rule at the turn of the year, and what each role sees.

describe('the yearly rule', () => {
  it('judges met / at risk / behind against the linear pace, and everything not met is behind once the year is over', () => {
    expect(elapsedFraction(2026, '2026-12-31')).toBe(1);
    expect(elapsedFraction(2026, '2027-01-01')).toBe(1);
    expect(elapsedFraction(2027, '2026-12-31')).toBe(0);
    expect(elapsedFraction(2026, '2026-01-01')).toBeCloseTo(1 / 365);
    expect(elapsedFraction(2028, '2028-12-31')).toBe(1); // leap year: 366 of 366
    expect(judge(5, 5, 0.5).state).toBe('met');
    // Early January: nothing done yet is still on pace.
    expect(judge(0, 0, 5 / 365)).toMatchObject({ state: 'at_risk', projectedServices: 0 });
    // Mid-year: 2 of each is within one record of the pace (2.5); 1 is not.
    expect(judge(2, 2, 0.5)).toMatchObject({ state: 'at_risk', projectedServices: 4, projectedVisits: 4 });
    expect(judge(1, 4, 0.5).state).toBe('behind');
    // Late November (0.9): 4 is within one of 4.5, 3 is not.
    expect(judge(4, 6, 0.9).state).toBe('at_risk');
    expect(judge(3, 6, 0.9).state).toBe('behind');
    expect(judge(4, 6, 1)).toMatchObject({ state: 'behind', projectedServices: 4, projectedVisits: 6 });
  });
});

describe.each(targets())('1155 on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let mine: any;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
    mine = (await officer.get('/api/village/mine')).body;
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const count = async (t: 'village_record' | 'village_pairing' | 'village' | 'village_deliverable' | 'attachment' | 'audit_log') =>
    Number((await db().selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const snapshot = async () => ({ records: await count('village_record'), pairings: await count('village_pairing'), audit: await count('audit_log'), files: await count('attachment') });

  const visit = (over: Record<string, unknown> = {}) => ({
    id: crypto.randomUUID(), pairingId: mine.pairing.id, type: 'visit', heldOn: '2026-11-22', place: `${mine.pairing.villageName}村委会`,
    visited: '村党支部书记', summary: '入户走访了解群众法律需求。', photoIds: [], ...over,
  });

  it('the demo: ~150 villages, ~120 pairings, the officer paired, a year in progress at every level', async () => {
    expect(await count('village')).toBeGreaterThanOrEqual(140);
    const pairings = await count('village_pairing');
    expect(pairings).toBeGreaterThanOrEqual(110);
    expect(mine.pairing).toMatchObject({ status: 'active', unitName: expect.stringContaining('司法所') });
    expect(mine.pairing.endYear - mine.pairing.startYear).toBe(4);
    expect(mine.pairing.deliverables).toHaveLength(5);
    const board = (await office.get('/api/village/board')).body;
    expect(board.year).toBe(2026);
    expect(board.yearEnded).toBe(false);
    expect(board.totals.pairings).toBe(pairings);
    expect(board.totals.met).toBeGreaterThan(10);
    expect(board.totals.at_risk).toBeGreaterThan(10);
    expect(board.totals.behind).toBeGreaterThan(10);
    expect(board.counties).toHaveLength(12);
    expect(board.counties.reduce((a: number, c: any) => a + c.pairings, 0)).toBe(pairings);
  });

  it('figures are counts of the board: active pairings, and those that met this year', async () => {
    const figures = (await collectStats(systemCtx(s.deps), ['village1155'])).village1155 as { pairings: number; compliant: number };
    const board = (await office.get('/api/village/board')).body;
    expect(figures.pairings).toBe(board.cadres.filter((c: any) => c.status === 'active').length);
    expect(figures.compliant).toBe(board.cadres.filter((c: any) => c.status === 'active' && c.services >= 5 && c.visits >= 5).length);
    // The proof from the records themselves.
    const rows = await db().selectFrom('village_record').select(['pairing_id', 'type', sql<number>`count(*)`.as('n')]).where('year', '=', 2026).groupBy(['pairing_id', 'type']).execute();
    const by = new Map<string, Record<string, number>>();
    for (const r of rows) by.set(r.pairing_id, { ...(by.get(r.pairing_id) ?? {}), [r.type]: Number(r.n) });
    expect(figures.compliant).toBe([...by.values()].filter((c) => (c.service ?? 0) >= 5 && (c.visit ?? 0) >= 5).length);
    // In the viewer's scope: the county administrator's figures are their board's.
    const ua = (await unitadmin.get('/api/stats')).body;
    const ub = (await unitadmin.get('/api/village/board')).body.cadres.filter((c: any) => c.status === 'active');
    expect(ua.village1155).toEqual({ pairings: ub.length, compliant: ub.filter((c: any) => c.state === 'met').length });
    expect(ub.length).toBeGreaterThan(0);
    expect(ub.length).toBeLessThan(figures.pairings);
  });

  it('a record sent twice is stored once (one row, one audit); the same id with other content is 409 and writes nothing', async () => {
    const body = visit();
    const before = await snapshot();
    const first = await officer.post('/api/village/records', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: body.id, type: 'visit', created: true, villageName: mine.pairing.villageName });
    const again = await officer.post('/api/village/records', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: body.id, created: false, heldOn: '2026-11-22' });
    const after = await snapshot();
    expect(after.records).toBe(before.records + 1);
    expect(after.audit).toBe(before.audit + 1);
    const other = await officer.post('/api/village/records', { ...body, summary: '另一条内容不同的走访记录。' });
    expect(other.status).toBe(409);
    expect(other.body.field).toBe('id');
    expect(await snapshot()).toEqual(after);
    // Two at once: still one.
    const twin = visit();
    const both = await Promise.all([officer.post('/api/village/records', twin), officer.post('/api/village/records', twin)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(await count('village_record')).toBe(after.records + 1);
  });

  it('a photo uploaded twice under its id is one attachment, and joins the record that names it', async () => {
    const photoId = crypto.randomUUID();
    const form = () => {
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(png(10, 200, 30))], { type: 'image/png' }), '现场.png');
      return f;
    };
    const before = await count('attachment');
    const up = await officer.request('PUT', `/api/village/photos/${photoId}`, form());
    expect(up.status).toBe(201);
    const up2 = await officer.request('PUT', `/api/village/photos/${photoId}`, form());
    expect(up2.status).toBe(200);
    expect(up2.body.id).toBe(photoId);
    expect(await count('attachment')).toBe(before + 1);
    const different = new FormData();
    different.append('file', new Blob([new Uint8Array(png(1, 2, 3))], { type: 'image/png' }), 'x.png');
    const clash = await officer.request('PUT', `/api/village/photos/${photoId}`, different);
    expect(clash.status).toBe(409);
    const rec = await officer.post('/api/village/records', visit({ photoIds: [photoId] }));
    expect(rec.status).toBe(201);
    expect(rec.body.photos).toEqual([{ id: photoId, name: '现场.png' }]);
    // Whoever may read the pairing may see its photos; another county's administrator may not.
    expect((await unitadmin.get(`/api/files/${photoId}/meta`)).status).toBe(200);
  });

  it('refusals name the field and write nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [visit({ heldOn: '2026-11-24' }), 'heldOn'], // tomorrow in Shanghai
      [visit({ heldOn: '2020-05-01' }), 'heldOn'], // before the term
      [visit({ visited: '' }), 'visited'],
      [visit({ type: 'service', serviceKind: 'consultation', peopleReached: -1 }), 'peopleReached'],
      [visit({ type: 'service', serviceKind: 'consultation', peopleReached: 2.5 }), 'peopleReached'],
      [visit({ type: 'service', peopleReached: 3 }), 'serviceKind'],
      [visit({ id: 'not-a-uuid' }), 'id'],
      [visit({ photoIds: [crypto.randomUUID()] }), 'photoIds'],
    ];
    for (const [body, field] of cases) {
      const r = await officer.post('/api/village/records', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field, JSON.stringify(r.body)).toBe(field);
    }
    // Someone else's pairing.
    const other = (await office.get('/api/village/pairings?pageSize=5')).body.items.find((p: any) => p.id !== mine.pairing.id);
    const r = await officer.post('/api/village/records', visit({ pairingId: other.id }));
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('pairingId');
    expect(await snapshot()).toEqual(before);
  });

  it('one active pairing per cadre and per village (409 in Chinese); a new pairing runs five years', async () => {
    const villages = (await office.get('/api/village/villages?pageSize=200')).body.items;
    const free = villages.filter((v: any) => !v.pairedWith);
    expect(free.length).toBeGreaterThan(5);
    const before = await snapshot();
    const busyCadre = await office.post('/api/village/pairings', { cadrePersonId: mine.pairing.cadrePersonId, villageId: free[0].id, startYear: 2026 });
    expect(busyCadre.status).toBe(409);
    expect(busyCadre.body).toMatchObject({ field: 'cadrePersonId', message: expect.stringContaining('已与') });
    const paired = (await office.get('/api/village/pairings?pageSize=50')).body.items;
    const pairedCadres = new Set(paired.map((p: any) => p.cadrePersonId));
    const person = await db().selectFrom('person').select('id').where('status', '=', 'active').where('id', 'not in', [...pairedCadres] as string[]).orderBy('id').executeTakeFirstOrThrow();
    const busyVillage = await office.post('/api/village/pairings', { cadrePersonId: person.id, villageId: mine.pairing.villageId, startYear: 2026 });
    expect(busyVillage.status).toBe(409);
    expect(busyVillage.body.field).toBe('villageId');
    expect(await snapshot()).toEqual(before);
    const ok = await office.post('/api/village/pairings', { cadrePersonId: person.id, villageId: free[0].id, startYear: 2026 });
    expect(ok.status).toBe(201);
    expect(ok.body.endYear).toBe(2030);
    const ended = await office.post(`/api/village/pairings/${ok.body.id}/end`, { reason: '干部岗位调整' });
    expect(ended.status).toBe(200);
    // Ended: the village is free again.
    expect((await office.post('/api/village/pairings', { cadrePersonId: person.id, villageId: free[0].id, startYear: 2026 })).status).toBe(201);
  });

  it('deliverables: done needs a date and evidence; dispute_resolved needs at least one case', async () => {
    const before = await snapshot();
    const url = `/api/village/pairings/${mine.pairing.id}/deliverables`;
    const noEvidence = await office.put(`${url}/law_class`, { status: 'done', doneOn: '2026-10-01' });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.field).toBe('evidence');
    const zero = await office.put(`${url}/dispute_resolved`, { status: 'done', doneOn: '2026-10-01', count: 0, evidence: '调解协议书一份' });
    expect(zero.status).toBe(400);
    expect(zero.body.field).toBe('count');
    expect((await officer.put(`${url}/law_class`, { status: 'done', doneOn: '2026-10-01', evidence: '讲授民法典法治课' })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
    const ok = await office.put(`${url}/dispute_resolved`, { status: 'done', doneOn: '2026-10-01', count: 2, evidence: '调解协议书两份，卷宗存村调委会。' });
    expect(ok.status).toBe(200);
    const p = (await officer.get(`/api/village/pairings/${mine.pairing.id}`)).body;
    expect(p.deliverables.find((d: any) => d.kind === 'dispute_resolved')).toMatchObject({ status: 'done', count: 2 });
  });

  it('scope: the officer sees only their own pairing and records; the county administrator only their county', async () => {
    expect((await officer.get('/api/village/pairings')).status).toBe(403);
    const recs = (await officer.get('/api/village/records?pageSize=200')).body;
    expect(recs.items.length).toBeGreaterThan(0);
    expect(recs.items.every((r: any) => r.pairingId === mine.pairing.id)).toBe(true);
    const ob = (await officer.get('/api/village/board')).body;
    expect(ob.cadres.map((c: any) => c.pairingId)).toEqual([mine.pairing.id]);
    const all = (await office.get('/api/village/pairings?pageSize=200')).body.items;
    const other = all.find((p: any) => p.countyName !== '红山区司法局' && !p.unitName.includes('红山'));
    expect((await officer.get(`/api/village/pairings/${other.id}`)).status).toBe(404);
    expect((await unitadmin.get(`/api/village/pairings/${other.id}`)).status).toBe(404);
    const ub = (await unitadmin.get('/api/village/board')).body;
    expect(ub.cadres.length).toBeGreaterThan(0);
    expect(ub.cadres.length).toBeLessThan(all.length);
    expect(ub.cadres.some((c: any) => c.pairingId === mine.pairing.id)).toBe(true);
    const up = (await unitadmin.get('/api/village/pairings?pageSize=200')).body;
    expect(up.total).toBe(ub.cadres.length);
  });

  it('year boundaries in Asia/Shanghai: 12-31 23:30 belongs to that year; the board turns at midnight there', async () => {
    const before = (await officer.get('/api/village/board?year=2026')).body.cadres[0];
    clock.set(new Date('2026-12-31T15:30:00Z')); // 23:30 on 31 December in Shanghai
    // A month on, the session has lapsed: sign in again (at each step, the clock moves on).
    officer = await s.as('officer');
    try {
      const late = await officer.post('/api/village/records', visit({ heldOn: '2026-12-31', summary: '年末最后一次走访，了解冬季矛盾纠纷。' }));
      expect(late.status).toBe(201);
      expect(late.body.year).toBe(2026);
      // 1 January is still tomorrow there.
      const early = await officer.post('/api/village/records', visit({ heldOn: '2027-01-01' }));
      expect(early.status).toBe(400);
      expect(early.body.field).toBe('heldOn');
      const dec = (await officer.get('/api/village/board')).body;
      expect(dec.year).toBe(2026);
      expect(dec.yearEnded).toBe(true); // its last day counts as elapsed
      expect(dec.cadres[0].visits).toBe(before.visits + 1);
      clock.set(new Date('2026-12-31T16:30:00Z')); // 00:30 on 1 January 2027 in Shanghai
      officer = await s.as('officer');
      const jan = (await officer.get('/api/village/board')).body;
      expect(jan).toMatchObject({ year: 2027, yearEnded: false });
      expect(jan.cadres[0]).toMatchObject({ services: 0, visits: 0, state: 'at_risk' });
      const last = (await officer.get('/api/village/board?year=2026')).body.cadres[0];
      expect(last.visits).toBe(before.visits + 1);
      expect(last.state).toBe(last.services >= 5 && last.visits >= 5 ? 'met' : 'behind');
      expect((await officer.post('/api/village/records', visit({ heldOn: '2027-01-01', summary: '新年第一次走访嘎查村。' }))).body.year).toBe(2027);
      expect((await officer.get('/api/village/board?year=2028')).status).toBe(400);
    } finally {
      clock.set(new Date('2026-11-23T02:00:00Z'));
    }
  });
});
