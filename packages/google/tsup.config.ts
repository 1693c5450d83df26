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
  // Test tooling, core and the vendor SDK stay imports (peer / regular dependencies), never bundled.
  external: ['msw', 'msw/node', 'vitest', '@claude-idp/core', '@claude-idp/core/testing', '@claude-idp/core/conformance', '@googleapis/admin', 'zod', 'yaml'],
});
