import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoConfig,
  demoMembers,
  demoTenant,
  DEMO_CONSOLE_ORG,
  snapshotFromTenant,
  startLoopbackServer,
  type LoopbackServer,
} from '@claude-idp/core/testing';
import { createAnthropicFake } from '@claude-idp/anthropic/testing';
import { runBin, tmp } from './run-bin';

// plan → apply through the real binary against the Anthropic Admin API fake on loopback: the
// Console org of the demo, whose plan removes 3 stale JIT members of 7 (over the 10% breaker).
let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());

async function setup() {
  const dir = tmp();
  const members = demoMembers();
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshotFromTenant(demoTenant())));
  writeFileSync(join(dir, 'claude-idp.config.yaml'), JSON.stringify(demoConfig('generic')));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(members));
  const fake = createAnthropicFake({
    baseUrl: server.url,
    orgId: DEMO_CONSOLE_ORG,
    members: members.filter((m) => m.orgId === DEMO_CONSOLE_ORG),
  });
  server.use(fake.handlers);
  const env = { ...fake.env, ANTHROPIC_BASE_URL: server.url, ANTHROPIC_ORG_ID: DEMO_CONSOLE_ORG };
  const plan = await runBin(
    ['plan', '--snapshot', 'snap.json', '--members', 'members.json', '--format', 'json', '--out', 'plan.json'],
    { cwd: dir },
  );
  // Exit 1: the plan has guards (BREAKER), so apply would refuse it without an override.
  expect(plan.stderr).toBe('');
  expect(plan.code).toBe(1);
  return { dir, fake, env };
}

describe('claude-idp apply --target anthropic-admin', () => {
  it('a dry run shows its actions, says who does the skipped ones, then which guard stops --yes (exit 4)', async () => {
    const { dir, fake, env } = await setup();
    const dry = await runBin(['apply', 'plan.json', '--target', 'anthropic-admin'], { cwd: dir, env });
    expect(dry.code).toBe(4);
    expect(dry.stdout).toMatch(/^Dry run/);
    expect(dry.stdout).toMatch(/^ {2}would deprovision old\.contractor@northwind\.example/m);
    // Not members yet: who adds them and when, not "already so".
    expect(dry.stdout).toMatch(
      /skip {3}provision abello@northwind\.example \(- → user\): the IdP does this: SCIM will add them on assignment/,
    );
    expect(dry.stdout).toMatch(
      /skip {3}provision riley\.shah@northwind\.example \(- → user\): the IdP does this: their next login will add them under JIT/,
    );
    expect(dry.stdout).not.toMatch(/: already so/);
    expect(dry.stdout).toMatch(/--yes would be refused:\n {2}BREAKER: .*3 of 7.*--max-deprovision/);
    expect(fake.writes()).toEqual([]);
  }, 90_000);

  it('one guard per concern: --max-deprovision decides the breaker, unknown --override-guard codes are usage errors', async () => {
    const { dir, fake, env } = await setup();
    const typo = await runBin(
      ['apply', 'plan.json', '--target', 'anthropic-admin', '--override-guard', 'BREAKR', '--yes'],
      { cwd: dir, env },
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--override-guard BREAKR is not a guard code; did you mean BREAKER\?/);
    // The plan was made with the default 10%; the flag's limit now decides, against the org as it is.
    const tight = await runBin(
      ['apply', 'plan.json', '--target', 'anthropic-admin', '--max-deprovision', '2', '--yes'],
      { cwd: dir, env },
    );
    expect(tight.code).toBe(4);
    expect(tight.stderr).toMatch(/apply refused:\n {2}BREAKER: /);
    expect(tight.stderr).not.toMatch(/MAX_DEPROVISION|limits\.maxDeprovision/);
    expect(tight.stderr.match(/BREAKER/g)!.length).toBeGreaterThanOrEqual(1);
    expect(fake.writes()).toEqual([]);
    const wide = await runBin(
      ['apply', 'plan.json', '--target', 'anthropic-admin', '--max-deprovision', '50%', '--yes'],
      { cwd: dir, env },
    );
    expect(wide.stderr).toBe('');
    expect(wide.code).toBe(0);
    expect(fake.members().map((m) => m.email)).not.toContain('old.contractor@northwind.example');
  }, 90_000);

  it('refuses a guard breach with exit 4, acts once past an explicit override, and a second run is a no-op', async () => {
    const { dir, fake, env } = await setup();
    const planDoc = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { guards: { code: string }[] };
    expect(planDoc.guards.map((g) => g.code)).toContain('BREAKER');

    const refused = await runBin(['apply', 'plan.json', '--target', 'anthropic-admin', '--yes'], { cwd: dir, env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/apply refused:\n\s+BREAKER/);
    expect(fake.writes()).toEqual([]);

    const dry = await runBin(
      ['apply', 'plan.json', '--target', 'anthropic-admin', '--override-guard', 'BREAKER', '--max-deprovision', '50%'],
      { cwd: dir, env },
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run/);
    expect(fake.writes()).toEqual([]);

    const args = [
      'apply',
      'plan.json',
      '--target',
      'anthropic-admin',
      '--override-guard',
      'BREAKER',
      '--max-deprovision',
      '50%',
      '--trail',
      'trail.jsonl',
      '--yes',
    ];
    const first = await runBin(args, { cwd: dir, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const changes = fake.writes().length;
    expect(changes).toBeGreaterThan(0);
    expect(fake.members().map((m) => m.email)).not.toContain('old.contractor@northwind.example');
    expect(readFileSync(join(dir, 'trail.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);

    const second = await runBin(args, { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(fake.writes().length).toBe(changes);
    expect(second.stdout).toMatch(/0 done/);
  }, 90_000);

  it('refuses a stale plan (the org changed since) with exit 4', async () => {
    const { dir, fake, env } = await setup();
    fake.update((store) => {
      const sam = store.userByEmail('sam.rivera@northwind.example')!;
      store.updateRole(sam.id, 'billing');
    });
    const r = await runBin(
      [
        'apply',
        'plan.json',
        '--target',
        'anthropic-admin',
        '--override-guard',
        'BREAKER',
        '--max-deprovision',
        '50%',
        '--yes',
      ],
      { cwd: dir, env },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/STALE_PLAN/);
    expect(fake.writes()).toEqual([]);
  });
});
