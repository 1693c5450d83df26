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
  // Peers and the SDK stay imports: msw/vitest are optional peers of /testing only.
  external: ['msw', 'msw/node', 'vitest', '@claude-idp/core', '@claude-idp/core/testing', '@claude-idp/core/conformance', '@okta/okta-sdk-nodejs'],
});
