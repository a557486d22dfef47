import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/server/db/types.js';

// "Nothing was written": a refused command must leave its tables and the audit log as they were.
// Take a snapshot before the refused call and compare after it.

/** Row counts of the given tables, always with audit_log. */
export async function rowCounts(db: Kysely<DB>, ...tables: (keyof DB & string)[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [...new Set([...tables, 'audit_log' as const])]) {
    const r = await db.selectFrom(t as 'audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** The highest audit sequence number (0 when the log is empty): entries after it are new. */
export async function lastAuditSeq(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('audit_log').select(sql<number>`max(seq)`.as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}
