import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM + CJS with per-format type files (`.d.ts` / `.d.cts`), for
 * Node 20. Dependencies and peers stay imports — the vendor SDKs, core (and its subpaths), and the
 * optional test peers msw / vitest of the `/testing` entries — so each package ships only its code.
 */
export function packageBuild(entry: Record<string, string>, options: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    sourcemap: false,
    splitting: false,
    treeshake: true,
    external: [
      /^@claude-idp\//,
      /^msw(\/|$)/,
      'vitest',
      /^@okta\//,
      /^@microsoft\//,
      /^@azure\//,
      /^@googleapis\//,
      'zod',
      'yaml',
      'csv-parse',
      /^csv-parse\//,
      'commander',
      'playwright-core',
    ],
    ...options,
  });
}
