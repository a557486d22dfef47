import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { badRequest } from './errors.js';

// Excel helpers every module uses: read a sheet into rows keyed by header, and stream a sheet out.

export interface SheetRow {
  /** 1-based row number as the user sees it in Excel. */
  row: number;
  values: Record<string, string>;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('result' in v) return String((v as { result: unknown }).result ?? '');
  }
  return String(v).trim();
}

/** Reads the first worksheet; the first row is the header. Blank rows are skipped. */
export async function readSheet(data: Buffer, maxRows = 20000): Promise<{ headers: string[]; rows: SheetRow[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw badRequest('文件：不是有效的 Excel（.xlsx）文件', 'file');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badRequest('文件：没有工作表', 'file');
  const headers: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    headers[col - 1] = cellText(cell.value).replace(/[*＊\s]/g, '');
  });
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const values: Record<string, string> = {};
    let any = false;
    headers.forEach((h, i) => {
      if (!h) return;
      const t = cellText(r.getCell(i + 1).value);
      if (t) any = true;
      values[h] = t;
    });
    if (any) rows.push({ row: n, values });
  });
  if (rows.length > maxRows) throw badRequest(`文件：一次最多导入 ${maxRows} 行`, 'file');
  return { headers, rows };
}

export interface Column<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | null | undefined;
}

/** Streams an .xlsx built row by row, so large exports never sit whole in memory. */
export function xlsxStream<T>(sheetName: string, columns: Column<T>[], rows: AsyncIterable<T>): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  (async () => {
    for await (const r of rows) {
      ws.addRow(columns.map((c) => c.value(r) ?? '')).commit();
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err));
  return out;
}

/** A small in-memory workbook (templates, error reports). */
export async function xlsxBuffer(sheetName: string, headers: string[], rows: (string | number)[][] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function attachmentHeader(filename: string): string {
  return `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
