// Scale data for benchmarks: copies of the demo's opinions, the companion of bench/scale.ts's
// scalePeople, so the opinions list and its search can be measured at 100× the demo.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/server/db/types.js';

/** Columns a copy gets fresh; every other column (text, tokens, SimHash, status, unit, dates) is copied. */
const FRESH: Record<string, (k: string) => string> = {
  id: (k) => `o.id || '.' || ${k}`,
  // Unique like the originals, recognisably a copy (never mistaken for a 意见编号 lookup).
  public_no: (k) => `o.public_no || '-' || ${k}`,
  receipt_hash: (k) => `o.receipt_hash || '.' || ${k}`,
  request_digest: () => 'null',
  open311_token: () => 'null',
  merged_into_id: () => 'null',
};

/**
 * Makes the opinions `factor` times as many: every opinion present now gets factor − 1 copies with a
 * distinct id, 意见编号 and receipt digest, the rest unchanged (so the words, categories, statuses,
 * units and dates keep their shares; copies of one opinion share its submission time and sort by id).
 * The full-text index follows by itself (the FTS5 trigger on SQLite, the generated tsvector column
 * on PostgreSQL). One INSERT … SELECT; answers the new total.
 */
export async function scaleOpinions(
  db: Kysely<DB>,
  dialect: 'sqlite' | 'postgres',
  factor: number,
  /** Copy only opinions created up to this instant (the demo's, not what a benchmark submitted since). */
  createdUpTo?: string,
): Promise<number> {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`factor must be a positive integer, got ${factor}`);
  if (factor > 1) {
    const columns =
      dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from pragma_table_info('opinion')`.execute(db)).rows.map((r) => r.name)
        : (
            await sql<{ name: string }>`select column_name as name from information_schema.columns
              where table_schema = current_schema() and table_name = 'opinion' and is_generated = 'NEVER' order by ordinal_position`.execute(db)
          ).rows.map((r) => r.name);
    const k = 'cast(n.k as text)';
    const select = columns.map((c) => (FRESH[c] ? FRESH[c]!(k) : `o.${c}`)).join(', ');
    const only = createdUpTo ? sql` where o.created_at <= ${createdUpTo}` : sql``;
    await sql`with recursive n(k) as (select 1 union all select k + 1 from n where k < ${sql.lit(factor - 1)})
      insert into opinion (${sql.raw(columns.join(', '))}) select ${sql.raw(select)} from opinion o cross join n${only}`.execute(db);
  }
  const { n } = await db.selectFrom('opinion').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(n);
}
