import type { DirectorySnapshot } from '../../schemas/snapshot';
import type { EngineCache } from '../../rules/engine-cache';
import type { OrgConfig, Surface } from '../../schemas/config';
import type { Member } from '../../schemas/members';
import type { Finding } from '../../schemas/finding';
import type { Report } from '../../schemas/report';
import { VERSION } from '../../version';
import { resolveOrgAccess, type OrgAccess } from '../../rules/access';
import { checkApp } from './checks-app';
import { checkMappings, checkMemberImpact, checkSeats } from './checks-org';
import { checkOrgSetup, checkParent } from './checks-parent';
import { requireSsoFindings, requireSsoLockouts } from './checks-require-sso';
import { checkUsers } from './checks-users';
import { checkContext, membersByOrg } from './context';
import type { DomainMember } from './domain-members';
import { finding, sortFindings, summarize } from './findings';
import { listSome } from './where';

/** Findings that are answers about who is assigned to the app: unknown when the IdP cannot show assignments. */
const DEPENDS_ON_ASSIGNMENTS: ReadonlySet<string> = new Set([
  'OWNER_LOCKOUT',
  'MAPPED_GROUP_NOT_ASSIGNED',
  'ACCESS_LOSS',
  'ACTOR_DOWNGRADE',
  'STALE_MEMBER',
  'SEAT_SHORTFALL',
  'REQUIRE_SSO_LOCKOUT',
  'USER_DOMAIN_UNVERIFIED',
  'INACTIVE_ASSIGNED',
  'NESTED_GROUP_NOT_ASSIGNED',
]);

export interface AuditInput {
  snapshot: DirectorySnapshot;
  config: OrgConfig;
  /** Current members of the orgs (Admin API read or export); enables ACCESS_LOSS, STALE_MEMBER, downgrades. */
  members?: readonly Member[];
  /** The domain-membership export (R-D3); enables REQUIRE_SSO_LOCKOUT for surfaces with Require SSO on. */
  domainMembers?: readonly DomainMember[];
  /**
   * The email of the person running the audit / saving settings (ACTOR_DOWNGRADE): compared with
   * their member role, or — when they are not in `members` — taken as the Owner/Admin of each org
   * with group mappings in effect.
   */
  actor?: string;
  /** Stamped as `generatedAt`; core never reads the clock. A Date or an ISO 8601 string. */
  now: Date | string;
  /** Work shared with other calls over the same inputs, e.g. a `plan` next (`createEngineCache`); default: this call's own. */
  cache?: EngineCache;
}

/** `audit` plus what it resolved, for callers who want more than the report (CLI detail views). */
export interface AuditResult {
  report: Report;
  /** Per-org access resolution, in config order. */
  access: OrgAccess[];
}

/**
 * Applies every rule of SPEC §3 to an IdP snapshot and the vendor-side config and returns the
 * findings as a `Report` (SPEC §4). Pure and deterministic: the same inputs give byte-identical
 * `canonicalJson(report)`.
 */
export function audit(input: AuditInput): Report {
  return auditDetailed(input).report;
}

/** A Date from a Date or an ISO string; a RangeError naming the argument when it is not a date. */
export function toDate(value: Date | string, name: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`${name} is not a valid date: ${String(value)}`);
  return d;
}

export function auditDetailed(input: AuditInput): AuditResult {
  const { snapshot, config, now } = input;
  const ctx = checkContext(snapshot, config, input.cache);
  const findings: Finding[] = [];
  findings.push(...checkParent(snapshot, config));
  findings.push(...checkOrgSetup(snapshot, config));
  findings.push(...checkApp(ctx));
  findings.push(...checkUsers(ctx));

  const { byOrg, unknown } = membersByOrg(config, input.members, ctx.people.cache);
  if (unknown.length > 0) {
    const emails = unknown.map((m) => m.email).sort();
    findings.push(
      finding('MEMBER_ORG_UNKNOWN', {
        subject: { kind: 'parent', ...(config.parent.id ? { id: config.parent.id } : {}) },
        message: `${unknown.length} member row(s) have no orgId (or one not in the config) and the config has ${config.organizations.length} orgs, so they were not checked: ${listSome(emails)}`,
        fix: `Add an orgId column to the members file (claude-idp reads it from the Admin API per org)`,
      }),
    );
  }

  const access: OrgAccess[] = [];
  for (const org of config.organizations) {
    const members = byOrg.get(org.id) ?? [];
    const a = resolveOrgAccess(ctx.index, config, org, { currentMembers: members, catalogue: ctx.catalogue });
    access.push(a);
    findings.push(...checkMappings(ctx, org, a, a.mappingsEnabled, members));
    findings.push(...checkSeats(org, a));
    // Without a member list the actor is still checked: taken as the Owner/Admin who manages the mappings.
    if (input.members || input.actor)
      findings.push(...checkMemberImpact(ctx, org, a, members, input.actor, 'audit').findings);
  }

  if (input.domainMembers) {
    const surfaces: Surface[] = [];
    if (config.parent.requireSso?.claude) surfaces.push('claude');
    if (config.parent.requireSso?.console) surfaces.push('console');
    if (surfaces.length)
      findings.push(...requireSsoFindings(ctx, requireSsoLockouts(ctx, input.domainMembers, surfaces), 'audit'));
  }

  // An IdP that cannot show who is assigned (Google without a declaration) leaves every
  // assignment-based answer unknown: those findings would be guesses from an empty list, so they
  // are dropped and the CHECK_UNAVAILABLE finding for `assignments` says what was not checked.
  const assignmentsUnknown = (snapshot.unavailable ?? []).some((u) => u.check === 'assignments');
  const kept = assignmentsUnknown ? findings.filter((f) => !DEPENDS_ON_ASSIGNMENTS.has(f.code)) : findings;
  if (assignmentsUnknown && kept.length !== findings.length) {
    const skipped = [...new Set(findings.filter((f) => DEPENDS_ON_ASSIGNMENTS.has(f.code)).map((f) => f.code))].sort();
    kept.push(
      finding('CHECK_UNAVAILABLE', {
        subject: { kind: 'app', id: snapshot.app.id, name: snapshot.app.name },
        message: `Not checked, because ${snapshot.idp} cannot show who is assigned to the app: ${skipped.join(', ')}`,
        fix: `Declare the app's assignments (the groups and org units with access) so these checks can run; see the ${snapshot.idp} adapter's README`,
      }),
    );
  }
  const sorted = sortFindings(kept);
  return {
    report: {
      schemaVersion: 1,
      tool: { name: 'claude-idp', version: VERSION },
      generatedAt: toDate(now, 'now').toISOString(),
      snapshot: {
        idp: snapshot.idp,
        tenant: snapshot.tenant,
        capturedAt: snapshot.capturedAt,
        complete: snapshot.complete,
      },
      findings: sorted,
      summary: summarize(sorted),
    },
    access,
  };
}
