import { defineConfig } from 'vitest/config';

// Integration tests talk to a real Postgres and Redis; each file gets its own
// database and queue prefix (test/support), so files can run side by side.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests need current pages: built once, before any test file runs.
    globalSetup: ['test/support/build-pages.ts'],
    pool: 'forks',
    // This machine has 2 cores; more workers only make Postgres and Redis wait.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
