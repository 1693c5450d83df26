import { defineConfig } from 'tsup';

const external = [/^@claude-idp\//, 'msw', 'msw/node', 'commander', 'playwright-core'];

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    external,
  },
  {
    // The executable: ESM only, with its shebang (tsup marks it executable).
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    external,
  },
]);
