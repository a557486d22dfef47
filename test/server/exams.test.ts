import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { movableClock, targets } from '../support/db.js';
import { fileForm } from '../support/files.js';
import { rowCounts } from '../support/writes.js';
import { collectStats } from '../../src/server/platform/stats.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { newId } from '../../src/server/platform/ids.js';
import '../../src/server/modules/figures.js';

// 考试 end to end on a real server: a paper drawn by rules, an officer's attempt with autosave, a
// dropped connection and resume, the time limit, auto-grading and hand marking, offline scores
// entered and imported, topic results by weight, the wrong-answer book, archives and the figures.

describe.each(targets())('exams on %s', (target) => {
  const clock = movableClock(new Date('2026-11-23T02:00:00Z'));
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let officer: Client;
  let topicId: string;
  let officerPerson: string;
  let adminPerson: string;
  let officerUnit: string;
  let hsq: string;
  let ncxPerson: string;
  const bank: Record<string, string[]> = {};

  const db = () => s.deps.db;
  /** Sessions time out while the clock jumps hours: sign in again after moving it. */
  const signIn = async () => {
    [office, unitadmin, officer] = await Promise.all([s.as('office'), s.as('unitadmin'), s.as('officer')]);
  };
  const moveTo = async (d: Date) => {
    clock.set(d);
    await signIn();
  };

  async function addQuestion(type: string, difficulty: number, stem: string, options: { key: string; text: string }[], answer: unknown, explanation: string | null = null) {
    const id = newId();
    const now = clock().toISOString();
    await db().insertInto('question').values({ id, topic_id: topicId, type: type as 'single', difficulty: difficulty as 1, stem, options: JSON.stringify(options), answer: JSON.stringify(answer), explanation, status: 'active', created_by: null, created_at: now, updated_at: now }).execute();
    (bank[type] ??= []).push(id);
    return id;
  }
  const abcd = (...texts: string[]) => texts.map((text, i) => ({ key: 'ABCD'[i]!, text }));

  beforeAll(async () => {
    s = await startServer(target, { now: clock });
    await signIn();
    const users = await db().selectFrom('app_user').select(['username', 'person_id']).where('username', 'in', ['officer', 'unitadmin']).execute();
    officerPerson = users.find((u) => u.username === 'officer')!.person_id!;
    adminPerson = users.find((u) => u.username === 'unitadmin')!.person_id!;
    officerUnit = (await db().selectFrom('person').select('org_unit_id').where('id', '=', officerPerson).executeTakeFirstOrThrow()).org_unit_id;
    hsq = (await db().selectFrom('org_unit').select('id').where('code', '=', 'HSQ').executeTakeFirstOrThrow()).id;
    ncxPerson = (await db().selectFrom('person').innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id').select('person.id').where('org_unit.code', '=', 'NCX').where('person.status', '=', 'active').executeTakeFirstOrThrow()).id;

    const topic = await office.post('/api/study/topics', { campaignId: 'campaign-1', title: '党史专题一：开天辟地', onlineWeight: 40, offlineWeight: 60, passScore: 60 });
    expect(topic.status).toBe(201);
    topicId = topic.body.id;
    for (let i = 1; i <= 4; i++) await addQuestion('single', 1, `单选易${i}：中国共产党成立于哪一年？`, abcd('1919', '1921', '1927', '1949'), 'B', '1921 年 7 月。');
    for (let i = 1; i <= 3; i++) await addQuestion('single', 3, `单选难${i}：遵义会议召开于哪一年？`, abcd('1934', '1935', '1936', '1937'), 'B');
    for (let i = 1; i <= 3; i++) await addQuestion('multiple', 2, `多选${i}：下列属于“九学”的有？`, abcd('集中自学', '宣讲导学', '打卡签到', '分享促学'), ['A', 'B', 'D']);
    for (let i = 1; i <= 3; i++) await addQuestion('judge', 1, `判断${i}：教育整顿实行“自查从宽、被查从严”。`, [], true);
    await addQuestion('blank', 2, '填空：中国共产党第一次全国代表大会在＿＿召开，后转移到＿＿。', [], [['上海'], ['嘉兴南湖', '嘉兴']]);
    await addQuestion('essay', 2, '简答：谈谈你对“学史明理”的理解。', [], '要点：……');
  });
  afterAll(async () => s?.close());

  const exam = (patch: Record<string, unknown> = {}) => ({
    topicId, kind: 'online_objective', title: '专题一线上测试', orgUnitId: hsq, opensAt: '2026-11-23T01:00:00.000Z', closesAt: '2026-11-23T06:00:00.000Z',
    durationMinutes: 30, passScore: 60, paperMode: 'random', shuffleQuestions: true, shuffleOptions: true, targetUnitIds: [hsq],
    rules: [
      { type: 'single', difficulty: 3, count: 2, points: 10 },
      { type: 'single', count: 3, points: 10 },
      { type: 'multiple', count: 2, points: 10 },
      { type: 'judge', count: 1, points: 10 },
      { type: 'blank', count: 1, points: 5 },
      { type: 'essay', count: 1, points: 15 },
    ],
    ...patch,
  });

  it('a rule asking for more questions than the bank has is refused, naming the rule, and writes nothing', async () => {
    const before = await rowCounts(db(), 'exam', 'exam_target', 'audit_log');
    const r = await office.post('/api/study/exams', exam({ rules: [{ type: 'single', count: 3, points: 10 }, { type: 'multiple', difficulty: 2, count: 5, points: 10 }] }));
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('rules.1.count');
    expect(r.body.message).toContain('第 2 条规则要求多选题（中） 5 题，题库可用的只有 3 题');
    // Rules sharing questions: 7 single in the bank, 5 hard-or-any + 3 any = 8 cannot be drawn without repeats.
    const overlap = await office.post('/api/study/exams', exam({ rules: [{ type: 'single', count: 5, points: 10 }, { type: 'single', difficulty: 3, count: 3, points: 10 }] }));
    expect(overlap.status).toBe(400);
    expect(overlap.body.message).toContain('题库可用的只有 4 题');
    const noTime = await office.post('/api/study/exams', exam({ durationMinutes: null }));
    expect(noTime.status).toBe(400);
    expect(noTime.body.field).toBe('durationMinutes');
    expect(await rowCounts(db(), 'exam', 'exam_target', 'audit_log')).toEqual(before);
  });

  let examId: string;
  let attemptId: string;

  it('an officer draws a paper that obeys the rules, never repeats a question and carries no answers', async () => {
    const made = await unitadmin.post('/api/study/exams', exam());
    expect(made.status).toBe(201);
    examId = made.body.id;
    expect(made.body.fullScore).toBe(100);
    const serving = Number((await db().selectFrom('person').select(sql<number>`count(*)`.as('n')).where('status', '=', 'active').where('sort_key', 'like', `${(await db().selectFrom('org_unit').select('path').where('id', '=', hsq).executeTakeFirstOrThrow()).path}%`).executeTakeFirstOrThrow()).n);
    expect(made.body.expectedCount).toBe(serving);

    const mine = await officer.get('/api/study/my/exams');
    const listed = mine.body.items.find((e: { id: string }) => e.id === examId);
    expect(listed).toMatchObject({ state: 'open', attempt: null });

    const started = await officer.post(`/api/study/exams/${examId}/start`);
    expect(started.status).toBe(200);
    expect(started.body.resumed).toBe(false);
    attemptId = started.body.id;
    const paper = (await officer.get(`/api/study/my/attempts/${attemptId}`)).body;
    expect(paper.questions).toHaveLength(10);
    expect(new Set(paper.questions.map((q: { id: string }) => q.id)).size).toBe(10);
    const types = paper.questions.map((q: { type: string }) => q.type);
    expect(types.filter((t: string) => t === 'single')).toHaveLength(5);
    const hard = paper.questions.filter((q: { id: string }) => bank.single!.slice(4).includes(q.id));
    expect(hard.length).toBeGreaterThanOrEqual(2);
    expect(types.filter((t: string) => t === 'multiple')).toHaveLength(2);
    for (const q of paper.questions) {
      expect(q).not.toHaveProperty('answer');
      expect(q).not.toHaveProperty('explanation');
    }
    expect(JSON.stringify(paper)).not.toContain('1921 年 7 月');
    expect(paper.revealed).toBe(false);
    expect(new Date(paper.deadlineAt).getTime() - clock().getTime()).toBe(30 * 60_000);
  });

  it('autosave keeps answers through a dropped connection: starting again resumes the same paper', async () => {
    const paper = (await officer.get(`/api/study/my/attempts/${attemptId}`)).body;
    const single = paper.questions.find((q: { type: string }) => q.type === 'single');
    const saved = await officer.put(`/api/study/my/attempts/${attemptId}/answers`, { answers: { [single.id]: 'B' }, tabSwitches: 1, version: paper.version });
    expect(saved.status).toBe(200);
    expect(saved.body.answered).toBe(1);
    // A malformed answer names its question and changes nothing.
    const bad = await officer.put(`/api/study/my/attempts/${attemptId}/answers`, { answers: { [single.id]: ['A', 'B'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe(`answers.${single.id}`);
    const stranger = await officer.put(`/api/study/my/attempts/${attemptId}/answers`, { answers: { [bank.essay![0]! + 'x']: 'x' } });
    expect(stranger.status).toBe(400);
    // An older tab's save does not overwrite the newer one.
    const stale = await officer.put(`/api/study/my/attempts/${attemptId}/answers`, { answers: { [single.id]: 'C' }, version: paper.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('ATTEMPT_STALE');

    const again = await officer.post(`/api/study/exams/${examId}/start`);
    expect(again.body).toEqual({ id: attemptId, resumed: true });
    const resumed = (await officer.get(`/api/study/my/attempts/${attemptId}`)).body;
    expect(resumed.questions.map((q: { id: string }) => q.id)).toEqual(paper.questions.map((q: { id: string }) => q.id));
    expect(resumed.questions.find((q: { id: string }) => q.id === single.id).given).toBe('B');
    expect(resumed.questions.find((q: { id: string }) => q.id === single.id).options.map((o: { key: string }) => o.key)).toEqual(single.options.map((o: { key: string }) => o.key));
    expect(resumed.tabSwitches).toBe(1);
    // Another person cannot read it.
    expect((await unitadmin.get(`/api/study/my/attempts/${attemptId}`)).status).toBe(404);
  });

  it('submitting grades every objective type by the stated rules; the essay waits for a grader who sees the tab switches', async () => {
    const paper = (await officer.get(`/api/study/my/attempts/${attemptId}`)).body;
    const answers: Record<string, unknown> = {};
    let expected = 0;
    let multipleSeen = 0;
    for (const q of paper.questions) {
      if (q.type === 'single') { answers[q.id] = 'B'; expected += 10; }
      if (q.type === 'judge') { answers[q.id] = true; expected += 10; }
      if (q.type === 'multiple') {
        // One fully right (10), one partly right with no wrong option (half: 5).
        answers[q.id] = multipleSeen++ === 0 ? ['D', 'A', 'B'] : ['A', 'B'];
        expected += multipleSeen === 1 ? 10 : 5;
      }
      if (q.type === 'blank') { answers[q.id] = [' 上海 ', 'ＪＩＡ']; expected += 2.5; } // first blank right (full-width and spaces ignored), second wrong
      if (q.type === 'essay') answers[q.id] = '学史明理，就是要……';
    }
    const r = await officer.post(`/api/study/my/attempts/${attemptId}/submit`, { answers, tabSwitches: 3 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'submitted', autoScore: expected, score: null, passed: null });
    // Handing in twice changes nothing.
    const twice = await officer.post(`/api/study/my/attempts/${attemptId}/submit`, { answers: {} });
    expect(twice.body).toMatchObject({ status: 'submitted', already: true });
    expect((await officer.put(`/api/study/my/attempts/${attemptId}/answers`, { answers: {} })).status).toBe(409);

    const graderView = (await unitadmin.get(`/api/study/attempts/${attemptId}`)).body;
    expect(graderView.tabSwitches).toBe(3);
    const essay = graderView.questions.find((q: { type: string }) => q.type === 'essay');
    expect(essay.answer).toBe('要点：……');
    const over = await unitadmin.post(`/api/study/attempts/${attemptId}/marks`, { marks: { [essay.id]: 16 } });
    expect(over.status).toBe(400);
    expect(over.body.field).toBe(`marks.${essay.id}`);
    const marked = await unitadmin.post(`/api/study/attempts/${attemptId}/marks`, { marks: { [essay.id]: 12.5 } });
    expect(marked.body).toMatchObject({ status: 'graded', score: expected + 12.5, passed: expected + 12.5 >= 60 });
    const results = await unitadmin.get(`/api/study/exams/${examId}/results`);
    expect(results.body.items.find((i: { id: string }) => i.id === attemptId)).toMatchObject({ score: expected + 12.5, tabSwitches: 3, status: 'graded' });
  });

  it('answers and explanations are shown to the officer only after the exam closes; the wrong-answer book likewise', async () => {
    const during = (await officer.get(`/api/study/my/attempts/${attemptId}`)).body;
    expect(during.revealed).toBe(false);
    expect(during.questions[0]).not.toHaveProperty('answer');
    // The demo's closed exams are in the book already; this exam's mistakes join it only when it closes.
    const ours = Object.values(bank).flat();
    const baseline = (await officer.get('/api/study/my/wrong-answers?pageSize=100')).body;
    expect(baseline.items.filter((i: { questionId: string }) => ours.includes(i.questionId))).toEqual([]);
    const wrongRows = await db().selectFrom('wrong_answer').selectAll().where('person_id', '=', officerPerson).where('question_id', 'in', ours).execute();
    expect(wrongRows.length).toBe(2); // the half-right multiple and the blank
    await moveTo(new Date('2026-11-23T06:00:01Z'));
    const after = (await officer.get(`/api/study/my/attempts/${attemptId}`)).body;
    expect(after.revealed).toBe(true);
    expect(after.questions.find((q: { type: string }) => q.type === 'blank')).toMatchObject({ answer: [['上海'], ['嘉兴南湖', '嘉兴']], mark: 2.5 });
    const book = (await officer.get('/api/study/my/wrong-answers?pageSize=100')).body;
    expect(book.total).toBe(baseline.total + 2);
    const mine = book.items.filter((i: { questionId: string }) => ours.includes(i.questionId));
    expect(mine.map((i: { type: string }) => i.type).sort()).toEqual(['blank', 'multiple']);
    expect(mine[0]).toHaveProperty('answer');
    // Most recent first.
    expect(book.items[0].questionId).toBe(mine[0].questionId);
    await moveTo(new Date('2026-11-23T02:40:00Z'));
  });

  it('a save or a submit after the time limit is refused; the attempt is handed in with what was saved', async () => {
    const made = await office.post('/api/study/exams', exam({ title: '补考', targetUnitIds: [], targetPersonIds: [adminPerson], opensAt: '2026-11-23T02:00:00.000Z', closesAt: '2026-11-24T02:00:00.000Z', durationMinutes: 20, shuffleQuestions: false }));
    expect(made.status).toBe(201);
    // The officer is not expected at this one.
    expect((await officer.post(`/api/study/exams/${made.body.id}/start`)).status).toBe(403);
    const started = await unitadmin.post(`/api/study/exams/${made.body.id}/start`);
    const id = started.body.id;
    const paper = (await unitadmin.get(`/api/study/my/attempts/${id}`)).body;
    const judge = paper.questions.find((q: { type: string }) => q.type === 'judge');
    const single = paper.questions.find((q: { type: string }) => q.type === 'single');
    await unitadmin.put(`/api/study/my/attempts/${id}/answers`, { answers: { [judge.id]: true } });
    clock.advance(20 * 60_000 + 11_000);
    await signIn();
    const late = await unitadmin.put(`/api/study/my/attempts/${id}/answers`, { answers: { [single.id]: 'B' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('ATTEMPT_TIME_UP');
    const lateSubmit = await unitadmin.post(`/api/study/my/attempts/${id}/submit`, { answers: { [single.id]: 'B' } });
    expect(lateSubmit.status).toBe(409);
    expect(lateSubmit.body.message).toContain('已超过答题时限');
    const row = await db().selectFrom('exam_attempt').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('submitted'); // has an essay to mark
    expect(row.auto_score).toBe(100); // only the judge question saved in time
    expect(JSON.parse(row.answers)[single.id]).toBeUndefined();
    expect(row.submitted_at).toBe(row.deadline_at);
    // Starting again is refused: it was handed in.
    expect((await unitadmin.post(`/api/study/exams/${made.body.id}/start`)).status).toBe(409);
  });

  it('two starts at once make one attempt', async () => {
    const made = await office.post('/api/study/exams', exam({ title: '并发', targetUnitIds: [], targetPersonIds: [officerPerson], opensAt: '2026-11-23T02:00:00.000Z', closesAt: '2026-11-24T02:00:00.000Z' }));
    const [a, b] = await Promise.all([officer.post(`/api/study/exams/${made.body.id}/start`), officer.post(`/api/study/exams/${made.body.id}/start`)]);
    expect(a.body.id).toBe(b.body.id);
    expect(Number((await db().selectFrom('exam_attempt').select(sql<number>`count(*)`.as('n')).where('exam_id', '=', made.body.id).executeTakeFirstOrThrow()).n)).toBe(1);
  });

  it('an exam is corrected freely until someone starts it; then only its title, end and targets; withdrawn only while untouched', async () => {
    const made = await office.post('/api/study/exams', exam({ title: '待修改', opensAt: '2026-11-24T01:00:00.000Z', closesAt: '2026-11-24T06:00:00.000Z' }));
    expect(made.status).toBe(201);
    const fewer = await office.put(`/api/study/exams/${made.body.id}`, exam({ title: '已修改', opensAt: '2026-11-24T01:00:00.000Z', closesAt: '2026-11-24T06:00:00.000Z', passScore: 30, rules: [{ type: 'judge', count: 3, points: 20 }] }));
    expect(fewer.status, JSON.stringify(fewer.body)).toBe(200);
    expect(fewer.body.fullScore).toBe(60);
    const got = (await office.get(`/api/study/exams/${made.body.id}`)).body;
    expect(got).toMatchObject({ title: '已修改', fullScore: 60, passScore: 30, targetUnitIds: [hsq], started: false, targetPeople: [] });
    const named = await office.put(`/api/study/exams/${made.body.id}`, exam({ title: '已修改', opensAt: '2026-11-24T01:00:00.000Z', closesAt: '2026-11-24T06:00:00.000Z', targetPersonIds: [officerPerson] }));
    expect(named.status).toBe(200);
    expect((await office.get(`/api/study/exams/${made.body.id}`)).body.targetPeople).toEqual([expect.objectContaining({ id: officerPerson, name: expect.any(String) })]);
    expect((await office.put(`/api/study/exams/${made.body.id}`, exam({ kind: 'offline_subjective', fullScore: 100 }))).body.field).toBe('kind');
    expect((await office.delete(`/api/study/exams/${made.body.id}`)).status).toBe(200);
    expect(await db().selectFrom('exam').select('id').where('id', '=', made.body.id).executeTakeFirst()).toBeUndefined();
    expect(await db().selectFrom('exam_target').select('exam_id').where('exam_id', '=', made.body.id).executeTakeFirst()).toBeUndefined();

    // The exam the officer sat: its paper, times and scores stay; its title, end and targets may change.
    expect((await office.get(`/api/study/exams/${examId}`)).body.started).toBe(true);
    const before = await db().selectFrom('exam').selectAll().where('id', '=', examId).executeTakeFirstOrThrow();
    const audits = await rowCounts(db(), 'audit_log', 'exam_target');
    const pass = await office.put(`/api/study/exams/${examId}`, exam({ passScore: 50 }));
    expect(pass.status).toBe(409);
    expect(pass.body.field).toBe('passScore');
    const past = await office.put(`/api/study/exams/${examId}`, exam({ closesAt: '2026-11-23T02:00:00.000Z' }));
    expect(past.status).toBe(400);
    expect(past.body.field).toBe('closesAt');
    expect((await office.delete(`/api/study/exams/${examId}`)).status).toBe(409);
    expect(await db().selectFrom('exam').selectAll().where('id', '=', examId).executeTakeFirstOrThrow()).toEqual(before);
    expect(await rowCounts(db(), 'audit_log', 'exam_target')).toEqual(audits);
    const later = await office.put(`/api/study/exams/${examId}`, exam({ title: '专题一线上测试（延长）', closesAt: '2026-11-23T07:00:00.000Z' }));
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect((await db().selectFrom('exam').select(['title', 'closes_at']).where('id', '=', examId).executeTakeFirstOrThrow())).toEqual({ title: '专题一线上测试（延长）', closes_at: '2026-11-23T07:00:00.000Z' });
    // A county admin cannot touch the city's exam beyond its scope.
    const cityExam = (await office.get('/api/study/exams?pageSize=50')).body.items.find((e: { title: string }) => e.title === '党史知识常态化自测');
    expect((await unitadmin.delete(`/api/study/exams/${cityExam.id}`)).status).toBe(403);
    // Put the end back for the tests that follow.
    expect((await office.put(`/api/study/exams/${examId}`, exam({ closesAt: '2026-11-23T06:00:00.000Z' }))).status).toBe(200);
  });

  let offlineId: string;

  it('offline scores: entered within scope, imported from Excel with every bad row reported and nothing written', async () => {
    const made = await office.post('/api/study/exams', {
      topicId, kind: 'offline_subjective', title: '专题一线下主观题考试', orgUnitId: hsq, opensAt: '2026-11-20T01:00:00.000Z', closesAt: '2026-11-20T03:00:00.000Z',
      fullScore: 100, passScore: 60, targetUnitIds: [hsq],
    });
    expect(made.status).toBe(201);
    offlineId = made.body.id;
    const before = await rowCounts(db(), 'exam_attempt', 'audit_log');
    const outside = await unitadmin.post(`/api/study/exams/${offlineId}/scores`, { scores: [{ personId: officerPerson, score: 80 }, { personId: ncxPerson, score: 70 }] });
    expect(outside.status).toBe(400);
    expect(outside.body.field).toBe('scores.1.personId');
    const over = await unitadmin.post(`/api/study/exams/${offlineId}/scores`, { scores: [{ personId: officerPerson, score: 101 }] });
    expect(over.status).toBe(400);
    expect(await rowCounts(db(), 'exam_attempt', 'audit_log')).toEqual(before);

    // The template lists the people expected, in the caller's scope.
    const tpl = await unitadmin.get(`/api/study/exams/${offlineId}/scores/template`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, '警号', '姓名', '单位', '成绩']);
    const names: string[] = [];
    ws.eachRow((row, n) => { if (n > 1) names.push(String(row.getCell(2).value)); });
    const officerName = (await db().selectFrom('person').select('name').where('id', '=', officerPerson).executeTakeFirstOrThrow()).name;
    expect(names).toContain(officerName);
    const officerNo = (await db().selectFrom('person').select('police_no').where('id', '=', officerPerson).executeTakeFirstOrThrow()).police_no ?? '';
    const adminNo = (await db().selectFrom('person').select('police_no').where('id', '=', adminPerson).executeTakeFirstOrThrow()).police_no ?? '';
    const adminName = (await db().selectFrom('person').select('name').where('id', '=', adminPerson).executeTakeFirstOrThrow()).name;
    const sheet = async (rows: (string | number)[][]) => {
      const out = new ExcelJS.Workbook();
      const w = out.addWorksheet('成绩');
      w.addRow(['警号', '姓名', '成绩']);
      rows.forEach((r) => w.addRow(r));
      return Buffer.from(await out.xlsx.writeBuffer());
    };
    const bad = await unitadmin.post(`/api/study/exams/${offlineId}/scores/import`, fileForm(await sheet([[officerNo, officerName, 85], ['X0000', '', 70], [adminNo, adminName, 120]]), '成绩.xlsx'));
    expect(bad.status).toBe(200);
    expect(bad.body.imported).toBe(0);
    expect(bad.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]), JSON.stringify(bad.body.errors)).toEqual([[3, '警号'], [4, '成绩']]);
    expect(await rowCounts(db(), 'exam_attempt', 'audit_log')).toEqual(before);
    const good = await unitadmin.post(`/api/study/exams/${offlineId}/scores/import`, fileForm(await sheet([[officerNo, officerName, 85], [adminNo, adminName, 50.5]]), '成绩.xlsx'));
    expect(good.body).toMatchObject({ imported: 2, errors: [] });
    const results = (await unitadmin.get(`/api/study/exams/${offlineId}/results`)).body;
    expect(results.total).toBe(2);
    expect(results.items.find((i: { personId: string }) => i.personId === officerPerson)).toMatchObject({ score: 85, passed: true, status: 'graded' });
    // The expected list: everyone in scope the exam expects, with their result; missing=1 those without.
    const expected = (await unitadmin.get(`/api/study/exams/${offlineId}/expected?pageSize=200`)).body;
    expect(expected.total).toBe(made.body.expectedCount);
    expect(expected.items.find((i: { personId: string }) => i.personId === officerPerson)).toMatchObject({ score: 85, status: 'graded' });
    const missing = (await unitadmin.get(`/api/study/exams/${offlineId}/expected?missing=1&pageSize=200`)).body;
    expect(missing.total).toBe(expected.total - 2);
    expect(missing.items.some((i: { personId: string }) => i.personId === officerPerson)).toBe(false);
    // Re-entering corrects, not duplicates.
    await unitadmin.post(`/api/study/exams/${offlineId}/scores`, { scores: [{ personId: officerPerson, score: 88 }] });
    expect((await unitadmin.get(`/api/study/exams/${offlineId}/results`)).body.items.find((i: { personId: string }) => i.personId === officerPerson).score).toBe(88);
  });

  it('the topic result combines online and offline by the topic weights', async () => {
    const online = (await db().selectFrom('exam_attempt').select('score').where('id', '=', attemptId).executeTakeFirstOrThrow()).score! / 10;
    const r = (await unitadmin.get(`/api/study/topics/${topicId}/results?orgUnitId=${officerUnit}&pageSize=200`)).body;
    const mine = r.items.find((i: { personId: string }) => i.personId === officerPerson);
    expect(mine.online).toBe(online);
    expect(mine.offline).toBe(88);
    expect(mine.combined).toBe(Math.round((online * 40 + 88 * 60) / 10) / 10);
    expect(mine.passed).toBe(mine.combined >= 60);
  });

  it('the archive totals equal their records; a unit admin cannot open someone beyond their scope; an officer opens only their own', async () => {
    // Two attendances of 1.5 and 2 hours.
    const now = clock().toISOString();
    for (const [hours, day] of [[15, '2026-11-02'], [20, '2026-11-09']] as const) {
      const id = newId();
      await db().insertInto('study_activity').values({
        id, campaign_id: 'campaign-1', topic_id: topicId, series_id: null, mode: 'lecture', title: `宣讲 ${day}`, held_on: day, starts_at: `${day}T01:00:00.000Z`, ends_at: `${day}T03:00:00.000Z`,
        place: null, org_unit_id: hsq, party_org_id: null, speaker: null, speaker_person_id: null, summary: null, links: '[]', hours_tenths: hours, checkin_secret: 'x', expected_count: 0,
        attended_count: 1, created_by: null, created_at: now, updated_at: now,
      }).execute();
      await db().insertInto('study_attendance').values({ activity_id: id, person_id: officerPerson, method: 'list', checked_at: now, held_on: day, hours_tenths: hours, recorded_by: null }).execute();
    }
    const recorded = await db().selectFrom('study_attendance').select(sql<number>`sum(hours_tenths)`.as('h')).where('person_id', '=', officerPerson).where('held_on', 'like', '2026-%').executeTakeFirstOrThrow();
    const mine = (await officer.get('/api/study/my/archive?year=2026')).body;
    expect(mine.hours).toBe(Number(recorded.h) / 10);
    expect(mine.attendances.reduce((s: number, a: { hours: number }) => s + a.hours, 0)).toBe(mine.hours);
    const attempts = await db().selectFrom('exam_attempt').innerJoin('exam', 'exam.id', 'exam_attempt.exam_id').select('exam_attempt.id').where('person_id', '=', officerPerson).where('exam.opens_at', '>=', '2025-12-31T16:00:00.000Z').where('exam.opens_at', '<', '2026-12-31T16:00:00.000Z').execute();
    expect(mine.exams).toHaveLength(attempts.length);
    expect(mine.topics.find((t: { topicId: string }) => t.topicId === topicId)).toBeDefined();
    const staff = (await unitadmin.get(`/api/study/archives/${officerPerson}?year=2026`)).body;
    expect(staff.hours).toBe(mine.hours);
    expect(staff.assessment.score).toBe(mine.assessment.score);
    expect((await unitadmin.get(`/api/study/archives/${ncxPerson}?year=2026`)).status).toBe(400);
    expect((await officer.get(`/api/study/archives/${officerPerson}`)).status).toBe(403);
    const xlsx = await officer.get('/api/study/my/archive/export?year=2026');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '学习活动', '分享', '观评', '考试成绩', '专题成绩', '选树典型']);
    expect(wb.getWorksheet('学习活动')!.rowCount).toBe(1 + mine.attendances.length);

    const summary = (await unitadmin.get(`/api/study/archive-summary?year=2026`)).body;
    const unitRow = summary.units.find((u: { unitId: string }) => u.unitId === officerUnit);
    const unitHours = await db().selectFrom('study_attendance').innerJoin('person', 'person.id', 'study_attendance.person_id').select(sql<number>`sum(study_attendance.hours_tenths)`.as('h')).where('person.org_unit_id', '=', officerUnit).where('person.status', '=', 'active').where('study_attendance.held_on', 'like', '2026-%').executeTakeFirstOrThrow();
    expect(unitRow.hours).toBe(Number(unitHours.h) / 10);
    expect(summary.units.every((u: { unitName: string }) => !u.unitName.includes('宁城'))).toBe(true);
  });

  it('the annual assessment follows the year formula set by the office; a bad formula is refused and writes nothing', async () => {
    const before = await rowCounts(db(), 'study_assessment_rule', 'audit_log');
    const bad = await office.put('/api/study/assessment/rules/2026', { hoursTarget: 10, participationTarget: 2, hoursWeight: 50, examsWeight: 40, participationWeight: 20, awardMinScore: 80, requireTopicsPassed: true });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('participationWeight');
    expect((await unitadmin.put('/api/study/assessment/rules/2026', { hoursTarget: 10, participationTarget: 2, hoursWeight: 50, examsWeight: 40, participationWeight: 10, awardMinScore: 80, requireTopicsPassed: true })).status).toBe(403);
    expect(await rowCounts(db(), 'study_assessment_rule', 'audit_log')).toEqual(before);
    const ok = await office.put('/api/study/assessment/rules/2026', { hoursTarget: 10, participationTarget: 2, hoursWeight: 50, examsWeight: 40, participationWeight: 10, awardMinScore: 80, requireTopicsPassed: true });
    expect(ok.status).toBe(200);
    const a = (await office.get(`/api/study/assessment?year=2026&orgUnitId=${officerUnit}&pageSize=200`)).body;
    const mine = a.items.find((i: { personId: string }) => i.personId === officerPerson);
    const topic = mine.topics.find((t: { topicId: string }) => t.topicId === topicId);
    // 3.5 of 10 hours → 17.5; exams: the topic's combined result × 40%; no shares or reviews → 0.
    expect(mine.hoursPart).toBe(17.5);
    expect(mine.examsPart).toBe(Math.round(topic.combined * 4) / 10);
    expect(mine.participationPart).toBe(0);
    expect(mine.score).toBe(Math.round((17.5 + (topic.combined * 40) / 100) * 10) / 10);
    expect(mine.eligible).toBe(false);
    const xlsx = await office.get(`/api/study/assessment/export?year=2026&orgUnitId=${officerUnit}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(1 + a.total);
  });

  it('once a topic has been answered, what decides a mark cannot change; the explanation can', async () => {
    const id = bank.single![0]!;
    const q = (await office.get(`/api/study/questions/${id}`)).body;
    const body = { topicId, type: q.type, difficulty: q.difficulty, stem: q.stem, options: q.options, answer: q.answer, explanation: q.explanation };
    const before = await db().selectFrom('question').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const changed = await office.put(`/api/study/questions/${id}`, { ...body, answer: 'C' });
    expect(changed.status).toBe(409);
    expect(changed.body.field).toBe('answer');
    expect(await db().selectFrom('question').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);
    const explained = await office.put(`/api/study/questions/${id}`, { ...body, explanation: '1921 年 7 月 23 日开幕。' });
    expect(explained.status).toBe(200);
  });

  it('each exam’s figures in the list equal its attempts, for the city (kept counters) and for a county (counted in scope)', async () => {
    const attempts = await db().selectFrom('exam_attempt').select(['exam_id', 'status', 'score', 'passed', 'org_unit_id']).execute();
    const hsqPath = (await db().selectFrom('org_unit').select('path').where('id', '=', hsq).executeTakeFirstOrThrow()).path;
    const inHsq = new Set((await db().selectFrom('org_unit').select('id').where('path', 'like', `${hsqPath}%`).execute()).map((u) => u.id));
    const expectFor = (rows: typeof attempts) => {
      const graded = rows.filter((a) => a.status === 'graded');
      return {
        attempts: rows.length, submitted: rows.filter((a) => a.status !== 'in_progress').length, graded: graded.length,
        passed: graded.filter((a) => a.passed === 1).length, awaitingMarks: rows.filter((a) => a.status === 'submitted').length,
        average: graded.length ? Math.round(graded.reduce((t, a) => t + (a.score ?? 0), 0) / graded.length) / 10 : null,
      };
    };
    for (const [who, c, keep] of [['office', office, () => true], ['unitadmin', unitadmin, (a: { org_unit_id: string }) => inHsq.has(a.org_unit_id)]] as const) {
      const list = (await c.get('/api/study/exams?pageSize=100')).body.items as { id: string }[];
      expect(list.length, who).toBeGreaterThan(5);
      for (const e of list) {
        expect(e, `${who} ${e.id}`).toMatchObject(expectFor(attempts.filter((a) => a.exam_id === e.id && keep(a))));
      }
    }
  });

  it('the figures count the records that make them', async () => {
    const stats = (await collectStats(systemCtx(s.deps))).exams as { total: number; graded: number; passed: number; passRate: number | null };
    const total = Number((await db().selectFrom('exam').innerJoin('study_topic', 'study_topic.id', 'exam.topic_id').select(sql<number>`count(*)`.as('n')).where('study_topic.campaign_id', '=', 'campaign-1').executeTakeFirstOrThrow()).n);
    expect(stats.total).toBe(total);
    const graded = await db().selectFrom('exam_attempt').select([sql<number>`count(*)`.as('n'), sql<number>`sum(passed)`.as('p')]).where('status', '=', 'graded').executeTakeFirstOrThrow();
    expect(stats.graded).toBe(Number(graded.n));
    expect(stats.passed).toBe(Number(graded.p));
    expect(stats.passRate).toBe(Math.round((Number(graded.p) / Number(graded.n)) * 1000) / 1000);
  });
});
