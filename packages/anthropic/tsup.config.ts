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
  // msw and vitest are optional peers; core is a dependency and must not be bundled (its error
  // brands and secret registry must be the caller's copy).
  external: ['msw', 'msw/node', 'vitest', '@claude-idp/core', '@claude-idp/core/testing'],
});
