import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: keep worker count small so suites that spawn the CLI do not starve each other.
    maxWorkers: 2,
  },
});
