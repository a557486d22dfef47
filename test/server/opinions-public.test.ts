import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { readableText, startServer, type Client, type TestServer } from '../support/http.js';
import { createTestDb, movableClock, targets, type TestDb } from '../support/db.js';
import { runCli, startChildServer, type ChildServer } from '../support/child.js';
import { loadConfig } from '../../src/server/config.js';
import { newReceiptCode } from '../../src/server/modules/opinions/receipt.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { badRequest } from '../../src/server/platform/errors.js';
import { verifyAuditChain } from '../../src/server/platform/audit.js';
import { groupCommitStats, runGrouped } from '../../src/server/platform/group-commit.js';
import { fileForm as form, png } from '../support/files.js';

// 开门纳谏, the public side: submit, follow by receipt code, rate — and every way of getting it
// wrong answering a clear 4xx that leaves nothing behind. Real HTTP, real databases.

const CODE_RE = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// ---- helpers ----
type Counts = Record<'opinion' | 'opinion_event' | 'attachment' | 'audit_log', number>;
async function counts(s: TestServer): Promise<Counts> {
  const n = async (t: keyof Counts) =>
    Number((await s.deps.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { opinion: await n('opinion'), opinion_event: await n('opinion_event'), attachment: await n('attachment'), audit_log: await n('audit_log') };
}

let seq = 0;
/** A text nobody else wrote: the server refuses the same text twice from one address. */
function text(topic = '公证处办理业务等待时间太长，希望增加窗口') {
  seq += 1;
  return `${topic}（群众来信第${seq}号，编号${crypto.randomBytes(3).toString('hex')}）`;
}

function anon(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { category: 'notary_service', content: text(), identity: 'anonymous', ...extra };
}

async function opinionId(s: TestServer, publicNo: string) {
  const r = await s.deps.db.selectFrom('opinion').select('id').where('public_no', '=', publicNo).executeTakeFirstOrThrow();
  return r.id;
}

async function unitId(s: TestServer, code: string) {
  return (await s.deps.db.selectFrom('org_unit').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

/** Solves an ALTCHA v1 challenge the way the browser widget does. */
function solve(ch: { algorithm: string; challenge: string; maxnumber: number; salt: string; signature: string }, tamper = 0) {
  for (let n = 0; n <= ch.maxnumber; n++) {
    if (crypto.createHash('sha256').update(ch.salt + n).digest('hex') === ch.challenge) {
      const payload = { algorithm: ch.algorithm, challenge: ch.challenge, number: n + tamper, salt: ch.salt, signature: ch.signature };
      return Buffer.from(JSON.stringify(payload)).toString('base64');
    }
  }
  throw new Error('challenge not solvable');
}

describe('receipt codes', () => {
  it('are 16 symbols of a 32-symbol alphabet (80 bits), unique and evenly spread', () => {
    const codes = Array.from({ length: 2000 }, () => newReceiptCode());
    for (const c of codes) expect(c).toMatch(CODE_RE);
    expect(new Set(codes).size).toBe(codes.length);
    // 16 symbols × log2(32) = 80 bits ≥ 60.
    expect(16 * Math.log2(ALPHABET.length)).toBeGreaterThanOrEqual(60);
    const freq = new Map<string, number>();
    for (const c of codes) for (const ch of c.replace(/-/g, '')) freq.set(ch, (freq.get(ch) ?? 0) + 1);
    expect([...freq.keys()].sort().join('')).toBe(ALPHABET);
    // Chi-square against uniform: 31 degrees of freedom; 80 is far out in the tail (p < 1e-5).
    const expected = (codes.length * 16) / 32;
    const chi2 = [...freq.values()].reduce((a, o) => a + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(80);
  });

  it('the limit is on unless turned off', () => {
    const c = loadConfig({ DATABASE_URL: '/tmp/x.db' });
    expect(c.publicRateLimit).toBeGreaterThan(0);
    expect(c.publicChallenge).toBe(true);
  });
});

describe.each(targets())('public opinions on %s', (target) => {
  let s: TestServer;
  let pub: Client;
  let office: Client;
  let unitadmin: Client;
  let hsq: string;

  beforeAll(async () => {
    // Many submissions from one address in this file: the hourly limit has its own servers below.
    s = await startServer(target, { env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' } });
    pub = s.client();
    office = await s.as('office');
    unitadmin = await s.as('unitadmin');
    hsq = await unitId(s, 'HSQ');
  });
  afterAll(async () => s?.close());

  /** Office assigns to 红山区司法局; the unit's admin replies. */
  async function assignAndReply(id: string, reply = '已协调增加窗口，周末也可办理') {
    const a = await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 5 });
    expect(a.status).toBe(200);
    const r = await unitadmin.post(`/api/opinions/${id}/reply`, { reply });
    expect(r.status).toBe(200);
  }

  it('meta: categories, limits, and no challenge on this server', async () => {
    const r = await pub.get('/api/public/meta');
    expect(r.status).toBe(200);
    expect(r.body.challenge).toBe(false);
    expect(r.body.categories).toHaveLength(12);
    expect(r.body.categories.map((c: any) => c.code)).toContain('notary_service');
    expect(r.body.limits).toMatchObject({ maxContent: 2000, maxFiles: 3, maxFileBytes: 5 * 1024 * 1024 });
  });

  it('anonymous submission answers a receipt code; the code follows it', async () => {
    const before = await counts(s);
    const r = await pub.post('/api/public/opinions', anon({ category: 'unsure' }));
    expect(r.status).toBe(201);
    expect(r.body.receiptCode).toMatch(CODE_RE);
    expect(r.body.publicNo).toMatch(/^YJ\d{8}[0-9A-Z]{5}$/);
    expect(r.body.duplicate).toBe(false);
    const after = await counts(s);
    expect(after.opinion).toBe(before.opinion + 1);
    expect(after.audit_log).toBe(before.audit_log + 1);
    const audit = await s.deps.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'submit', entity_type: 'opinion' });

    const code: string = r.body.receiptCode;
    const g = await pub.get(`/api/public/opinions/${code}`);
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({ publicNo: r.body.publicNo, status: 'received', identity: 'anonymous', reply: null, canRate: false, merged: null });
    expect(g.body.category).toBeNull(); // "not sure"
    expect(g.body.history[0].text).toContain('已收到');
    expect(g.headers.get('cache-control')).toBe('no-store');
    // What people type: lower case, no dashes, spaces.
    for (const variant of [code.toLowerCase(), code.replace(/-/g, ''), code.replace(/-/g, ' ')]) {
      const v = await pub.get(`/api/public/opinions/${encodeURIComponent(variant)}`);
      expect(v.status, variant).toBe(200);
      expect(v.body.publicNo).toBe(r.body.publicNo);
    }
    // The code is not kept in clear.
    const row = await s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', r.body.publicNo).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(code);
    expect(JSON.stringify(row)).not.toContain(code.replace(/-/g, ''));
  });

  it('a forged, unknown or malformed code answers 4xx, never 500', async () => {
    let forged = newReceiptCode();
    const r = await pub.get(`/api/public/opinions/${forged}`);
    expect(r.status).toBe(404);
    expect(r.body.message).toContain('查询码不存在');
    for (const bad of ['abc', 'x'.repeat(40), 'ZZZZ-ZZZZ-ZZZZ-ZZZ!', '%E4%BD%A0%E5%A5%BD', '1234-5678']) {
      const b = await pub.get(`/api/public/opinions/${bad}`);
      expect([400, 404], bad).toContain(b.status);
      expect(b.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const long = await pub.get(`/api/public/opinions/${'A'.repeat(41)}`);
    expect([400, 404, 414]).toContain(long.status);
    const broken = await pub.get('/api/public/opinions/%E4%BD');
    expect([400, 404]).toContain(broken.status);
    forged = newReceiptCode();
    const rate = await pub.post(`/api/public/opinions/${forged}/rating`, { score: 5 });
    expect(rate.status).toBe(404);
  });

  it('named: name and phone are encrypted at rest and never shown on the public page', async () => {
    const name = '乌兰其其格';
    const phone = '13904761234';
    const r = await pub.post('/api/public/opinions', {
      category: 'lawyer_management', content: text('律师收费不透明，希望公开收费标准'), identity: 'named', name, phone, wantsContact: true,
    });
    expect(r.status).toBe(201);
    const row = await s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', r.body.publicNo).executeTakeFirstOrThrow();
    const rowText = JSON.stringify(row);
    for (const secret of [name, phone, phone.slice(-8)]) expect(rowText).not.toContain(secret);
    expect(row.submitter_name_enc).toBeTruthy();
    expect(row.submitter_phone_enc).toBeTruthy();
    expect(row.wants_contact).toBe(1);
    // Nor in the audit trail or the event history.
    const audits = await s.deps.db.selectFrom('audit_log').selectAll().where('entity_id', '=', row.id).execute();
    const events = await s.deps.db.selectFrom('opinion_event').selectAll().where('opinion_id', '=', row.id).execute();
    for (const secret of [name, phone]) {
      expect(JSON.stringify(audits)).not.toContain(secret);
      expect(JSON.stringify(events)).not.toContain(secret);
    }
    const g = await pub.get(`/api/public/opinions/${r.body.receiptCode}`);
    expect(g.status).toBe(200);
    expect(g.body.identity).toBe('named');
    for (const secret of [name, phone, '1390476', '1234']) expect(g.text).not.toContain(secret);
    // Staff with opinions:identity can read it back: the sealed values are the real ones.
    const idn = await office.get(`/api/opinions/${row.id}/identity`);
    expect(idn.status).toBe(200);
    expect(idn.body).toMatchObject({ name, phone, wantsContact: true });
  });

  it('a place may be given; an anonymous submission keeps no name or phone even when sent', async () => {
    const r = await pub.post('/api/public/opinions', anon({ location: { text: '红山区长青街公证处', lat: 42.27, lon: 118.95 }, name: '王五', phone: '13800000000' }));
    expect(r.status).toBe(201);
    const row = await s.deps.db.selectFrom('opinion').selectAll().where('public_no', '=', r.body.publicNo).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ location_text: '红山区长青街公证处', lat: 42.27, lon: 118.95, submitter_name_enc: null, submitter_phone_enc: null, wants_contact: 0 });
    const d = await office.get(`/api/opinions/${row.id}`);
    expect(d.body.location).toEqual({ text: '红山区长青街公证处', lat: 42.27, lon: 118.95 });
    expect(d.body.submitter).toBeUndefined();
    expect((await office.get(`/api/opinions/${row.id}/identity`)).status).toBe(404);
    const bad = await pub.post('/api/public/opinions', anon({ location: { lat: 91 } }));
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('location.lat');
    expect(bad.body.message).toContain('纬度');
  });

  describe('bad input: a clear 4xx naming the field, nothing written', () => {
    const cases: [string, () => Record<string, unknown>, number, string | undefined, RegExp][] = [
      ['content 2001 characters', () => anon({ content: '公'.repeat(2001) }), 400, 'content', /意见内容.*2000/],
      ['content 4 characters', () => anon({ content: '太慢了吧' }), 400, 'content', /意见内容.*5/],
      ['content only spaces', () => anon({ content: '          ' }), 400, 'content', /意见内容/],
      ['content missing', () => ({ category: 'notary_service', identity: 'anonymous' }), 400, 'content', /意见内容.*不能为空/],
      ['identity missing', () => ({ content: text() }), 400, 'identity', /提交方式/],
      ['identity unknown', () => anon({ identity: 'secret' }), 400, 'identity', /提交方式/],
      ['named without phone', () => anon({ identity: 'named', name: '张三' }), 400, 'phone', /电话/],
      ['named without name', () => anon({ identity: 'named', phone: '13904761234' }), 400, 'name', /姓名/],
      ['bad phone 123', () => anon({ identity: 'named', name: '张三', phone: '123' }), 400, 'phone', /联系电话/],
      ['bad phone letters', () => anon({ identity: 'named', name: '张三', phone: '1390476abcd' }), 400, 'phone', /联系电话/],
      ['unknown category', () => anon({ category: 'space_travel' }), 400, 'category', /类别/],
      ['more than 3 attachments', () => anon({ attachments: [1, 2, 3, 4].map((i) => ({ id: `f${i}`, token: 't' })) }), 400, 'attachments', /附件.*3/],
      ['clientRequestId not a uuid', () => anon({ clientRequestId: 'abc' }), 400, 'clientRequestId', /请求编号/],
      ['wantsContact not a boolean', () => anon({ wantsContact: 'yes' }), 400, 'wantsContact', /希望联系/],
    ];
    it.each(cases)('%s', async (_label, body, status, field, message) => {
      const before = await counts(s);
      const r = await pub.post('/api/public/opinions', body());
      expect(r.status).toBe(status);
      if (field) expect(r.body.field).toBe(field);
      expect(r.body.message).toMatch(message);
      expect(r.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      expect(await counts(s)).toEqual(before);
    });

    it('not JSON at all', async () => {
      const before = await counts(s);
      const r = await pub.request('POST', '/api/public/opinions', undefined, { 'content-type': 'application/json' });
      expect(r.status).toBe(400);
      const r2 = await fetch(`${s.url}/api/public/opinions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"content":' });
      expect(r2.status).toBe(400);
      expect(((await r2.json()) as any).message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await counts(s)).toEqual(before);
    });

    it('the honeypot filled: refused, nothing written', async () => {
      const before = await counts(s);
      const r = await pub.post('/api/public/opinions', anon({ website: 'http://spam.example' }));
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await counts(s)).toEqual(before);
    });

    it('a text file named .jpg → 415, nothing stored', async () => {
      const before = await counts(s);
      const r = await pub.post('/api/public/files', form(Buffer.from('这不是图片，只是一段文字。'.repeat(20)), 'photo.jpg'));
      expect(r.status).toBe(415);
      expect(r.body.field).toBe('file');
      expect(r.body.message).toMatch(/文件/);
      expect(await counts(s)).toEqual(before);
    });

    it('a file type staff may upload but the public may not (an MP3) → 415', async () => {
      const before = await counts(s);
      // An MPEG audio frame header repeated: file-type reads it as audio/mpeg.
      const frame = Buffer.alloc(417);
      frame.set([0xff, 0xfb, 0x90, 0x64]);
      const r = await pub.post('/api/public/files', form(Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00', 'latin1'), frame, frame, frame]), 'a.jpg'));
      expect(r.status).toBe(415);
      expect(await counts(s)).toEqual(before);
    });

    it('a file over 5 MB → 413, nothing stored; exactly 5 MB is accepted', async () => {
      const before = await counts(s);
      const big = Buffer.concat([png(1, 2, 3), Buffer.alloc(5 * 1024 * 1024)]);
      const r = await pub.post('/api/public/files', form(big, 'big.png'));
      expect(r.status).toBe(413);
      expect(r.body.message).toMatch(/大小/);
      expect(r.body.field).toBe('file');
      // Far over the limit (but under the staff limit of 20 MB): still a clean 413.
      const huge = await pub.post('/api/public/files', form(Buffer.concat([png(1, 2, 3), Buffer.alloc(12 * 1024 * 1024)]), 'huge.png'));
      expect(huge.status).toBe(413);
      expect(await counts(s)).toEqual(before);
      // Exactly at the limit is fine.
      const exact = Buffer.concat([png(3, 2, 1), Buffer.alloc(5 * 1024 * 1024 - png(3, 2, 1).length)]);
      expect(exact.length).toBe(5 * 1024 * 1024);
      const atLimit = await pub.post('/api/public/files', form(exact, 'exact.png'));
      expect(atLimit.status).toBe(201);
      expect(atLimit.body.size).toBe(5 * 1024 * 1024);
      expect((await counts(s)).attachment).toBe(before.attachment + 1);
    });

    it('an upload that is not multipart, or has no file → 400', async () => {
      const r = await pub.post('/api/public/files', { file: 'x' });
      expect([400, 415]).toContain(r.status);
      const empty = new FormData();
      empty.append('note', 'x');
      const r2 = await pub.post('/api/public/files', empty);
      expect(r2.status).toBe(400);
      expect(r2.body.field).toBe('file');
    });

    it('an attachment with a forged token → 400 attachments, nothing written (the upload stays unattached)', async () => {
      const up = await pub.post('/api/public/files', form(png(9, 9, 9), '照片.png'));
      expect(up.status).toBe(201);
      const before = await counts(s);
      const forgedToken = up.body.token.replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
      const r = await pub.post('/api/public/opinions', anon({ attachments: [{ id: up.body.id, token: forgedToken }] }));
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('attachments');
      expect(r.body.message).toMatch(/附件/);
      expect(await counts(s)).toEqual(before);
      const att = await s.deps.db.selectFrom('attachment').selectAll().where('id', '=', up.body.id).executeTakeFirstOrThrow();
      expect(att.owner_id).toBeNull();
      // Someone else's token for another id does not fit either.
      const other = await pub.post('/api/public/files', form(png(8, 8, 8), '照片2.png'));
      const r2 = await pub.post('/api/public/opinions', anon({ attachments: [{ id: up.body.id, token: other.body.token }] }));
      expect(r2.status).toBe(400);
      expect(r2.body.field).toBe('attachments');
      // A staff upload cannot be pulled in with a made-up token.
      const staffFile = await office.post('/api/files', form(png(7, 7, 7), 'staff.png'));
      expect(staffFile.status).toBe(201);
      const r3 = await pub.post('/api/public/opinions', anon({ attachments: [{ id: staffFile.body.id, token: up.body.token }] }));
      expect(r3.status).toBe(400);
    });
  });

  it('a retry with the same clientRequestId answers the same code; the same text again is refused', async () => {
    const body = anon({ clientRequestId: crypto.randomUUID() });
    const first = await pub.post('/api/public/opinions', body);
    expect(first.status).toBe(201);
    const before = await counts(s);
    const again = await pub.post('/api/public/opinions', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, receiptCode: first.body.receiptCode, publicNo: first.body.publicNo });
    const { clientRequestId: _drop, ...plain } = body;
    const same = await pub.post('/api/public/opinions', plain);
    expect(same.status).toBe(409);
    expect(same.body.field).toBe('content');
    expect(same.body.message).toContain('查询码');
    // Trivially different copies (full-width, spaces, punctuation) are the same text.
    const widened = String(body.content).replace(/（/g, '(').replace(/，/g, ' , ') + '  ';
    const same2 = await pub.post('/api/public/opinions', { ...plain, content: widened, clientRequestId: crypto.randomUUID() });
    expect(same2.status).toBe(409);
    expect(await counts(s)).toEqual(before);
  });

  it('retries racing each other (a slow first answer, the client tries again) still file one opinion', async () => {
    const body = anon({ clientRequestId: crypto.randomUUID() });
    const before = await counts(s);
    const rs = await Promise.all(Array.from({ length: 5 }, () => s.client().post('/api/public/opinions', body)));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(rs.map((r) => r.body.receiptCode)).size).toBe(1);
    expect((await counts(s)).opinion).toBe(before.opinion + 1);
    // The same text raced without a request id: one filed, the others told it is a repeat.
    const { clientRequestId: _x, ...plain } = anon();
    const rs2 = await Promise.all(Array.from({ length: 5 }, () => s.client().post('/api/public/opinions', plain)));
    expect(rs2.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await counts(s)).opinion).toBe(before.opinion + 2);
  });

  it('the limit turned off (0): ten submissions in a row are all accepted', async () => {
    expect(s.config.publicRateLimit).toBe(0);
    for (let i = 0; i < 10; i++) {
      const r = await pub.post('/api/public/opinions', anon());
      expect(r.status).toBe(201);
    }
  });

  it('upload a real PNG and attach it; staff see it; it cannot be attached twice', async () => {
    const up = await pub.post('/api/public/files', form(png(200, 10, 10), '窗口照片.png'));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ mime: 'image/png', name: '窗口照片.png' });
    expect(up.body.id).toBeTruthy();
    expect(up.body.token).toBeTruthy();
    const r = await pub.post('/api/public/opinions', anon({ attachments: [{ id: up.body.id, token: up.body.token }] }));
    expect(r.status).toBe(201);
    const id = await opinionId(s, r.body.publicNo);
    const d = await office.get(`/api/opinions/${id}`);
    expect(d.status).toBe(200);
    expect(d.body.attachments).toEqual([{ id: up.body.id, name: '窗口照片.png', mime: 'image/png', size: up.body.size }]);
    const file = await office.get(`/api/files/${up.body.id}`);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body, png(200, 10, 10))).toBe(0);

    const before = await counts(s);
    const second = await pub.post('/api/public/opinions', anon({ attachments: [{ id: up.body.id, token: up.body.token }] }));
    expect(second.status).toBe(400);
    expect(second.body.field).toBe('attachments');
    expect(await counts(s)).toEqual(before);
    // The same file twice in one submission is refused too.
    const up2 = await pub.post('/api/public/files', form(png(1, 200, 10), 'b.png'));
    const twice = await pub.post('/api/public/opinions', anon({ attachments: [up2.body, up2.body].map((u: any) => ({ id: u.id, token: u.token })) }));
    expect(twice.status).toBe(400);
    expect(await counts(s)).toMatchObject({ opinion: before.opinion });
  });

  it('rating: only after a reply, once, 1 to 5', async () => {
    const r = await pub.post('/api/public/opinions', anon());
    const code: string = r.body.receiptCode;
    const early = await pub.post(`/api/public/opinions/${code}/rating`, { score: 5 });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('答复后');

    const id = await opinionId(s, r.body.publicNo);
    await office.post(`/api/opinions/${id}/assign`, { unitId: hsq, workdays: 5 });
    const assigned = await pub.get(`/api/public/opinions/${code}`);
    expect(assigned.body).toMatchObject({ status: 'assigned', unitName: '红山区司法局', canRate: false });
    expect(assigned.body.deadlineAt).toBeTruthy();
    const stillEarly = await pub.post(`/api/public/opinions/${code}/rating`, { score: 5 });
    expect(stillEarly.status).toBe(409);

    const reply = await unitadmin.post(`/api/opinions/${id}/reply`, { reply: '已在红山区公证处增设周末窗口' });
    expect(reply.status).toBe(200);
    const g = await pub.get(`/api/public/opinions/${code}`);
    expect(g.body).toMatchObject({ status: 'replied', canRate: true, rating: null });
    expect(g.body.reply.text).toBe('已在红山区公证处增设周末窗口');
    // No staff names in the public history.
    const staffName = (await s.deps.db.selectFrom('app_user').select('display_name').where('username', '=', 'unitadmin').executeTakeFirstOrThrow()).display_name;
    expect(g.text).not.toContain(staffName);

    for (const score of [0, 6, 2.5, '5']) {
      const before = await counts(s);
      const bad = await pub.post(`/api/public/opinions/${code}/rating`, { score });
      expect(bad.status, String(score)).toBe(400);
      expect(bad.body.field).toBe('score');
      expect(bad.body.message).toContain('评分');
      expect(await counts(s)).toEqual(before);
    }
    const ok = await pub.post(`/api/public/opinions/${code}/rating`, { score: 5, comment: '办得快' });
    expect(ok.status).toBe(200);
    const before = await counts(s);
    const twice = await pub.post(`/api/public/opinions/${code}/rating`, { score: 1 });
    expect(twice.status).toBe(409);
    expect(await counts(s)).toEqual(before);
    const after = await pub.get(`/api/public/opinions/${code}`);
    expect(after.body.rating).toMatchObject({ score: 5, comment: '办得快' });
    expect(after.body.canRate).toBe(false);
    expect(after.body.history.map((h: any) => h.kind)).toEqual(['submitted', 'assigned', 'replied', 'rated']);
  });

  it('merged: the public follows the surviving opinion and rates once it is answered', async () => {
    const a = await pub.post('/api/public/opinions', anon({ content: text('社区矫正对象报到手续繁琐') }));
    const b = await pub.post('/api/public/opinions', anon({ content: text('社区矫正报到手续太繁琐了') }));
    const aId = await opinionId(s, a.body.publicNo);
    const bId = await opinionId(s, b.body.publicNo);
    const m = await office.post(`/api/opinions/${aId}/merge`, { intoId: bId });
    expect(m.status).toBe(200);
    const ga = await pub.get(`/api/public/opinions/${a.body.receiptCode}`);
    expect(ga.body.merged).toMatchObject({ publicNo: b.body.publicNo });
    expect(ga.body.publicNo).toBe(a.body.publicNo);
    expect(ga.body.history.some((h: any) => h.kind === 'merged' && h.text.includes(b.body.publicNo))).toBe(true);
    expect((await pub.post(`/api/public/opinions/${a.body.receiptCode}/rating`, { score: 4 })).status).toBe(409);

    await assignAndReply(bId, '已简化社区矫正报到手续');
    const ga2 = await pub.get(`/api/public/opinions/${a.body.receiptCode}`);
    expect(ga2.body).toMatchObject({ status: 'replied', canRate: true, unitName: '红山区司法局' });
    expect(ga2.body.reply.text).toBe('已简化社区矫正报到手续');
    // B's own "received" line is not A's history.
    expect(ga2.body.history.filter((h: any) => h.kind === 'submitted')).toHaveLength(1);
    const rate = await pub.post(`/api/public/opinions/${a.body.receiptCode}/rating`, { score: 4 });
    expect(rate.status).toBe(200);
    expect((await pub.post(`/api/public/opinions/${a.body.receiptCode}/rating`, { score: 4 })).status).toBe(409);
    // B is rated on its own; each page shows its own submitter's rating only.
    expect((await pub.post(`/api/public/opinions/${b.body.receiptCode}/rating`, { score: 3 })).status).toBe(200);
    const ga3 = await pub.get(`/api/public/opinions/${a.body.receiptCode}`);
    expect(ga3.body.rating.score).toBe(4);
    expect(ga3.body.history.filter((h: any) => h.kind === 'rated').map((h: any) => h.text)).toEqual(['群众评价：4 星']);
    const gb = await pub.get(`/api/public/opinions/${b.body.receiptCode}`);
    expect(gb.body.rating.score).toBe(3);
    expect(gb.body.history.filter((h: any) => h.kind === 'rated').map((h: any) => h.text)).toEqual(['群众评价：3 星']);
    // B's page does not show that another opinion was merged into it (nothing about other people).
    expect(gb.text).not.toContain(a.body.publicNo);
  });

  it('merged into a named opinion: a neutral statement, never the other submitter\'s reply or reason', async () => {
    const phone = '13904761234';
    const personal = `张先生，您反映的公证收费问题已核实，退还多收费用，请致电 ${phone} 联系办理`;
    const a = await pub.post('/api/public/opinions', anon({ content: text('公证收费标准不透明多收费') }));
    const b = await pub.post('/api/public/opinions', anon({ content: text('公证处多收我的公证费用'), identity: 'named', name: '张三丰', phone }));
    expect(b.status).toBe(201);
    const aId = await opinionId(s, a.body.publicNo);
    const bId = await opinionId(s, b.body.publicNo);
    expect((await office.post(`/api/opinions/${aId}/merge`, { intoId: bId })).status).toBe(200);
    await assignAndReply(bId, personal);
    const ga = await pub.get(`/api/public/opinions/${a.body.receiptCode}`);
    expect(ga.status).toBe(200);
    expect(ga.body).toMatchObject({ status: 'replied', reply: null, canRate: true, merged: { publicNo: b.body.publicNo } });
    expect(ga.body.merged.note).toContain('不公开');
    for (const secret of [personal, phone, '张先生', '张三丰']) expect(ga.text).not.toContain(secret);
    // The last four digits in anything readable (the receipt code and public number are random and may hold them).
    expect(readableText(ga.body)).not.toContain(phone.slice(-4));
    // The handling of one's own matter may still be rated; the rating shows nothing of B.
    expect((await pub.post(`/api/public/opinions/${a.body.receiptCode}/rating`, { score: 3 })).status).toBe(200);
    const rated = await pub.get(`/api/public/opinions/${a.body.receiptCode}`);
    for (const secret of [personal, phone, '张三丰']) expect(rated.text).not.toContain(secret);
    // B's own submitter still reads their own reply.
    const gb = await pub.get(`/api/public/opinions/${b.body.receiptCode}`);
    expect(gb.body.reply.text).toBe(personal);

    // And a rejection's reason stays with its own submitter too.
    const c = await pub.post('/api/public/opinions', anon({ content: text('司法所调解员态度不好') }));
    const d = await pub.post('/api/public/opinions', anon({ content: text('司法所调解员态度很差'), identity: 'named', name: '李四', phone: '13904765678' }));
    const cId = await opinionId(s, c.body.publicNo);
    const dId = await opinionId(s, d.body.publicNo);
    expect((await office.post(`/api/opinions/${cId}/merge`, { intoId: dId })).status).toBe(200);
    const reason = '李四同志反映的调解员系其亲属，已告知回避规定，电话13904765678';
    expect((await office.post(`/api/opinions/${dId}/reject`, { reason })).status).toBe(200);
    const gc = await pub.get(`/api/public/opinions/${c.body.receiptCode}`);
    expect(gc.body).toMatchObject({ status: 'rejected', rejectReason: null });
    expect(gc.text).not.toContain('李四');
    expect(gc.text).not.toContain('13904765678');
  });

  it('a rejected opinion shows its reason and cannot be rated', async () => {
    const r = await pub.post('/api/public/opinions', anon({ content: text('与司法行政无关的物业纠纷') }));
    const id = await opinionId(s, r.body.publicNo);
    expect((await office.post(`/api/opinions/${id}/reject`, { reason: '不属于司法行政职责范围' })).status).toBe(200);
    const g = await pub.get(`/api/public/opinions/${r.body.receiptCode}`);
    expect(g.body).toMatchObject({ status: 'rejected', rejectReason: '不属于司法行政职责范围', canRate: false });
    expect((await pub.post(`/api/public/opinions/${r.body.receiptCode}/rating`, { score: 1 })).status).toBe(409);
  });
});

describe.each(targets())('public hourly limit on %s', (target) => {
  let s: TestServer;
  const clock = movableClock(new Date('2026-11-27T02:10:00Z'));
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_RATE_LIMIT: '3' }, now: clock });
  });
  afterAll(async () => s?.close());

  it('refuses the 4th submission in the hour from one address, and accepts again the next hour', async () => {
    const pub = s.client();
    const retried = anon({ clientRequestId: crypto.randomUUID() });
    for (let i = 0; i < 3; i++) {
      const r = await pub.post('/api/public/opinions', i === 0 ? retried : anon());
      expect(r.status).toBe(201);
    }
    const before = await counts(s);
    const fourth = await pub.post('/api/public/opinions', anon());
    expect(fourth.status).toBe(429);
    expect(fourth.body.message).toMatch(/频繁.*3/);
    expect(await counts(s)).toEqual(before);
    // Still refused a minute later, within the same hour.
    clock.advance(60_000);
    expect((await pub.post('/api/public/opinions', anon())).status).toBe(429);
    expect(await counts(s)).toEqual(before);
    // A retry of an accepted submission (weak network) is no new submission: answered, not refused.
    const retry = await pub.post('/api/public/opinions', retried);
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(true);
    expect(await counts(s)).toEqual(before);
    // The next hour it is accepted again.
    clock.advance(60 * 60_000);
    const ok = await pub.post('/api/public/opinions', anon());
    expect(ok.status).toBe(201);
    expect((await counts(s)).opinion).toBe(before.opinion + 1);
  });

  it('counts file uploads too (three per allowed submission)', async () => {
    clock.advance(2 * 60 * 60_000);
    const pub = s.client();
    for (let i = 0; i < 9; i++) {
      const r = await pub.post('/api/public/files', form(png(i, 1, 1), `p${i}.png`));
      expect(r.status).toBe(201);
    }
    const before = await counts(s);
    const r = await pub.post('/api/public/files', form(png(99, 1, 1), 'p.png'));
    expect(r.status).toBe(429);
    expect(await counts(s)).toEqual(before);
  });
});

describe.each(targets())('public proof-of-work challenge on %s', (target) => {
  let s: TestServer;
  const clock = movableClock(new Date('2026-11-27T03:00:00Z'));
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_CHALLENGE: '1', RECTIFY_PUBLIC_RATE_LIMIT: '0' }, now: clock });
  });
  afterAll(async () => s?.close());

  async function challenge() {
    const r = await s.client().get('/api/public/challenge');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({ algorithm: 'SHA-256' });
    expect(r.body.maxnumber).toBeGreaterThan(0);
    return r.body;
  }

  it('meta says the challenge is on', async () => {
    expect((await s.client().get('/api/public/meta')).body.challenge).toBe(true);
  });

  it('refuses a missing, wrong, malformed, replayed or expired proof; accepts a solved one', async () => {
    const pub = s.client();
    const before = await counts(s);
    const missing = await pub.post('/api/public/opinions', anon());
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'CHALLENGE', field: 'altcha' });
    expect(missing.body.message).toContain('人机验证');

    const ch = await challenge();
    const wrong = await pub.post('/api/public/opinions', anon({ altcha: solve(ch, 1) }));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'CHALLENGE', field: 'altcha' });

    // Garbage of every shape: a 400, never a 500.
    const garbage = [
      'not base64 at all!!!',
      Buffer.from('null').toString('base64'),
      Buffer.from('42').toString('base64'),
      Buffer.from('"text"').toString('base64'),
      Buffer.from('[]').toString('base64'),
      Buffer.from(JSON.stringify({ ...ch, number: 1, algorithm: 'MD5' })).toString('base64'),
      Buffer.from(JSON.stringify({ ...ch, number: 1, algorithm: 'SHA-512' })).toString('base64'),
      Buffer.from(JSON.stringify({ algorithm: 'SHA-256' })).toString('base64'),
      Buffer.from(JSON.stringify({ ...ch, salt: 42, number: 1 })).toString('base64'),
    ];
    for (const altcha of garbage) {
      const g = await pub.post('/api/public/opinions', anon({ altcha }));
      expect(g.status, altcha).toBe(400);
      expect(g.body.field).toBe('altcha');
    }
    // A forged challenge (solved, but not signed by the server).
    const salt = `${crypto.randomBytes(12).toString('hex')}?expires=${Math.floor(clock().getTime() / 1000) + 600}&`;
    const forged = { algorithm: 'SHA-256', challenge: crypto.createHash('sha256').update(`${salt}7`).digest('hex'), maxnumber: 10, salt, signature: 'f'.repeat(64) };
    expect((await pub.post('/api/public/opinions', anon({ altcha: solve(forged) }))).status).toBe(400);
    expect(await counts(s)).toEqual(before);

    const solved = solve(ch);
    const ok = await pub.post('/api/public/opinions', anon({ altcha: solved }));
    expect(ok.status).toBe(201);
    expect(ok.body.receiptCode).toMatch(CODE_RE);

    const afterOk = await counts(s);
    const replay = await pub.post('/api/public/opinions', anon({ altcha: solved }));
    expect(replay.status).toBe(400);
    expect(replay.body.field).toBe('altcha');
    expect(await counts(s)).toEqual(afterOk);

    const old = await challenge();
    const oldSolved = solve(old);
    clock.advance(11 * 60_000);
    const expired = await pub.post('/api/public/opinions', anon({ altcha: oldSolved }));
    expect(expired.status).toBe(400);
    expect(expired.body.field).toBe('altcha');
    expect(await counts(s)).toEqual(afterOk);

    // A fresh one after the wait works.
    const fresh = await pub.post('/api/public/opinions', anon({ altcha: solve(await challenge()) }));
    expect(fresh.status).toBe(201);
  });

  it('one solved proof sent several times at once is spent exactly once', async () => {
    const solved = solve(await challenge());
    const before = await counts(s);
    const rs = await Promise.all(Array.from({ length: 6 }, () => s.client().post('/api/public/opinions', anon({ altcha: solved }))));
    const statuses = rs.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 400, 400, 400, 400, 400]);
    for (const r of rs.filter((x) => x.status === 400)) expect(r.body.field).toBe('altcha');
    expect((await counts(s)).opinion).toBe(before.opinion + 1);
  });

  it('bad input is still named before the proof is checked, and nothing is written', async () => {
    const before = await counts(s);
    const r = await s.client().post('/api/public/opinions', anon({ content: '短', altcha: solve(await challenge()) }));
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('content');
    expect(await counts(s)).toEqual(before);
  });
});

// Group commit (platform/group-commit.ts): submissions arriving together share one transaction and
// one durable commit, each with its own audit entry, answered after the commit.
describe.each(targets())('public submission group commit on %s', (target) => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_RATE_LIMIT: '0' } });
  });
  afterAll(async () => s?.close());

  it('many at once: each answered, each filed once with its own audit entry; the chain holds', async () => {
    const before = await counts(s);
    const batchesBefore = { ...groupCommitStats(s.deps) };
    const bodies = Array.from({ length: 40 }, () => anon({ clientRequestId: crypto.randomUUID() }));
    const rs = await Promise.all(bodies.map((b) => s.client().post('/api/public/opinions', b)));
    expect(rs.map((r) => r.status)).toEqual(bodies.map(() => 201));
    expect(new Set(rs.map((r) => r.body.receiptCode)).size).toBe(40);
    const after = await counts(s);
    expect(after.opinion).toBe(before.opinion + 40);
    expect(after.audit_log).toBe(before.audit_log + 40);
    // All went through the group commit (whether they met in a batch depends on timing: see the
    // failure-handling test below for batches formed on purpose).
    expect(groupCommitStats(s.deps).items - batchesBefore.items).toBe(40);
    // Every receipt code finds its own opinion, and each audit entry names its own.
    for (const [i, r] of rs.entries()) {
      const st = await s.client().get(`/api/public/opinions/${r.body.receiptCode}`);
      expect(st.status).toBe(200);
      expect(st.body.content).toBe(bodies[i]!.content);
    }
    const entries = await s.deps.db.selectFrom('audit_log').select(['entity_id', 'action', 'actor_name']).where('seq', '>', before.audit_log).execute();
    const ids = await s.deps.db.selectFrom('opinion').select('id').where('public_no', 'in', rs.map((r) => r.body.publicNo)).execute();
    expect(entries.map((e) => e.entity_id).sort()).toEqual(ids.map((x) => x.id).sort());
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(['submit']));
    expect((await verifyAuditChain(s.deps.db)).ok).toBe(true);
  });

  it('refusals in the same batch sink only themselves: duplicates, bad categories, forged attachments, retries', async () => {
    const good = Array.from({ length: 12 }, () => anon());
    const retry = anon({ clientRequestId: crypto.randomUUID() });
    const dupe = anon();
    const up = await s.client().post('/api/public/files', form(png(30, 30, 30), 'a.png'));
    expect(up.status).toBe(201);
    const before = await counts(s);
    const rs = await Promise.all([
      ...good.map((b) => s.client().post('/api/public/opinions', b)),
      s.client().post('/api/public/opinions', retry),
      s.client().post('/api/public/opinions', retry),
      s.client().post('/api/public/opinions', dupe),
      s.client().post('/api/public/opinions', dupe),
      s.client().post('/api/public/opinions', anon({ category: 'no_such_category' })),
      s.client().post('/api/public/opinions', anon({ attachments: [{ id: up.body.id, token: 'f'.repeat(64) }] })),
    ]);
    expect(rs.slice(0, 12).map((r) => r.status)).toEqual(good.map(() => 201));
    // The retry: one filed, the other answered with the same code (in the same batch or the next).
    expect([rs[12]!.status, rs[13]!.status].sort()).toEqual([200, 201]);
    expect(rs[12]!.body.receiptCode).toBe(rs[13]!.body.receiptCode);
    // The same text twice from one address: one filed, one refused.
    expect([rs[14]!.status, rs[15]!.status].sort()).toEqual([201, 409]);
    expect(rs[16]!.status).toBe(400);
    expect(rs[16]!.body.field).toBe('category');
    expect(rs[17]!.status).toBe(400);
    expect(rs[17]!.body.field).toBe('attachments');
    const after = await counts(s);
    // 12 good + the retry once + the duplicate once; nothing of the refused ones, not even an audit entry.
    expect(after.opinion).toBe(before.opinion + 14);
    expect(after.audit_log).toBe(before.audit_log + 14);
    expect(after.attachment).toBe(before.attachment);
    const file = await s.deps.db.selectFrom('attachment').select('owner_id').where('id', '=', up.body.id).executeTakeFirstOrThrow();
    expect(file.owner_id).toBeNull();
    expect((await verifyAuditChain(s.deps.db)).ok).toBe(true);
  });
});

describe.each(targets())('group commit failure handling on %s', (target) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(target, { demo: false });
    // A probe table whose foreign key is checked only at COMMIT: a row pointing nowhere makes the
    // whole transaction fail when it commits, as a full disk or a lost connection would.
    await sql`create table gc_probe (id integer primary key, ref integer references gc_probe (id) deferrable initially deferred)`.execute(t.deps.db);
  });
  afterAll(async () => t?.cleanup());

  const probes = async () => (await t.deps.db.selectFrom('gc_probe' as any).select('id').orderBy('id').execute()).map((r: any) => Number(r.id));
  const submitProbe = (id: number, body: 'ok' | 'throws' | 'poison') =>
    runGrouped(systemCtx(t.deps), { action: 'probe', entityType: 'gc_probe' }, async (trx) => {
      await sql`insert into gc_probe (id, ref) values (${id}, ${body === 'poison' ? 999_999 : null})`.execute(trx);
      if (body === 'throws') throw badRequest('探针：拒绝', 'probe');
      return { result: id, entityId: String(id) };
    });

  it('a command that throws is rolled back alone; a batch that cannot commit is re-run one by one, so only the culprit fails', async () => {
    const auditBefore = Number((await t.deps.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const reruns = groupCommitStats(t.deps).reruns;
    // Started in one turn of the event loop: they queue together and share transactions.
    const plan = Array.from({ length: 24 }, (_, i) => (i === 7 ? 'poison' : i % 5 === 3 ? 'throws' : 'ok') as 'ok' | 'throws' | 'poison');
    const settled = await Promise.allSettled(plan.map((body, i) => submitProbe(i + 1, body)));
    plan.forEach((body, i) => {
      const r = settled[i]!;
      if (body === 'ok') expect(r, `probe ${i + 1}`).toEqual({ status: 'fulfilled', value: i + 1 });
      else expect(r.status, `probe ${i + 1}`).toBe('rejected');
    });
    expect((settled[3] as PromiseRejectedResult).reason.message).toContain('探针');
    // The poison's batch was re-run item by item.
    expect(groupCommitStats(t.deps).reruns).toBeGreaterThan(reruns);
    const okIds = plan.flatMap((b, i) => (b === 'ok' ? [i + 1] : []));
    expect(await probes()).toEqual(okIds);
    // Exactly one audit entry per committed command, chained.
    const entries = await t.deps.db.selectFrom('audit_log').select(['entity_id']).where('action', '=', 'probe').orderBy('seq').execute();
    expect(entries.map((e) => Number(e.entity_id)).sort((a, b) => a - b)).toEqual(okIds);
    const auditAfter = Number((await t.deps.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    expect(auditAfter).toBe(auditBefore + okIds.length);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it.each(['late', 'dberror'] as const)(
    'without savepoints: a refusal before writing sinks only itself; a command that then fails (%s) has its batch run again with savepoints',
    async (failure) => {
      // A database of its own: the committer stays with savepoints for a while after such a rerun.
      const own = await createTestDb(target, { demo: false });
      try {
        await sql`create table gc_probe (id integer primary key, ref integer)`.execute(own.deps.db);
        type Body = 'ok' | 'early' | 'late' | 'dberror';
        const probe = (id: number, body: Body) =>
          runGrouped(systemCtx(own.deps), { action: 'probe', entityType: 'gc_probe' }, async (trx, control) => {
            if (body === 'early') throw badRequest('探针：先拒绝', 'probe');
            // On PostgreSQL a failed statement aborts the transaction: not to be answered alone without a savepoint.
            if (body === 'dberror') await sql`select * from gc_no_such_table`.execute(trx);
            control.writing();
            await sql`insert into gc_probe (id, ref) values (${id}, null)`.execute(trx);
            if (body === 'late') throw badRequest('探针：写后拒绝', 'probe');
            return { result: id, entityId: String(id) };
          }, { writesAfterChecks: true });
        const run = async (plan: Body[], first: number) => {
          const settled = await Promise.allSettled(plan.map((body, i) => probe(first + i, body)));
          plan.forEach((body, i) => {
            const r = settled[i]!;
            if (body === 'ok') expect(r, `probe ${first + i}`).toEqual({ status: 'fulfilled', value: first + i });
            else expect(r.status, `probe ${first + i}`).toBe('rejected');
          });
          const ids = (await own.deps.db.selectFrom('gc_probe' as any).select('id').orderBy('id').execute()).map((r: any) => Number(r.id));
          expect(ids.filter((id) => id >= first && id < first + plan.length)).toEqual(plan.flatMap((b, i) => (b === 'ok' ? [first + i] : [])));
        };
        // Early refusals only: one transaction, nothing run again.
        await run(Array.from({ length: 12 }, (_, i) => (i % 4 === 1 ? 'early' : 'ok')), 101);
        expect(groupCommitStats(own.deps).savepointReruns).toBe(0);
        await run(Array.from({ length: 12 }, (_, i) => (i === 6 ? failure : i % 4 === 1 ? 'early' : 'ok')), 201);
        expect(groupCommitStats(own.deps).savepointReruns).toBe(1);
        expect(groupCommitStats(own.deps).reruns).toBe(0);
        const entries = await own.deps.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'probe').execute();
        expect(entries).toHaveLength(9 + 8);
        expect((await verifyAuditChain(own.deps.db)).ok).toBe(true);
      } finally {
        await own.cleanup();
      }
    },
  );
});

// Crash without loss: a server killed (SIGKILL) in the middle of many concurrent submissions has,
// after a restart, every submission it answered 201 — and an audit chain that verifies.
describe.each(targets().filter((x) => x !== 'pglite'))('public submissions survive a killed server on %s', (target) => {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  let schema: string | undefined;
  afterAll(async () => {
    for (const c of children) if (c.alive()) c.proc.kill('SIGKILL');
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    if (schema) {
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    }
  });

  it('every 201 answered before the kill is found after the restart; the audit chain verifies', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-crash-'));
    dirs.push(dir);
    let url = path.join(dir, 'crash.db');
    if (target === 'postgres') {
      schema = `t_crash_${crypto.randomBytes(5).toString('hex')}`;
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`create schema "${schema}"`);
      await c.end();
      const u = new URL(process.env.TEST_DATABASE_URL!);
      u.searchParams.set('options', `-c search_path=${schema}`);
      url = u.toString();
    }
    const env = {
      DATABASE_URL: url, RECTIFY_DATA_DIR: dir, RECTIFY_FIELD_KEY: 'c3'.repeat(32), RECTIFY_DEMO: '0',
      RECTIFY_ADMIN_PASSWORD: 'Admin#2026test', RECTIFY_PUBLIC_CHALLENGE: '0', RECTIFY_PUBLIC_RATE_LIMIT: '0',
    };
    const first = startChildServer(env);
    children.push(first);
    const base = await first.ready;

    // 24 clients submitting as fast as answers come; the server is killed once 150 were answered.
    const acked: { receiptCode: string; publicNo: string; content: string }[] = [];
    let killed = false;
    const client = async (k: number) => {
      for (let i = 0; !killed; i++) {
        const content = `公证处窗口排队太久，建议增加周末服务（崩溃测试第${k}-${i}号，${crypto.randomBytes(4).toString('hex')}）`;
        try {
          const r = await fetch(`${base}/api/public/opinions`, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ category: 'notary_service', content, identity: 'anonymous', clientRequestId: crypto.randomUUID() }),
          });
          const body = (await r.json()) as { receiptCode: string; publicNo: string };
          if (r.status === 201) acked.push({ ...body, content });
          if (acked.length >= 150 && !killed) {
            killed = true;
            first.proc.kill('SIGKILL');
          }
        } catch {
          // The connection died with the server: not acknowledged, nothing promised.
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, k) => client(k)));
    await first.exited;
    expect(acked.length).toBeGreaterThanOrEqual(150);

    const second = startChildServer(env);
    children.push(second);
    const again = await second.ready;
    for (const a of acked) {
      const r = await fetch(`${again}/api/public/opinions/${encodeURIComponent(a.receiptCode)}`);
      expect(r.status, a.publicNo).toBe(200);
      const body = (await r.json()) as { publicNo: string; content: string };
      expect(body.publicNo).toBe(a.publicNo);
      expect(body.content).toBe(a.content);
    }
    await second.stop();
    const verify = await runCli(['audit', 'verify'], { DATABASE_URL: url, RECTIFY_DATA_DIR: dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 240_000);
});
