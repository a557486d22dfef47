import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Actor, Ctx } from '../../platform/context.js';
import { auditRead, can } from '../../platform/context.js';
import { applyScope, hasAllScope } from '../../platform/access.js';
import { notFound } from '../../platform/errors.js';
import { countAll } from '../../platform/sqlx.js';
import { countRows, iterateList, listPage, listSettings, type ListPage } from '../../platform/list.js';
import type { OpinionQuery } from '../../../shared/schemas/opinions.js';
import { OPINION_SCOPE } from './commands.js';
import { excerpt, hamming, queryTokens, simhash } from './text.js';
import { suggestCategory } from './suggest.js';

/** Dates from the UI are Asia/Shanghai calendar days; stored times are UTC. */
export function shanghaiDayStart(ymd: string): string {
  return new Date(`${ymd}T00:00:00+08:00`).toISOString();
}
export function shanghaiDayEnd(ymd: string): string {
  return new Date(new Date(`${ymd}T00:00:00+08:00`).getTime() + 86_400_000 - 1).toISOString();
}

// ---------------------------------------------------------------- list and full-text search
//
// The list follows platform/list.ts (the page's keys from one index read, counts that stop at a cap).
// A search by words cannot use it as is: "newest first among the rows holding 公证" is neither the
// full-text index's order nor the date index's, and the obvious plans are each right for one kind
// of query only — sort every match (fast for a rare word, 100,000 row reads for 法律), or walk the
// date index testing each row (fast for 法律, the whole table for a word nobody used). So each
// dialect looks at how common the words are first, from an index or from the statistics, and
// takes the plan that fits (searchSqlite, searchPostgres). Totals past the cap answer
// `{ total: cap, totalCapped: true }` as every list does; with other filters (scope short of
// "all", category, status…) counting reads rows, so it stops at FILTERED_CAP.

/**
 * Counting that must read rows stops at this lower cap: a search with other filters too (scope short
 * of "all", category…), and on PostgreSQL any search its statistics cannot settle (a GIN index
 * cannot count without reading each row).
 */
const FILTERED_CAP = 1_000;

/** Where the strategies switch (tests lower them to take every path on a small database). */
export const searchSettings = {
  /** SQLite: at most this many matches are all read and sorted. */
  sparse: 500,
  /**
   * PostgreSQL: words with at most this many rows (by the statistics) are read GIN index first. Each
   * row read is a heap page visit (~3–20 µs): low, so a busy server is not spending 10 ms per search.
   */
  ginFirstMax: 1_000,
  /** PostgreSQL: the walk down the date index tests at most this many rows (or 50 × the page end). */
  walk: 5_000,
  /** SQLite: rows read at a time from the date index when checking for rows filed out of date order. */
  lateBatch: 500,
};

/** How often each plan ran in this process (tests check that each was taken). */
export const searchPlans = { sqliteCounted: 0, sqliteSorted: 0, sqliteWalk: 0, sqliteLate: 0, sqliteLateBatches: 0, pgGinFirst: 0, pgWalk: 0, pgWalkMissed: 0 };

const ORDER = [['opinion.submitted_at', 'desc'], ['opinion.id', 'desc']] as const;

export type TextSearch = { kind: 'publicNo'; publicNo: string } | { kind: 'words'; terms: string[] };

/** What a query asks for: an 意见编号, words (operators and quotes are words, never syntax), or nothing. */
export function textSearch(q: string | undefined): TextSearch | null {
  const t = q?.trim();
  if (!t) return null;
  if (/^YJ\d{8}[0-9A-Z]{5}$/i.test(t)) return { kind: 'publicNo', publicNo: t.toUpperCase() };
  const terms = queryTokens(t).map((w) => w.replace(/["'\\:&|!()*<>]/g, '')).filter(Boolean);
  return terms.length ? { kind: 'words', terms } : null;
}

const ftsMatch = (terms: string[]) => terms.map((t) => `"${t}"`).join(' AND ');
const tsMatch = (terms: string[]) => sql<SqlBool>`opinion.search_vector @@ to_tsquery('simple', ${terms.join(' & ')})`;

/** Full-text match on the jieba tokens: FTS5 on SQLite, tsvector on PostgreSQL; every word must match. */
export function fullText(ctx: Ctx, q: string): Expression<SqlBool> | null {
  const s = textSearch(q);
  if (s?.kind !== 'words') return null;
  if (ctx.dialect === 'sqlite') return sql<SqlBool>`opinion.rowid in (select rowid from opinion_fts where opinion_fts match ${ftsMatch(s.terms)})`;
  return tsMatch(s.terms);
}

/** True when something beyond the words narrows the list (a filter, or a scope short of "all"). */
function narrowed(actor: Actor, f: Partial<OpinionQuery>, search: TextSearch | null): boolean {
  return (
    !hasAllScope(actor) || search?.kind === 'publicNo' ||
    Boolean(f.category || f.channel || f.unitId || f.status || f.identity || f.campaignId || f.from || f.to || f.overdue === '1')
  );
}

/**
 * The caller's scope and every filter except the words, on any query over the opinion table (the
 * list's, or a search's row lookups). "All" scope adds no condition at all: a bare count(*) is
 * answered from the table's b-tree on SQLite, a `where true` would make it read every row.
 */
function narrow<QB extends SelectQueryBuilder<any, any, any>>(ctx: Ctx, actor: Actor, f: Partial<OpinionQuery>, search: TextSearch | null, qb: QB): QB {
  let q = qb as SelectQueryBuilder<any, any, any>;
  if (!hasAllScope(actor)) q = applyScope(q, actor, OPINION_SCOPE);
  // An 意见编号 is looked up as such, not as words.
  if (search?.kind === 'publicNo') q = q.where('opinion.public_no', '=', search.publicNo);
  if (f.category === 'none') q = q.where('opinion.category', 'is', null);
  else if (f.category) q = q.where('opinion.category', '=', f.category);
  if (f.channel) q = q.where('opinion.channel', '=', f.channel);
  if (f.unitId) q = q.where('opinion.assigned_unit_id', '=', f.unitId);
  if (f.status) q = q.where('opinion.status', '=', f.status);
  if (f.identity) q = q.where('opinion.identity', '=', f.identity);
  if (f.campaignId) q = q.where('opinion.campaign_id', '=', f.campaignId);
  if (f.from) q = q.where('opinion.submitted_at', '>=', shanghaiDayStart(f.from));
  if (f.to) q = q.where('opinion.submitted_at', '<=', shanghaiDayEnd(f.to));
  if (f.overdue === '1') {
    q = q.where('opinion.status', '=', 'assigned').where('opinion.deadline_at', '<', ctx.now().toISOString());
  }
  return q as QB;
}

/** The opinion table with the caller's scope and every filter except the words. */
function filtered(ctx: Ctx, actor: Actor, f: Partial<OpinionQuery>, search: TextSearch | null) {
  return narrow(ctx, actor, f, search, ctx.db.selectFrom('opinion'));
}
type Filtered = ReturnType<typeof filtered>;
/** Applies the scope and filters to a query that has the opinion table. */
type Narrow = <QB extends SelectQueryBuilder<any, any, any>>(qb: QB) => QB;

const LIST_COLUMNS = [
  'opinion.id', 'opinion.public_no', 'opinion.channel', 'opinion.category', 'opinion.suggested_category',
  'opinion.suggested_confidence', 'opinion.content', 'opinion.identity', 'opinion.status', 'opinion.assigned_unit_id',
  'opinion.deadline_at', 'opinion.submitted_at', 'opinion.replied_at', 'opinion.rating', 'opinion.merged_into_id',
  'org_unit.name as assigned_unit_name',
] as const;

type ListRow = {
  id: string; public_no: string; channel: string; category: string | null; suggested_category: string | null;
  suggested_confidence: number | null; content: string; identity: string; status: string; assigned_unit_id: string | null;
  deadline_at: string | null; submitted_at: string; replied_at: string | null; rating: number | null;
  merged_into_id: string | null; assigned_unit_name: string | null;
};

/** The displayed columns of some opinions (the page's, or an export batch's), with their unit's name. */
function rowsQuery(ctx: Ctx, ids: string[], extra: readonly string[] = []) {
  return ctx.db
    .selectFrom('opinion')
    .leftJoin('org_unit', 'org_unit.id', 'opinion.assigned_unit_id')
    .select([...LIST_COLUMNS, ...extra] as any)
    .where('opinion.id', 'in', ids);
}

async function rowsInOrder<R extends { id: string }>(q: { execute(): Promise<unknown[]> }, ids: string[]): Promise<R[]> {
  if (!ids.length) return [];
  const byId = new Map((await q.execute() as R[]).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is R => r !== undefined);
}

function present(r: ListRow, nowIso: string) {
  return {
    id: r.id,
    publicNo: r.public_no,
    channel: r.channel,
    category: r.category,
    suggestedCategory: r.suggested_category,
    suggestedConfidence: r.suggested_confidence,
    excerpt: excerpt(r.content),
    identity: r.identity,
    status: r.status,
    assignedUnitId: r.assigned_unit_id,
    assignedUnitName: r.assigned_unit_name,
    deadlineAt: r.deadline_at,
    overdue: Boolean(
      r.deadline_at && ((r.status === 'assigned' && r.deadline_at < nowIso) || (r.replied_at && r.replied_at > r.deadline_at)),
    ),
    submittedAt: r.submitted_at,
    repliedAt: r.replied_at,
    rating: r.rating,
    mergedIntoId: r.merged_into_id,
  };
}

export async function listOpinions(ctx: Ctx, actor: Actor, f: OpinionQuery) {
  const search = textSearch(f.q);
  const from = filtered(ctx, actor, f, search);
  let page: ListPage<ListRow>;
  if (search?.kind === 'words') {
    const found = await searchPage(ctx, from, (qb) => narrow(ctx, actor, f, search, qb), search.terms, narrowed(actor, f, search), (f.page - 1) * f.pageSize, f.pageSize);
    const rows = await rowsInOrder<ListRow>(rowsQuery(ctx, found.ids), found.ids);
    page = { items: rows, total: found.total, ...(found.capped ? { totalCapped: true as const } : {}) };
  } else {
    page = await listPage(ctx.db, {
      name: 'opinions',
      from,
      id: 'opinion.id',
      order: ORDER,
      rows: (ids: string[]) => rowsQuery(ctx, ids) as any,
      // Without filters the total is list_total's row (0009_opinion_total); with any, counting stops at the cap.
      count: narrowed(actor, f, search) ? 'capped' : 'exact',
      page: f.page,
      pageSize: f.pageSize,
    });
  }
  const ids = page.items.map((r) => r.id);
  const adoptions = ids.length
    ? await ctx.db.selectFrom('opinion_adoption').select(['opinion_id', 'target']).where('opinion_id', 'in', ids).execute()
    : [];
  const nowIso = ctx.now().toISOString();
  return {
    ...page,
    items: page.items.map((r) => ({
      ...present(r, nowIso),
      adopted: adoptions.filter((a) => a.opinion_id === r.id).map((a) => a.target),
    })),
  };
}

interface Found {
  ids: string[];
  total: number;
  capped: boolean;
}

/** Page `offset / size` of the opinions in `from` that hold every word, newest first, and their count. */
async function searchPage(
  ctx: Ctx, from: Filtered, scoped: Narrow, terms: string[], narrowed: boolean, offset: number, size: number,
): Promise<Found> {
  if (ctx.dialect === 'sqlite') return searchSqlite(ctx, scoped, terms, narrowed, offset, size);
  return searchPostgres(ctx, from, terms, narrowed, offset, size);
}

type Candidate = { r: number; s: string; id: string };
/** Newest first, then id: the list's order. */
const newestFirst = (a: Candidate, b: Candidate) => (a.s < b.s ? 1 : a.s > b.s ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * SQLite. First how many rows hold the words, from the FTS5 index alone and no further than the cap
 * (a walk down one or two doclists: about 1 ms per 10,000). Then:
 * - at most `sparse` matches: read them all, sort;
 * - more: the newest matches are near the highest rowids (rowids grow as opinions are filed), so
 *   walk the FTS5 index down from there in growing steps until the page is covered, then make the
 *   page exact (see below). With filters the same walk counts, up to the lower cap.
 */
async function searchSqlite(ctx: Ctx, scoped: Narrow, terms: string[], narrowed: boolean, offset: number, size: number): Promise<Found> {
  const cap = listSettings.countCap;
  const capNarrow = narrowed ? Math.min(FILTERED_CAP, cap) : null;
  const match = ftsMatch(terms);
  // Counted past both the cap and the sorting threshold, so each comparison below is exact. Opinions
  // are never deleted, so words once counted past that stay past it: not counted again (the count
  // reads 10,000 index entries, most of a common word's search at a million opinions).
  const limit = Math.max(cap, searchSettings.sparse);
  const known = knownPastLimit(ctx);
  const key = `${limit} ${match}`;
  let words: number;
  if (known.has(key)) words = limit + 1;
  else {
    searchPlans.sqliteCounted++;
    words = Number(
      (await sql<{ n: number }>`select count(*) as n from (select 1 from opinion_fts where opinion_fts match ${match}
        limit ${limit + 1})`.execute(ctx.db)).rows[0]?.n ?? 0,
    );
    if (words > limit) {
      if (known.size >= 10_000) known.clear();
      known.add(key);
    }
  }
  if (!words) return { ids: [], total: 0, capped: false };
  const wordsTotal = { total: Math.min(words, cap), capped: words > cap };
  /** Rowids holding the words, highest first, below `below`: a walk down the FTS5 index, no table read. */
  const fts = async (below: number | null, limit: number) =>
    (await sql<{ r: number }>`select rowid as r from opinion_fts where opinion_fts match ${match}
      ${below === null ? sql`` : sql`and rowid < ${below}`} order by rowid desc limit ${limit}`.execute(ctx.db)).rows.map((x) => x.r);
  /**
   * Of these rowids, the opinions that also pass the scope and filters. Driven by the rowids (CROSS
   * JOIN fixes the loop order): without statistics SQLite would rather read a filter's index, taking
   * status = 'replied' for ten rows when it is half the table.
   */
  const candidates = async (rowids: number[]): Promise<Candidate[]> => {
    const out: Candidate[] = [];
    for (let i = 0; i < rowids.length; i += 1000) {
      const part = rowids.slice(i, i + 1000);
      const rows = await scoped(
        ctx.db
          .selectFrom(sql`json_each(${JSON.stringify(part)})`.as('j'))
          .crossJoin('opinion')
          .where(sql<SqlBool>`opinion.rowid = j.value`),
      )
        .select([sql<number>`opinion.rowid`.as('r'), 'opinion.submitted_at as s', 'opinion.id'])
        .execute();
      out.push(...(rows as Candidate[]));
    }
    return out;
  };
  const want = offset + size;

  if (words <= searchSettings.sparse) {
    searchPlans.sqliteSorted++;
    // Few: every match, then sort (the date index would be walked far for them).
    const all = (await candidates(await fts(null, searchSettings.sparse))).sort(newestFirst);
    const total = capNarrow === null ? wordsTotal : { total: all.length, capped: false };
    return { ids: all.slice(offset, want).map((c) => c.id), ...total };
  }

  // Many: walk the FTS5 index down from the newest rowid in growing steps, keeping the matches that
  // pass the filters, until the page is covered (and, with filters, until the count passes its cap).
  searchPlans.sqliteWalk++;
  const found: Candidate[] = [];
  let below: number | null = null;
  // Without filters every match is on the list: the page's worth is enough to start with.
  let step = capNarrow === null ? want : Math.max(100, 2 * want);
  let exhausted = false;
  const enough = () => found.length >= want && (capNarrow === null || found.length > capNarrow);
  while (!exhausted && !enough()) {
    const rowids = await fts(below, step);
    if (rowids.length < step) exhausted = true;
    if (!rowids.length) break;
    below = rowids[rowids.length - 1]!;
    found.push(...(await candidates(rowids)));
    step = Math.min(step * 2, 4000);
  }
  found.sort(newestFirst);
  if (!exhausted && found.length >= want) {
    // Exact, not approximate: rowids follow filing order, which is date order except for opinions
    // entered later with an earlier date (those have high rowids and were seen) — or, rarely, a row
    // filed early with a later date. Such a row sits below `below` yet may belong on the page: the
    // date index finds every row at least as new as the page's last one that was not walked.
    // Read newest first a batch at a time, and stop once the page's last row is newer than what is
    // left: when many rows were entered out of order (an import of old paper opinions) this touches
    // a few batches, not every row since the page's date.
    const bound = found[want - 1]!.s;
    let after: { s: string; id: string } | null = null;
    for (;;) {
      const late: { r: number; s: string; id: string }[] = (await sql<{ r: number; s: string; id: string }>`select rowid as r, submitted_at as s, id
        from opinion indexed by opinion_submitted_id
        where submitted_at >= ${bound} and +rowid < ${below}
        ${after ? sql`and (submitted_at, id) < (${after.s}, ${after.id})` : sql``}
        order by submitted_at desc, id desc limit ${searchSettings.lateBatch}`.execute(ctx.db)).rows;
      searchPlans.sqliteLateBatches++;
      if (!late.length) break;
      const hits = await ftsAmong(ctx, match, late.map((x) => x.r));
      if (hits.length) {
        searchPlans.sqliteLate++;
        found.push(...(await candidates(hits)));
        found.sort(newestFirst);
      }
      if (late.length < searchSettings.lateBatch) break;
      const oldest = late[late.length - 1]!;
      after = { s: oldest.s, id: oldest.id };
      // Everything not yet read ranks after `oldest`: done when the page ends before it.
      if (newestFirst(found[want - 1]!, oldest) <= 0) break;
    }
  }
  const ids = found.slice(offset, want).map((c) => c.id);
  if (capNarrow === null) return { ids, ...wordsTotal };
  return exhausted || found.length <= capNarrow
    ? { ids, total: found.length, capped: false }
    : { ids, total: capNarrow, capped: true };
}

/** Per database: `${limit} ${match}` of the FTS5 queries known to match more than the limit. */
const pastLimit = new WeakMap<object, Set<string>>();

function knownPastLimit(ctx: Ctx): Set<string> {
  let known = pastLimit.get(ctx.database);
  if (!known) pastLimit.set(ctx.database, (known = new Set()));
  return known;
}

/**
 * Which of `rowids` hold the words (SQLite). FTS5 answers `rowid IN (…)` by running the match once
 * per listed rowid (about 15 µs each); reading the words' index entries between the lowest and the
 * highest of them and keeping the listed ones costs about 0.3 µs an entry. So: a few rowids are
 * looked up; for more, the range is read unless it holds over 40 entries per rowid (then looked up
 * after all — at worst about twice the better choice's cost).
 */
async function ftsAmong(ctx: Ctx, match: string, rowids: number[]): Promise<number[]> {
  const lookUp = async () =>
    (await sql<{ r: number }>`select rowid as r from opinion_fts where opinion_fts match ${match}
      and rowid in (${sql.join(rowids)})`.execute(ctx.db)).rows.map((x) => x.r);
  if (rowids.length <= 50) return lookUp();
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rowids) {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  const most = rowids.length * 40;
  const inRange = (await sql<{ r: number }>`select rowid as r from opinion_fts where opinion_fts match ${match}
    and rowid >= ${lo} and rowid <= ${hi} order by rowid desc limit ${most + 1}`.execute(ctx.db)).rows;
  if (inRange.length > most) return lookUp();
  const wanted = new Set(rowids);
  return inRange.map((x) => x.r).filter((r) => wanted.has(r));
}

/** How common each word is, from PostgreSQL's own statistics (ANALYZE / autovacuum), per database. */
interface WordStats {
  at: number;
  rows: number;
  /** Below every listed word's frequency: what an unlisted word is at most (about). */
  minFreq: number;
  freq: Map<string, number>;
}
const wordStats = new WeakMap<object, WordStats | null>();
const WORD_STATS_TTL_MS = 60_000;

async function pgWordStats(ctx: Ctx): Promise<WordStats | null> {
  const cached = wordStats.get(ctx.database);
  if (cached !== undefined && (cached === null ? 0 : cached.at) > Date.now() - WORD_STATS_TTL_MS) return cached;
  // most_common_elem_freqs: one per element, then their minimum and maximum.
  const r = await sql<{ rows: number; elems: string[] | null; freqs: number[] | null }>`
    select c.reltuples::float8 as rows, s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs::float8[] as freqs
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    left join pg_stats s on s.schemaname = n.nspname and s.tablename = c.relname and s.attname = 'search_vector'
    where c.relname = 'opinion'`.execute(ctx.db);
  const row = r.rows[0];
  let stats: WordStats | null = null;
  if (row?.elems?.length && row.freqs && Number(row.rows) > 0) {
    const freq = new Map(row.elems.map((e, i) => [e, Number(row.freqs![i])] as const));
    stats = { at: Date.now(), rows: Number(row.rows), minFreq: Number(row.freqs[row.elems.length] ?? 0), freq };
  }
  // No statistics yet (a new or small table): cache that for a short while only.
  wordStats.set(ctx.database, stats ?? null);
  if (!stats) setTimeout(() => wordStats.delete(ctx.database), 5_000).unref();
  return stats;
}

/**
 * PostgreSQL. The planner prices "newest first with a GIN filter" from its estimate of the words'
 * rows, which for an unlisted (rare) word or for several correlated words is far off, and then
 * walks the date index through most of the table. So the choice is made here, from the same
 * statistics read directly: the rows of the least common word bound the rows of the query.
 * - A word not in the statistics' list of common words, or at most ginFirstMax rows: the GIN index first (a MATERIALIZED CTE is not folded back into the
 *   outer query), sort them, count them exactly on the way.
 * - More: walk the newest rows in the list's order testing the words, stopping at the page, within
 *   a bound; not found within it, the words are rarer together than apart: GIN first after all.
 *   Counting here reads a row for every match (a GIN index cannot count alone): a single word's
 *   statistics say when it is far past the cap (or past FILTERED_CAP); otherwise counting stops
 *   past FILTERED_CAP.
 */
async function searchPostgres(ctx: Ctx, from: Filtered, terms: string[], narrowed: boolean, offset: number, size: number): Promise<Found> {
  const cap = listSettings.countCap;
  const lowCap = Math.min(FILTERED_CAP, cap);
  const query = terms.join(' & ');
  const matching = from.where(tsMatch(terms));
  const want = offset + size;

  /** Read every match GIN first and sort them: the count comes with it. */
  const ginFirst = async (after: 'statistics' | 'walk'): Promise<Found> => {
    searchPlans[after === 'walk' ? 'pgWalkMissed' : 'pgGinFirst']++;
    const rows = await ctx.db
      .with((cte) => cte('m').materialized(), () => matching.select(['opinion.id', 'opinion.submitted_at']))
      .selectFrom('m')
      .select(['m.id', sql<number>`count(*) over ()`.as('n')])
      .orderBy('m.submitted_at', 'desc')
      .orderBy('m.id', 'desc')
      .limit(size)
      .offset(offset)
      .execute();
    const n = rows.length ? Number(rows[0]!.n) : offset ? (await countRows(ctx.db, 'opinions', matching, 'exact')).total : 0;
    // After a walk that missed, answer the total as the walk's page would have (pages of one search agree).
    const shown = after === 'walk' ? walkTotal(n) : { total: Math.min(n, cap), capped: n > cap };
    return { ids: rows.map((r) => r.id), ...shown };
  };
  /** The total the walking strategy answers, from an exact count. */
  const walkTotal = (n: number) =>
    pastCap ? { total: pastCap, capped: true } : n > lowCap ? { total: lowCap, capped: true } : { total: n, capped: false };

  const stats = await pgWordStats(ctx);
  // A word the statistics do not list is rarer than every listed one (about): read it GIN first.
  if (!stats || terms.some((t) => !stats.freq.has(t))) return ginFirst('statistics');
  const upper = Math.min(...terms.map((t) => stats.freq.get(t)! * stats.rows));
  if (upper <= searchSettings.ginFirstMax) return ginFirst('statistics');
  // One word without filters: its statistics are its count at the last ANALYZE (opinions are never
  // deleted), sampled: three times a cap is safely past it, and the total is that cap, uncounted.
  const single = !narrowed && terms.length === 1;
  const pastCap = single && upper >= 3 * cap ? cap : single && upper >= 3 * lowCap ? lowCap : 0;

  // The newest rows of the (filtered) list in order, at most `bound`, testing the words on each.
  const bound = Math.max(searchSettings.walk, want * 50);
  const walked = await ctx.db
    .selectFrom(
      from
        .select(['opinion.id', 'opinion.submitted_at', sql`opinion.search_vector`.as('sv')])
        .orderBy('opinion.submitted_at', 'desc')
        .orderBy('opinion.id', 'desc')
        .limit(bound)
        .as('t'),
    )
    .select('t.id')
    .where(sql<SqlBool>`t.sv @@ to_tsquery('simple', ${query})`)
    .orderBy('t.submitted_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(want)
    .execute();
  if (walked.length < want) return ginFirst('walk');
  searchPlans.pgWalk++;
  const ids = walked.slice(offset).map((r) => r.id);
  if (pastCap) return { ids, total: pastCap, capped: true };
  if (narrowed) {
    // Filters too: the newest rows of the filtered list often settle it — past the low cap (stopping
    // there), or the whole list seen — without GIN bitmaps of every row holding a common word.
    const newest = from
      .select(sql`opinion.search_vector`.as('sv'))
      .orderBy('opinion.submitted_at', 'desc')
      .orderBy('opinion.id', 'desc')
      .limit(searchSettings.walk)
      .as('t');
    const hits = await ctx.db
      .selectFrom(ctx.db.selectFrom(newest).select(sql`1`.as('one')).where(sql<SqlBool>`t.sv @@ to_tsquery('simple', ${query})`).limit(lowCap + 1).as('h'))
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    if (Number(hits.n) > lowCap) return { ids, total: lowCap, capped: true };
    const seen = await countRows(ctx.db, 'opinions', from, 'capped', searchSettings.walk);
    if (seen.total < searchSettings.walk) return { ids, total: Number(hits.n), capped: false };
  }
  const c = await countRows(ctx.db, 'opinions', matching, 'capped', lowCap);
  return { ids, total: c.total, capped: Boolean(c.totalCapped) };
}

/** Every matching row for exports, in the list's order, a batch at a time. */
export async function* iterateOpinions(ctx: Ctx, actor: Actor, f: Partial<OpinionQuery>) {
  const nowIso = ctx.now().toISOString();
  const extra = ['opinion.reply_text', 'opinion.rating_comment'] as const;
  type ExportRow = ListRow & { reply_text: string | null; rating_comment: string | null };
  const search = textSearch(f.q);
  const from = filtered(ctx, actor, f, search);
  const out = (r: ExportRow) => ({ ...present(r, nowIso), content: r.content, reply: r.reply_text, ratingComment: r.rating_comment });
  if (search?.kind !== 'words') {
    for await (const r of iterateList({ name: 'opinions', from, id: 'opinion.id', order: ORDER, rows: (ids: string[]) => rowsQuery(ctx, ids, extra) as any })) {
      yield out(r as ExportRow);
    }
    return;
  }
  // A search: the ordered ids in one query (the matches are read once), then the rows in batches.
  const ids = (await from.where(fullText(ctx, f.q!)!).select('opinion.id').orderBy(ORDER[0][0], 'desc').orderBy(ORDER[1][0], 'desc').execute())
    .map((r) => r.id);
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    for (const r of await rowsInOrder<ExportRow>(rowsQuery(ctx, part, extra), part)) yield out(r);
  }
}

/** A 16-bit band value and the 16 values one bit away from it. */
function bandProbe(v: number): number[] {
  return [v, ...Array.from({ length: 16 }, (_, i) => v ^ (1 << i))];
}

const DUPLICATE_DISTANCE = 10;
const BANDS = ['opinion.sh0', 'opinion.sh1', 'opinion.sh2', 'opinion.sh3'] as const;

/**
 * Likely duplicates: Hamming distance ≤ 10 on the 64-bit SimHash. Candidates come from the four
 * indexed 16-bit bands, each probed with its one-bit neighbours: by pigeonhole two hashes within
 * 7 bits agree on some band up to one bit, so all of those are found (exact band equality alone
 * only guarantees 3 bits, and missed about half of real near-duplicates at 5–10 bits).
 */
export async function findDuplicates(ctx: Ctx, actor: Actor, id: string, sh: { hex: string; bands: number[] }, limit = 5) {
  const candidates = await applyScope(ctx.db.selectFrom('opinion'), actor, OPINION_SCOPE)
    .select(['opinion.id', 'opinion.simhash'])
    .where('opinion.id', '!=', id)
    .where((eb) => eb.or(BANDS.map((col, k) => eb(col, 'in', bandProbe(sh.bands[k]!)))))
    .limit(5000)
    .execute();
  const best = candidates
    .map((r) => ({ id: r.id, distance: hamming(sh.hex, r.simhash) }))
    .filter((r) => r.distance <= DUPLICATE_DISTANCE)
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
  if (!best.length) return [];
  const rows = await ctx.db
    .selectFrom('opinion')
    .select(['id', 'public_no', 'content', 'status', 'submitted_at'])
    .where('id', 'in', best.map((b) => b.id))
    .execute();
  return best.flatMap((b) => {
    const r = rows.find((x) => x.id === b.id);
    return r ? [{ id: r.id, publicNo: r.public_no, excerpt: excerpt(r.content), status: r.status, submittedAt: r.submitted_at, distance: b.distance }] : [];
  });
}

export async function getOpinion(ctx: Ctx, actor: Actor, id: string) {
  const o = await applyScope(
    ctx.db.selectFrom('opinion').leftJoin('org_unit', 'org_unit.id', 'opinion.assigned_unit_id'),
    actor,
    OPINION_SCOPE,
  )
    .selectAll('opinion')
    .select('org_unit.name as assigned_unit_name')
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  if (!o) throw notFound('意见不存在或不在您的数据范围内');
  const [events, adoptions, attachments, merged] = await Promise.all([
    ctx.db
      .selectFrom('opinion_event')
      .leftJoin('app_user', 'app_user.id', 'opinion_event.actor_id')
      .select(['opinion_event.at', 'opinion_event.kind', 'opinion_event.public', 'opinion_event.public_text', 'opinion_event.detail', 'app_user.display_name as actor_name'])
      .where('opinion_event.opinion_id', '=', id)
      .orderBy('opinion_event.at')
      // Ids are time-ordered (UUIDv7): events in the same millisecond keep the order they happened in.
      .orderBy('opinion_event.id')
      .execute(),
    ctx.db.selectFrom('opinion_adoption').selectAll().where('opinion_id', '=', id).execute(),
    ctx.db.selectFrom('attachment').select(['id', 'original_name', 'mime', 'size']).where('owner_type', '=', 'opinion').where('owner_id', '=', id).execute(),
    ctx.db.selectFrom('opinion').select(['id', 'public_no']).where('merged_into_id', '=', id).execute(),
  ]);
  // Its own confirmed label, if any, is left out: the suggestion is an independent second opinion.
  const suggestion = await suggestCategory(ctx, o.content, ctx.db, { opinionId: o.id });
  const duplicates = await findDuplicates(ctx, actor, id, { hex: o.simhash, bands: [o.sh0, o.sh1, o.sh2, o.sh3] });
  return {
    ...present(o as unknown as ListRow, ctx.now().toISOString()),
    content: o.content,
    reply: o.reply_text,
    repliedAt: o.replied_at,
    rejectReason: o.reject_reason,
    ratingComment: o.rating_comment,
    ratedAt: o.rated_at,
    campaignId: o.campaign_id,
    symposiumId: o.symposium_id,
    location: o.location_text || o.lat != null ? { text: o.location_text, lat: o.lat, lon: o.lon } : null,
    // No part of a named submitter's identity here, not even masked: a handling unit may be the very
    // subject of the complaint. The identity only through getIdentity (opinions:identity, audited).
    wantsContact: o.wants_contact === 1,
    canSeeIdentity: o.identity === 'named' && can(actor, 'opinions:identity'),
    attachments: attachments.map((a) => ({ id: a.id, name: a.original_name, mime: a.mime, size: Number(a.size) })),
    events: events.map((e) => ({
      at: e.at, kind: e.kind, public: e.public === 1, publicText: e.public_text,
      detail: e.detail ? JSON.parse(e.detail) : null, actorName: e.actor_name,
    })),
    adoptions: adoptions.map((a) => ({ id: a.id, target: a.target, title: a.title, note: a.note, status: a.status, targetRef: a.target_ref, createdAt: a.created_at })),
    mergedFrom: merged.map((m) => ({ id: m.id, publicNo: m.public_no })),
    suggestion: suggestion
      ? { category: suggestion.category, confidence: suggestion.confidence, ranking: suggestion.ranking }
      : null,
    duplicates,
  };
}

/** The submitter's name and phone in clear: only with opinions:identity, and every view is audited. */
export async function getIdentity(ctx: Ctx, actor: Actor, id: string) {
  const o = await applyScope(ctx.db.selectFrom('opinion'), actor, OPINION_SCOPE)
    .select(['opinion.id', 'opinion.identity', 'opinion.submitter_name_enc', 'opinion.submitter_phone_enc', 'opinion.wants_contact'])
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  if (!o) throw notFound('意见不存在或不在您的数据范围内');
  if (o.identity !== 'named') throw notFound('该意见为匿名提交，没有提交人身份信息');
  await auditRead(ctx, 'opinion', id, { fields: ['submitterName', 'submitterPhone'] });
  return {
    name: o.submitter_name_enc ? ctx.cipher.open(o.submitter_name_enc) : null,
    phone: o.submitter_phone_enc ? ctx.cipher.open(o.submitter_phone_enc) : null,
    wantsContact: o.wants_contact === 1,
  };
}

/** Whether the caller may read this opinion (opinions:read, within their data scope): for its attachments. */
export async function opinionInScope(ctx: Ctx, id: string): Promise<boolean> {
  if (!ctx.actor || !can(ctx.actor, 'opinions:read')) return false;
  const row = await applyScope(ctx.db.selectFrom('opinion'), ctx.actor, OPINION_SCOPE)
    .select('opinion.id')
    .where('opinion.id', '=', id)
    .executeTakeFirst();
  return Boolean(row);
}

/** Near-duplicates of a text not yet saved (the entry form warns before saving). */
export async function duplicatesOfText(ctx: Ctx, actor: Actor, text: string) {
  return findDuplicates(ctx, actor, '', simhash(text));
}

/** What a symposium raised, for the symposium module (speakers' identities stay behind getIdentity). */
export async function opinionsOfSymposium(db: Ctx['db'], symposiumId: string) {
  const rows = await db
    .selectFrom('opinion')
    .select(['id', 'public_no', 'content', 'status', 'category'])
    .where('symposium_id', '=', symposiumId)
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
  return rows.map((o) => ({ id: o.id, publicNo: o.public_no, excerpt: excerpt(o.content), status: o.status, category: o.category }));
}

/** Opinion counts per symposium id. */
export async function countOpinionsBySymposium(db: Ctx['db'], symposiumIds: string[]): Promise<Map<string, number>> {
  if (!symposiumIds.length) return new Map();
  const rows = await db
    .selectFrom('opinion')
    .select(['symposium_id', countAll().as('n')])
    .where('symposium_id', 'in', symposiumIds)
    .groupBy('symposium_id')
    .execute();
  return new Map(rows.map((r) => [r.symposium_id!, Number(r.n)]));
}
