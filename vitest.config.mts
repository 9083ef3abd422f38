import { defineConfig } from 'vitest/config';

/**
 * One run for unit, integration and end-to-end tests. The global setup finds Redis and
 * PostgreSQL once; end-to-end files each start three node processes, so at most two files
 * run at a time (CI machines and laptops alike often have two cores).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
