import { defineConfig } from 'vitest/config';

// In CI, .ci/run asks for a JSON copy of the results so it can print a plain closing line.
const resultsFile = process.env.CHATMILL_TEST_RESULTS;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: keep worker count small so suites that spawn the CLI do not starve each other.
    maxWorkers: 2,
    reporters: resultsFile ? ['default', 'json'] : ['default'],
    ...(resultsFile ? { outputFile: { json: resultsFile } } : {}),
  },
});
