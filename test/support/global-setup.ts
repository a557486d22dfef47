import crypto from 'node:crypto';

// Runs once before the suite. Nothing to build for API tests (vitest runs the TypeScript);
// browser tests build the web app themselves through scripts/ensure-build.mjs.
// The run's id names the seeded templates every worker copies its databases from (support/db.ts).
export default async function setup() {
  process.env.TZ = process.env.TZ ?? 'UTC';
  const run = `${Math.floor(Date.now() / 1000).toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  process.env.RECTIFY_TEST_RUN = run;
  return async () => {
    const { dropTemplates } = await import('./db.js');
    await dropTemplates(run);
  };
}
