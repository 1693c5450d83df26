import type { Organization, Surface } from '../schemas/config';
import { DEFAULT_ROLES } from '../model/roles';

/**
 * Group-name conventions (R-G4).
 *
 * Two seeds disagree and the newer one wins:
 * - 001 (older): pre-defined groups are named `anthropic-claudeai-<org8>-<role>` /
 *   `anthropic-console-<org8>-<role>` and are mapped to their role by default; a custom group must
 *   start with `anthropic-claudeai-<org8>` to appear in the SSO settings.
 * - 002 (newer): "there are no longer naming requirements for these groups"; an
 *   `anthropic-claude-` / `anthropic-console-` style name is recommended. But group propagation is
 *   still set up by prefix (the SAML group attribute statement for JIT, the push-groups rule for
 *   SCIM, both "with the `anthropic-` prefix"), so a mapped group without `anthropic-` is likely
 *   never seen by the vendor.
 *
 * We follow 002: a custom name is never an error. We still recognise the pre-defined pattern (a
 * group named like that maps to its role, as 001 says) and check its `<org8>` against the org.
 */

/** The `anthropic-` prefix group propagation filters on (R-G4, R-G5). */
export const PROPAGATION_PREFIX = 'anthropic-';

export interface PredefinedGroupName {
  surface: Surface;
  /** The `<org8>` part, lower-case. */
  org8: string;
  /** The role part, lower-case (e.g. `owner`, `user`, `admin`, `developer`). */
  role: string;
}

const PREDEFINED = /^anthropic-(claudeai|console)-([0-9a-z]{8})-([a-z0-9_]+)$/i;

/** Parses a pre-defined group name (R-G4); null for any other name. */
export function parsePredefinedGroupName(name: string): PredefinedGroupName | null {
  const m = PREDEFINED.exec(name.trim());
  if (!m) return null;
  return {
    surface: m[1]!.toLowerCase() === 'claudeai' ? 'claude' : 'console',
    org8: m[2]!.toLowerCase(),
    role: m[3]!.toLowerCase(),
  };
}

/** The first 8 characters of an org id, lower-case (R-G4's `<org8>`). */
export function org8(orgId: string): string {
  return orgId.trim().slice(0, 8).toLowerCase();
}

/** The pre-defined group name for an org and role: `anthropic-claudeai-468ca80f-owner`. */
export function predefinedGroupName(org: Pick<Organization, 'id' | 'surface'>, role: string): string {
  return `anthropic-${org.surface === 'claude' ? 'claudeai' : 'console'}-${org8(org.id)}-${role.toLowerCase()}`;
}

export function hasPropagationPrefix(name: string): boolean {
  return name.trim().toLowerCase().startsWith(PROPAGATION_PREFIX);
}

export type GroupNameIssue =
  /** No `anthropic-` prefix: the propagation rule most likely never sends it (R-G4, R-G5). */
  | { kind: 'prefix' }
  /** Pre-defined pattern for another org (`<org8>` differs) or the other surface (R-G4). */
  | { kind: 'org'; expectedOrg8: string; foundOrg8: string; expectedSurface: Surface; foundSurface: Surface }
  /** Pre-defined pattern whose role part differs from the role it is mapped to (R-G4, R-G1). */
  | { kind: 'role'; namedRole: string; mappedRole: string };

/**
 * Checks one group name against the org it is mapped in (R-G4). `mappedRole` is the role the
 * config maps it to, when it is a role mapping; a role-named pre-defined group (`...-owner`) mapped
 * to another role is reported, a custom suffix (`...-engineering`) is not.
 */
export function checkGroupName(
  name: string,
  org: Pick<Organization, 'id' | 'surface'>,
  mappedRole?: string,
  knownRoles: readonly string[] = DEFAULT_ROLES[org.surface],
): GroupNameIssue[] {
  const issues: GroupNameIssue[] = [];
  if (!hasPropagationPrefix(name)) issues.push({ kind: 'prefix' });
  const p = parsePredefinedGroupName(name);
  if (p) {
    if (p.org8 !== org8(org.id) || p.surface !== org.surface) {
      issues.push({
        kind: 'org',
        expectedOrg8: org8(org.id),
        foundOrg8: p.org8,
        expectedSurface: org.surface,
        foundSurface: p.surface,
      });
    } else if (mappedRole !== undefined && knownRoles.includes(p.role) && p.role !== mappedRole.toLowerCase()) {
      issues.push({ kind: 'role', namedRole: p.role, mappedRole: mappedRole.toLowerCase() });
    }
  }
  return issues;
}
