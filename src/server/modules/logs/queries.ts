import type { Actor, Ctx } from '../../platform/context.js';
import { hasAllScope } from '../../platform/access.js';
import { badRequest } from '../../platform/errors.js';
import { iterateList, listPage } from '../../platform/list.js';
import { contains } from '../../platform/sqlx.js';
import { isDateOnly, type AuditLogFilter, type AuditLogQuery, type LoginLogFilter, type LoginLogQuery } from '../../../shared/schemas/logs.js';
import { scopedUserIds } from '../accounts/queries.js';

// Reads of the audit log and the login log. Both are append-only: there is no command here.

const DAY_MS = 86_400_000;

/**
 * Turns the from/to filters into bounds on the stored ISO UTC text. A bare date is a whole day in
 * Asia/Shanghai (so "to" 2026-11-27 includes that evening); a date-time is taken as given.
 */
export function timeBounds(from?: string, to?: string): { gte?: string; lt?: string; lte?: string } {
  const startOf = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
  const out: { gte?: string; lt?: string; lte?: string } = {};
  if (from) out.gte = new Date(isDateOnly(from) ? startOf(from) : Date.parse(from)).toISOString();
  if (to) {
    if (isDateOnly(to)) out.lt = new Date(startOf(to) + DAY_MS).toISOString();
    else out.lte = new Date(Date.parse(to)).toISOString();
  }
  const end = out.lt ?? out.lte;
  if (out.gte && end && (out.lt ? end <= out.gte : end < out.gte)) throw badRequest('结束时间：不能早于开始时间', 'to');
  return out;
}

function withTime<Q extends { where: (...args: any[]) => any }>(q: Q, column: string, f: { from?: string; to?: string }): Q {
  const b = timeBounds(f.from, f.to);
  let out: any = q;
  if (b.gte) out = out.where(column, '>=', b.gte);
  if (b.lt) out = out.where(column, '<', b.lt);
  if (b.lte) out = out.where(column, '<=', b.lte);
  return out as Q;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------- audit log

function auditBase(ctx: Ctx, actor: Actor, f: AuditLogFilter) {
  let q = ctx.db.selectFrom('audit_log');
  // Someone reading logs without the 'all' scope sees what the accounts in their scope did.
  if (!hasAllScope(actor)) q = q.where('audit_log.actor_id', 'in', scopedUserIds(ctx.db, actor));
  if (f.actor) q = q.where(contains('audit_log.actor_name', f.actor));
  if (f.action) q = q.where('audit_log.action', '=', f.action);
  if (f.entityType) q = q.where('audit_log.entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
  return withTime(q, 'audit_log.at', f);
}

type AuditRow = {
  seq: number | string; at: string; actor_id: string | null; actor_name: string | null; ip: string | null;
  action: string; entity_type: string; entity_id: string | null; before_json: string | null;
  after_json: string | null; prev_hash: string; hash: string;
};

export function presentAudit(r: AuditRow) {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    ip: r.ip,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: parseJson(r.before_json),
    after: parseJson(r.after_json),
    hash: r.hash,
    prevHash: r.prev_hash,
  };
}

/** Whether any filter narrows the list (then its count is capped: logs grow without end). */
const anyFilter = (f: object) => Object.entries(f).some(([k, v]) => k !== 'page' && k !== 'pageSize' && v !== undefined && v !== '');

export async function listAuditLogs(ctx: Ctx, actor: Actor, f: AuditLogQuery) {
  const page = await listPage(ctx.db, {
    name: 'audit-log',
    from: auditBase(ctx, actor, f),
    id: 'audit_log.seq',
    // Newest first. A time range reads index audit_log_at_seq in its own order (at, then seq):
    // the same order, since entries are appended in time.
    order: f.from || f.to ? [['audit_log.at', 'desc'], ['audit_log.seq', 'desc']] : [['audit_log.seq', 'desc']],
    rows: (seqs) => ctx.db.selectFrom('audit_log').selectAll().where('seq', 'in', seqs),
    count: anyFilter(f) || !hasAllScope(actor) ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map(presentAudit) };
}

/** Every matching entry, newest first, page by page (keyset on seq) for exports. */
export async function* iterateAuditLogs(ctx: Ctx, actor: Actor, f: AuditLogFilter) {
  const size = 1000;
  let below: number | undefined;
  for (;;) {
    let q = auditBase(ctx, actor, f).selectAll('audit_log');
    if (below !== undefined) q = q.where('audit_log.seq', '<', below);
    const rows = await q.orderBy('audit_log.seq', 'desc').limit(size).execute();
    for (const r of rows) yield presentAudit(r);
    if (rows.length < size) return;
    below = Number(rows[rows.length - 1]!.seq);
  }
}

// ---------------------------------------------------------------- login log

function loginBase(ctx: Ctx, actor: Actor, f: LoginLogFilter) {
  let q = ctx.db.selectFrom('login_log');
  if (!hasAllScope(actor)) q = q.where('login_log.user_id', 'in', scopedUserIds(ctx.db, actor));
  if (f.username) q = q.where(contains('login_log.username', f.username));
  if (f.success) q = q.where('login_log.success', '=', Number(f.success));
  return withTime(q, 'login_log.at', f);
}

type LoginRow = {
  id: string; username: string; user_id: string | null; ip: string | null; user_agent: string | null;
  success: number; reason: string | null; at: string;
};

export function presentLogin(r: LoginRow) {
  return {
    id: r.id,
    username: r.username,
    userId: r.user_id,
    ip: r.ip,
    userAgent: r.user_agent,
    success: Number(r.success) === 1,
    reason: r.reason,
    at: r.at,
  };
}

const LOGIN_ORDER = [['login_log.at', 'desc'], ['login_log.id', 'desc']] as const;

export async function listLoginLogs(ctx: Ctx, actor: Actor, f: LoginLogQuery) {
  const page = await listPage(ctx.db, {
    name: 'login-log',
    from: loginBase(ctx, actor, f),
    id: 'login_log.id',
    order: LOGIN_ORDER,
    rows: (ids) => ctx.db.selectFrom('login_log').selectAll().where('id', 'in', ids),
    count: anyFilter(f) || !hasAllScope(actor) ? 'capped' : 'exact',
    page: f.page,
    pageSize: f.pageSize,
  });
  return { ...page, items: page.items.map(presentLogin) };
}

export async function* iterateLoginLogs(ctx: Ctx, actor: Actor, f: LoginLogFilter) {
  const rows = iterateList({
    name: 'login-log-export',
    from: loginBase(ctx, actor, f),
    id: 'login_log.id',
    order: LOGIN_ORDER,
    rows: (ids) => ctx.db.selectFrom('login_log').selectAll().where('id', 'in', ids),
  });
  for await (const r of rows) yield presentLogin(r);
}
