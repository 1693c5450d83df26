import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against core's source, so a change in core is tested without rebuilding it first.
const core = (p: string) => fileURLToPath(new URL(`../core/src/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@claude-idp\/core\/conformance$/, replacement: core('conformance/index.ts') },
      { find: /^@claude-idp\/core\/testing$/, replacement: core('testing/index.ts') },
      { find: /^@claude-idp\/core$/, replacement: core('index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    // The JSON results feed the one-line total that .ci/run prints (scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
