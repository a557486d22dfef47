import zlib from 'node:zlib';

// Tiny real files for upload tests, built in memory.

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid 1×1 PNG of one colour (a different colour gives different bytes). */
export function png(r: number, g: number, b: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, r, g, b]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A multipart body with one file in the field `file`. */
export function fileForm(data: Buffer, filename: string, fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', new Blob([new Uint8Array(data)]), filename);
  return f;
}

/** A piece of a zip entry's content: `data` repeated `times` times (never joined in memory). */
export interface ZipPiece {
  data: Buffer;
  times?: number;
}
export interface ZipPart {
  name: string;
  pieces: ZipPiece[];
  /** Uncompressed size written in the headers instead of the real one (a lying zip). */
  declare?: number;
}

/**
 * Deflates pieces into one raw deflate stream without holding the inflated content: each
 * distinct piece is compressed once with a full flush (byte-aligned, no back-references out of
 * it), and repeats are the same compressed bytes again.
 */
function deflatePieces(pieces: ZipPiece[]) {
  const out: Buffer[] = [];
  let size = 0;
  let crc = 0;
  for (const p of pieces) {
    const z = zlib.deflateRawSync(p.data, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
    for (let i = 0; i < (p.times ?? 1); i++) {
      out.push(z);
      crc = zlib.crc32(p.data, crc);
      size += p.data.length;
    }
  }
  out.push(zlib.deflateRawSync(Buffer.alloc(0))); // the final (empty) block
  return { data: Buffer.concat(out), size, crc };
}

/** A zip of deflated entries, built without ever holding the inflated content (zip-bomb tests). */
export function zip(parts: ZipPart[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const { data, size, crc } = deflatePieces(part.pieces);
    const declared = part.declare ?? size;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc >>> 0, 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(declared, 22);
    h.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(declared, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    local.push(h, name, data);
    central.push(c, name);
    offset += h.length + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, cd, end]);
}
