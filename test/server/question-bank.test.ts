import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AlignmentType, Document, LevelFormat, Packer, Paragraph, TextRun } from 'docx';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { fileForm, png, zip } from '../support/files.js';
import { rowCounts } from '../support/writes.js';

// 题库: questions by hand (checked by type, duplicates refused), imports from the Excel template and
// from a Word exam paper in the usual Chinese layout (with a report naming each bad question), export
// that re-imports to the same bank, and the bank's answers shown to its keepers only.

// ------------------------------------------------------------------ a Word exam paper

const P = (...runs: (string | TextRun)[]) => new Paragraph({ children: runs.map((r) => (typeof r === 'string' ? new TextRun(r) : r)) });

/** A realistic paper: headings, typed and automatic numbers, options every way, and three broken questions. */
async function examPaper(): Promise<Buffer> {
  const doc = new Document({
    numbering: {
      config: [{
        reference: 'auto',
        levels: [
          { level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, start: 6 },
          { level: 1, format: LevelFormat.UPPER_LETTER, text: '%2.', alignment: AlignmentType.START },
        ],
      }],
    },
    sections: [{
      children: [
        P('赤峰市司法局政法队伍教育整顿应知应会测试题'),
        P('（满分100分，考试时间60分钟）'),
        P('一、单项选择题（每题2分，共12分）'),
        P('1．政法队伍教育整顿的首要任务是（ ）。'),
        P('Ａ．清除害群之马'),
        P('Ｂ．整治顽瘴痼疾'),
        P('Ｃ．弘扬英模精神'),
        P('Ｄ．提升能力素质'),
        P('【答案】A'),
        P('【解析】清除害群之马是教育整顿的首要任务。'),
        P('2、教育整顿的三个环节中，第二个环节是（ ）。'),
        P('A.学习教育\tB.查纠整改\tC.总结提升\tD.巩固深化'),
        P('答案：B'),
        P('3. 防止干预司法“三个规定”的记录报告，实行（ ）。'),
        P('A. 有问必录  B. 选择记录  C. 定期记录  D. 不予记录'),
        P('答案：E'),
        P('4. 顽瘴痼疾专项整治中的“7+2”，其中“2”指的是（ ）。'),
        P('A. 两项专项整治'),
        P('B. 两类案件'),
        P('C. 两个规定'),
        P('D. 两批次'),
        P('5. 教育整顿期间，干警主动说清问题的，适用（ ）政策。'),
        P('答案：B'),
        new Paragraph({ children: [new TextRun('政法干警对党忠诚，首要的是（ ）。')], numbering: { reference: 'auto', level: 0 } }),
        new Paragraph({ children: [new TextRun('政治忠诚')], numbering: { reference: 'auto', level: 1 } }),
        new Paragraph({ children: [new TextRun('业务精通')], numbering: { reference: 'auto', level: 1 } }),
        new Paragraph({ children: [new TextRun('作风优良')], numbering: { reference: 'auto', level: 1 } }),
        new Paragraph({ children: [new TextRun('纪律严明')], numbering: { reference: 'auto', level: 1 } }),
        P('答案：A'),
        P('二、多项选择题（每题3分）'),
        P('1. 教育整顿的“四项任务”包括（ ）。'),
        P('A、清除害群之马'),
        P('B、整治顽瘴痼疾'),
        P('C、弘扬英模精神'),
        P('D、提升能力素质'),
        P('参考答案：ABCD'),
        P('解析：四项任务缺一不可。'),
        P('2. 下列属于“六个必谈”情形的有（ ）。'),
        P(new TextRun('A.思想出现波动'), new TextRun({ text: 'B.岗位职务调整', break: 1 }), new TextRun({ text: 'C.按时上下班', break: 1 }), new TextRun({ text: 'D.受到批评或处理', break: 1 })),
        P('答案：D、A'),
        P('三、判断题'),
        P('1. 政法队伍教育整顿分两批开展。（ ）'),
        P('答案：√'),
        P('2. 自查从宽、被查从严，意味着被查出的问题一律不予处理。（ ）'),
        P('答案：错误'),
        P('四、填空题'),
        P('1. 教育整顿的三个环节依次是学习教育、＿＿＿＿和＿＿＿＿。'),
        P('答案：查纠整改/查纠｜总结提升'),
        P('五、简答题'),
        P('1. 简述政法队伍教育整顿的“四项任务”。'),
        P('答案：'),
        P('（1）清除害群之马；'),
        P('（2）整治顽瘴痼疾；'),
        P('（3）弘扬英模精神；'),
        P('（4）提升能力素质。'),
        P('难度：难'),
        P('2. 简述防止干预司法“三个规定”的主要内容。'),
        P('参考答案：领导干部干预司法活动、插手具体案件处理的记录、通报和责任追究规定等三项规定。'),
      ],
    }],
  });
  return Packer.toBuffer(doc);
}

// ------------------------------------------------------------------ zip bombs


const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
/** A .docx whose document.xml is 500 MB of the same paragraph (about 1 MB zipped). */
function bombDocx(declare?: number): Buffer {
  const para = '<w:p><w:r><w:t>重复的内容重复的内容</w:t></w:r></w:p>';
  const block = Buffer.from(para.repeat(Math.floor((1024 * 1024) / Buffer.byteLength(para))), 'utf8');
  return zip([
    { name: '[Content_Types].xml', pieces: [{ data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') }] },
    {
      name: 'word/document.xml',
      pieces: [{ data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>`) }, { data: block, times: 500 }, { data: Buffer.from('</w:body></w:document>') }],
      declare,
    },
  ]);
}

// ------------------------------------------------------------------ the tests

describe.each(targets())('question bank on %s', (target) => {
  let s: TestServer;
  let office: Client;
  let unitadmin: Client;
  let topicId: string;

  beforeAll(async () => {
    s = await startServer(target);
    [office, unitadmin] = await Promise.all([s.as('office'), s.as('unitadmin')]);
    topicId = await newTopic('题库测试专题：教育整顿应知应会');
  });
  afterAll(async () => s?.close());

  async function newTopic(title: string): Promise<string> {
    const r = await office.post('/api/study/topics', { campaignId: 'campaign-1', title });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  }
  const inTopic = async (id: string) =>
    (await s.deps.db.selectFrom('question').selectAll().where('topic_id', '=', id).orderBy('created_at').orderBy('id').execute());
  const counts = () => rowCounts(s.deps.db, 'question');
  const upload = (c: Client, topic: string, data: Buffer, query = '', name = '题库.docx') =>
    c.post(`/api/study/questions/import?topicId=${topic}${query ? `&${query}` : ''}`, fileForm(data, name));
  /** What a question is, without ids and times. */
  const essence = (q: any) => ({ type: q.type, difficulty: q.difficulty, stem: q.stem, options: q.options, answer: q.answer, explanation: q.explanation });

  it('keeps questions by hand: create, list by type, update, retire and restore; multiple-choice answers sorted', async () => {
    const topic = await newTopic('手工录入专题');
    const single = await unitadmin.post('/api/study/questions', {
      topicId: topic, type: 'single', difficulty: 1, stem: '  我国的根本政治制度是（ ）。 ',
      options: [{ key: 'A', text: '人民代表大会制度' }, { key: 'B', text: '多党合作制度' }], answer: 'A', explanation: '宪法规定。',
    });
    expect(single.status, JSON.stringify(single.body)).toBe(201);
    expect(single.body).toMatchObject({ type: 'single', typeLabel: '单选题', difficultyLabel: '易', stem: '我国的根本政治制度是（ ）。', answer: 'A', status: 'active' });
    const multiple = await office.post('/api/study/questions', {
      topicId: topic, type: 'multiple', stem: '下列属于四项任务的有（ ）。',
      options: [{ key: 'A', text: '清除害群之马' }, { key: 'B', text: '按时上下班' }, { key: 'C', text: '整治顽瘴痼疾' }], answer: ['C', 'A'],
    });
    expect(multiple.status).toBe(201);
    expect(multiple.body).toMatchObject({ answer: ['A', 'C'], difficulty: 2 });
    for (const body of [
      { type: 'judge', stem: '教育整顿分两批开展。', answer: true },
      { type: 'blank', stem: '教育整顿的三个环节是学习教育、____和总结提升。', answer: [['查纠整改', '查纠']] },
      { type: 'essay', stem: '简述教育整顿的四项任务。', answer: '清除害群之马，整治顽瘴痼疾，弘扬英模精神，提升能力素质。', difficulty: 3 },
    ]) {
      const r = await office.post('/api/study/questions', { topicId: topic, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }

    const list = await office.get(`/api/study/questions?topicId=${topic}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(5);
    const judges = await office.get(`/api/study/questions?topicId=${topic}&type=judge`);
    expect(judges.body.items.map((q: any) => q.answer)).toEqual([true]);
    expect((await office.get(`/api/study/questions?topicId=${topic}&difficulty=3`)).body.items.map((q: any) => q.type)).toEqual(['essay']);

    const id = single.body.id;
    const changed = await office.put(`/api/study/questions/${id}`, {
      topicId: topic, type: 'single', difficulty: 2, stem: '我国的根本政治制度是（ ）。',
      options: [{ key: 'A', text: '人民代表大会制度' }, { key: 'B', text: '多党合作制度' }, { key: 'C', text: '民族区域自治制度' }], answer: 'A',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ difficulty: 2, explanation: null });
    expect(changed.body.options).toHaveLength(3);
    const other = await newTopic('另一专题');
    const moved = await office.put(`/api/study/questions/${id}`, { ...changed.body, topicId: other });
    expect(moved.status).toBe(400);
    expect(moved.body.field).toBe('topicId');

    expect((await office.post(`/api/study/questions/${id}/retire`)).body.status).toBe('retired');
    expect((await office.post(`/api/study/questions/${id}/retire`)).status).toBe(409);
    expect((await office.get(`/api/study/questions?topicId=${topic}`)).body.total).toBe(4);
    expect((await office.get(`/api/study/questions?topicId=${topic}&status=retired`)).body.items.map((q: any) => q.id)).toEqual([id]);
    expect((await office.post(`/api/study/questions/${id}/restore`)).body.status).toBe('active');
    expect((await office.get(`/api/study/questions/${id}`)).body).toMatchObject({ id, status: 'active', answer: 'A' });
    expect((await office.get('/api/study/questions/no-such-question')).status).toBe(404);
  });

  it('refuses bad questions with 400 naming the field and duplicates with 409; nothing is written', async () => {
    const topic = await newTopic('校验专题');
    const base = {
      topicId: topic, type: 'single', stem: '教育整顿的首要任务是（ ）。',
      options: [{ key: 'A', text: '清除害群之马' }, { key: 'B', text: '整治顽瘴痼疾' }], answer: 'A',
    };
    expect((await office.post('/api/study/questions', base)).status).toBe(201);
    const before = await counts();
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, stem: '另一题', answer: 'C' }, 'answer', /答案/],
      [{ ...base, stem: '另一题', type: 'multiple', answer: ['A'] }, 'answer', /多选题/],
      [{ ...base, stem: '教育整顿的三个环节是学习教育、____和____。', type: 'blank', options: [], answer: [['查纠整改']] }, 'answer', /2 个空/],
      [{ ...base, stem: '另一题', options: [{ key: 'A', text: '甲' }] }, 'options', /至少 2 个选项/],
      [{ ...base, stem: '另一题', options: [{ key: 'A', text: '甲' }, { key: 'C', text: '丙' }] }, 'options', /依次/],
      [{ ...base, stem: '另一题', type: 'judge', options: [], answer: '对' }, 'answer', /判断题/],
      [{ ...base, stem: '另一题', topicId: 'no-such-topic' }, 'topicId', /专题/],
    ];
    for (const [body, field, message] of bad) {
      const r = await office.post('/api/study/questions', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toMatch(message);
    }
    const dup = await office.post('/api/study/questions', { ...base, stem: `  ${base.stem}\t` });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ field: 'stem' });
    expect(dup.body.message).toMatch(/题干/);
    // The same stem as another type is another question.
    expect(await counts()).toEqual(before);
    const judge = await office.post('/api/study/questions', { topicId: topic, type: 'judge', stem: base.stem, answer: false });
    expect(judge.status).toBe(201);
    // An update may not make a duplicate either.
    const second = await office.post('/api/study/questions', { ...base, stem: '教育整顿的第二项任务是（ ）。', answer: 'B' });
    const clash = await office.put(`/api/study/questions/${second.body.id}`, { ...base });
    expect(clash.status).toBe(409);
    // A retired question still counts: restore it rather than enter it again.
    const first = (await inTopic(topic)).find((q) => q.stem === base.stem && q.type === 'single')!;
    await office.post(`/api/study/questions/${first.id}/retire`);
    const again = await office.post('/api/study/questions', base);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/已停用/);
  });

  it('imports a Word exam paper: headings, typed and automatic numbers, options every way; reports each bad question by its number', async () => {
    const paper = await examPaper();
    const before = await counts();
    const all = await upload(office, topicId, paper);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body).toMatchObject({ format: 'docx', mode: 'all', dryRun: false, totalRows: 13, valid: 10, imported: 0, skipped: 13 });
    expect(all.body.errors.map((e: any) => [e.number, e.field, e.message])).toEqual([
      ['3', '答案', '“一、单项选择题”第 3 题：答案 E 不在选项中'],
      ['4', '答案', '“一、单项选择题”第 4 题：未找到答案'],
      ['5', '选项', '“一、单项选择题”第 5 题：选择题至少 2 个选项'],
    ]);
    expect(await counts()).toEqual(before);

    const dry = await upload(office, topicId, paper, 'mode=good_rows&dryRun=1');
    expect(dry.body).toMatchObject({ dryRun: true, valid: 10, imported: 0, byType: { single: 3, multiple: 2, judge: 2, blank: 1, essay: 2 } });
    expect(dry.body.errors).toHaveLength(3);
    expect(await counts()).toEqual(before);

    const good = await upload(office, topicId, paper, 'mode=good_rows');
    expect(good.body).toMatchObject({ imported: 10, skipped: 3 });
    expect(await counts()).toEqual({ question: before.question + 10, audit_log: before.audit_log + 1 });

    const bank = (await office.get(`/api/study/questions?topicId=${topicId}&pageSize=50`)).body.items;
    const byStem = (start: string) => bank.find((q: any) => q.stem.startsWith(start));
    expect(byStem('政法队伍教育整顿的首要任务')).toMatchObject({
      type: 'single', answer: 'A', explanation: '清除害群之马是教育整顿的首要任务。',
      options: [{ key: 'A', text: '清除害群之马' }, { key: 'B', text: '整治顽瘴痼疾' }, { key: 'C', text: '弘扬英模精神' }, { key: 'D', text: '提升能力素质' }],
    });
    expect(byStem('教育整顿的三个环节中').options.map((o: any) => o.text)).toEqual(['学习教育', '查纠整改', '总结提升', '巩固深化']);
    // Word's own numbering: the stem and its lettered options are not typed in the text.
    expect(byStem('政法干警对党忠诚')).toMatchObject({ type: 'single', answer: 'A', options: [{ key: 'A', text: '政治忠诚' }, { key: 'B', text: '业务精通' }, { key: 'C', text: '作风优良' }, { key: 'D', text: '纪律严明' }] });
    expect(byStem('教育整顿的“四项任务”包括')).toMatchObject({ type: 'multiple', answer: ['A', 'B', 'C', 'D'], explanation: '四项任务缺一不可。' });
    expect(byStem('下列属于“六个必谈”')).toMatchObject({ type: 'multiple', answer: ['A', 'D'] });
    expect(byStem('下列属于“六个必谈”').options).toHaveLength(4);
    expect(byStem('政法队伍教育整顿分两批')).toMatchObject({ type: 'judge', answer: true, options: [] });
    expect(byStem('自查从宽')).toMatchObject({ type: 'judge', answer: false });
    expect(byStem('教育整顿的三个环节依次是')).toMatchObject({ type: 'blank', answer: [['查纠整改', '查纠'], ['总结提升']] });
    const essay = byStem('简述政法队伍教育整顿');
    expect(essay).toMatchObject({ type: 'essay', difficulty: 3 });
    expect(essay.answer).toBe('（1）清除害群之马；\n（2）整治顽瘴痼疾；\n（3）弘扬英模精神；\n（4）提升能力素质。');
    expect(byStem('简述防止干预司法')).toMatchObject({ type: 'essay', difficulty: 2 });

    // The same paper again: every good question is already in the bank.
    const again = await upload(office, topicId, paper, 'mode=good_rows');
    expect(again.body).toMatchObject({ imported: 0, valid: 0 });
    expect(again.body.errors.filter((e: any) => /本专题已有相同题干/.test(e.message))).toHaveLength(10);
  });

  it('infers the type without headings, and reads unnumbered stems and other number styles', async () => {
    const topic = await newTopic('无标题试卷');
    const doc = new Document({
      sections: [{
        children: [
          P('（1）下列说法正确的是（ ）。'),
          P('A．甲说法 B．乙说法 C．丙说法'),
          P('答案：B'),
          P('（2）下列说法正确的有（ ）。'),
          P('A) 甲 B) 乙 C) 丙'),
          P('答案：A,C'),
          P('3) 法律面前人人平等。'),
          P('答案：对'),
          P('第4题 人民调解委员会是调解民间纠纷的______组织。'),
          P('答案：群众性'),
          P('5) 谈谈你对“刀刃向内”的理解。'),
          P('答案：自我革命，刮骨疗毒。'),
          P('一般而言，规范性文件的效力低于（ ）。'),
          P('A、法律 B、道德 C、习惯'),
          P('【答案】A【解析】法律效力最高。'),
          P('6. 下列（ C ）是谈心谈话“六个必谈”之一。'),
          P('A. 按时上下班 B. 参加培训 C. 岗位职务调整'),
        ],
      }],
    });
    const r = await upload(office, topic, await Packer.toBuffer(doc));
    expect(r.body, JSON.stringify(r.body)).toMatchObject({ totalRows: 7, imported: 7, errors: [] });
    const bank = await inTopic(topic);
    expect(bank.map((q) => [q.type, JSON.parse(q.answer)])).toEqual([
      ['single', 'B'], ['multiple', ['A', 'C']], ['judge', true], ['blank', [['群众性']]], ['essay', '自我革命，刮骨疗毒。'], ['single', 'A'], ['single', 'C'],
    ]);
    expect(bank[5]).toMatchObject({ stem: '一般而言，规范性文件的效力低于（ ）。', explanation: '法律效力最高。' });
    expect(bank[6]!.stem).toBe('下列（ ）是谈心谈话“六个必谈”之一。');
  });

  it('imports the Excel template; exports a topic in the same layout, which re-imports to the same bank', async () => {
    const tpl = await office.get('/api/study/questions/template');
    expect(tpl.status).toBe(200);
    const topic = await newTopic('Excel 导入专题');
    const fromTemplate = await upload(office, topic, tpl.body, '', '题库导入模板.xlsx');
    expect(fromTemplate.body, JSON.stringify(fromTemplate.body)).toMatchObject({ format: 'xlsx', totalRows: 5, imported: 5, errors: [] });
    expect((await inTopic(topic)).map((q) => q.type).sort()).toEqual(['blank', 'essay', 'judge', 'multiple', 'single']);

    // Rows people get wrong: each named by its row and column.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.body);
    const headers = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
    const out = new ExcelJS.Workbook();
    const ws = out.addWorksheet('题库');
    ws.addRow(headers);
    const row = (type: string, difficulty: string, stem: string, options: string[], answer: string) =>
      ws.addRow([type, difficulty, stem, ...Array.from({ length: 8 }, (_, i) => options[i] ?? ''), answer, '']);
    row('单选', '1', '新的单选题（ ）。', ['甲', '乙', '丙'], 'c');
    row('多选题', '', '新的多选题（ ）。', ['甲', '乙', '丙'], 'A、C、D');
    row('判断题', '很难', '新的判断题。', [], '对');
    row('选择', '中', '题型写错了。', ['甲', '乙'], 'A');
    row('判断题', '易', '新的判断题二。', [], '也许');
    row('填空题', '中', '有____和____两个空。', [], '只有一个');
    row('单选题', '中', '新的单选题（ ）。', ['甲', '乙'], 'A');
    const before = await counts();
    const r = await upload(office, topic, Buffer.from(await out.xlsx.writeBuffer()), 'mode=good_rows', '错误示例.xlsx');
    expect(r.body).toMatchObject({ totalRows: 7, imported: 1 });
    expect(r.body.errors.map((e: any) => [e.row, e.field])).toEqual([[3, '答案'], [4, '难度'], [5, '题型'], [6, '答案'], [7, '答案'], [8, '题干']]);
    expect(r.body.errors[0].message).toBe('第 3 行：答案 D 不在选项中');
    expect(r.body.errors[5].message).toMatch(/^第 8 行：题干与第 2 行重复/);
    expect(await counts()).toEqual({ question: before.question + 1, audit_log: before.audit_log + 1 });

    // Export the Word-imported bank and import it into a new topic: the same questions.
    const exported = await office.get(`/api/study/questions/export?topicId=${topicId}`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain(encodeURIComponent('题库-'));
    const copy = await newTopic('题库副本');
    const re = await upload(office, copy, exported.body, '', '导出.xlsx');
    expect(re.body, JSON.stringify(re.body)).toMatchObject({ imported: 10, errors: [] });
    const original = (await office.get(`/api/study/questions?topicId=${topicId}&pageSize=50`)).body.items.map(essence);
    const copied = (await office.get(`/api/study/questions?topicId=${copy}&pageSize=50`)).body.items.map(essence);
    expect(copied).toEqual(original);
  });

  it('shows the bank (answers) to its keepers only: an officer and the clue handler get 403', async () => {
    const q = (await inTopic(topicId))[0]!;
    for (const login of ['officer', 'cluehandler']) {
      const c = await s.as(login);
      const before = await counts();
      for (const r of [
        await c.get(`/api/study/questions?topicId=${topicId}`),
        await c.get(`/api/study/questions/${q.id}`),
        await c.get('/api/study/questions/template'),
        await c.get(`/api/study/questions/export?topicId=${topicId}`),
        await c.post('/api/study/questions', { topicId, type: 'judge', stem: '越权新增的判断题。', answer: true }),
        await c.put(`/api/study/questions/${q.id}`, {}),
        await c.post(`/api/study/questions/${q.id}/retire`),
        await upload(c, topicId, await examPaper()),
      ]) {
        expect(r.status, login).toBe(403);
        expect(r.text).not.toContain(q.stem);
      }
      expect(await counts()).toEqual(before);
    }
  });

  it('refuses a zip bomb, a zip lying about its size and files that are not .docx or .xlsx; nothing is written', async () => {
    const topic = await newTopic('异常文件');
    const before = await counts();
    const started = Date.now();
    const cases: [Buffer, string, RegExp][] = [
      [bombDocx(), 'bomb.docx', /解压后超过大小限制/],
      [bombDocx(4096), 'liar.docx', /实际大小与声明不符/],
      [Buffer.from('这不是 Word 文件'), 'text.docx', /只接受 Excel（\.xlsx）或 Word（\.docx）/],
      [png(1, 2, 3), 'picture.docx', /只接受/],
      [zip([{ name: 'a.txt', pieces: [{ data: Buffer.from('hello') }] }]), 'other.zip', /只接受/],
      [Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), 'old.doc', /旧版/],
      [Buffer.from('PK\u0003\u0004 broken'), 'broken.docx', /不是有效的/],
    ];
    for (const [data, name, message] of cases) {
      const r = await upload(office, topic, data, '', name);
      expect(r.status, name).toBe(400);
      expect(r.body.field, name).toBe('file');
      expect(r.body.message, name).toMatch(message);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    const tooLarge = await upload(office, topic, Buffer.alloc(11 * 1024 * 1024, 1), '', 'large.docx');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.field).toBe('file');
    expect(await counts()).toEqual(before);
    // And the server still answers at once.
    expect((await office.get(`/api/study/questions?topicId=${topic}`)).status).toBe(200);
  });
});
