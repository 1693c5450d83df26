import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tmp } from './run-bin';

// The packages as a user gets them: `npm pack` tarballs installed into fresh projects (ESM, CJS,
// TypeScript with moduleResolution node10). Installs come from the npm cache the repository's own
// `npm ci` filled (--prefer-offline), so this needs no network except for the vitest 2 check.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGES = ['core', 'okta', 'entra', 'google', 'onelogin', 'anthropic', 'cli'];
let packs: string;
const tarball = (name: string) => join(packs, readdirSync(packs).find((f) => f.startsWith(`claude-idp-${name}-`))!);

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    timeout: 300_000,
  });
}

function project(type: 'module' | 'commonjs', deps: string[]): string {
  const dir = tmp();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh', version: '1.0.0', private: true, type }));
  const r = sh('npm', ['install', '--prefer-offline', '--no-package-lock', ...deps], dir);
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

const packed = (name: string, file: string) =>
  execFileSync('tar', ['-xOzf', tarball(name), `package/${file}`], { encoding: 'utf8' });

beforeAll(() => {
  packs = tmp();
  for (const name of PACKAGES) {
    const r = sh('npm', ['pack', '--silent', '--pack-destination', packs], join(ROOT, 'packages', name));
    expect(r.status, r.stderr).toBe(0);
  }
}, 120_000);

describe('packed tarballs', () => {
  it('every tarball has the MIT LICENSE, and its README links work on the registry page (absolute URLs)', () => {
    for (const name of PACKAGES) {
      const files = execFileSync('tar', ['-tzf', tarball(name)], { encoding: 'utf8' }).split('\n');
      expect(files, name).toContain('package/LICENSE');
      expect(packed(name, 'LICENSE'), name).toMatch(/^MIT License\n\nCopyright \(c\) 2026 claude-idp contributors\n/);
      const readme = packed(name, 'README.md');
      for (const [, target] of readme.matchAll(/\]\(([^)]+)\)/g))
        expect(target, `${name} README link`).toMatch(/^(https:\/\/|#)/);
    }
    expect(packed('okta', 'README.md')).not.toMatch(/\bloadConfig\b/);
    expect(packed('core', 'README.md')).toMatch(/isInstance/);
  });

  it('vitest is an optional peer only of core (for /conformance), with a range vitest 2 users can install', () => {
    for (const name of PACKAGES) {
      const pkg = JSON.parse(packed(name, 'package.json'));
      if (name === 'core') {
        expect(pkg.peerDependencies.vitest).toBe('>=1.0.0');
        expect(pkg.peerDependenciesMeta.vitest.optional).toBe(true);
      } else expect(pkg.peerDependencies?.vitest, name).toBeUndefined();
    }
    // npm resolves the tree (no download): a vitest 2 project adding an adapter and core is no ERESOLVE.
    const dir = tmp();
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'v2', version: '1.0.0', private: true, devDependencies: { vitest: '^2.1.9' } }),
    );
    const r = sh('npm', ['install', '--package-lock-only', '--prefer-offline', tarball('core'), tarball('okta')], dir);
    expect(r.stderr).not.toMatch(/ERESOLVE/);
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);

  it('@claude-idp/core and its /testing subpath type-check under TypeScript moduleResolution node10 (typesVersions)', () => {
    const dir = project('commonjs', [
      tarball('core'),
      'msw@2',
      `typescript@${JSON.parse(readFileSync(join(ROOT, 'node_modules/typescript/package.json'), 'utf8')).version}`,
    ]);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'commonjs',
          moduleResolution: 'node10',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['index.ts'],
      }),
    );
    writeFileSync(
      join(dir, 'index.ts'),
      "import { loadOrgConfig, InputError } from '@claude-idp/core';\nimport { demoTenant, type GenericTenant } from '@claude-idp/core/testing';\nconst t: GenericTenant = demoTenant();\nexport const n: number = t.users.length;\nexport const f: typeof loadOrgConfig = loadOrgConfig;\nexport const ok: boolean = InputError.isInstance(null);\n",
    );
    const tsc = sh(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], dir);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 300_000);

  it('the CLI installs without msw (ESM and CJS importers work); demo says how to get msw, and runs once it is there', () => {
    const cli = JSON.parse(packed('cli', 'package.json'));
    expect(cli.dependencies.msw).toBeUndefined();
    expect(cli.peerDependenciesMeta.msw.optional).toBe(true);
    const dir = project('module', PACKAGES.map(tarball));
    expect(readdirSync(join(dir, 'node_modules'))).not.toContain('msw');
    const help = sh(join(dir, 'node_modules/.bin/claude-idp'), ['--help'], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: claude-idp/);
    const demo = sh(join(dir, 'node_modules/.bin/claude-idp'), ['demo'], dir);
    expect(demo.status).toBe(2);
    expect(demo.stderr).toMatch(/msw, which is not installed.*\n.*npm install --save-dev msw/);
    expect(demo.stderr).not.toMatch(/\n\s+at /);
    // ESM and CJS importers of the library.
    const esm = sh(
      'node',
      [
        '--input-type=module',
        '-e',
        "import { run } from '@claude-idp/cli'; import { InputError } from '@claude-idp/core'; console.log(typeof run, typeof InputError.isInstance)",
      ],
      dir,
    );
    expect(esm.stdout.trim(), esm.stderr).toBe('function function');
    mkdirSync(join(dir, 'cjs'));
    writeFileSync(join(dir, 'cjs/package.json'), '{"type":"commonjs"}');
    writeFileSync(
      join(dir, 'cjs/index.js'),
      "const { run } = require('@claude-idp/cli'); const { loadOrgConfig } = require('@claude-idp/core'); console.log(typeof run, typeof loadOrgConfig);\n",
    );
    const cjs = sh('node', ['cjs/index.js'], dir);
    expect(cjs.stdout.trim(), cjs.stderr).toBe('function function');
    // With msw beside it, the demo runs.
    expect(
      sh('npm', ['install', '--prefer-offline', '--no-package-lock', 'msw@2', ...PACKAGES.map(tarball)], dir).status,
    ).toBe(0);
    const withMsw = sh(join(dir, 'node_modules/.bin/claude-idp'), ['demo', '--format', 'json'], dir);
    expect(withMsw.stderr).toBe('');
    expect(withMsw.status).toBe(0);
    expect(JSON.parse(withMsw.stdout).report.schemaVersion).toBe(1);
  }, 600_000);
});
