import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppError, badRequest } from '../../platform/errors.js';
import { cleanText } from '../../platform/input.js';
import type { QuestionType } from '../../../shared/schemas/exams.js';

// Reads the paragraphs of an uploaded .docx for the question-bank import.
//
// Why not mammoth's raw text: it drops Word's automatic list numbering, and exam papers are often
// numbered that way (1. 2. 3. and A. B. C. that are not typed). Here the numbering definitions
// (numbering.xml, and list styles in styles.xml) are read, and every paragraph says whether it is
// auto-numbered, in which format (decimal, letter, Chinese counting) and with which value.
//
// Why streaming (jszip's nodeStream + saxes) rather than inflating and parsing the whole document:
// a large bank's document.xml runs to tens of MB; inflating and parsing it piece by piece keeps the
// event loop free between pieces, bounds memory, and stops a zip bomb at the byte limit — the
// inflated bytes are counted as they come, whatever sizes the zip declares.

export const DOCX_LIMITS = {
  /** Inflated bytes of the parts read (document, numbering, styles), together. */
  maxInflatedBytes: 64 * 1024 * 1024,
  /** Characters in one paragraph: a bank's paragraph is a stem, an option or an answer. */
  maxParagraphChars: 50_000,
};

export interface DocParagraph {
  text: string;
  /** Word's automatic numbering, when the paragraph has it. */
  auto?: {
    kind: 'number' | 'letter' | 'chinese' | 'other';
    value: number;
    ilvl: number;
    /** The list the number belongs to: paragraphs of one list share it. */
    list: string;
  };
}

const mb = (n: number) => Number((n / 1024 / 1024).toFixed(2));

export const notDocx = () => badRequest('文件：不是有效的 Word（.docx）文件', 'file');

/** The zip of an upload, or a 400 naming the file. The zip's directory only: nothing is inflated. */
export async function openZip(data: Buffer): Promise<JSZip> {
  try {
    return await JSZip.loadAsync(data, { checkCRC32: false });
  } catch {
    throw badRequest('文件：不是有效的 Excel（.xlsx）或 Word（.docx）文件', 'file');
  }
}

/** The size a zip entry declares; jszip keeps it on the entry's compressed data. */
function declaredSize(f: JSZip.JSZipObject): number | undefined {
  const n = (f as unknown as { _data?: { uncompressedSize?: unknown } })._data?.uncompressedSize;
  return typeof n === 'number' && n >= 0 ? n : undefined;
}

class Budget {
  used = 0;
  constructor(readonly max: number) {}
  take(n: number) {
    this.used += n;
    if (this.used > this.max) throw badRequest(`文件：解压后超过大小限制（最大 ${mb(this.max)} MB）`, 'file');
  }
}

/** Inflates one entry as text, piece by piece, counting every inflated byte against the budget. */
async function* entryText(f: JSZip.JSZipObject, budget: Budget): AsyncGenerator<string> {
  const declared = declaredSize(f);
  if (declared !== undefined && budget.used + declared > budget.max) {
    throw badRequest(`文件：解压后超过大小限制（最大 ${mb(budget.max)} MB）`, 'file');
  }
  // jszip's stream is an old-style (readable-stream 2) stream: wrapped, it is async-iterable with backpressure.
  const stream = new Readable().wrap(f.nodeStream('nodebuffer') as unknown as NodeJS.ReadableStream);
  const decoder = new StringDecoder('utf8');
  let inflated = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      inflated += buf.length;
      if (declared !== undefined && inflated > declared) {
        throw badRequest('文件：压缩内容的实际大小与声明不符，不是有效的 Word（.docx）文件', 'file');
      }
      budget.take(buf.length);
      const s = decoder.write(buf);
      if (s) yield s;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw notDocx();
  } finally {
    stream.destroy();
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Parses a part with saxes, handing each tag and text to the callbacks; yields after every piece. */
async function* parsePart(
  f: JSZip.JSZipObject,
  budget: Budget,
  on: { open?: (t: SaxesTagPlain) => void; close?: (t: SaxesTagPlain) => void; text?: (s: string) => void },
): AsyncGenerator<void> {
  const parser = new SaxesParser({ xmlns: false });
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  if (on.open) parser.on('opentag', on.open as (t: unknown) => void);
  if (on.close) parser.on('closetag', on.close as (t: unknown) => void);
  if (on.text) parser.on('text', on.text);
  let first = true;
  let sinceBreak = 0;
  for await (let piece of entryText(f, budget)) {
    if (first && piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    first = false;
    parser.write(piece);
    if (failed) throw notDocx();
    yield;
    // Buffered pieces arrive as microtasks: give other requests a turn every so often.
    sinceBreak += piece.length;
    if (sinceBreak > 128 * 1024) {
      sinceBreak = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  parser.close();
  if (failed) throw notDocx();
}

const val = (t: SaxesTagPlain) => t.attributes['w:val'];

// ------------------------------------------------------------------ numbering definitions

interface Level {
  fmt: string;
  start: number;
}
interface Numbering {
  abstract: Map<string, Map<number, Level>>;
  nums: Map<string, { abstractId: string; starts: Map<number, number> }>;
}

async function readNumbering(f: JSZip.JSZipObject | null, budget: Budget): Promise<Numbering> {
  const out: Numbering = { abstract: new Map(), nums: new Map() };
  if (!f) return out;
  let abs: Map<number, Level> | null = null;
  let lvl: Level | null = null;
  let num: { abstractId: string; starts: Map<number, number> } | null = null;
  let overrideLvl = -1;
  let inNumLevel = false;
  for await (const _ of parsePart(f, budget, {
    open: (t) => {
      switch (t.name) {
        case 'w:abstractNum':
          abs = new Map();
          out.abstract.set(t.attributes['w:abstractNumId'] ?? '', abs);
          break;
        case 'w:lvl':
          if (num) {
            inNumLevel = true; // a level redefined inside an override: only its start matters here
            break;
          }
          lvl = { fmt: 'decimal', start: 1 };
          abs?.set(Number(t.attributes['w:ilvl'] ?? 0), lvl);
          break;
        case 'w:numFmt':
          if (lvl && !inNumLevel) lvl.fmt = val(t) ?? 'decimal';
          break;
        case 'w:start':
          if (lvl && !inNumLevel) lvl.start = Number(val(t) ?? 1) || 0;
          break;
        case 'w:num':
          num = { abstractId: '', starts: new Map() };
          out.nums.set(t.attributes['w:numId'] ?? '', num);
          break;
        case 'w:abstractNumId':
          if (num) num.abstractId = val(t) ?? '';
          break;
        case 'w:lvlOverride':
          overrideLvl = Number(t.attributes['w:ilvl'] ?? 0);
          break;
        case 'w:startOverride':
          if (num && overrideLvl >= 0) num.starts.set(overrideLvl, Number(val(t) ?? 1) || 0);
          break;
      }
    },
    close: (t) => {
      if (t.name === 'w:abstractNum') abs = null;
      else if (t.name === 'w:lvl') {
        lvl = null;
        inNumLevel = false;
      } else if (t.name === 'w:num') num = null;
      else if (t.name === 'w:lvlOverride') overrideLvl = -1;
    },
  }));
  return out;
}

/** Paragraph styles that carry numbering (list styles such as 列表编号), with their base style. */
async function readStyles(f: JSZip.JSZipObject | null, budget: Budget) {
  const styles = new Map<string, { numId?: string; ilvl?: number; basedOn?: string }>();
  if (!f) return styles;
  let cur: { numId?: string; ilvl?: number; basedOn?: string } | null = null;
  for await (const _ of parsePart(f, budget, {
    open: (t) => {
      if (t.name === 'w:style') {
        cur = t.attributes['w:type'] === 'paragraph' ? {} : null;
        if (cur) styles.set(t.attributes['w:styleId'] ?? '', cur);
      } else if (cur && t.name === 'w:basedOn') cur.basedOn = val(t);
      else if (cur && t.name === 'w:numId') cur.numId = val(t);
      else if (cur && t.name === 'w:ilvl') cur.ilvl = Number(val(t) ?? 0);
    },
    close: (t) => {
      if (t.name === 'w:style') cur = null;
    },
  }));
  return styles;
}

function kindOf(fmt: string | undefined): NonNullable<DocParagraph['auto']>['kind'] {
  if (!fmt) return 'other';
  if (/^decimal/.test(fmt)) return 'number';
  if (fmt === 'upperLetter' || fmt === 'lowerLetter') return 'letter';
  if (/^(chinese|ideograph|japaneseCounting|taiwaneseCounting|koreanCounting)/.test(fmt)) return 'chinese';
  return 'other';
}

// ------------------------------------------------------------------ the document

interface OpenParagraph {
  parts: string[];
  chars: number;
  numId?: string;
  ilvl?: number;
  styleId?: string;
}

// Whose text is not the document's current text: deleted or moved-away revisions, a drawing's
// fallback copy, old paragraph properties of a tracked change.
const SKIP = new Set(['w:del', 'w:moveFrom', 'mc:Fallback', 'w:pPrChange', 'w:rPrChange', 'w:instrText', 'w:delText']);

// Symbols inserted from Wingdings and friends that a judge answer may use.
const SYMBOLS: Record<string, string> = { F0FC: '√', F0FB: '×', F0FE: '√', F0FD: '×', F0D6: '×', F050: '√' };

/**
 * The document's paragraphs in order (tables cell by cell), each with its text (tabs and line
 * breaks kept) and its automatic number. Throws a 400 naming `file` for what is not a .docx or
 * passes a limit.
 */
export async function* docxParagraphs(zip: JSZip, limits = DOCX_LIMITS): AsyncGenerator<DocParagraph> {
  const main = zip.file('word/document.xml');
  if (!main) throw notDocx();
  const budget = new Budget(limits.maxInflatedBytes);
  const numbering = await readNumbering(zip.file('word/numbering.xml'), budget);
  const styles = await readStyles(zip.file('word/styles.xml'), budget);

  const styleNum = (id: string | undefined) => {
    for (let i = 0; id && i < 10; i++) {
      const s = styles.get(id);
      if (!s) return undefined;
      if (s.numId !== undefined) return { numId: s.numId, ilvl: s.ilvl };
      id = s.basedOn;
    }
    return undefined;
  };
  // Counters per list: a level counts on, the levels below it start again.
  const counters = new Map<string, number[]>();
  const autoOf = (p: OpenParagraph): DocParagraph['auto'] => {
    const fromStyle = styleNum(p.styleId);
    const numId = p.numId ?? fromStyle?.numId;
    if (!numId || numId === '0') return undefined;
    const ilvl = p.ilvl ?? fromStyle?.ilvl ?? 0;
    const num = numbering.nums.get(numId);
    const level = num ? numbering.abstract.get(num.abstractId)?.get(ilvl) : undefined;
    // Lists of one definition continue each other unless a list restarts its own numbering.
    const list = num && !num.starts.size ? `a${num.abstractId}` : `n${numId}`;
    const c = counters.get(list) ?? [];
    c[ilvl] = c[ilvl] === undefined ? (num?.starts.get(ilvl) ?? level?.start ?? 1) : c[ilvl]! + 1;
    c.length = ilvl + 1;
    counters.set(list, c);
    return { kind: kindOf(level?.fmt), value: c[ilvl]!, ilvl, list };
  };

  const stack: OpenParagraph[] = [];
  const ready: DocParagraph[] = [];
  let skip = 0;
  let inText = 0;
  let inRun = 0;
  let inPPr = 0;
  const add = (s: string) => {
    const p = stack[stack.length - 1];
    if (!p) return;
    p.chars += s.length;
    if (p.chars > limits.maxParagraphChars) throw badRequest(`文件：有一段文字超过 ${limits.maxParagraphChars} 字，不像是题库文件`, 'file');
    p.parts.push(s);
  };

  const parts = parsePart(main, budget, {
    open: (t) => {
      if (SKIP.has(t.name)) {
        if (!t.isSelfClosing) skip++;
        return;
      }
      if (skip) return;
      switch (t.name) {
        case 'w:p':
          if (t.isSelfClosing) ready.push({ text: '' });
          else stack.push({ parts: [], chars: 0 });
          break;
        case 'w:pPr':
          if (!t.isSelfClosing) inPPr++;
          break;
        case 'w:pStyle':
          if (inPPr && stack.length) stack[stack.length - 1]!.styleId = val(t);
          break;
        case 'w:numId':
          if (inPPr && stack.length) stack[stack.length - 1]!.numId = val(t);
          break;
        case 'w:ilvl':
          if (inPPr && stack.length) stack[stack.length - 1]!.ilvl = Number(val(t) ?? 0);
          break;
        case 'w:r':
          if (!t.isSelfClosing) inRun++;
          break;
        case 'w:t':
          if (!t.isSelfClosing) inText++;
          break;
        case 'w:tab':
          if (inRun) add('\t');
          break;
        case 'w:br':
        case 'w:cr':
          if (inRun) add('\n');
          break;
        case 'w:noBreakHyphen':
          if (inRun) add('-');
          break;
        case 'w:sym': {
          const ch = (t.attributes['w:char'] ?? '').toUpperCase();
          if (inRun && SYMBOLS[ch]) add(SYMBOLS[ch]!);
          break;
        }
      }
    },
    close: (t) => {
      if (SKIP.has(t.name)) {
        if (!t.isSelfClosing) skip = Math.max(0, skip - 1);
        return;
      }
      if (skip || t.isSelfClosing) return;
      switch (t.name) {
        case 'w:p': {
          const p = stack.pop();
          if (p) {
            // A text box's paragraph closes inside its anchor's paragraph: it comes out first.
            ready.push({ text: cleanText(p.parts.join('')), auto: autoOf(p) });
          }
          break;
        }
        case 'w:pPr':
          inPPr = Math.max(0, inPPr - 1);
          break;
        case 'w:r':
          inRun = Math.max(0, inRun - 1);
          break;
        case 'w:t':
          inText = Math.max(0, inText - 1);
          break;
      }
    },
    text: (s) => {
      if (!skip && inText) add(s);
    },
  });
  for await (const _ of parts) {
    while (ready.length) yield ready.shift()!;
  }
  while (ready.length) yield ready.shift()!;
}

// ------------------------------------------------------------------ the layout of Chinese exam papers

/** One question as read from a file, before it is checked: texts as the file has them. */
export interface RawQuestion {
  /** Sheet row (Excel) or the question's place in the document (Word), from 1. */
  row: number;
  /** The number printed before the stem (Word), if any. */
  number: string | null;
  /** The section heading above it (Word), e.g. 二、多项选择题. */
  section: string | null;
  /** From a section heading or the 题型 column; null: inferred from the question. */
  type: QuestionType | null;
  /** The 题型 column's text when it names no type. */
  badType?: string;
  difficulty: string | null;
  stem: string;
  options: { key: string; text: string }[];
  answer: string | null;
  explanation: string | null;
  problems: { field: string; message: string }[];
}

/** Full-width ASCII forms (Ａ．：（）１) and the ideographic space as their half-width selves, one for one. */
export function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

const CN_NUM = '[一二三四五六七八九十]+';
const HEADING_TYPES: [RegExp, RawQuestion['type']][] = [
  [/多项选择|多选|不定项/, 'multiple'],
  [/单项选择|单选/, 'single'],
  [/判断|是非/, 'judge'],
  [/填空/, 'blank'],
  [/简答|问答|论述|案例|材料分析|主观/, 'essay'],
  [/选择/, null],
];
const TYPE_HEADING = new RegExp(`^(?:第${CN_NUM}部分\\s*)?(?:${CN_NUM}\\s*[、.]\\s*)?([^\\d(:]{0,10}?题)\\s*(?:\\(.*\\))?\\s*[:。.]?\\s*$`);
const CN_SECTION = new RegExp(`^(?:第${CN_NUM}部分|${CN_NUM}\\s*[、.])`);

// Without 一、 before it, a heading is exactly a type's name (a stem may well end in …题).
const BARE_HEADING = /^(?:单项选择|单选|多项选择|多选|不定项选择|判断|是非|填空|简答|问答|论述|案例分析|材料分析|选择)题$/;

/** A section heading's type ('none' when the line is not a type heading). */
function headingType(h: string): RawQuestion['type'] | 'none' {
  const m = TYPE_HEADING.exec(h);
  if (!m) return 'none';
  if (!CN_SECTION.test(h) && !BARE_HEADING.test(m[1]!.trim())) return 'none';
  for (const [re, type] of HEADING_TYPES) if (re.test(m[1]!)) return type;
  return 'none';
}

const NUMBERED: [RegExp, string][] = [
  [/^第\s*(\d{1,4})\s*题\s*[.、:]?\s*/, 'ti'],
  [/^\(\s*(\d{1,4})\s*\)\s*/, 'paren'],
  [/^(\d{1,4})\s*\.(?!\d)\s*/, 'dot'],
  [/^(\d{1,4})\s*、\s*/, 'comma'],
  [/^(\d{1,4})\s*\)\s*/, 'half'],
];
const OPTION_START = /^(?:\(\s*([A-H])\s*\)|([A-H])\s*(?:[.、:)](?!\d)))\s*/;
const TAGS = [
  { field: 'answer', re: /^(?:【\s*(?:参考|正确|标准)?答案\s*】|\[\s*(?:参考|正确|标准)?答案\s*\])\s*:?\s*|^(?:参考|正确|标准)?答案\s*:\s*|^答\s*:\s*/ },
  { field: 'explanation', re: /^(?:【\s*(?:答案|试题)?解析\s*】|\[\s*解析\s*\])\s*:?\s*|^(?:答案|试题)?解析\s*:\s*/ },
  { field: 'difficulty', re: /^(?:【\s*难度\s*】)\s*:?\s*|^难度\s*:\s*/ },
] as const;
// A tag further along a tagged line: 答案：B【解析】… or 答案：B  难度：易
const LATER_TAG = /【\s*(?:答案|试题)?解析\s*】|【\s*难度\s*】|(?<=\s)(?:(?:答案|试题)?解析|难度)\s*:/;

type Tag = (typeof TAGS)[number]['field'];

function tagOf(h: string): { field: Tag; rest: number } | null {
  for (const t of TAGS) {
    const m = t.re.exec(h);
    if (m) return { field: t.field, rest: m[0].length };
  }
  return null;
}

/** Options on one line, A first: "A.甲  B.乙  C.丙  D.丙". Texts from the original line. */
function splitOptions(line: string, h: string, firstKey: string, from: number): { key: string; text: string }[] {
  const out: { key: string; text: string }[] = [];
  let key = firstKey;
  let start = from;
  for (;;) {
    const next = String.fromCharCode(key.charCodeAt(0) + 1);
    let at = -1;
    let len = 0;
    if (next <= 'H') {
      const re = new RegExp(`(?<![A-Za-z0-9])(?:\\(\\s*${next}\\s*\\)|${next}\\s*[.、:)](?!\\d))\\s*`, 'g');
      re.lastIndex = start;
      const m = re.exec(h);
      if (m) {
        at = m.index;
        len = m[0].length;
      }
    }
    out.push({ key, text: line.slice(start, at < 0 ? undefined : at).trim() });
    if (at < 0) return out;
    key = next;
    start = at + len;
  }
}

interface Building extends RawQuestion {
  style: string | null;
  num: number;
  state: 'stem' | 'options' | 'answer' | 'explanation';
  /** Lines after the answer that no tag claimed: the answer's continuation, or the next (unnumbered) stem. */
  tail: string[];
  autoIlvl?: number;
  optionsAuto?: boolean;
}

export const MAX_QUESTIONS = 5000;
const MAX_FIELD = 20_000;

const append = (a: string | null, b: string) => {
  const joined = a ? `${a}\n${b}` : b;
  return joined.length > MAX_FIELD ? joined.slice(0, MAX_FIELD) : joined;
};

/**
 * Questions in the usual layout of Chinese exam documents: section headings (一、单项选择题) set the
 * type below them; numbered stems (1. 1、 1． （1） 1) 第1题, or Word's automatic numbering);
 * options A–H on their own lines or several on one; 答案：/【答案】/参考答案：; optional 解析： and 难度：.
 * Unnumbered stems are taken when options or an answer follow them.
 */
export async function* wordQuestions(paragraphs: AsyncIterable<DocParagraph>): AsyncGenerator<RawQuestion> {
  let section: { title: string; type: RawQuestion['type'] } | null = null;
  let cur: Building | null = null;
  let pending: string[] = [];
  let count = 0;
  const done: RawQuestion[] = [];

  const essayish = (q: Building) => !q.options.length && (section?.type == null || section.type === 'essay');

  const close = () => {
    if (!cur) return;
    const q = cur;
    cur = null;
    if (q.tail.length) {
      const text = q.tail.join('\n');
      if (q.state === 'explanation' || !essayish(q)) q.explanation = append(q.explanation, text);
      else q.answer = append(q.answer, text);
    }
    const { style: _s, num: _n, state: _st, tail: _t, autoIlvl: _a, optionsAuto: _o, ...raw } = q;
    done.push(raw);
  };

  const open = (stem: string, number: number | null, style: string | null, auto?: DocParagraph['auto']) => {
    close();
    pending = [];
    if (++count > MAX_QUESTIONS) throw badRequest(`文件：一次最多导入 ${MAX_QUESTIONS} 道题`, 'file');
    cur = {
      row: count, number: number === null ? null : String(number), section: section?.title ?? null, type: section?.type ?? null,
      difficulty: null, stem, options: [], answer: null, explanation: null, problems: [],
      style, num: number ?? 0, state: 'stem', tail: [], autoIlvl: auto?.ilvl,
    };
  };

  /** An unnumbered stem: the line just before options or an answer (a preamble stays behind). */
  const openFromLeftovers = (lines: string[]) => {
    const stem = lines[lines.length - 1] ?? '';
    if (cur) cur.tail = lines.slice(0, -1);
    open(stem, null, null);
  };

  const onTag = (tag: Tag, text: string) => {
    if (!cur) {
      if (tag === 'difficulty' || !pending.length) return; // nothing to attach to (a preamble's 说明)
      openFromLeftovers(pending);
    }
    const q = cur!;
    if (tag === 'answer') {
      if (q.answer !== null || q.state === 'answer' || q.state === 'explanation') {
        // A one-line answer followed by lines and another answer: those lines were the next stem.
        if (q.tail.length && q.answer) openFromLeftovers(q.tail);
        else q.problems.push({ field: '答案', message: '有两处答案（题号是否漏写？）' });
      }
      const c = cur!;
      c.answer = c.answer === null ? text : append(c.answer, text);
      c.state = 'answer';
    } else if (tag === 'explanation') {
      if (q.tail.length) {
        const extra = q.tail.join('\n');
        q.tail = [];
        if (essayish(q)) q.answer = append(q.answer, extra);
        else q.explanation = append(q.explanation, extra);
      }
      q.explanation = q.explanation === null ? text : append(q.explanation, text);
      q.state = 'explanation';
    } else q.difficulty = text;
  };

  /** A line with tags (答案：B【解析】…): each part to its field. */
  const onTagged = (line: string, h: string, first: { field: Tag; rest: number }) => {
    let field: Tag = first.field;
    let start = first.rest;
    for (;;) {
      const rest = h.slice(start);
      const m = LATER_TAG.exec(rest);
      const end = m ? start + m.index : line.length;
      onTag(field, line.slice(start, end).trim());
      if (!m) return;
      const t = tagOf(h.slice(end).replace(/^\s+/, ''));
      if (!t) return;
      const lead = h.slice(end).length - h.slice(end).replace(/^\s+/, '').length;
      field = t.field;
      start = end + lead + t.rest;
    }
  };

  const onOption = (line: string, h: string, key: string | null, from: number, auto: boolean) => {
    if (!cur || ((cur.state === 'answer' || cur.state === 'explanation') && cur.tail.length)) {
      const lines = cur ? cur.tail : pending;
      if (!lines.length && !cur) return; // options before any stem: nothing to attach to
      if (lines.length) {
        if (cur) cur.tail = [];
        openFromLeftovers(lines);
      }
    }
    const q = cur!;
    if (q.state === 'answer' || q.state === 'explanation') {
      q.tail.push(line);
      return;
    }
    const k = key ?? String.fromCharCode('A'.charCodeAt(0) + q.options.length);
    if (k > 'H') {
      q.problems.push({ field: '选项', message: '选项超过 8 个' });
      return;
    }
    const opts = auto ? [{ key: k, text: line.trim() }] : splitOptions(line, h, k, from);
    q.options.push(...opts);
    q.state = 'options';
    if (auto) q.optionsAuto = true;
  };

  /** A numbered line: a new question, unless it is a numbered point inside a question answered in words. */
  const onNumbered = (stem: string, line: string, number: number, style: string, auto?: DocParagraph['auto']) => {
    const q = cur as Building | null;
    // The next question goes on numbering in its style; in another style it must take the next number
    // right after a one-line answer (答案：对), since a written answer's points are often numbered (1)(2).
    const closed = q && !q.tail.length && ((q.state === 'answer' && !!q.answer && !/[:：]$/.test(q.answer)) || q.state === 'explanation');
    const next = q && (style === q.style ? number > q.num : closed && number === q.num + 1);
    if (q && essayish(q) && (q.state !== 'stem' || q.number !== null) && !next) {
      onPlain(auto ? `${number}. ${line}` : line);
      return;
    }
    open(stem, number, style, auto);
  };

  const onPlain = (line: string) => {
    const q = cur as Building | null;
    if (!q) {
      pending.push(line);
      if (pending.length > 50) pending.shift();
      return;
    }
    if (q.state === 'stem') q.stem = append(q.stem, line);
    else if (q.state === 'options') {
      const last = q.options[q.options.length - 1]!;
      last.text = append(last.text, line);
    } else {
      q.tail.push(line);
      if (q.tail.length > 200) q.tail.shift();
    }
  };

  const onHeading = (title: string, type: RawQuestion['type']) => {
    close();
    pending = [];
    section = { title: title.replace(/\s*[(（].*$/, '').trim(), type };
  };

  for await (const p of paragraphs) {
    const lines = p.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/\t/g, ' ').trim();
      if (!line) continue;
      const h = halfWidth(line);
      const auto = i === 0 ? p.auto : undefined;
      const q = cur as Building | null;
      const inAnswerText = Boolean(q && (q.state === 'answer' || q.state === 'explanation') && essayish(q));
      const ht = headingType(h);
      if (ht !== 'none') onHeading(line, ht);
      else if (auto?.kind === 'chinese' || CN_SECTION.test(h)) {
        // 一、二、 inside a written answer are its points, not sections.
        if (inAnswerText) onPlain(line);
        else onHeading(line, null);
      } else {
        const tag = tagOf(h);
        const typed = NUMBERED.map(([re, style]) => ({ m: re.exec(h), style })).find((x) => x.m);
        const o = OPTION_START.exec(h);
        if (tag) onTagged(line, h, tag);
        else if (auto?.kind === 'letter') onOption(line, h, null, 0, true);
        else if (auto?.kind === 'other' && q && q.answer === null && q.state !== 'answer' &&
          ((q.autoIlvl !== undefined && auto.ilvl > q.autoIlvl) || (q.optionsAuto && q.options.length > 0))) {
          // A list without a known format: a deeper level under a stem, or more of its options, by position.
          onOption(line, h, null, 0, true);
        } else if (auto?.kind === 'number' || auto?.kind === 'other') onNumbered(line, line, auto.value, `auto:${auto.list}:${auto.ilvl}`, auto);
        else if (typed?.m) onNumbered(line.slice(typed.m[0].length).trim(), line, Number(typed.m[1]), typed.style);
        else if (o) onOption(line, h, (o[1] ?? o[2])!, o[0].length, false);
        else onPlain(line);
      }
    }
    while (done.length) yield done.shift()!;
  }
  close();
  while (done.length) yield done.shift()!;
}
