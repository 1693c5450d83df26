import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySnapshotSchema, PlanSchema, ReportSchema } from '@claude-idp/core';
import { demoConfig, type LoopbackServer } from '@claude-idp/core/testing';
import type { createOktaFake } from '@claude-idp/okta/testing';
import { startOktaDemoDir } from './okta-demo-dir';
import { runBin, tmp } from './run-bin';

const CANARY = 'SSWS-canary-00TzQ9xCANARYxTOKENx7Yq';

let server: LoopbackServer;
let fake: ReturnType<typeof createOktaFake>;
let dir: string;
let oktaEnv: Record<string, string>;

beforeAll(async () => {
  ({ server, fake, dir, env: oktaEnv } = await startOktaDemoDir(CANARY));
});
afterAll(() => server.close());

describe('claude-idp (the built binary)', () => {
  it('prints help with an example for every subcommand, exit 0', async () => {
    const top = await runBin(['--help']);
    expect(top.code).toBe(0);
    for (const sub of [
      'demo',
      'snapshot',
      'audit',
      'plan',
      'apply',
      'preflight',
      'runbook',
      'diff',
      'schema',
      'explain',
    ])
      expect(top.stdout).toContain(sub);
    for (const sub of [
      ['demo'],
      ['snapshot'],
      ['audit'],
      ['plan'],
      ['apply'],
      ['explain'],
      ['diff'],
      ['schema'],
      ['runbook', 'switch-idp'],
      ['preflight', 'enable-mappings'],
      ['preflight', 'require-sso'],
      ['preflight', 'merge'],
      ['preflight', 'switch-idp'],
    ]) {
      const r = await runBin([...sub, '--help']);
      expect(r.code, sub.join(' ')).toBe(0);
      expect(r.stdout, sub.join(' ')).toMatch(/Example/);
      expect(r.stdout, sub.join(' ')).toContain('$ claude-idp');
    }
  }, 60_000);

  it('an unknown flag is a usage error: exit 2, stderr only', async () => {
    const r = await runBin(['audit', '--snapshott', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown option '--snapshott'/);
  });

  it('snapshot --idp okta reads the live (fake) tenant from the environment and writes a valid snapshot', async () => {
    const r = await runBin(['snapshot', '--idp', 'okta', '--out', 'snap.json'], { env: oktaEnv, cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = DirectorySnapshotSchema.parse(JSON.parse(readFileSync(join(dir, 'snap.json'), 'utf8')));
    expect(snap.complete).toBe(true);
    expect(snap.idp).toBe('okta');
    expect(snap.users.length).toBeGreaterThan(20);
    expect(readFileSync(join(dir, 'snap.json'), 'utf8')).not.toContain(CANARY);
  });

  it('audit --format json prints a schema-valid Report on stdout and exits 1 on error findings (default --fail-on error)', async () => {
    await runBin(['snapshot', '--idp', 'okta', '--out', 'snap.json'], { env: oktaEnv, cwd: dir });
    const r = await runBin(['audit', '--snapshot', 'snap.json', '--members', 'members.json', '--format', 'json'], {
      cwd: dir,
    });
    expect(r.stderr).toBe('');
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(r.code).toBe(1);
    const codes = new Set(report.findings.map((f) => f.code));
    for (const c of [
      'EMAIL_SOURCE_MISMATCH',
      'GROUP_PREFIX',
      'OWNER_LOCKOUT',
      'USER_DOMAIN_UNVERIFIED',
      'STALE_MEMBER',
      'SEAT_SHORTFALL',
    ])
      expect(codes, c).toContain(c);
    const never = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'json', '--fail-on', 'never'], {
      cwd: dir,
    });
    expect(never.code).toBe(0);
  });

  it('renders markdown, junit and html; junit fails exactly the error findings', async () => {
    await runBin(['snapshot', '--idp', 'okta', '--out', 'snap.json'], { env: oktaEnv, cwd: dir });
    const json = JSON.parse(
      (await runBin(['audit', '--snapshot', 'snap.json', '--format', 'json'], { cwd: dir })).stdout,
    );
    const md = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'markdown'], { cwd: dir });
    expect(md.stdout).toMatch(/^## claude-idp audit/m);
    expect(md.stdout).toContain(`| ${json.summary.errors} | ${json.summary.warnings} | ${json.summary.infos} |`);
    const junit = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'junit'], { cwd: dir });
    expect(junit.stdout).toContain(`failures="${json.summary.errors}"`);
    expect((junit.stdout.match(/<failure /g) ?? []).length).toBe(json.summary.errors);
    const html = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'html', '--out', 'r.html'], {
      cwd: dir,
    });
    expect(html.stdout).toBe('');
    const page = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(page).toContain(`data-testid="count-errors">${json.summary.errors}<`);
    // Self-contained: one inline script (the filters), nothing loaded, and a policy that forbids loading anything.
    expect(page.match(/<script/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<link\b|\b(?:src|href)="(?!#)/i);
    expect(page).toContain(`content="default-src 'none';`);
  });

  it('text output has no colour codes when NO_COLOR is set', async () => {
    await runBin(['snapshot', '--idp', 'okta', '--out', 'snap.json'], { env: oktaEnv, cwd: dir });
    const r = await runBin(['audit', '--snapshot', 'snap.json'], { cwd: dir, env: { NO_COLOR: '1', FORCE_COLOR: '' } });
    expect(r.stdout).toContain('Summary:');
    expect(r.stdout).not.toContain('\u001b[');
    const coloured = await runBin(['audit', '--snapshot', 'snap.json'], {
      cwd: dir,
      env: { NO_COLOR: '', FORCE_COLOR: '1' },
    });
    expect(coloured.stdout).toContain('\u001b[31m');
  });

  it('plan writes a schema-valid plan and --detailed-exitcode reports pending changes with exit 1', async () => {
    await runBin(['snapshot', '--idp', 'okta', '--out', 'snap.json'], { env: oktaEnv, cwd: dir });
    const r = await runBin(
      [
        'plan',
        '--snapshot',
        'snap.json',
        '--members',
        'members.json',
        '--format',
        'json',
        '--out',
        'plan.json',
        '--detailed-exitcode',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const plan = PlanSchema.parse(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')));
    expect(plan.orgs.length).toBe(2);
    expect(plan.fingerprint).toMatch(/^sha256:/);
  });

  it('bad input is one clear line and exit 2: malformed YAML, missing file, wrong snapshot version, bad members CSV', async () => {
    const d = tmp();
    writeFileSync(join(d, 'bad.yaml'), 'parent:\n  idp: okta\n   verifiedDomains: [a.com\n');
    writeFileSync(join(d, 'snap.json'), JSON.stringify({ schemaVersion: 2, idp: 'okta' }));
    writeFileSync(join(d, 'members.csv'), 'email,role\nnot-an-email,user\n');
    writeFileSync(join(d, 'ok.yaml'), JSON.stringify(demoConfig('okta')));
    const yaml = await runBin(['audit', '--snapshot', 'snap.json', '--config', 'bad.yaml'], { cwd: d });
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/bad\.yaml: not valid YAML\/JSON at line \d+/);
    const missing = await runBin(['audit', '--snapshot', 'nope.json', '--config', 'ok.yaml'], { cwd: d });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json.*no such file/);
    const version = await runBin(['audit', '--snapshot', 'snap.json', '--config', 'ok.yaml'], { cwd: d });
    expect(version.code).toBe(2);
    expect(version.stderr).toMatch(/schemaVersion: expected 1/);
    const csv = await runBin(['plan', '--snapshot', 'snap.json', '--config', 'ok.yaml', '--members', 'members.csv'], {
      cwd: d,
    });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/members\.csv: \[row 2\]\.email: expected an email address/);
    for (const r of [yaml, missing, version, csv]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a live read that cannot complete exits 3 and names the problem; missing credentials exit 2; the token never shows', async () => {
    fake.kit.inject({ fault: { type: 'status', status: 500 }, times: Infinity });
    try {
      const r = await runBin(['snapshot', '--idp', 'okta'], { env: { ...oktaEnv }, cwd: dir, timeoutMs: 120_000 });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/500/);
      expect(r.stderr + r.stdout).not.toContain(CANARY);
    } finally {
      fake.kit.clearFaults();
    }
    fake.kit.inject({
      fault: {
        type: 'status',
        status: 403,
        body: {
          errorCode: 'E0000006',
          errorSummary: 'You do not have permission to perform the requested action',
          errorLink: 'E0000006',
          errorId: 'oae1',
          errorCauses: [],
        },
      },
      times: Infinity,
    });
    try {
      const r = await runBin(['snapshot', '--idp', 'okta'], { env: oktaEnv, cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/okta\.\w+\.read|grant/i);
      expect(r.stderr).not.toContain(CANARY);
    } finally {
      fake.kit.clearFaults();
    }
    const noEnv = await runBin(['snapshot', '--idp', 'okta'], { cwd: dir });
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toMatch(/OKTA_ORG_URL/);
  }, 150_000);

  it('finds claude-idp.config.yaml in the working directory', async () => {
    await runBin(['snapshot', '--idp', 'okta', '--out', 'snap.json'], { env: oktaEnv, cwd: dir });
    const r = await runBin(['audit', '--snapshot', 'snap.json', '--format', 'json', '--fail-on', 'never'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const empty = tmp();
    const none = await runBin(['audit', '--snapshot', join(dir, 'snap.json')], { cwd: empty });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/claude-idp\.config\.yaml/);
  });

  it('diff reports a renamed group as a change, and schema prints each JSON Schema', async () => {
    await runBin(['snapshot', '--idp', 'okta', '--out', 'a.json'], { env: oktaEnv, cwd: dir });
    fake.update((t) => {
      t.groups.find((g) => g.name === 'Claude Admins')!.name = 'anthropic-claudeai-468ca80f-admin';
    });
    try {
      await runBin(['snapshot', '--idp', 'okta', '--out', 'b.json'], { env: oktaEnv, cwd: dir });
    } finally {
      fake.update((t) => {
        t.groups.find((g) => g.name === 'anthropic-claudeai-468ca80f-admin')!.name = 'Claude Admins';
      });
    }
    const d = await runBin(['diff', 'a.json', 'b.json', '--format', 'json', '--exit-code'], { cwd: dir });
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('anthropic-claudeai-468ca80f-admin');
    for (const name of ['snapshot', 'config', 'members', 'report', 'plan']) {
      const s = await runBin(['schema', name]);
      expect(s.code).toBe(0);
      expect(JSON.parse(s.stdout).$schema).toMatch(/json-schema\.org/);
    }
    expect((await runBin(['schema', 'nope'])).code).toBe(2);
  }, 60_000);
});

describe('Ctrl-C', () => {
  it('aborts a live read cleanly through the AbortSignal: exit 130, one line, nothing written', async () => {
    fake.kit.inject({ fault: { type: 'hang' }, times: Infinity });
    try {
      const started = Date.now();
      const r = await runBin(['snapshot', '--idp', 'okta', '--out', 'interrupted.json'], {
        env: oktaEnv,
        cwd: dir,
        // Once the read has started (the fake saw a request), so a slow start cannot beat the handler.
        onSpawn: (child) => {
          const before = fake.kit.requests.length;
          const poll = setInterval(() => {
            if (fake.kit.requests.length > before) {
              clearInterval(poll);
              setTimeout(() => child.kill('SIGINT'), 300);
            }
          }, 50);
          child.on('exit', () => clearInterval(poll));
        },
      });
      expect(r.code).toBe(130);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/abort|interrupt/i);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(() => readFileSync(join(dir, 'interrupted.json'))).toThrow();
    } finally {
      fake.kit.clearFaults();
    }
  }, 30_000);
});
