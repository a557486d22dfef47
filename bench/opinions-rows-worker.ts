// Worker thread for bench/opinions-rows.ts: generates the batches it is asked for (jieba tokens and
// SimHash are the expensive part) while the main thread inserts the previous ones.
import { parentPort, workerData } from 'node:worker_threads';
import { generateBatch, type Sealed } from './opinions-rows.js';

const { n, sealed } = workerData as { n: number; sealed: Sealed };
parentPort!.on('message', (b: number) => {
  parentPort!.postMessage({ b, rows: generateBatch(b, n, sealed) });
});
