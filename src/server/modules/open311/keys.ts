import type { Ctx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { randomToken, sm3 } from '../../platform/crypto.js';
import { newId } from '../../platform/ids.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { listPage, type ListPage } from '../../platform/list.js';
import type { Open311KeyCreated, Open311KeyQuery, Open311KeyView } from '../../../shared/schemas/open311.js';

// Open311 API keys: issued by the security administrator, shown once, stored only as an SM3
// digest (with the last 4 characters as a hint to tell keys apart), revoked rather than deleted
// so the audit trail of what a key submitted keeps its meaning.

export function keyDigest(apiKey: string): string {
  return sm3(`open311:${apiKey}`);
}

export async function listKeys(ctx: Ctx, query: Open311KeyQuery): Promise<ListPage<Open311KeyView>> {
  requirePermission(ctx, 'open311:keys');
  const page = await listPage(ctx.db, {
    name: 'open311-keys',
    from: ctx.db.selectFrom('open311_key'),
    id: 'open311_key.id',
    // Newest first: index open311_key_order read backwards.
    order: [['open311_key.created_at', 'desc'], ['open311_key.id', 'desc']],
    rows: (ids) =>
      ctx.db
        .selectFrom('open311_key')
        .leftJoin('app_user', 'app_user.id', 'open311_key.created_by')
        .select([
          'open311_key.id', 'open311_key.name', 'open311_key.key_hint', 'open311_key.created_at', 'open311_key.revoked_at',
          'app_user.display_name',
        ])
        .where('open311_key.id', 'in', ids),
    count: 'exact',
    page: query.page,
    pageSize: query.pageSize,
  });
  return {
    ...page,
    items: page.items.map((r) => ({
      id: r.id,
      name: r.name,
      keyHint: r.key_hint,
      createdAt: r.created_at,
      createdBy: r.display_name ?? null,
      revokedAt: r.revoked_at,
    })),
  };
}

export async function createKey(ctx: Ctx, name: string): Promise<Open311KeyCreated> {
  const actor = requirePermission(ctx, 'open311:keys');
  const apiKey = randomToken(24);
  return runCommand(ctx, { action: 'create', entityType: 'open311_key' }, async (trx) => {
    const row = {
      id: newId(),
      name,
      key_hash: keyDigest(apiKey),
      key_hint: apiKey.slice(-4),
      created_by: actor.userId,
      created_at: ctx.now().toISOString(),
      revoked_at: null,
    };
    await trx.insertInto('open311_key').values(row).execute();
    // The audit keeps who issued which key to whom: never the key, nor its digest.
    return { result: { id: row.id, apiKey }, entityId: row.id, after: { name, keyHint: row.key_hint } };
  });
}

export async function revokeKey(ctx: Ctx, id: string): Promise<{ id: string; revokedAt: string }> {
  requirePermission(ctx, 'open311:keys');
  return runCommand(ctx, { action: 'revoke', entityType: 'open311_key' }, async (trx) => {
    const before = await trx.selectFrom('open311_key').select(['id', 'name', 'key_hint', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('接入密钥不存在');
    if (before.revoked_at) throw conflict('接入密钥：已撤销');
    const revokedAt = ctx.now().toISOString();
    await trx.updateTable('open311_key').set({ revoked_at: revokedAt }).where('id', '=', id).execute();
    return {
      result: { id, revokedAt },
      entityId: id,
      before: { name: before.name, keyHint: before.key_hint, revokedAt: null },
      after: { revokedAt },
    };
  });
}

/** The live key a request presents; 403 (the spec's answer for a wrong or missing api_key) otherwise. */
export async function resolveKey(ctx: Ctx, apiKey: string | undefined): Promise<{ id: string; name: string }> {
  if (!apiKey) throw new AppError(403, 'FORBIDDEN', '接入密钥（api_key）：未提供，提交意见须携带有效的 api_key', 'api_key');
  const key = await ctx.db
    .selectFrom('open311_key')
    .select(['id', 'name', 'revoked_at'])
    .where('key_hash', '=', keyDigest(apiKey))
    .executeTakeFirst();
  if (!key || key.revoked_at) throw new AppError(403, 'FORBIDDEN', '接入密钥（api_key）：无效或已撤销', 'api_key');
  return { id: key.id, name: key.name };
}
