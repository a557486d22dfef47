import crypto from 'node:crypto';

// The rotating check-in code shown as a QR code at a session: an SM3 HMAC, keyed by the activity's
// secret (random, never leaves the server), of the activity id and the current 30-second window.
// A code is accepted in its own window and the next one (a phone scanning at the turn of a window
// still gets in), and only from 15 minutes before the start until the end: a code photographed and
// sent away is dead within a minute, and a code from another session never matches.

export const CHECKIN_WINDOW_MS = 30_000;
export const CHECKIN_OPENS_BEFORE_MS = 15 * 60_000;

export const newCheckinSecret = () => crypto.randomBytes(32).toString('base64url');

export const windowOf = (ms: number) => Math.floor(ms / CHECKIN_WINDOW_MS);

export function checkinCode(secret: string, activityId: string, window: number): string {
  return crypto.createHmac('sm3', secret).update(`${activityId}\u0000${window}`).digest('hex').slice(0, 20);
}

/** Whether `code` is the activity's code of the window at `nowMs` or of the one before. */
export function verifyCheckinCode(secret: string, activityId: string, code: string, nowMs: number): boolean {
  const given = Buffer.from(code.trim().toLowerCase());
  const w = windowOf(nowMs);
  let ok = false;
  for (const win of [w, w - 1]) {
    const want = Buffer.from(checkinCode(secret, activityId, win));
    // Constant time, and both windows always compared.
    if (given.length === want.length && crypto.timingSafeEqual(given, want)) ok = true;
  }
  return ok;
}

export type CheckinWindowState = 'not_open' | 'open' | 'closed';

export function checkinState(startsAt: string, endsAt: string, nowMs: number): CheckinWindowState {
  if (nowMs < Date.parse(startsAt) - CHECKIN_OPENS_BEFORE_MS) return 'not_open';
  if (nowMs > Date.parse(endsAt)) return 'closed';
  return 'open';
}
