import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, demoMembers, demoTenant, DEMO_CLAUDE_ORG, snapshotFromTenant } from '@claude-idp/core/testing';
import { runBin, tmp } from './run-bin';

// Bad input through the built binary: every problem a usage error (exit 2) that names the flag or
// the key, printed once, never an internal error or a silent default.
let dir: string;
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |internal error/);

beforeAll(() => {
  dir = tmp();
  writeFileSync(join(dir, 'snap.json'), JSON.stringify(snapshotFromTenant(demoTenant())));
  writeFileSync(join(dir, 'claude-idp.config.yaml'), JSON.stringify(demoConfig('okta'), null, 2));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers()));
});

describe('unknown keys (a typo must not drop a setting silently)', () => {
  it('config: `seat:` for `seats:` and `requireSSO` are errors naming the closest valid key', async () => {
    const config = demoConfig('okta') as unknown as {
      parent: Record<string, unknown>;
      organizations: Record<string, unknown>[];
    };
    const org = config.organizations[0]!;
    org.seat = org.seats;
    delete org.seats;
    config.parent.requireSSO = { claude: true };
    writeFileSync(join(dir, 'typo.yaml'), JSON.stringify(config, null, 2));
    const r = await runBin(['audit', '--snapshot', 'snap.json', '--config', 'typo.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('organizations[0].seat: unknown key `seat`; did you mean `seats`?');
    expect(r.stderr).toContain('parent.requireSSO: unknown key `requireSSO`; did you mean `requireSso`?');
    noStack(r.stderr);
  });

  it('config in YAML: `seenGroup` under groupMappings', async () => {
    const yaml = `parent:\n  idp: okta\n  verifiedDomains: [northwind.example]\norganizations:\n  - id: ${DEMO_CLAUDE_ORG}\n    surface: claude\n    plan: enterprise\n    provisioning:\n      mode: scim\n      groupMappings:\n        enabled: true\n        roles: { user: [anthropic-claudeai-user] }\n        seenGroup: [anthropic-claudeai-user]\n`;
    writeFileSync(join(dir, 'seen.yaml'), yaml);
    const r = await runBin(['audit', '--snapshot', 'snap.json', '--config', 'seen.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'seen.yaml: organizations[0].provisioning.groupMappings.seenGroup: unknown key `seenGroup`; did you mean `seenGroups`?',
    );
  });

  it('members: an unknown JSON key once for all rows, an unknown CSV column once', async () => {
    writeFileSync(join(dir, 'm-typo.json'), JSON.stringify(demoMembers().map((m) => ({ ...m, seat_tier: 'premium' }))));
    const json = await runBin(['plan', '--snapshot', 'snap.json', '--members', 'm-typo.json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(json.stderr.match(/unknown key `seat_tier`/g)).toHaveLength(1);
    expect(json.stderr).toMatch(/did you mean `seatTier`\? \(on \d+ rows\)/);
    writeFileSync(
      join(dir, 'm-typo.csv'),
      'email,role,stauts\na@northwind.example,user,active\nb@northwind.example,user,active\n',
    );
    const csv = await runBin(['plan', '--snapshot', 'snap.json', '--members', 'm-typo.csv'], { cwd: dir });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(
      /^claude-idp: \S*m-typo\.csv: header: unknown column `stauts`; did you mean `status`\?\n$/,
    );
  });

  it('the JSON Schemas printed by `schema` forbid unknown keys, so editors flag them too', async () => {
    const config = JSON.parse((await runBin(['schema', 'config'])).stdout);
    expect(config.additionalProperties).toBe(false);
    expect(config.properties.parent.additionalProperties).toBe(false);
    const members = JSON.parse((await runBin(['schema', 'members'])).stdout);
    expect(members.items.additionalProperties).toBe(false);
    const published = JSON.parse(
      readFileSync(new URL('../../../core/schemas/config.schema.json', import.meta.url), 'utf8'),
    );
    expect(published.additionalProperties).toBe(false);
  });
});

describe('empty members files', () => {
  for (const [name, text] of [
    ['empty.csv', ''],
    ['header-only.csv', 'email,role,seatTier,orgId,status\n'],
    ['empty.json', '[]'],
  ] as const) {
    it(`${name} is an error unless --allow-empty-members`, async () => {
      writeFileSync(join(dir, name), text);
      const r = await runBin(['audit', '--snapshot', 'snap.json', '--members', name, '--format', 'json'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        new RegExp(`--members ${name.replace('.', '\\.')}: the file lists no members.*--allow-empty-members`),
      );
      const allowed = await runBin(
        [
          'audit',
          '--snapshot',
          'snap.json',
          '--members',
          name,
          '--allow-empty-members',
          '--format',
          'json',
          '--fail-on',
          'never',
        ],
        { cwd: dir },
      );
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout).schemaVersion).toBe(1);
    });
  }
});

describe('--max-deprovision out of range is a usage error naming the flag', () => {
  for (const value of ['99999999999999999999', '150%', '-5', 'lots', '5.5']) {
    it(value, async () => {
      const r = await runBin(
        ['plan', '--snapshot', 'snap.json', '--members', 'members.json', '--max-deprovision', value],
        { cwd: dir },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--max-deprovision/);
      expect(r.stdout).toBe('');
      noStack(r.stderr);
    });
  }
  it('a valid count and percentage still work', async () => {
    for (const value of ['25', '100%', '0']) {
      const r = await runBin(
        [
          'plan',
          '--snapshot',
          'snap.json',
          '--members',
          'members.json',
          '--max-deprovision',
          value,
          '--format',
          'json',
        ],
        { cwd: dir },
      );
      expect(r.stderr, value).toBe('');
      const breakers = (JSON.parse(r.stdout).guards as { code: string }[]).filter((g) => g.code === 'BREAKER');
      // 0 trips the breaker for every removal; 25 people or 100% never in this small org.
      expect(breakers.length > 0, value).toBe(value === '0');
    }
  });
});

describe('--org and --out are usage errors naming the flag', () => {
  it('--org accepts the unique 8-character prefix the reports show, and lists the valid ids otherwise', async () => {
    const ok = await runBin(
      [
        'preflight',
        'enable-mappings',
        '--snapshot',
        'snap.json',
        '--org',
        DEMO_CLAUDE_ORG.slice(0, 8),
        '--members',
        'members.json',
        '--format',
        'json',
      ],
      { cwd: dir },
    );
    expect(ok.stderr).toBe('');
    expect([0, 1]).toContain(ok.code);
    expect(JSON.parse(ok.stdout).findings).toBeInstanceOf(Array);
    const bad = await runBin(
      ['preflight', 'enable-mappings', '--snapshot', 'snap.json', '--org', 'deadbeef', '--members', 'members.json'],
      { cwd: dir },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--org deadbeef is not an org id in the config/);
    expect(bad.stderr).toContain(DEMO_CLAUDE_ORG);
    noStack(bad.stderr);
  });

  it('--out to a folder or under a file', async () => {
    mkdirSync(join(dir, 'outdir'), { recursive: true });
    writeFileSync(join(dir, 'afile'), 'x');
    const folder = await runBin(['audit', '--snapshot', 'snap.json', '--out', 'outdir'], { cwd: dir });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/--out outdir: is a folder/);
    const under = await runBin(['audit', '--snapshot', 'snap.json', '--out', 'afile/x.txt'], { cwd: dir });
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/--out afile\/x\.txt: .*afile is a file, not a folder/);
    for (const r of [folder, under]) noStack(r.stderr);
  });
});

describe('input problems: one clear line each', () => {
  it('several problems are listed once each, not a summary line and then the same again', async () => {
    const rows = Array.from({ length: 16 }, (_, i) => `person${i},user`).join('\n');
    writeFileSync(join(dir, 'bad-emails.csv'), `email,role\n${rows}\n`);
    const r = await runBin(['plan', '--snapshot', 'snap.json', '--members', 'bad-emails.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/and \d+ more\)/);
    expect(r.stderr.match(/\[row 2\]\.email/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/bad-emails\.csv: 16 problems:/);
    expect(r.stderr.trim().split('\n')).toHaveLength(17);
  });

  it('a missing role column is one header problem; Active and Owner are accepted in any case', async () => {
    writeFileSync(
      join(dir, 'no-role.csv'),
      `email,status\n${Array.from({ length: 16 }, (_, i) => `p${i}@northwind.example,active`).join('\n')}\n`,
    );
    const noRole = await runBin(['plan', '--snapshot', 'snap.json', '--members', 'no-role.csv'], { cwd: dir });
    expect(noRole.code).toBe(2);
    expect(noRole.stderr.trim().split('\n')).toHaveLength(1);
    expect(noRole.stderr).toMatch(/no-role\.csv: header: expected the column "role"/);
    writeFileSync(join(dir, 'cased.csv'), 'Email,Role,Status\nmarcus.chen@northwind.example,Owner,Active\n');
    const cased = await runBin(
      ['audit', '--snapshot', 'snap.json', '--members', 'cased.csv', '--format', 'json', '--fail-on', 'never'],
      { cwd: dir },
    );
    expect(cased.stderr).toBe('');
    expect(cased.code).toBe(0);
  });

  it('an extra column and a missing plan file read as sentences', async () => {
    writeFileSync(join(dir, 'extra.csv'), 'email,role\nmarcus.chen@northwind.example,owner,oops\n');
    const extra = await runBin(['plan', '--snapshot', 'snap.json', '--members', 'extra.csv'], { cwd: dir });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('extra.csv: line 2: 3 values but the header has 2 columns (email,role)');
    expect(extra.stderr).not.toMatch(/Invalid Record Length/);
    const missing = await runBin(['apply', 'no-such-plan.json', '--target', 'anthropic-admin'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-plan\.json: cannot read the plan file \(no such file\)/);
    expect(missing.stderr).not.toContain('ENOENT');
  });
});
