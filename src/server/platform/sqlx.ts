import { createQueryId, sql, type Compilable, type CompiledQuery, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/types.js';

/** Case-insensitive "contains" that treats % and _ in the user's text literally, on both dialects. */
export function contains(column: string, text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** count(*) as a JS number on both dialects. */
export const countAll = () => sql<number>`count(*)`;

/**
 * The day's next number for a record numbered `<prefix><yyyymmdd><0001>` (线索编号 XS…, 记录编号 SG…):
 * one more than the day's highest. On PostgreSQL two transactions would read the same highest
 * number (READ COMMITTED) and the second insert would fail on the unique key, so numbering takes a
 * transaction-scoped advisory lock per table first: the next taker reads after the holder commits.
 * SQLite's single writer (BEGIN IMMEDIATE) already orders them.
 */
export async function nextDayNumber(
  trx: Kysely<DB>,
  dialect: 'sqlite' | 'postgres',
  target: { table: 'clue' | 'interference_record'; column: 'clue_no' | 'record_no'; prefix: string },
  day: string,
): Promise<string> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`numbering:${target.table}`}))`.execute(trx);
  const prefix = `${target.prefix}${day.replaceAll('-', '')}`;
  const last = await sql<{ no: string }>`select ${sql.ref(target.column)} as no from ${sql.table(target.table)}
    where ${sql.ref(target.column)} >= ${prefix} and ${sql.ref(target.column)} < ${`${prefix}~`}
    order by ${sql.ref(target.column)} desc limit 1`.execute(trx);
  const n = last.rows[0] ? Number(last.rows[0].no.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(4, '0')}`;
}

// Kysely builds and compiles every query afresh, which for a hot statement with many columns is a
// measurable share of a request. compiledOnce() compiles it once per database, key and set of
// defined values, and then only lays each call's values into the compiled parameters.
type Slot = { name: string } | { constant: unknown };
const compiled = new WeakMap<object, Map<string, { query: CompiledQuery; slots: Slot[] }>>();

/**
 * The query `build` makes from `values`. It is built once per database, `key` and set of defined
 * values (undefined ones are left out, as Kysely leaves out undefined columns), with a marker
 * object in place of each value: the query's shape may depend on which values are defined, never
 * on what they are, and each value must reach the SQL as a plain parameter (a compared or inserted
 * value, not an `in` list). Any other parameter the builder makes is kept from the first build.
 */
export function compiledOnce<V extends Record<string, unknown>, R>(
  db: Kysely<DB>,
  key: string,
  values: V,
  build: (values: V) => Compilable<R>,
): CompiledQuery<R> {
  const names = Object.keys(values).filter((n) => values[n] !== undefined);
  const fullKey = `${key}:${names.join(',')}`;
  // The adapter is one object per database (shared by its transactions) and says the dialect.
  const adapter = db.getExecutor().adapter;
  let byKey = compiled.get(adapter);
  if (!byKey) compiled.set(adapter, (byKey = new Map()));
  let c = byKey.get(fullKey);
  if (!c) {
    const markers = new Map<unknown, string>(names.map((name) => [{ name }, name]));
    const probe = Object.fromEntries([...markers].map(([m, name]) => [name, m]));
    const query = build(probe as V).compile();
    // Parameters that are no marker are the builder's own constants (a limit, say).
    const slots: Slot[] = query.parameters.map((p) => (markers.has(p) ? { name: markers.get(p)! } : { constant: p }));
    if (new Set(slots.flatMap((s) => ('name' in s ? [s.name] : []))).size !== names.length) {
      throw new Error(`compiledOnce(${key}): every value must reach the query as a parameter`);
    }
    byKey.set(fullKey, (c = { query, slots }));
  }
  return {
    ...(c.query as CompiledQuery<R>),
    queryId: createQueryId(),
    parameters: c.slots.map((s) => ('name' in s ? values[s.name] : s.constant)),
  };
}
