import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { readableText, startServer, type Client, type TestServer } from '../support/http.js';
import { createTestDb, movableClock, targets, type TestDb } from '../support/db.js';
import { addWorkdays, loadCalendar } from '../../src/server/platform/workdays.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { insertOpinion } from '../../src/server/modules/opinions/commands.js';
import { suggestCategory } from '../../src/server/modules/opinions/suggest.js';
import { fileForm as form, png } from '../support/files.js';

// 开门纳谏, the staff side: offline entry, the triage workbench (filters, full-text search, scope),
// assign / reply / merge / reject / adopt, reporter protection, and the sorting help.
// The demo may hold opinions of its own: every assertion here is about records this file creates
// (found by a marker word) or is relative to a count taken before.

/** A latin-letter word jieba keeps whole and no demo text contains: it finds this file's records. */
function marker() {
  return `mk${Array.from(crypto.randomBytes(6), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
}

type Counts = Record<'opinion' | 'opinion_event' | 'opinion_adoption' | 'attachment' | 'audit_log', number>;
async function counts(s: TestServer): Promise<Counts> {
  const n = async (t: keyof Counts) =>
    Number((await s.deps.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return {
    opinion: await n('opinion'), opinion_event: await n('opinion_event'), opinion_adoption: await n('opinion_adoption'),
    attachment: await n('attachment'), audit_log: await n('audit_log'),
  };
}
async function lastAudit(s: TestServer) {
  return s.deps.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
}
async function unitId(s: TestServer, code: string) {
  return (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}
async function idOf(s: TestServer, publicNo: string) {
  return (await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', publicNo).executeTakeFirstOrThrow()).id;
}

/** The caller's notification about an opinion, looked for through every page. */
async function notification(c: Client, publicNo: string) {
  for (let page = 1; ; page++) {
    const r = await c.get(`/api/notifications?pageSize=200&page=${page}`);
    expect(r.status).toBe(200);
    const hit = r.body.items.find((i: any) => i.title.includes(publicNo));
    if (hit || r.body.items.length < 200) return hit;
  }
}

describe.each(targets())('opinion triage on %s', (target) => {
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let hsq: string;
  let ncx: string;
  const M = marker();
  const clock = movableClock(new Date('2026-11-27T02:00:00Z')); // Friday 10:00 in Beijing

  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' }, now: clock });
    office = await s.as('office');
    unitadmin = await s.as('unitadmin');
    officer = await s.as('officer');
    hsq = await unitId(s, 'HSQ');
    ncx = await unitId(s, 'NCX');
  });
  afterAll(async () => s?.close());

  const enter = (c: Client, body: Record<string, unknown>) =>
    c.post('/api/opinions', { channel: 'window_card', identity: 'anonymous', ...body });

  /** Enters one opinion as office and answers its id. */
  async function opinion(content: string, extra: Record<string, unknown> = {}) {
    const r = await enter(office, { content: `${content} ${M}`, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  }

  describe('staff entry', () => {
    it('office enters a window card with a photo of it', async () => {
      const up = await office.post('/api/files', form(png(10, 20, 30), '意见卡.png'));
      expect(up.status).toBe(201);
      const before = await counts(s);
      const r = await enter(office, {
        content: `征求意见卡：希望公证处延长午间办公时间 ${M}`, category: 'notary_service', attachmentIds: [up.body.id], receivedOn: '2026-11-20',
      });
      expect(r.status).toBe(201);
      expect(r.body.receiptCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      expect(r.body.publicNo).toMatch(/^YJ20261120/);
      const after = await counts(s);
      expect(after.opinion).toBe(before.opinion + 1);
      expect(after.audit_log).toBe(before.audit_log + 1);
      expect(await lastAudit(s)).toMatchObject({ action: 'create', entity_type: 'opinion', entity_id: r.body.id });
      const d = await office.get(`/api/opinions/${r.body.id}`);
      expect(d.status).toBe(200);
      expect(d.body).toMatchObject({ channel: 'window_card', category: 'notary_service', status: 'received', identity: 'anonymous' });
      // Received on 2026-11-20 (noon in Beijing), entered a week later.
      expect(d.body.submittedAt).toBe('2026-11-20T04:00:00.000Z');
      expect(d.body.attachments).toEqual([{ id: up.body.id, name: '意见卡.png', mime: 'image/png', size: up.body.size }]);
      // The public can follow it with the code from the card.
      const p = await s.client().get(`/api/public/opinions/${r.body.receiptCode}`);
      expect(p.status).toBe(200);
      expect(p.body.channel).toBe('征求意见卡');
      expect(p.body.history[0].text).toContain('已收到');
    });

    it('refuses online channels, bad dates, unknown files; nothing written', async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ channel: 'portal' }, 'channel'],
        [{ channel: 'wechat' }, 'channel'],
        [{ channel: 'carrier_pigeon' }, 'channel'],
        [{ receivedOn: '2026-13-45' }, 'receivedOn'],
        [{ receivedOn: '2026-02-30' }, 'receivedOn'],
        [{ receivedOn: '20261120' }, 'receivedOn'],
        [{ receivedOn: 'yesterday' }, 'receivedOn'],
        [{ receivedOn: '2026-11-28' }, 'receivedOn'], // tomorrow in Beijing
        [{ attachmentIds: ['no-such-file'] }, 'attachmentIds'],
        [{ category: 'nope' }, 'category'],
        [{ campaignId: 'no-such-campaign' }, 'campaignId'],
        [{ identity: 'named', name: '张三', phone: '12345' }, 'phone'],
      ];
      for (const [extra, field] of bad) {
        const before = await counts(s);
        const r = await enter(office, { content: `录入校验 ${M} ${field}`, ...extra });
        expect(r.status, JSON.stringify(extra)).toBe(400);
        expect(r.body.field, JSON.stringify(extra)).toBe(field);
        expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
        expect(await counts(s)).toEqual(before);
      }
      // Someone else's upload cannot be pulled into an opinion.
      const theirs = await unitadmin.post('/api/files', form(png(1, 1, 1), 'x.png'));
      const r = await enter(office, { content: `他人附件 ${M}`, attachmentIds: [theirs.body.id] });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('attachmentIds');
    });

    it('the unit admin may enter too (opinions:enter); an officer may not', async () => {
      const r = await enter(unitadmin, { channel: 'suggestion_box', content: `意见箱：司法所门口停车难 ${M}` });
      expect(r.status).toBe(201);
      expect(await lastAudit(s)).toMatchObject({ action: 'create', entity_id: r.body.id });
      const before = await counts(s);
      const o = await enter(officer, { content: `干警录入 ${M}` });
      expect(o.status).toBe(403);
      expect(await counts(s)).toEqual(before);
      expect((await s.client().post('/api/opinions', { channel: 'hotline', content: '未登录录入测试', identity: 'anonymous' })).status).toBe(401);
    });
  });

  describe('list filters and full-text search', () => {
    const ids: Record<string, string> = {};
    const F = marker(); // this set's own word, on top of the file's
    beforeAll(async () => {
      const one = async (content: string, extra: Record<string, unknown>) => opinion(`${content} ${F}`, extra);
      ids.a = await one('公证处办理公证业务排队太久', { category: 'notary_service', channel: 'window_card', receivedOn: '2026-11-02' });
      ids.b = await one('司法所工作人员服务态度很好', { channel: 'hotline', receivedOn: '2026-11-03' });
      ids.c = await one('公证员和司法所联合上门服务', { category: 'public_legal_service', channel: 'field_visit', identity: 'named', name: '李四', phone: '0476-8888888', receivedOn: '2026-11-04' });
      ids.d = await one('社区矫正报到手续繁琐', { category: 'community_correction', channel: 'suggestion_box', receivedOn: '2026-11-05' });
    });
    const list = async (q: string) => {
      const r = await office.get(`/api/opinions?pageSize=200&${q}`);
      expect(r.status, q).toBe(200);
      return r.body as { items: any[]; total: number };
    };
    /** Ids of this set's opinions matching the words (plus the set's marker) and the filters. */
    const found = async (filters: string, words = '') =>
      (await list(`q=${encodeURIComponent(`${words} ${F}`.trim())}&${filters}`)).items.map((i) => i.id).sort();
    const sorted = (...k: string[]) => k.map((x) => ids[x]!).sort();

    it('full text: Chinese two-character words, every word required, absent words match nothing', async () => {
      expect(await found('')).toEqual(sorted('a', 'b', 'c', 'd'));
      expect(await found('', '公证')).toEqual(sorted('a', 'c'));
      expect(await found('', '司法')).toEqual(sorted('b', 'c'));
      expect(await found('', '公证 司法')).toEqual(sorted('c'));
      expect(await found('', '宇宙飞船')).toEqual([]);
      expect((await list(`q=${encodeURIComponent('宇宙飞船')}`)).total).toBe(0);
      expect((await list(`q=${encodeURIComponent('zzqqxxnotaword')}`)).total).toBe(0);
      // Without the marker: every hit really holds the word.
      const notary = await list(`q=${encodeURIComponent('公证')}`);
      expect(notary.items.map((i) => i.id)).toEqual(expect.arrayContaining([ids.a, ids.c]));
      for (const i of notary.items) {
        const row = await s.deps.db.selectFrom('opinion').select('content').where('id', '=', i.id).executeTakeFirstOrThrow();
        expect(row.content).toContain('公证');
      }
      // Operators and quotes in a query are words, not syntax.
      for (const q of [
        '"公证', "公证' OR 1=1 --", '公证 & | ! ( ) : *', 'NEAR(公证)', '公证 AND', '-公证', 'x<->y', 'foo<bar', 'a>b', 'a-b',
        '2026-11-27', 'e-mail', '100%', 'a\\b', 'Ｃ＋＋', 'abc\'s', 'a:*', '公证^2', '{公证}', '[司法]', 'x <-> y', '！！', '\u0000',
      ]) {
        const r = await office.get(`/api/opinions?q=${encodeURIComponent(q)}`);
        expect(r.status, q).toBe(200);
      }
      expect(await found('', '"公证"')).toEqual(sorted('a', 'c'));
      expect(await found('', '公证，司法！')).toEqual(sorted('c'));
    });

    it('category, unsorted, channel, status, identity', async () => {
      expect(await found('category=notary_service')).toEqual(sorted('a'));
      expect(await found('category=none')).toEqual(sorted('b'));
      expect(await found('channel=field_visit')).toEqual(sorted('c'));
      expect(await found('channel=hotline')).toEqual(sorted('b'));
      expect(await found('identity=named')).toEqual(sorted('c'));
      expect(await found('identity=anonymous')).toEqual(sorted('a', 'b', 'd'));
      expect(await found('status=received')).toEqual(sorted('a', 'b', 'c', 'd'));
      expect(await found('status=replied')).toEqual([]);
      expect(await found('category=notary_service&channel=hotline')).toEqual([]);
      const item = (await list(`q=${F}&channel=field_visit`)).items[0];
      expect(item).toMatchObject({ id: ids.c, channel: 'field_visit', category: 'public_legal_service', identity: 'named', status: 'received', overdue: false, adopted: [] });
      expect(item.excerpt).toContain('公证员');
      // The list never carries a submitter's identity.
      const all = await office.get(`/api/opinions?pageSize=200&q=${M}`);
      expect(all.text).not.toContain('李四');
      expect(all.text).not.toContain('8888888');
      // Bad filter values are named.
      const bad = await office.get('/api/opinions?status=lost');
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('status');
      for (const q of ['from=2026-13-01', 'to=2026-02-30', 'from=yesterday', 'pageSize=1000', 'identity=x']) {
        const r = await office.get(`/api/opinions?${q}`);
        expect(r.status, q).toBe(400);
        expect(r.body.field, q).toBe(q.split('=')[0]);
      }
    });

    it('from/to are Beijing calendar days', async () => {
      expect(await found('from=2026-11-03&to=2026-11-04')).toEqual(sorted('b', 'c'));
      expect(await found('from=2026-11-05')).toEqual(sorted('d'));
      expect(await found('to=2026-11-02')).toEqual(sorted('a'));
      expect(await found('from=2026-11-02&to=2026-11-02')).toEqual(sorted('a'));
      // 01:30 in Beijing on the 6th is still the 5th in UTC: it belongs to the 6th.
      clock.set(new Date('2026-11-05T17:30:00Z'));
      try {
        const r = await s.client().post('/api/public/opinions', { content: `凌晨提交的意见建议 ${M} ${F}`, identity: 'anonymous' });
        expect(r.status).toBe(201);
        ids.e = await idOf(s, r.body.publicNo);
        expect(r.body.publicNo).toMatch(/^YJ20261106/);
      } finally {
        clock.set(new Date('2026-11-27T02:00:00Z'));
      }
      expect(await found('from=2026-11-06&to=2026-11-06')).toEqual(sorted('e'));
      expect(await found('from=2026-11-05&to=2026-11-05')).toEqual(sorted('d'));
      expect(await found('from=2026-11-06&to=2026-11-05')).toEqual([]);
    });

    it('pages', async () => {
      const r1 = await office.get(`/api/opinions?q=${F}&pageSize=2&page=1`);
      const r2 = await office.get(`/api/opinions?q=${F}&pageSize=2&page=2`);
      const r3 = await office.get(`/api/opinions?q=${F}&pageSize=2&page=3`);
      expect(r1.body.total).toBe(5);
      expect(r1.body.items).toHaveLength(2);
      expect(r2.body.items).toHaveLength(2);
      expect(r3.body.items).toHaveLength(1);
      const seen = [...r1.body.items, ...r2.body.items, ...r3.body.items].map((i: any) => i.id);
      expect(new Set(seen).size).toBe(5);
      // Newest first.
      const times = [...r1.body.items, ...r2.body.items, ...r3.body.items].map((i: any) => i.submittedAt);
      expect([...times].sort().reverse()).toEqual(times);
    });
  });

  describe('data scope', () => {
    let inNcx: string;
    let inHsq: string;
    let unassigned: string;
    let photo: string;
    beforeAll(async () => {
      const up = await office.post('/api/files', form(png(50, 60, 70), '现场.png'));
      photo = up.body.id;
      inNcx = await opinion('宁城县公证处收费不公开', { category: 'notary_service', attachmentIds: [photo] });
      inHsq = await opinion('红山区法律援助中心电话打不通', { category: 'public_legal_service' });
      unassigned = await opinion('尚未分办的意见建议');
      expect((await office.post(`/api/opinions/${inNcx}/assign`, { unitId: ncx, workdays: 10 })).status).toBe(200);
      expect((await office.post(`/api/opinions/${inHsq}/assign`, { unitId: hsq, workdays: 10 })).status).toBe(200);
    });

    it('the unit admin sees, opens and answers only what is assigned to 红山区', async () => {
      const l = await unitadmin.get(`/api/opinions?pageSize=200&q=${M}`);
      expect(l.status).toBe(200);
      const seen = l.body.items.map((i: any) => i.id);
      expect(seen).toContain(inHsq);
      expect(seen).not.toContain(inNcx);
      expect(seen).not.toContain(unassigned);
      for (const i of l.body.items) expect(i.assignedUnitId).toBe(hsq);

      for (const id of [inNcx, unassigned]) {
        const before = await counts(s);
        expect((await unitadmin.get(`/api/opinions/${id}`)).status).toBe(404);
        const r = await unitadmin.post(`/api/opinions/${id}/reply`, { reply: '越权答复' });
        expect(r.status).toBe(404);
        expect(r.body.message).toContain('数据范围');
        expect(await counts(s)).toEqual(before);
      }
      // Filtering by another unit shows nothing rather than leaking.
      expect((await unitadmin.get(`/api/opinions?unitId=${ncx}&q=${M}`)).body.total).toBe(0);
      // Attachments follow the opinion's scope.
      expect((await unitadmin.get(`/api/files/${photo}`)).status).toBe(404);
      expect((await officer.get(`/api/files/${photo}`)).status).toBe(404);
      expect((await office.get(`/api/files/${photo}`)).status).toBe(200);

      const d = await unitadmin.get(`/api/opinions/${inHsq}`);
      expect(d.status).toBe(200);
      expect(d.body.assignedUnitName).toBe('红山区司法局');
      const r = await unitadmin.post(`/api/opinions/${inHsq}/reply`, { reply: '已增加热线坐席' });
      expect(r.status).toBe(200);
      expect((await unitadmin.get(`/api/opinions/${inHsq}`)).body).toMatchObject({ status: 'replied', reply: '已增加热线坐席' });
      // Triage is the office's: the unit admin cannot assign, merge, reject or adopt.
      for (const [path, body] of [
        ['assign', { unitId: hsq, workdays: 3 }], ['merge', { intoId: inHsq }], ['reject', { reason: '理由充分' }],
        ['adopt', { target: 'ledger', title: '整改事项' }], ['categorize', { category: 'other' }],
      ] as const) {
        expect((await unitadmin.post(`/api/opinions/${inHsq}/${path}`, body)).status, path).toBe(403);
      }
      // And cannot assign to a unit outside its scope either (no permission at all).
      expect((await unitadmin.get(`/api/opinions/${inHsq}/identity`)).status).toBe(403);
    });

    it('an officer has no opinions:read', async () => {
      for (const path of ['/api/opinions', `/api/opinions/${inHsq}`, '/api/opinions/stats', '/api/opinions/export']) {
        expect((await officer.get(path)).status, path).toBe(403);
      }
      expect((await officer.post('/api/opinions/similar', { content: '公证处排队' })).status).toBe(403);
      expect((await officer.post(`/api/opinions/${inHsq}/reply`, { reply: '干警答复' })).status).toBe(403);
    });
  });

  describe('assign, reply, merge, reject, adopt, categorize — one audit entry each', () => {
    it('assign: a deadline in working days, a notification to the unit', async () => {
      const id = await opinion('法律援助申请材料太多', { category: 'public_legal_service' });
      const before = await counts(s);
      const r = await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 1, note: '请尽快办理' });
      expect(r.status).toBe(200);
      // Friday 10:00 + 1 working day = Monday, 23:59:59 in Beijing.
      expect(r.body).toEqual({ id, deadlineAt: '2026-11-30T15:59:59.000Z' });
      expect((await counts(s)).audit_log).toBe(before.audit_log + 1);
      expect(await lastAudit(s)).toMatchObject({ action: 'assign', entity_type: 'opinion', entity_id: id });
      const publicNo = (await office.get(`/api/opinions/${id}`)).body.publicNo;
      const note = await notification(unitadmin, publicNo);
      expect(note).toBeTruthy();
      expect(note.body).toContain('2026-11-30');
      expect(note.link).toContain(id);
      // Nobody outside the unit is told.
      expect(await notification(office, publicNo)).toBeUndefined();

      for (const [body, field] of [
        [{ unitId: hsq, workdays: 0 }, 'workdays'], [{ unitId: hsq, workdays: 61 }, 'workdays'], [{ unitId: hsq, workdays: 1.5 }, 'workdays'],
        [{ unitId: hsq }, 'workdays'], [{ workdays: 3 }, 'unitId'],
      ] as const) {
        const b = await counts(s);
        const x = await office.post(`/api/opinions/${id}/assign`, body);
        expect(x.status, JSON.stringify(body)).toBe(400);
        expect(x.body.field).toBe(field);
        expect(await counts(s)).toEqual(b);
      }
      const b = await counts(s);
      const unknown = await office.post(`/api/opinions/${id}/assign`, { unitId: 'no-such-unit', workdays: 3 });
      expect([400, 403, 404]).toContain(unknown.status);
      expect(await counts(s)).toEqual(b);
      expect((await office.post('/api/opinions/no-such-id/assign', { unitId: hsq, workdays: 3 })).status).toBe(404);
    });

    it('reply', async () => {
      const id = await opinion('希望公开法律援助办理进度');
      const before = await counts(s);
      expect((await office.post(`/api/opinions/${id}/reply`, { reply: '' })).status).toBe(400);
      expect((await office.post(`/api/opinions/${id}/reply`, {})).body.field).toBe('reply');
      expect(await counts(s)).toEqual(before);
      // The office may answer an unassigned opinion itself.
      const r = await office.post(`/api/opinions/${id}/reply`, { reply: '已在网站公开办理进度' });
      expect(r.status).toBe(200);
      expect((await counts(s)).audit_log).toBe(before.audit_log + 1);
      expect(await lastAudit(s)).toMatchObject({ action: 'reply', entity_id: id });
      // Once answered it is not assigned, merged or rejected any more.
      expect((await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 3 })).status).toBe(409);
      expect((await office.post(`/api/opinions/${id}/reject`, { reason: '重复提交' })).status).toBe(409);
    });

    it('merge: follows a chain to the survivor; not into itself; not a replied one', async () => {
      const a = await opinion('调解协议履行难，缺少回访');
      const b = await opinion('调解协议履行难，没有回访');
      const c = await opinion('调解以后没人回访，协议不履行');
      const before = await counts(s);
      const m1 = await office.post(`/api/opinions/${a}/merge`, { intoId: b });
      expect(m1.status).toBe(200);
      expect(m1.body).toEqual({ id: a, intoId: b });
      expect(await lastAudit(s)).toMatchObject({ action: 'merge', entity_id: a });
      expect((await counts(s)).audit_log).toBe(before.audit_log + 1);
      // Into the merged one: lands on the survivor.
      const m2 = await office.post(`/api/opinions/${c}/merge`, { intoId: a });
      expect(m2.status).toBe(200);
      expect(m2.body.intoId).toBe(b);
      const db = await office.get(`/api/opinions/${b}`);
      expect(db.body.mergedFrom.map((x: any) => x.id).sort()).toEqual([a, c].sort());
      expect((await office.get(`/api/opinions/${c}`)).body).toMatchObject({ status: 'merged', mergedIntoId: b });
      // The survivor merged further: everything follows it.
      const d = await opinion('调解回访制度缺失');
      expect((await office.post(`/api/opinions/${b}/merge`, { intoId: d })).status).toBe(200);
      for (const x of [a, b, c]) expect((await office.get(`/api/opinions/${x}`)).body.mergedIntoId).toBe(d);
      // …and nobody can merge the survivor into what it swallowed.
      const e0 = await counts(s);
      const loop = await office.post(`/api/opinions/${d}/merge`, { intoId: a });
      expect(loop.status).toBe(400);
      expect(loop.body.field).toBe('intoId');
      const self = await office.post(`/api/opinions/${d}/merge`, { intoId: d });
      expect(self.status).toBe(400);
      expect(self.body.field).toBe('intoId');
      expect((await office.post(`/api/opinions/${d}/merge`, { intoId: 'no-such-id' })).status).toBe(400);
      expect(await counts(s)).toEqual(e0);
      // A replied opinion is not merged away.
      const replied = await opinion('已答复的意见');
      await office.post(`/api/opinions/${replied}/reply`, { reply: '已答复' });
      const r = await office.post(`/api/opinions/${replied}/merge`, { intoId: d });
      expect(r.status).toBe(409);
      // A merged one is not answered on its own.
      expect((await office.post(`/api/opinions/${a}/reply`, { reply: '单独答复' })).status).toBe(409);
    });

    it('reject: a reason is required; afterwards no reply', async () => {
      const id = await opinion('与司法行政无关的意见');
      const before = await counts(s);
      for (const body of [{}, { reason: '' }, { reason: '无' }, { reason: 'x'.repeat(501) }]) {
        const r = await office.post(`/api/opinions/${id}/reject`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.field).toBe('reason');
        expect(r.body.message).toContain('不予受理理由');
      }
      expect(await counts(s)).toEqual(before);
      const r = await office.post(`/api/opinions/${id}/reject`, { reason: '不属于司法行政职责范围' });
      expect(r.status).toBe(200);
      expect(await lastAudit(s)).toMatchObject({ action: 'reject', entity_id: id });
      const b2 = await counts(s);
      expect((await office.post(`/api/opinions/${id}/reply`, { reply: '答复' })).status).toBe(409);
      expect((await office.post(`/api/opinions/${id}/reject`, { reason: '再次驳回' })).status).toBe(409);
      expect((await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 3 })).status).toBe(409);
      expect(await counts(s)).toEqual(b2);
      // Nothing merges into a rejected one.
      const other = await opinion('想合并到被驳回的意见');
      expect((await office.post(`/api/opinions/${other}/merge`, { intoId: id })).status).toBe(400);
    });

    it('adopt into the ledger: once; the public history tells', async () => {
      const r0 = await enter(office, { content: `律师会见难的问题需要整治 ${M}`, category: 'lawyer_management' });
      const id = r0.body.id as string;
      const before = await counts(s);
      const r = await office.post(`/api/opinions/${id}/adopt`, { target: 'ledger', title: '解决律师会见难问题', note: '列入第二批整治' });
      expect(r.status).toBe(201);
      expect(r.body.id).toBeTruthy();
      expect(await lastAudit(s)).toMatchObject({ action: 'adopt', entity_id: id });
      const after = await counts(s);
      expect(after.opinion_adoption).toBe(before.opinion_adoption + 1);
      expect(after.audit_log).toBe(before.audit_log + 1);
      const twice = await office.post(`/api/opinions/${id}/adopt`, { target: 'ledger', title: '再次纳入' });
      expect(twice.status).toBe(409);
      expect(await counts(s)).toEqual(after);
      // The project list is another list: allowed alongside.
      expect((await office.post(`/api/opinions/${id}/adopt`, { target: 'project', title: '律师会见室建设' })).status).toBe(201);
      for (const body of [{ target: 'wishlist', title: '标题' }, { target: 'ledger' }, { target: 'ledger', title: 'x' }]) {
        expect((await office.post(`/api/opinions/${id}/adopt`, body)).status, JSON.stringify(body)).toBe(400);
      }
      const d = await office.get(`/api/opinions/${id}`);
      expect(d.body.adoptions.map((a: any) => a.target).sort()).toEqual(['ledger', 'project']);
      // The ledger answers the adoption in the same step: the item exists and the adoption points at it.
      const ledger = d.body.adoptions.find((a: any) => a.target === 'ledger');
      expect(ledger).toMatchObject({ title: '解决律师会见难问题', note: '列入第二批整治', status: 'linked' });
      expect(r.body.targetRef).toBeTruthy();
      const l = await office.get(`/api/opinions?q=${M}&pageSize=200`);
      expect(l.body.items.find((i: any) => i.id === id).adopted.sort()).toEqual(['ledger', 'project']);
      const p = await s.client().get(`/api/public/opinions/${r0.body.receiptCode}`);
      expect(p.body.history.some((h: any) => h.text.includes('已纳入整治台账'))).toBe(true);
      expect(p.body.history.some((h: any) => h.text.includes('解决律师会见难问题'))).toBe(true);
    });

    it('categorize: only dictionary categories', async () => {
      const id = await opinion('人民调解员培训不足');
      const before = await counts(s);
      for (const body of [{ category: 'space_travel' }, { category: '' }, {}]) {
        const r = await office.post(`/api/opinions/${id}/categorize`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.field).toBe('category');
      }
      expect(await counts(s)).toEqual(before);
      const r = await office.post(`/api/opinions/${id}/categorize`, { category: 'people_mediation' });
      expect(r.status).toBe(200);
      expect(await lastAudit(s)).toMatchObject({ action: 'categorize', entity_id: id });
      const a = await lastAudit(s);
      expect(JSON.parse(a.after_json!)).toEqual({ category: 'people_mediation' });
      expect((await counts(s)).audit_log).toBe(before.audit_log + 1);
      expect((await office.get(`/api/opinions/${id}`)).body.category).toBe('people_mediation');
    });

    it('the whole life of one public opinion writes exactly the expected audit trail', async () => {
      const start = (await lastAudit(s)).seq;
      const pub = s.client();
      const sub = await pub.post('/api/public/opinions', { content: `门户网站提交：公证书翻译收费偏高 ${M}`, identity: 'anonymous' });
      expect(sub.status).toBe(201);
      const id = await idOf(s, sub.body.publicNo);
      expect((await office.post(`/api/opinions/${id}/categorize`, { category: 'notary_service' })).status).toBe(200);
      expect((await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 5 })).status).toBe(200);
      expect((await unitadmin.post(`/api/opinions/${id}/reply`, { reply: '已核减翻译费' })).status).toBe(200);
      expect((await pub.post(`/api/public/opinions/${sub.body.receiptCode}/rating`, { score: 4 })).status).toBe(200);
      expect((await office.post(`/api/opinions/${id}/adopt`, { target: 'ledger', title: '规范公证翻译收费' })).status).toBe(201);
      const trail = await s.deps.db.selectFrom('audit_log').selectAll().where('seq', '>', start).orderBy('seq').execute();
      expect(trail.map((a) => [a.action, a.entity_type, a.entity_id])).toEqual([
        ['submit', 'opinion', id], ['categorize', 'opinion', id], ['assign', 'opinion', id], ['reply', 'opinion', id],
        ['rate', 'opinion', id], ['adopt', 'opinion', id],
      ]);
      // Who did it is recorded (the public as nobody).
      expect(trail[0]!.actor_id).toBeNull();
      expect(trail[1]!.actor_name).toContain('office');
      expect(trail[3]!.actor_name).toContain('unitadmin');
      const events = (await office.get(`/api/opinions/${id}`)).body.events.map((e: any) => e.kind);
      expect(events).toEqual(['submitted', 'categorized', 'assigned', 'replied', 'rated', 'adopted']);
    });
  });

  describe('reporter protection', () => {
    const name = '巴特尔';
    const phone = '15947612345';
    let named: string;
    let anonymous: string;
    beforeAll(async () => {
      named = await opinion('实名反映：司法所所长作风粗暴', { identity: 'named', name, phone, wantsContact: true, category: 'team_conduct' });
      anonymous = await opinion('匿名反映：公证处工作人员吃拿卡要', { category: 'team_conduct' });
      expect((await office.post(`/api/opinions/${named}/assign`, { unitId: hsq, workdays: 5 })).status).toBe(200);
    });

    it('the detail carries no part of the identity, not even masked (the handling unit may be the one complained of)', async () => {
      for (const c of [office, unitadmin]) {
        const d = await c.get(`/api/opinions/${named}`);
        expect(d.status).toBe(200);
        expect(d.body.identity).toBe('named');
        expect(d.body.submitter).toBeUndefined();
        expect(d.body.wantsContact).toBe(true);
        // Neither the surname nor any run of the phone's digits.
        expect(d.text).not.toContain(name);
        expect(d.text).not.toContain(`${name.slice(0, 1)}*`);
        expect(d.text).not.toContain(phone.slice(0, 3) + '*');
        expect(d.text).not.toContain(phone);
        // The last four digits in anything readable (ids and reference numbers are random hex and may hold them).
        expect(readableText(d.body)).not.toContain(phone.slice(-4));
        const list = await c.get(`/api/opinions?q=${encodeURIComponent('司法所所长作风粗暴')}`);
        expect(list.text).not.toContain(`${name.slice(0, 1)}*`);
        expect(list.text).not.toContain(phone);
        expect(readableText(list.body)).not.toContain(phone.slice(-4));
      }
      expect((await office.get(`/api/opinions/${named}`)).body.canSeeIdentity).toBe(true);
      expect((await unitadmin.get(`/api/opinions/${named}`)).body.canSeeIdentity).toBe(false);
    });

    it('the plain identity only for opinions:identity, and every view is audited', async () => {
      const before = await counts(s);
      const r = await office.get(`/api/opinions/${named}/identity`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ name, phone, wantsContact: true });
      expect((await counts(s)).audit_log).toBe(before.audit_log + 1);
      const a = await lastAudit(s);
      expect(a).toMatchObject({ action: 'read_protected', entity_type: 'opinion', entity_id: named });
      expect(`${a.before_json}${a.after_json}`).not.toContain(name);
      expect(`${a.before_json}${a.after_json}`).not.toContain(phone);
      // Twice: two entries.
      await office.get(`/api/opinions/${named}/identity`);
      expect((await counts(s)).audit_log).toBe(before.audit_log + 2);

      const b = await counts(s);
      expect((await unitadmin.get(`/api/opinions/${named}/identity`)).status).toBe(403);
      expect((await officer.get(`/api/opinions/${named}/identity`)).status).toBe(403);
      const anon = await office.get(`/api/opinions/${anonymous}/identity`);
      expect(anon.status).toBe(404);
      expect(anon.body.message).toContain('匿名');
      expect((await office.get('/api/opinions/no-such-id/identity')).status).toBe(404);
      expect(await counts(s)).toEqual(b);
    });

    it('the export carries no names or phones', async () => {
      const r = await office.get(`/api/opinions/export?q=${M}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.body);
      const ws = wb.worksheets[0]!;
      const cells: string[] = [];
      ws.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? ''))));
      const all = cells.join('\n');
      expect(all).toContain('实名反映：司法所所长作风粗暴');
      expect(all).toContain('实名（面对面）');
      for (const secret of [name, phone, '李四', '8888888']) expect(all).not.toContain(secret);
      // The unit admin's export is scoped too.
      const u = await unitadmin.get(`/api/opinions/export?q=${M}`);
      expect(u.status).toBe(200);
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(u.body);
      const texts: string[] = [];
      wb2.worksheets[0]!.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value ?? ''))));
      expect(texts.join('\n')).not.toContain('宁城县公证处收费不公开');
      expect(texts.join('\n')).not.toContain('匿名反映：公证处工作人员吃拿卡要');
      expect(texts.join('\n')).not.toContain(name);
    });
  });
});

describe.each(targets())('deadlines and overdue on %s', (target) => {
  let s: TestServer;
  const clock = movableClock(new Date('2026-09-30T02:00:00Z')); // 10:00 in Beijing, the eve of 国庆

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
  });
  afterAll(async () => s?.close());

  it('counts working days in Beijing: holidays skipped, the make-up Saturday counted, the start day not', async () => {
    const office = await s.as('office');
    const hsq = await unitId(s, 'HSQ');
    const id = (await office.post('/api/opinions', { channel: 'hotline', content: '国庆前夕来电反映公证问题', identity: 'anonymous' })).body.id;
    const r = await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 3 });
    expect(r.status).toBe(200);
    // 10-01..10-07 off; 10-08 (Thu) 1, 10-09 (Fri) 2, 10-10 (Sat, 调休上班) 3.
    expect(r.body.deadlineAt).toBe(new Date('2026-10-10T23:59:59+08:00').toISOString());
    expect(r.body.deadlineAt).toBe(addWorkdays(clock().toISOString(), 3, await loadCalendar(s.deps.db)));
    const r5 = await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 5 });
    // …10-11 is a Sunday: 10-12 (Mon) 4, 10-13 (Tue) 5.
    expect(r5.body.deadlineAt).toBe(new Date('2026-10-13T23:59:59+08:00').toISOString());
  });

  it('overdue: listed with overdue=1 once the deadline has passed, not before', async () => {
    clock.set(new Date('2026-11-27T02:00:00Z')); // Friday 10:00
    const office = await s.as('office');
    const hsq = await unitId(s, 'HSQ');
    const M = marker();
    const late = (await office.post('/api/opinions', { channel: 'hotline', content: `即将超期的意见 ${M}`, identity: 'anonymous' })).body.id;
    const onTime = (await office.post('/api/opinions', { channel: 'hotline', content: `期限充足的意见 ${M}`, identity: 'anonymous' })).body.id;
    expect((await office.post(`/api/opinions/${late}/assign`, { unitId: hsq, workdays: 1 })).body.deadlineAt).toBe('2026-11-30T15:59:59.000Z');
    expect((await office.post(`/api/opinions/${onTime}/assign`, { unitId: hsq, workdays: 10 })).status).toBe(200);
    const overdue = async (c: Client) => (await c.get(`/api/opinions?overdue=1&q=${M}`)).body.items.map((i: any) => i.id);
    expect(await overdue(office)).toEqual([]);

    clock.advance(3 * 86_400_000); // Monday 10:00: the last day, not yet late
    let c = await s.as('office');
    expect(await overdue(c)).toEqual([]);

    clock.advance(86_400_000); // Tuesday 10:00: late
    c = await s.as('office');
    expect(await overdue(c)).toEqual([late]);
    const item = (await c.get(`/api/opinions?q=${M}`)).body.items.find((i: any) => i.id === late);
    expect(item.overdue).toBe(true);
    expect((await c.get(`/api/opinions/${late}`)).body.overdue).toBe(true);
    expect((await c.get(`/api/opinions?q=${M}`)).body.items.find((i: any) => i.id === onTime).overdue).toBe(false);
    // The unit admin sees it overdue too.
    const ua = await s.as('unitadmin');
    expect(await overdue(ua)).toEqual([late]);
    // Answered late: no longer in the overdue list, but still marked late.
    expect((await ua.post(`/api/opinions/${late}/reply`, { reply: '迟到的答复' })).status).toBe(200);
    expect(await overdue(c)).toEqual([]);
    expect((await c.get(`/api/opinions/${late}`)).body.overdue).toBe(true);
  });
});

describe.each(targets())('sorting help: suggested category and near-duplicates on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target);
  });
  afterAll(async () => s?.close());

  it('suggests a category learnt from sorted opinions, and finds near-duplicates', async () => {
    const office = await s.as('office');
    const M = marker();
    const sorted: [string, string][] = [
      ['lawyer_management', '律师收费不透明，希望公开律师事务所收费标准'],
      ['lawyer_management', '有的律师接案后不与当事人沟通，律师执业要规范'],
      ['lawyer_management', '律师事务所乱收费，律师代理费远超标准'],
      ['lawyer_management', '律师充当司法掮客，请加强律师队伍管理'],
      ['lawyer_management', '希望律师协会公开投诉律师的处理结果'],
      ['notary_service', '公证处办理公证要跑好几趟，材料太多'],
      ['notary_service', '公证费用偏高，希望公证处公开收费'],
      ['notary_service', '希望公证处周末也能办理公证业务'],
      ['notary_service', '办理出国公证等待时间太长'],
      ['people_mediation', '人民调解员调解邻里纠纷很耐心'],
      ['people_mediation', '村里的调解委员会形同虚设，纠纷调解不及时'],
      ['people_mediation', '调解协议履行缺少回访，矛盾纠纷又反复'],
      ['people_mediation', '希望多培训人民调解员，提高调解能力'],
      ['community_correction', '社区矫正对象报到手续繁琐'],
      ['community_correction', '社区矫正人员脱管漏管要严查'],
    ];
    // Entered unsorted, then sorted by staff: the classifier learns from what staff have sorted,
    // and starts suggesting as soon as there is enough of it (no stale "nothing to suggest").
    for (const [category, content] of sorted) {
      const r = await office.post('/api/opinions', { channel: 'hotline', content: `${content}。${M}`, identity: 'anonymous' });
      expect(r.status).toBe(201);
      expect((await office.post(`/api/opinions/${r.body.id}/categorize`, { category })).status).toBe(200);
    }
    const text = '律师代理费太高，律师收费应当规范，律师事务所要公开收费标准';
    const r = await office.post('/api/opinions', { channel: 'window_card', content: text, identity: 'anonymous' });
    expect(r.status).toBe(201);
    const item = (await office.get('/api/opinions?category=none&pageSize=200')).body.items.find((i: any) => i.id === r.body.id);
    expect(item.suggestedCategory).toBe('lawyer_management');
    expect(item.suggestedConfidence).toBeGreaterThan(0);
    expect(item.suggestedConfidence).toBeLessThanOrEqual(1);
    const d = await office.get(`/api/opinions/${r.body.id}`);
    expect(d.body.suggestion.category).toBe('lawyer_management');
    expect(d.body.suggestion.ranking[0].category).toBe('lawyer_management');
    expect(d.body.suggestion.ranking.length).toBeGreaterThan(1);
    for (const x of d.body.suggestion.ranking) {
      expect(x.p).toBeGreaterThan(0);
      expect(x.p).toBeLessThanOrEqual(1);
    }

    // Near-duplicates: the same text with one more sentence. Fixed texts (no random marker), so the
    // distances are the same on every run: 5 bits here, 8 between the two longer variants.
    const base = '建议公证处延长周末办理时间，方便上班族办理公证业务，现在工作日去排队太难请假，每次都要等一两个小时。';
    const one = (await office.post('/api/opinions', { channel: 'hotline', content: base, identity: 'anonymous' })).body.id;
    const two = (await office.post('/api/opinions', { channel: 'window_card', content: `${base}另外希望增加网上预约。`, identity: 'anonymous' })).body.id;
    const dd = await office.get(`/api/opinions/${two}`);
    const dup = dd.body.duplicates.find((x: any) => x.id === one);
    expect(dup).toBeTruthy();
    expect(dup.distance).toBe(5);
    expect(dd.body.duplicates.some((x: any) => x.id === two)).toBe(false);
    const unrelated = (await office.post('/api/opinions', { channel: 'hotline', content: '社区矫正对象外出请假审批太慢，希望简化流程。', identity: 'anonymous' })).body.id;
    expect(dd.body.duplicates.some((x: any) => x.id === unrelated)).toBe(false);

    const sim = await office.post('/api/opinions/similar', { content: `${base}请尽快改进。` });
    expect(sim.status).toBe(200);
    expect(sim.body.items.map((x: any) => x.id)).toEqual(expect.arrayContaining([one, two]));
    expect(sim.body.items.find((x: any) => x.id === one).distance).toBe(5);
    expect(sim.body.items.find((x: any) => x.id === two).distance).toBe(8);
    // Closest first.
    const ds = sim.body.items.map((x: any) => x.distance);
    expect([...ds].sort((a: number, b: number) => a - b)).toEqual(ds);
    expect(sim.body.items.map((x: any) => x.id)).not.toContain(unrelated);
    for (const x of sim.body.items) expect(x.distance).toBeLessThanOrEqual(10);
    const none = await office.post('/api/opinions/similar', { content: '今天天气晴朗适合出游踏青。' });
    expect(none.status).toBe(200);
    expect(none.body.items.map((x: any) => x.id)).not.toContain(one);
    expect((await office.post('/api/opinions/similar', { content: '' })).status).toBe(400);
    // The unit admin's similar list is scoped: nothing here is assigned to 红山区.
    const ua = await s.as('unitadmin');
    const scoped = await ua.post('/api/opinions/similar', { content: base });
    expect(scoped.status).toBe(200);
    expect(scoped.body.items.map((x: any) => x.id)).not.toContain(one);
  });
});

describe.each(targets())('the classifier on an empty database on %s', (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(target, { demo: false });
  });
  afterAll(async () => t?.cleanup());

  it('suggests nothing until a dozen opinions are sorted by staff, then at once', async () => {
    const ctx = systemCtx(t.deps);
    // Entered by staff with a category: confirmed (suggest.ts); a submitter's own choice is not.
    const staff = (await t.deps.db.selectFrom('app_user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
    const text = '律师代理费太高，律师收费应当规范';
    expect(await suggestCategory(ctx, text)).toBeNull();
    const samples: [string, string][] = [
      ['lawyer_management', '律师收费不透明'], ['lawyer_management', '律师执业不规范'], ['lawyer_management', '律师事务所乱收费'],
      ['lawyer_management', '律师队伍管理要加强'], ['notary_service', '公证处排队太久'], ['notary_service', '公证费用偏高'],
      ['notary_service', '公证材料太多'], ['notary_service', '公证窗口太少'], ['people_mediation', '人民调解员很耐心'],
      ['people_mediation', '调解委员会形同虚设'], ['people_mediation', '纠纷调解不及时'],
    ];
    await t.deps.db.transaction().execute(async (trx) => {
      for (const [category, content] of samples) {
        await insertOpinion(trx, ctx, { channel: 'hotline', category, content, identity: 'anonymous', enteredBy: staff });
      }
    });
    // Eleven sorted: still nothing.
    expect(await suggestCategory(ctx, text)).toBeNull();
    // A twelfth whose category its submitter chose online does not count.
    await t.deps.db.transaction().execute(async (trx) => {
      await insertOpinion(trx, ctx, { channel: 'portal', category: 'lawyer_management', content: '律师收费太贵', identity: 'anonymous' });
    });
    expect(await suggestCategory(ctx, text)).toBeNull();
    await t.deps.db.transaction().execute(async (trx) => {
      await insertOpinion(trx, ctx, { channel: 'hotline', category: 'lawyer_management', content: '律师会见难', identity: 'anonymous', enteredBy: staff });
    });
    // The twelfth: suggestions start straight away, not after a cache interval.
    const p = await suggestCategory(ctx, text);
    expect(p?.category).toBe('lawyer_management');
    expect(p!.confidence).toBeGreaterThan(0);
    expect(p!.confidence).toBeLessThanOrEqual(1);
  });
});
