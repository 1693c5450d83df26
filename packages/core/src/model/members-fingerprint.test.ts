import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Member } from '../schemas/members';
import { memberFingerprints, membersFingerprint, orgMembersFingerprint } from './members-fingerprint';
import { referenceMembersFingerprint, referenceOrgMembersFingerprint } from './members-fingerprint.reference';

describe('member fingerprints equal the literal canonical hash (reference, property)', () => {
  const row = fc.record({
    email: fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9._é+]{1,6}@(acme\.com|ACME\.com|bücher\.de)$/),
      fc.constantFrom(' Ana@Acme.com ', 'not an address', '', 'x@', '"quoted"@acme.com', 'tab\t@acme.com'),
    ),
    org: fc.constantFrom('o1', 'O2', 'ø3', 'o\u00001', undefined),
    role: fc.constantFrom('user', 'Admin', 'primary_owner'),
    seatTier: fc.constantFrom('premium', 'Standard', undefined),
    status: fc.constantFrom('active', 'invited', undefined),
  });
  it('for any rows, in any order: the list hash, each org hash, and the one-walk hashes', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const members: Member[] = rows.map((r) => ({
          email: r.email,
          role: r.role,
          ...(r.org ? { orgId: r.org } : {}),
          ...(r.seatTier ? { seatTier: r.seatTier } : {}),
          ...(r.status ? { status: r.status as Member['status'] } : {}),
        }));
        expect(membersFingerprint(members)).toBe(referenceMembersFingerprint(members));
        const orgIds = ['o1', 'O2', 'ø3'];
        const together = memberFingerprints(members, orgIds);
        expect(together.members).toBe(referenceMembersFingerprint(members));
        for (const id of orgIds) {
          expect(orgMembersFingerprint(members, id)).toBe(referenceOrgMembersFingerprint(members, id));
          expect(together.byOrg[id]).toBe(referenceOrgMembersFingerprint(members, id));
        }
      }),
      { numRuns: 400, seed: 20261206 },
    );
  });
});
