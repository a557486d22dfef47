// The code of the worker thread that reads an uploaded workbook (see sheet-reader.ts).
//
// It is plain JavaScript kept in a string and started with `new Worker(source, { eval: true })`:
// a worker given a file path would need a .ts file under vitest and a .js file under `npm start`
// (dist/), and this way one source serves both. exceljs is loaded by the absolute path the parent
// resolved.
//
// What it does, in order:
//  1. reads the zip central directory and refuses the workbook when the declared uncompressed
//     sizes add up to more than the limit, before inflating anything;
//  2. inflates only the parts it needs (workbook, relationships, shared strings, styles, the
//     first worksheet), streaming, counting every inflated byte: more than the limit in total, or
//     more than an entry declared (declared sizes can lie), stops the read;
//  3. removes characters XML 1.0 forbids (raw or as character references) before the XML parser
//     sees them, so such a cell is read (and cleaned by the parent) instead of failing the file;
//  4. parses the worksheet with exceljs's streaming WorksheetReader (cell types, shared strings,
//     dates by number format, formula results as exceljs reads them) and sends the rows to the
//     parent in batches, waiting for acknowledgements so it never runs far ahead of the
//     consumer; it stops at the first data row past the row limit.
//
// exceljs's WorkbookReader (stream.xlsx) is not used for the zip and the small parts: it unzips
// through unzipper with no size accounting, spools every worksheet that precedes
// sharedStrings.xml in the zip (Excel's own order) to a temporary file, decodes each chunk on its
// own (a Chinese character split between two chunks is garbled), keeps a font object per rich
// text run, and loading it (unzipper) costs 0.2–1.5 s per worker. Workbook, relationships and
// shared strings are read here with exceljs's SAX helper; styles with its StylesXform.
//
// Keep this source free of backticks and dollar-brace sequences: it lives in a template literal.

export const SHEET_WORKER_SOURCE = String.raw`
'use strict';
// Started with execArgv [] it is a classic script with require; should it ever run as a module
// (a parent started with --input-type=module passes that on), createRequire stands in.
const load = typeof require === 'function' ? require : process.getBuiltinModule('node:module').createRequire(process.cwd() + '/');
const { parentPort, workerData } = load('node:worker_threads');
const zlib = load('node:zlib');
const path = load('node:path');
const { Readable } = load('node:stream');
const { StringDecoder } = load('node:string_decoder');

const CHUNK = 64 * 1024;

class ReadError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}
function fail(code) {
  throw new ReadError(code);
}

// ---------------------------------------------------------------- zip directory

function u16(buf, at) {
  if (at < 0 || at + 2 > buf.length) fail('invalid');
  return buf.readUInt16LE(at);
}
function u32(buf, at) {
  if (at < 0 || at + 4 > buf.length) fail('invalid');
  return buf.readUInt32LE(at);
}
function u64(buf, at) {
  if (at < 0 || at + 8 > buf.length) fail('invalid');
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('invalid');
  return Number(v);
}

// Part names are case-insensitive in OPC; some tools write backslashes.
function partKey(name) {
  return name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
}

function readDirectory(buf, maxBytes) {
  // OLE compound file: an encrypted workbook or an old .xls.
  if (buf.length >= 8 && buf.readUInt32LE(0) === 0xe011cfd0 && buf.readUInt32LE(4) === 0xe11ab1a1) fail('ole');
  if (buf.length < 22) fail('invalid');
  let eocd = -1;
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('invalid');
  let count = u16(buf, eocd + 10);
  let cdSize = u32(buf, eocd + 12);
  let cdOffset = u32(buf, eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (u32(buf, locator) !== 0x07064b50) fail('invalid');
    const z64 = u64(buf, locator + 8);
    if (u32(buf, z64) !== 0x06064b50) fail('invalid');
    count = u64(buf, z64 + 32);
    cdSize = u64(buf, z64 + 40);
    cdOffset = u64(buf, z64 + 48);
  }
  if (cdOffset + cdSize > buf.length) fail('invalid');
  const entries = new Map();
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (u32(buf, p) !== 0x02014b50) fail('invalid');
    const flags = u16(buf, p + 8);
    const method = u16(buf, p + 10);
    let compressed = u32(buf, p + 20);
    let size = u32(buf, p + 24);
    const nameLen = u16(buf, p + 28);
    const extraLen = u16(buf, p + 30);
    const commentLen = u16(buf, p + 32);
    let offset = u32(buf, p + 42);
    if (p + 46 + nameLen > buf.length) fail('invalid');
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (size === 0xffffffff || compressed === 0xffffffff || offset === 0xffffffff) {
      // Zip64 extended information: the 64-bit values, only those whose 32-bit field is full.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = u16(buf, e);
        const len = u16(buf, e + 2);
        if (id === 1) {
          let q = e + 4;
          if (size === 0xffffffff) { size = u64(buf, q); q += 8; }
          if (compressed === 0xffffffff) { compressed = u64(buf, q); q += 8; }
          if (offset === 0xffffffff) { offset = u64(buf, q); q += 8; }
          break;
        }
        e += 4 + len;
      }
    }
    total += size;
    if (total > maxBytes) fail('inflated');
    entries.set(partKey(name), { name, flags, method, compressed, size, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function entryData(buf, entry) {
  if (u32(buf, entry.offset) !== 0x04034b50) fail('invalid');
  const start = entry.offset + 30 + u16(buf, entry.offset + 26) + u16(buf, entry.offset + 28);
  const end = start + entry.compressed;
  if (end > buf.length) fail('invalid');
  return buf.subarray(start, end);
}

// ---------------------------------------------------------------- XML text

// Characters XML 1.0 forbids; the parser would reject the whole part for one of them.
const RAW_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const CHAR_REF = /&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,8}));/g;
function legalCodePoint(cp) {
  return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}
function xmlCleaner() {
  let carry = '';
  let first = true;
  return function clean(s, last) {
    s = carry + s;
    carry = '';
    if (first && s.length) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    if (!last) {
      // A character reference may be cut between two chunks: keep its start for the next one.
      const amp = s.lastIndexOf('&');
      if (amp >= 0 && amp > s.length - 16 && s.indexOf(';', amp) < 0) {
        carry = s.slice(amp);
        s = s.slice(0, amp);
      }
    }
    s = s.replace(RAW_ILLEGAL, '');
    if (s.indexOf('&#') >= 0) {
      s = s.replace(CHAR_REF, function (m, hex, dec) {
        return legalCodePoint(hex ? parseInt(hex, 16) : parseInt(dec, 10)) ? m : '';
      });
    }
    return s;
  };
}

// ---------------------------------------------------------------- reading

async function main() {
  const wd = workerData;
  const buf = Buffer.from(wd.data.buffer, wd.data.byteOffset, wd.data.byteLength);
  const maxBytes = wd.maxInflatedBytes;
  const entries = readDirectory(buf, maxBytes);

  let inflatedTotal = 0;
  async function* entryText(entry) {
    if (entry.flags & 1) fail('ole');
    if (entry.method !== 0 && entry.method !== 8) fail('invalid');
    if (entry.method === 0 && entry.compressed !== entry.size) fail('invalid');
    const data = entryData(buf, entry);
    const decoder = new StringDecoder('utf8');
    const clean = xmlCleaner();
    let produced = 0;
    const take = function (chunk) {
      produced += chunk.length;
      inflatedTotal += chunk.length;
      if (inflatedTotal > maxBytes) fail('inflated');
      if (produced > entry.size) fail('lying');
      return clean(decoder.write(chunk), false);
    };
    if (entry.method === 0) {
      for (let i = 0; i < data.length; i += CHUNK) {
        const s = take(data.subarray(i, i + CHUNK));
        if (s) yield s;
      }
    } else {
      const source = Readable.from((function* () {
        for (let i = 0; i < data.length; i += CHUNK) yield data.subarray(i, i + CHUNK);
      })(), { objectMode: false });
      const inflater = zlib.createInflateRaw({ chunkSize: CHUNK });
      source.pipe(inflater);
      try {
        for await (const chunk of inflater) {
          const s = take(chunk);
          if (s) yield s;
        }
      } catch (err) {
        if (err instanceof ReadError) throw err;
        fail('invalid');
      } finally {
        source.destroy();
        inflater.destroy();
      }
    }
    const rest = clean(decoder.end(), true);
    if (rest) yield rest;
  }
  const part = function (name) {
    const entry = entries.get(partKey(name));
    return entry ? entryText(entry) : null;
  };

  let exceljs;
  try {
    exceljs = {
      parseSax: load(path.join(wd.exceljsDir, 'lib/utils/parse-sax.js')),
      StylesXform: load(path.join(wd.exceljsDir, 'lib/xlsx/xform/style/styles-xform.js')),
      WorksheetReader: load(path.join(wd.exceljsDir, 'lib/stream/xlsx/worksheet-reader.js')),
      utils: load(path.join(wd.exceljsDir, 'lib/utils/utils.js')),
    };
  } catch (err) {
    parentPort.postMessage({ t: 'fatal', message: 'exceljs: ' + (err && err.message) });
    return;
  }
  const eachTag = async function (stream, onOpen) {
    for await (const events of exceljs.parseSax(stream)) {
      for (const e of events) if (e.eventType === 'opentag') onOpen(e.value);
    }
  };

  const workbookPart = part('xl/workbook.xml');
  const relsPart = part('xl/_rels/workbook.xml.rels');
  if (!workbookPart || !relsPart) fail('invalid');
  const sheets = [];
  let date1904 = false;
  await eachTag(workbookPart, function (node) {
    if (node.name === 'sheet') {
      const idKey = Object.keys(node.attributes).find(function (k) { return k === 'id' || k.endsWith(':id'); });
      sheets.push(idKey ? node.attributes[idKey] : null);
    } else if (node.name === 'workbookPr') {
      const v = node.attributes.date1904;
      date1904 = v === '1' || v === 'true';
    }
  });
  const rels = [];
  await eachTag(relsPart, function (node) {
    if (node.name === 'Relationship' && node.attributes.TargetMode !== 'External') {
      rels.push({ id: node.attributes.Id, type: String(node.attributes.Type || ''), target: String(node.attributes.Target || '') });
    }
  });
  const target = function (rel) {
    return rel.target.startsWith('/') ? rel.target.slice(1) : path.posix.normalize('xl/' + rel.target);
  };
  const relOfType = function (kind) {
    return rels.find(function (r) { return r.type.endsWith('/' + kind); });
  };

  // The first worksheet in tab order (what Excel opens on, and exceljs's worksheets[0]).
  let sheetPath = null;
  for (const id of sheets) {
    const rel = rels.find(function (r) { return r.id === id; });
    if (rel && rel.type.endsWith('/worksheet')) {
      sheetPath = target(rel);
      break;
    }
  }
  if (!sheetPath || !entries.has(partKey(sheetPath))) fail('nosheet');

  // Shared strings as plain text (runs joined; phonetic guides left out): no font objects kept.
  const sharedStrings = [];
  const stringsRel = relOfType('sharedStrings');
  const stringsPart = part(stringsRel ? target(stringsRel) : 'xl/sharedStrings.xml');
  if (stringsPart) {
    let text = null;
    let inT = false;
    let inPhonetic = false;
    for await (const events of exceljs.parseSax(stringsPart)) {
      for (const e of events) {
        const name = e.value && e.value.name;
        if (e.eventType === 'opentag') {
          if (name === 'si') text = '';
          else if (name === 't') inT = true;
          else if (name === 'rPh') inPhonetic = true;
        } else if (e.eventType === 'text') {
          if (inT && !inPhonetic && text !== null) text += e.value;
        } else if (name === 't') inT = false;
        else if (name === 'rPh') inPhonetic = false;
        else if (name === 'si') {
          sharedStrings.push(text);
          text = null;
        }
      }
    }
  }
  const stylesRel = relOfType('styles');
  const stylesPart = part(stylesRel ? target(stylesRel) : 'xl/styles.xml');
  const styles = new exceljs.StylesXform();
  if (stylesPart) await styles.parseStream(stylesPart);
  else styles.init();
  // What exceljs's WorksheetReader reads from its workbook.
  const book = { sharedStrings: sharedStrings, styles: styles, properties: { model: { date1904: date1904 } } };
  const options = { worksheets: 'emit', hyperlinks: 'ignore' };

  const dateText = function (d) {
    return d instanceof Date && !isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : '';
  };
  // Text Excel escaped as _xHHHH_ (characters XML cannot carry, ECMA-376 ST_Xstring).
  const unescapeX = function (s) {
    return s.indexOf('_x') >= 0 ? s.replace(/_x([0-9A-Fa-f]{4})_/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); }) : s;
  };
  const valueText = function (v, cell) {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return dateText(v);
    if (typeof v === 'string') return unescapeX(v);
    if (typeof v !== 'object') return String(v);
    if (Array.isArray(v.richText)) {
      return unescapeX(v.richText.map(function (t) { return t && t.text != null ? String(t.text) : ''; }).join(''));
    }
    if ('text' in v) return valueText(v.text, null);
    if ('result' in v) {
      if (typeof v.result === 'number' && cell && exceljs.utils.isDateFmt(cell.numFmt)) {
        return dateText(exceljs.utils.excelToDate(v.result, date1904));
      }
      return valueText(v.result, null);
    }
    if ('error' in v) return String(v.error);
    return '';
  };
  const cellText = function (cell) {
    return cell ? valueText(cell.value, cell).replace(RAW_ILLEGAL, '').trim() : '';
  };

  // Flow control: at most maxInFlight unacknowledged batches.
  let inFlight = 0;
  let wake = null;
  parentPort.on('message', function (m) {
    if (m && m.t === 'ack') {
      inFlight--;
      if (wake) {
        const w = wake;
        wake = null;
        w();
      }
    }
  });
  const send = async function (rows) {
    parentPort.postMessage({ t: 'rows', rows: rows });
    inFlight++;
    while (inFlight >= wd.maxInFlight) await new Promise(function (resolve) { wake = resolve; });
  };

  const sheet = new exceljs.WorksheetReader({ workbook: book, id: 1, iterator: part(sheetPath), options: options });
  let headers = null;
  let named = [];
  let count = 0;
  let batch = [];
  let previous = 0;
  const setHeaders = function (h) {
    headers = h;
    named = h.map(function (x) { return x !== ''; });
    parentPort.postMessage({ t: 'headers', headers: h });
  };
  for await (const row of sheet) {
    const n = Number.isInteger(row.number) && row.number > 0 ? row.number : previous + 1;
    previous = n;
    if (n === 1 && !headers) {
      const h = [];
      row.eachCell({ includeEmpty: true }, function (cell, col) {
        h[col - 1] = cellText(cell).replace(/[*＊\s]/g, '');
      });
      for (let i = 0; i < h.length; i++) if (h[i] === undefined) h[i] = '';
      setHeaders(h);
      continue;
    }
    // No row 1: no headers, as when the header row is left empty.
    if (!headers) setHeaders([]);
    const cells = new Array(headers.length);
    let any = false;
    for (let i = 0; i < headers.length; i++) {
      const t = named[i] ? cellText(row.findCell(i + 1)) : '';
      if (t) any = true;
      cells[i] = t;
    }
    if (!any) continue;
    count++;
    if (count > wd.maxRows) fail('rows');
    batch.push({ r: n, c: cells });
    if (batch.length >= wd.batchSize) {
      const full = batch;
      batch = [];
      await send(full);
    }
  }
  if (!headers) setHeaders([]);
  if (batch.length) await send(batch);
  parentPort.postMessage({ t: 'end', rows: count });
}

main().then(
  function () {
    parentPort.unref();
  },
  function (err) {
    const code = err instanceof ReadError ? err.code : 'invalid';
    parentPort.postMessage({ t: 'error', code: code, detail: String((err && err.message) || err).slice(0, 300) });
    parentPort.unref();
  },
);
`;
