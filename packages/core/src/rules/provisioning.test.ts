import { describe, expect, it } from 'vitest';
import { parentOf, provisioningAvailability } from './provisioning';
import { config, org } from './test-helpers';

const team = org({ plan: 'team', id: 'team1' });
const ent = org({ plan: 'enterprise', id: 'ent1' });

describe('R-P1 parents and R-V2 SCIM availability', () => {
  it('Enterprise: parent by default, SCIM available; Team: parent at first SSO, never SCIM', () => {
    const c = config([ent, team]);
    expect(provisioningAvailability(c, ent)).toMatchObject({
      parent: { kind: 'enterprise' },
      modes: { scim: { available: true }, jit: { available: true } },
    });
    const t = provisioningAvailability(c, team);
    expect(t.parent.kind).toBe('team');
    expect(t.modes.scim).toMatchObject({ available: false, rule: 'R-V2' });
    expect(t.modes.jit.available).toBe(true);
    expect(t.modes.manual.available).toBe(true);
  });

  it('Console joined to a Team parent cannot use SCIM (seed 000 note), inferred or declared', () => {
    const con = org({ surface: 'console', id: 'c1' });
    expect(provisioningAvailability(config([team, con]), con).modes.scim.available).toBe(false);
    const declared = org({ surface: 'console', id: 'c1', parentSource: 'merged-team' });
    expect(provisioningAvailability(config([ent, declared]), declared).modes.scim).toMatchObject({
      available: false,
      reason: expect.stringContaining("Team plan's parent"),
    });
  });

  it('Console with its own (Sales) parent or joined to an Enterprise parent can use SCIM', () => {
    const sales = org({ surface: 'console', parentSource: 'sales' });
    expect(provisioningAvailability(config([sales]), sales).modes.scim.available).toBe(true);
    const con = org({ surface: 'console' });
    expect(provisioningAvailability(config([ent, con]), con)).toMatchObject({
      parent: { kind: 'enterprise', basis: 'inferred' },
      modes: { scim: { available: true } },
    });
  });

  it('a Console org with no parent has no SSO at all (no JIT, no SCIM)', () => {
    const con = org({ surface: 'console' });
    const a = provisioningAvailability(config([con]), con);
    expect(a.parent.kind).toBe('none');
    expect(a.sso.available).toBe(false);
    expect(a.modes.jit.available).toBe(false);
    expect(a.modes.scim.available).toBe(false);
  });

  it('Team and Enterprise orgs both in the config: a Console org without parentSource is ambiguous', () => {
    const con = org({ surface: 'console' });
    expect(parentOf(config([team, ent, con]), con).kind).toBe('ambiguous');
    expect(provisioningAvailability(config([team, ent, con]), con).modes.scim.available).toBeNull();
  });
});
