// The proof of work off the page's thread: typing and scrolling stay smooth on slow phones while it
// runs. One challenge per worker; the page ends the worker when it no longer needs the answer.

import { solve, type Challenge } from './pow-solve.js';

const scope = self as unknown as { onmessage: ((e: MessageEvent<Challenge>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = (e) => {
  solve(e.data, () => false, 1000).then(
    (number) => scope.postMessage({ number }),
    (err: unknown) => scope.postMessage({ error: String(err) }),
  );
};
