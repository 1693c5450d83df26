import { roleCatalogue, type RoleCatalogue } from '@claude-idp/core';
import { ASSIGNABLE_ROLES, ENTERPRISE_ONLY_ROLES, MANUAL_SCREENS, PROTECTED_ROLES } from './anthropic-api-facts';
import type { AnthropicOrgKind } from './anthropic-settings';

const has = (list: readonly string[], role: string | undefined) =>
  role !== undefined && list.includes(role.toLowerCase());

/** The API can give this role (by invite or update) in this kind of org. */
export function canAssign(kind: AnthropicOrgKind, role: string): boolean {
  return has(ASSIGNABLE_ROLES[kind], role);
}

/** Someone holding this role cannot be re-roled or removed through the API (see PROTECTED_ROLES). */
export function isProtected(kind: AnthropicOrgKind, role: string): boolean {
  return has(PROTECTED_ROLES[kind], role);
}

/**
 * A change to a lower role per core's catalogue (Console: admin > developer > billing >
 * claude_code_user > user; claude.ai: owner > admin > user). A role the catalogue does not know
 * (`managed`, `membership_admin`, `primary_owner`) makes the change count as a downgrade: when the
 * plan is incomplete, an unknown direction is not applied.
 */
export function isDowngrade(
  kind: AnthropicOrgKind,
  from: string | undefined,
  to: string | undefined,
  catalogue: RoleCatalogue = roleCatalogue(),
): boolean {
  if (!from || !to) return true;
  const surface = kind === 'console' ? 'console' : 'claude';
  if (!catalogue.isKnown(surface, from) || !catalogue.isKnown(surface, to)) return true;
  return catalogue.rank(surface, to) > catalogue.rank(surface, from);
}

/** For orgs this key does not manage: guess the surface from the roles an action names. */
export function guessKind(roles: readonly (string | undefined)[]): AnthropicOrgKind | 'unknown' {
  const known = roles.filter((r): r is string => Boolean(r)).map((r) => r.toLowerCase());
  if (known.some((r) => ['developer', 'billing', 'claude_code_user'].includes(r))) return 'console';
  if (known.some((r) => (ENTERPRISE_ONLY_ROLES as readonly string[]).includes(r))) return 'enterprise';
  return 'unknown';
}

export function manualScreen(kind: AnthropicOrgKind | 'unknown'): string {
  return MANUAL_SCREENS[kind];
}
