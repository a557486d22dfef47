import { sql } from 'kysely';
import type { Deps, Trx } from './context.js';
import { AppError } from './errors.js';

// Per-IP hourly limits (public submissions, failed logins), counted in the database so every
// process enforces the same limit. IPs are kept only as keyed digests.

export function ipHash(deps: Deps, ip: string | null): string {
  return deps.cipher.blindIndex(`ip:${ip ?? 'unknown'}`);
}

/** Adds one hit for this IP in this hour's bucket of a kind (inside the caller's transaction); answers the new count. */
export async function recordHit(deps: Deps, trx: Trx, kind: string, ipDigest: string): Promise<number> {
  const bucket = `${kind}:${deps.now().toISOString().slice(0, 13)}`;
  const row = await trx
    .insertInto('public_rate')
    .values({ bucket, ip_hash: ipDigest, count: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'ip_hash']).doUpdateSet({ count: sql`public_rate.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Counts one submission for this IP in this hour (inside the caller's transaction); refuses past the limit. */
export async function countSubmission(deps: Deps, trx: Trx, kind: string, ipDigest: string, limit: number) {
  if (limit <= 0) return;
  if ((await recordHit(deps, trx, kind, ipDigest)) > limit) {
    throw new AppError(429, 'RATE_LIMITED', `提交过于频繁：每小时最多 ${limit} 次，请稍后再试`);
  }
}

/** Old buckets are useless after the hour; a daily job or any submission may clear them. */
export async function pruneRates(trx: Trx, now: Date) {
  const cutoff = new Date(now.getTime() - 2 * 3600_000).toISOString().slice(0, 13);
  await trx.deleteFrom('public_rate').where(sql`substr(bucket, length(bucket) - 12)`, '<', cutoff).execute();
}

/** How many hits this IP has in this hour's bucket of a kind, without counting one. */
export async function hitsThisHour(deps: Deps, kind: string, ipDigest: string): Promise<number> {
  const bucket = `${kind}:${deps.now().toISOString().slice(0, 13)}`;
  const row = await deps.db
    .selectFrom('public_rate')
    .select('count')
    .where('bucket', '=', bucket)
    .where('ip_hash', '=', ipDigest)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
