import type { Ctx, Trx } from '../../platform/context.js';
import { requirePermission, runCommand } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { AppError, badRequest } from '../../platform/errors.js';
import type { AttachmentTable } from '../../db/types.js';
import type { UploadedFile } from '../../../shared/schemas/files.js';
import { enabledCodes } from '../dict/queries.js';
import { detectMime } from './detect.js';
import { sanitizeFileName } from './names.js';
import { filePolicy } from './policy.js';

export interface UploadInput {
  data: Buffer;
  filename?: string;
}

/** Staff upload (permission files:upload): see storeUpload. */
export async function uploadFile(ctx: Ctx, input: UploadInput): Promise<UploadedFile> {
  requirePermission(ctx, 'files:upload');
  return storeUpload(ctx, input);
}

/**
 * Checks the bytes against the allowed types, stores them (once per content) and records the
 * attachment, uploaded by the acting user or, for a public submission's own route, by nobody.
 * The caller has decided the upload is allowed.
 */
export async function storeUpload(ctx: Ctx, input: UploadInput): Promise<UploadedFile> {
  if (!input.data.length) throw badRequest('文件：不能为空', 'file');
  const allowed = await enabledCodes(ctx.db, 'attachment_type');
  const mime = await detectMime(input.data);
  if (!mime || !allowed.some((a) => a.code === mime)) {
    const list = allowed.map((a) => a.label).join('、') || '无';
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `文件：不支持的文件类型（仅支持 ${list}）`, 'file');
  }
  const name = sanitizeFileName(input.filename, mime);
  const hash = await ctx.files.put(input.data);
  return runCommand(ctx, { action: 'upload', entityType: 'attachment' }, async (trx) => {
    const row: AttachmentTable = {
      id: newId(),
      content_hash: hash,
      size: input.data.length,
      mime,
      original_name: name,
      uploaded_by: ctx.actor?.userId ?? null,
      // Owners are set only by attachFiles, inside the owning record's command.
      owner_type: null,
      owner_id: null,
      created_at: ctx.now().toISOString(),
    };
    await trx.insertInto('attachment').values(row).execute();
    return { result: { id: row.id, name, size: row.size, mime, hash }, entityId: row.id, after: row };
  });
}

/**
 * For other modules' commands, inside their transaction: ties attachments the acting user uploaded to
 * the record they are creating or editing. An id that is not theirs, or already belongs to another
 * record, is refused, so nobody can pull someone else's file into their record.
 */
export async function attachFiles(
  trx: Trx,
  userId: string,
  fileIds: readonly string[],
  ownerType: string,
  ownerId: string,
  field = 'attachmentIds',
): Promise<void> {
  const ids = [...new Set(fileIds)];
  if (!ids.length) return;
  // Only record types whose module decides who reads their files (registerFilePolicy) can own files.
  if (!filePolicy(ownerType)) throw badRequest('附件：不能关联到该类记录', field);
  const rows = await trx
    .selectFrom('attachment')
    .select(['id', 'uploaded_by', 'owner_type', 'owner_id'])
    .where('id', 'in', ids)
    .execute();
  for (const id of ids) {
    const r = rows.find((x) => x.id === id);
    const mine = r && r.uploaded_by === userId;
    const free = r && ((!r.owner_type && !r.owner_id) || (r.owner_type === ownerType && r.owner_id === ownerId));
    if (!mine || !free) throw badRequest('附件：不存在或不可使用', field);
  }
  await trx.updateTable('attachment').set({ owner_type: ownerType, owner_id: ownerId }).where('id', 'in', ids).execute();
}
