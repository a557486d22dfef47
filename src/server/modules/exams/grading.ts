import crypto from 'node:crypto';
import type { QuestionType } from '../../../shared/schemas/study-labels.js';

// Grading and paper drawing, free of the database so every rule is tested directly. Points are in
// tenths throughout (a 2.5-point question is 25): sums are exact integers on both dialects.
//
// The rules (also in the README and on the exam page):
//   single, judge   all or nothing
//   multiple        every right option and no wrong one: full; some right options and no wrong one:
//                   half (rounded down to a tenth); any wrong option or none: 0
//   blank           the points split evenly over the blanks (the last blank takes the remainder, so
//                   all blanks right is exactly full marks); a blank is right when it equals one of its
//                   accepted answers after trimming, ignoring spaces, letter case and full-width forms
//   essay           marked by hand, 0 to full in half points

export type Answer = string | boolean | string[] | null | undefined;

export interface GradableQuestion {
  id: string;
  type: QuestionType;
  /** As stored: "B" | ["A","C"] | true | [["x","y"],["z"]] | "reference". */
  answer: unknown;
}

/** Full-width to half-width, no whitespace, lower case: how a typed blank is compared. */
export function normaliseBlank(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[。．.，,；;、]+$/u, '')
    .toLowerCase();
}

/** Marks (tenths) for one objective answer; null for an essay (marked by hand). */
export function gradeAnswer(q: GradableQuestion, given: Answer, points: number): number | null {
  switch (q.type) {
    case 'single':
      return typeof given === 'string' && given === q.answer ? points : 0;
    case 'judge':
      return typeof given === 'boolean' && given === q.answer ? points : 0;
    case 'multiple': {
      if (!Array.isArray(given) || !given.length) return 0;
      const right = new Set(q.answer as string[]);
      const chosen = new Set(given.map(String));
      for (const c of chosen) if (!right.has(c)) return 0;
      return chosen.size === right.size ? points : Math.floor(points / 2);
    }
    case 'blank': {
      const blanks = q.answer as string[][];
      const typed = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
      const each = Math.floor(points / blanks.length);
      let total = 0;
      blanks.forEach((accepted, i) => {
        const t = typed[i];
        if (typeof t !== 'string' || !t.trim()) return;
        const n = normaliseBlank(t);
        if (accepted.some((a) => normaliseBlank(a) === n)) total += i === blanks.length - 1 ? points - each * (blanks.length - 1) : each;
      });
      return total;
    }
    case 'essay':
      return null;
  }
}

/** Whether a given answer has the shape its question type takes (saved answers are checked, not graded). */
export function answerShapeOk(type: QuestionType, given: Answer): boolean {
  if (given === null || given === undefined) return true;
  switch (type) {
    case 'single':
      return typeof given === 'string' && given.length <= 1;
    case 'judge':
      return typeof given === 'boolean';
    case 'multiple':
      return Array.isArray(given) && given.length <= 8 && given.every((g) => typeof g === 'string' && g.length === 1);
    case 'blank':
      return Array.isArray(given) && given.length <= 20 && given.every((g) => typeof g === 'string' && g.length <= 200);
    case 'essay':
      return typeof given === 'string' && given.length <= 5000;
  }
}

/** Fisher–Yates with crypto randomness: each person's order is unpredictable to the others. */
export function shuffle<T>(items: readonly T[], rand: (n: number) => number = crypto.randomInt): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface DrawRule {
  type: QuestionType;
  difficulty?: number | null;
  count: number;
  /** Tenths. */
  points: number;
}

export interface BankEntry {
  id: string;
  type: QuestionType;
  difficulty: number;
}

/**
 * Rules in the order they are filled: a rule naming a difficulty before one that takes any
 * difficulty of the same type, so the general rule draws from what the specific ones leave. With
 * that order, checking each rule against what is left is exact: a drawing exists iff this finds one.
 */
function fillOrder(rules: readonly DrawRule[]): number[] {
  return rules.map((_, i) => i).sort((a, b) => Number(rules[a]!.difficulty == null) - Number(rules[b]!.difficulty == null) || a - b);
}

/** Each rule that asks for more questions than the bank can give it, after the rules before it: a Chinese message per rule. */
export function checkRules(rules: readonly DrawRule[], bank: readonly BankEntry[], labels: { type: (t: QuestionType) => string; difficulty: (d: number) => string }) {
  const used = new Set<string>();
  const problems: { index: number; message: string }[] = [];
  for (const i of fillOrder(rules)) {
    const r = rules[i]!;
    const pool = bank.filter((q) => q.type === r.type && (r.difficulty == null || q.difficulty === r.difficulty) && !used.has(q.id));
    const what = `${labels.type(r.type)}${r.difficulty == null ? '' : `（${labels.difficulty(r.difficulty)}）`}`;
    if (pool.length < r.count) {
      problems.push({ index: i, message: `第 ${i + 1} 条规则要求${what} ${r.count} 题，题库可用的只有 ${pool.length} 题` });
    }
    for (const q of pool.slice(0, r.count)) used.add(q.id);
  }
  return problems;
}

/** One person's random paper: per rule, distinct questions never repeated across rules. */
export function drawRandom(rules: readonly DrawRule[], bank: readonly BankEntry[], rand?: (n: number) => number): { q: string; points: number }[] {
  const used = new Set<string>();
  const byRule = new Map<number, { q: string; points: number }[]>();
  for (const i of fillOrder(rules)) {
    const r = rules[i]!;
    const pool = bank.filter((q) => q.type === r.type && (r.difficulty == null || q.difficulty === r.difficulty) && !used.has(q.id));
    if (pool.length < r.count) throw new Error(`rule ${i} cannot be filled`);
    const picked = shuffle(pool, rand).slice(0, r.count);
    for (const p of picked) used.add(p.id);
    byRule.set(i, picked.map((p) => ({ q: p.id, points: r.points })));
  }
  // The paper lists the rules in the order the organiser wrote them.
  return rules.flatMap((_, i) => byRule.get(i)!);
}
