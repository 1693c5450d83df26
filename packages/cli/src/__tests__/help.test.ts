import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demoTenant, snapshotFromTenant } from '@claude-idp/core/testing';
import { runBin, tmp } from './run-bin';

const README = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');

/** The README's command synopsis: one entry per `claude-idp <command>` line, continuation lines joined. */
function readmeCommands(): Map<string, string> {
  const section = README.slice(README.indexOf('## The command'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const entries = new Map<string, string>();
  for (const line of block.split('\n')) {
    if (line.startsWith('claude-idp ')) {
      const words = line.split(/\s+/).slice(1);
      const path =
        words[0] === 'preflight' || words[0] === 'runbook' || words[0] === 'config'
          ? `${words[0]} ${words[1]}`
          : words[0]!;
      entries.set(path, line);
    } else if (line.trim()) {
      const path = [...entries.keys()].pop()!;
      entries.set(path, `${entries.get(path)} ${line.trim()}`);
    }
  }
  return entries;
}

/** Option flags and --format choices of one command's --help. */
function helpOptions(help: string): { flags: Set<string>; formats?: string[] } {
  const start = help.indexOf('Options:');
  const end = help.indexOf('\n\n', start);
  const body = help.slice(start, end < 0 ? undefined : end);
  const flags = new Set((body.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? []).filter((f) => f !== '--help'));
  const formats = /--format <format>[\s\S]*?\(choices: ([^)]*?)(?:,\s+default:[^)]*)?\)/
    .exec(body)?.[1]
    ?.match(/"([^"]+)"/g)
    ?.map((c) => c.replace(/"/g, ''));
  return { flags, formats };
}

const PATHS = [
  'demo',
  'snapshot',
  'audit',
  'plan',
  'apply',
  'explain',
  'preflight enable-mappings',
  'preflight require-sso',
  'preflight merge',
  'preflight switch-idp',
  'runbook switch-idp',
  'diff',
  'schema',
  'config pull',
  'watch',
];

describe('help and README agree', () => {
  it('every subcommand has a README synopsis naming exactly the flags its --help lists, and the same --format choices', async () => {
    const readme = readmeCommands();
    const top = await runBin(['--help']);
    for (const line of top.stdout.slice(top.stdout.indexOf('Commands:')).split('\n').slice(1)) {
      const name = /^ {2}(\w[\w-]*)/.exec(line)?.[1];
      if (name && name !== 'help')
        expect(
          PATHS.some((p) => p === name || p.startsWith(`${name} `)),
          name,
        ).toBe(true);
    }
    for (const path of PATHS) {
      const entry = readme.get(path);
      expect(entry, `README synopsis for ${path}`).toBeDefined();
      const help = await runBin([...path.split(' '), '--help']);
      expect(help.code).toBe(0);
      const { flags, formats } = helpOptions(help.stdout);
      const documented = new Set(entry!.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? []);
      expect([...documented].sort(), path).toEqual([...flags].sort());
      if (formats) expect(/--format ([a-z|]+)/.exec(entry!)?.[1]?.split('|'), `${path} --format`).toEqual(formats);
    }
  }, 120_000);

  it('the help texts carry what the README promises', async () => {
    const top = await runBin(['--help']);
    expect(top.stdout).toMatch(/130 interrupted/);
    for (const group of ['preflight', 'runbook']) {
      const r = await runBin([group, '--help']);
      expect(r.stdout, group).toMatch(/Examples?:\n {2}\$ claude-idp /);
    }
    expect((await runBin(['snapshot', '--help'])).stdout).toMatch(/Google/);
    const runbook = await runBin(['runbook', 'switch-idp', '--config', 'x.yaml'], { cwd: tmp() });
    expect(runbook.code).toBe(2);
    expect(runbook.stderr).toMatch(/required option '--to <kind>' not specified/);
    // The demo's people, computed from the demo tenant, the same in --help and the README.
    const tenant = demoTenant();
    const people = `${tenant.users.length} people, ${snapshotFromTenant(tenant, { idp: 'okta' }).users.length} of them reached through the app in Okta and OneLogin, ${snapshotFromTenant(tenant, { idp: 'entra' }).users.length} in Entra ID and Google`;
    expect((await runBin(['demo', '--help'])).stdout.replace(/\s+/g, ' ')).toContain(people);
    expect(README.replace(/\s+/g, ' ')).toContain(people);
    expect(README).toMatch(/\| 130 \| interrupted/);
  });

  it('no arguments prints the help on stderr and exits 2 (usage); --help exits 0', async () => {
    const none = await runBin([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: claude-idp/);
    expect((await runBin(['--help'])).code).toBe(0);
    expect((await runBin(['preflight'])).code).toBe(2);
  });
});
