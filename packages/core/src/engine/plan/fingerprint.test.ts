import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalHash } from '../../model/canonical-json';
import { memberFingerprints, membersFingerprint, orgMembersFingerprint } from '../../model/members-fingerprint';
import { normalizeEmail } from '../../model/email';
import type { Member } from '../../schemas/members';
import { configFingerprint, planFingerprint, planInputs, snapshotFingerprint } from './fingerprint';
import { cfg, claudeOrg, grp, mem, person, snap } from './plan-fixtures';

const base = snap({
  users: [
    person('u1', 'ana@acme.com', { aliases: ['a@acme.com', 'ana.l@acme.com'] }),
    person('u2', 'bo@acme.com', { login: 'bob' }),
  ],
  groups: [grp('g1', 'Everyone', ['u1', 'u2'], ['g2']), grp('g2', 'Contractors', ['u2'])],
  assignUsers: ['u1'],
  assignGroups: ['g1', 'g2'],
});

describe('snapshotFingerprint', () => {
  it('ignores capturedAt and every order without meaning', () => {
    const same = {
      ...base,
      capturedAt: '2030-01-01T00:00:00.000Z',
      users: [...base.users].reverse().map((u) => ({
        ...u,
        aliases: u.aliases && [...u.aliases].reverse(),
        fields: Object.fromEntries(Object.entries(u.fields).reverse()),
      })),
      groups: [...base.groups].reverse().map((g) => ({ ...g, memberUserIds: [...g.memberUserIds].reverse() })),
      assignments: { userIds: ['u1'], groupIds: ['g2', 'g1'] },
    };
    expect(snapshotFingerprint(same)).toBe(snapshotFingerprint(base));
    expect(snapshotFingerprint(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['an email', (s: typeof base) => void (s.users[0]!.email = 'ANA@acme.com')],
    ['a source field', (s: typeof base) => void (s.users[1]!.fields['user.login'] = 'robert')],
    ['a field equal to the email marker', (s: typeof base) => void (s.users[0]!.fields['user.email'] = '=e')],
    ['an alias', (s: typeof base) => void s.users[0]!.aliases!.push('x@acme.com')],
    ['a status', (s: typeof base) => void (s.users[1]!.status = 'suspended')],
    ['a group name', (s: typeof base) => void (s.groups[1]!.name = 'Vendors')],
    ['a membership', (s: typeof base) => void s.groups[1]!.memberUserIds.push('u1')],
    ['a nesting', (s: typeof base) => void (s.groups[0]!.memberGroupIds = [])],
    ['an assignment', (s: typeof base) => void (s.assignments.userIds = [])],
    ['an app setting', (s: typeof base) => void (s.app.scim!.deactivate = false)],
    ['completeness', (s: typeof base) => void (s.complete = false)],
    ['the nesting semantics', (s: typeof base) => void (s.nesting = 'direct')],
  ])('changes with %s', (_, mutate) => {
    const changed = structuredClone(base);
    mutate(changed);
    expect(snapshotFingerprint(changed)).not.toBe(snapshotFingerprint(base));
  });
});

describe('membersFingerprint (Plan.inputs.members, recomputed by apply)', () => {
  const ms: Member[] = [
    mem('Ana@Acme.com', 'Owner', { orgId: 'o1' }),
    mem('bo@acme.com', 'user', { orgId: 'o1', seatTier: 'Premium' }),
    mem('zoë@bücher.example', 'user', { orgId: 'o2', status: 'invited' }),
  ];

  it('is order-free, ignores vendor ids, and normalises emails (IDN included)', () => {
    const again = [{ ...ms[2]!, email: ' ZOË@xn--bcher-kva.example ' }, ms[1]!, { ...ms[0]!, id: 'user_123' }];
    expect(membersFingerprint(again)).toBe(membersFingerprint(ms));
    expect(membersFingerprint([...ms.slice(0, 2), { ...ms[2]!, role: 'developer' }])).not.toBe(membersFingerprint(ms));
  });

  it('equals canonicalHash of the normalised rows in code-point order (org id, then email): no locale dependence', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            local: fc.stringMatching(/^[a-zA-Z0-9._é]{1,8}$/),
            org: fc.constantFrom('o1', 'O2', 'ø3', undefined),
            role: fc.constantFrom('user', 'Admin'),
          }),
        ),
        (rows) => {
          const members = rows.map((r) => ({
            email: `${r.local}@acme.com`,
            role: r.role,
            ...(r.org ? { orgId: r.org } : {}),
          }));
          const expected = members
            .map((m) => ({
              email: normalizeEmail(m.email)!,
              orgId: m.orgId ?? null,
              role: m.role.toLowerCase(),
              seatTier: null,
              status: 'active',
            }))
            .sort((a, b) => {
              const ka = `${a.orgId}\u0000${a.email}`;
              const kb = `${b.orgId}\u0000${b.email}`;
              return ka < kb ? -1 : ka > kb ? 1 : 0;
            });
          expect(membersFingerprint(members)).toBe(canonicalHash(expected));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('planInputs / planFingerprint', () => {
  it('hash each input separately and the fingerprint of the three', () => {
    const config = cfg([claudeOrg({ mode: 'scim' })]);
    const members = [mem('ana@acme.com', 'user')];
    const inputs = planInputs(base, config, members);
    expect(inputs).toEqual({
      snapshot: snapshotFingerprint(base),
      config: configFingerprint(config),
      members: membersFingerprint(members),
      membersByOrg: { [config.organizations[0]!.id]: orgMembersFingerprint(members, config.organizations[0]!.id) },
    });
    expect(planFingerprint(inputs)).toBe(
      canonicalHash({ config: inputs.config, members: inputs.members, snapshot: inputs.snapshot }),
    );
    expect(configFingerprint({ organizations: config.organizations, parent: config.parent })).toBe(
      configFingerprint(config),
    );
  });
});

describe('memberFingerprints (what plan records: the list and each org, in one walk)', () => {
  it('gives exactly membersFingerprint and orgMembersFingerprint per org, whatever the rows (property)', () => {
    const row = fc.record({
      local: fc.stringMatching(/^[a-zA-Z0-9.]{1,5}$/),
      org: fc.constantFrom('o1', 'o2', 'o10', undefined),
      role: fc.constantFrom('user', 'Admin', 'developer'),
      seatTier: fc.constantFrom('premium', 'Standard', undefined),
      status: fc.constantFrom('active', 'invited', undefined),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.boolean(), (rows, sortFirst) => {
        let members: Member[] = rows.map((r) => ({
          email: `${r.local}@acme.com`,
          role: r.role,
          ...(r.org ? { orgId: r.org } : {}),
          ...(r.seatTier ? { seatTier: r.seatTier } : {}),
          ...(r.status ? { status: r.status } : {}),
        }));
        // Lists usually come in (org, email) order; any order must give the same hashes.
        if (sortFirst)
          members = [...members].sort((a, b) => (`${a.orgId}\u0000${a.email}` < `${b.orgId}\u0000${b.email}` ? -1 : 1));
        const orgIds = ['o1', 'o2', 'o3'];
        const together = memberFingerprints(members, orgIds);
        expect(together.members).toBe(membersFingerprint(members));
        for (const id of orgIds) expect(together.byOrg[id]).toBe(orgMembersFingerprint([...members], id));
      }),
      { numRuns: 300 },
    );
  });
});

describe('orgMembersFingerprint (Plan.inputs.membersByOrg)', () => {
  it("one org's hash ignores the other orgs and seat tiers, and changes when that org changes", () => {
    const h = orgMembersFingerprint(
      [
        { email: 'ana@acme.com', role: 'user', orgId: 'o1' },
        { email: 'bo@acme.com', role: 'developer', orgId: 'o2' },
      ],
      'o1',
    );
    expect(
      orgMembersFingerprint(
        [
          { email: 'Ana@ACME.com ', role: 'user', orgId: 'o1', seatTier: 'premium' },
          { email: 'cy@acme.com', role: 'admin', orgId: 'o2' },
        ],
        'o1',
      ),
    ).toBe(h);
    expect(orgMembersFingerprint([{ email: 'ana@acme.com', role: 'admin', orgId: 'o1' }], 'o1')).not.toBe(h);
    expect(orgMembersFingerprint([{ email: 'ana@acme.com', role: 'user' }], 'o1')).toBe(h);
  });
});
