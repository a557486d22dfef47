import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import type { DB } from '../../db/types.js';
import { predict, train, type Model, type Prediction } from './classifier.js';

// The classifier is trained from the opinions staff have sorted. Each process keeps one model and
// retrains when the sorted set changes (count or latest update), at most once every 30 seconds.

const MAX_TRAINING = 20_000;
const RECHECK_MS = 30_000;
/** Fewer sorted opinions than this and no suggestion is made. */
const MIN_TRAINING = 12;
// One cache per open database, so tests that hold several databases in one process never mix models.
const caches = new WeakMap<object, { key: string; model: Model; checkedAt: number }>();

async function currentModel(ctx: Ctx, db: Kysely<DB>): Promise<Model> {
  const nowMs = Date.now();
  const cache = caches.get(ctx.database);
  // A model too small to suggest anything is not kept for the 30 s: the first sorted opinions
  // (or a freshly seeded database) should start helping at once, and the check is cheap then.
  if (cache && cache.model.trainedOn >= MIN_TRAINING && nowMs - cache.checkedAt < RECHECK_MS) return cache.model;
  const stamp = await db
    .selectFrom('opinion')
    .select([sql<number>`count(*)`.as('n'), sql<string>`max(updated_at)`.as('u')])
    .where('category', 'is not', null)
    .executeTakeFirstOrThrow();
  const key = `${Number(stamp.n)}:${stamp.u ?? ''}`;
  if (cache && cache.key === key) {
    cache.checkedAt = nowMs;
    return cache.model;
  }
  const rows = await db
    .selectFrom('opinion')
    .select(['content', 'category'])
    .where('category', 'is not', null)
    .orderBy('updated_at', 'desc')
    .limit(MAX_TRAINING)
    .execute();
  const model = train(rows.map((r) => ({ text: r.content, category: r.category! })));
  caches.set(ctx.database, { key, model, checkedAt: nowMs });
  return model;
}

/**
 * A suggested category with its confidence; null until some opinions have been sorted. Inside a
 * command pass its transaction as db (SQLite has one connection: a query beside it would wait forever).
 */
export async function suggestCategory(ctx: Ctx, text: string, db: Kysely<DB> = ctx.db): Promise<Prediction | null> {
  const model = await currentModel(ctx, db);
  if (model.trainedOn < MIN_TRAINING) return null;
  return predict(model, text);
}
