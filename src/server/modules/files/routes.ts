import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { uploadFile } from './commands.js';
import { presentFile, readableAttachment } from './queries.js';
import { contentDisposition } from './names.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

function tooLarge(maxBytes: number) {
  const mb = Number((maxBytes / 1024 / 1024).toFixed(2));
  return new AppError(413, 'TOO_LARGE', `文件：超过大小限制（最大 ${mb} MB）`, 'file');
}

export function fileRoutes(app: FastifyInstance) {
  const tags = ['附件'];
  route(app, {
    method: 'POST', url: '/api/files', summary: '上传附件（multipart：file；类型按文件内容判定；保存所属记录时再关联）', tags,
    permission: 'files:upload',
    handler: async ({ ctx, req, reply }) => {
      if (!req.isMultipart()) throw badRequest('文件：请以 multipart/form-data 上传', 'file');
      const fields: Record<string, string> = {};
      let file: { data: Buffer; filename: string } | undefined;
      // Fields may come before or after the file; read every part.
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || file) {
            part.file.resume();
            throw badRequest('文件：一次只能上传一个文件（字段名 file）', 'file');
          }
          let data: Buffer;
          try {
            data = await part.toBuffer();
          } catch (err) {
            if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(ctx.config.uploadMaxBytes);
            throw err;
          }
          if (part.file.truncated) throw tooLarge(ctx.config.uploadMaxBytes);
          file = { data, filename: part.filename };
        } else if (typeof part.value === 'string' || typeof part.value === 'number') {
          fields[part.fieldname] = String(part.value);
        }
      }
      // A file joins a record only through that record's own command (attachFiles), which checks
      // the caller may write the record; an upload that names an owner is refused outright.
      if (!file) throw badRequest('文件：不能为空', 'file');
      if (fields.ownerType || fields.ownerId) {
        throw badRequest('归属记录：上传时不能指定归属，附件在保存所属记录时关联', fields.ownerType ? 'ownerType' : 'ownerId');
      }
      const out = await uploadFile(ctx, { data: file.data, filename: file.filename });
      return reply.status(201).send(out);
    },
  });
  route(app, {
    method: 'GET', url: '/api/files/:id', summary: '下载附件（上传人或所属记录有权查看者）', tags, params: IdParams,
    handler: async ({ ctx, params, reply }) => {
      const row = await readableAttachment(ctx, params.id);
      if (!(await ctx.files.exists(row.content_hash))) throw notFound('附件内容缺失，请联系管理员');
      return reply
        .header('content-type', row.mime)
        .header('content-length', String(row.size))
        .header('content-disposition', contentDisposition(row.original_name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(ctx.files.stream(row.content_hash));
    },
  });
  route(app, {
    method: 'GET', url: '/api/files/:id/meta', summary: '附件信息', tags, params: IdParams,
    handler: async ({ ctx, params }) => presentFile(await readableAttachment(ctx, params.id)),
  });
}
