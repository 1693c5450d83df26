import type { Organization, OrgConfig, ProvisioningMode } from '../schemas/config';

/**
 * Parent organizations and which provisioning modes an org may use (R-P1, R-V1, R-V2).
 *
 * A config describes one parent organization and the orgs under it (R-P3). The parent's plan is
 * what decides SCIM for a Console org, so we infer it:
 * - claude.ai Enterprise: a parent by default (R-P1).
 * - claude.ai Team: a parent once SSO is first enabled (R-P1).
 * - Console: no parent until Sales creates one (`parentSource: 'sales'`) or a Team/Enterprise org
 *   merges it in (`'merged-team'` / `'merged-enterprise'`). Without `parentSource`, the other orgs
 *   of the config tell: all Enterprise → an Enterprise parent, all Team → a Team parent, both →
 *   ambiguous, none → no parent at all.
 */

/** The kind of parent an org sits under. `none`: no parent (a Console org alone): no SSO at all. */
export type ParentKind = 'enterprise' | 'team' | 'sales' | 'none' | 'ambiguous';

export interface ParentResolution {
  kind: ParentKind;
  /** `parentSource` when the config says it, `inferred` when read from the other orgs, `plan` from the org's own plan. */
  basis: 'parentSource' | 'inferred' | 'plan';
  /** One line: why. */
  why: string;
}

/** R-P1: the parent an org sits under, from `parentSource` or inferred from the config's organizations. */
export function parentOf(config: Pick<OrgConfig, 'organizations'>, org: Organization): ParentResolution {
  const src = org.parentSource;
  if (org.surface === 'claude') {
    if (src === 'merged-enterprise')
      return { kind: 'enterprise', basis: 'parentSource', why: 'merged into an Enterprise parent' };
    if (src === 'merged-team') return { kind: 'team', basis: 'parentSource', why: 'merged into a Team parent' };
    if (org.plan === 'enterprise')
      return { kind: 'enterprise', basis: 'plan', why: 'Enterprise orgs have a parent by default' };
    return { kind: 'team', basis: 'plan', why: 'a Team org gets its parent when SSO is first enabled' };
  }
  if (src === 'sales') return { kind: 'sales', basis: 'parentSource', why: 'its own parent, created by Sales' };
  if (src === 'merged-enterprise')
    return { kind: 'enterprise', basis: 'parentSource', why: 'merged into an Enterprise parent' };
  if (src === 'merged-team') return { kind: 'team', basis: 'parentSource', why: "merged into a Team plan's parent" };
  // 'default' / 'sso' do not happen for Console orgs (R-P1); read the other orgs instead.
  const plans = new Set(config.organizations.filter((o) => o.surface === 'claude').map((o) => o.plan));
  if (plans.has('enterprise') && plans.has('team')) {
    return {
      kind: 'ambiguous',
      basis: 'inferred',
      why: 'the config has both Team and Enterprise orgs and no parentSource says which one this Console org was merged into',
    };
  }
  if (plans.has('enterprise'))
    return { kind: 'enterprise', basis: 'inferred', why: 'the config puts it under the parent of an Enterprise org' };
  if (plans.has('team'))
    return { kind: 'team', basis: 'inferred', why: "the config puts it under a Team plan's parent" };
  return {
    kind: 'none',
    basis: 'inferred',
    why: 'a Console org has no parent until Sales creates one or a Team/Enterprise org merges it in',
  };
}

export interface ModeAvailability {
  /** true / false, or null when the parent's plan cannot be told (set `parentSource`). */
  available: boolean | null;
  rule: string;
  /** One line: why (not). */
  reason: string;
}

export interface ProvisioningAvailability {
  parent: ParentResolution;
  /** SSO itself: needs a parent (R-P1). Domain verification (R-S1) is checked separately. */
  sso: ModeAvailability;
  modes: Record<ProvisioningMode, ModeAvailability>;
}

/**
 * R-V1, R-V2: which modes an org may use and why not.
 * - Manual: always (the default).
 * - JIT: Team, Enterprise and Console — with SSO, so with a parent.
 * - SCIM: Enterprise; Console with its own (Sales) parent or joined to an Enterprise parent; never
 *   Team; never a Console org joined to a Team parent.
 */
export function provisioningAvailability(
  config: Pick<OrgConfig, 'organizations'>,
  org: Organization,
): ProvisioningAvailability {
  const parent = parentOf(config, org);
  const noParent = parent.kind === 'none';
  const sso: ModeAvailability = noParent
    ? { available: false, rule: 'R-P1', reason: `no parent organization: ${parent.why}` }
    : { available: true, rule: 'R-P1', reason: `parent: ${parent.why}` };
  let scim: ModeAvailability;
  if (org.surface === 'claude') {
    scim =
      org.plan === 'enterprise'
        ? { available: true, rule: 'R-V2', reason: 'Enterprise plans can use SCIM' }
        : { available: false, rule: 'R-V2', reason: 'SCIM is not available for Team plans (use JIT)' };
  } else if (parent.kind === 'sales')
    scim = { available: true, rule: 'R-V2', reason: 'a Console org with its own parent can use SCIM' };
  else if (parent.kind === 'enterprise')
    scim = { available: true, rule: 'R-V2', reason: 'a Console org joined to an Enterprise parent can use SCIM' };
  else if (parent.kind === 'team')
    scim = { available: false, rule: 'R-V2', reason: "a Console org joined to a Team plan's parent cannot use SCIM" };
  else if (parent.kind === 'ambiguous') scim = { available: null, rule: 'R-V2', reason: `cannot tell: ${parent.why}` };
  else scim = { available: false, rule: 'R-P1', reason: `no parent organization: ${parent.why}` };
  const jit: ModeAvailability = noParent
    ? { available: false, rule: 'R-P1', reason: 'JIT needs SSO, and SSO needs a parent organization' }
    : { available: true, rule: 'R-V2', reason: 'JIT is available to Team, Enterprise and Console orgs' };
  return {
    parent,
    sso,
    modes: {
      manual: { available: true, rule: 'R-V1', reason: 'Manual is always available (the default)' },
      jit,
      scim,
    },
  };
}
