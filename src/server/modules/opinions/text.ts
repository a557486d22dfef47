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
  return searchTokens(text).filter((t) => !STOP.has(t));
}

/** Query tokens: the precise cut, so a query word matches the same word in the index. */
export function queryTokens(query: string): string[] {
  return jieba.cut(normalize(query), true).filter((t) => /[\p{L}\p{N}]/u.test(t)).slice(0, 12);
}

export function contentHash(text: string): string {
  return sm3(normalize(text).replace(/[\s\p{P}]/gu, ''));
}

// FNV-1a 64-bit over UTF-8, as BigInt: a fast, well-spread token hash for SimHash.
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;
function fnv64(s: string): bigint {
  let h = FNV_OFFSET;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= BigInt(b);
    h = (h * FNV_PRIME) & MASK64;
  }
  return h;
}

export interface SimHash {
  hex: string;
  bands: [number, number, number, number];
}

/** Charikar SimHash over token frequencies; bands are the four 16-bit quarters. */
export function simhash(text: string): SimHash {
  const weights = new Map<string, number>();
  for (const t of contentTokens(text)) weights.set(t, (weights.get(t) ?? 0) + 1);
  const v = new Array<number>(64).fill(0);
  for (const [t, w] of weights) {
    const h = fnv64(t);
    for (let i = 0; i < 64; i++) v[i]! += (h >> BigInt(i)) & 1n ? w : -w;
  }
  let out = 0n;
  for (let i = 0; i < 64; i++) if (v[i]! > 0) out |= 1n << BigInt(i);
  const hex = out.toString(16).padStart(16, '0');
  return {
    hex,
    bands: [0, 1, 2, 3].map((k) => Number((out >> BigInt(16 * k)) & 0xffffn)) as SimHash['bands'],
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
