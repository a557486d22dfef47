import type { Kysely, Transaction } from 'kysely';
import type { DB, AuditLogTable } from '../db/types.js';
import type { Dialect } from '../db/index.js';
import { sm3 } from './crypto.js';
import { scrubSnapshots } from './protect.js';

// The audit chain. Each entry's hash is SM3 over its own fields and the previous hash, so editing
// or deleting any past entry breaks every hash after it. The head row holds the last seq and hash
// so deleting the newest entries is detected too.

export interface AuditInput {
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export const GENESIS = '0'.repeat(64);

function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

export function entryHash(e: Omit<AuditLogTable, 'hash'>): string {
  return sm3(
    JSON.stringify([
      Number(e.seq), e.at, e.actor_id, e.actor_name, e.ip, e.action, e.entity_type, e.entity_id,
      e.before_json, e.after_json, e.prev_hash,
    ]),
  );
}

/** Appends one entry inside the caller's transaction. */
export async function appendAudit(
  trx: Transaction<DB> | Kysely<DB>,
  dialect: Dialect,
  at: string,
  input: AuditInput,
): Promise<number> {
  let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') q = q.forUpdate();
  const head = await q.executeTakeFirstOrThrow();
  const seq = Number(head.seq) + 1;
  // Secrets never enter the log and sealed personal fields only as "changed" (protect.ts), whatever the caller passed.
  const scrubbed = scrubSnapshots(input.before, input.after);
  const row: Omit<AuditLogTable, 'hash'> = {
    seq,
    at,
    actor_id: input.actorId,
    actor_name: input.actorName,
    ip: input.ip,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId,
    before_json: json(scrubbed.before),
    after_json: json(scrubbed.after),
    prev_hash: head.hash,
  };
  const hash = entryHash(row);
  await trx.insertInto('audit_log').values({ ...row, hash }).execute();
  await trx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
  return seq;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  brokenAt?: number;
  reason?: string;
}

/** Walks the whole chain in seq order, in pages, recomputing every hash. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  let prev = GENESIS;
  let expectSeq = 1;
  let count = 0;
  const page = 5000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectSeq)
      .orderBy('seq')
      .limit(page)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectSeq) {
        return { ok: false, entries: count, brokenAt: expectSeq, reason: `缺少第 ${expectSeq} 条（已被删除）` };
      }
      if (r.prev_hash !== prev) {
        return { ok: false, entries: count, brokenAt: seq, reason: `第 ${seq} 条的前序摘要与上一条不符` };
      }
      const { hash, ...rest } = r;
      if (entryHash({ ...rest, seq }) !== hash) {
        return { ok: false, entries: count, brokenAt: seq, reason: `第 ${seq} 条内容与摘要不符（已被篡改）` };
      }
      prev = hash;
      expectSeq++;
      count++;
    }
    if (rows.length < page) break;
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head || Number(head.seq) !== count || head.hash !== prev) {
    return {
      ok: false,
      entries: count,
      brokenAt: count + 1,
      reason: `链头记录为第 ${head ? Number(head.seq) : '?'} 条，实际只有 ${count} 条（末尾条目被删除或链头被改）`,
    };
  }
  return { ok: true, entries: count };
}
