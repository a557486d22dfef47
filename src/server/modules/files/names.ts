import { EXTENSIONS } from './detect.js';

// Control characters and the bidirectional overrides that make "report‮fdp.exe" read as "report.exe.pdf".
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name to keep and offer on download: no directories, no control characters, at most 200
 * characters, and an extension that matches what the bytes really are.
 */
export function sanitizeFileName(raw: string | undefined, mime: string): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  let name = base.replace(UNSAFE, '').replace(/\s+/g, ' ').trim();
  if (/^\.*$/.test(name)) name = '';
  const exts = EXTENSIONS[mime] ?? [];
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (!name) name = exts.length ? `附件.${exts[0]}` : '附件';
  else if (exts.length && !exts.includes(ext)) name = `${name}.${exts[0]}`;
  const chars = Array.from(name);
  if (chars.length > 200) {
    // Keep the extension when cutting a long name.
    const tail = exts.length ? `.${name.slice(name.lastIndexOf('.') + 1)}` : '';
    name = chars.slice(0, 200 - Array.from(tail).length).join('') + tail;
  }
  return name;
}

/** RFC 5987 / 6266 encoding of a UTF-8 file name for Content-Disposition. */
export function contentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}
