import { contentTokens } from './text.js';

// Suggested category: multinomial naive Bayes over jieba tokens, trained on the bureau's own
// opinions whose category staff confirmed (suggest.ts decides which). Small, explainable, and needs
// no external service. predict() can leave one training sample out, exactly, so an opinion that is
// itself in the training set never hears its own label back.

export interface Model {
  classes: string[];
  docs: Map<string, number>;
  tokenCounts: Map<string, Map<string, number>>;
  totals: Map<string, number>;
  /** Per token, its count over all classes: leaving a sample out may shrink the vocabulary. */
  tokenTotals: Map<string, number>;
  vocab: number;
  trainedOn: number;
}

export interface Sample {
  text: string;
  category: string;
}

export function train(samples: Sample[]): Model {
  const docs = new Map<string, number>();
  const tokenCounts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const tokenTotals = new Map<string, number>();
  for (const s of samples) {
    docs.set(s.category, (docs.get(s.category) ?? 0) + 1);
    const counts = tokenCounts.get(s.category) ?? new Map<string, number>();
    tokenCounts.set(s.category, counts);
    for (const t of contentTokens(s.text)) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
      totals.set(s.category, (totals.get(s.category) ?? 0) + 1);
      tokenTotals.set(t, (tokenTotals.get(t) ?? 0) + 1);
    }
  }
  return { classes: [...docs.keys()].sort(), docs, tokenCounts, totals, tokenTotals, vocab: tokenTotals.size, trainedOn: samples.length };
}

function countTokens(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of contentTokens(text)) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

export interface Prediction {
  category: string;
  confidence: number;
  ranking: { category: string; p: number }[];
}

/** How many samples the model has once `leaveOut` (when given, and trained on) is taken away. */
export function trainedWithout(model: Model, leaveOut?: Sample | null): number {
  return model.trainedOn - (leaveOut && (model.docs.get(leaveOut.category) ?? 0) > 0 ? 1 : 0);
}

/**
 * The most likely category of text. With leaveOut (a sample the model was trained on), the answer
 * is exactly what a model trained without that sample would give: its document, token counts and
 * any token only it contributed are taken away before scoring. `tokens`: contentTokens(text), when
 * the caller has them already.
 */
export function predict(model: Model, text: string, leaveOut?: Sample | null, tokens?: string[]): Prediction | null {
  const out = leaveOut && (model.docs.get(leaveOut.category) ?? 0) > 0 ? leaveOut : null;
  const minus = out ? countTokens(out.text) : new Map<string, number>();
  let minusTotal = 0;
  let vocab = model.vocab;
  for (const [t, n] of minus) {
    minusTotal += n;
    if ((model.tokenTotals.get(t) ?? 0) <= n) vocab--;
  }
  const trainedOn = model.trainedOn - (out ? 1 : 0);
  const docsOf = (c: string) => (model.docs.get(c) ?? 0) - (out && c === out.category ? 1 : 0);
  const classes = model.classes.filter((c) => docsOf(c) > 0);
  if (classes.length === 0 || trainedOn <= 0) return null;
  const words = tokens ?? contentTokens(text);
  const logp = classes.map((c) => {
    const own = out && c === out.category;
    let lp = Math.log(docsOf(c) / trainedOn);
    const counts = model.tokenCounts.get(c)!;
    const denom = (model.totals.get(c) ?? 0) - (own ? minusTotal : 0) + vocab + 1;
    for (const t of words) lp += Math.log(((counts.get(t) ?? 0) - (own ? (minus.get(t) ?? 0) : 0) + 1) / denom);
    return lp;
  });
  const max = Math.max(...logp);
  const exp = logp.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const ranking = classes
    .map((category, i) => ({ category, p: exp[i]! / sum }))
    .sort((a, b) => b.p - a.p);
  return { category: ranking[0]!.category, confidence: ranking[0]!.p, ranking: ranking.slice(0, 3) };
}

/** Accuracy on a held-out split (every k-th sample), for the note and the stats page. */
export function holdoutAccuracy(samples: Sample[], k = 5) {
  const test = samples.filter((_, i) => i % k === 0);
  const model = train(samples.filter((_, i) => i % k !== 0));
  let right = 0;
  for (const s of test) if (predict(model, s.text)?.category === s.category) right++;
  return { trainedOn: model.trainedOn, tested: test.length, accuracy: test.length ? right / test.length : 0 };
}
