import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    // The JSON results feed the one-line total that .ci/run prints (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
