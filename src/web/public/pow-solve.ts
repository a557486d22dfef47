// Solving an ALTCHA v1 challenge: find n in 0..maxnumber with hex(SHA-256(salt + n)) === challenge.
// Runs in the proof-of-work worker (pow-worker.ts); on the page itself only where no worker can start.

import { sha256Hex } from './sha256.js';

export interface Challenge {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

// crypto.subtle exists only in secure contexts (HTTPS, localhost); a bureau intranet may serve plain
// HTTP, where the small SHA-256 of sha256.ts takes over.
const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle;
const enc = new TextEncoder();

async function hashHex(text: string): Promise<string> {
  if (!subtle) return sha256Hex(text);
  const buf = new Uint8Array(await subtle.digest('SHA-256', enc.encode(text)));
  let out = '';
  for (const b of buf) out += b.toString(16).padStart(2, '0');
  return out;
}

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/** The number, or null when stopped (or when none matches). `chunk` tries per turn of the event loop. */
export async function solve(c: Challenge, isStopped: () => boolean, chunk = 200): Promise<number | null> {
  if (c.algorithm !== 'SHA-256') throw new Error(`unsupported ${c.algorithm}`);
  for (let start = 0; start <= c.maxnumber; start += chunk) {
    if (isStopped()) return null;
    const end = Math.min(start + chunk - 1, c.maxnumber);
    const tries: Promise<string>[] = [];
    for (let n = start; n <= end; n++) tries.push(hashHex(c.salt + n));
    const hashes = await Promise.all(tries);
    const i = hashes.indexOf(c.challenge);
    if (i >= 0) return start + i;
    await pause();
  }
  return null;
}
