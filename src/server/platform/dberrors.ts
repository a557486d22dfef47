// Which database errors mean "try again later" rather than "a bug": the server answers them 503
// (never 500), the start retries them, and a background failure of this kind never ends the process.

export type DbTroubleKind = 'unavailable' | 'busy';

export interface DbTrouble {
  kind: DbTroubleKind;
  /** The `error` field of the 503 answer. */
  code: 'DB_UNAVAILABLE' | 'DB_BUSY';
  message: string;
}

const UNAVAILABLE: DbTrouble = { kind: 'unavailable', code: 'DB_UNAVAILABLE', message: '数据库暂时不可用，请稍后重试' };
const BUSY: DbTrouble = { kind: 'busy', code: 'DB_BUSY', message: '数据库繁忙，请稍后重试' };

// Socket-level failures reaching or keeping the server (Node's errno codes).
const NET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_SOCKET_CLOSED', 'ERR_STREAM_DESTROYED',
]);

// SQLSTATEs: the server is going away, not accepting connections, or out of connection slots.
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, smart/fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovery)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
]);

// SQLSTATEs: the statement gave up waiting; the same request later will most likely succeed.
const BUSY_SQLSTATES = new Set([
  '57014', // query_canceled (statement_timeout)
  '55P03', // lock_not_available (lock_timeout)
  '40P01', // deadlock_detected
  '40001', // serialization_failure
]);

// node-postgres and pg-pool report lost connections and acquire timeouts as plain Errors.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/i, // "… unexpectedly", "… due to connection timeout"
  /timeout exceeded when trying to connect/i, // pg-pool: no client within connectionTimeoutMillis
  /is not queryable/i, // a client whose connection already failed
  /^Query read timeout/i,
];

function classifyOne(err: any): DbTrouble | null {
  if (!err || typeof err !== 'object') return null;
  const code = typeof err.code === 'string' ? err.code : '';
  if (code) {
    if (NET_CODES.has(code)) return UNAVAILABLE;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return BUSY;
    // pg DatabaseError: five-character SQLSTATE, with `severity` set by the server.
    if (code.length === 5 && (err.severity !== undefined || /^[0-9]/.test(code))) {
      if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code)) return UNAVAILABLE;
      if (BUSY_SQLSTATES.has(code)) return BUSY;
      return null;
    }
  }
  const message = typeof err.message === 'string' ? err.message : '';
  if (message && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return UNAVAILABLE;
  return null;
}

/**
 * Classifies an error thrown by a query, a connect or a transaction. Looks through `cause` and
 * AggregateError (Node reports a refused connection to every address of "localhost" as one).
 */
export function databaseTrouble(err: unknown, depth = 0): DbTrouble | null {
  if (depth > 5 || !err || typeof err !== 'object') return null;
  const direct = classifyOne(err);
  if (direct) return direct;
  const e = err as { cause?: unknown; errors?: unknown };
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const t = databaseTrouble(inner, depth + 1);
      if (t) return t;
    }
  }
  return e.cause ? databaseTrouble(e.cause, depth + 1) : null;
}

/** True for errors that mean the database is unreachable or too busy right now (answer 503, retry later). */
export function isDatabaseUnavailable(err: unknown): boolean {
  return databaseTrouble(err) !== null;
}

/** A short, secret-free description for logs and operator messages (never the error object: pg's carries connection settings). */
export function describeDbError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown } | null;
  if (!e || typeof e !== 'object') return String(err);
  const inner = Array.isArray(e.errors) && e.errors.length ? (e.errors[0] as { message?: unknown }) : undefined;
  const message = typeof e.message === 'string' && e.message ? e.message : String(inner?.message ?? '');
  return typeof e.code === 'string' && !message.includes(e.code) ? `${e.code} ${message}` : message;
}

export interface RetryOptions {
  /** Give up after this many seconds (0: try once). */
  seconds: number;
  /** Told before each wait; the start prints a line. */
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `fn` until it succeeds, retrying only while the database is unavailable, with doubling
 * waits (0.5 s … 5 s) for at most `seconds`. Any other error, or the last one, is thrown.
 */
export async function retryWhileUnavailable<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const deadline = Date.now() + opts.seconds * 1000;
  let delay = opts.firstDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + delay > deadline) throw err;
      opts.onRetry?.(attempt, delay, err);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 5000);
    }
  }
}

/** A unique-key violation on either dialect: a concurrent insert won the race. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
