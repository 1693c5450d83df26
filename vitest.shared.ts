import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const core = (p: string) => fileURLToPath(new URL(`./packages/core/src/${p}`, import.meta.url));

/**
 * The test set-up every package shares: tests beside the source, core imported from its source
 * (so a change in core is tested without rebuilding it), and JSON results for the one-line total
 * that `npm test` ends with (scripts/test-summary.mjs).
 */
export const packageTests = defineConfig({
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
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    // Console output (msw's logs of faults a test injects on purpose, progress lines) only from
    // failing tests, where it helps; passing tests stay quiet.
    silent: 'passed-only',
  },
});
