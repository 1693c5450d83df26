import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  sourcemap: false,
  splitting: false,
  treeshake: true,
  // Never bundled: core, the vendor SDKs, and the test tools (optional peers of ./testing).
  external: ['@claude-idp/core', '@claude-idp/core/testing', '@claude-idp/core/conformance', '@microsoft/microsoft-graph-client', '@azure/identity', 'msw', 'msw/node', 'vitest'],
});
