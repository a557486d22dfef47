// The 开门纳谏 benchmarks in one go (`BENCH_ONLY=opinions npm run bench`, or
// `node --import tsx bench/opinions.ts`): page weight, classifier accuracy, submission throughput,
// full-text search on BENCH_OPINIONS generated opinions. BENCH_OPINIONS_PARTS picks some of them
// (e.g. "weight,classifier"). Every figure goes to bench/results/opinions-latest.json. A failing
// part is reported and the others still run. See bench/README.md.
import fs from 'node:fs';
import { OPINION_RESULTS, cleanupAll, isMain, loadAvgText, log, writeSection } from './lib.js';
import { runWeight } from './opinions-weight.js';
import { runClassifier } from './opinions-classifier.js';
import { runSubmit } from './opinions-submit.js';
import { runSearch } from './opinions-search.js';

const PARTS: Record<string, () => Promise<unknown>> = {
  weight: runWeight,
  classifier: runClassifier,
  submit: runSubmit,
  search: runSearch,
};

export async function runOpinions(): Promise<boolean> {
  const wanted = (process.env.BENCH_OPINIONS_PARTS || Object.keys(PARTS).join(','))
    .split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((p) => !(p in PARTS));
  if (unknown.length) throw new Error(`BENCH_OPINIONS_PARTS: unknown part(s) ${unknown.join(', ')}; known: ${Object.keys(PARTS).join(', ')}`);
  // A full run starts a fresh results file; a partial one updates its sections only.
  if (wanted.length === Object.keys(PARTS).length) fs.rmSync(OPINION_RESULTS, { force: true });
  const started = performance.now();
  log(`opinions bench: ${wanted.join(', ')}; load average ${loadAvgText()}`);
  const failed: string[] = [];
  for (const part of wanted) {
    const t0 = performance.now();
    try {
      await PARTS[part]!();
    } catch (err) {
      failed.push(part);
      log(`opinions bench: ${part} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      writeSection(part, { error: err instanceof Error ? err.message : String(err) });
    } finally {
      await cleanupAll();
    }
    log(`opinions bench: ${part} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const total = (performance.now() - started) / 1000;
  process.stdout.write(`\nopinions bench: ${wanted.length - failed.length}/${wanted.length} parts in ${total.toFixed(0)} s` +
    `${failed.length ? ` (failed: ${failed.join(', ')})` : ''}; load average now ${loadAvgText()}; written to bench/results/opinions-latest.json\n`);
  return failed.length === 0;
}

if (isMain(import.meta.url)) {
  runOpinions().then(
    (ok) => {
      if (!ok) process.exitCode = 1;
    },
    async (err) => {
      log(`opinions bench failed: ${err instanceof Error ? err.message : String(err)}`);
      await cleanupAll();
      process.exitCode = 1;
    },
  );
}
