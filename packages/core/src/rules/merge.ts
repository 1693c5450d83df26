import type { OrgConfig, PlanKind, Surface } from '../schemas/config';
import type { Member } from '../schemas/members';
import { normalizeEmail } from '../model/email';
import { compareStrings } from './access';
import { domainClassifier, verifiedDomains, type EmailDomainStatus } from './parent';

/**
 * Merging an org into a parent (R-M1..R-M5), from seeds 000 and 001.
 */

/** R-M4: a merge proposal must be approved within 14 days. */
export const MERGE_APPROVAL_DAYS = 14;

export interface InvitedOrg {
  id: string;
  name?: string;
  surface: Surface;
  plan: PlanKind;
  /** Its current members (active and invited): every one must be on a verified domain (R-M3). */
  members: readonly Member[];
}

export interface MergeInput {
  config: Pick<OrgConfig, 'parent' | 'organizations'>;
  /** The org that proposes the merge: must be a claude.ai Team or Enterprise org of this parent (R-M1). */
  initiatorOrgId: string;
  invitedOrg: InvitedOrg;
  /** The person proposing; if they are also Admin/Owner of the invited org, one approval suffices (R-M5). */
  initiatorEmail?: string;
  /** When the proposal was sent; with `now`, tells whether the 14 days ran out (R-M4). ISO 8601 or Date. */
  proposedAt?: string | Date;
  /** A Date or an ISO 8601 string. */
  now: Date | string;
}

export type MergeBlocker =
  | { code: 'INITIATOR_NOT_FOUND'; rule: 'R-M1'; message: string }
  | { code: 'INITIATOR_NOT_TEAM_OR_ENTERPRISE'; rule: 'R-M1'; message: string }
  | { code: 'SAME_ORG'; rule: 'R-M1'; message: string }
  | { code: 'ALREADY_MERGED'; rule: 'R-P3'; message: string }
  | { code: 'NO_VERIFIED_DOMAIN'; rule: 'R-M2'; message: string }
  | { code: 'MEMBERS_OFF_DOMAIN'; rule: 'R-M3'; message: string }
  | { code: 'PROPOSAL_EXPIRED'; rule: 'R-M4'; message: string };

export interface OffDomainMember {
  email: string;
  role: string;
  status: 'active' | 'invited';
  /** Where the address stands: unverified, a subdomain of a verified domain, pending, or not an address. */
  domain: EmailDomainStatus;
}

export interface MergeEligibility {
  /** True when nothing blocks the merge now. */
  allowed: boolean;
  blockers: MergeBlocker[];
  /** Members of the invited org not on a verified domain, sorted by email (R-M3). */
  offDomainMembers: OffDomainMember[];
  /** The role that approves on the invited side: Owner (claude.ai) / Admin (Console) (R-M4). */
  approverRole: string;
  /** Invited-org members holding that role, sorted: the people who can approve. */
  approvers: string[];
  /**
   * Approvals counting the initiator's proposal: 2 (the proposal, then an invited-org
   * Admin/Owner's approval), or 1 when the initiator is also Admin/Owner of the invited org (R-M5).
   */
  approvalsRequired: 1 | 2;
  /** True when the initiator is an Admin/Owner of the invited org (R-M5). */
  initiatorIsInvitedApprover: boolean;
  /** Proposal date + 14 days (R-M4), when `proposedAt` was given. */
  expiresAt: string | null;
  expired: boolean;
  /** Whole days left before expiry (0 when expired); null without `proposedAt`. */
  daysLeft: number | null;
}

const DAY_MS = 86_400_000;

/** The approving roles on the invited side (R-M4): Owner / Primary Owner on claude.ai, Admin on Console. */
export function approverRoles(surface: Surface): string[] {
  return surface === 'claude' ? ['owner', 'primary_owner'] : ['admin'];
}

/**
 * R-M1..R-M5: may this merge proceed, which members block it, who approves, and by when.
 * - R-M1: only a claude.ai Team or Enterprise org initiates; a Console org can only be invited.
 * - R-M2: the initiator's parent must have at least one verified domain.
 * - R-M3: every member of the invited org (invited ones too) must have an email on one of those
 *   verified domains — exactly: a subdomain is not covered by its parent domain (R-D1).
 * - R-M4: an Admin (Console) / Owner (claude.ai) of the invited org approves within 14 days.
 * - R-M5: if the initiator is also Admin/Owner of the invited org, one approval suffices.
 */
export function mergeEligibility(input: MergeInput): MergeEligibility {
  const { config, initiatorOrgId, invitedOrg } = input;
  const now = input.now instanceof Date ? input.now : new Date(input.now);
  if (Number.isNaN(now.getTime())) throw new RangeError(`now is not a valid date: ${String(input.now)}`);
  const blockers: MergeBlocker[] = [];
  const initiator = config.organizations.find((o) => o.id === initiatorOrgId);
  if (!initiator) {
    blockers.push({
      code: 'INITIATOR_NOT_FOUND',
      rule: 'R-M1',
      message: `the initiating org ${initiatorOrgId} is not in the config`,
    });
  } else if (initiator.surface !== 'claude' || (initiator.plan !== 'team' && initiator.plan !== 'enterprise')) {
    blockers.push({
      code: 'INITIATOR_NOT_TEAM_OR_ENTERPRISE',
      rule: 'R-M1',
      message: `${initiator.name ?? initiator.id} is a Console org: only a claude.ai Team or Enterprise org can initiate a merge; a Console org can only be invited`,
    });
  }
  if (invitedOrg.id === initiatorOrgId)
    blockers.push({ code: 'SAME_ORG', rule: 'R-M1', message: 'an org cannot merge into its own parent' });
  else if (config.organizations.some((o) => o.id === invitedOrg.id)) {
    blockers.push({
      code: 'ALREADY_MERGED',
      rule: 'R-P3',
      message: `${invitedOrg.name ?? invitedOrg.id} is already under this parent`,
    });
  }
  const domains = verifiedDomains(config.parent);
  if (domains.length === 0) {
    blockers.push({
      code: 'NO_VERIFIED_DOMAIN',
      rule: 'R-M2',
      message: "the initiator's parent has no verified domain",
    });
  }

  const classify = domainClassifier(config.parent);
  const offDomainMembers: OffDomainMember[] = [];
  for (const m of invitedOrg.members) {
    const d = classify(m.email);
    if (d.status !== 'verified') {
      offDomainMembers.push({
        email: normalizeEmail(m.email) ?? m.email,
        role: m.role,
        status: m.status ?? 'active',
        domain: d,
      });
    }
  }
  offDomainMembers.sort((a, b) => compareStrings(a.email, b.email));
  if (offDomainMembers.length > 0 && domains.length > 0) {
    blockers.push({
      code: 'MEMBERS_OFF_DOMAIN',
      rule: 'R-M3',
      message: `${offDomainMembers.length} member(s) of ${invitedOrg.name ?? invitedOrg.id} are not on a verified domain (${domains.join(', ')})`,
    });
  }

  const roles = approverRoles(invitedOrg.surface);
  const approvers = [
    ...new Set(
      invitedOrg.members
        .filter((m) => roles.includes(m.role.toLowerCase()) && (m.status ?? 'active') === 'active')
        .map((m) => normalizeEmail(m.email) ?? m.email),
    ),
  ].sort(compareStrings);
  const initiatorEmail = normalizeEmail(input.initiatorEmail);
  const initiatorIsInvitedApprover = initiatorEmail !== null && approvers.includes(initiatorEmail);

  let expiresAt: string | null = null;
  let expired = false;
  let daysLeft: number | null = null;
  if (input.proposedAt !== undefined) {
    const proposed = input.proposedAt instanceof Date ? input.proposedAt : new Date(input.proposedAt);
    if (!Number.isNaN(proposed.getTime())) {
      const expiry = proposed.getTime() + MERGE_APPROVAL_DAYS * DAY_MS;
      expiresAt = new Date(expiry).toISOString();
      expired = now.getTime() > expiry;
      daysLeft = expired ? 0 : Math.floor((expiry - now.getTime()) / DAY_MS);
      if (expired) {
        blockers.push({
          code: 'PROPOSAL_EXPIRED',
          rule: 'R-M4',
          message: `the proposal of ${proposed.toISOString()} expired on ${expiresAt} (14 days); propose the merge again`,
        });
      }
    }
  }

  return {
    allowed: blockers.length === 0,
    blockers,
    offDomainMembers,
    approverRole: invitedOrg.surface === 'claude' ? 'owner' : 'admin',
    approvers,
    approvalsRequired: initiatorIsInvitedApprover ? 1 : 2,
    initiatorIsInvitedApprover,
    expiresAt,
    expired,
    daysLeft,
  };
}
