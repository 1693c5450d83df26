import type { DirectorySnapshot } from '../../schemas/snapshot';
import type { GroupMappings, Organization, OrgConfig, Surface } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { Finding } from '../../schemas/finding';
import { topRole } from '../../model/roles';
import {
  buildDirectoryIndex,
  compareStrings,
  resolveOrgAccess,
  samlEmailSource,
  scimEmailSource,
  type MappedGroupRef,
} from '../../rules/access';
import { mergeEligibility, type InvitedOrg, type MergeEligibility } from '../../rules/merge';
import { verifiedDomains } from '../../rules/parent';
import {
  checkMappings,
  checkMemberImpact,
  checkSeats,
  type Downgrade,
  type Loser,
  type MemberImpact,
} from './checks-org';
import { requireSsoFindings, requireSsoLockouts, type SsoLockedOut } from './checks-require-sso';
import { checkContext, orgLabel, type CheckContext } from './context';
import type { DomainMember } from './domain-members';
import { finding, sortFindings } from './findings';
import { idpWhere, listSome, vendorIdentity } from './where';

/**
 * "What happens if I make this change now?" — one function per risky change in the seeds. Each
 * returns `findings` (sorted, deterministic) and a typed summary; `ok` is true when no finding is
 * an error.
 */

export interface PreflightBase {
  /** No error-severity finding. */
  ok: boolean;
  findings: Finding[];
}

// ---------------------------------------------------------------------------------------------
// Enable group mappings (R-G3, R-G5, R-G6)

export interface EnableMappingsInput {
  snapshot: DirectorySnapshot;
  config: OrgConfig;
  orgId: string;
  /** Current members of the org (rows of other orgs are ignored). */
  members: readonly Member[];
  /** The person who will click "Save changes"; must end up in a group mapped to Owner/Admin (R-G6). */
  actor?: string;
  /** The mappings about to be saved; default: the org's configured ones. `enabled` is forced on. */
  mappings?: Omit<GroupMappings, 'enabled'> & { enabled?: boolean };
}

export interface EnableMappingsResult extends PreflightBase {
  orgId: string;
  /** Current members who would lose access (SCIM: removed; JIT: can no longer log in), sorted. */
  losers: Loser[];
  /** Current members whose mapped role is lower than their current one, sorted. */
  downgrades: Downgrade[];
  actor: MemberImpact['actor'];
  /** Mapped group names the vendor has not seen yet (R-G5); null when the config has no seenGroups. */
  notSeen: string[] | null;
  /** Mapped group names not found in the IdP. */
  missingGroups: string[];
  /** People entitled after saving, and how many of them hold the top role (Owner / Admin). */
  entitled: number;
  topRoleHolders: number;
}

function enableMappings(input: EnableMappingsInput): EnableMappingsResult {
  const { snapshot, config, orgId } = input;
  const org = config.organizations.find((o) => o.id === orgId);
  if (!org)
    throw new RangeError(`preflight.enableMappings: no organization with id ${JSON.stringify(orgId)} in the config`);
  const base = input.mappings ?? org.provisioning.groupMappings ?? { roles: {} };
  const after: Organization = {
    ...org,
    provisioning: { ...org.provisioning, groupMappings: { ...base, roles: base.roles ?? {}, enabled: true } },
  };
  const configAfter: OrgConfig = {
    ...config,
    organizations: config.organizations.map((o) => (o.id === orgId ? after : o)),
  };
  const ctx = checkContext(snapshot, configAfter);
  const members = input.members.filter((m) => m.orgId === undefined || m.orgId === orgId);
  const access = resolveOrgAccess(ctx.index, configAfter, after, { currentMembers: members, catalogue: ctx.catalogue });
  const findings: Finding[] = [...incomplete(ctx)];

  if (org.provisioning.mode === 'manual') {
    findings.push(
      finding('MAPPINGS_IGNORED_MANUAL', {
        orgId,
        severity: 'error',
        subject: { kind: 'org', id: orgId, ...(org.name ? { name: org.name } : {}) },
        message: `${orgLabel(org)} is in Manual mode: group mappings need JIT or SCIM, so enabling them changes nothing`,
        fix: `Choose JIT or SCIM first at ${vendorIdentity(org.surface)} → Provisioning mode (do not save yet), then re-run this preflight`,
      }),
    );
  }
  findings.push(...checkMappings(ctx, after, access, true, members));
  findings.push(...checkSeats(after, access));
  const impact = checkMemberImpact(ctx, after, access, members, input.actor, 'preflight');
  findings.push(...impact.findings);

  const gm = after.provisioning.groupMappings!;
  const seen = gm.seenGroups ? new Set(gm.seenGroups.map((g) => g.trim().toLowerCase())) : null;
  const names = (refs: MappedGroupRef[]) => [...new Set(refs.map((r) => r.name))].sort(compareStrings);
  const top = topRole(after.surface);
  const sorted = sortFindings(findings);
  return {
    ok: !sorted.some((f) => f.severity === 'error'),
    findings: sorted,
    orgId,
    losers: impact.losers.sort((a, b) => compareStrings(a.email, b.email)),
    downgrades: impact.downgrades.sort((a, b) => compareStrings(a.email, b.email)),
    actor: impact.actor,
    notSeen: seen ? names(access.mappedGroups.filter((r) => !seen.has(r.name.trim().toLowerCase()))) : null,
    missingGroups: names(access.mappedGroups.filter((r) => r.groupIds.length === 0)),
    entitled: access.users.filter((u) => u.entitled).length,
    topRoleHolders: access.users.filter((u) => u.entitled && u.role === top).length,
  };
}

function incomplete(ctx: CheckContext): Finding[] {
  if (ctx.snapshot.complete) return [];
  return [
    finding('SNAPSHOT_INCOMPLETE', {
      subject: { kind: 'app', id: ctx.snapshot.app.id, name: ctx.snapshot.app.name },
      message: `The snapshot of ${ctx.snapshot.tenant} is incomplete: this preflight may miss people`,
      fix: `Take the snapshot again until it completes before deciding (claude-idp snapshot --idp ${ctx.snapshot.idp})`,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Require SSO (R-S2, R-D3)

export interface RequireSsoInput {
  snapshot: DirectorySnapshot;
  config: OrgConfig;
  /** The domain-membership export (R-D3): `loadDomainMembers(path)`. */
  domainMembers: readonly DomainMember[];
  /** Which toggle: "Require SSO for Claude" (`claude`), for Console (`console`), or both. Default both. */
  surface?: Surface | 'both';
}

export interface RequireSsoResult extends PreflightBase {
  surfaces: Surface[];
  /** People on a verified domain who would lose their existing accounts, sorted by email. */
  lockedOut: SsoLockedOut[];
  /** Export rows on verified domains whose person is assigned and active: they keep their accounts and can switch. */
  keep: number;
  /** Export rows not on a verified domain: Require SSO does not touch them. */
  offDomain: number;
}

function requireSso(input: RequireSsoInput): RequireSsoResult {
  const ctx = checkContext(input.snapshot, input.config);
  const surfaces: Surface[] =
    input.surface === 'claude' ? ['claude'] : input.surface === 'console' ? ['console'] : ['claude', 'console'];
  const findings: Finding[] = [...incomplete(ctx)];
  const verified = new Set(verifiedDomains(input.config.parent));
  if (verified.size === 0) {
    findings.push(
      finding('DOMAIN_NOT_VERIFIED', {
        subject: { kind: 'parent', ...(input.config.parent.id ? { id: input.config.parent.id } : {}) },
        message: 'The parent organization has no verified domain: Require SSO cannot be enforced (SSO needs one)',
        fix: `Verify a domain first at ${vendorIdentity(surfaces[0]!)} → Add domain (DNS TXT record)`,
      }),
    );
  }
  const lockedOut = requireSsoLockouts(ctx, input.domainMembers, surfaces);
  findings.push(...requireSsoFindings(ctx, lockedOut, 'preflight'));
  let keep = 0;
  let offDomain = 0;
  const lockedKeys = new Set(lockedOut.map((l) => `${l.surface}\u0000${l.email}`));
  for (const row of input.domainMembers) {
    const surface = row.surface ?? 'claude';
    if (!surfaces.includes(surface)) continue;
    const d = row.email.slice(row.email.lastIndexOf('@') + 1);
    if (!verified.has(d)) offDomain++;
    else if (!lockedKeys.has(`${surface}\u0000${row.email}`)) keep++;
  }
  const sorted = sortFindings(findings);
  return { ok: !sorted.some((f) => f.severity === 'error'), findings: sorted, surfaces, lockedOut, keep, offDomain };
}

// ---------------------------------------------------------------------------------------------
// Merge (R-M1..R-M5)

export interface MergePreflightInput {
  config: OrgConfig;
  initiatorOrgId: string;
  invitedOrg: InvitedOrg;
  initiatorEmail?: string;
  proposedAt?: string | Date;
  now: Date | string;
}

export interface MergePreflightResult extends PreflightBase, MergeEligibility {}

function merge(input: MergePreflightInput): MergePreflightResult {
  const r = mergeEligibility(input);
  const findings: Finding[] = [];
  const invited = input.invitedOrg;
  const subject = { kind: 'org' as const, id: invited.id, ...(invited.name ? { name: invited.name } : {}) };
  const domains = verifiedDomains(input.config.parent);
  for (const b of r.blockers) {
    if (b.code === 'MEMBERS_OFF_DOMAIN') continue;
    const fix: Record<string, string> = {
      INITIATOR_NOT_FOUND: 'Pass the id of a claude.ai Team or Enterprise org listed in the config as the initiator',
      INITIATOR_NOT_TEAM_OR_ENTERPRISE:
        'Have an Owner of your claude.ai Team or Enterprise org start the merge at claude.ai/admin-settings/identity → Merge Organizations → Invite; the Console org can only accept',
      SAME_ORG: 'Choose another org to invite',
      ALREADY_MERGED: 'Nothing to do: it already shares this parent',
      NO_VERIFIED_DOMAIN:
        'Verify a domain first at claude.ai/admin-settings/identity → Add domain (DNS TXT record), then propose the merge',
      PROPOSAL_EXPIRED:
        'Propose the merge again at claude.ai/admin-settings/identity → Merge Organizations → Invite, and have an Admin/Owner of the invited org approve within 14 days',
    };
    findings.push(
      finding('MERGE_NOT_ALLOWED', {
        rule: b.rule,
        orgId: input.initiatorOrgId,
        subject,
        message: b.message,
        fix: fix[b.code] ?? 'See the message',
      }),
    );
  }
  for (const m of r.offDomainMembers) {
    const where =
      m.domain.status === 'subdomain'
        ? `${m.domain.domain}, a subdomain of verified ${m.domain.parentDomain} (not covered: verify ${m.domain.domain} itself)`
        : m.domain.status === 'pending'
          ? `${m.domain.domain}, still Pending verification`
          : m.domain.status === 'invalid'
            ? 'not a valid address'
            : `${m.domain.domain}, not verified by this parent`;
    findings.push(
      finding('MERGE_MEMBER_OFF_DOMAIN', {
        orgId: input.initiatorOrgId,
        subject: { kind: 'user', name: m.email },
        message: `${m.email} (${m.role}${m.status === 'invited' ? ', invited' : ''}) in ${invited.name ?? invited.id} is on ${where}; every member must be on a verified domain (${domains.join(', ') || 'none'})`,
        fix:
          m.domain.status === 'subdomain'
            ? `Verify ${m.domain.domain} at claude.ai/admin-settings/identity → Add domain (TXT record on the subdomain), or change this member's email / remove them from ${invited.surface === 'claude' ? 'claude.ai/admin-settings/organization' : 'platform.claude.com/settings/members'}`
            : `Change this member's email to a verified domain or remove them from ${invited.surface === 'claude' ? 'claude.ai/admin-settings/organization' : 'platform.claude.com/settings/members'} before merging`,
      }),
    );
  }
  const sorted = sortFindings(findings);
  return { ...r, ok: r.allowed && !sorted.some((f) => f.severity === 'error'), findings: sorted };
}

// ---------------------------------------------------------------------------------------------
// Switch IdP (R-W3)

export interface SwitchIdpInput {
  from: DirectorySnapshot;
  to: DirectorySnapshot;
  config: OrgConfig;
}

export interface SwitchPair {
  /** Normalised email the old IdP sends (SAML; SCIM shown separately when it differs). */
  oldEmail: string;
  oldScimEmail: string | null;
  newEmail: string | null;
  newScimEmail: string | null;
  fromUserId: string;
  toUserId: string;
}

export interface SwitchIdpResult extends PreflightBase {
  /** People found in both IdPs whose emails match exactly (SAML and SCIM). */
  matched: number;
  /** Found in the new IdP but sending a different email: duplicate accounts (R-W3), sorted. */
  duplicates: SwitchPair[];
  /** Assigned and active in the old IdP, but not found, not assigned or not active in the new one, sorted. */
  missing: {
    email: string;
    fromUserId: string;
    toUserId: string | null;
    why: 'not-found' | 'not-assigned' | 'inactive';
  }[];
}

/**
 * R-W3: the new IdP's SSO and SCIM email must equal the old one exactly for every person. People
 * are paired by any address the new IdP knows them by (email, login, aliases, the SAML / SCIM
 * sources), then their SAML and SCIM emails are compared after normalisation (case, IDN).
 */
function switchIdp(input: SwitchIdpInput): SwitchIdpResult {
  const { from, to } = input;
  const a = buildDirectoryIndex(from);
  const b = buildDirectoryIndex(to);
  const findings: Finding[] = [];
  const duplicates: SwitchPair[] = [];
  const missing: SwitchIdpResult['missing'] = [];
  let matched = 0;
  const newWhere = (place: Parameters<typeof idpWhere>[2]) => idpWhere(to.idp, to.app.name, place);
  const scimUsed = input.config.organizations.some((o) => o.provisioning.mode === 'scim');

  for (const u of a.usersSorted) {
    if (!a.assignedUserIds.has(u.id) || u.status !== 'active') continue;
    const oldEmail = a.samlEmail.get(u.id) ?? null;
    if (!oldEmail) continue;
    const oldScim = a.scimEmail.get(u.id) ?? null;
    const candidates = [oldEmail, oldScim, u.email, u.login, ...(u.aliases ?? [])];
    let ids: readonly string[] = [];
    for (const c of candidates) {
      if (!c) continue;
      ids = b.lookupEmail(c);
      if (ids.length) break;
    }
    if (ids.length === 0) {
      missing.push({ email: oldEmail, fromUserId: u.id, toUserId: null, why: 'not-found' });
      continue;
    }
    const pick = ids.find((id) => b.samlEmail.get(id) === oldEmail) ?? ids[0]!;
    const nu = b.usersById.get(pick)!;
    const newEmail = b.samlEmail.get(pick) ?? null;
    const newScim = b.scimEmail.get(pick) ?? null;
    if (!b.assignedUserIds.has(pick) || nu.status !== 'active') {
      missing.push({
        email: oldEmail,
        fromUserId: u.id,
        toUserId: pick,
        why: b.assignedUserIds.has(pick) ? 'inactive' : 'not-assigned',
      });
    }
    const samlDiffers = newEmail !== oldEmail;
    const scimDiffers = scimUsed && (newScim ?? newEmail) !== (oldScim ?? oldEmail);
    if (samlDiffers || scimDiffers) {
      duplicates.push({
        oldEmail,
        oldScimEmail: oldScim,
        newEmail,
        newScimEmail: newScim,
        fromUserId: u.id,
        toUserId: pick,
      });
      const parts: string[] = [];
      if (samlDiffers)
        parts.push(
          `SAML ${oldEmail} → ${newEmail ?? '(nothing)'} (${samlEmailSource(from) ?? '?'} → ${samlEmailSource(to) ?? '?'})`,
        );
      if (scimDiffers)
        parts.push(
          `SCIM ${oldScim ?? oldEmail} → ${newScim ?? newEmail ?? '(nothing)'} (${scimEmailSource(from) ?? '?'} → ${scimEmailSource(to) ?? '?'})`,
        );
      findings.push(
        finding('DUPLICATE_ACCOUNT_RISK', {
          subject: { kind: 'user', id: pick, name: oldEmail },
          message: `${oldEmail} would reach the vendor with a different email from ${to.idp}: ${parts.join('; ')}; they would get a duplicate account`,
          fix: `Make the new app send exactly ${oldEmail}: set this person's field in ${newWhere('users')}, or map the SAML/SCIM email in ${newWhere('attributes')} / ${newWhere('scimMappings')} to the field that holds it`,
        }),
      );
    } else matched++;
  }
  for (const m of missing) {
    findings.push(
      finding('ACCESS_LOSS', {
        rule: 'R-W2',
        severity: 'warning',
        subject: { kind: 'user', ...(m.toUserId ? { id: m.toUserId } : {}), name: m.email },
        message: `${m.email} is assigned in ${from.idp} but ${m.why === 'not-found' ? `not found in ${to.idp}` : m.why === 'not-assigned' ? `not assigned to the ${to.app.name} app in ${to.idp}` : `not active in ${to.idp}`}: after the switch they cannot log in with SSO`,
        fix:
          m.why === 'not-found'
            ? `Create ${m.email} in ${to.idp} with exactly this email and assign them in ${newWhere('assignments')}`
            : `Assign them (or their group) in ${newWhere('assignments')}${m.why === 'inactive' ? ' and activate them' : ''} before re-enabling provisioning`,
      }),
    );
  }
  if (duplicates.length > 0) {
    findings.push(
      finding('DUPLICATE_ACCOUNT_RISK', {
        subject: { kind: 'app', id: to.app.id, name: to.app.name },
        message: `${duplicates.length} of ${duplicates.length + matched} people would reach the vendor from ${to.idp} with a different email than from ${from.idp}: ${listSome(duplicates.map((d) => `${d.oldEmail} → ${d.newEmail ?? '(nothing)'}`))}`,
        fix: `Do not re-enable provisioning (step 7 of the switch) until every email matches; the per-person findings say which field to change`,
      }),
    );
  }
  const sorted = sortFindings(findings);
  const byEmail = <T extends { email?: string; oldEmail?: string }>(x: T, y: T) =>
    compareStrings(x.email ?? x.oldEmail ?? '', y.email ?? y.oldEmail ?? '');
  return {
    ok: !sorted.some((f) => f.severity === 'error'),
    findings: sorted,
    matched,
    duplicates: duplicates.sort(byEmail),
    missing: missing.sort(byEmail),
  };
}

/** Preflight checks for the risky changes of the seeds. */
export const preflight = Object.freeze({ enableMappings, requireSso, merge, switchIdp });
