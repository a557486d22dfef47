import { AliasNode, IdentifierNode, sql, TableNode, type CompiledQuery, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../db/types.js';

/*
 * Every list endpoint goes through listPage(): one pattern that stays fast when the data grows 100×.
 *
 * The rules it encodes (and that each list's indexes must honour):
 * 1. The default order is an index's order, ending with a unique column (the id) so equal names
 *    never swap between pages. When the order spans two tables (people: unit tree, then name), copy
 *    the other table's part onto the row as a sort key kept by a trigger (person.sort_key, see
 *    db/migrations/0004_list_indexes.ts) — a sort across a join reads and sorts the whole table.
 * 2. Each filter has an index that starts with the filter's column and continues with the order's
 *    columns, so a filtered page is still one index range read in order. Data scope stays in the
 *    SQL (applyScope); give it the sort-key column when there is one (ScopeColumns.unitPath).
 * 3. A page is read in two steps: first the page's ids (ORDER BY … LIMIT/OFFSET on the index alone,
 *    so skipping 40 pages touches 800 index entries and nothing else), then the displayed columns
 *    and joins for just those ids. Deep pages cost about what page 1 costs. When the rows query
 *    reads every table the order names, both steps go as one statement (`id IN (keys subquery)`,
 *    the page's rows sorted again): one database round trip fewer per page.
 * 4. Counts scan no more than they must. `count: 'exact'` only when an index alone answers (no filter,
 *    or filters that are an index's leading columns: scope, unit, status…; with no filter at all on
 *    people, opinions and the logs, the total is one row of list_total, kept by triggers, read as one
 *    more column of the page's own statement); text searches and other
 *    filters use `count: 'capped'`: counting stops at COUNT_CAP and the answer says
 *    `{ total: 10000, totalCapped: true }` (the staff UI shows "10,000+ 条"). An 'exact' count that
 *    no kept total answers also stops at COUNT_CAP: an index range still costs one entry per row.
 *    No count is run at all when the page itself shows the end of the list.
 *
 * Worked example (the people list, modules/people/queries.ts, simplified):
 *
 *   export async function listPeople(ctx: Ctx, actor: Actor, f: PeopleQuery) {
 *     // The main table, scope and filters only: no display joins here.
 *     let from = applyScope(ctx.db.selectFrom('person'), actor, PERSON_SCOPE);
 *     if (f.status) from = from.where('person.status', '=', f.status);      // index person_status_sort
 *     // A text search reads a per-character term index instead (person_term, 0008_person_terms): a
 *     // filter with no index of its own walks rows, so its count is capped.
 *     const page = await listPage(ctx.db, {
 *       name: 'people',
 *       from,
 *       id: 'person.id',
 *       order: [['person.sort_key', 'asc'], ['person.name', 'asc'], ['person.id', 'asc']],
 *       rows: (ids) => ctx.db.selectFrom('person')
 *         .innerJoin('org_unit', 'org_unit.id', 'person.org_unit_id')
 *         .select(['person.id', 'person.name', 'org_unit.name as org_unit_name'])
 *         .where('person.id', 'in', ids),
 *       count: f.q ? 'capped' : 'exact',
 *       page: f.page,
 *       pageSize: f.pageSize,
 *     });
 *     return { ...page, items: page.items.map(presentPerson) };
 *   }
 *
 * and in a migration: createIndex('person_sort').on('person').columns(['sort_key', 'name', 'id']),
 * createIndex('person_status_sort').on('person').columns(['status', 'sort_key', 'name', 'id']).
 * test/server/lists.test.ts checks every list's plans (EXPLAIN of exactly what ran, via
 * watchListQueries): add the new list there too.
 */

/** What every list endpoint answers. `totalCapped`: `total` is COUNT_CAP and there are more. */
export interface ListPage<T> {
  items: T[];
  total: number;
  totalCapped?: true;
}

export type OrderTerm = readonly [column: string, direction: 'asc' | 'desc'];

export interface ListSpec<Row> {
  /** Names the list for tests (plan checks) and diagnostics, e.g. 'people'. */
  name: string;
  /** The main table with the caller's scope and the filters applied: no select, no order, no display joins. */
  from: SelectQueryBuilder<DB, any, any>;
  /** The main table's unique key column, e.g. 'person.id'; the rows carry it under its own name (row.id). */
  id: string;
  /** An index's order, ending with a unique column. */
  order: readonly OrderTerm[];
  /** The displayed columns for the page's ids (joins for names belong here). Order does not matter. */
  rows: (ids: any[]) => SelectQueryBuilder<DB, any, Row>;
  /**
   * 'exact': the whole table's trigger-kept total answers when there is no filter (people, opinions, the
   * logs); otherwise, like 'capped', rows are counted up to COUNT_CAP. 'capped': searches, other filters.
   */
  count: 'exact' | 'capped';
  /**
   * A total the module keeps itself (e.g. per-unit counts kept by triggers, summed over the caller's
   * units), read instead of counting rows when the page is full: for a list no index can count, like
   * "who has not signed" (an anti-join: one lookup per person).
   */
  total?: () => Promise<number>;
  /** From 1. Omit page and pageSize only for small bounded lists (dictionaries): every row is answered. */
  page?: number;
  pageSize?: number;
}

/** Settings of the helper; tests lower the cap. */
export const listSettings = { countCap: 10_000 };

export interface ListQueryEvent {
  list: string;
  step: 'keys' | 'rows' | 'count';
  query: CompiledQuery;
}

const watchers = new Set<(e: ListQueryEvent) => void>();

/** Tells `fn` about every query a list runs (tests EXPLAIN exactly these); answers the way to stop. */
export function watchListQueries(fn: (e: ListQueryEvent) => void): () => void {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

async function run<O>(list: string, step: ListQueryEvent['step'], q: SelectQueryBuilder<DB, any, O>): Promise<O[]> {
  if (watchers.size) {
    const query = q.compile();
    for (const w of watchers) w({ list, step, query });
  }
  return q.execute();
}

/** The last part of a column reference: 'person.id' → 'id'. */
const columnName = (ref: string) => ref.slice(ref.lastIndexOf('.') + 1);

/** The page's keys in the list's order (step 1). */
function keysQuery(spec: ListSpec<unknown>, limit?: number, offset = 0) {
  let q = spec.from.select(sql.ref(spec.id).as('list_key'));
  for (const [column, direction] of spec.order) q = q.orderBy(sql.ref(column), direction);
  if (limit !== undefined) q = q.limit(limit).offset(offset);
  return q as SelectQueryBuilder<DB, any, { list_key: unknown }>;
}

/** The rows of some keys, in the keys' order (step 2). IN lists stay well below every driver's limit. */
async function rowsOf<Row>(spec: ListSpec<Row>, keys: unknown[]): Promise<Row[]> {
  if (!keys.length) return [];
  const name = columnName(spec.id);
  const byKey = new Map<string, Row>();
  for (let i = 0; i < keys.length; i += 500) {
    for (const row of await run(spec.name, 'rows', spec.rows(keys.slice(i, i + 500)))) {
      byKey.set(String((row as Record<string, unknown>)[name]), row);
    }
  }
  // A row deleted between the two steps is simply left out.
  return keys.map((k) => byKey.get(String(k))).filter((r): r is Row => r !== undefined);
}

/** Tables whose row count triggers keep in list_total (db/migrations/0007_list_totals.ts, 0009_opinion_total.ts). */
const LIST_TOTAL_TABLES = new Set(['person', 'audit_log', 'login_log', 'opinion']);

/** The table `from` reads when it is one table with no condition and no join; else undefined. */
function wholeTable(from: SelectQueryBuilder<DB, any, any>): string | undefined {
  const node = from.toOperationNode();
  if (node.where || node.joins?.length || node.from?.froms.length !== 1) return undefined;
  const only = node.from.froms[0]!;
  return TableNode.is(only) ? only.table.identifier.name : undefined;
}

/** The table whose trigger-kept total answers `from`'s exact count, if any. */
function keptTotalOf(from: SelectQueryBuilder<DB, any, any>): string | undefined {
  const table = wholeTable(from);
  return table && LIST_TOTAL_TABLES.has(table) ? table : undefined;
}

/** How many rows `from` holds: exact, or at most `cap` + 1 rows looked at. */
export async function countRows(
  db: Kysely<DB>,
  list: string,
  from: SelectQueryBuilder<DB, any, any>,
  mode: 'exact' | 'capped',
  cap = listSettings.countCap,
): Promise<{ total: number; totalCapped?: true }> {
  if (mode === 'exact') {
    // A whole table with a trigger-kept row count (migration 0007): one row read instead of a scan.
    const table = keptTotalOf(from);
    if (table) {
      const [kept] = await run(list, 'count', db.selectFrom('list_total').select('n').where('table_name', '=', table));
      if (kept) return { total: Number(kept.n) };
    }
    const [row] = await run(list, 'count', from.select(sql<number>`count(*)`.as('n')));
    return { total: Number(row?.n ?? 0) };
  }
  // count(*) over "the first cap + 1 matches": the scan stops there however many rows match.
  const limited = from.select(sql<number>`1`.as('one')).limit(cap + 1).as('capped');
  const [row] = await run(list, 'count', db.selectFrom(limited).select(sql<number>`count(*)`.as('n')));
  const n = Number(row?.n ?? 0);
  return n > cap ? { total: cap, totalCapped: true } : { total: n };
}

/** The tables (or aliases) a query reads in its FROM and joins. */
function tablesOf(q: SelectQueryBuilder<DB, any, any>): Set<string> {
  const node = q.toOperationNode();
  const names = new Set<string>();
  for (const t of [...(node.from?.froms ?? []), ...(node.joins ?? []).map((j) => j.table)]) {
    if (TableNode.is(t)) names.add(t.table.identifier.name);
    else if (AliasNode.is(t) && IdentifierNode.is(t.alias)) names.add(t.alias.name);
  }
  return names;
}

/** Per list and order: whether its rows query can sort its own rows (it reads every order column's table). */
const sortsOwnRows = new Map<string, boolean>();

function canSortRows(spec: ListSpec<unknown>): boolean {
  const key = `${spec.name}\u0000${spec.order.map(([c]) => c).join(',')}`;
  let ok = sortsOwnRows.get(key);
  if (ok === undefined) {
    const tables = tablesOf(spec.rows([]));
    ok = spec.order.every(([c]) => c.includes('.') && tables.has(c.slice(0, c.lastIndexOf('.'))));
    sortsOwnRows.set(key, ok);
  }
  return ok;
}

/**
 * Both steps of a page in one statement: the rows of `id IN (the page's keys)`, sorted again (20
 * rows). One round trip fewer — on PostgreSQL each is a socket write and a wake-up on both sides. A
 * whole table's kept total rides along as one more column (`kept`), so no count statement follows.
 */
async function pageInOneStatement<Row>(spec: ListSpec<Row>, offset: number): Promise<{ items: Row[]; kept?: number }> {
  const keys = keysQuery(spec, spec.pageSize, offset);
  if (watchers.size) {
    const query = keys.compile();
    for (const w of watchers) w({ list: spec.name, step: 'keys', query });
  }
  let q = spec.rows(keys as unknown as unknown[]);
  for (const [column, direction] of spec.order) q = q.orderBy(sql.ref(column), direction);
  const table = spec.count === 'exact' ? keptTotalOf(spec.from) : undefined;
  if (!table) return { items: await run(spec.name, 'rows', q) };
  const rows = await run(spec.name, 'rows', q.select(sql<number>`(select n from list_total where table_name = ${table})`.as('list_total_n')));
  const kept = rows[0]?.list_total_n;
  return {
    items: rows.map(({ list_total_n: _n, ...row }) => row as Row),
    kept: kept === undefined || kept === null ? undefined : Number(kept),
  };
}

/** One page of a list: `{ items, total }`, plus `totalCapped: true` when the count stopped at the cap. */
export async function listPage<Row>(db: Kysely<DB>, spec: ListSpec<Row>): Promise<ListPage<Row>> {
  if (spec.page === undefined || spec.pageSize === undefined) {
    const keys = (await run(spec.name, 'keys', keysQuery(spec))).map((r) => r.list_key);
    const items = await rowsOf(spec, keys);
    return { items, total: items.length };
  }
  const offset = (spec.page - 1) * spec.pageSize;
  let page: { items: Row[]; kept?: number };
  if (canSortRows(spec)) page = await pageInOneStatement(spec, offset);
  else {
    const keys = (await run(spec.name, 'keys', keysQuery(spec, spec.pageSize, offset))).map((r) => r.list_key);
    page = { items: await rowsOf(spec, keys) };
  }
  const { items, kept } = page;
  // A short page is the end of the list: its position is the total, no count needed.
  if (items.length < spec.pageSize && (items.length > 0 || offset === 0)) return { items, total: offset + items.length };
  if (kept !== undefined) return { items, total: kept };
  if (spec.total) {
    const t = await spec.total();
    // Never fewer than the rows just seen (a change between the two statements on PostgreSQL); a page
    // past the end answers the total alone.
    return { items, total: items.length ? Math.max(t, offset + items.length) : t };
  }
  // 'exact' is exact only where a kept total answers; an index range with a filter still reads one
  // entry per row (83,500 active people: ~20 ms on SQLite), so it stops at the cap like a search.
  return { items, ...(await countRows(db, spec.name, spec.from, spec.count === 'exact' && keptTotalOf(spec.from) ? 'exact' : 'capped')) };
}

/** Every row of a list in its order, a batch at a time (exports): the same two steps, no counts. */
export async function* iterateList<Row>(spec: Omit<ListSpec<Row>, 'count' | 'page' | 'pageSize'>, batch = 1000): AsyncGenerator<Row> {
  const full = { ...spec, count: 'exact' as const };
  for (let offset = 0; ; offset += batch) {
    const keys = (await run(spec.name, 'keys', keysQuery(full, batch, offset))).map((r) => r.list_key);
    yield* await rowsOf(full, keys);
    if (keys.length < batch) return;
  }
}
