import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';

// Content-addressed storage behind an interface, so a deployment can point it at
// S3-compatible storage later. Keys are SM3 digests of the content.

export interface FileStorage {
  /** Stores the bytes and answers their content hash; storing the same bytes twice is free. */
  put(data: Buffer): Promise<string>;
  get(hash: string): Promise<Buffer>;
  stream(hash: string): Readable;
  exists(hash: string): Promise<boolean>;
}

export function contentHash(data: Buffer): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}

export function diskStorage(root: string): FileStorage {
  const where = (hash: string) => {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('invalid content hash');
    return path.join(root, hash.slice(0, 2), hash.slice(2, 4), hash);
  };
  return {
    async put(data) {
      const hash = contentHash(data);
      const file = where(hash);
      if (fs.existsSync(file)) return hash;
      await fsp.mkdir(path.dirname(file), { recursive: true });
      // Write then rename, and fsync, so a killed process never leaves a half file under its hash.
      const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      const fh = await fsp.open(tmp, 'w', 0o640);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, file);
      return hash;
    },
    get: (hash) => fsp.readFile(where(hash)),
    stream: (hash) => fs.createReadStream(where(hash)),
    exists: async (hash) => fs.existsSync(where(hash)),
  };
}
