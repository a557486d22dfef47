// Opinion table rows for the search benchmark, generated batch by batch (each batch from its own
// seed, so the data is the same whatever the number of worker threads). Every derived column is
// computed by the platform's own functions (searchTokens, simhash, contentHash); the receipt
// columns are not: receipt_hash is a unique placeholder and receipt_enc / a named submitter's name
// and phone one constant sealed value each — sealing a million values would only time SM4.
import { Worker } from 'node:worker_threads';
import { COUNTIES } from '../src/server/seed/reference.js';
import { contentHash, searchTokens, simhash } from '../src/server/modules/opinions/text.js';
import { CHANNELS } from '../src/shared/schemas/opinions.js';
import { opinionText, pickCategory, prng } from './opinions-gen.js';

export const COLUMNS = [
  'id', 'public_no', 'receipt_hash', 'receipt_enc', 'channel', 'category', 'suggested_category', 'suggested_confidence',
  'content', 'content_hash', 'search_tokens', 'simhash', 'sh0', 'sh1', 'sh2', 'sh3', 'identity', 'submitter_name_enc',
  'submitter_phone_enc', 'wants_contact', 'status', 'assigned_unit_id', 'assigned_at', 'deadline_at', 'reply_text',
  'replied_at', 'reject_reason', 'rating', 'submitted_at', 'created_at', 'updated_at',
] as const;
export type Column = (typeof COLUMNS)[number];
export type Row = Record<Column, string | number | null>;
export const PG_TYPES: Partial<Record<Column, string>> = {
  suggested_confidence: 'real', sh0: 'int', sh1: 'int', sh2: 'int', sh3: 'int', wants_contact: 'int', rating: 'int',
};
export interface Sealed {
  receipt: string;
  name: string;
  phone: string;
}

export const BATCH = 5_000;
export const SEED = 20210325;
export const UNIT_IDS = COUNTIES.map((c) => `bench-unit-${c.code}`);
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const base32 = (n: number, len: number) => {
  let s = '';
  for (let i = 0; i < len; i++, n = Math.floor(n / 32)) s = ALPHABET[n % 32] + s;
  return s;
};
const CHANNEL_CODES = Object.keys(CHANNELS);
const CHANNEL_WEIGHTS = [30, 20, 15, 8, 8, 6, 5, 5, 3];
const DAY = 86_400_000;
const START = Date.parse('2021-03-01T00:00:00+08:00');
const SPAN = 300 * DAY;

/** A UUIDv7-shaped id from the submission time and the row number: unique and time-ordered, like newId(). */
function uuid7Like(ms: number, i: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const c = i.toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6).padStart(12, '0')}`;
}

/**
 * Rows [b·BATCH, min(n, (b+1)·BATCH)) of n. Submission times rise with the row number over ten
 * months (the order opinions really arrive in), so ids and dates are inserted in order.
 */
export function generateBatch(b: number, n: number, sealed: Sealed): Row[] {
  const r = prng(SEED + b * 7919);
  const rows: Row[] = [];
  const step = SPAN / n;
  for (let i = b * BATCH; i < Math.min(n, (b + 1) * BATCH); i++) {
    const category = pickCategory(r);
    const content = opinionText(r, category);
    const ms = START + Math.floor(i * step + r.next() * step);
    const at = new Date(ms).toISOString();
    const ymd = new Date(ms + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
    const sh = simhash(content);
    const roll = r.next();
    const status = roll < 0.25 ? 'received' : roll < 0.5 ? 'assigned' : roll < 0.95 ? 'replied' : 'rejected';
    const unit = status === 'assigned' || status === 'replied' ? r.pick(UNIT_IDS) : null;
    const sorted = status !== 'received' || r.next() < 0.6;
    const named = r.next() < 0.3;
    const replied = status === 'replied' ? new Date(ms + r.int(1, 20) * DAY).toISOString() : null;
    const cw = r.next() * 100;
    let acc = 0;
    const channel = CHANNEL_CODES[CHANNEL_WEIGHTS.findIndex((w) => (acc += w) > cw)] ?? 'portal';
    rows.push({
      id: uuid7Like(ms, i),
      public_no: `YJ${ymd}${base32(i, 5)}`,
      receipt_hash: i.toString(16).padStart(64, '0'),
      receipt_enc: sealed.receipt,
      channel,
      category: sorted ? category : null,
      suggested_category: sorted ? null : category,
      suggested_confidence: sorted ? null : 0.8,
      content,
      content_hash: contentHash(content),
      search_tokens: searchTokens(content).join(' '),
      simhash: sh.hex,
      sh0: sh.bands[0], sh1: sh.bands[1], sh2: sh.bands[2], sh3: sh.bands[3],
      identity: named ? 'named' : 'anonymous',
      submitter_name_enc: named ? sealed.name : null,
      submitter_phone_enc: named ? sealed.phone : null,
      wants_contact: named && r.next() < 0.5 ? 1 : 0,
      status,
      assigned_unit_id: unit,
      assigned_at: unit ? new Date(ms + DAY).toISOString() : null,
      deadline_at: unit ? new Date(ms + 15 * DAY).toISOString() : null,
      reply_text: replied ? '经核实，已责成相关单位整改，并将整改情况向您反馈。感谢您的监督。' : null,
      replied_at: replied,
      reject_reason: status === 'rejected' ? '不属于司法行政机关职责范围，已告知向有关部门反映。' : null,
      rating: replied && r.next() < 0.6 ? r.int(3, 5) : null,
      submitted_at: at,
      created_at: at,
      updated_at: replied ?? at,
    });
  }
  return rows;
}

/**
 * All n rows in order, a batch at a time, generated by `workers` threads (0: in this thread).
 * At most two batches per worker are in flight, so memory stays flat however slow the consumer.
 */
export async function* rowBatches(n: number, sealed: Sealed, workers: number): AsyncGenerator<Row[]> {
  const batches = Math.ceil(n / BATCH);
  if (workers <= 0) {
    for (let b = 0; b < batches; b++) yield generateBatch(b, n, sealed);
    return;
  }
  const entry = new URL('./opinions-rows-worker.ts', import.meta.url).href;
  // Worker threads do not inherit tsx's loader: register it, then load the TypeScript entry.
  const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const pool = Array.from({ length: workers }, () => new Worker(code, { eval: true, workerData: { n, sealed } }));
  const waiting = new Map<number, { resolve: (rows: Row[]) => void; reject: (e: unknown) => void }>();
  const done = new Map<number, Row[]>();
  let failure: unknown = null;
  for (const w of pool) {
    w.on('message', (m: { b: number; rows: Row[] }) => {
      const wait = waiting.get(m.b);
      if (wait) {
        waiting.delete(m.b);
        wait.resolve(m.rows);
      } else done.set(m.b, m.rows);
    });
    w.on('error', (e) => {
      failure = e;
      for (const wait of waiting.values()) wait.reject(e);
      waiting.clear();
    });
  }
  let next = 0;
  const request = () => {
    if (next < batches) pool[next % workers]!.postMessage(next++);
  };
  try {
    for (let i = 0; i < workers * 2; i++) request();
    for (let b = 0; b < batches; b++) {
      if (failure) throw failure;
      const rows = done.get(b) ?? (await new Promise<Row[]>((resolve, reject) => waiting.set(b, { resolve, reject })));
      done.delete(b);
      request();
      yield rows;
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
