import { contentTokens } from './text.js';

// Suggested category: multinomial naive Bayes over jieba tokens, trained on the bureau's own
// opinions that staff have already sorted. Small, explainable, and needs no external service.

export interface Model {
  classes: string[];
  docs: Map<string, number>;
  tokenCounts: Map<string, Map<string, number>>;
  totals: Map<string, number>;
  vocab: number;
  trainedOn: number;
}

export function train(samples: { text: string; category: string }[]): Model {
  const docs = new Map<string, number>();
  const tokenCounts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const vocab = new Set<string>();
  for (const s of samples) {
    docs.set(s.category, (docs.get(s.category) ?? 0) + 1);
    const counts = tokenCounts.get(s.category) ?? new Map<string, number>();
    tokenCounts.set(s.category, counts);
    for (const t of contentTokens(s.text)) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
      totals.set(s.category, (totals.get(s.category) ?? 0) + 1);
      vocab.add(t);
    }
  }
  return { classes: [...docs.keys()].sort(), docs, tokenCounts, totals, vocab: vocab.size, trainedOn: samples.length };
}

export interface Prediction {
  category: string;
  confidence: number;
  ranking: { category: string; p: number }[];
}

export function predict(model: Model, text: string): Prediction | null {
  if (model.classes.length === 0) return null;
  const tokens = contentTokens(text);
  const logp = model.classes.map((c) => {
    let lp = Math.log((model.docs.get(c) ?? 0) / model.trainedOn);
    const counts = model.tokenCounts.get(c)!;
    const denom = (model.totals.get(c) ?? 0) + model.vocab + 1;
    for (const t of tokens) lp += Math.log(((counts.get(t) ?? 0) + 1) / denom);
    return lp;
  });
  const max = Math.max(...logp);
  const exp = logp.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const ranking = model.classes
    .map((category, i) => ({ category, p: exp[i]! / sum }))
    .sort((a, b) => b.p - a.p);
  return { category: ranking[0]!.category, confidence: ranking[0]!.p, ranking: ranking.slice(0, 3) };
}

/** Accuracy on a held-out split (every k-th sample), for the note and the stats page. */
export function holdoutAccuracy(samples: { text: string; category: string }[], k = 5) {
  const test = samples.filter((_, i) => i % k === 0);
  const model = train(samples.filter((_, i) => i % k !== 0));
  let right = 0;
  for (const s of test) if (predict(model, s.text)?.category === s.category) right++;
  return { trainedOn: model.trainedOn, tested: test.length, accuracy: test.length ? right / test.length : 0 };
}
