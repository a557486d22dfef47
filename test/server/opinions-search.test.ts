import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { systemCtx, type Actor, type Ctx } from '../../src/server/platform/context.js';
import { listSettings } from '../../src/server/platform/list.js';
import { insertOpinion } from '../../src/server/modules/opinions/commands.js';
import { iterateOpinions, listOpinions, searchPlans, searchSettings } from '../../src/server/modules/opinions/queries.js';
import { OpinionQuery } from '../../src/shared/schemas/opinions.js';

// Full-text search of the opinions list (GET /api/opinions?q=…): each dialect picks its plan by how
// common the words are (modules/opinions/queries.ts). Whatever the plan, a page must be exactly the
// page of "every matching row, newest first, then id" and the total exact below the cap — checked
// here against a plain query written independently (token LIKE, ORDER BY, LIMIT), with the
// thresholds lowered so every path runs on a small database: rows filed out of date order, equal
// timestamps, filters, a narrower scope, deep pages, words rare and common, alone and together.

const N = 300;
const BASE = Date.parse('2026-06-01T00:00:00Z');
const MIN = 60_000;

/** Which words row i carries (real words jieba keeps whole), and a number so no two texts are equal. */
function text(i: number): string {
  const words = [i % 2 === 0 && '公证', i % 3 === 0 && '调解', i % 5 === 0 && '红山区', i % 97 === 0 && '骆驼'].filter(Boolean);
  return `${words.join('，')}，群众意见第${i}号`;
}

/** When row i was received: rising with i, with exceptions that break "rowid order is date order". */
function receivedAt(i: number): string {
  if (i < 4) return new Date(BASE + 100 * 86_400_000 + i * MIN).toISOString(); // filed first, newest of all
  if (i % 37 === 0) return new Date(BASE - 30 * 86_400_000 + i * MIN).toISOString(); // entered late, long ago
  if (i % 50 === 1) return new Date(BASE + (i - 1) * MIN).toISOString(); // the same instant as the row before
  return new Date(BASE + i * MIN).toISOString();
}

const WORDS = ['公证', '调解', '红山区', '骆驼', '区块链', '公证 调解', '公证 红山区 调解', '骆驼 公证', '公证，调解！'];

describe.each(targets())('opinion search on %s', (target) => {
  let s: TestServer;
  let office: Client;
  let ctx: Ctx;
  let hsq: string;
  let all: Actor;
  let county: Actor;
  const saved = { ...searchSettings, countCap: listSettings.countCap };

  beforeAll(async () => {
    s = await startServer(target);
    office = await s.as('office');
    ctx = systemCtx(s.deps);
    const unit = await s.deps.db.selectFrom('org_unit').select(['id', 'path']).where('code', '=', 'HSQ').executeTakeFirstOrThrow();
    hsq = unit.id;
    const root = await s.deps.db.selectFrom('org_unit').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
    const actor = (scope: 'all' | 'unit_and_below', u: { id: string; path: string }): Actor => ({
      userId: `search-${scope}`, username: `search-${scope}`, displayName: '检索', personId: null, orgUnitId: u.id, orgUnitPath: u.path,
      roles: [{ code: 'campaign_office', dataScope: scope, customUnitIds: [] }], permissions: new Set(['opinions:read']),
    });
    all = actor('all', root);
    county = actor('unit_and_below', unit);
    // Inserted in i order, so rowids follow i; dates mostly do too (see receivedAt).
    await s.deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < N; i++) {
        await insertOpinion(trx, ctx, {
          channel: i % 4 === 0 ? 'hotline' : 'window_card', category: 'notary_service', content: text(i), identity: 'anonymous',
          submittedAt: receivedAt(i), ownerUnitId: i % 3 === 0 ? hsq : null,
        });
      }
    });
    // PostgreSQL's strategy reads the words' statistics: gather them as autovacuum would.
    if (s.deps.dialect === 'postgres') await sql`analyze opinion`.execute(s.deps.db);
  });
  afterEach(() => {
    Object.assign(searchSettings, { sparse: saved.sparse, ginFirstMax: saved.ginFirstMax, walk: saved.walk });
    listSettings.countCap = saved.countCap;
  });
  afterAll(async () => {
    await s?.close();
  });

  /** The same question asked plainly: every word a whole token, the filters, the scope, all rows sorted. */
  async function expected(actor: Actor, words: string, f: Record<string, string>): Promise<string[]> {
    const terms = (await import('../../src/server/modules/opinions/queries.js')).textSearch(words);
    let q = s.deps.db.selectFrom('opinion').select('opinion.id');
    for (const t of terms?.kind === 'words' ? terms.terms : []) {
      q = q.where(sql<boolean>`(' ' || opinion.search_tokens || ' ') like ${`% ${t} %`}`);
    }
    if (f.status) q = q.where('opinion.status', '=', f.status as any);
    if (f.channel) q = q.where('opinion.channel', '=', f.channel);
    if (f.unitId) q = q.where('opinion.assigned_unit_id', '=', f.unitId);
    if (actor === county) {
      q = q.where('opinion.assigned_unit_id', 'in', s.deps.db.selectFrom('org_unit').select('id').where('path', 'like', `${county.orgUnitPath}%`));
    }
    return (await q.orderBy('opinion.submitted_at', 'desc').orderBy('opinion.id', 'desc').execute()).map((r) => r.id);
  }

  /** Every combination, compared with the plain answer. */
  async function battery(label: string) {
    const filters: Record<string, string>[] = [{}, { status: 'received' }, { channel: 'hotline' }, { unitId: hsq }];
    const checked: string[] = [];
    for (const actor of [all, county]) {
      for (const words of WORDS) {
        for (const f of filters) {
          const want = await expected(actor, words, f);
          for (const [page, pageSize] of [[1, 20], [2, 7], [6, 20]] as const) {
            const what = `${label} ${actor === all ? 'all' : 'county'} q=${words} ${JSON.stringify(f)} page ${page}×${pageSize}`;
            const r = await listOpinions(ctx, actor, OpinionQuery.parse({ q: words, page, pageSize, ...f }));
            expect(r.items.map((i) => i.id), what).toEqual(want.slice((page - 1) * pageSize, page * pageSize));
            const narrowed = actor === county || Object.keys(f).length > 0;
            if (r.totalCapped) {
              // Capped: the true count is past the cap it names.
              expect(want.length, what).toBeGreaterThan(r.total);
              expect([listSettings.countCap, Math.min(1000, listSettings.countCap)], what).toContain(r.total);
            } else {
              expect(r.total, what).toBe(want.length);
            }
            // Below the low cap every count is exact; SQLite counts the words alone from its index up to the cap.
            if (want.length <= Math.min(1000, listSettings.countCap)) expect(r.totalCapped, what).toBeUndefined();
            if (s.deps.dialect === 'sqlite' && !narrowed) {
              expect(r.total, what).toBe(Math.min(want.length, listSettings.countCap));
            }
            checked.push(what);
          }
        }
      }
    }
    return checked.length;
  }

  it('the dataset has what the checks need: out-of-order rows and common, rare and absent words', async () => {
    const n = async (w: string) => (await expected(all, w, {})).length;
    expect(await n('公证')).toBeGreaterThan(150);
    expect(await n('骆驼')).toBeGreaterThanOrEqual(3);
    expect(await n('区块链')).toBe(0);
    // Among the first rows filed are the newest of all (row 2 holds 公证): a walk by rowid alone would miss them.
    const top = await expected(all, '公证', {});
    const early = await s.deps.db.selectFrom('opinion').select('id').where('content', '=', text(2)).executeTakeFirstOrThrow();
    expect(top[0]).toBe(early.id);
  });

  it('every page and total equals the plain answer, with the default thresholds', async () => {
    listSettings.countCap = 40;
    const before = { ...searchPlans };
    expect(await battery('default')).toBeGreaterThan(100);
    // On a small database the defaults sort every match (SQLite) or read GIN first (PostgreSQL).
    if (s.deps.dialect === 'sqlite') expect(searchPlans.sqliteSorted - before.sqliteSorted).toBeGreaterThan(0);
    else expect(searchPlans.pgGinFirst - before.pgGinFirst).toBeGreaterThan(0);
  });

  it('every page and total equals the plain answer on the paths for common words', async () => {
    listSettings.countCap = 40;
    // SQLite: only ≤ 5 matches are sorted whole; PostgreSQL: only words under 10 rows GIN first,
    // the others walk at most 30 rows before giving up.
    Object.assign(searchSettings, { sparse: 5, ginFirstMax: 10, walk: 30 });
    const before = { ...searchPlans };
    expect(await battery('walk')).toBeGreaterThan(100);
    // A tiny cap: most totals are capped, and a capped total must never exceed the true count (an
    // absent or rare word is not "3+" because common words are).
    listSettings.countCap = 3;
    expect(await battery('walk, cap 3')).toBeGreaterThan(100);
    const taken = (k: keyof typeof searchPlans) => searchPlans[k] - before[k];
    if (s.deps.dialect === 'sqlite') {
      expect(taken('sqliteWalk')).toBeGreaterThan(0);
      expect(taken('sqliteSorted')).toBeGreaterThan(0);
      // The rows filed first yet newest were found by the date-index check, not by the walk.
      expect(taken('sqliteLate')).toBeGreaterThan(0);
    } else {
      expect(taken('pgWalk')).toBeGreaterThan(0);
      expect(taken('pgWalkMissed')).toBeGreaterThan(0);
      expect(taken('pgGinFirst')).toBeGreaterThan(0);
    }
  });

  it('totals: exact under the cap, and past it the cap with totalCapped, over HTTP too', async () => {
    const common = (await expected(all, '公证', {})).length;
    listSettings.countCap = common + 10;
    let r = await office.get(`/api/opinions?q=${encodeURIComponent('公证')}`);
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(common);
    expect(r.body.totalCapped).toBeUndefined();
    listSettings.countCap = 25;
    r = await office.get(`/api/opinions?q=${encodeURIComponent('公证')}`);
    expect(r.body.total).toBe(25);
    expect(r.body.totalCapped).toBe(true);
    expect(r.body.items).toHaveLength(20);
    // Past the cap (and the sorting threshold) once, past it for good — opinions are never deleted:
    // SQLite does not count again.
    searchSettings.sparse = 5;
    await office.get(`/api/opinions?q=${encodeURIComponent('公证')}`);
    const counted = searchPlans.sqliteCounted;
    const again = await office.get(`/api/opinions?q=${encodeURIComponent('公证')}&page=2`);
    expect(again.body).toMatchObject({ total: 25, totalCapped: true });
    expect(again.body.items.map((i: any) => i.id)).toEqual((await expected(all, '公证', {})).slice(20, 40));
    if (s.deps.dialect === 'sqlite') expect(searchPlans.sqliteCounted).toBe(counted);
    // No match: zero, not capped.
    r = await office.get(`/api/opinions?q=${encodeURIComponent('区块链')}`);
    expect(r.body).toMatchObject({ items: [], total: 0 });
    expect(r.body.totalCapped).toBeUndefined();
    // An 意见编号 is found as such.
    const one = await s.deps.db.selectFrom('opinion').select(['id', 'public_no']).where('content', '=', text(10)).executeTakeFirstOrThrow();
    r = await office.get(`/api/opinions?q=${one.public_no.toLowerCase()}`);
    expect(r.body.items.map((i: any) => i.id)).toEqual([one.id]);
    expect(r.body.total).toBe(1);
  });

  it('the list without words: exact total without filters (a kept counter), capped with filters', async () => {
    const total = Number((await s.deps.db.selectFrom('opinion').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    listSettings.countCap = total + 1;
    let r = await office.get('/api/opinions?pageSize=5');
    expect(r.body.total).toBe(total);
    expect(r.body.totalCapped).toBeUndefined();
    listSettings.countCap = 50;
    r = await office.get('/api/opinions?pageSize=5');
    expect(r.body).toMatchObject({ total });
    expect(r.body.totalCapped).toBeUndefined();
    const newest = await s.deps.db.selectFrom('opinion').select('id').orderBy('submitted_at', 'desc').orderBy('id', 'desc').limit(5).execute();
    expect(r.body.items.map((i: any) => i.id)).toEqual(newest.map((x) => x.id));
    r = await office.get('/api/opinions?pageSize=5&channel=window_card');
    expect(r.body).toMatchObject({ total: 50, totalCapped: true });
  });

  it('the export of a search holds every match, in the list order', async () => {
    for (const words of ['公证 调解', '骆驼']) {
      const want = await expected(all, words, {});
      const got: string[] = [];
      for await (const row of iterateOpinions(ctx, all, { q: words })) got.push(row.id);
      expect(got, words).toEqual(want);
    }
    const scoped: string[] = [];
    for await (const row of iterateOpinions(ctx, county, { q: '公证', status: 'received' })) scoped.push(row.id);
    expect(scoped).toEqual(await expected(county, '公证', { status: 'received' }));
  });
});

// An import of old paper opinions (or any bulk entry after the fact) puts many rows with old dates
// at the highest rowids. SQLite's walk then finds old rows first, and its exactness check on the
// date index must read only as far as the page needs, not every row filed since the page's date.
describe('opinion search with many rows filed out of date order (sqlite)', () => {
  let s: TestServer;
  let ctx: Ctx;
  let all: Actor;
  const saved = { ...searchSettings };

  beforeAll(async () => {
    s = await startServer('sqlite');
    ctx = systemCtx(s.deps);
    const root = await s.deps.db.selectFrom('org_unit').select(['id', 'path']).where('parent_id', 'is', null).executeTakeFirstOrThrow();
    all = {
      userId: 'search-late', username: 'search-late', displayName: '检索', personId: null, orgUnitId: root.id, orgUnitPath: root.path,
      roles: [{ code: 'campaign_office', dataScope: 'all', customUnitIds: [] }], permissions: new Set(['opinions:read']),
    };
    await s.deps.db.transaction().execute(async (trx) => {
      // First the recent opinions, filed as they came…
      for (let i = 0; i < 600; i++) {
        await insertOpinion(trx, ctx, {
          channel: 'hotline', category: 'notary_service', content: `${i % 2 ? '公证' : '调解'}，近期意见第${i}号`, identity: 'anonymous',
          submittedAt: new Date(BASE + i * MIN).toISOString(),
        });
      }
      // …then 1,000 old paper ones entered in one go: higher rowids, older dates.
      for (let i = 0; i < 1000; i++) {
        await insertOpinion(trx, ctx, {
          channel: 'window_card', category: 'notary_service', content: `公证，旧纸质意见第${i}号`, identity: 'anonymous',
          submittedAt: new Date(BASE - 365 * 86_400_000 + i * MIN).toISOString(),
        });
      }
    });
  });
  afterEach(() => {
    Object.assign(searchSettings, saved);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers exactly and reads the date index a few batches at a time', async () => {
    Object.assign(searchSettings, { sparse: 5, lateBatch: 50 });
    const want = (
      await s.deps.db.selectFrom('opinion').select('id').where(sql<boolean>`(' ' || search_tokens || ' ') like '% 公证 %'`)
        .orderBy('submitted_at', 'desc').orderBy('id', 'desc').execute()
    ).map((r) => r.id);
    expect(want.length).toBeGreaterThan(1000);
    for (const [page, pageSize] of [[1, 20], [3, 20], [6, 20], [60, 20]] as const) {
      const before = { ...searchPlans };
      const r = await listOpinions(ctx, all, OpinionQuery.parse({ q: '公证', page, pageSize }));
      expect(r.items.map((i) => i.id), `page ${page}`).toEqual(want.slice((page - 1) * pageSize, page * pageSize));
      expect(r.total).toBe(want.length);
      const batches = searchPlans.sqliteLateBatches - before.sqliteLateBatches;
      // The page's rows are among the newest recent ones: a few batches of 50, where reading every
      // row filed since the page's date (600 recent ones) would be over 12.
      if (page < 6) {
        expect(searchPlans.sqliteWalk - before.sqliteWalk, `page ${page}`).toBe(1);
        expect(batches, `page ${page}`).toBeLessThanOrEqual(4);
      }
    }
  });
});
