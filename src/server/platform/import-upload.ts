import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { AppError, badRequest } from './errors.js';
import { IMPORT_MAX_BYTES } from './sheet-reader.js';

// The upload side of every Excel import: one .xlsx in the multipart field `file`, size-capped
// while it streams in (the whole body is never buffered past the cap). Read it with openSheet.

export function importTooLarge(maxBytes: number): AppError {
  const mb = Number((maxBytes / 1024 / 1024).toFixed(2));
  return new AppError(413, 'TOO_LARGE', `文件：超过大小限制（最大 ${mb} MB）`, 'file');
}

/**
 * A multipart file read whole, refused (413 naming `file`) as soon as it passes maxBytes — also when the
 * part's own limit is larger (an import taking a big .csv streamed, or a small .xlsx read whole).
 */
export async function bufferPart(part: MultipartFile, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of part.file as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > maxBytes) {
        part.file.resume();
        throw importTooLarge(maxBytes);
      }
      chunks.push(c);
    }
  } catch (err) {
    // The part's own limit (the multipart plugin's error), said the same way.
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw importTooLarge(maxBytes);
    throw err;
  }
  if (part.file.truncated) throw importTooLarge(maxBytes);
  return Buffer.concat(chunks);
}

/** The uploaded .xlsx as bytes; 400/413 naming `file` when missing, of another type or too large. */
export async function receiveXlsxUpload(req: FastifyRequest, maxBytes = IMPORT_MAX_BYTES): Promise<Buffer> {
  if (!req.isMultipart()) throw badRequest('文件：请以 multipart/form-data 上传 Excel 文件', 'file');
  const part = await req.file({ limits: { fileSize: maxBytes } });
  if (!part) throw badRequest('文件：不能为空', 'file');
  if (!/\.xlsx$/i.test(part.filename)) {
    part.file.resume();
    throw badRequest('文件：只接受 .xlsx 格式', 'file');
  }
  return bufferPart(part, maxBytes);
}
