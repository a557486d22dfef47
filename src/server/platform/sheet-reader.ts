import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError, badRequest } from './errors.js';
import { cleanText } from './input.js';
import { SHEET_WORKER_SOURCE } from './sheet-worker.js';

// The one reader every importer uses for an uploaded .xlsx: the first worksheet as a stream of
// rows keyed by header. Parsing happens in a worker thread with its own heap limit and a time
// limit, so a hostile or merely huge workbook costs neither the event loop nor the main heap;
// rows come back in batches, as the consumer takes them. Limits (rows, inflated bytes) stop the
// read as soon as they are passed: nothing after that point is inflated or parsed.

export interface SheetRow {
  /** 1-based row number as the user sees it in Excel. */
  row: number;
  values: Record<string, string>;
}

export interface SheetReadOptions {
  /** Data rows (blank rows not counted) beyond which the file is refused. Default 20,000. */
  maxRows?: number;
  /** Total uncompressed size of the parts, declared and actually inflated. Default 100 MB. */
  maxInflatedBytes?: number;
  /** Time the worker may spend parsing (not counting time waiting for the consumer). Default 60 s. */
  timeoutMs?: number;
  /** Old-generation heap of the worker. Default 256 MB. */
  maxHeapMb?: number;
  /** Rows per message from the worker. Default 500. */
  batchSize?: number;
}

export const SHEET_DEFAULTS = {
  maxRows: 20_000,
  maxInflatedBytes: 100 * 1024 * 1024,
  timeoutMs: 60_000,
  maxHeapMb: 256,
  batchSize: 500,
} as const;

/** Largest .xlsx an import accepts as an upload. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/** An open sheet: the headers (as typed, without `*` and spaces), then the rows, read once. */
export interface SheetStream extends AsyncIterable<SheetRow> {
  readonly headers: string[];
  /** Stops the worker; safe to call more than once. The iterator calls it when it ends. */
  close(): void;
}

// Batches the worker may send ahead of the consumer.
const MAX_IN_FLIGHT = 4;
// Parses at once in this process; more wait their turn (each worker may use a core and its heap).
const MAX_PARALLEL = 2;

const exceljsDir = path.dirname(createRequire(import.meta.url).resolve('exceljs/package.json'));

const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(2));

function readFailure(code: string, opts: Required<SheetReadOptions>): AppError {
  switch (code) {
    case 'rows':
      return badRequest(`文件：一次最多导入 ${opts.maxRows} 行`, 'file');
    case 'inflated':
      return badRequest(`文件：解压后超过大小限制（最大 ${mb(opts.maxInflatedBytes)} MB）`, 'file');
    case 'lying':
      return badRequest('文件：压缩内容的实际大小与声明不符，不是有效的 Excel（.xlsx）文件', 'file');
    case 'ole':
      return badRequest('文件：是加密的或旧版（.xls）的 Excel，请取消密码并另存为 .xlsx 后再导入', 'file');
    case 'nosheet':
      return badRequest('文件：没有工作表', 'file');
    case 'memory':
      return badRequest('文件：内容过于庞大，超出读取时的内存限制，请拆分后再导入', 'file');
    case 'timeout':
      return badRequest(`文件：读取超时（超过 ${Math.round(opts.timeoutMs / 1000)} 秒），请拆分后再导入`, 'file');
    default:
      return badRequest('文件：不是有效的 Excel（.xlsx）文件', 'file');
  }
}

// ------------------------------------------------------------------ concurrency

let running = 0;
const waiting: (() => void)[] = [];
function acquire(): Promise<void> {
  if (running < MAX_PARALLEL) {
    running++;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiting.push(resolve));
}
function release() {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** A timer that only runs while the worker is working (not while it waits for the consumer). */
class Budget {
  private left: number;
  private since = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(ms: number, private readonly onExpire: () => void) {
    this.left = ms;
  }
  resume() {
    if (this.timer) return;
    this.since = Date.now();
    this.timer = setTimeout(this.onExpire, Math.max(0, this.left));
  }
  pause() {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.left -= Date.now() - this.since;
  }
}

type WorkerMessage =
  | { t: 'headers'; headers: string[] }
  | { t: 'rows'; rows: { r: number; c: string[] }[] }
  | { t: 'end'; rows: number }
  | { t: 'error'; code: string; detail?: string }
  | { t: 'fatal'; message: string };

/**
 * Opens the first worksheet of an .xlsx. Resolves once the header row is read (or the file is
 * refused: AppError 400 naming `file`). Iterate the answer for the rows; a limit passed while
 * iterating throws the same kind of error. Blank rows are skipped; every text passes cleanText.
 */
export async function openSheet(data: Buffer | Uint8Array, options: SheetReadOptions = {}): Promise<SheetStream> {
  const opts: Required<SheetReadOptions> = { ...SHEET_DEFAULTS, ...options };
  await acquire();

  let worker: Worker;
  try {
    // A copy of exactly these bytes, moved (not cloned again) to the worker.
    const bytes = new Uint8Array(data);
    worker = new Worker(SHEET_WORKER_SOURCE, {
      eval: true,
      // None of the parent's flags: --input-type=module would make the source a module, a loader
      // (--import tsx) would only slow the start, --max-old-space-size would override the limit.
      execArgv: [],
      transferList: [bytes.buffer],
      workerData: {
        data: bytes,
        exceljsDir,
        maxRows: opts.maxRows,
        maxInflatedBytes: opts.maxInflatedBytes,
        batchSize: opts.batchSize,
        maxInFlight: MAX_IN_FLIGHT,
      },
      resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
  } catch (err) {
    release();
    throw err;
  }

  const queue: SheetRow[][] = [];
  let headers: string[] | null = null;
  let failure: Error | null = null;
  let ended = false;
  let closed = false;
  let notify: (() => void) | null = null;
  const wakeUp = () => {
    const n = notify;
    notify = null;
    n?.();
  };

  const stop = () => {
    if (closed) return;
    closed = true;
    budget.pause();
    clearTimeout(hardStop);
    void worker.terminate().finally(release);
  };
  const failWith = (err: Error) => {
    if (!failure && !ended) failure = err;
    stop();
    wakeUp();
  };
  const budget = new Budget(opts.timeoutMs, () => failWith(readFailure('timeout', opts)));
  budget.resume();
  // A consumer that stops pulling without close() would keep the worker (and its slot) forever.
  const hardStop = setTimeout(() => failWith(readFailure('timeout', opts)), opts.timeoutMs * 10);

  worker.on('message', (m: WorkerMessage) => {
    if (closed) return;
    switch (m.t) {
      case 'headers':
        headers = m.headers.map((h) => cleanText(h));
        break;
      case 'rows': {
        const names = headers ?? [];
        const batch: SheetRow[] = [];
        for (const { r, c } of m.rows) {
          const values: Record<string, string> = {};
          let any = false;
          names.forEach((h, i) => {
            if (!h) return;
            const t = cleanText(c[i] ?? '').trim();
            if (t) any = true;
            values[h] = t;
          });
          if (any) batch.push({ row: r, values });
        }
        queue.push(batch);
        // The worker stops after MAX_IN_FLIGHT unacknowledged batches: its clock stops too.
        if (queue.length >= MAX_IN_FLIGHT) budget.pause();
        break;
      }
      case 'end':
        ended = true;
        stop();
        break;
      case 'error':
        failWith(readFailure(m.code, opts));
        break;
      case 'fatal':
        failWith(new Error(`sheet reader: ${m.message}`));
        break;
    }
    wakeUp();
  });
  worker.on('error', (err: Error & { code?: string }) => {
    failWith(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? readFailure('memory', opts) : err);
  });
  worker.on('exit', () => {
    if (!closed) {
      closed = true;
      budget.pause();
      clearTimeout(hardStop);
      release();
    }
    if (!ended && !failure) failure = new Error('sheet reader: worker exited before the end of the sheet');
    wakeUp();
  });

  const waitForChange = () => new Promise<void>((resolve) => (notify = resolve));

  while (headers === null && !failure && !ended) await waitForChange();
  if (failure) {
    stop();
    throw failure;
  }

  const stream: SheetStream = {
    headers: headers ?? [],
    close: stop,
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          if (failure) throw failure;
          const batch = queue.shift();
          if (batch) {
            if (!closed) {
              worker.postMessage({ t: 'ack' });
              budget.resume();
            }
            yield* batch;
            continue;
          }
          if (ended) return;
          await waitForChange();
        }
      } finally {
        stop();
      }
    },
  };
  return stream;
}

/** Reads the whole first worksheet into memory, with the same limits. For small files only. */
export async function readAllRows(data: Buffer, options: SheetReadOptions = {}): Promise<{ headers: string[]; rows: SheetRow[] }> {
  const sheet = await openSheet(data, options);
  const rows: SheetRow[] = [];
  for await (const r of sheet) rows.push(r);
  return { headers: sheet.headers, rows };
}
