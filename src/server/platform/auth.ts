import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify, Algorithm } from '@node-rs/argon2';
import { sql } from 'kysely';
import type { Actor, Ctx, Deps } from './context.js';
import { runCommand } from './context.js';
import { randomToken, sm3 } from './crypto.js';
import { newId } from './ids.js';
import { AppError, badRequest, unauthorized } from './errors.js';
import { passwordProblems } from '../../shared/validators.js';
import { hitsThisHour, ipHash, recordHit } from './ratelimit.js';
import type { DataScope } from '../../shared/permissions.js';

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
/** last_seen_at is refreshed at most this often, to spare a write on every request. */
const TOUCH_EVERY_MS = 60_000;

const ARGON = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(pw: string): Promise<string> {
  return argonHash(pw, ARGON);
}

export async function verifyPassword(hash: string, pw: string): Promise<boolean> {
  try {
    return await argonVerify(hash, pw);
  } catch {
    return false;
  }
}

// Verified against when the user does not exist, so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;

/** A password that satisfies the complexity rule: 14 characters from four classes. */
export function generatePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!@#%^*-_=+'];
  const all = sets.join('');
  const pick = (s: string) => s[crypto.randomInt(s.length)]!;
  const chars = sets.map(pick);
  while (chars.length < 14) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

export function assertPasswordRules(pw: string, field = 'newPassword') {
  const problem = passwordProblems(pw);
  if (problem) throw badRequest(`新密码：${problem}`, field);
}

/** Loads everything a request needs to know about a user: roles, scopes, permissions, unit path. */
export async function loadActor(deps: Deps, userId: string): Promise<Actor | null> {
  const user = await deps.db
    .selectFrom('app_user')
    .innerJoin('org_unit', 'org_unit.id', 'app_user.org_unit_id')
    .select([
      'app_user.id', 'app_user.username', 'app_user.display_name', 'app_user.person_id',
      'app_user.org_unit_id', 'app_user.status', 'org_unit.path',
    ])
    .where('app_user.id', '=', userId)
    .executeTakeFirst();
  if (!user || user.status !== 'active') return null;
  const roles = await deps.db
    .selectFrom('user_role')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .select(['role.id', 'role.code', 'role.permissions', 'role.data_scope'])
    .where('user_role.user_id', '=', userId)
    .execute();
  const custom = roles.some((r) => r.data_scope === 'custom')
    ? await deps.db
        .selectFrom('role_unit')
        .select(['role_id', 'org_unit_id'])
        .where('role_id', 'in', roles.map((r) => r.id))
        .execute()
    : [];
  const permissions = new Set<string>();
  for (const r of roles) for (const p of JSON.parse(r.permissions) as string[]) permissions.add(p);
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    personId: user.person_id,
    orgUnitId: user.org_unit_id,
    orgUnitPath: user.path,
    roles: roles.map((r) => ({
      code: r.code,
      dataScope: r.data_scope as DataScope,
      customUnitIds: custom.filter((c) => c.role_id === r.id).map((c) => c.org_unit_id),
    })),
    permissions,
  };
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  userId: string;
  mustChangePassword: boolean;
}

async function logLogin(
  ctx: Ctx,
  row: { username: string; userId: string | null; success: boolean; reason: string | null; userAgent: string | null },
) {
  await ctx.db
    .insertInto('login_log')
    .values({
      id: newId(),
      username: row.username,
      user_id: row.userId,
      ip: ctx.ip,
      user_agent: row.userAgent?.slice(0, 300) ?? null,
      success: row.success ? 1 : 0,
      reason: row.reason,
      at: ctx.now().toISOString(),
    })
    .execute();
}

/**
 * The lockout state of a username. Five failures within 15 minutes lock the account for 15 minutes
 * from the fifth, however the five were spread; failures refused while locked do not count. A
 * successful login and a password change (an administrator's reset) start the count afresh.
 * `count` is the failures that still count towards the next lock.
 */
export async function recentFailures(ctx: Ctx, username: string): Promise<{ count: number; last?: string; lockedUntil?: Date }> {
  const now = ctx.now().getTime();
  // A lock in force now came from failures within the last two windows; older ones cannot matter.
  const horizon = new Date(now - 2 * LOCKOUT_WINDOW_MS).toISOString();
  const lastOk = await ctx.db
    .selectFrom('login_log')
    .select(sql<string>`max(at)`.as('at'))
    .where('username', '=', username)
    .where('success', '=', 1)
    .where('at', '>=', horizon)
    .executeTakeFirst();
  // A password reset by an administrator also clears the lockout: it has verified who is asking.
  const reset = await ctx.db.selectFrom('app_user').select('password_changed_at').where('username', '=', username).executeTakeFirst();
  let from = horizon;
  for (const t of [lastOk?.at, reset?.password_changed_at]) if (t && t > from) from = t;
  const rows = await ctx.db
    .selectFrom('login_log')
    .select('at')
    .where('username', '=', username)
    .where('success', '=', 0)
    .where('reason', 'not in', ['locked', 'ip_limited'])
    .where('at', '>', from)
    .orderBy('at')
    .execute();
  let streak: number[] = [];
  let lockEnd = 0;
  for (const r of rows) {
    const t = new Date(r.at).getTime();
    streak = streak.filter((x) => t - x < LOCKOUT_WINDOW_MS);
    streak.push(t);
    if (streak.length >= LOCKOUT_FAILURES) {
      lockEnd = t + LOCKOUT_WINDOW_MS;
      streak = [];
    }
  }
  const counting = streak.filter((x) => now - x < LOCKOUT_WINDOW_MS);
  return {
    count: counting.length,
    last: rows.at(-1)?.at,
    lockedUntil: lockEnd > now ? new Date(lockEnd) : undefined,
  };
}

export async function login(ctx: Ctx, username: string, password: string, userAgent: string | null): Promise<LoginResult> {
  // Per address as well as per account: one address trying many usernames is refused for the hour.
  const ipDigest = ipHash(ctx, ctx.ip);
  const ipLimit = ctx.config.loginFailsPerIp;
  if (ipLimit > 0 && (await hitsThisHour(ctx, 'login-fail', ipDigest)) >= ipLimit) {
    await logLogin(ctx, { username, userId: null, success: false, reason: 'ip_limited', userAgent });
    throw new AppError(429, 'RATE_LIMITED', '该地址登录失败次数过多，请一小时后再试');
  }
  const failures = await recentFailures(ctx, username);
  if (failures.lockedUntil) {
    const minutes = Math.max(1, Math.ceil((failures.lockedUntil.getTime() - ctx.now().getTime()) / 60_000));
    await logLogin(ctx, { username, userId: null, success: false, reason: 'locked', userAgent });
    throw new AppError(423, 'LOCKED', `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`);
  }
  const user = await ctx.db
    .selectFrom('app_user')
    .select(['id', 'username', 'display_name', 'password_hash', 'status', 'must_change_password'])
    .where('username', '=', username)
    .executeTakeFirst();
  dummyHash ??= hashPassword(randomToken(16));
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash), password);
  if (!user || !ok || user.status !== 'active') {
    const reason = !user ? 'no_such_user' : !ok ? 'bad_password' : 'disabled';
    await logLogin(ctx, { username, userId: user?.id ?? null, success: false, reason, userAgent });
    if (ipLimit > 0) await ctx.db.transaction().execute((trx) => recordHit(ctx, trx, 'login-fail', ipDigest));
    const left = LOCKOUT_FAILURES - failures.count - 1;
    // A disabled account is answered exactly like a wrong password: a different message would confirm
    // to whoever holds the password that it is right. The login log keeps the real reason.
    throw unauthorized(
      left > 0 ? `用户名或密码错误（再错 ${left} 次将锁定 15 分钟）` : '用户名或密码错误，账号已锁定 15 分钟',
    );
  }
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const now = ctx.now().toISOString();
  const actorCtx: Ctx = {
    ...ctx,
    actor: {
      userId: user.id, username: user.username, displayName: user.display_name, personId: null,
      orgUnitId: '', orgUnitPath: '', roles: [], permissions: new Set(),
    },
  };
  await runCommand(actorCtx, { action: 'login', entityType: 'session' }, async (trx) => {
    const id = sm3(token);
    await trx
      .insertInto('app_session')
      .values({
        id, user_id: user.id, csrf_token: csrfToken, ip: ctx.ip, user_agent: userAgent?.slice(0, 300) ?? null,
        created_at: now, last_seen_at: now, revoked_at: null, revoked_reason: null,
      })
      .execute();
    await trx.updateTable('app_user').set({ last_login_at: now }).where('id', '=', user.id).execute();
    return { result: undefined, entityId: id.slice(0, 16), after: { userId: user.id, ip: ctx.ip } };
  });
  await logLogin(ctx, { username, userId: user.id, success: true, reason: null, userAgent });
  return { token, csrfToken, userId: user.id, mustChangePassword: user.must_change_password === 1 };
}

export interface SessionInfo {
  sessionId: string;
  userId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  /** The auth epoch when the session was read (see sessionActor). */
  epoch: number;
}

/**
 * Resolves a cookie token to a live session; expires idle ones as it finds them. One statement: the
 * session, its account's status and the auth epoch, so revocation, a disabled account and a forced
 * password change are seen on the very next request in every process.
 */
export async function resolveSession(deps: Deps, token: string): Promise<SessionInfo | { expired: true } | null> {
  const id = sm3(token);
  // Every request runs this: plain SQL, so Kysely has no select list to parse and compile each time.
  const row = (
    await sql<{
      id: string; user_id: string; csrf_token: string; last_seen_at: string; revoked_at: string | null;
      status: string; must_change_password: number; epoch: number | string | null;
    }>`select s.id, s.user_id, s.csrf_token, s.last_seen_at, s.revoked_at, u.status, u.must_change_password,
        (select e.epoch from auth_epoch e where e.id = 1) as epoch
      from app_session s join app_user u on u.id = s.user_id
      where s.id = ${id}`.execute(deps.db)
  ).rows[0];
  if (!row || row.revoked_at || row.status !== 'active') return null;
  const now = deps.now();
  const idle = now.getTime() - new Date(row.last_seen_at).getTime();
  if (idle > deps.config.sessionIdleMs) {
    await deps.db
      .updateTable('app_session')
      .set({ revoked_at: now.toISOString(), revoked_reason: 'idle_timeout' })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return { expired: true };
  }
  if (idle > TOUCH_EVERY_MS) {
    await deps.db.updateTable('app_session').set({ last_seen_at: now.toISOString() }).where('id', '=', id).execute();
  }
  return {
    sessionId: row.id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password === 1,
    epoch: Number(row.epoch ?? 0),
  };
}

// ---------------------------------------------------------------- the actor, cached per process
//
// Loading an actor (account, unit path, roles, permissions, custom units) takes 2–3 queries; every
// request needs it. Each process keeps the actors it loaded, each valid only for the auth epoch it
// was loaded under: the epoch goes up in the same transaction as any change to accounts, roles, role
// units, user roles or unit paths (database triggers, migration 0004, so no writer can forget it),
// and the session query reads it on every request. A change committed by any process is therefore
// seen by every other process on its next request; the TTL is only a safety net.

const ACTOR_TTL_MS = 60_000;
const ACTOR_CACHE_MAX = 10_000;

interface CachedActor {
  actor: Actor;
  epoch: number;
  at: number;
}

/** Per database handle (one per process; tests open several to play several processes). */
const actorCaches = new WeakMap<object, Map<string, CachedActor>>();

/** The session's actor: from this process's cache when loaded under the same epoch, else loaded. */
export async function sessionActor(deps: Deps, session: SessionInfo): Promise<Actor | null> {
  let cache = actorCaches.get(deps.db);
  if (!cache) actorCaches.set(deps.db, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(session.userId);
  let actor: Actor | null;
  if (hit && hit.epoch === session.epoch && now - hit.at < ACTOR_TTL_MS) {
    actor = hit.actor;
  } else {
    actor = await loadActor(deps, session.userId);
    if (!actor) {
      cache.delete(session.userId);
      return null;
    }
    // Oldest first out when full (a Map iterates in insertion order).
    if (cache.size >= ACTOR_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.delete(session.userId);
    cache.set(session.userId, { actor, epoch: session.epoch, at: now });
  }
  // Shared between requests: each gets its own copy with its session; roles and permissions are read-only.
  return { ...actor, sessionId: session.sessionId };
}

export async function logout(ctx: Ctx, sessionId: string) {
  await runCommand(ctx, { action: 'logout', entityType: 'session' }, async (trx) => {
    await trx
      .updateTable('app_session')
      .set({ revoked_at: ctx.now().toISOString(), revoked_reason: 'logout' })
      .where('id', '=', sessionId)
      .execute();
    return { result: undefined, entityId: sessionId.slice(0, 16) };
  });
}

/**
 * Changes the caller's password. Every session of the account ends, this one included: the caller
 * carries on in a new session (new id, same CSRF token) whose token is answered for the cookie, so a
 * session id seen before the change (a shared computer, a stolen cookie) is worth nothing after it.
 */
export async function changeOwnPassword(ctx: Ctx, oldPassword: string, newPassword: string): Promise<{ token: string; csrfToken: string } | null> {
  const actor = ctx.actor;
  if (!actor) throw unauthorized();
  assertPasswordRules(newPassword);
  const user = await ctx.db
    .selectFrom('app_user')
    .select(['password_hash'])
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, oldPassword))) throw badRequest('原密码：不正确', 'oldPassword');
  if (oldPassword === newPassword) throw badRequest('新密码：不能与原密码相同', 'newPassword');
  const hash = await hashPassword(newPassword);
  const now = ctx.now().toISOString();
  const token = randomToken(32);
  return runCommand(ctx, { action: 'change_password', entityType: 'user' }, async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ password_hash: hash, must_change_password: 0, password_changed_at: now, updated_at: now })
      .where('id', '=', actor.userId)
      .execute();
    const current = actor.sessionId
      ? await trx.selectFrom('app_session').selectAll().where('id', '=', actor.sessionId).executeTakeFirst()
      : undefined;
    // Whoever knew the old password, or holds an old session id, is out.
    await trx
      .updateTable('app_session')
      .set({ revoked_at: now, revoked_reason: 'password_changed' })
      .where('user_id', '=', actor.userId)
      .where('revoked_at', 'is', null)
      .execute();
    let next: { token: string; csrfToken: string } | null = null;
    if (current) {
      await trx
        .insertInto('app_session')
        .values({
          id: sm3(token), user_id: actor.userId, csrf_token: current.csrf_token, ip: ctx.ip ?? current.ip,
          user_agent: current.user_agent, created_at: now, last_seen_at: now, revoked_at: null, revoked_reason: null,
        })
        .execute();
      next = { token, csrfToken: current.csrf_token };
    }
    return { result: next, entityId: actor.userId, after: { mustChangePassword: false, sessionRenewed: Boolean(next) } };
  });
}
