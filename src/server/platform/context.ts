import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/types.js';
import type { Database, Dialect } from '../db/index.js';
import type { Config } from '../config.js';
import type { FieldCipher } from './crypto.js';
import type { FileStorage } from './files.js';
import type { Clock } from './time.js';
import type { Permission, DataScope } from '../../shared/permissions.js';
import { appendAudit } from './audit.js';
import { forbidden } from './errors.js';
// A cycle (group-commit.ts imports this module's types and SYSTEM_ACTOR_NAME), harmless: neither
// module uses the other's bindings while it is being loaded.
import { runGrouped } from './group-commit.js';

/** What the whole app shares: built once in main.ts (or by a test). */
export interface Deps {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  dialect: Dialect;
  cipher: FieldCipher;
  files: FileStorage;
  now: Clock;
}

export interface ActorRole {
  code: string;
  dataScope: DataScope;
  customUnitIds: string[];
}

/** The signed-in user as every command and query sees them. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  personId: string | null;
  orgUnitId: string;
  orgUnitPath: string;
  roles: ActorRole[];
  permissions: Set<string>;
  sessionId?: string;
}

/** Per-request context: shared deps plus who is acting and from where. */
export interface Ctx extends Deps {
  actor: Actor | null;
  ip: string | null;
}

export const SYSTEM_ACTOR_NAME = '系统';

export function can(actor: Actor | null, permission: Permission): boolean {
  return Boolean(actor?.permissions.has(permission));
}

export function requirePermission(ctx: Ctx, permission: Permission): Actor {
  if (!ctx.actor) throw forbidden('请先登录');
  if (!ctx.actor.permissions.has(permission)) throw forbidden();
  return ctx.actor;
}

export type Trx = Transaction<DB>;

export interface CommandOutcome<T> {
  result: T;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Runs one state change in one transaction and writes its audit entry in the same transaction:
 * either both are saved or neither is.
 */
export async function runCommand<T>(
  ctx: Ctx,
  meta: { action: string; entityType: string },
  body: (trx: Trx) => Promise<CommandOutcome<T>>,
): Promise<T> {
  return ctx.db.transaction().execute(async (trx) => {
    const out = await body(trx);
    await appendAudit(trx, ctx.dialect, ctx.now().toISOString(), {
      actorId: ctx.actor?.userId ?? null,
      actorName: ctx.actor ? `${ctx.actor.displayName}(${ctx.actor.username})` : SYSTEM_ACTOR_NAME,
      ip: ctx.ip,
      action: meta.action,
      entityType: meta.entityType,
      entityId: out.entityId,
      before: out.before,
      after: out.after,
    });
    return out.result;
  });
}

/**
 * Audits a read of protected data (a reporter's identity, an unmasked ID number); resolves once the
 * entry is committed, so the caller answers the content only after that. Reads arriving together
 * share one durable commit (platform/group-commit.ts), each with its own entry in the chain: a
 * commit per read made every restricted list wait on its own fsync.
 */
export async function auditRead(ctx: Ctx, entityType: string, entityId: string | null, detail: unknown) {
  // The body writes nothing (the entry is the batch's), so it needs no savepoint of its own.
  await runGrouped(
    ctx,
    { action: 'read_protected', entityType },
    async () => ({ result: undefined, entityId, after: detail }),
    { writesAfterChecks: true },
  );
}

export function systemCtx(deps: Deps): Ctx {
  return { ...deps, actor: null, ip: null };
}
