import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { sm3 } from '../../platform/crypto.js';

// Text handling for opinions: jieba tokens for search and the classifier, an exact-duplicate
// digest, and a 64-bit SimHash for near-duplicates. No external service.

const jieba = Jieba.withDict(dict);

const STOP = new Set(
  '的 了 是 在 和 与 及 或 也 都 就 而 对 把 被 让 给 从 向 到 于 为 以 之 其 这 那 有 没 不 很 太 还 又 再 我 我们 你 你们 他 他们 她 它 啊 吧 呢 吗 呀 哦 嗯 希望 建议 请 能 能否 可以 一个 一些 没有 什么 怎么'.split(' '),
);

/** Folds full-width forms and whitespace so trivially different copies of a text compare equal. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Index tokens: jieba's search-mode cut (fine words plus compounds), punctuation dropped. */
export function searchTokens(text: string): string[] {
  return jieba.cutForSearch(normalize(text), true).filter((t) => /[\p{L}\p{N}]/u.test(t));
}

/** Content tokens for the classifier and SimHash: stop words dropped. */
export function contentTokens(text: string): string[] {
  return withoutStopWords(searchTokens(text));
}

/** contentTokens() from a text's searchTokens(), when those are at hand (one jieba cut instead of two). */
export function withoutStopWords(tokens: string[]): string[] {
  return tokens.filter((t) => !STOP.has(t));
}

/** Query tokens: the precise cut, so a query word matches the same word in the index. */
export function queryTokens(query: string): string[] {
  return jieba.cut(normalize(query), true).filter((t) => /[\p{L}\p{N}]/u.test(t)).slice(0, 12);
}

export function contentHash(text: string): string {
  return sm3(normalize(text).replace(/[\s\p{P}]/gu, ''));
}

// FNV-1a 64-bit over UTF-8, as two 32-bit halves (the same value as the BigInt arithmetic it
// replaced, several times faster): a fast, well-spread token hash for SimHash.
const utf8 = new TextEncoder();
let bytes = new Uint8Array(256);
/** Writes fnv64(s) into out[0] (high half) and out[1] (low half), unsigned. */
function fnv64(s: string, out: Uint32Array): void {
  if (bytes.length < s.length * 3) bytes = new Uint8Array(s.length * 3);
  const n = utf8.encodeInto(s, bytes).written;
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < n; i++) {
    lo = (lo ^ bytes[i]!) >>> 0;
    // h * 0x100000001b3 mod 2^64 = h * 0x1b3 + (h << 40); lo * 0x1b3 < 2^41 is exact in a double.
    const loMul = lo * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + Math.floor(loMul / 0x100000000) + (lo << 8)) >>> 0;
    lo = loMul >>> 0;
  }
  out[0] = hi;
  out[1] = lo;
}

export interface SimHash {
  hex: string;
  bands: [number, number, number, number];
}

/** Charikar SimHash over token frequencies; bands are the four 16-bit quarters. */
export function simhash(text: string): SimHash {
  return simhashOf(contentTokens(text));
}

/** simhash() from the text's contentTokens(). */
export function simhashOf(tokens: string[]): SimHash {
  const weights = new Map<string, number>();
  for (const t of tokens) weights.set(t, (weights.get(t) ?? 0) + 1);
  const v = new Float64Array(64);
  const h = new Uint32Array(2);
  for (const [t, w] of weights) {
    fnv64(t, h);
    const hi = h[0]!;
    const lo = h[1]!;
    for (let i = 0; i < 32; i++) {
      v[i]! += (lo >>> i) & 1 ? w : -w;
      v[32 + i]! += (hi >>> i) & 1 ? w : -w;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 32; i++) {
    if (v[i]! > 0) lo |= 1 << i;
    if (v[32 + i]! > 0) hi |= 1 << i;
  }
  hi >>>= 0;
  lo >>>= 0;
  return {
    hex: hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0'),
    bands: [lo & 0xffff, lo >>> 16, hi & 0xffff, hi >>> 16],
  };
}

export function hamming(aHex: string, bHex: string): number {
  let x = BigInt(`0x${aHex}`) ^ BigInt(`0x${bHex}`);
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/** Up to 80 characters of a text for lists. */
export function excerpt(text: string, n = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}
