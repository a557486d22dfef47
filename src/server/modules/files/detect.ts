import { fileTypeFromBuffer } from 'file-type';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Usual extensions per MIME type, to keep a download's name truthful about its content. */
export const EXTENSIONS: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  [DOCX]: ['docx'],
  [XLSX]: ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'audio/mpeg': ['mp3'],
  'audio/x-m4a': ['m4a'],
  'audio/mp4': ['m4a', 'mp4'],
  'audio/aac': ['aac'],
  'audio/amr': ['amr'],
  'audio/wav': ['wav'],
  'video/mp4': ['mp4'],
  'application/zip': ['zip'],
};

/** Local-file-header names in a zip, read without inflating anything. */
function zipEntryNames(buf: Buffer, max = 2000): string[] {
  const names: string[] = [];
  let i = buf.indexOf('PK\x03\x04', 0, 'latin1');
  while (i >= 0 && i + 30 <= buf.length && names.length < max) {
    const nameLen = buf.readUInt16LE(i + 26);
    const extraLen = buf.readUInt16LE(i + 28);
    names.push(buf.toString('utf8', i + 30, Math.min(buf.length, i + 30 + nameLen)));
    i = buf.indexOf('PK\x03\x04', i + 30 + nameLen + extraLen, 'latin1');
  }
  return names;
}

/**
 * The file's real type from its bytes (never the client's word for it). Office documents are zip
 * archives: file-type tells them apart by [Content_Types].xml; when it can only say "zip" we look at
 * the entry names the way Office does (word/document.xml, xl/workbook.xml).
 */
export async function detectMime(data: Buffer): Promise<string | undefined> {
  const ft = await fileTypeFromBuffer(data);
  if (!ft) return undefined;
  if (ft.mime === 'application/zip') {
    const names = new Set(zipEntryNames(data));
    if (names.has('[Content_Types].xml')) {
      if (names.has('word/document.xml')) return DOCX;
      if (names.has('xl/workbook.xml')) return XLSX;
    }
  }
  return ft.mime;
}
