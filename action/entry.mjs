#!/usr/bin/env node
// Entry script of the claude-idp GitHub Action (action.yml). Runs `claude-idp audit` (or `plan`)
// once, then turns what it wrote into GitHub's formats: the Markdown summary
// ($GITHUB_STEP_SUMMARY), one `::error` annotation per error finding, and step outputs
// ($GITHUB_OUTPUT). Exits with the CLI's exit code. No dependencies beyond Node.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** GitHub's limit for one step summary. */
const SUMMARY_LIMIT = 1024 * 1024 - 4096;
/** GitHub shows only the first few annotations of a step; past this many, one line says how many more. */
const ANNOTATION_LIMIT = 50;

const input = (name) => (process.env[`INPUT_${name.toUpperCase().replace(/[- ]/g, '_')}`] ?? '').trim();

/** https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts: escaping of workflow command data and properties. */
const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function cliArgs(env = process.env) {
  const get = (n) => (env[`INPUT_${n.toUpperCase().replace(/[- ]/g, '_')}`] ?? '').trim();
  const command = get('command') || 'audit';
  if (command !== 'audit' && command !== 'plan')
    throw new Error(`input "command" must be audit or plan (got "${command}")`);
  const args = [command];
  const flag = (name, value) => value && args.push(`--${name}`, value);
  if (get('snapshot') && get('idp')) throw new Error('give the input "snapshot" or "idp", not both');
  if (!get('snapshot') && !get('idp'))
    throw new Error('give the input "snapshot" (a saved snapshot) or "idp" (a live read; credentials through env)');
  flag('snapshot', get('snapshot'));
  flag('idp', get('idp'));
  flag('app', get('app'));
  flag('config', get('config'));
  flag('members', get('members'));
  if (command === 'audit') {
    flag('fail-on', get('fail-on'));
    flag('fail-on-new', get('fail-on-new'));
    flag('actor', get('actor'));
  }
  flag('state', get('state'));
  flag('keep', get('keep'));
  for (const url of get('notify')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean))
    args.push('--notify', url);
  const reportDir = resolve(get('report-dir') || join(env.RUNNER_TEMP || tmpdir(), 'claude-idp'));
  args.push('--report-dir', reportDir, '--quiet');
  return { command, args, reportDir };
}

function cli(env = process.env) {
  const local = (env.INPUT_CLI ?? '').trim();
  if (local) return { cmd: process.execPath, pre: [resolve(local)] };
  const version = (env.INPUT_VERSION ?? '').trim() || 'latest';
  return { cmd: 'npx', pre: ['--yes', `@claude-idp/cli@${version}`] };
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

function main() {
  let plan;
  try {
    plan = cliArgs();
  } catch (error) {
    process.stdout.write(`::error title=claude-idp::${escapeData(error.message)}\n`);
    return 2;
  }
  const { command, args, reportDir } = plan;
  mkdirSync(reportDir, { recursive: true });
  const { cmd, pre } = cli();
  const run = spawnSync(cmd, [...pre, ...args], { stdio: 'inherit', env: process.env, cwd: process.cwd() });
  const code = run.status ?? (run.error ? 70 : 1);

  const report = readJson(join(reportDir, 'report.json'));
  const result = readJson(join(reportDir, 'plan.json'));
  const changes = readJson(join(reportDir, 'changes.json'));
  const htmlPath = join(reportDir, 'report.html');
  const summaryPath = join(reportDir, 'summary.md');

  if (process.env.GITHUB_STEP_SUMMARY) {
    const text = existsSync(summaryPath)
      ? readFileSync(summaryPath, 'utf8')
      : `## claude-idp ${command}\n\nThe run ended with exit code ${code} before it produced a report; see the step's log.\n`;
    // GitHub refuses a step summary over 1 MiB; the whole report is in report-dir either way.
    const cut =
      Buffer.byteLength(text) > SUMMARY_LIMIT
        ? `${Buffer.from(text)
            .subarray(0, SUMMARY_LIMIT)
            .toString('utf8')
            .replace(
              /\uFFFD+$/,
              '',
            )}\n\n…cut at 1 MiB: the whole report is in ${join(reportDir, 'summary.md')} and report.html\n`
        : text;
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${cut}\n`);
  }

  const config = input('config');
  const file = config ? (isAbsolute(config) ? config : config.replace(/^\.\//, '')) : '';
  const errors = (report?.findings ?? []).filter((f) => f.severity === 'error');
  for (const f of errors.slice(0, ANNOTATION_LIMIT)) {
    const props = [
      file && `file=${escapeProperty(file)}`,
      `title=${escapeProperty(`${f.code} (${f.rule})${f.orgId ? ` org ${f.orgId.slice(0, 8)}` : ''}`)}`,
    ]
      .filter(Boolean)
      .join(',');
    process.stdout.write(`::error ${props}::${escapeData(`${f.message}\nFix: ${f.fix}`)}\n`);
  }
  if (errors.length > ANNOTATION_LIMIT) {
    process.stdout.write(
      `::error title=claude-idp::${errors.length - ANNOTATION_LIMIT} more error findings: see the step summary and the HTML report\n`,
    );
  }

  const planChanges = result
    ? result.orgs.reduce((n, o) => n + o.actions.filter((a) => a.action !== 'none').length, 0)
    : '';
  const outputs = {
    errors: report ? report.summary.errors : '',
    warnings: report ? report.summary.warnings : '',
    'new-findings': changes?.findingsCompared ? changes.newFindings.length : '',
    'plan-changes': planChanges,
    'report-path': existsSync(htmlPath) ? htmlPath : '',
    'report-dir': reportDir,
    'exit-code': code,
  };
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
  }
  return code;
}

process.exitCode = main();
