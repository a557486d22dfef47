import { createChallenge, verifySolution } from 'altcha-lib/v1';
import type { Challenge } from 'altcha-lib/v1/types';
import type { Deps, Trx } from '../../platform/context.js';
import { sm3 } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';

// Proof of work for public submissions (ALTCHA v1, altcha-lib): the browser finds a number whose
// SHA-256 with the salt matches; no third-party service, nothing leaves the bureau's network.
// A solved challenge is spent once (recorded in the same transaction as the submission).

export const CHALLENGE_MAX_NUMBER = 50_000;
const TTL_MS = 10 * 60_000;

function hmacKey(deps: Deps): string {
  // Derived from the field key: no secret in the repository, the same in every process.
  return deps.cipher.blindIndex('altcha-hmac-key');
}

export async function issueChallenge(deps: Deps): Promise<Challenge> {
  return createChallenge({
    hmacKey: hmacKey(deps),
    maxNumber: CHALLENGE_MAX_NUMBER,
    expires: new Date(deps.now().getTime() + TTL_MS),
  });
}

const refused = () => new AppError(400, 'CHALLENGE', '人机验证：未通过或已过期，请刷新页面后重试', 'altcha');

/** Checks the solved challenge and records it as spent; replaying it is refused. */
export async function spendChallenge(deps: Deps, trx: Trx, payload: string | undefined) {
  if (!payload) throw refused();
  let parsed: { algorithm?: unknown; challenge?: unknown; salt?: unknown; signature?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    throw refused();
  }
  // Anything but the expected shape is a refusal, not a crash ('null', an array, a number salt…).
  if (
    !parsed || typeof parsed !== 'object' || parsed.algorithm !== 'SHA-256' ||
    typeof parsed.challenge !== 'string' || typeof parsed.salt !== 'string' || typeof parsed.signature !== 'string'
  ) {
    throw refused();
  }
  // altcha-lib checks expiry against the wall clock; our clock may be a test's, so check both.
  const expires = /expires=(\d+)/.exec(parsed.salt)?.[1];
  if (!expires || Number(expires) * 1000 < deps.now().getTime()) throw refused();
  let valid = false;
  try {
    valid = await verifySolution(payload, hmacKey(deps), false);
  } catch {
    valid = false;
  }
  if (!valid) throw refused();
  const hash = sm3(`${parsed.challenge}:${parsed.salt}`);
  // Insert-or-nothing rather than look-then-insert: of two concurrent submissions with the same
  // proof exactly one inserts (PostgreSQL makes the second wait for the first, then skip); the
  // other is refused instead of failing on the primary key with a 500.
  const r = await trx
    .insertInto('spent_challenge')
    .values({ hash, expires_at: new Date(deps.now().getTime() + TTL_MS * 2).toISOString() })
    .onConflict((oc) => oc.column('hash').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) throw refused();
  // Keep the table small: forget challenges that can no longer be replayed anyway.
  await trx.deleteFrom('spent_challenge').where('expires_at', '<', deps.now().toISOString()).execute();
}
