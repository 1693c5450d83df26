import { normalizeEmail, type Member } from '@claude-idp/core';
import { ENTERPRISE_ONLY_ROLES } from './anthropic-api-facts';
import type { AnthropicAdminEndpoints } from './anthropic-endpoints';
import type { CallOptions } from './anthropic-endpoints';
import type { AnthropicInvite, AnthropicUser } from './anthropic-schemas';
import type { AnthropicOrgKind } from './anthropic-settings';

export interface OrgState {
  orgId: string;
  kind: AnthropicOrgKind;
  users: AnthropicUser[];
  /** Pending, unexpired invites only. */
  invites: AnthropicInvite[];
  /** Users and pending invites as SPEC §4 members, sorted by email. */
  members: Member[];
}

/**
 * Reads the org's users and invites (both listings concurrently, every page at the maximum size)
 * and returns them as members: users `status: 'active'`, pending invites `status: 'invited'`.
 * Accepted, deleted and expired invites are history, not members. An invite whose `expires_at`
 * has passed is skipped even if the API still says `pending` (the status may lag the clock).
 */
export async function readOrgState(args: {
  endpoints: AnthropicAdminEndpoints;
  orgId: string;
  kind?: AnthropicOrgKind;
  now?: () => Date;
  options?: CallOptions;
}): Promise<OrgState> {
  const [users, allInvites] = await Promise.all([
    args.endpoints.listUsers(args.options),
    args.endpoints.listInvites(args.options),
  ]);
  const now = (args.now?.() ?? new Date()).getTime();
  const invites = allInvites.filter((i) => i.status === 'pending' && !(Date.parse(i.expires_at) <= now));
  const kind = args.kind ?? detectOrgKind(users);
  return { orgId: args.orgId, kind, users, invites, members: toMembers(users, invites, args.orgId) };
}

/** Enterprise-only roles in the listing identify a Claude Enterprise org; otherwise Console. */
export function detectOrgKind(users: readonly AnthropicUser[]): AnthropicOrgKind {
  return users.some((u) => (ENTERPRISE_ONLY_ROLES as readonly string[]).includes(u.role)) ? 'enterprise' : 'console';
}

export function toMembers(
  users: readonly AnthropicUser[],
  invites: readonly AnthropicInvite[],
  orgId: string,
): Member[] {
  const byEmail = new Map<string, Member>();
  for (const u of users) {
    byEmail.set(key(u.email), { email: u.email, role: u.role.toLowerCase(), orgId, status: 'active', id: u.id });
  }
  for (const i of invites) {
    // A person who is already a member and still has a pending invite is counted once, as a member.
    if (!byEmail.has(key(i.email)))
      byEmail.set(key(i.email), { email: i.email, role: i.role.toLowerCase(), orgId, status: 'invited', id: i.id });
  }
  return [...byEmail.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
}

function key(email: string): string {
  return normalizeEmail(email) ?? email.trim().toLowerCase();
}
