import { describe, expect, it } from 'vitest';
import { mergeEligibility } from './merge';
import { config, member, org } from './test-helpers';

const ent = org({ id: 'ent1', plan: 'enterprise' });
const consoleOrg = org({ id: 'con1', surface: 'console' });
const now = new Date('2026-02-10T12:00:00Z');
const invited = (members = [member('dev@acme.com', 'admin'), member('ops@acme.com', 'developer')]) => ({
  id: 'new-console',
  surface: 'console' as const,
  plan: 'console' as const,
  members,
});

describe('R-M1..R-M5 merging', () => {
  it('an Enterprise Owner merges a Console org whose members are all on acme.com: allowed, two approvals', () => {
    const r = mergeEligibility({
      config: config([ent]),
      initiatorOrgId: 'ent1',
      invitedOrg: invited(),
      initiatorEmail: 'owner@acme.com',
      now,
    });
    expect(r).toMatchObject({
      allowed: true,
      blockers: [],
      approverRole: 'admin',
      approvers: ['dev@acme.com'],
      approvalsRequired: 2,
      offDomainMembers: [],
    });
  });

  it('R-M5: the initiator is also Admin of the invited Console org → one approval suffices', () => {
    const r = mergeEligibility({
      config: config([ent]),
      initiatorOrgId: 'ent1',
      invitedOrg: invited(),
      initiatorEmail: 'DEV@acme.com',
      now,
    });
    expect(r.approvalsRequired).toBe(1);
    expect(r.initiatorIsInvitedApprover).toBe(true);
  });

  it('R-M1: a Console org cannot initiate a merge', () => {
    const r = mergeEligibility({ config: config([consoleOrg]), initiatorOrgId: 'con1', invitedOrg: invited(), now });
    expect(r.allowed).toBe(false);
    expect(r.blockers.map((b) => b.code)).toEqual(['INITIATOR_NOT_TEAM_OR_ENTERPRISE']);
  });

  it('R-M2: the initiating parent needs a verified domain', () => {
    const r = mergeEligibility({
      config: config([ent], { verifiedDomains: [], pendingDomains: ['acme.com'] }),
      initiatorOrgId: 'ent1',
      invitedOrg: invited(),
      now,
    });
    expect(r.blockers.map((b) => b.code)).toEqual(['NO_VERIFIED_DOMAIN']);
  });

  it('R-M3: members off the verified domains block it — a gmail contractor and a subdomain address', () => {
    const r = mergeEligibility({
      config: config([ent]),
      initiatorOrgId: 'ent1',
      invitedOrg: invited([
        member('dev@acme.com', 'admin'),
        member('Contractor@Gmail.com', 'developer'),
        member('ana@eu.acme.com', 'user', { status: 'invited' }),
      ]),
      now,
    });
    expect(r.allowed).toBe(false);
    expect(r.blockers.map((b) => b.code)).toEqual(['MEMBERS_OFF_DOMAIN']);
    expect(r.offDomainMembers.map((m) => [m.email, m.status, m.domain.status])).toEqual([
      ['ana@eu.acme.com', 'invited', 'subdomain'],
      ['contractor@gmail.com', 'active', 'unverified'],
    ]);
  });

  it('R-M4: approval within 14 days of the proposal', () => {
    const ok = mergeEligibility({
      config: config([ent]),
      initiatorOrgId: 'ent1',
      invitedOrg: invited(),
      proposedAt: '2026-02-01T12:00:00Z',
      now,
    });
    expect(ok).toMatchObject({ expired: false, expiresAt: '2026-02-15T12:00:00.000Z', daysLeft: 5, allowed: true });
    const late = mergeEligibility({
      config: config([ent]),
      initiatorOrgId: 'ent1',
      invitedOrg: invited(),
      proposedAt: '2026-01-27T11:59:59Z',
      now,
    });
    expect(late).toMatchObject({ expired: true, daysLeft: 0, allowed: false });
    expect(late.blockers.map((b) => b.code)).toEqual(['PROPOSAL_EXPIRED']);
  });

  it('a claude.ai invited org is approved by an Owner; an org already in the parent is not merged again', () => {
    const r = mergeEligibility({
      config: config([ent, consoleOrg]),
      initiatorOrgId: 'ent1',
      invitedOrg: { id: 'con1', surface: 'console', plan: 'console', members: [] },
      now,
    });
    expect(r.blockers.map((b) => b.code)).toEqual(['ALREADY_MERGED']);
    const team = mergeEligibility({
      config: config([ent]),
      initiatorOrgId: 'ent1',
      invitedOrg: {
        id: 't',
        surface: 'claude',
        plan: 'team',
        members: [member('o@acme.com', 'owner'), member('p@acme.com', 'primary_owner')],
      },
      now,
    });
    expect(team).toMatchObject({ approverRole: 'owner', approvers: ['o@acme.com', 'p@acme.com'] });
  });
});
