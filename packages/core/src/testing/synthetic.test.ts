import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../model/canonical-json';
import { normalizeEmail } from '../model/email';
import { MembersSchema } from '../schemas/members';
import { OrgConfigSchema } from '../schemas/config';
import { DirectorySnapshotSchema } from '../schemas/snapshot';
import { plan } from '../engine/plan/plan';
import { snapshotFromTenant } from './snapshot-from-tenant';
import { seededRandom, SYNTHETIC_ORG_IDS, syntheticConfig, syntheticMembers, syntheticTenant } from './synthetic';

const count = (t: ReturnType<typeof syntheticTenant>) => ({
  users: t.users.length,
  groups: t.groups.length,
  memberships: t.groups.reduce((n, g) => n + g.memberUserIds.length, 0),
  nested: t.groups.reduce((n, g) => n + g.memberGroupIds.length, 0),
});

describe('seededRandom', () => {
  it('is deterministic per seed, in [0, 1), and differs across seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(xs[0]);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
  });
});

describe('syntheticTenant', () => {
  it('is deterministic for a seed, and another seed gives another tenant', () => {
    const a = syntheticTenant({ users: 2000, groups: 60, memberships: 9000, nestedGroups: 12, seed: 7 });
    const b = syntheticTenant({ users: 2000, groups: 60, memberships: 9000, nestedGroups: 12, seed: 7 });
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(
      canonicalJson(syntheticTenant({ users: 2000, groups: 60, memberships: 9000, nestedGroups: 12, seed: 8 })),
    ).not.toBe(canonicalJson(a));
  });

  it.each([
    { users: 10, groups: 3, memberships: 25, nestedGroups: 0 },
    { users: 50, groups: 12, memberships: 600, nestedGroups: 3 },
    { users: 1000, groups: 40, memberships: 5000, nestedGroups: 20 },
    { users: 10_000, groups: 200, memberships: 50_000, nestedGroups: 10 },
  ])('has exactly the requested sizes: %o', (size) => {
    const t = syntheticTenant({ ...size, seed: 1 });
    expect(count(t)).toEqual({
      users: size.users,
      groups: size.groups,
      memberships: size.memberships,
      nested: size.nestedGroups,
    });
    // unique ids, unique memberships, unique (normalised) emails
    expect(new Set(t.users.map((u) => u.id)).size).toBe(size.users);
    expect(new Set(t.users.map((u) => normalizeEmail(u.email))).size).toBe(size.users);
    for (const g of t.groups) expect(new Set(g.memberUserIds).size).toBe(g.memberUserIds.length);
  });

  it('at 100k people: 2k groups and 500k memberships, quickly', () => {
    const started = performance.now();
    const t = syntheticTenant({ users: 100_000, groups: 2000, memberships: 500_000, seed: 42 });
    expect(count(t)).toMatchObject({ users: 100_000, groups: 2000, memberships: 500_000, nested: 100 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('has a realistic mix: ~2% suspended, some login ≠ email, aliases, Unicode names, anthropic- groups for two orgs, nested groups', () => {
    const t = syntheticTenant({ users: 20_000, groups: 100, memberships: 80_000, seed: 3 });
    const share = (f: (u: (typeof t.users)[number]) => boolean) => t.users.filter(f).length / t.users.length;
    expect(share((u) => u.status === 'suspended')).toBeGreaterThan(0.015);
    expect(share((u) => u.status === 'suspended')).toBeLessThan(0.025);
    expect(share((u) => u.status === 'active')).toBeGreaterThan(0.94);
    for (const s of ['deprovisioned', 'staged', 'locked'] as const)
      expect(share((u) => u.status === s)).toBeGreaterThan(0.002);
    expect(share((u) => u.login !== u.email)).toBeGreaterThan(0.03);
    expect(share((u) => (u.aliases ?? []).length > 0)).toBeGreaterThan(0.02);
    expect(share((u) => u.email !== u.email.toLowerCase())).toBeGreaterThan(0.005);
    expect(share((u) => /[^\x00-\x7f]/.test(u.givenName + u.familyName))).toBeGreaterThan(0.05);
    const names = t.groups.map((g) => g.name);
    expect(
      names.filter((n) => n.startsWith(`anthropic-claudeai-${SYNTHETIC_ORG_IDS.claude.slice(0, 8)}-`)).sort(),
    ).toEqual(['admin', 'owner', 'premium', 'standard', 'user'].map((r) => `anthropic-claudeai-468ca80f-${r}`));
    expect(names.filter((n) => n.startsWith('anthropic-console-9f2c1d7e-'))).toHaveLength(5);
    expect(t.groups.some((g) => g.name.startsWith('anthropic-') && g.memberGroupIds.length > 0)).toBe(true);
    // role groups of one org draw disjoint people; so do seat-tier groups
    const members = (n: string) => new Set(t.groups.find((g) => g.name === n)!.memberUserIds);
    const owners = members('anthropic-claudeai-468ca80f-owner');
    expect([...members('anthropic-claudeai-468ca80f-user')].some((id) => owners.has(id))).toBe(false);
    const premium = members('anthropic-claudeai-468ca80f-premium');
    expect([...members('anthropic-claudeai-468ca80f-standard')].some((id) => premium.has(id))).toBe(false);
    expect(t.assignments.userIds.length).toBeGreaterThan(0);
  });

  it("okta-style ids: Okta's form, all distinct, not in creation order; the same people, groups and memberships as short ids", () => {
    const shape = { users: 3000, groups: 60, memberships: 12_000, seed: 9 };
    const short = syntheticTenant(shape);
    const okta = syntheticTenant({ ...shape, ids: 'okta' });
    expect(okta.users.every((u) => /^00u[0-9A-Za-z]{17}$/.test(u.id))).toBe(true);
    expect(okta.groups.every((g) => /^00g[0-9A-Za-z]{17}$/.test(g.id))).toBe(true);
    expect(new Set(okta.users.map((u) => u.id)).size).toBe(okta.users.length);
    expect(new Set(okta.groups.map((g) => g.id)).size).toBe(okta.groups.length);
    expect(okta.users.map((u) => u.id)).not.toEqual([...okta.users.map((u) => u.id)].sort());
    // Same tenant under other names: map every id across and compare.
    const userId = new Map(short.users.map((u, i) => [u.id, okta.users[i]!.id]));
    const groupId = new Map(short.groups.map((g, i) => [g.id, okta.groups[i]!.id]));
    expect(okta.users.map((u) => u.email)).toEqual(short.users.map((u) => u.email));
    for (const [i, g] of short.groups.entries()) {
      expect([...okta.groups[i]!.memberUserIds].sort()).toEqual(g.memberUserIds.map((id) => userId.get(id)!).sort());
      expect(okta.groups[i]!.memberUserIds).toEqual([...okta.groups[i]!.memberUserIds].sort()); // in id order, as adapters write them
      expect([...okta.groups[i]!.memberGroupIds].sort()).toEqual(g.memberGroupIds.map((id) => groupId.get(id)!).sort());
    }
  });

  it('refuses sizes that cannot exist', () => {
    expect(() => syntheticTenant({ users: 2, groups: 2, memberships: 5, seed: 1 })).toThrow(RangeError);
  });
});

describe('syntheticConfig and syntheticMembers', () => {
  const t = syntheticTenant({ users: 3000, groups: 50, memberships: 12_000, seed: 11 });

  it('give a valid config (two orgs, mappings to the anthropic- groups) and valid members, deterministically', () => {
    const config = syntheticConfig(t);
    expect(OrgConfigSchema.parse(config)).toEqual(config);
    expect(config.organizations.map((o) => [o.id, o.surface, o.provisioning.mode])).toEqual([
      [SYNTHETIC_ORG_IDS.claude, 'claude', 'scim'],
      [SYNTHETIC_ORG_IDS.console, 'console', 'jit'],
    ]);
    expect(config.organizations[0]!.provisioning.groupMappings!.roles.owner).toEqual([
      'anthropic-claudeai-468ca80f-owner',
    ]);
    const members = syntheticMembers(t);
    expect(MembersSchema.parse(members)).toEqual(members);
    expect(canonicalJson(syntheticMembers(t))).toBe(canonicalJson(members));
    expect(members.some((m) => m.orgId === SYNTHETIC_ORG_IDS.console)).toBe(true);
  });

  it('plan on them finds drift of every kind, within the default breaker', () => {
    const snapshot = snapshotFromTenant(t);
    expect(DirectorySnapshotSchema.parse(snapshot)).toEqual(snapshot);
    const p = plan({
      snapshot,
      config: syntheticConfig(t),
      members: syntheticMembers(t),
      now: '2026-02-10T00:00:00.000Z',
    });
    const claude = p.orgs[0]!.totals;
    expect(claude.provision).toBeGreaterThan(0);
    expect(claude.changeRole).toBeGreaterThan(0);
    expect(claude.changeSeatTier).toBeGreaterThan(0);
    expect(claude.deprovision).toBeGreaterThan(0);
    expect(claude.none!).toBeGreaterThan(claude.provision!);
    expect(p.guards).toEqual([]);
  });
});
