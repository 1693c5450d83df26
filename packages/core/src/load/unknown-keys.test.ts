import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/input-error';
import { jsonSchemas } from '../schemas/json-schema';
import { didYouMean, editDistance } from './did-you-mean';
import { parseOrgConfig } from './load-config';
import { parseMembers } from './load-members';

const org = { id: 'o1', surface: 'claude', plan: 'enterprise', provisioning: { mode: 'jit' } };
const config = (patch: (c: Record<string, any>) => void) => {
  const c: Record<string, any> = {
    parent: { idp: 'okta', verifiedDomains: ['acme.com'] },
    organizations: [structuredClone(org)],
  };
  patch(c);
  return JSON.stringify(c);
};
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (InputError.isInstance(error)) return error.issues.map((i) => InputError.issueText(i));
    throw error;
  }
  throw new Error('no error');
};

describe('unknown keys are errors naming the closest valid key', () => {
  it('edit distance and suggestions', () => {
    expect(editDistance('seat', 'seats')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('requireSSO', ['requireSso', 'restrictOrgCreation'])).toBe('requireSso');
    expect(didYouMean('xyz', ['seats', 'plan'])).toBeUndefined();
  });

  it('config: a typo at any depth names the key and the closest one', () => {
    expect(
      issuesOf(() =>
        parseOrgConfig(
          config((c) => (c.organizations[0].seat = { premium: 2 })),
          'c.json',
        ),
      ),
    ).toEqual(['organizations[0].seat: unknown key `seat`; did you mean `seats`?']);
    expect(
      issuesOf(() =>
        parseOrgConfig(
          config((c) => (c.parent.requireSSO = { claude: true })),
          'c.json',
        ),
      ),
    ).toEqual(['parent.requireSSO: unknown key `requireSSO`; did you mean `requireSso`?']);
    expect(
      issuesOf(() =>
        parseOrgConfig(
          config((c) => (c.organizations[0].provisioning.groupMappings = { enabled: true, roles: {}, seenGroup: [] })),
          'c.json',
        ),
      ),
    ).toEqual([
      'organizations[0].provisioning.groupMappings.seenGroup: unknown key `seenGroup`; did you mean `seenGroups`?',
    ]);
    expect(
      issuesOf(() =>
        parseOrgConfig('parent:\n  idp: okta\n  verifiedDomains: []\norganizations: []\nzzz: 1\n', 'c.yaml'),
      )[0],
    ).toMatch(/^zzz: unknown key `zzz`; the keys allowed here are `parent`, `organizations`, `roles`/);
  });

  it('members: unknown JSON keys once, unknown CSV columns once, missing columns once, case-insensitive status', () => {
    const rows = [1, 2, 3].map((n) => ({ email: `p${n}@acme.com`, role: 'user', seatTeir: 'premium' }));
    expect(issuesOf(() => parseMembers(JSON.stringify(rows), 'm.json'))).toEqual([
      '[0].seatTeir: unknown key `seatTeir`; did you mean `seatTier`? (on 3 rows)',
    ]);
    expect(issuesOf(() => parseMembers('email,role,stauts\na@acme.com,user,active\n', 'm.csv'))).toEqual([
      'header: unknown column `stauts`; did you mean `status`?',
    ]);
    expect(issuesOf(() => parseMembers('email,status\na@acme.com,active\nb@acme.com,active\n', 'm.csv'))).toEqual([
      'header: expected the column "role" (email,role[,seatTier,orgId,status,id]), got email,status',
    ]);
    expect(issuesOf(() => parseMembers('email,role\na@acme.com,user,extra\n', 'm.csv'))).toEqual([
      'line 2: 3 values but the header has 2 columns (email,role); quote a value that contains a comma',
    ]);
    expect(parseMembers('email,role,status\na@acme.com,Owner,Active\n', 'm.csv')).toEqual([
      { email: 'a@acme.com', role: 'owner', status: 'active' },
    ]);
  });

  it('the published JSON Schemas forbid unknown keys in config and members', () => {
    const s = jsonSchemas();
    const cfg = s.config as { additionalProperties?: boolean; properties: Record<string, any> };
    expect(cfg.additionalProperties).toBe(false);
    expect(cfg.properties.parent.additionalProperties).toBe(false);
    expect((s.members as { items: { additionalProperties?: boolean } }).items.additionalProperties).toBe(false);
  });
});
