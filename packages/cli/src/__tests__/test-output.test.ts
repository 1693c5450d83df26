import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tmp } from './run-bin';

// `npm test` output: no Vite config-loader warnings, console output only from failing tests, and
// one total line at the end (scripts/test-summary.mjs, run by the root `test` script itself).
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const run = (args: string[], cwd: string) =>
  spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 120_000,
  });

describe('npm test output', () => {
  it('no package config triggers Vite\'s "configLoader native" warning', () => {
    for (const name of readdirSync(join(ROOT, 'packages'))) {
      const r = run([VITEST, 'list', '--filesOnly'], join(ROOT, 'packages', name));
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr, name).not.toMatch(/configLoader/);
    }
  }, 120_000);

  it('console output (msw exception dumps) shows for failing tests only', () => {
    const r = run(
      [VITEST, 'run', '--config', fileURLToPath(new URL('./fixtures/quiet/vitest.config.ts', import.meta.url))],
      ROOT,
    );
    const out = r.stdout + r.stderr;
    expect(r.status).toBe(1);
    expect(out).toMatch(/1 failed \| 1 passed/);
    expect(out).toContain('(failing test)');
    expect(out).not.toContain('(passing test)');
  }, 120_000);

  it('the root test script ends with one total line; .ci/run does not print it twice', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBe('node scripts/test-summary.mjs --run');
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).not.toMatch(/node scripts\/test-summary/);
    const dir = tmp();
    mkdirSync(join(dir, 'scripts'));
    cpSync(join(ROOT, 'scripts/test-summary.mjs'), join(dir, 'scripts/test-summary.mjs'));
    for (const [name, passed, failed] of [
      ['a', 3, 0],
      ['b', 2, 1],
    ] as const) {
      mkdirSync(join(dir, 'packages', name), { recursive: true });
      writeFileSync(
        join(dir, 'packages', name, '.vitest-results.json'),
        JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0, numTodoTests: 0 }),
      );
    }
    const r = run(['scripts/test-summary.mjs'], dir);
    expect(r.stdout.trim().split('\n').pop()).toBe('tests: 5 passed, 1 failed, 0 skipped');
    expect(r.status).toBe(1);
  });
});
