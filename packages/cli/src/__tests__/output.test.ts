import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, demoMembers, demoTenant, snapshotFromTenant } from '@claude-idp/core/testing';
import { runBin, tmp } from './run-bin';

let dir: string;

beforeAll(() => {
  dir = tmp();
  const snap = snapshotFromTenant(demoTenant());
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(snap));
  const later = structuredClone(snap);
  later.groups.find((g) => g.name === 'Claude Admins')!.name = 'Claude Administrators';
  writeFileSync(join(dir, 'later.json'), JSON.stringify(later));
  writeFileSync(join(dir, 'claude-idp.config.yaml'), JSON.stringify(demoConfig('okta'), null, 2));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
});

describe('diff text and --format', () => {
  it('diff prints one line per change in text mode, not JSON', async () => {
    const r = await runBin(['diff', 'snap.json', 'later.json', '--exit-code'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Drift .* 1 change\(s\)\n/);
    expect(r.stdout).toMatch(/~ group \[[^\]]+\] renamed "Claude Admins" → "Claude Administrators"/);
    expect(r.stdout).not.toContain('{');
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('--format xml is a usage error on every subcommand that takes --format', async () => {
    const commands = [
      ['audit', '--snapshot', 'snap.json'],
      ['plan', '--snapshot', 'snap.json', '--members', 'members.json'],
      ['explain', '--snapshot', 'snap.json', '--email', 'a@b.co'],
      ['diff', 'snap.json', 'later.json'],
      ['apply', 'plan.json', '--target', 'anthropic-admin'],
      ['demo'],
      ['runbook', 'switch-idp', '--to', 'entra'],
      ['preflight', 'require-sso', '--snapshot', 'snap.json', '--domain-members', 'd.csv'],
      ['preflight', 'switch-idp', '--from', 'snap.json', '--to', 'later.json'],
    ];
    for (const args of commands) {
      const r = await runBin([...args, '--format', 'xml'], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/option '--format <format>' argument 'xml' is invalid/);
      expect(r.stdout, args.join(' ')).toBe('');
    }
  }, 60_000);
});

describe('JUnit agrees with the exit code', () => {
  const count = (xml: string, re: RegExp) => (xml.match(re) ?? []).length;
  it('audit --fail-on warning fails the warnings too', async () => {
    const json = JSON.parse(
      (await runBin(['audit', '--snapshot', 'snap.json', '--format', 'json', '--fail-on', 'never'], { cwd: dir }))
        .stdout,
    );
    expect(json.summary.warnings).toBeGreaterThan(0);
    const r = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'junit', '--fail-on', 'warning'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const failing = json.summary.errors + json.summary.warnings;
    expect(r.stdout).toContain(`<testsuites name="claude-idp" tests="${json.findings.length}" failures="${failing}">`);
    expect(count(r.stdout, /<failure /g)).toBe(failing);
    const never = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'junit', '--fail-on', 'never'], {
      cwd: dir,
    });
    expect(never.code).toBe(0);
    expect(never.stdout).toContain('failures="0"');
  });

  it('plan: each guard is a failed case, and the plan exits 1', async () => {
    const json = JSON.parse(
      (await runBin(['plan', '--snapshot', 'snap.json', '--members', 'members.json', '--format', 'json'], { cwd: dir }))
        .stdout,
    );
    expect(json.guards.length).toBeGreaterThan(0);
    const r = await runBin(['plan', '--snapshot', 'snap.json', '--members', 'members.json', '--format', 'junit'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`failures="${json.guards.length}"`);
    for (const g of json.guards) expect(r.stdout).toContain(`name="guard ${g.code}"`);
    expect(count(r.stdout, /<failure /g)).toBe(json.guards.length);
  });
});

describe('--now and SOURCE_DATE_EPOCH: same inputs, byte-identical JSON', () => {
  const runs: [string, string[]][] = [
    [
      'audit',
      ['audit', '--snapshot', 'snap.json', '--members', 'members.json', '--format', 'json', '--fail-on', 'never'],
    ],
    ['plan', ['plan', '--snapshot', 'snap.json', '--members', 'members.json', '--format', 'json']],
    ['preflight', ['preflight', 'switch-idp', '--from', 'snap.json', '--to', 'later.json', '--format', 'junit']],
    ['demo', ['demo', '--format', 'json', '--html', 'r.html']],
  ];
  for (const [name, args] of runs) {
    it(name, async () => {
      const a = await runBin([...args, '--now', '2026-12-01T09:00:00Z'], { cwd: dir });
      await new Promise((r) => setTimeout(r, 20));
      const b = await runBin([...args, '--now', '2026-12-01T09:00:00Z'], { cwd: dir });
      expect(a.stderr).toBe('');
      expect(a.stdout.length).toBeGreaterThan(100);
      expect(b.stdout).toBe(a.stdout);
      expect(a.stdout).toContain('2026-12-01T09:00:00.000Z');
      const e1 = await runBin(args, { cwd: dir, env: { SOURCE_DATE_EPOCH: '1764579600' } });
      const e2 = await runBin(args, { cwd: dir, env: { SOURCE_DATE_EPOCH: '1764579600' } });
      expect(e2.stdout).toBe(e1.stdout);
      expect(e1.stdout).toContain(new Date(1764579600 * 1000).toISOString());
    }, 150_000);
  }
  it('a bad --now is a usage error', async () => {
    const r = await runBin(['audit', '--snapshot', 'snap.json', '--now', 'yesterday'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--now takes an ISO 8601 date-time/);
  });
});

describe('a closed stdout', () => {
  it('`demo | head -1` ends quietly with exit 0', async () => {
    const r = await runBin(['demo', '--html', join(tmp(), 'r.html')], {
      cwd: dir,
      env: { FORCE_COLOR: '0' },
      onSpawn: (child) => child.stdout!.once('data', () => child.stdout!.destroy()),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('a live read that retries is never silent', () => {
  it('prints one line per retry on stderr (not a terminal), nothing on stdout', async () => {
    // A loopback port nobody listens on: every connection is refused.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const started = Date.now();
    const r = await runBin(['snapshot', '--idp', 'okta', '--app', 'Claude'], {
      cwd: dir,
      env: { OKTA_ORG_URL: `http://127.0.0.1:${port}`, OKTA_API_TOKEN: 'x' },
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const retries = r.stderr.split('\n').filter((l) => /^retrying .*: waiting \d/.test(l));
    expect(retries.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 130_000);
});
