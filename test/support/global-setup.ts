// Runs once before the suite. Nothing to build for API tests (vitest runs the TypeScript);
// browser tests build the web app themselves through scripts/ensure-build.mjs.
export default async function setup() {
  process.env.TZ = process.env.TZ ?? 'UTC';
}
