import { describe, expect, it } from 'vitest';
import { checkRules, drawRandom, gradeAnswer, normaliseBlank, type BankEntry, type DrawRule } from '../../src/server/modules/exams/grading.js';
import type { QuestionType } from '../../src/shared/schemas/study-labels.js';

// The grading rules as the README states them, one question type at a time, and random papers that
// obey their rules and never repeat a question. Points are tenths (10 = 1 point).

const q = (type: QuestionType, answer: unknown) => ({ id: 'q', type, answer });

describe('grading', () => {
  it('single choice and true/false: all or nothing', () => {
    expect(gradeAnswer(q('single', 'B'), 'B', 20)).toBe(20);
    expect(gradeAnswer(q('single', 'B'), 'C', 20)).toBe(0);
    expect(gradeAnswer(q('single', 'B'), null, 20)).toBe(0);
    expect(gradeAnswer(q('judge', false), false, 20)).toBe(20);
    expect(gradeAnswer(q('judge', false), true, 20)).toBe(0);
    expect(gradeAnswer(q('judge', false), 'false', 20)).toBe(0);
  });

  it('multiple choice: full for exactly right, half for some right and none wrong, zero for any wrong option', () => {
    const m = q('multiple', ['A', 'C', 'D']);
    expect(gradeAnswer(m, ['D', 'C', 'A'], 20)).toBe(20);
    expect(gradeAnswer(m, ['A', 'C'], 20)).toBe(10);
    expect(gradeAnswer(m, ['A'], 25)).toBe(12); // half of 2.5 points, rounded down to a tenth
    expect(gradeAnswer(m, ['A', 'B'], 20)).toBe(0);
    expect(gradeAnswer(m, ['A', 'B', 'C', 'D'], 20)).toBe(0);
    expect(gradeAnswer(m, [], 20)).toBe(0);
    expect(gradeAnswer(m, 'A', 20)).toBe(0);
  });

  it('fill in the blank: points split over the blanks; spaces, case, full-width forms and a trailing full stop ignored', () => {
    const b = q('blank', [['上海'], ['嘉兴南湖', '嘉兴'], ['CPC']]);
    expect(gradeAnswer(b, ['上海', '嘉兴', 'cpc'], 10)).toBe(10);
    expect(gradeAnswer(b, [' 上 海 ', '嘉兴南湖。', 'ＣＰＣ'], 10)).toBe(10);
    expect(gradeAnswer(b, ['上海', '北京', ''], 10)).toBe(3);
    expect(gradeAnswer(b, ['北京', '北京', 'cpc'], 10)).toBe(4); // the last blank takes the remainder
    expect(gradeAnswer(b, [], 10)).toBe(0);
    expect(normaliseBlank('  ＡＢｃ１２３．')).toBe('abc123');
  });

  it('essay: left for a person to mark', () => {
    expect(gradeAnswer(q('essay', '要点'), '我的回答', 100)).toBeNull();
  });
});

describe('random papers', () => {
  const labels = { type: (t: QuestionType) => t, difficulty: (d: number) => String(d) };
  const bankOf = (spec: [QuestionType, number, number][]): BankEntry[] =>
    spec.flatMap(([type, difficulty, n]) => Array.from({ length: n }, (_, i) => ({ id: `${type}-${difficulty}-${i}`, type, difficulty })));

  it('obey every rule (type, difficulty, count, points) and never repeat a question, over many draws', () => {
    const bank = bankOf([['single', 1, 6], ['single', 2, 4], ['single', 3, 3], ['multiple', 2, 5], ['judge', 1, 4]]);
    const rules: DrawRule[] = [
      { type: 'single', count: 6, points: 10 },
      { type: 'single', difficulty: 3, count: 3, points: 20 },
      { type: 'single', difficulty: 1, count: 2, points: 10 },
      { type: 'multiple', count: 5, points: 20 },
      { type: 'judge', count: 2, points: 5 },
    ];
    expect(checkRules(rules, bank, labels)).toEqual([]);
    const byId = new Map(bank.map((b) => [b.id, b]));
    for (let n = 0; n < 300; n++) {
      const paper = drawRandom(rules, bank);
      expect(paper).toHaveLength(18);
      expect(new Set(paper.map((p) => p.q)).size).toBe(18);
      let at = 0;
      for (const r of rules) {
        const part = paper.slice(at, at + r.count);
        at += r.count;
        for (const p of part) {
          const e = byId.get(p.q)!;
          expect(e.type).toBe(r.type);
          if (r.difficulty != null) expect(e.difficulty).toBe(r.difficulty);
          expect(p.points).toBe(r.points);
        }
      }
    }
  });

  it('a set of rules is accepted exactly when some paper satisfies it (checked against every small bank)', () => {
    // Exhaustive over small banks of one type: a specific and a general rule compete for questions.
    for (let easy = 0; easy <= 3; easy++) {
      for (let hard = 0; hard <= 3; hard++) {
        for (let needHard = 1; needHard <= 3; needHard++) {
          for (let needAny = 1; needAny <= 4; needAny++) {
            const bank = bankOf([['single', 1, easy], ['single', 3, hard]]);
            const feasible = hard >= needHard && easy + hard >= needHard + needAny;
            for (const rules of [
              [{ type: 'single', count: needAny, points: 10 }, { type: 'single', difficulty: 3, count: needHard, points: 10 }],
              [{ type: 'single', difficulty: 3, count: needHard, points: 10 }, { type: 'single', count: needAny, points: 10 }],
            ] as DrawRule[][]) {
              expect(checkRules(rules, bank, labels).length === 0).toBe(feasible);
              if (feasible) expect(new Set(drawRandom(rules, bank).map((p) => p.q)).size).toBe(needHard + needAny);
            }
          }
        }
      }
    }
  });
});
