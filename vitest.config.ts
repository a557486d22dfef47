import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores: two files at a time; each file owns its own database.
    maxWorkers: 2,
    testTimeout: 60_000,
    // One rerun of a failed test. Browser walks under CI load have lost a first choice in a form that
    // had just opened (a select's option, a radio: a different walk in each of the last clean-clone
    // runs; the walks' helpers warn on every lost try, so it stays visible in the log). The cause is
    // still being looked for (see the closing note of stop 19); a test that fails twice fails.
    retry: 1,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
