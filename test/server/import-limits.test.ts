import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { zip, type ZipPart as Part, type ZipPiece as Piece } from '../support/files.js';
import { sql } from 'kysely';
import { openSheet, readAllRows, type SheetReadOptions } from '../../src/server/platform/sheet-reader.js';
import { readSheet } from '../../src/server/platform/excel.js';
import { AppError } from '../../src/server/platform/errors.js';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';

// Imports read uploads through one streaming reader in a worker thread: row limit, inflated-size
// limit (zip bombs, lying sizes), memory and time limits, XML-illegal characters, and the server
// stays responsive while a huge workbook is refused.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

// ------------------------------------------------------------------ building workbooks

async function xlsx(rows: unknown[][], headers: unknown[] = ['姓名', '单位编码']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('干警');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}


const text = (s: string): Piece => ({ data: Buffer.from(s, 'utf8') });
const inline = (ref: string, s: string) => `<c r="${ref}" t="inlineStr"><is><t>${s}</t></is></c>`;

/** A minimal workbook by hand: the sheet XML given as pieces; optional extra sheets and parts. */
function handWorkbook(sheet: Piece[], opts: { declare?: number; extra?: Part[]; sheets?: { name: string; file: string }[] } = {}) {
  const sheets = opts.sheets ?? [{ name: 'Sheet1', file: 'sheet1.xml' }];
  return zip([
    { name: '[Content_Types].xml', pieces: [text('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')] },
    {
      name: 'xl/workbook.xml',
      pieces: [text(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets
        .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`)],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      pieces: [text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
        .map((s, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/${s.file}"/>`)
        .join('')}</Relationships>`)],
    },
    { name: `xl/worksheets/${sheets[0]!.file}`, pieces: sheet, declare: opts.declare },
    ...(opts.extra ?? []),
  ]);
}

const sheetXml = (rows: string) => [text(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`)];

/** A sheet whose XML is `mb` MB of the same row again and again (compresses about 1000:1). */
function bombSheet(mb: number): Piece[] {
  const row = `<row r="2">${inline('A2', '张三')}${inline('B2', 'HSQ-01')}</row>`;
  const block = Buffer.from(row.repeat(Math.floor((1024 * 1024) / Buffer.byteLength(row))), 'utf8');
  return [
    text(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData><row r="1">${inline('A1', '姓名')}${inline('B1', '单位编码')}</row>`),
    { data: block, times: mb },
    text('</sheetData></worksheet>'),
  ];
}

/** A workbook of `n` data rows written with exceljs's streaming writer (inline strings). */
async function bigWorkbook(n: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('干警');
  ws.addRow(['姓名', '单位编码']).commit();
  for (let i = 1; i <= n; i++) ws.addRow([`超限${i}`, 'HSQ-01']).commit();
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the read to be refused');
}

async function readRows(data: Buffer, opts?: SheetReadOptions) {
  return readAllRows(data, opts);
}

// ------------------------------------------------------------------ the reader on its own

describe('sheet reader', () => {
  it('keys rows by header (without * and spaces), skips blank rows, reads dates, rich text and formulas as text', async () => {
    const data = await xlsx(
      [
        ['张三', 'HSQ-01', new Date(Date.UTC(2024, 2, 5)), { richText: [{ text: '红山' }, { font: { bold: true }, text: '区' }] }, { formula: '1+1', result: 2 }, 13800000000, true],
        [],
        ['', '', '', '', '', '', ''],
        ['  李四  ', 'HSQ-02', '', '', { formula: 'A1', result: '文本' }, '', false],
      ],
      ['姓名*', ' 单位 编码 ', '出生日期', '富文本', '公式', '手机号', '是否'],
    );
    const { headers, rows } = await readRows(data);
    expect(headers).toEqual(['姓名', '单位编码', '出生日期', '富文本', '公式', '手机号', '是否']);
    expect(rows).toEqual([
      { row: 2, values: { 姓名: '张三', 单位编码: 'HSQ-01', 出生日期: '2024-03-05', 富文本: '红山区', 公式: '2', 手机号: '13800000000', 是否: 'true' } },
      { row: 5, values: { 姓名: '李四', 单位编码: 'HSQ-02', 出生日期: '', 富文本: '', 公式: '文本', 手机号: '', 是否: 'false' } },
    ]);
    // The old in-memory helper answers the same.
    expect(await readSheet(data)).toEqual({ headers, rows });
  });

  it('reads shared strings and a date typed in a date format (as Excel saves them)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('a');
    ws.addRow(['姓名', '日期']);
    ws.addRow(['王五', 45000]);
    ws.getCell('B2').numFmt = 'yyyy-mm-dd';
    ws.addRow(['王五', { formula: 'B2+1', result: 45001 }]);
    ws.getCell('B3').numFmt = 'yyyy"年"m"月"d"日"';
    const data = Buffer.from(await wb.xlsx.writeBuffer()); // exceljs writes shared strings here
    const { rows } = await readRows(data);
    expect(rows.map((r) => r.values)).toEqual([
      { 姓名: '王五', 日期: '2023-03-15' },
      { 姓名: '王五', 日期: '2023-03-16' },
    ]);
  });

  it('reads the first worksheet in tab order, whatever its file is called', async () => {
    const data = handWorkbook(sheetXml(`<row r="1">${inline('A1', '姓名')}</row><row r="2">${inline('A2', '第二个文件')}</row>`), {
      sheets: [{ name: '首页', file: 'sheet2.xml' }, { name: '其他', file: 'sheet1.xml' }],
      extra: [{ name: 'xl/worksheets/sheet1.xml', pieces: sheetXml(`<row r="1">${inline('A1', '姓名')}</row><row r="2">${inline('A2', '第一个文件')}</row>`) }],
    });
    const { rows } = await readRows(data);
    expect(rows).toEqual([{ row: 2, values: { 姓名: '第二个文件' } }]);
  });

  it('keeps a long Chinese text whole across chunk boundaries', async () => {
    const long = '司法行政'.repeat(30_000); // 360 KB of UTF-8: many 64 KB chunks, split mid-character
    const data = await xlsx([[long, 'HSQ-01']]);
    const { rows } = await readRows(data);
    expect(rows[0]!.values['姓名']).toBe(long);
  });

  it('removes characters XML cannot carry: raw, as character references, and as Excel _xHHHH_ escapes', async () => {
    const data = handWorkbook(
      sheetXml(
        `<row r="1">${inline('A1', '姓名')}${inline('B1', '单位编码')}</row>` +
          `<row r="2">${inline('A2', '清\u0001理\u000B甲\uFFFE')}${inline('B2', 'HSQ-01')}</row>` +
          `<row r="3">${inline('A3', '清&#11;理&#x0C;乙&#xFFFF;&#20013;')}${inline('B3', 'HSQ-01')}</row>` +
          `<row r="4">${inline('A4', '清_x000B_理_x0000_丙_x005F_x0041_')}${inline('B4', 'HSQ-01')}</row>`,
      ),
    );
    const { rows } = await readRows(data);
    expect(rows.map((r) => r.values['姓名'])).toEqual(['清理甲', '清理乙中', '清理丙_x0041_']);
  });

  it('stops at the row limit (blank rows not counted) and answers 400 naming the file', async () => {
    const five = await xlsx([['a1', 'x'], [], ['a2', 'x'], ['a3', 'x'], ['a4', 'x'], ['a5', 'x']]);
    expect((await readRows(five, { maxRows: 5 })).rows).toHaveLength(5);
    const six = await xlsx([['a1', 'x'], ['a2', 'x'], ['a3', 'x'], ['a4', 'x'], ['a5', 'x'], ['a6', 'x']]);
    const err = await refusal(readRows(six, { maxRows: 5 }));
    expect(err.statusCode).toBe(400);
    expect(err.field).toBe('file');
    expect(err.message).toBe('文件：一次最多导入 5 行');
  });

  it('refuses a workbook whose declared sizes add up past the limit, before inflating it', async () => {
    const data = handWorkbook(bombSheet(500)); // 500 MB of sheet XML
    expect(data.length).toBeLessThan(2 * 1024 * 1024);
    const t = Date.now();
    const err = await refusal(readRows(data));
    expect(err.statusCode).toBe(400);
    expect(err.field).toBe('file');
    expect(err.message).toBe('文件：解压后超过大小限制（最大 100 MB）');
    expect(Date.now() - t).toBeLessThan(10_000);
    // The limit is per call.
    const small = await xlsx([['张三', 'HSQ-01']]);
    const low = await refusal(readRows(small, { maxInflatedBytes: 2000 }));
    expect(low.message).toContain('解压后超过大小限制');
  });

  it('refuses a zip whose entries inflate past what they declare, while inflating', async () => {
    const data = handWorkbook(bombSheet(500), { declare: 4096 });
    const t = Date.now();
    const err = await refusal(readRows(data));
    expect(err.statusCode).toBe(400);
    expect(err.field).toBe('file');
    expect(err.message).toContain('实际大小与声明不符');
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it('refuses what is not a workbook: not a zip, an encrypted or old .xls file, no worksheet', async () => {
    for (const data of [Buffer.from('not a zip at all'), Buffer.alloc(0), zip([{ name: 'a.txt', pieces: [text('hello')] }])]) {
      const err = await refusal(readRows(data));
      expect(err.field).toBe('file');
      expect(err.message).toBe('文件：不是有效的 Excel（.xlsx）文件');
    }
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
    expect((await refusal(readRows(ole))).message).toContain('加密');
    const noSheet = zip([
      { name: 'xl/workbook.xml', pieces: [text(`<workbook xmlns="${MAIN}"><sheets/></workbook>`)] },
      { name: 'xl/_rels/workbook.xml.rels', pieces: [text('<Relationships/>')] },
    ]);
    expect((await refusal(readRows(noSheet))).message).toBe('文件：没有工作表');
    const broken = handWorkbook(sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c'));
    expect((await refusal(readRows(broken))).message).toBe('文件：不是有效的 Excel（.xlsx）文件');
  });

  it('ends a worker that runs out of its heap with a 400, and the process lives on', async () => {
    // 3 million shared strings: far more than a 16 MB heap can keep.
    const data = handWorkbook(sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`), {
      extra: [
        {
          name: 'xl/sharedStrings.xml',
          pieces: [text(`<sst xmlns="${MAIN}">`), { data: Buffer.from('<si><t>姓名甲</t></si>'.repeat(50_000)), times: 60 }, text('</sst>')],
        },
      ],
    });
    const err = await refusal(readRows(data, { maxHeapMb: 16 }));
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('内存限制');
    expect((await readRows(await xlsx([['张三', 'HSQ-01']]))).rows).toHaveLength(1);
  });

  it('stops a read that takes longer than its time limit', async () => {
    const err = await refusal(readRows(await xlsx([['张三', 'HSQ-01']]), { timeoutMs: 1 }));
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain('读取超时');
  });

  it('a consumer may stop early; workers are released and reads run side by side', async () => {
    const data = await xlsx(Array.from({ length: 3000 }, (_, i) => [`人${i}`, 'HSQ-01']));
    for (let k = 0; k < 4; k++) {
      const sheet = await openSheet(data, { batchSize: 100 });
      let n = 0;
      for await (const _ of sheet) if (++n === 150) break;
      expect(n).toBe(150);
    }
    const all = await Promise.all(Array.from({ length: 5 }, () => readRows(data)));
    for (const r of all) expect(r.rows).toHaveLength(3000);
  });

  it('works from the built server too (dist/, where no .ts file can be loaded)', async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-build.mjs'), '--server-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-sheet-'));
    try {
      const file = path.join(dir, 'in.xlsx');
      fs.writeFileSync(file, await xlsx([['张\u000B三', 'HSQ-01']]));
      const script = `
        import fs from 'node:fs';
        const { openSheet } = await import(${JSON.stringify(path.join(ROOT, 'dist/server/platform/sheet-reader.js'))});
        const sheet = await openSheet(fs.readFileSync(${JSON.stringify(file)}));
        const rows = [];
        for await (const r of sheet) rows.push(r);
        let refused = null;
        try { await openSheet(fs.readFileSync(${JSON.stringify(file)}), { maxInflatedBytes: 100 }); } catch (e) { refused = e.message; }
        console.log(JSON.stringify({ headers: sheet.headers, rows, refused }));
      `;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({
        headers: ['姓名', '单位编码'],
        rows: [{ row: 2, values: { 姓名: '张三', 单位编码: 'HSQ-01' } }],
        refused: expect.stringContaining('解压后超过大小限制'),
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

// ------------------------------------------------------------------ through HTTP

function upload(data: Buffer, filename = 'people.xlsx') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), filename);
  return form;
}

let big: Promise<Buffer> | undefined;
/** 300,000 rows, built once for every target. */
const bigOnce = () => (big ??= bigWorkbook(300_000));

describe.each(targets())('people import limits on %s', (target) => {
  let s: TestServer;
  let admin: Client;
  beforeAll(async () => {
    s = await startServer(target);
    admin = await s.as('admin');
  });
  afterAll(async () => s?.close());

  const db = () => s.deps.db;
  const count = async (table: 'person' | 'audit_log') =>
    Number((await db().selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  /** Posts the import while health checks run back to back; answers both, with figures. */
  async function importWhileCheckingHealth(data: Buffer, query = '') {
    let finished = false;
    const waits: number[] = [];
    const statuses: number[] = [];
    let peakRss = process.memoryUsage().rss;
    const startRss = peakRss;
    const started = Date.now();
    const request = admin.post(`/api/people/import${query}`, upload(data)).finally(() => (finished = true));
    const health = (async () => {
      while (!finished) {
        const t = Date.now();
        const r = await fetch(`${s.url}/api/health`);
        await r.arrayBuffer();
        statuses.push(r.status);
        waits.push(Date.now() - t);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const res = await request;
    const elapsed = Date.now() - started;
    await health;
    return { res, elapsed, waits, statuses, rssGrowthMb: (peakRss - startRss) / 1024 / 1024 };
  }

  it('refuses 300,000 rows at the row limit, writes nothing, and keeps answering other requests', async () => {
    const data = await bigOnce();
    expect(data.length).toBeLessThan(10 * 1024 * 1024);
    const people = await count('person');
    const audits = await count('audit_log');
    const { res, elapsed, waits, statuses, rssGrowthMb } = await importWhileCheckingHealth(data);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'file', message: '文件：一次最多导入 20000 行' });
    expect(await count('person')).toBe(people);
    expect(await count('audit_log')).toBe(audits);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((x) => x === 200)).toBe(true);
    const longest = Math.max(...waits);
    console.log(
      `[import-limits ${target}] 300k rows refused in ${elapsed} ms; ${waits.length} health checks, longest ${longest} ms; RSS +${rssGrowthMb.toFixed(0)} MB`,
    );
    expect(longest).toBeLessThan(1000);
    expect(rssGrowthMb).toBeLessThan(400);
  }, 180_000);

  it('refuses a zip bomb (500 MB of sheet XML) and one that lies about its sizes: 400 naming the file, nothing written', async () => {
    const people = await count('person');
    const audits = await count('audit_log');
    for (const [data, message] of [
      [handWorkbook(bombSheet(500)), '解压后超过大小限制'],
      [handWorkbook(bombSheet(500), { declare: 4096 }), '实际大小与声明不符'],
    ] as const) {
      const { res, waits, rssGrowthMb, elapsed } = await importWhileCheckingHealth(data);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('file');
      expect(res.body.message).toContain(message);
      console.log(`[import-limits ${target}] bomb (${message}) refused in ${elapsed} ms; longest health ${Math.max(0, ...waits)} ms; RSS +${rssGrowthMb.toFixed(0)} MB`);
      expect(rssGrowthMb).toBeLessThan(200);
    }
    expect(await count('person')).toBe(people);
    expect(await count('audit_log')).toBe(audits);
  }, 120_000);

  it('imports a name cell with XML-illegal characters, without them', async () => {
    const data = await xlsx([
      ['清\u0000理\u000B甲\uFFFE', 'HSQ-01'],
      ['清_x000C_理乙', 'HSQ-01'],
    ]);
    const r = await admin.post('/api/people/import', upload(data));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ imported: 2, errors: [], totalRows: 2 });
    const names = (await db().selectFrom('person').select('name').where('name', 'like', '清理%').execute()).map((p) => p.name).sort();
    expect(names).toEqual(['清理乙', '清理甲']);
  });

  it('refuses an upload over 10 MB with 413 naming the file', async () => {
    const people = await count('person');
    const r = await admin.post('/api/people/import', upload(Buffer.alloc(10 * 1024 * 1024 + 1, 1)));
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ field: 'file', message: '文件：超过大小限制（最大 10 MB）' });
    expect(await count('person')).toBe(people);
  });
});
