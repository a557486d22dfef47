// The proof of work (ALTCHA v1) for public submissions: find n in 0..maxnumber with
// hex(SHA-256(salt + n)) === challenge. Solved in the background from the moment a form opens, in
// small chunks so typing stays smooth; by the time the user presses 提交 it is usually done.

import { api, ApiError } from './api.js';
import { sha256Hex } from './sha256.js';

interface Challenge {
  algorithm: string;
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

export type PowState = 'off' | 'working' | 'done' | 'retrying';

/** A challenge is valid 10 minutes on the server; fetch a fresh one a little before that. */
const FRESH_MS = 8 * 60_000;
const CHUNK = 200;

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

async function solve(c: Challenge, isStopped: () => boolean): Promise<number | null> {
  if (c.algorithm !== 'SHA-256') throw new Error(`unsupported ${c.algorithm}`);
  for (let start = 0; start <= c.maxnumber; start += CHUNK) {
    if (isStopped()) return null;
    const end = Math.min(start + CHUNK - 1, c.maxnumber);
    const tries: Promise<string>[] = [];
    for (let n = start; n <= end; n++) tries.push(hashHex(c.salt + n));
    const hashes = await Promise.all(tries);
    const i = hashes.indexOf(c.challenge);
    if (i >= 0) return start + i;
    await pause(); // let the page breathe between chunks
  }
  return null;
}

export class Pow {
  private payload: Promise<string> | null = null;
  private solvedAt = 0;
  private stopped = false;
  private gen = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly onState: (s: PowState) => void,
  ) {
    if (!enabled) onState('off');
    else void this.start();
  }

  stop() {
    this.stopped = true;
  }

  private start(): Promise<string> {
    // A newer start (renew, or a stale solution replaced) retires the loop before it.
    const gen = ++this.gen;
    const retired = () => this.stopped || gen !== this.gen;
    const report = (s: PowState) => {
      if (!retired()) this.onState(s);
    };
    const aborted = () => new ApiError(0, 'ABORTED', '已取消');
    this.solvedAt = 0;
    report('working');
    const run = async (): Promise<string> => {
      for (let attempt = 0; ; attempt++) {
        if (retired()) throw aborted();
        try {
          const started = Date.now();
          const { data: c } = await api<Challenge>('/api/public/challenge');
          const number = await solve(c, retired);
          if (retired()) throw aborted();
          if (number === null) continue; // unsolvable (should not happen): take another
          this.solvedAt = started;
          report('done');
          return btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature }));
        } catch (e) {
          if (e instanceof ApiError && e.code === 'ABORTED') throw e;
          // Weak network: keep trying quietly; the submit button waits for us (up to a limit).
          report('retrying');
          await new Promise((r) => setTimeout(r, Math.min(2000 * 2 ** attempt, 15_000)));
          if (retired()) throw aborted();
          report('working');
        }
      }
    };
    const p = run();
    p.catch(() => undefined);
    this.payload = p;
    return p;
  }

  /** The solved payload for the `altcha` field (undefined when the server asks for none). A stale
   * solution is replaced by a fresh one first. Gives up after `timeoutMs` (no network, say) with a
   * message the form shows; solving carries on in the background. */
  async get(timeoutMs = 30_000): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    if (!this.payload || (this.solvedAt && Date.now() - this.solvedAt > FRESH_MS)) this.start();
    const payload = this.payload!;
    return new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new ApiError(0, 'TIMEOUT', '安全验证未能完成，请检查网络后重试。')), timeoutMs);
      payload.then(
        (v) => (clearTimeout(t), resolve(v)),
        (e) => (clearTimeout(t), reject(e)),
      );
    });
  }

  /** After the server refused the solution (expired, spent) or once it has been used: solve anew. */
  renew() {
    if (this.enabled) void this.start();
  }
}
