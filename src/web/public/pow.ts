// The proof of work (ALTCHA v1) for public submissions, solved in a Web Worker from the moment a
// form opens (pow-worker.ts, a built file of our own origin: the CSP's worker-src 'self'); by the time
// the user presses 提交 it is usually done. Where no worker can start, it runs here in small chunks.

import { api, ApiError } from './api.js';
import type { Challenge } from './pow-solve.js';
import { S } from './strings.js';

export type PowState = 'off' | 'working' | 'done' | 'retrying';

/** A challenge is valid 10 minutes on the server; fetch a fresh one a little before that. */
const FRESH_MS = 8 * 60_000;

let noWorker = typeof Worker === 'undefined';

async function solveHere(c: Challenge, isStopped: () => boolean): Promise<number | null> {
  const { solve } = await import('./pow-solve.js');
  return solve(c, isStopped);
}

function solve(c: Challenge, isStopped: () => boolean): Promise<number | null> {
  if (noWorker) return solveHere(c, isStopped);
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./pow-worker.ts', import.meta.url));
    } catch {
      noWorker = true;
      return resolve(solveHere(c, isStopped));
    }
    const done = () => {
      clearInterval(watch);
      worker.terminate();
    };
    // A retired challenge (renewed, or the user left the page) ends its worker.
    const watch = setInterval(() => {
      if (!isStopped()) return;
      done();
      resolve(null);
    }, 200);
    worker.onmessage = (e: MessageEvent<{ number?: number | null; error?: string }>) => {
      done();
      if (e.data.error !== undefined) reject(new Error(e.data.error));
      else resolve(e.data.number ?? null);
    };
    worker.onerror = (e) => {
      // The worker file could not load (an old proxy, a strict policy): solve here instead.
      e.preventDefault();
      done();
      noWorker = true;
      resolve(solveHere(c, isStopped));
    };
    worker.postMessage(c);
  });
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
    const aborted = () => new ApiError(0, 'ABORTED', S.common.cancelled);
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
      const t = setTimeout(() => reject(new ApiError(0, 'TIMEOUT', S.pow.timeout)), timeoutMs);
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
