import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readAllRows, type SheetRow } from './sheet-reader.js';

// Excel helpers every module uses: read an uploaded sheet (sheet-reader.ts: streamed, in a worker,
// with row and size limits), and stream a sheet out.

export { openSheet, IMPORT_MAX_BYTES, type SheetRow, type SheetStream, type SheetReadOptions } from './sheet-reader.js';

/**
 * Reads the first worksheet into memory; the first row is the header, blank rows are skipped.
 * Same worker and limits as openSheet (maxRows defaults to 20,000); importers of large files
 * should iterate openSheet instead.
 */
export async function readSheet(data: Buffer, maxRows = 20000): Promise<{ headers: string[]; rows: SheetRow[] }> {
  return readAllRows(data, { maxRows });
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
