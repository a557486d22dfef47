import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';

const SINGLE = '您对窗口办事效率是否满意？';
const MULTIPLE = '您办理过哪些业务？';
const RATING = '请为本单位的服务态度打分';
const TEXT = '您还有什么意见建议？';

function surveyBody(over: Record<string, unknown> = {}) {
  return {
    title: '司法行政服务满意度调查',
    description: '匿名填写，约需 2 分钟。',
    onePerDevice: true,
    questions: [
      { kind: 'single', title: SINGLE, options: ['满意', '基本满意', '不满意'], required: true },
      { kind: 'multiple', title: MULTIPLE, options: ['公证', '法律援助', '人民调解', '律师服务'], required: true },
      { kind: 'rating', title: RATING, required: true },
      { kind: 'text', title: TEXT, required: false },
    ],
    ...over,
  };
}

const device = () => crypto.randomUUID();

type Q = { id: string; kind: string; title: string; options: string[] | null };

async function count(s: TestServer, table: 'survey' | 'survey_question' | 'survey_response' | 'audit_log' | 'public_rate' | 'spent_challenge') {
  return Number((await s.deps.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
}
async function counts(s: TestServer) {
  return {
    surveys: await count(s, 'survey'),
    questions: await count(s, 'survey_question'),
    responses: await count(s, 'survey_response'),
    audit: await count(s, 'audit_log'),
  };
}

/** Builds and publishes a survey as the office; answers its id and questions. */
async function published(office: Client, over: Record<string, unknown> = {}) {
  const c = await office.post('/api/surveys', surveyBody(over));
  expect(c.status).toBe(201);
  expect((await office.post(`/api/surveys/${c.body.id}/publish`)).status).toBe(200);
  const d = await office.get(`/api/surveys/${c.body.id}`);
  return { id: c.body.id as string, questions: d.body.questions as Q[] };
}

function answersFor(qs: Q[], a: { single?: unknown; multiple?: unknown; rating?: unknown; text?: unknown }) {
  const out: Record<string, unknown> = {};
  for (const q of qs) {
    const v = a[q.kind as keyof typeof a];
    if (v !== undefined) out[q.id] = v;
  }
  return out;
}

/** Solves an ALTCHA v1 challenge the way the browser widget does. */
function solve(ch: { algorithm: string; challenge: string; maxnumber: number; salt: string; signature: string }) {
  for (let n = 0; n <= ch.maxnumber; n++) {
    if (crypto.createHash('sha256').update(ch.salt + n).digest('hex') === ch.challenge) {
      const payload = { algorithm: ch.algorithm, challenge: ch.challenge, number: n, salt: ch.salt, signature: ch.signature };
      return Buffer.from(JSON.stringify(payload)).toString('base64');
    }
  }
  throw new Error('challenge not solvable');
}

async function readXlsx(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const width = ws.getRow(1).cellCount;
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    for (let i = 1; i <= width; i++) {
      const v = row.getCell(i).value;
      cells.push(v == null ? '' : String(v));
    }
    rows.push(cells);
  });
  return rows;
}

describe.each(targets())('surveys on %s', (target) => {
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let pub: Client;
  const clock = movableClock(new Date('2026-11-27T02:00:00Z'));
  const kindOf = (qs: Q[]) => (k: string) => qs.find((q) => q.kind === k)!;

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    [office, unitadmin] = await Promise.all([s.as('office'), s.as('unitadmin')]);
    pub = s.client();
  });
  afterAll(async () => s?.close());

  /**
   * A published survey with two responses, at 10:00 and 10:01 Shanghai time: every test that needs
   * answers makes its own, so no test depends on another having run.
   */
  async function answered(over: Record<string, unknown> = {}) {
    const sv = await published(office, over);
    clock.set(new Date('2026-11-27T02:00:00Z'));
    const first = await pub.post(`/api/public/surveys/${sv.id}/responses`, {
      deviceId: device(),
      answers: answersFor(sv.questions, { single: '满意', multiple: ['法律援助', '公证'], rating: 5, text: '希望延长周末服务时间' }),
    });
    expect(first.status).toBe(201);
    clock.advance(60_000);
    const second = await pub.post(`/api/public/surveys/${sv.id}/responses`, {
      deviceId: device(),
      answers: answersFor(sv.questions, { single: '基本满意', multiple: ['公证', '人民调解'], rating: 4 }),
    });
    expect(second.status).toBe(201);
    return sv;
  }

  /** The survey's row and questions, to show a refused change left them alone. */
  const surveyState = async (id: string) => ({
    survey: await s.deps.db.selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    questions: await s.deps.db.selectFrom('survey_question').selectAll().where('survey_id', '=', id).orderBy('seq').execute(),
  });

  describe('builder', () => {
    it('creates a draft with its questions; the public cannot see a draft', async () => {
      const before = await counts(s);
      const r = await office.post('/api/surveys', surveyBody());
      expect(r.status).toBe(201);
      const id = r.body.id as string;
      const after = await counts(s);
      expect(after.surveys).toBe(before.surveys + 1);
      expect(after.questions).toBe(before.questions + 4);
      expect(after.audit).toBe(before.audit + 1);

      const d = await office.get(`/api/surveys/${id}`);
      expect(d.status).toBe(200);
      expect(d.body).toMatchObject({ id, status: 'draft', title: '司法行政服务满意度调查', description: '匿名填写，约需 2 分钟。', onePerDevice: true, questionCount: 4, responseCount: 0,
        // Filed under the campaign in progress by its dates today: the demo's 2021 batches have ended.
        campaignId: null });
      const qs: Q[] = d.body.questions;
      const byKind = kindOf(qs);
      expect(qs.map((q) => [q.kind, q.title])).toEqual([['single', SINGLE], ['multiple', MULTIPLE], ['rating', RATING], ['text', TEXT]]);
      expect(d.body.questions.map((q: any) => q.seq)).toEqual([1, 2, 3, 4]);
      expect(byKind('single').options).toEqual(['满意', '基本满意', '不满意']);
      expect(byKind('rating').options).toBeNull();
      expect(d.body.questions.map((q: any) => q.required)).toEqual([true, true, true, false]);

      // The survey belongs to its author's unit.
      const row = await s.deps.db.selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const officeUser = await s.deps.db.selectFrom('app_user').select('org_unit_id').where('username', '=', 'office').executeTakeFirstOrThrow();
      expect(row.org_unit_id).toBe(officeUser.org_unit_id);

      const beforeDraft = await counts(s);
      expect((await pub.get(`/api/public/surveys/${id}`)).status).toBe(404);
      expect((await pub.get('/api/public/surveys')).body.items.map((i: any) => i.id)).not.toContain(id);
      expect((await pub.post(`/api/public/surveys/${id}/responses`, { deviceId: device(), answers: {} })).status).toBe(404);
      expect(await counts(s)).toEqual(beforeDraft);
    });

    it('patch while draft replaces the questions', async () => {
      const c = await office.post('/api/surveys', surveyBody({ title: '草稿问卷' }));
      const p = await office.patch(`/api/surveys/${c.body.id}`, {
        title: '草稿问卷（修改）',
        questions: [{ kind: 'text', title: '请写下您的建议', required: true }],
      });
      expect(p.status).toBe(200);
      const d = await office.get(`/api/surveys/${c.body.id}`);
      expect(d.body.title).toBe('草稿问卷（修改）');
      expect(d.body.onePerDevice).toBe(true); // untouched by a patch that leaves it out
      expect(d.body.questions).toHaveLength(1);
      expect(d.body.questions[0]).toMatchObject({ kind: 'text', title: '请写下您的建议', seq: 1, options: null });
    });

    const bad: [string, () => unknown, string, string][] = [
      ['no title', () => surveyBody({ title: '' }), 'title', '问卷标题'],
      ['no questions', () => surveyBody({ questions: [] }), 'questions', '题目'],
      ['a single choice with one option', () => surveyBody({ questions: [{ kind: 'single', title: '是否满意', options: ['是'], required: true }] }), 'questions.0.options', '选项'],
      ['a multiple choice without options', () => surveyBody({ questions: [{ kind: 'multiple', title: '办过哪些', required: true }] }), 'questions.0.options', '选项'],
      ['duplicate options', () => surveyBody({ questions: [{ kind: 'single', title: '是否满意', options: ['是', '否', '是'], required: true }] }), 'questions.0.options.2', '选项'],
      ['an empty option', () => surveyBody({ questions: [{ kind: 'single', title: '是否满意', options: ['是', '  '], required: true }] }), 'questions.0.options.1', '选项'],
      ['options on a rating', () => surveyBody({ questions: [{ kind: 'rating', title: '打分', options: ['1', '2'], required: true }] }), 'questions.0.options', '选项'],
      ['an unknown kind', () => surveyBody({ questions: [{ kind: 'matrix', title: '矩阵', required: true }] }), 'questions.0.kind', '题型'],
      ['an empty question title', () => surveyBody({ questions: [{ kind: 'text', title: '', required: true }] }), 'questions.0.title', '题干'],
      ['51 questions', () => surveyBody({ questions: Array.from({ length: 51 }, (_, i) => ({ kind: 'text', title: `第${i}题`, required: false })) }), 'questions', '题目'],
      ['21 options', () => surveyBody({ questions: [{ kind: 'single', title: '选一个', options: Array.from({ length: 21 }, (_, i) => `选项${i}`), required: true }] }), 'questions.0.options', '选项'],
    ];
    it.each(bad)('refuses %s: 400 naming the field, nothing written', async (_n, make, field, label) => {
      const before = await counts(s);
      const r = await office.post('/api/surveys', make());
      expect(r.status).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toContain(label);
      expect(await counts(s)).toEqual(before);
    });

    it('unit admin (read only) may not build, change, publish or close surveys: 403, nothing written', async () => {
      const draft = await office.post('/api/surveys', surveyBody({ title: '整顿办的草稿' }));
      expect(draft.status).toBe(201);
      const state = await surveyState(draft.body.id);
      const before = await counts(s);
      expect((await unitadmin.post('/api/surveys', surveyBody())).status).toBe(403);
      expect((await unitadmin.patch(`/api/surveys/${draft.body.id}`, { title: '单位改的' })).status).toBe(403);
      expect((await unitadmin.post(`/api/surveys/${draft.body.id}/publish`)).status).toBe(403);
      expect((await unitadmin.post(`/api/surveys/${draft.body.id}/close`)).status).toBe(403);
      expect(await counts(s)).toEqual(before);
      expect(await surveyState(draft.body.id)).toEqual(state);
    });
  });

  describe('publish, fill, results, export, close', () => {
    it('publishes; the public lists and reads it', async () => {
      const c = await office.post('/api/surveys', surveyBody());
      expect(c.status).toBe(201);
      const id = c.body.id as string;
      const qs: Q[] = (await office.get(`/api/surveys/${id}`)).body.questions;
      const r = await office.post(`/api/surveys/${id}/publish`);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('published');
      const list = await pub.get('/api/public/surveys');
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual(expect.objectContaining({ id, title: '司法行政服务满意度调查', questionCount: 4, onePerDevice: true }));
      const d = await pub.get(`/api/public/surveys/${id}`);
      expect(d.status).toBe(200);
      expect(d.body).toMatchObject({ id, title: '司法行政服务满意度调查', onePerDevice: true });
      expect(d.body.questions.map((q: any) => q.id)).toEqual(qs.map((q) => q.id));
      const state = await surveyState(id);
      const before = await counts(s);
      expect((await office.post(`/api/surveys/${id}/publish`)).status).toBe(409);
      expect(await counts(s)).toEqual(before);
      expect(await surveyState(id)).toEqual(state);
    });

    it('a published survey can no longer be changed: 409, nothing written', async () => {
      const { id } = await published(office);
      const state = await surveyState(id);
      const before = await counts(s);
      const r = await office.patch(`/api/surveys/${id}`, { title: '改个标题' });
      expect(r.status).toBe(409);
      const r2 = await office.patch(`/api/surveys/${id}`, surveyBody());
      expect(r2.status).toBe(409);
      expect((await office.get(`/api/surveys/${id}`)).body.title).toBe('司法行政服务满意度调查');
      expect(await counts(s)).toEqual(before);
      expect(await surveyState(id)).toEqual(state);
    });

    it('one response per device: the second from the same device is 409, another device is 201', async () => {
      const { id, questions: qs } = await published(office);
      const deviceA = device();
      const before = await counts(s);
      const a = await pub.post(`/api/public/surveys/${id}/responses`, {
        deviceId: deviceA,
        answers: answersFor(qs, { single: '满意', multiple: ['法律援助', '公证'], rating: 5, text: '希望延长周末服务时间' }),
      });
      expect(a.status).toBe(201);
      expect(a.body).toEqual({ ok: true });

      clock.advance(60_000);
      const afterFirst = await counts(s);
      const again = await pub.post(`/api/public/surveys/${id}/responses`, {
        deviceId: deviceA,
        answers: answersFor(qs, { single: '不满意', multiple: ['公证'], rating: 1 }),
      });
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('本设备已填写过该问卷');
      expect(await counts(s)).toEqual(afterFirst);

      const b = await pub.post(`/api/public/surveys/${id}/responses`, {
        deviceId: device(),
        answers: answersFor(qs, { single: '基本满意', multiple: ['公证', '人民调解'], rating: 4 }),
      });
      expect(b.status).toBe(201);
      const after = await counts(s);
      expect(after.responses).toBe(before.responses + 2);
      expect(after.audit).toBe(before.audit + 2);

      // The device id is kept only as a keyed digest.
      const rows = await s.deps.db.selectFrom('survey_response').selectAll().where('survey_id', '=', id).execute();
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        expect(r.device_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(r.device_hash).not.toContain(deviceA);
      }
      // The audit keeps the response id, not the answers.
      const audits = await s.deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'respond')
        .where('entity_type', '=', 'survey')
        .where('entity_id', '=', id)
        .execute();
      expect(audits).toHaveLength(2);
      for (const au of audits) {
        expect(rows.map((r) => r.id)).toContain(JSON.parse(au.after_json!).responseId);
        expect(au.after_json).not.toContain('周末');
        expect(au.after_json).not.toContain('法律援助');
        expect(au.after_json).not.toContain(deviceA);
      }
    });

    it('refuses answers that do not fit their question: 400 with answers.<id>, nothing written', async () => {
      const { id, questions: qs } = await published(office);
      const byKind = kindOf(qs);
      const good = { single: '满意', multiple: ['公证'], rating: 3 };
      const cases: [string, Record<string, unknown>, string, string][] = [
        ['an option not offered', answersFor(qs, { ...good, single: '非常满意' }), 'single', SINGLE],
        ['a single choice given as a list', answersFor(qs, { ...good, single: ['满意'] }), 'single', SINGLE],
        ['duplicate choices', answersFor(qs, { ...good, multiple: ['公证', '公证'] }), 'multiple', MULTIPLE],
        ['a multiple choice not offered', answersFor(qs, { ...good, multiple: ['公证', '仲裁'] }), 'multiple', MULTIPLE],
        ['a multiple choice given as text', answersFor(qs, { ...good, multiple: '公证' }), 'multiple', MULTIPLE],
        ['a rating of 6', answersFor(qs, { ...good, rating: 6 }), 'rating', RATING],
        ['a rating of 0', answersFor(qs, { ...good, rating: 0 }), 'rating', RATING],
        ['a rating of 3.5', answersFor(qs, { ...good, rating: 3.5 }), 'rating', RATING],
        ['a rating as text', answersFor(qs, { ...good, rating: '好' }), 'rating', RATING],
        ['text over 1000 characters', answersFor(qs, { ...good, text: '长'.repeat(1001) }), 'text', TEXT],
        ['text given as a number', answersFor(qs, { ...good, text: 12 }), 'text', TEXT],
        ['a required question left out', answersFor(qs, { single: '满意', multiple: ['公证'] }), 'rating', RATING],
        ['a required choice left empty', answersFor(qs, { ...good, multiple: [] }), 'multiple', MULTIPLE],
      ];
      const before = await counts(s);
      for (const [name, answers, kind, title] of cases) {
        const r = await pub.post(`/api/public/surveys/${id}/responses`, { deviceId: device(), answers });
        expect(r.status, name).toBe(400);
        expect(r.body.field, name).toBe(`answers.${byKind(kind).id}`);
        expect(r.body.message, name).toContain(title);
      }
      const stray = await pub.post(`/api/public/surveys/${id}/responses`, {
        deviceId: device(),
        answers: { ...answersFor(qs, good), 'no-such-question': 'x' },
      });
      expect(stray.status).toBe(400);
      expect(stray.body.field).toBe('answers.no-such-question');
      const noDevice = await pub.post(`/api/public/surveys/${id}/responses`, { deviceId: 'not-a-uuid', answers: answersFor(qs, good) });
      expect(noDevice.status).toBe(400);
      expect(noDevice.body.field).toBe('deviceId');
      expect(noDevice.body.message).toContain('设备标识');
      expect(await counts(s)).toEqual(before);
    });

    it('a filled honeypot is refused: 400, nothing written', async () => {
      const { id, questions: qs } = await published(office);
      const before = { ...(await counts(s)), rate: await count(s, 'public_rate') };
      const r = await pub.post(`/api/public/surveys/${id}/responses`, {
        deviceId: device(),
        answers: answersFor(qs, { single: '满意', multiple: ['公证'], rating: 3 }),
        website: 'http://spam.example',
      });
      expect(r.status).toBe(400);
      expect({ ...(await counts(s)), rate: await count(s, 'public_rate') }).toEqual(before);
    });

    it('results count the choices, the rating and the free text', async () => {
      const { id, questions: qs } = await answered();
      const byKind = kindOf(qs);
      const r = await office.get(`/api/surveys/${id}/results`);
      expect(r.status).toBe(200);
      expect(r.body.responses).toBe(2);
      const res = (k: string) => r.body.questions.find((q: any) => q.kind === k);
      expect(res('single')).toMatchObject({ id: byKind('single').id, title: SINGLE, answered: 2, counts: [1, 1, 0], options: ['满意', '基本满意', '不满意'] });
      // 公证 twice, 法律援助 once, 人民调解 once, 律师服务 never.
      expect(res('multiple')).toMatchObject({ answered: 2, counts: [2, 1, 1, 0] });
      expect(res('rating')).toMatchObject({ answered: 2, distribution: [0, 0, 0, 1, 1], average: 4.5 });
      expect(res('text')).toMatchObject({ answered: 1, texts: ['希望延长周末服务时间'] });
      expect(res('single').distribution).toBeUndefined();
      expect(res('text').counts).toBeUndefined();

      const list = await office.get('/api/surveys?status=published&pageSize=200');
      expect(list.body.items).toContainEqual(expect.objectContaining({ id, responseCount: 2, questionCount: 4, status: 'published' }));
    });

    it('exports one row per response, one column per question, times in Shanghai', async () => {
      const { id } = await answered();
      const r = await office.get(`/api/surveys/${id}/export`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('spreadsheetml');
      const rows = await readXlsx(r.body as Buffer);
      expect(rows[0]).toEqual(['提交时间', SINGLE, MULTIPLE, RATING, TEXT]);
      expect(rows).toHaveLength(3);
      const data = rows.slice(1).sort((x, y) => x[0]!.localeCompare(y[0]!));
      // Submitted at 02:00Z and 02:01Z: 10:00 and 10:01 in Shanghai.
      expect(data[0]).toEqual(['2026-11-27 10:00:00', '满意', '公证、法律援助', '5', '希望延长周末服务时间']);
      expect(data[1]).toEqual(['2026-11-27 10:01:00', '基本满意', '公证、人民调解', '4', '']);
    });

    it('unit admin does not see the office\'s survey', async () => {
      const { id } = await answered();
      expect((await unitadmin.get(`/api/surveys/${id}`)).status).toBe(404);
      expect((await unitadmin.get(`/api/surveys/${id}/results`)).status).toBe(404);
      expect((await unitadmin.get(`/api/surveys/${id}/export`)).status).toBe(404);
      expect((await unitadmin.get('/api/surveys?pageSize=200')).body.items.map((i: any) => i.id)).not.toContain(id);
    });

    it('closing ends it: the public page answers 410 and responses are refused', async () => {
      const { id, questions: qs } = await answered();
      const c = await office.post(`/api/surveys/${id}/close`);
      expect(c.status).toBe(200);
      expect(c.body.status).toBe('closed');
      const g = await pub.get(`/api/public/surveys/${id}`);
      expect(g.status).toBe(410);
      expect(g.body.message).toBe('问卷已结束');
      const before = await counts(s);
      const state = await surveyState(id);
      const p = await pub.post(`/api/public/surveys/${id}/responses`, {
        deviceId: device(),
        answers: answersFor(qs, { single: '满意', multiple: ['公证'], rating: 3 }),
      });
      expect(p.status).toBe(410);
      expect(await counts(s)).toEqual(before);
      expect((await pub.get('/api/public/surveys')).body.items.map((i: any) => i.id)).not.toContain(id);
      expect((await office.post(`/api/surveys/${id}/close`)).status).toBe(409);
      expect((await office.patch(`/api/surveys/${id}`, { title: 'x' })).status).toBe(409);
      expect(await counts(s)).toEqual(before);
      expect(await surveyState(id)).toEqual(state);
      // Results stay readable.
      expect((await office.get(`/api/surveys/${id}/results`)).body.responses).toBe(2);
      expect((await pub.get('/api/public/surveys/no-such-survey')).status).toBe(404);
    });
  });
  it('simultaneous responses from one device: exactly one lands, the rest answer 409', async () => {
    const sv = await published(office, { title: '并发填写' });
    const d = device();
    const answers = answersFor(sv.questions, { single: '满意', multiple: ['公证'], rating: 5 });
    const rs = await Promise.all(
      Array.from({ length: 4 }, () => s.client().post(`/api/public/surveys/${sv.id}/responses`, { deviceId: d, answers })),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await s.deps.db.selectFrom('survey_response').select('id').where('survey_id', '=', sv.id).execute()).toHaveLength(1);
  });

  it('without one-per-device, one device may answer twice and nothing about it is kept', async () => {
    const sv = await published(office, { title: '开放式征集', onePerDevice: false });
    const d = device();
    const answers = answersFor(sv.questions, { single: '满意', multiple: ['公证'], rating: 2 });
    expect((await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: d, answers })).status).toBe(201);
    expect((await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: d, answers })).status).toBe(201);
    const rows = await s.deps.db.selectFrom('survey_response').selectAll().where('survey_id', '=', sv.id).execute();
    expect(rows.map((r) => r.device_hash)).toEqual([null, null]);
  });
});

describe.each(targets())('survey responses: per-IP limit on %s', (target) => {
  let s: TestServer;
  const clock = movableClock(new Date('2026-11-27T02:10:00Z'));
  beforeAll(async () => {
    s = await startServer(target, { now: clock, env: { RECTIFY_PUBLIC_RATE_LIMIT: '2' } });
  });
  afterAll(async () => s?.close());

  it('the third response from one address in the hour answers 429, even from other devices', async () => {
    const sv = await published(await s.as('office'));
    const pub = s.client();
    const answers = answersFor(sv.questions, { single: '满意', multiple: ['公证'], rating: 4 });
    expect((await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: device(), answers })).status).toBe(201);
    expect((await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: device(), answers })).status).toBe(201);
    const before = await counts(s);
    const third = await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: device(), answers });
    expect(third.status).toBe(429);
    expect(third.body.message).toContain('每小时最多 2 次');
    expect(await counts(s)).toEqual(before);
    // The next hour brings a fresh allowance.
    clock.advance(3600_000);
    const later = s.client();
    expect((await later.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: device(), answers })).status).toBe(201);
  });
});

describe.each(targets())('survey responses: proof-of-work challenge on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_PUBLIC_CHALLENGE: '1' } });
  });
  afterAll(async () => s?.close());

  it('refuses a missing or replayed proof; accepts a solved one', async () => {
    const sv = await published(await s.as('office'));
    const pub = s.client();
    const answers = answersFor(sv.questions, { single: '满意', multiple: ['公证'], rating: 4 });
    const before = await counts(s);

    const missing = await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: device(), answers });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'CHALLENGE', field: 'altcha' });
    expect(await counts(s)).toEqual(before);

    const ch = await pub.get('/api/public/challenge');
    expect(ch.status).toBe(200);
    const altcha = solve(ch.body);
    const ok = await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: device(), answers, altcha });
    expect(ok.status).toBe(201);
    const afterOk = await counts(s);
    expect(afterOk.responses).toBe(before.responses + 1);

    const replay = await pub.post(`/api/public/surveys/${sv.id}/responses`, { deviceId: device(), answers, altcha });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'CHALLENGE', field: 'altcha' });
    expect(await counts(s)).toEqual(afterOk);
  });
});
