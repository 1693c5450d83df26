import { describe, expect, it } from 'vitest';
import { roleCatalogue } from '../../model/roles';
import { allocateSeats, decideAccess, type AccessFacts, type OrgRules } from './decide';
import { decideMemberChange, type MemberChangeRules } from './member-change';
import type { UserAccess } from './resolve';

const catalogue = roleCatalogue();
const scimMapped: OrgRules = {
  surface: 'claude',
  mode: 'scim',
  mappingsEnabled: true,
  roleRank: (r) => catalogue.rank('claude', r),
  seatTiers: ['premium', 'standard'],
};
const facts = (over: Partial<AccessFacts> = {}): AccessFacts => ({
  assigned: true,
  inactive: null,
  hasEmail: true,
  roleGroups: [{ target: 'user', groupId: 'g-user' }],
  seatTierGroups: [],
  primaryOwner: false,
  ...over,
});

describe('decideAccess: one branch per rule', () => {
  it('R-A5: the Primary Owner keeps access and role even unassigned and in no mapped group', () => {
    const d = decideAccess(facts({ assigned: false, roleGroups: [], primaryOwner: true }), scimMapped);
    expect(d).toMatchObject({ entitled: true, reason: 'primary-owner', rule: 'R-A5', role: 'primary_owner' });
  });
  it('R-V3: not assigned, then inactive, refuse in that order', () => {
    expect(decideAccess(facts({ assigned: false, inactive: 'temporary' }), scimMapped)).toMatchObject({
      entitled: false,
      reason: 'not-assigned',
      rule: 'R-V3',
    });
    expect(decideAccess(facts({ inactive: 'temporary' }), scimMapped)).toMatchObject({
      entitled: false,
      reason: 'inactive',
      rule: 'R-V3',
    });
  });
  it('R-G3: with mappings on, in no mapped group, no access (before the email check)', () => {
    expect(decideAccess(facts({ roleGroups: [], hasEmail: false }), scimMapped)).toMatchObject({
      entitled: false,
      reason: 'no-mapped-group',
      rule: 'R-G3',
    });
    expect(decideAccess(facts({ roleGroups: [] }), { ...scimMapped, mappingsEnabled: false })).toMatchObject({
      entitled: true,
      role: 'user',
      roleSource: 'default',
    });
  });
  it('R-S4: no email, no account', () => {
    expect(decideAccess(facts({ hasEmail: false }), scimMapped)).toMatchObject({
      entitled: false,
      reason: 'no-email',
      rule: 'R-S4',
    });
  });
  it('R-G1: the highest mapped role, whatever the order; every group giving it is named', () => {
    const d = decideAccess(
      facts({
        roleGroups: [
          { target: 'user', groupId: 'a' },
          { target: 'owner', groupId: 'c' },
          { target: 'admin', groupId: 'b' },
          { target: 'owner', groupId: 'a2' },
        ],
      }),
      scimMapped,
    );
    expect(d).toMatchObject({ role: 'owner', roleSource: 'mapping', roleGroupIds: ['a2', 'c'], rule: 'R-G1' });
  });
  it('R-G2: the highest mapped seat tier; none mapped leaves it to the seat allocation', () => {
    expect(
      decideAccess(
        facts({
          seatTierGroups: [
            { target: 'standard', groupId: 's' },
            { target: 'premium', groupId: 'p' },
          ],
        }),
        scimMapped,
      ),
    ).toMatchObject({ mappedSeatTier: 'premium', seatTierGroupIds: ['p'], needsSeat: true });
    expect(decideAccess(facts(), scimMapped)).toMatchObject({ mappedSeatTier: null, needsSeat: true });
    expect(decideAccess(facts(), { ...scimMapped, surface: 'console' })).toMatchObject({ needsSeat: false });
  });
  it('Manual: entitled without a role (roles are set by hand)', () => {
    expect(decideAccess(facts(), { ...scimMapped, mode: 'manual', mappingsEnabled: false })).toMatchObject({
      entitled: true,
      role: null,
      roleSource: null,
    });
  });
});

describe('allocateSeats (R-V5, R-G2, R-A4)', () => {
  const bought = { premium: 1, standard: 1 };
  it('mapped people first, current members first; nobody past the seats bought', () => {
    const a = allocateSeats(
      [
        { mappedTier: 'premium', current: false },
        { mappedTier: 'premium', current: true },
        { mappedTier: null, current: false },
        { mappedTier: null, current: false },
      ],
      { tiers: ['premium', 'standard'], bought, fallback: 'highest' },
    );
    expect(a.tiers).toEqual([null, 'premium', 'standard', null]);
    expect(a.unseated).toBe(1);
    expect(a.usage).toEqual([
      { tier: 'premium', bought: 1, mapped: 1, fallback: 0, shortfall: 1 },
      { tier: 'standard', bought: 1, mapped: 0, fallback: 1, shortfall: 0 },
    ]);
  });
  it('IdP provisioning falls back to the highest free tier (R-G2), an API invite to the lowest (R-A4)', () => {
    const req = [{ mappedTier: null, current: false }];
    expect(allocateSeats(req, { tiers: ['premium', 'standard'], bought: null, fallback: 'highest' }).tiers).toEqual([
      'premium',
    ]);
    expect(allocateSeats(req, { tiers: ['premium', 'standard'], bought: null, fallback: 'lowest' }).tiers).toEqual([
      'standard',
    ]);
    expect(
      allocateSeats(req, { tiers: ['premium', 'standard'], bought: { premium: 3 }, fallback: 'lowest' }).tiers,
    ).toEqual(['premium']);
  });
});

describe('decideMemberChange: one change per member', () => {
  const rules: MemberChangeRules = {
    surface: 'claude',
    complete: true,
    isRoleDowngrade: (f, t) => catalogue.rank('claude', t) > catalogue.rank('claude', f),
    tierRank: (t) => ['premium', 'standard'].indexOf(t),
  };
  const ua = (over: Partial<UserAccess>): UserAccess =>
    ({
      userId: 'u1',
      entitled: true,
      reason: 'entitled',
      role: 'user',
      roleSource: 'mapping',
      roleGroupIds: ['g'],
      seatTier: 'standard',
      seatTierSource: 'fallback',
      seatTierGroupIds: [],
      withinSeats: true,
      ...over,
    }) as UserAccess;
  it('R-A5: the Primary Owner is kept, even with nobody in the IdP', () => {
    expect(decideMemberChange({ role: 'primary_owner', seatTier: undefined }, { access: null }, rules)).toEqual({
      kind: 'keepPrimaryOwner',
      rule: 'R-A5',
    });
  });
  it('R-V3 / R-G3 / R-S5: removals name their rule; an incomplete read blocks them', () => {
    expect(decideMemberChange({ role: 'user', seatTier: undefined }, { access: null }, rules)).toMatchObject({
      kind: 'remove',
      rule: 'R-V3',
      cause: 'not-in-idp',
      blocked: false,
    });
    expect(
      decideMemberChange({ role: 'user', seatTier: undefined }, { access: null, duplicateOf: 'u9' }, rules),
    ).toMatchObject({ kind: 'remove', rule: 'R-S5', cause: 'duplicate-account' });
    expect(
      decideMemberChange(
        { role: 'user', seatTier: undefined },
        { access: ua({ entitled: false, reason: 'no-mapped-group' }) },
        { ...rules, complete: false },
      ),
    ).toMatchObject({ kind: 'remove', rule: 'R-G3', blocked: true });
  });
  it('R-G1: a mapped role change; a downgrade from an incomplete read is blocked', () => {
    expect(
      decideMemberChange(
        { role: 'owner', seatTier: undefined },
        { access: ua({ role: 'admin' }) },
        { ...rules, complete: false },
      ),
    ).toMatchObject({ kind: 'update', role: { from: 'owner', to: 'admin', blocked: true } });
    expect(
      decideMemberChange(
        { role: 'owner', seatTier: undefined },
        { access: ua({ role: 'owner', roleSource: 'default' }) },
        rules,
      ),
    ).toEqual({ kind: 'keep', rule: 'R-V3', mapped: false });
  });
  it('R-G2 / R-V5: a mapped tier with no seat left waits; the member keeps the seat they hold (never removed for want of a seat)', () => {
    const c = decideMemberChange(
      { role: 'user', seatTier: 'standard' },
      { access: ua({ seatTier: 'premium', seatTierSource: 'mapping', withinSeats: false }) },
      rules,
    );
    expect(c).toMatchObject({
      kind: 'update',
      role: null,
      seatTier: { from: 'standard', to: 'premium', waitsForSeat: true },
    });
    expect(
      decideMemberChange(
        { role: 'user', seatTier: 'standard' },
        { access: ua({ seatTier: null, withinSeats: false }) },
        rules,
      ),
    ).toEqual({ kind: 'keep', rule: 'R-G1', mapped: true });
  });
});

describe('seat tiers per plan (R-A4): config and catalogue', () => {
  it('the config takes an org seatPlan and per-plan tier overrides, and refuses unknown values and keys', async () => {
    const { OrgConfigSchema } = await import('../../schemas/config');
    const { seatPlanOf, roleCatalogue: catalogueOf } = await import('../../model/roles');
    const org = {
      id: 'o1',
      surface: 'claude',
      plan: 'enterprise',
      provisioning: { mode: 'scim' },
      seatPlan: 'enterprise-usage',
      seats: { enterprise: 10 },
    };
    const parsed = OrgConfigSchema.parse({
      parent: { idp: 'okta', verifiedDomains: [] },
      organizations: [org],
      seatTiers: { 'enterprise-legacy-chat': ['Chat_Claude_Code', 'chat'] },
    });
    expect(seatPlanOf(parsed.organizations[0]!)).toBe('enterprise-usage');
    expect(catalogueOf(parsed).seatTiers('enterprise-legacy-chat')).toEqual(['chat_claude_code', 'chat']);
    expect(catalogueOf(parsed).seatTiers('enterprise-usage')).toEqual(['enterprise']);
    expect(
      OrgConfigSchema.safeParse({
        parent: { idp: 'okta', verifiedDomains: [] },
        organizations: [{ ...org, seatPlan: 'platinum' }],
      }).success,
    ).toBe(false);
    expect(
      OrgConfigSchema.safeParse({
        parent: { idp: 'okta', verifiedDomains: [] },
        organizations: [org],
        seatTiers: { gold: ['x'] },
      }).success,
    ).toBe(false);
    // Without seatPlan: Team is team; Enterprise reads the tiers it names; naming none keeps the legacy premium/standard.
    expect(seatPlanOf({ plan: 'team', provisioning: { mode: 'scim' } })).toBe('team');
    expect(seatPlanOf({ plan: 'enterprise', provisioning: { mode: 'scim' }, seats: { enterprise: 3 } })).toBe(
      'enterprise-usage',
    );
    expect(seatPlanOf({ plan: 'enterprise', provisioning: { mode: 'scim' }, seats: { chat: 3 } })).toBe(
      'enterprise-legacy-chat',
    );
    expect(seatPlanOf({ plan: 'enterprise', provisioning: { mode: 'scim' } })).toBe('enterprise-legacy');
  });
  it('the role catalogue accepts and ranks the live Admin API roles', () => {
    expect(catalogue.isMemberRole('claude', 'membership_admin')).toBe(true);
    expect(catalogue.isMemberRole('claude', 'managed')).toBe(true);
    expect(catalogue.isMemberRole('console', 'owner')).toBe(true);
    expect(catalogue.isKnown('claude', 'primary_owner')).toBe(false); // not mappable
    expect(catalogue.rank('claude', 'primary_owner')).toBeLessThan(catalogue.rank('claude', 'owner'));
    expect(catalogue.rank('claude', 'membership_admin')).toBeLessThan(catalogue.rank('claude', 'admin'));
    expect(catalogue.rank('claude', 'managed')).toBeLessThan(catalogue.rank('claude', 'user'));
    expect(catalogue.rank('claude', 'managed')).toBeGreaterThan(catalogue.rank('claude', 'admin'));
  });
});
