// 开门纳谏 classifier accuracy on held-out demo data: the platform's bootstrap seeds the demo
// bureau (and its opinions, when the demo has them) into a temporary SQLite file; the opinions whose
// category staff confirmed (suggest.ts staffConfirmed: sorted by staff, or entered by staff with a
// category — never a submitter's own choice) are read back and the platform's naive Bayes
// (classifier.ts) is scored by 5-fold cross-validation — fold f tests every sample with
// index % 5 === f and trains on the rest — beside a majority-class baseline. Also reports
// holdoutAccuracy() itself (fold 0), and the resubstitution accuracy (each opinion tested on a model
// that saw it: what the suggestion used to show, an echo, not a measure). Run alone:
// node --import tsx bench/opinions-classifier.ts. See bench/README.md.
import path from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { createDeps } from '../src/server/deps.js';
import { bootstrap } from '../src/server/seed/bootstrap.js';
import { holdoutAccuracy, predict, train } from '../src/server/modules/opinions/classifier.js';
import { staffConfirmed } from '../src/server/modules/opinions/suggest.js';
import { ADMIN_PASSWORD, DEMO_PASSWORD, envNumber, hookSigint, log, round, runDirect, table, tempDir, writeSection } from './lib.js';
import { opinionText, pickCategory, prng } from './opinions-gen.js';

const K = Math.max(2, Math.round(envNumber('BENCH_FOLDS', 5)));

type Sample = { text: string; category: string };

interface PerCategory {
  category: string;
  label: string;
  samples: number;
  predicted: number;
  correct: number;
  precision: number | null;
  recall: number | null;
}

export interface CvFigures {
  samples: number;
  categories: number;
  folds: { fold: number; trainedOn: number; tested: number; accuracy: number | null; majority: string; majorityAccuracy: number | null }[];
  meanAccuracy: number | null;
  minAccuracy: number | null;
  maxAccuracy: number | null;
  /** Correct predictions over all folds ÷ samples (each sample is tested exactly once). */
  pooledAccuracy: number | null;
  majorityBaselineMeanAccuracy: number | null;
  macroF1: number | null;
  perCategory: PerCategory[];
  /** holdoutAccuracy(samples, K) from classifier.ts: fold 0 only. */
  platformHoldout: { trainedOn: number; tested: number; accuracy: number | null };
  /** Tested on a model trained with the very sample: inflated, shown only to compare. */
  resubstitutionAccuracy: number | null;
  predictMicros: number | null;
}

export function crossValidate(samples: Sample[], labels: Record<string, string>): CvFigures {
  const classes = [...new Set(samples.map((s) => s.category))].sort();
  const confusion = new Map<string, Map<string, number>>();
  const folds: CvFigures['folds'] = [];
  let predictMs = 0;
  let predictions = 0;
  let pooledRight = 0;
  for (let f = 0; f < K; f++) {
    const test = samples.filter((_, i) => i % K === f);
    const trainSet = samples.filter((_, i) => i % K !== f);
    const model = train(trainSet);
    const counts = new Map<string, number>();
    for (const s of trainSet) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
    // Ties broken by code so the baseline is deterministic.
    const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
    let right = 0;
    let majorityRight = 0;
    for (const s of test) {
      const t0 = performance.now();
      const p = predict(model, s.text)?.category ?? '';
      predictMs += performance.now() - t0;
      predictions++;
      if (p === s.category) right++;
      if (majority === s.category) majorityRight++;
      const row = confusion.get(s.category) ?? new Map<string, number>();
      row.set(p, (row.get(p) ?? 0) + 1);
      confusion.set(s.category, row);
    }
    pooledRight += right;
    folds.push({
      fold: f, trainedOn: model.trainedOn, tested: test.length,
      accuracy: test.length ? round(right / test.length, 4) : null,
      majority, majorityAccuracy: test.length ? round(majorityRight / test.length, 4) : null,
    });
  }
  const perCategory: PerCategory[] = classes.map((c) => {
    const row = confusion.get(c) ?? new Map<string, number>();
    const nSamples = [...row.values()].reduce((a, b) => a + b, 0);
    const correct = row.get(c) ?? 0;
    let predicted = 0;
    for (const r of confusion.values()) predicted += r.get(c) ?? 0;
    return {
      category: c, label: labels[c] ?? c, samples: nSamples, predicted, correct,
      precision: predicted ? round(correct / predicted, 3) : null,
      recall: nSamples ? round(correct / nSamples, 3) : null,
    };
  });
  const f1s = perCategory.map((p) => (p.precision && p.recall ? (2 * p.precision * p.recall) / (p.precision + p.recall) : 0));
  const accs = folds.map((f) => f.accuracy).filter((x): x is number => x !== null);
  const majs = folds.map((f) => f.majorityAccuracy).filter((x): x is number => x !== null);
  const h = holdoutAccuracy(samples, K);
  const all = train(samples);
  const echoed = samples.filter((s) => predict(all, s.text)?.category === s.category).length;
  return {
    samples: samples.length,
    categories: classes.length,
    folds,
    meanAccuracy: accs.length ? round(accs.reduce((a, b) => a + b, 0) / accs.length, 4) : null,
    minAccuracy: accs.length ? Math.min(...accs) : null,
    maxAccuracy: accs.length ? Math.max(...accs) : null,
    pooledAccuracy: samples.length ? round(pooledRight / samples.length, 4) : null,
    majorityBaselineMeanAccuracy: majs.length ? round(majs.reduce((a, b) => a + b, 0) / majs.length, 4) : null,
    macroF1: f1s.length ? round(f1s.reduce((a, b) => a + b, 0) / f1s.length, 3) : null,
    perCategory,
    platformHoldout: { trainedOn: h.trainedOn, tested: h.tested, accuracy: round(h.accuracy, 4) },
    resubstitutionAccuracy: samples.length ? round(echoed / samples.length, 4) : null,
    predictMicros: predictions ? round((predictMs / predictions) * 1000, 1) : null,
  };
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? null : `${(x * 100).toFixed(1)} %`);

function print(title: string, cv: CvFigures) {
  process.stdout.write(
    `\n${title}\n` +
      table(
        ['fold', 'trained on', 'tested', 'accuracy', 'majority class', 'majority accuracy'],
        [
          ...cv.folds.map((f) => [String(f.fold), f.trainedOn, f.tested, pct(f.accuracy), f.majority, pct(f.majorityAccuracy)]),
          ['mean', null, cv.samples, pct(cv.meanAccuracy), null, pct(cv.majorityBaselineMeanAccuracy)],
        ],
        1,
      ) +
      `\n\n` +
      table(
        ['category', 'label', 'samples', 'predicted', 'correct', 'precision', 'recall'],
        cv.perCategory.map((p) => [p.category, p.label, p.samples, p.predicted, p.correct, pct(p.precision), pct(p.recall)]),
        2,
      ) +
      `\n\nmean accuracy ${pct(cv.meanAccuracy)} (folds ${pct(cv.minAccuracy)}–${pct(cv.maxAccuracy)}; pooled ${pct(cv.pooledAccuracy)}), ` +
      `majority-class baseline ${pct(cv.majorityBaselineMeanAccuracy)}, macro F1 ${cv.macroF1}; ` +
      `platform holdoutAccuracy() (fold 0): ${pct(cv.platformHoldout.accuracy)} on ${cv.platformHoldout.tested} (trained on ${cv.platformHoldout.trainedOn}); ` +
      `resubstitution (tested on a model that saw the opinion; not a measure) ${pct(cv.resubstitutionAccuracy)}; ` +
      `predict ≈ ${cv.predictMicros} µs per text\n`,
  );
}

export async function runClassifier() {
  hookSigint();
  const dir = tempDir();
  const config = loadConfig({
    DATABASE_URL: path.join(dir, 'rectify.db'), RECTIFY_DATA_DIR: dir, RECTIFY_DEMO: '1',
    RECTIFY_ADMIN_PASSWORD: ADMIN_PASSWORD, RECTIFY_DEMO_PASSWORD: DEMO_PASSWORD,
  });
  log('opinions classifier: seeding the demo into a temporary SQLite database');
  const deps = await createDeps(config);
  let samples: Sample[];
  let labels: Record<string, string>;
  let totalOpinions: number;
  let categorised: number;
  try {
    await bootstrap(deps, { demo: true });
    totalOpinions = Number((await deps.db.selectFrom('opinion').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    categorised = Number(
      (await deps.db.selectFrom('opinion').select((eb) => eb.fn.countAll().as('n')).where('category', 'is not', null).executeTakeFirstOrThrow()).n,
    );
    // Staff-confirmed only, the platform's training set. A fixed order (time, then id) so the folds
    // are the same on every run.
    const rows = await deps.db
      .selectFrom('opinion')
      .select(['opinion.content', 'opinion.category'])
      .where(staffConfirmed)
      .orderBy('opinion.submitted_at')
      .orderBy('opinion.id')
      .execute();
    samples = rows.map((r) => ({ text: r.content, category: r.category! }));
    labels = Object.fromEntries(
      (await deps.db.selectFrom('dict_item').select(['code', 'label']).where('type_code', '=', 'opinion_category').execute()).map((d) => [d.code, d.label]),
    );
  } finally {
    await deps.database.close();
  }

  let demo: CvFigures | null = null;
  if (samples.length >= K * 2) {
    demo = crossValidate(samples, labels);
    print(
      `Classifier on the demo's staff-confirmed opinions (${samples.length} of ${totalOpinions} opinions; ${categorised} carry a category), ${K}-fold cross-validation`,
      demo,
    );
  } else {
    process.stdout.write(
      `\nClassifier: the demo seeded ${totalOpinions} opinions, ${samples.length} of them staff-confirmed — too few to cross-validate. ` +
        `Re-run once the demo has staff-confirmed opinions (src/server/seed).\n`,
    );
  }

  // Not the figure to quote: templated texts carry their category's words by construction, so this
  // only shows the machinery works and is an upper bound.
  const r = prng(7);
  const synthetic: Sample[] = Array.from({ length: 1000 }, () => {
    const category = pickCategory(r);
    return { text: opinionText(r, category), category };
  });
  const syn = crossValidate(synthetic, labels);
  print('Sanity check only (NOT the figure to quote): 1,000 templated texts from bench/opinions-gen.ts', syn);

  const result = {
    settings: {
      folds: K,
      source: 'bootstrap({demo:true}) on a temporary SQLite file; opinions whose category staff confirmed (suggest.ts staffConfirmed), ordered by submitted_at, id',
    },
    demoOpinions: totalOpinions,
    demoCategorised: categorised,
    demoStaffConfirmed: samples.length,
    demo,
    syntheticSanityCheck: { note: 'templated generator texts, category words by construction: an upper bound, not the figure to quote', ...syn },
  };
  writeSection('classifier', result);
  return result;
}

runDirect(import.meta.url, runClassifier);
