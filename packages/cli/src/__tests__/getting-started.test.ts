import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectorySnapshotSchema, parseMembers, parseOrgConfig } from '@claude-idp/core';
import { demoTenant, snapshotFromTenant } from '@claude-idp/core/testing';
import { runBin, tmp } from './run-bin';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The commands of a fenced ```sh block under `heading` in the README. */
export function readmeBlock(heading: string): string[] {
  const at = README.indexOf(heading);
  expect(at, heading).toBeGreaterThan(-1);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(at))![1]!;
  return block.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
}

describe('getting started', () => {
  it('demo --save DIR writes the snapshot, config, members and a later snapshot that the README examples run on', async () => {
    const work = tmp();
    let cwd = work;
    const ran: string[] = [];
    for (const line of readmeBlock('### Try it offline')) {
      for (const part of line.split(' && ')) {
        const words = part.trim().split(/\s+/);
        if (words[0] === 'cd') {
          cwd = resolve(cwd, words[1]!);
          continue;
        }
        expect(words[0], part).toBe('claude-idp');
        const r = await runBin(words.slice(1), { cwd, timeoutMs: 60_000 });
        // 0, or 1 where the README says why (findings, plan guards): never a usage or read error.
        expect(r.stderr, part).toBe('');
        expect(r.code === 0 || r.code === 1, `${part}: exit ${r.code}`).toBe(true);
        ran.push(words[1]!);
        if (words[1] === 'diff') expect(r.stdout).toMatch(/^Drift .*\n(\s+[~+-] .*\n)+/);
        if (words[1] === 'explain') expect(r.stdout).toContain('javier.morales@northwind.example');
      }
    }
    expect(ran).toEqual(['demo', 'audit', 'plan', 'explain', 'diff']);
    // The saved files are what the demo used, in their contracts.
    const saved = join(work, 'demo-files');
    const snap = DirectorySnapshotSchema.parse(JSON.parse(readFileSync(join(saved, 'snapshot.json'), 'utf8')));
    const later = DirectorySnapshotSchema.parse(JSON.parse(readFileSync(join(saved, 'snapshot-later.json'), 'utf8')));
    expect(snap.users.length).toBe(snapshotFromTenant(demoTenant(), { idp: 'okta' }).users.length);
    expect(later.users.length).toBe(snap.users.length + 1);
    expect(
      parseOrgConfig(readFileSync(join(saved, 'claude-idp.config.yaml'), 'utf8'), 'config').organizations,
    ).toHaveLength(2);
    expect(parseMembers(readFileSync(join(saved, 'members.csv'), 'utf8'), 'members').length).toBeGreaterThan(5);
    expect(existsSync(join(saved, 'plan.json'))).toBe(true);
  }, 120_000);

  it('the claude-idp bin is a committed shim, so `npm ci` links it before the build; npx claude-idp --help works in the repo', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8'));
    expect(pkg.bin['claude-idp']).toBe('./bin/claude-idp.js');
    const tracked = spawnSync('git', ['ls-files', '--error-unmatch', 'packages/cli/bin/claude-idp.js'], { cwd: ROOT });
    expect(tracked.status).toBe(0);
    const link = join(ROOT, 'node_modules/.bin/claude-idp');
    expect(realpathSync(link)).toBe(realpathSync(realCliBin()));
    const npx = spawnSync('npx', ['--no-install', 'claude-idp', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(npx.status).toBe(0);
    expect(npx.stdout).toMatch(/^Usage: claude-idp/);
  });

  it('the shim says to build first when dist is missing, instead of a module-not-found stack', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'bin'));
    copyFileSync(realCliBin(), join(dir, 'bin/claude-idp.js'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const r = spawnSync(process.execPath, [join(dir, 'bin/claude-idp.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/not built yet: run `npm run build`/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('npm run demo says it is building before turbo runs', () => {
    // A stand-in turbo first on PATH: the script's own line must come before anything turbo prints.
    const stub = tmp();
    writeFileSync(join(stub, 'turbo'), '#!/bin/sh\necho "turbo-stand-in $*"\n');
    chmodSync(join(stub, 'turbo'), 0o755);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts/demo.mjs'), '--format', 'json', '--html', join(stub, 'r.html')],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${stub}:${process.env.PATH}`, NO_COLOR: '1' },
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Building claude-idp/);
    expect(lines[1]).toBe('turbo-stand-in run build --filter=@claude-idp/cli... --output-logs=errors-only');
    expect(JSON.parse(lines.slice(2).join('\n')).report.schemaVersion).toBe(1);
  });
});

function realCliBin(): string {
  return fileURLToPath(new URL('../../bin/claude-idp.js', import.meta.url));
}
