import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../model/canonical-json';
import { syntheticConfig, syntheticMembers, syntheticTenant } from '../testing/synthetic';
import { snapshotFromTenant } from '../testing/snapshot-from-tenant';
import type { Member } from '../schemas/members';
import { audit } from './audit/audit';
import { plan } from './plan/plan';
import { createEngineCache, type EngineCache } from '../rules/engine-cache';

/**
 * `audit` and `plan` memoise work per input object (the directory index per snapshot, each org's
 * access and current-member marks, the member list's addresses and split by org), so that the
 * two over the same inputs do it once. A caller may change a member list in place between calls:
 * the answers must then be those of fresh inputs, never the remembered ones.
 */
describe('memoised work never outlives a change to the inputs', () => {
  const tenant = syntheticTenant({ users: 400, groups: 30, memberships: 1600, seed: 7 });
  const snapshot = snapshotFromTenant(tenant);
  // Too few seats for everyone: who is a current member decides who is seated first (R-V5).
  const config = syntheticConfig(tenant, { seats: { premium: 25, standard: 120 } });
  const now = '2026-02-10T12:00:00.000Z';
  const run = (members: Member[], cache: EngineCache) =>
    canonicalJson({
      audit: audit({ snapshot, config, members, now: new Date(now), cache }),
      plan: plan({ snapshot, config, members, now, cache }),
    });
  /** The same inputs as new objects: nothing memoised applies to them. */
  const fresh = (members: Member[]) => {
    const copy = structuredClone({ snapshot, config, members });
    return canonicalJson({ audit: audit({ ...copy, now: new Date(now) }), plan: plan({ ...copy, now }) });
  };

  it.each([
    ['an address', (ms: Member[]) => void (ms[3]!.email = `someone.new@${tenant.domain}`)],
    ['an org id', (ms: Member[]) => void (ms[5]!.orgId = ms.find((m) => m.orgId !== ms[5]!.orgId)!.orgId)],
    ['a role', (ms: Member[]) => void (ms[7]!.role = ms[7]!.role === 'admin' ? 'user' : 'admin')],
    ['a seat tier', (ms: Member[]) => void (ms[9]!.seatTier = ms[9]!.seatTier === 'premium' ? 'standard' : 'premium')],
    ['a row added', (ms: Member[]) => void ms.push({ ...ms[0]!, email: `late.joiner@${tenant.domain}` })],
    ['a row removed', (ms: Member[]) => void ms.splice(2, 1)],
  ])('after %s changes in place', (_, change) => {
    const members = syntheticMembers(tenant);
    const cache = createEngineCache();
    const before = run(members, cache);
    change(members);
    const after = run(members, cache);
    expect(after).not.toBe(before);
    expect(after).toBe(fresh(members));
  });

  it('without a cache nothing is kept between calls: a snapshot changed in place gives fresh answers', () => {
    const own = structuredClone(snapshot);
    const members = syntheticMembers(tenant);
    const before = canonicalJson(plan({ snapshot: own, config, members, now }).orgs);
    // Unassign everyone assigned directly and through groups: the plan must see it.
    own.assignments = { userIds: [], groupIds: [] };
    const after = canonicalJson(plan({ snapshot: own, config, members, now }).orgs);
    expect(after).not.toBe(before);
    expect(after).toBe(canonicalJson(plan({ snapshot: structuredClone(own), config, members, now }).orgs));
  });
});
