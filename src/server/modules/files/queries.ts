import type { Kysely } from 'kysely';
import type { Ctx } from '../../platform/context.js';
import { auditRead } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { AttachmentTable, DB } from '../../db/types.js';
import type { FileMeta } from '../../../shared/schemas/files.js';
import { filePolicy, readAccess } from './policy.js';

export function presentFile(r: AttachmentTable): FileMeta {
  return {
    id: r.id,
    name: r.original_name,
    size: Number(r.size),
    mime: r.mime,
    hash: r.content_hash,
    ownerType: r.owner_type,
    ownerId: r.owner_id,
    createdAt: r.created_at,
  };
}

/** The attachment when the caller may read it; otherwise 404, so its existence is not revealed. */
export async function readableAttachment(ctx: Ctx, id: string): Promise<AttachmentTable> {
  const row = await ctx.db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
  const access = row ? await readAccess(ctx, row) : null;
  if (!row || !access) throw notFound('附件不存在');
  if (access === 'policy' && filePolicy(row.owner_type!)?.auditReads) {
    await auditRead(ctx, 'attachment', row.id, { ownerType: row.owner_type, ownerId: row.owner_id, name: row.original_name });
  }
  return row;
}

/** Attachments of one record, oldest first, for the owning module to show beside it. */
export async function listAttachments(db: Kysely<DB>, ownerType: string, ownerId: string): Promise<FileMeta[]> {
  const rows = await db
    .selectFrom('attachment')
    .selectAll()
    .where('owner_type', '=', ownerType)
    .where('owner_id', '=', ownerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(presentFile);
}
