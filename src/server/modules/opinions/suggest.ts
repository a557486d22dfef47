import { sql } from 'kysely';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import type { DB } from '../../db/types.js';
import { predict, train, trainedWithout, type Model, type Prediction } from './classifier.js';

// The classifier learns only from categories staff confirmed, never from what a submitter chose:
// a citizen who files a notary complaint under 审批服务 must not teach the model that, or the
// suggestion just repeats the citizen's pick back to the triage desk. An opinion's category counts
// as confirmed by staff when
//   - staff sorted it: it has an opinion_event 'categorized' (only the categorize command, i.e. a
//     holder of opinions:triage, writes one; re-choosing the same category confirms it), or
//   - staff entered it with a category themselves (录入意见, 座谈会: entered_by is set).
// Public web, Open311 and other self-service submissions carry their submitter's category, which
// stays unconfirmed until someone sorts it.
//
// Each process keeps one model and retrains when the confirmed set changes (count or latest
// update), at most once every 30 seconds. When the opinion being looked at is itself in the
// training set, its own sample is left out of the prediction (classifier.ts, exact leave-one-out).

const MAX_TRAINING = 20_000;
const RECHECK_MS = 30_000;
/** Fewer confirmed opinions than this and no suggestion is made. */
const MIN_TRAINING = 12;

interface Cached {
  key: string;
  model: Model;
  /** Training samples by opinion id, for leaving an opinion's own sample out. */
  members: Map<string, { text: string; category: string }>;
  checkedAt: number;
}
// One cache per open database, so tests that hold several databases in one process never mix models.
const caches = new WeakMap<object, Cached>();

/** Opinions whose category staff confirmed (see above). */
export function staffConfirmed(eb: ExpressionBuilder<DB, 'opinion'>) {
  return eb.and([
    eb('opinion.category', 'is not', null),
    eb.or([
      eb('opinion.entered_by', 'is not', null),
      eb.exists(
        eb
          .selectFrom('opinion_event')
          .select(sql`1`.as('one'))
          .whereRef('opinion_event.opinion_id', '=', 'opinion.id')
          .where('opinion_event.kind', '=', 'categorized'),
      ),
    ]),
  ]);
}

async function currentModel(ctx: Ctx, db: Kysely<DB>): Promise<Cached> {
  const nowMs = Date.now();
  const cache = caches.get(ctx.database);
  // A model too small to suggest anything is not kept for the 30 s: the first sorted opinions
  // (or a freshly seeded database) should start helping at once, and the check is cheap then.
  if (cache && cache.model.trainedOn >= MIN_TRAINING && nowMs - cache.checkedAt < RECHECK_MS) return cache;
  const stamp = await db
    .selectFrom('opinion')
    .select([sql<number>`count(*)`.as('n'), sql<string>`max(opinion.updated_at)`.as('u')])
    .where(staffConfirmed)
    .executeTakeFirstOrThrow();
  const key = `${Number(stamp.n)}:${stamp.u ?? ''}`;
  if (cache && cache.key === key) {
    cache.checkedAt = nowMs;
    return cache;
  }
  const rows = await db
    .selectFrom('opinion')
    .select(['opinion.id', 'opinion.content', 'opinion.category'])
    .where(staffConfirmed)
    .orderBy('opinion.updated_at', 'desc')
    .limit(MAX_TRAINING)
    .execute();
  const members = new Map(rows.map((r) => [r.id, { text: r.content, category: r.category! }]));
  const fresh: Cached = { key, model: train([...members.values()]), members, checkedAt: nowMs };
  caches.set(ctx.database, fresh);
  return fresh;
}

/**
 * A suggested category with its confidence; null until enough opinions have a confirmed category.
 * For an opinion already stored pass its id: if staff confirmed its category, that label is left
 * out, so the suggestion is what the rest of the bureau's sorting says. Inside a command pass its
 * transaction as db (SQLite has one connection: a query beside it would wait forever). `tokens`:
 * the text's contentTokens(), when the caller has them already.
 */
export async function suggestCategory(
  ctx: Ctx,
  text: string,
  db: Kysely<DB> = ctx.db,
  opts: { opinionId?: string; tokens?: string[] } = {},
): Promise<Prediction | null> {
  const { model, members } = await currentModel(ctx, db);
  const own = opts.opinionId ? (members.get(opts.opinionId) ?? null) : null;
  if (trainedWithout(model, own) < MIN_TRAINING) return null;
  return predict(model, text, own, opts.tokens);
}
