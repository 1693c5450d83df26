import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '@claude-idp/core';
import { demoConfig, demoMembers, demoTenant, snapshotFromTenant } from '@claude-idp/core/testing';
import { BIN, tmp } from './run-bin';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ENTRY = join(ROOT, 'action', 'entry.mjs');

function runEntry(
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', INPUT_CLI: BIN, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const outputs = (file: string) =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

let dir: string;
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`build the CLI first: ${BIN} is missing (npm run build)`);
  dir = tmp();
  writeFileSync(join(dir, 'claude-idp.config.json'), JSON.stringify(demoConfig('okta')));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
  writeFileSync(
    join(dir, 'snap.json'),
    JSON.stringify(snapshotFromTenant(demoTenant(), { idp: 'okta', capturedAt: '2026-11-20T01:00:00.000Z' })),
  );
});

describe('the GitHub Action (action.yml + action/entry.mjs)', () => {
  it('passes every input to the entry script', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { steps: { env?: Record<string, string> }[] };
    };
    const env = action.runs.steps.find((s) => s.env)!.env!;
    for (const name of Object.keys(action.inputs).filter((n) => n !== 'node-version')) {
      expect(env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], name).toBe(`\${{ inputs.${name} }}`);
    }
    const script = readFileSync(ENTRY, 'utf8');
    for (const used of script.matchAll(/get\('([a-z-]+)'\)/g))
      expect(Object.keys(action.inputs), used[1]).toContain(used[1]);
  });

  it('the example workflows in docs/workflows give the Action only inputs it has', () => {
    const inputs = Object.keys(
      (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
    );
    const dirPath = join(ROOT, 'docs', 'workflows');
    const files = readdirSync(dirPath).filter((f) => f.endsWith('.yml'));
    expect(files.sort()).toEqual(['config-pull-request.yml', 'many-tenants.yml', 'nightly-audit.yml']);
    let uses = 0;
    for (const file of files) {
      const wf = parse(readFileSync(join(dirPath, file), 'utf8')) as {
        jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
      };
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith('claude-idp/claude-idp@'))) {
          uses++;
          for (const key of Object.keys(step.with ?? {})) expect(inputs, `${file}: ${key}`).toContain(key);
        }
      }
    }
    expect(uses).toBe(3);
  });

  it('writes the step summary, one ::error annotation per error finding, and the outputs; exits like the CLI', async () => {
    const summary = join(dir, 'summary.md');
    const out = join(dir, 'github-output');
    writeFileSync(summary, '');
    writeFileSync(out, '');
    const env = {
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: out,
      RUNNER_TEMP: dir,
      INPUT_SNAPSHOT: 'snap.json',
      INPUT_CONFIG: './claude-idp.config.json',
      INPUT_MEMBERS: 'members.json',
      INPUT_STATE: 'state',
    };
    const first = await runEntry(env, dir);
    expect(first.code).toBe(1);
    const report = ReportSchema.parse(JSON.parse(readFileSync(join(dir, 'claude-idp', 'report.json'), 'utf8')));
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    const annotations = first.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(errors.length);
    expect(annotations[0]).toMatch(
      new RegExp(`^::error file=claude-idp\\.config\\.json,title=${errors[0]!.code} \\(${errors[0]!.rule}\\)`),
    );
    expect(
      annotations.every((a) => !/[\n\r]/.test(a) && a.includes('%0AFix%3A') === false && a.includes('%0AFix: ')),
    ).toBe(true);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^## claude-idp audit/m);
    expect(md).toContain(`| ${report.summary.errors} | ${report.summary.warnings} | ${report.summary.infos} |`);
    expect(md).toContain('### Since the last run');
    const o = outputs(out);
    expect(o).toEqual({
      errors: String(report.summary.errors),
      warnings: String(report.summary.warnings),
      'new-findings': String(report.findings.length),
      'plan-changes': '',
      'report-path': join(dir, 'claude-idp', 'report.html'),
      'report-dir': join(dir, 'claude-idp'),
      'exit-code': '1',
    });
    expect(readFileSync(o['report-path']!, 'utf8')).toMatch(/^<!doctype html>/);

    // The next night, nothing changed: with fail-on-new, known findings pass and nothing is new.
    writeFileSync(out, '');
    const second = await runEntry({ ...env, INPUT_FAIL_ON_NEW: 'error' }, dir);
    expect(second.code).toBe(0);
    expect(outputs(out)['new-findings']).toBe('0');
    expect(outputs(out)['exit-code']).toBe('0');
  }, 60_000);

  it("cuts a step summary over GitHub's 1 MiB limit and annotates at most 50 error findings", async () => {
    // A stand-in CLI that writes what a very large tenant's run would: a 2 MB summary and 70 errors.
    const stub = join(dir, 'stub-cli.mjs');
    writeFileSync(
      stub,
      `import { writeFileSync } from 'node:fs';
const dir = process.argv[process.argv.indexOf('--report-dir') + 1];
const findings = Array.from({ length: 70 }, (_, i) => ({ code: 'OWNER_LOCKOUT', severity: 'error', rule: 'R-G6', subject: { kind: 'org' }, message: 'm' + i, fix: 'f' }));
writeFileSync(dir + '/report.json', JSON.stringify({ findings, summary: { errors: 70, warnings: 0, infos: 0 } }));
writeFileSync(dir + '/summary.md', '## claude-idp audit\\n' + 'é'.repeat(1024 * 1024));
process.exitCode = 1;`,
    );
    const summary = join(dir, 'big-summary.md');
    writeFileSync(summary, '');
    const r = await runEntry(
      {
        INPUT_CLI: stub,
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: dir,
        INPUT_SNAPSHOT: 'snap.json',
        INPUT_REPORT_DIR: 'big',
      },
      dir,
    );
    expect(r.code).toBe(1);
    const written = readFileSync(summary);
    expect(written.length).toBeLessThan(1024 * 1024);
    expect(written.toString('utf8')).toMatch(/…cut at 1 MiB: the whole report is in .*summary\.md and report\.html\n/);
    expect(written.toString('utf8')).not.toContain('\uFFFD');
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(51);
    expect(annotations[50]).toBe(
      '::error title=claude-idp::20 more error findings: see the step summary and the HTML report',
    );
  }, 60_000);

  it('plan: counts the plan changes; bad inputs are one ::error line and exit 2', async () => {
    const out = join(dir, 'plan-output');
    writeFileSync(out, '');
    const r = await runEntry(
      {
        GITHUB_OUTPUT: out,
        RUNNER_TEMP: dir,
        INPUT_COMMAND: 'plan',
        INPUT_SNAPSHOT: 'snap.json',
        INPUT_MEMBERS: 'members.json',
        INPUT_REPORT_DIR: 'plan-out',
      },
      dir,
    );
    const plan = JSON.parse(readFileSync(join(dir, 'plan-out', 'plan.json'), 'utf8')) as {
      orgs: { actions: { action: string }[] }[];
      guards: unknown[];
    };
    // A plan with guards (apply would refuse it) fails the step, as its JUnit fails the guards.
    expect(r.code).toBe(plan.guards.length > 0 ? 1 : 0);
    const changes = plan.orgs.flatMap((o) => o.actions).filter((a) => a.action !== 'none').length;
    expect(changes).toBeGreaterThan(0);
    expect(outputs(out)['plan-changes']).toBe(String(changes));
    const bad = await runEntry({ RUNNER_TEMP: dir, INPUT_SNAPSHOT: 'snap.json', INPUT_IDP: 'okta' }, dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('::error title=claude-idp::give the input "snapshot" or "idp", not both\n');
  }, 60_000);
});
