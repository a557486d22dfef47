import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { startServer, type Client, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { registerFilePolicy } from '../../src/server/modules/files/policy.js';
import { attachFiles } from '../../src/server/modules/files/commands.js';
import { detectMime } from '../../src/server/modules/files/detect.js';
import { sanitizeFileName } from '../../src/server/modules/files/names.js';
import { contentHash } from '../../src/server/platform/files.js';

// --- tiny real files built here -------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid 1×1 PNG of one colour. */
function png(r: number, g: number, b: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const raw = Buffer.from([0, r, g, b]); // filter byte + one RGB pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A zip of stored (uncompressed) entries. */
function zip(entries: [name: string, content: string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const n = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const DOCX_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function form(data: Buffer, filename: string, fields: Record<string, string> = {}, type = 'application/octet-stream') {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', new Blob([new Uint8Array(data)], { type }), filename);
  return f;
}

describe('attachment type detection and names', () => {
  it('tells Office documents from plain zips by their content', async () => {
    expect(await detectMime(png(1, 2, 3))).toBe('image/png');
    expect(await detectMime(zip([['[Content_Types].xml', DOCX_TYPES], ['word/document.xml', '<w:document/>']]))).toBe(DOCX_MIME);
    // Content types without the main part: Word still opens it by its word/document.xml.
    expect(await detectMime(zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']]))).toBe(DOCX_MIME);
    expect(await detectMime(zip([['notes.txt', 'hello']]))).toBe('application/zip');
    expect(await detectMime(Buffer.from('just text, named .png'))).toBeUndefined();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['事项', '进度']);
    expect(await detectMime(Buffer.from(await wb.xlsx.writeBuffer()))).toBe(XLSX_MIME);
  });

  it('sanitises names: no directories, no control or direction characters, truthful extension, 200 chars', () => {
    expect(sanitizeFileName('..\\..\\windows\\合同.png', 'image/png')).toBe('合同.png');
    expect(sanitizeFileName('a/b/c\u0000d\u0007.png', 'image/png')).toBe('cd.png');
    expect(sanitizeFileName('report\u202egnp.exe', 'image/png')).toBe('reportgnp.exe.png');
    expect(sanitizeFileName('照片.JPEG', 'image/jpeg')).toBe('照片.JPEG');
    expect(sanitizeFileName('..', 'application/pdf')).toBe('附件.pdf');
    expect(sanitizeFileName(undefined, 'image/png')).toBe('附件.png');
    const long = sanitizeFileName(`${'很'.repeat(300)}.pdf`, 'application/pdf');
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe.each(targets())('files on %s', (target) => {
  let s: TestServer;
  let officer: Client;
  let officerId: string;
  let unitadmin: Client;
  beforeAll(async () => {
    s = await startServer(target);
    officer = await s.as('officer');
    unitadmin = await s.as('unitadmin');
    officerId = (await officer.get('/api/me')).body.user.id;
  });
  afterAll(async () => s?.close());

  const count = async (table: 'attachment' | 'audit_log') =>
    Number((await s.deps.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('uploads a real PNG, decided by its bytes; the uploader downloads it with safe headers', async () => {
    const data = png(200, 30, 30);
    // The client's claimed type is ignored either way.
    const up = await officer.post('/api/files', form(data, '现场照片.png', {}, 'text/html'));
    expect(up.status).toBe(201);
    expect(up.body).toEqual({ id: expect.any(String), name: '现场照片.png', size: data.length, mime: 'image/png', hash: contentHash(data) });
    expect(up.body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await s.deps.files.exists(up.body.hash)).toBe(true);

    const down = await officer.get(`/api/files/${up.body.id}`);
    expect(down.status).toBe(200);
    expect(Buffer.compare(down.body as Buffer, data)).toBe(0);
    expect(down.headers.get('content-type')).toBe('image/png');
    expect(down.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('现场照片.png')}`);
    expect(down.headers.get('x-content-type-options')).toBe('nosniff');

    const meta = await officer.get(`/api/files/${up.body.id}/meta`);
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ id: up.body.id, name: '现场照片.png', size: data.length, mime: 'image/png', ownerType: null, ownerId: null });
    expect(meta.body.createdAt).toMatch(/Z$/);

    const audit = await s.deps.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'attachment').where('entity_id', '=', up.body.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['upload']);
  });

  it('hides an attachment from other users (404), and from the anonymous (401)', async () => {
    const up = await officer.post('/api/files', form(png(1, 1, 1), '私人.png'));
    expect(up.status).toBe(201);
    const other = await unitadmin.get(`/api/files/${up.body.id}`);
    expect(other.status).toBe(404);
    expect((await unitadmin.get(`/api/files/${up.body.id}/meta`)).status).toBe(404);
    // Same answer as for an id that does not exist: existence is not revealed.
    const missing = await unitadmin.get('/api/files/no-such-file');
    expect(missing.status).toBe(404);
    expect(other.body.message).toBe(missing.body.message);
    expect((await s.client().get(`/api/files/${up.body.id}`)).status).toBe(401);
  });

  it('rejects a text file renamed .png and a plain zip by their bytes, writing nothing', async () => {
    const before = await count('attachment');
    const auditBefore = await count('audit_log');
    const txt = await officer.post('/api/files', form(Buffer.from('这不是图片，只是改了扩展名'), 'photo.png', {}, 'image/png'));
    expect(txt.status).toBe(415);
    expect(txt.body.field).toBe('file');
    expect(txt.body.message).toMatch(/^文件：不支持的文件类型（仅支持 .*PNG 图片.*）$/);
    const z = await officer.post('/api/files', form(zip([['a.txt', 'x']]), 'docs.docx'));
    expect(z.status).toBe(415);
    const empty = await officer.post('/api/files', form(Buffer.alloc(0), 'empty.png'));
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('文件');
    const none = new FormData();
    none.append('ownerType', 'opinion');
    const noFile = await officer.post('/api/files', none);
    expect(noFile.status).toBe(400);
    expect(noFile.body.field).toBe('file');
    const badOwner = await officer.post('/api/files', form(png(9, 9, 9), 'a.png', { ownerType: 'Bad Type', ownerId: 'x' }));
    expect(badOwner.status).toBe(400);
    expect(badOwner.body.field).toBe('ownerType');
    expect(badOwner.body.message).toContain('归属');
    const halfOwner = await officer.post('/api/files', form(png(9, 9, 9), 'a.png', { ownerId: 'x' }));
    expect(halfOwner.status).toBe(400);
    expect(halfOwner.body.field).toBe('ownerId');
    const json = await officer.post('/api/files', { file: 'x' });
    expect(json.status).toBe(400);
    expect(await count('attachment')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);
  });

  it('accepts Office documents detected from their zip content', async () => {
    const docx = await officer.post('/api/files', form(zip([['[Content_Types].xml', DOCX_TYPES], ['word/document.xml', '<w:document/>']]), '自查报告.docx'));
    expect(docx.status).toBe(201);
    expect(docx.body.mime).toBe(DOCX_MIME);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['事项', '进度']);
    const xlsx = await officer.post('/api/files', form(Buffer.from(await wb.xlsx.writeBuffer()), '整改台账.xlsx'));
    expect(xlsx.status).toBe(201);
    expect(xlsx.body).toMatchObject({ mime: XLSX_MIME, name: '整改台账.xlsx' });
  });

  it('accepts a phone’s voice recording (WAV here), detected from its bytes', async () => {
    // A 44-byte RIFF/WAVE header and a few samples of silence.
    const pcm = Buffer.alloc(800);
    const h = Buffer.alloc(44);
    h.write('RIFF', 0, 'latin1');
    h.writeUInt32LE(36 + pcm.length, 4);
    h.write('WAVEfmt ', 8, 'latin1');
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20);
    h.writeUInt16LE(1, 22);
    h.writeUInt32LE(8000, 24);
    h.writeUInt32LE(16000, 28);
    h.writeUInt16LE(2, 32);
    h.writeUInt16LE(16, 34);
    h.write('data', 36, 'latin1');
    h.writeUInt32LE(pcm.length, 40);
    const r = await officer.post('/api/files', form(Buffer.concat([h, pcm]), '原文领读.wav'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ mime: 'audio/wav', name: '原文领读.wav' });
  });

  it('follows the attachment_type dictionary: a disabled type is refused', async () => {
    const items = (await (await s.as('admin')).get('/api/dicts/attachment_type/items')).body.items;
    const pngItem = items.find((i: any) => i.code === 'image/png');
    const admin = await s.as('admin');
    expect((await admin.patch(`/api/dicts/attachment_type/items/${pngItem.id}`, { enabled: false })).status).toBe(200);
    try {
      const r = await officer.post('/api/files', form(png(4, 4, 4), 'x.png'));
      expect(r.status).toBe(415);
      expect(r.body.message).not.toContain('PNG');
    } finally {
      await admin.patch(`/api/dicts/attachment_type/items/${pngItem.id}`, { enabled: true });
    }
  });

  it('stores the same bytes once: two uploads share one content hash', async () => {
    const data = png(10, 20, 30);
    const a = await officer.post('/api/files', form(data, '第一次.png'));
    const b = await unitadmin.post('/api/files', form(data, '第二次.png'));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.body.hash).toBe(b.body.hash);
    const rows = await s.deps.db.selectFrom('attachment').select(['id', 'content_hash', 'original_name']).where('content_hash', '=', a.body.hash).execute();
    expect(rows.map((r) => r.original_name).sort()).toEqual(['第一次.png', '第二次.png']);
    // Sharing content does not share access.
    expect((await unitadmin.get(`/api/files/${a.body.id}`)).status).toBe(404);
    expect((await unitadmin.get(`/api/files/${b.body.id}`)).status).toBe(200);
  });

  it('cannot plant a file on a record it cannot write: an upload naming an owner is refused, nothing stored', async () => {
    // A city-level opinion the officer cannot even read, with the campaign office's attachment list.
    const office = await s.as('office');
    const target = (await office.get('/api/opinions?pageSize=1')).body.items[0].id as string;
    expect((await officer.get(`/api/opinions/${target}`)).status).toBe(403);
    const listBefore = (await office.get(`/api/opinions/${target}`)).body.attachments;
    const before = await count('attachment');
    const auditBefore = await count('audit_log');
    for (const fields of [{ ownerType: 'opinion', ownerId: target }, { ownerType: 'nobody_knows', ownerId: '1' }, { ownerId: target }] as Record<string, string>[]) {
      const r = await officer.post('/api/files', form(png(11, 12, 13), '植入.png', fields));
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('归属');
    }
    expect(await count('attachment')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);
    expect((await office.get(`/api/opinions/${target}`)).body.attachments).toEqual(listBefore);
    // Attaching happens only inside a module's command, and only to record types that own files.
    const up = await officer.post('/api/files', form(png(14, 15, 16), 'x.png'));
    await expect(
      s.deps.db.transaction().execute((trx) => attachFiles(trx, officerId, [up.body.id], 'nobody_knows', '1')),
    ).rejects.toThrow(/不能关联/);
  });

  it('lets an owner module decide who else reads its attachments, auditing where it asks to', async () => {
    registerFilePolicy('test_case', async (ctx, ownerId) => ownerId === 'shared' && ctx.actor?.username === 'unitadmin', { auditReads: true });
    const shared = await officer.post('/api/files', form(png(5, 5, 5), '共享.png'));
    const closed = await officer.post('/api/files', form(png(6, 6, 6), '不共享.png'));
    expect(shared.status).toBe(201);
    // As the owning module's command would, inside its transaction.
    await s.deps.db.transaction().execute(async (trx) => {
      await attachFiles(trx, officerId, [shared.body.id], 'test_case', 'shared');
      await attachFiles(trx, officerId, [closed.body.id], 'test_case', 'closed');
    });
    expect((await officer.get(`/api/files/${shared.body.id}/meta`)).body).toMatchObject({ ownerType: 'test_case', ownerId: 'shared' });
    expect((await unitadmin.get(`/api/files/${shared.body.id}`)).status).toBe(200);
    expect((await unitadmin.get(`/api/files/${closed.body.id}`)).status).toBe(404);
    expect((await (await s.as('office')).get(`/api/files/${shared.body.id}`)).status).toBe(404);
    const reads = await s.deps.db
      .selectFrom('audit_log').select(['action', 'actor_name']).where('entity_type', '=', 'attachment').where('entity_id', '=', shared.body.id)
      .orderBy('seq').execute();
    expect(reads.map((r) => r.action)).toEqual(['upload', 'read_protected']);
    expect(reads[1]!.actor_name).toContain('(unitadmin)');
  });

  it('permissions: uploading needs files:upload (auditor has none: 403) and the CSRF token', async () => {
    const before = await count('attachment');
    const auditor = await s.as('auditor');
    expect((await auditor.post('/api/files', form(png(8, 8, 8), 'a.png'))).status).toBe(403);
    expect((await officer.request('POST', '/api/files', form(png(8, 8, 8), 'a.png'), { 'x-csrf-token': 'nope' })).status).toBe(403);
    expect((await s.client().post('/api/files', form(png(8, 8, 8), 'a.png'))).status).toBe(401);
    expect(await count('attachment')).toBe(before);
  });
});

describe.each(targets())('upload size limit on %s', (target) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(target, { env: { RECTIFY_UPLOAD_MAX_MB: '0.01' } });
  });
  afterAll(async () => s?.close());

  it('answers 413 naming the limit and stores nothing', async () => {
    const officer = await s.as('officer');
    const small = await officer.post('/api/files', form(png(1, 2, 3), 'small.png'));
    expect(small.status).toBe(201);
    const before = Number((await s.deps.db.selectFrom('attachment').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    // A real PNG with 64 KB of trailing bytes: well past 0.01 MB.
    const big = Buffer.concat([png(1, 2, 3), Buffer.alloc(64 * 1024, 7)]);
    const r = await officer.post('/api/files', form(big, 'big.png'));
    expect(r.status).toBe(413);
    expect(r.body.message).toBe('文件：超过大小限制（最大 0.01 MB）');
    expect(r.body.field).toBe('file');
    const after = Number((await s.deps.db.selectFrom('attachment').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
    expect(await s.deps.files.exists(contentHash(big))).toBe(false);
    // The server is fine afterwards.
    expect((await officer.post('/api/files', form(png(3, 2, 1), 'again.png'))).status).toBe(201);
  });
});
