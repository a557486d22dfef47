import type { Actor, Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { openSheet, xlsxBuffer, type Column, type SheetReadOptions } from '../../platform/excel.js';
import { AppError, badRequest, conflict } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import {
  DIFFICULTIES, OPTION_KEYS, QUESTION_TYPES, QuestionInput, blankCount, type QuestionType,
} from '../../../shared/schemas/exams.js';
import { duplicateKey, duplicateMessage, lockTopicBank, questionRow } from './bank.js';
import type { QuestionTable } from '../../db/types.js';
import { docxParagraphs, halfWidth, MAX_QUESTIONS, openZip, wordQuestions, type RawQuestion } from './bank-docx.js';

// Importing a question bank from the bureau's own files: the Excel template (one question a row) or
// a Word exam paper in the usual Chinese layout (bank-docx.ts). Every question is checked by the same
// QuestionInput schema as one entered by hand, and by the duplicate rule (same type and stem in the
// topic, or twice in the file). 'all' writes nothing when any question is bad, 'good_rows' writes the
// good ones and reports the rest, dryRun only checks. The file type is told by its content.

export const BANK_HEADERS = ['题型', '难度', '题干', ...OPTION_KEYS.map((k) => `选项${k}`), '答案', '解析'];

export function bankTemplate(): Promise<Buffer> {
  const row = (type: string, difficulty: string, stem: string, options: string[], answer: string, explanation = '') => [
    type, difficulty, stem, ...OPTION_KEYS.map((_, i) => options[i] ?? ''), answer, explanation,
  ];
  return xlsxBuffer('题库', BANK_HEADERS, [
    row('单选题', '易', '我国的根本政治制度是（ ）。', ['人民代表大会制度', '中国共产党领导的多党合作和政治协商制度', '民族区域自治制度', '基层群众自治制度'], 'A', '人民代表大会制度是我国的根本政治制度。'),
    row('多选题', '中', '政法队伍教育整顿的“四项任务”包括（ ）。', ['清除害群之马', '整治顽瘴痼疾', '弘扬英模精神', '提升能力素质'], 'ABCD'),
    row('判断题', '易', '政法队伍教育整顿分两批开展。', [], '正确'),
    row('填空题', '中', '教育整顿的三个环节依次是学习教育、____和____。', [], '查纠整改/查纠|总结提升', '多个空用“|”或“；”分隔，一个空的几种答案用“/”分隔。'),
    row('简答题', '难', '简述政法队伍教育整顿的“四项任务”。', [], '清除害群之马，整治顽瘴痼疾，弘扬英模精神，提升能力素质。'),
  ]);
}

// ------------------------------------------------------------------ answers as people type them

const TYPE_WORDS: [RegExp, QuestionType][] = [
  [/^(单选题?|单项选择题?|single)$/i, 'single'],
  [/^(多选题?|多项选择题?|不定项选择题?|multiple)$/i, 'multiple'],
  [/^(判断题?|是非题?|judge)$/i, 'judge'],
  [/^(填空题?|blank)$/i, 'blank'],
  [/^(简答题?|问答题?|论述题?|essay)$/i, 'essay'],
];

export function parseType(text: string): QuestionType | null {
  const t = halfWidth(text).replace(/\s+/g, '');
  return TYPE_WORDS.find(([re]) => re.test(t))?.[1] ?? null;
}

/** 易/中/难, 简单/一般/困难, or 1–3; empty is 中. Null: not understood. */
export function parseDifficulty(text: string | null): 1 | 2 | 3 | null {
  const t = halfWidth(text ?? '').replace(/\s+/g, '');
  if (!t) return 2;
  if (/^(1|易|简单|容易|低)$/.test(t)) return 1;
  if (/^(2|中|中等|一般|适中)$/.test(t)) return 2;
  if (/^(3|难|困难|较难|高)$/.test(t)) return 3;
  return null;
}

/** "B", "ACD", "A,C,D", "A、C、D", "Ａ Ｃ": the letters in order of appearance; null when not letters. */
export function parseLetters(text: string): string[] | null {
  const t = halfWidth(text).toUpperCase().replace(/[\s,，、;；/|.。]+/g, '');
  if (!t || !/^[A-Z]+$/.test(t)) return null;
  return [...t];
}

const TRUE_WORDS = new Set(['正确', '对', '√', '✓', '✔', '是', 'T', 'TRUE', 'Y', 'YES', '正确的', '对的']);
const FALSE_WORDS = new Set(['错误', '错', '×', '✗', '✘', 'X', '否', 'F', 'FALSE', 'N', 'NO', '错误的', '错的', '不正确']);

export function parseJudge(text: string): boolean | null {
  const t = halfWidth(text).toUpperCase().replace(/\s+/g, '').replace(/[。.!！]+$/, '');
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return null;
}

/** Blanks split by | or ；(;), a blank's accepted answers by /. Texts as typed (full-width kept). */
export function parseBlanks(text: string): string[][] {
  const h = halfWidth(text);
  const pieces = (s: string, hs: string, sep: RegExp) => {
    const out: string[] = [];
    let start = 0;
    for (const m of hs.matchAll(sep)) {
      out.push(s.slice(start, m.index));
      start = m.index! + m[0].length;
    }
    out.push(s.slice(start));
    return out;
  };
  const blanks = pieces(text, h, /[|;]/g);
  const hBlanks = pieces(h, h, /[|;]/g);
  return blanks
    .map((b, i) => pieces(b, hBlanks[i]!, /\//g).map((a) => a.trim()).filter(Boolean))
    .filter((alts) => alts.length > 0);
}

/** The answer as people write it in a file, in a question's stored form. */
export function formatAnswer(type: QuestionType, answer: unknown): string {
  switch (type) {
    case 'single':
      return String(answer ?? '');
    case 'multiple':
      return Array.isArray(answer) ? answer.join('') : '';
    case 'judge':
      return answer === true ? '正确' : answer === false ? '错误' : '';
    case 'blank':
      return Array.isArray(answer) ? answer.map((alts) => (Array.isArray(alts) ? alts.join('/') : String(alts))).join('|') : '';
    default:
      return String(answer ?? '');
  }
}

// ------------------------------------------------------------------ one question, checked

const FIELD_LABELS: Record<string, string> = {
  topicId: '专题', type: '题型', difficulty: '难度', stem: '题干', options: '选项', answer: '答案', explanation: '解析',
};

interface Problem {
  field: string;
  message: string;
}

/** A file's question as a QuestionInput, or what is wrong with it (Chinese, by field). */
export function toInput(raw: RawQuestion, topicId: string): { input?: QuestionInput; problems: Problem[] } {
  const problems: Problem[] = [...raw.problems];
  const bad = (field: string, message: string) => problems.push({ field, message });
  if (raw.badType !== undefined) {
    bad('题型', `“${raw.badType}”应为${Object.values(QUESTION_TYPES).join('、')}之一`);
    return { problems };
  }
  const difficulty = parseDifficulty(raw.difficulty);
  if (difficulty === null) bad('难度', `“${raw.difficulty}”应为易、中、难或 1–3`);
  let stem = raw.stem.trim();
  let answerText = raw.answer?.trim() ?? '';
  const options = raw.options;
  const keys = new Set(options.map((o) => o.key));
  // A choice question with its answer in the stem's brackets: 下列……的是（ B ）。
  if (!answerText && options.length && raw.type !== 'judge' && raw.type !== 'blank' && raw.type !== 'essay') {
    const h = halfWidth(stem);
    const inStem = [...h.matchAll(/\(\s*([A-H]{1,8})\s*\)/g)];
    if (inStem.length === 1) {
      const m = inStem[0]!;
      answerText = m[1]!;
      stem = `${stem.slice(0, m.index)}（ ）${stem.slice(m.index! + m[0].length)}`;
    }
  }
  if (!stem) bad('题干', '未找到题干');
  if (!answerText) bad('答案', '未找到答案');

  const letters = answerText ? parseLetters(answerText) : null;
  let type = raw.type;
  if (!type) {
    if (options.length) type = letters && letters.length > 1 ? 'multiple' : 'single';
    else if (answerText && parseJudge(answerText) !== null) type = 'judge';
    else if (blankCount(stem) > 0) type = 'blank';
    else type = 'essay';
  }
  let answer: QuestionInput['answer'] = answerText;
  if (answerText) {
    if (type === 'single' || type === 'multiple') {
      if (!letters) bad('答案', `“${answerText}”应为选项字母，如 ${type === 'single' ? 'B' : 'ACD'}`);
      else {
        const missing = [...new Set(letters)].filter((k) => !keys.has(k));
        if (missing.length && options.length >= 2) bad('答案', `答案 ${missing.join('、')} 不在选项中`);
        else if (type === 'single' && letters.length > 1) bad('答案', `单选题只能有一个答案（写的是 ${letters.join('')}）`);
        answer = type === 'single' ? letters[0]! : letters;
      }
    } else if (type === 'judge') {
      const j = parseJudge(answerText);
      if (j === null) bad('答案', `“${answerText}”应为“正确”或“错误”（也可写对/错、√/×）`);
      else answer = j;
    } else if (type === 'blank') {
      answer = parseBlanks(answerText);
    }
  }
  if (problems.length) return { problems };
  try {
    const input = parseInput(QuestionInput, {
      topicId, type, difficulty, stem, options, answer, explanation: raw.explanation?.trim() || null,
    });
    return { input, problems };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const details = (err.details as { field: string; message: string }[] | undefined) ?? [{ field: err.field ?? '', message: err.message }];
    const seen = new Set<string>();
    for (const d of details) {
      const [head, index] = d.field.split('.');
      let field = FIELD_LABELS[head ?? ''] ?? '题目';
      if (head === 'options' && index !== undefined) field = `选项${options[Number(index)]?.key ?? ''}`;
      if (seen.has(field)) continue; // one message a field
      seen.add(field);
      bad(field, d.message);
    }
    return { problems };
  }
}

// ------------------------------------------------------------------ the import

export interface BankImportError {
  /** Sheet row (Excel) or the question's place in the document (Word). */
  row: number;
  /** The question's number as printed (Word). */
  number: string | null;
  field: string;
  message: string;
}

export interface BankImportReport {
  format: 'xlsx' | 'docx';
  mode: 'all' | 'good_rows';
  dryRun: boolean;
  /** Questions (Word) or data rows (Excel) read. */
  totalRows: number;
  /** Questions that passed every check (what a write would add, or added). */
  valid: number;
  imported: number;
  skipped: number;
  /** Questions that passed, by type. */
  byType: Record<QuestionType, number>;
  errors: BankImportError[];
}

export interface BankImportOptions {
  topicId: string;
  mode: 'all' | 'good_rows';
  dryRun: boolean;
}

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads an uploaded .xlsx (the template) or .docx (an exam paper), told apart by content, and imports it. */
export async function importQuestions(ctx: Ctx, file: Buffer, opts: BankImportOptions, sheetLimits: SheetReadOptions = {}): Promise<BankImportReport> {
  const actor = requirePermission(ctx, 'exams:write');
  const topic = await ctx.db.selectFrom('study_topic').select('id').where('id', '=', opts.topicId).executeTakeFirst();
  if (!topic) throw badRequest('专题：不存在', 'topicId');
  if (file.subarray(0, 8).equals(OLE)) {
    throw badRequest('文件：是加密的或旧版（.doc / .xls）Office 文件，请取消密码并另存为 .docx 或 .xlsx 后再导入', 'file');
  }
  if (file.length < 4 || file.readUInt32LE(0) !== 0x04034b50) throw badRequest('文件：只接受 Excel（.xlsx）或 Word（.docx）文件', 'file');
  const zip = await openZip(file);
  if (zip.file('word/document.xml')) {
    return finish(ctx, actor, 'docx', wordQuestions(docxParagraphs(zip)), opts, (q) => (q.number ? `第 ${q.number} 题` : `第 ${q.row} 题（未编号）`));
  }
  if (zip.file('xl/workbook.xml')) {
    return finish(ctx, actor, 'xlsx', excelQuestions(file, sheetLimits), opts, (q) => `第 ${q.row} 行`);
  }
  throw badRequest('文件：只接受 Excel（.xlsx）或 Word（.docx）文件', 'file');
}

async function* excelQuestions(file: Buffer, limits: SheetReadOptions): AsyncGenerator<RawQuestion> {
  const sheet = await openSheet(file, { maxRows: MAX_QUESTIONS, ...limits });
  try {
    if (!sheet.headers.includes('题干') || !sheet.headers.includes('答案')) {
      throw badRequest('文件：缺少必需的列（题干、答案），请使用导入模板', 'file');
    }
    for await (const r of sheet) {
      const v = r.values;
      const typeText = v['题型'] ?? '';
      const type = typeText ? parseType(typeText) : null;
      yield {
        row: r.row, number: null, section: null, type, ...(typeText && !type ? { badType: typeText } : {}),
        difficulty: v['难度'] || null, stem: v['题干'] ?? '',
        options: OPTION_KEYS.filter((k) => v[`选项${k}`]).map((k) => ({ key: k, text: v[`选项${k}`]! })),
        answer: v['答案'] || null, explanation: v['解析'] || null, problems: [],
      };
    }
  } finally {
    sheet.close();
  }
}

interface Good {
  raw: RawQuestion;
  where: string;
  input: QuestionInput;
  key: string;
}

/** Which of these (type, stem) pairs the topic's bank already has, and in which status. */
async function inBank(db: Ctx['db'], topicId: string, goods: Good[]): Promise<Map<string, 'active' | 'retired'>> {
  const found = new Map<string, 'active' | 'retired'>();
  const stems = [...new Set(goods.map((g) => g.input.stem))];
  for (let i = 0; i < stems.length; i += 200) {
    const rows = await db
      .selectFrom('question')
      .select(['type', 'stem', 'status'])
      .where('topic_id', '=', topicId)
      .where('stem', 'in', stems.slice(i, i + 200))
      .execute();
    for (const r of rows) found.set(duplicateKey(r.type, r.stem), r.status);
  }
  return found;
}

async function finish(
  ctx: Ctx,
  actor: Actor,
  format: 'xlsx' | 'docx',
  questions: AsyncIterable<RawQuestion>,
  opts: BankImportOptions,
  label: (q: RawQuestion) => string,
): Promise<BankImportReport> {
  const errors: BankImportError[] = [];
  const good: Good[] = [];
  const firstSeen = new Map<string, string>();
  const numbers = new Map<string, number>();
  const raws: RawQuestion[] = [];
  for await (const raw of questions) {
    raws.push(raw);
    if (raw.number) numbers.set(raw.number, (numbers.get(raw.number) ?? 0) + 1);
  }
  if (!raws.length) {
    throw badRequest(format === 'docx' ? '文件：没有找到试题（题目须编号，如“1.”，并写明“答案：”）' : '文件：没有数据行', 'file');
  }
  // Numbers that start again in each section: a question is named with its section.
  const restarts = [...numbers.values()].some((n) => n > 1);
  const where = (q: RawQuestion) => (restarts && q.section ? `“${q.section}”${label(q)}` : label(q));
  for (let i = 0; i < raws.length; i++) {
    if (i % 200 === 199) await yieldToLoop(); // checking thousands of questions: let other requests in
    const raw = raws[i]!;
    const at = where(raw);
    const report = (field: string, message: string) =>
      errors.push({ row: raw.row, number: raw.number, field, message: message.includes(field) ? `${at}：${message}` : `${at}（${field}）：${message}` });
    const { input, problems } = toInput(raw, opts.topicId);
    if (!input) {
      for (const p of problems) report(p.field, p.message);
      continue;
    }
    const key = duplicateKey(input.type, input.stem);
    const first = firstSeen.get(key);
    if (first) {
      report('题干', `题干与${first}重复`);
      continue;
    }
    firstSeen.set(key, at);
    good.push({ raw, where: at, input, key });
  }
  const existing = await inBank(ctx.db, opts.topicId, good);
  const dupError = (g: Good, status: 'active' | 'retired') =>
    errors.push({ row: g.raw.row, number: g.raw.number, field: '题干', message: `${g.where}：${duplicateMessage(g.input.type, status)}` });
  let toWrite = good.filter((g) => {
    const status = existing.get(g.key);
    if (status) dupError(g, status);
    return !status;
  });

  const byType = Object.fromEntries(Object.keys(QUESTION_TYPES).map((t) => [t, 0])) as Record<QuestionType, number>;
  for (const g of toWrite) byType[g.input.type]++;
  const report: BankImportReport = {
    format, mode: opts.mode, dryRun: opts.dryRun, totalRows: raws.length, valid: toWrite.length, imported: 0, skipped: raws.length, byType, errors,
  };
  const sortErrors = () => errors.sort((a, b) => a.row - b.row);
  if (opts.dryRun || (opts.mode === 'all' && errors.length > 0) || toWrite.length === 0) {
    sortErrors();
    return report;
  }

  // One transaction: either the whole import is in the bank (with its audit entry) or none of it.
  await runCommand(ctx, { action: 'import', entityType: 'question' }, async (trx) => {
    await lockTopicBank(trx, ctx, opts.topicId);
    // Someone may have added the same question since the check above.
    const raced = await inBank(trx, opts.topicId, toWrite);
    if (raced.size) {
      if (opts.mode === 'all') throw conflict('题干：导入期间本专题题库有变动，请重新导入', 'stem');
      toWrite = toWrite.filter((g) => {
        const status = raced.get(g.key);
        if (status) dupError(g, status);
        return !status;
      });
    }
    const now = ctx.now().toISOString();
    const rows: QuestionTable[] = toWrite.map((g) => questionRow(g.input, actor.userId, now));
    for (let i = 0; i < rows.length; i += 100) await trx.insertInto('question').values(rows.slice(i, i + 100)).execute();
    return { result: undefined, entityId: null, after: { topicId: opts.topicId, format, imported: rows.length, ids: rows.map((r) => r.id) } };
  });
  sortErrors();
  report.imported = toWrite.length;
  report.valid = toWrite.length;
  report.skipped = raws.length - toWrite.length;
  return report;
}

// ------------------------------------------------------------------ export, in the template's layout

export const BANK_EXPORT_COLUMNS: Column<QuestionTable>[] = [
  { header: '题型', value: (q) => QUESTION_TYPES[q.type], width: 10 },
  { header: '难度', value: (q) => DIFFICULTIES[q.difficulty], width: 6 },
  { header: '题干', value: (q) => q.stem, width: 60 },
  ...OPTION_KEYS.map((k): Column<QuestionTable> => ({
    header: `选项${k}`,
    value: (q) => (JSON.parse(q.options) as { key: string; text: string }[]).find((o) => o.key === k)?.text ?? '',
    width: 24,
  })),
  { header: '答案', value: (q) => formatAnswer(q.type, JSON.parse(q.answer)), width: 16 },
  { header: '解析', value: (q) => q.explanation, width: 40 },
];
