import { Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import { sql, type RawBuilder } from 'kysely';
import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { badRequest } from '../../platform/errors.js';
import { unhurried } from '../../db/index.js';
import { newId } from '../../platform/ids.js';
import { cleanText } from '../../platform/input.js';
import { openSheet, xlsxBuffer, type SheetRow } from '../../platform/excel.js';
import { isValidResidentId } from '../../../shared/validators.js';
import { checkUscc } from '../../../shared/schemas/service-labels.js';
import { DATASETS, type DatasetColumn, type DatasetKind } from '../../../shared/schemas/screening.js';

// Importing a register (名册) as a dated snapshot. Rows stream in from an .xlsx (the shared sheet
// reader, in a worker) or a .csv (parsed as it is uploaded, UTF-8 or GB18030 as Excel saves it), are
// checked one by one against the register's columns and written in batches under a snapshot that
// stays 'loading' — never read by a rule — until the file has been read to its end. Then the snapshot
// becomes the register's current one, or, when the file is refused (a bad row and mode 'all'), its
// rows are removed and nothing was imported. Nothing holds the whole file.

export interface ImportError {
  row: number;
  field: string;
  message: string;
}

export interface DatasetImportReport {
  kind: DatasetKind;
  snapshotId: string | null;
  mode: 'all' | 'good_rows';
  dryRun: boolean;
  totalRows: number;
  imported: number;
  skipped: number;
  errorCount: number;
  /** The first MAX_REPORTED errors, by row. */
  errors: ImportError[];
}

/** Rows an .xlsx may hold (the sheet reader's worker parses it); larger registers come as .csv. */
export const XLSX_MAX_ROWS = 100_000;
/** Rows a .csv may hold: a province's 社区矫正 check-ins are about ten million. */
export const CSV_MAX_ROWS = 20_000_000;
export const CSV_MAX_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_REPORTED = 500;
const BATCH = 500;
/** A snapshot still loading after this long was cut off (the process stopped): it is cleared. */
const STALE_LOADING_MS = 6 * 3600_000;

export async function datasetTemplate(kind: DatasetKind): Promise<Buffer> {
  const d = DATASETS[kind];
  return xlsxBuffer(d.label, d.columns.map((c) => c.header));
}

const DATE_RE = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/;

/** A calendar date as YYYY-MM-DD, or null when it is none (2021-02-30 is none). */
export function parseDate(v: string): string | null {
  const m = DATE_RE.exec(v.replace(/\s+/g, ''));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || y < 1900 || y > 2100) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DATETIME_RE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** A wall-clock time (Asia/Shanghai) as 'YYYY-MM-DD HH:mm' and minutes since 1970-01-01 00:00 of that clock. */
export function parseDateTime(v: string): { text: string; minutes: number } | null {
  const m = DATETIME_RE.exec(v.trim().replace(/\s+/g, ' '));
  if (!m) return null;
  const date = parseDate(`${m[1]}-${m[2]}-${m[3]}`);
  const [h, mi] = [Number(m[4]), Number(m[5])];
  if (!date || h > 23 || mi > 59) return null;
  const minutes = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), h, mi) / 60_000;
  return { text: `${date} ${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`, minutes };
}

const BOOL: Record<string, number> = { 是: 1, 否: 0, y: 1, n: 0, yes: 1, no: 0, true: 1, false: 0, '1': 1, '0': 0, '': 0 };

/**
 * One row checked against the register's columns: the table row (ID numbers as their keyed blind
 * index only), or the row's errors, each naming its column.
 */
export function checkRow(
  ctx: Pick<Ctx, 'cipher'>,
  columns: readonly DatasetColumn[],
  values: Record<string, string>,
  rowNo: number,
): { row: Record<string, unknown> | null; errors: ImportError[] } {
  const row: Record<string, unknown> = {};
  const errors: ImportError[] = [];
  const fail = (c: DatasetColumn, message: string) => errors.push({ row: rowNo, field: c.header, message });
  for (const c of columns) {
    const raw = cleanText(values[c.header] ?? '').trim();
    if (!raw) {
      if (c.required) fail(c, '不能为空');
      else if (c.type === 'bool') row[c.key] = 0;
      else if (c.type === 'datetime') row[c.key] = row[`${c.key}_min`] = null;
      else if (c.type !== 'id') row[c.key] = null;
      continue;
    }
    switch (c.type) {
      case 'text':
        if (c.max && [...raw].length > c.max) fail(c, `不能超过 ${c.max} 个字`);
        else if (c.key === 'credit_code' && checkUscc(raw.toUpperCase()) !== 'ok') fail(c, '不是有效的 18 位统一社会信用代码（校验位不符）');
        else row[c.key] = c.key === 'credit_code' ? raw.toUpperCase() : raw;
        break;
      case 'id': {
        const id = raw.replace(/\s+/g, '').toUpperCase();
        if (!isValidResidentId(id)) fail(c, '不是有效的 18 位居民身份证号码（校验位不符）');
        else row[`${c.key}_bidx`] = ctx.cipher.blindIndex(id);
        break;
      }
      case 'datetime': {
        const t = parseDateTime(raw);
        if (!t) fail(c, `“${raw.slice(0, 20)}”不是有效时间（如 2021-06-30 08:30）`);
        else {
          row[c.key] = t.text;
          row[`${c.key}_min`] = t.minutes;
        }
        break;
      }
      case 'date': {
        const d = parseDate(raw);
        if (!d) fail(c, `“${raw.slice(0, 20)}”不是有效日期（如 2021-06-30）`);
        else row[c.key] = d;
        break;
      }
      case 'enum': {
        const values = c.values ?? {};
        const code = values[raw] ?? (Object.values(values).includes(raw) ? raw : undefined);
        if (!code) fail(c, `应为${Object.keys(values).map((k) => `“${k}”`).join('、')}之一`);
        else row[c.key] = code;
        break;
      }
      case 'number': {
        const n = Number(raw.replace(/%$/, ''));
        const [min, max] = [c.min ?? 0, c.max ?? 100];
        if (!Number.isFinite(n) || n < min || n > max) fail(c, `应为 ${min} 到 ${max} 之间的数`);
        else row[c.key] = n;
        break;
      }
      case 'bool': {
        const b = BOOL[raw.toLowerCase()];
        if (b === undefined) fail(c, '应为“是”或“否”');
        else row[c.key] = b;
        break;
      }
    }
  }
  return { row: errors.length ? null : row, errors };
}

/** Decodes a CSV stream: UTF-8 (with or without BOM) unless its first bytes are not, then GB18030. */
function decodeCsv(): Transform {
  let decoder: TextDecoder | null = null;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!decoder) {
        // A multi-byte character cut at the chunk's end is held back (stream), not a failure: only
        // bytes that are no UTF-8 mean GB18030.
        let utf8 = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
        } catch {
          utf8 = false;
        }
        decoder = new TextDecoder(utf8 ? 'utf-8' : 'gb18030');
      }
      cb(null, decoder.decode(chunk, { stream: true }));
    },
    flush(cb) {
      cb(null, decoder ? decoder.decode() : '');
    },
  });
}

interface RowSource {
  headers: string[];
  rows: AsyncIterable<SheetRow>;
  close(): void;
}

/** A CSV upload as headers and rows keyed by header; the first record is the header row. */
async function csvSource(input: Readable, maxRows: number): Promise<RowSource> {
  const parser = input.pipe(decodeCsv()).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 64 * 1024 }));
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await it.next().catch(() => {
    throw badRequest('文件：不是有效的 CSV 文件', 'file');
  });
  if (first.done) throw badRequest('文件：没有数据行', 'file');
  const headers = first.value.map((h) => cleanText(h).replace(/[*\s]/g, ''));
  async function* rows(): AsyncGenerator<SheetRow> {
    let n = 1;
    let count = 0;
    for (;;) {
      let r: IteratorResult<string[]>;
      try {
        r = await it.next();
      } catch (err) {
        throw badRequest(`文件：第 ${n + 1} 行附近不是有效的 CSV（${(err as Error).message.slice(0, 80)}）`, 'file');
      }
      if (r.done) return;
      n++;
      if (r.value.every((v) => !v)) continue;
      if (++count > maxRows) throw badRequest(`文件：一次最多导入 ${maxRows} 行`, 'file');
      yield { row: n, values: Object.fromEntries(headers.map((h, i) => [h, r.value[i] ?? ''])) };
    }
  }
  return { headers, rows: rows(), close: () => input.destroy() };
}

export type Upload = { kind: 'xlsx'; data: Buffer } | { kind: 'csv'; stream: Readable };

async function openSource(upload: Upload): Promise<RowSource> {
  if (upload.kind === 'csv') return csvSource(upload.stream, CSV_MAX_ROWS);
  const sheet = await openSheet(upload.data, { maxRows: XLSX_MAX_ROWS, timeoutMs: 300_000 });
  return { headers: sheet.headers, rows: sheet, close: () => sheet.close() };
}

/** Rows per statement when working out a register: SQLite runs a statement on the server's own thread (a test lowers it). */
export const DERIVE = { chunk: 20_000 };

/**
 * What the rules read of a register besides its rows, computed once when it is loaded: for check-ins,
 * the gaps of over a day between a subject's consecutive check-ins (a day is the shortest interval a
 * rule may allow), so 脱管 and 应予警告 read the few long gaps by an index instead of a window over
 * every check-in on every run, the districts each subject checked in from (脱管's check-ins away from
 * home), and the minutes and places where several subjects checked in (虚管).
 * Runs before the snapshot becomes current (and in the demo's seeding), a range of about DERIVE.chunk
 * check-ins per statement with a turn of the event loop between: on SQLite one statement over ten
 * million rows would hold every other request for many seconds.
 */
export async function deriveSnapshot(db: Ctx['db'] | Trx, kind: DatasetKind, snapshotId: string): Promise<void> {
  if (kind !== 'correction_checkin') return;
  // By subject (ranges of whole subjects: the gaps and districts are per subject).
  await inRanges(db, snapshotId, 'id_no_bidx', async (range) => {
    await sql`insert into scr_correction_gap (snapshot_id, id_no_bidx, from_row, to_row, from_min, to_min, gap_min)
      select ${snapshotId}, id_no_bidx, row_no, next_row, at_min, next_min, next_min - at_min from (
        select id_no_bidx, row_no, at_min, lead(at_min) over w as next_min, lead(row_no) over w as next_row
        from scr_correction_checkin where snapshot_id = ${snapshotId} and ${range}
        window w as (partition by id_no_bidx order by at_min, row_no)
      ) g where next_min - at_min > 1440`.execute(db);
    await sql`insert into scr_correction_checkin_district (snapshot_id, id_no_bidx, district, checkins)
      select ${snapshotId}, id_no_bidx, district, count(*) from scr_correction_checkin
      where snapshot_id = ${snapshotId} and ${range} group by id_no_bidx, district`.execute(db);
  });
  // By minute (ranges of whole minutes: a shared place is a minute and coordinates). min <> max finds
  // "more than one subject" without the sort per group count(distinct) costs; the few found are counted.
  await inRanges(db, snapshotId, 'at_min', (range) =>
    sql`insert into scr_correction_same_place (snapshot_id, at_min, lat, lng, subjects)
      select ${snapshotId}, g.at_min, g.lat, g.lng, (select count(distinct c.id_no_bidx) from scr_correction_checkin c
        where c.snapshot_id = ${snapshotId} and c.at_min = g.at_min and c.lat = g.lat and c.lng = g.lng)
      from (select at_min, lat, lng from scr_correction_checkin
        where snapshot_id = ${snapshotId} and ${range} and lat is not null and lng is not null
        group by at_min, lat, lng having min(id_no_bidx) <> max(id_no_bidx)) g`.execute(db));
}

/**
 * Calls fn with the condition of each range of a snapshot's check-ins by one indexed column — about
 * DERIVE.chunk rows each, never splitting a value — yielding to the event loop between ranges.
 */
async function inRanges(db: Ctx['db'] | Trx, snapshotId: string, column: 'id_no_bidx' | 'at_min', fn: (range: RawBuilder<unknown>) => Promise<unknown>) {
  for (let lo: string | number | null = null; ; ) {
    const next: Record<string, string | number> | undefined = await db.selectFrom('scr_correction_checkin').select(column).where('snapshot_id', '=', snapshotId)
      .$if(lo !== null, (q) => q.where(column, '>', lo as never)).orderBy(column).offset(DERIVE.chunk).limit(1).executeTakeFirst();
    const hi: string | number | null = next?.[column] ?? null;
    const col = sql.ref(column);
    await fn(sql`${lo === null ? sql`true` : sql`${col} > ${lo}`} and ${hi === null ? sql`true` : sql`${col} <= ${hi}`}`);
    if (hi === null) return;
    lo = hi;
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Removes a snapshot's rows. A refused or dry-run file leaves nothing behind (as if never sent); one
 * cut off by a stop stays listed as failed, so the register's history shows the attempt.
 */
async function discard(ctx: Ctx, kind: DatasetKind, snapshotId: string, trace: 'none' | 'failed') {
  if (kind === 'correction_checkin') {
    await ctx.db.deleteFrom('scr_correction_gap').where('snapshot_id', '=', snapshotId).execute();
    await ctx.db.deleteFrom('scr_correction_same_place').where('snapshot_id', '=', snapshotId).execute();
    await ctx.db.deleteFrom('scr_correction_checkin_district').where('snapshot_id', '=', snapshotId).execute();
  }
  await ctx.db.deleteFrom(DATASETS[kind].table as 'scr_staff').where('snapshot_id', '=', snapshotId).execute();
  if (trace === 'failed') await ctx.db.updateTable('screening_snapshot').set({ status: 'failed' }).where('id', '=', snapshotId).execute();
  else await ctx.db.deleteFrom('screening_snapshot').where('id', '=', snapshotId).execute();
}

async function clearStale(ctx: Ctx) {
  const before = new Date(ctx.now().getTime() - STALE_LOADING_MS).toISOString();
  const stale = await ctx.db.selectFrom('screening_snapshot').select(['id', 'kind']).where('status', '=', 'loading').where('started_at', '<', before).execute();
  for (const s of stale) await discard(ctx, s.kind as DatasetKind, s.id, 'failed');
}

/**
 * Imports a register. 'all': nothing is imported when any row is bad; 'good_rows': the good rows are,
 * and the bad ones reported. dryRun only checks. A limit passed or a missing column refuses the file.
 */
export async function importDataset(ctx: Ctx, kind: DatasetKind, upload: Upload, fileName: string, mode: 'all' | 'good_rows', dryRun: boolean): Promise<DatasetImportReport> {
  const actor = requirePermission(ctx, 'screening:import');
  const def = DATASETS[kind] as { label: string; table: string; columns: readonly DatasetColumn[] };
  const source = await openSource(upload);
  const report: DatasetImportReport = { kind, snapshotId: null, mode, dryRun, totalRows: 0, imported: 0, skipped: 0, errorCount: 0, errors: [] };
  let snapshotId: string | null = null;
  try {
    const missing = def.columns.filter((c) => c.required && !source.headers.includes(c.header)).map((c) => c.header);
    if (missing.length) throw badRequest(`文件：缺少必需的列：${missing.join('、')}（文件中的列：${source.headers.slice(0, 20).join('、') || '无'}；请使用“${def.label}”导入模板）`, 'file');
    await clearStale(ctx);
    if (!dryRun) {
      snapshotId = newId();
      await ctx.db
        .insertInto('screening_snapshot')
        .values({
          id: snapshotId, kind, file_name: fileName.slice(0, 200), status: 'loading', total_rows: 0, imported_rows: 0, skipped_rows: 0,
          imported_by: actor.userId, imported_by_name: actor.displayName, started_at: ctx.now().toISOString(), imported_at: null,
        })
        .execute();
    }
    // Registers keyed by a person: one row per ID number (a second is a mistake in the file).
    const unique = kind === 'staff' || kind === 'former_staff' || kind === 'lawyer' || kind === 'correction_notice' ? new Map<string, number>() : null;
    const uniqueLicence = kind === 'lawyer' ? new Map<string, number>() : null;
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!batch.length || !snapshotId) return void (batch = []);
      const rows = batch;
      batch = [];
      await ctx.db.insertInto(def.table as 'scr_staff').values(rows as never).execute();
    };
    for await (const r of source.rows) {
      report.totalRows++;
      const { row, errors } = checkRow(ctx, def.columns, r.values, r.row);
      if (row && unique) {
        const key = row.id_no_bidx as string;
        const prev = unique.get(key);
        if (prev) errors.push({ row: r.row, field: '身份证号', message: `与第 ${prev} 行重复` });
        else unique.set(key, r.row);
      }
      if (row && uniqueLicence && !errors.length) {
        const prev = uniqueLicence.get(row.licence_no as string);
        if (prev) errors.push({ row: r.row, field: '执业证号', message: `与第 ${prev} 行重复` });
        else uniqueLicence.set(row.licence_no as string, r.row);
      }
      if (errors.length) {
        report.errorCount += errors.length;
        for (const e of errors) if (report.errors.length < MAX_REPORTED) report.errors.push(e);
        continue;
      }
      // A refused file stops being written at its first bad row; it is still read to the end for the report.
      if (mode === 'all' && report.errorCount) continue;
      batch.push({ ...row, snapshot_id: snapshotId, row_no: r.row });
      report.imported++;
      if (batch.length >= BATCH) await flush();
    }
    if (report.totalRows === 0) throw badRequest('文件：没有数据行', 'file');
    await flush();
  } catch (err) {
    if (snapshotId) await discard(ctx, kind, snapshotId, 'none');
    throw err;
  } finally {
    source.close();
  }

  const refused = mode === 'all' && report.errorCount > 0;
  if (dryRun || refused || report.imported === 0) {
    if (snapshotId) await discard(ctx, kind, snapshotId, 'none');
    report.imported = 0;
    report.skipped = report.totalRows;
    return report;
  }
  report.skipped = report.totalRows - report.imported;
  const id = snapshotId!;
  try {
    await unhurried(ctx.db, ctx.dialect, (db) => deriveSnapshot(db, kind, id));
  } catch (err) {
    await discard(ctx, kind, id, 'none');
    throw err;
  }
  await runCommand(ctx, { action: 'import', entityType: 'screening_snapshot' }, async (trx) => {
    await trx
      .updateTable('screening_snapshot')
      .set({ status: 'ready', total_rows: report.totalRows, imported_rows: report.imported, skipped_rows: report.skipped, imported_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    return { result: undefined, entityId: id, after: { kind, file: fileName.slice(0, 200), mode, totalRows: report.totalRows, imported: report.imported, skipped: report.skipped } };
  });
  // PostgreSQL plans the rules' joins from statistics: a register just loaded has none, and taking a
  // snapshot of 100,000 rows for one of a handful turns a hash join into a nested loop over both.
  // VACUUM as well: it marks the new pages all-visible, without which PostgreSQL reads the table row
  // behind every index entry and the rules' covering indexes save nothing.
  if (ctx.dialect === 'postgres') {
    await unhurried(ctx.db, ctx.dialect, async (db) => {
      await sql`vacuum analyze ${sql.table(def.table)}`.execute(db);
      if (kind === 'correction_checkin') await sql`vacuum analyze scr_correction_gap, scr_correction_same_place, scr_correction_checkin_district`.execute(db);
    });
  }
  report.snapshotId = id;
  return report;
}
