import type { Organization, OrgConfig, SeatPlan, Surface } from '../schemas';

/**
 * The role and seat-tier catalogue (SPEC §3, end; R-A4). The vendor article's table did not
 * survive, so this is data, highest-permissioned first, and `OrgConfig.roles` /
 * `OrgConfig.seatTiers` override it.
 *
 * `DEFAULT_ROLES` are the roles group mappings can give (R-G1). The Admin API reports a few more
 * on members (`MEMBER_ONLY_ROLES`): they are accepted on member rows and ranked, but no mapping
 * gives them.
 */
export const DEFAULT_ROLES: Readonly<Record<Surface, readonly string[]>> = Object.freeze({
  claude: Object.freeze(['owner', 'admin', 'user']),
  console: Object.freeze(['admin', 'developer', 'billing', 'claude_code_user', 'user']),
});

/** The claude.ai Primary Owner: one person, not mappable, exempt from SCIM reconciliation (R-A5). */
export const PRIMARY_OWNER = 'primary_owner';

/**
 * Roles the Admin API reports on members that no group mapping gives, each with the mappable role
 * it ranks next to (just above it): Enterprise `user, managed, owner, membership_admin,
 * primary_owner`; Console `user, claude_code_user, developer, billing, admin` plus owners.
 * `membership_admin` is the UI's "Admin" (inferred), `managed` the UI's custom roles.
 */
export const MEMBER_ONLY_ROLES: Readonly<Record<Surface, Readonly<Record<string, string>>>> = Object.freeze({
  claude: Object.freeze({ [PRIMARY_OWNER]: 'owner', membership_admin: 'admin', managed: 'user' }),
  console: Object.freeze({ owner: 'admin' }),
});

/** The role a person gets when provisioned without mappings (R-V3: "They will receive the user role"). */
export const DEFAULT_ROLE = 'user';

/** The role that must never be left empty in an org: Owner on claude.ai, Admin on Console (R-G6). */
export function topRole(surface: Surface): string {
  return surface === 'claude' ? 'owner' : 'admin';
}

/**
 * Seat tiers per plan, highest first (R-A4, research §6): Team Standard/Premium; Enterprise
 * usage-based plans one Enterprise seat; legacy Enterprise plans Standard/Premium or Chat /
 * Chat + Claude Code. A member on "Unassigned" (no seat) is not on any tier (`UNASSIGNED_SEAT`).
 */
export const DEFAULT_SEAT_TIERS_BY_PLAN: Readonly<Record<SeatPlan, readonly string[]>> = Object.freeze({
  team: Object.freeze(['premium', 'standard']),
  'enterprise-usage': Object.freeze(['enterprise']),
  'enterprise-legacy': Object.freeze(['premium', 'standard']),
  'enterprise-legacy-chat': Object.freeze(['chat_claude_code', 'chat']),
});

/** The Team (and legacy Enterprise) tiers, highest first. */
export const DEFAULT_SEAT_TIERS: readonly string[] = DEFAULT_SEAT_TIERS_BY_PLAN.team;

/** A member's seat tier when they hold no seat ("Unassigned" / "No seat assigned"): no access, not counted. */
export const UNASSIGNED_SEAT = 'unassigned';

/**
 * The seat plan of a claude.ai org: `org.seatPlan` when set; Team orgs `team`; an Enterprise org
 * naming the `enterprise` tier (in `seats` or seat-tier mappings) `enterprise-usage`, one naming
 * `chat` / `chat_claude_code` `enterprise-legacy-chat`, otherwise `enterprise-legacy` — the
 * Standard/Premium reading earlier versions of this tool assumed, kept so existing configs read
 * the same; set `seatPlan: 'enterprise-usage'` for an Enterprise org on a usage-based plan.
 */
export function seatPlanOf(
  org: Pick<Organization, 'plan' | 'seats' | 'provisioning'> & { seatPlan?: SeatPlan | undefined },
): SeatPlan {
  if (org.seatPlan) return org.seatPlan;
  if (org.plan === 'team') return 'team';
  const named = [...Object.keys(org.seats ?? {}), ...Object.keys(org.provisioning.groupMappings?.seatTiers ?? {})].map(
    (t) => t.toLowerCase(),
  );
  if (named.includes('enterprise')) return 'enterprise-usage';
  if (named.includes('chat') || named.includes('chat_claude_code')) return 'enterprise-legacy-chat';
  return 'enterprise-legacy';
}

export interface RoleCatalogue {
  /** The roles mappings can give, highest first (R-G1). */
  roles(surface: Surface): readonly string[];
  /**
   * 0 is the highest mappable role; member-only roles rank just above the role they sit next to
   * (the Primary Owner above Owner); unknown roles rank below every known one.
   */
  rank(surface: Surface, role: string): number;
  /** A role mappings can give. */
  isKnown(surface: Surface, role: string): boolean;
  /** A role the Admin API reports on members (mappable or member-only). */
  isMemberRole(surface: Surface, role: string): boolean;
  /** The seat tiers of a seat plan, highest first. */
  seatTiers(plan?: SeatPlan): readonly string[];
}

export function roleCatalogue(config?: Pick<OrgConfig, 'roles' | 'seatTiers'>): RoleCatalogue {
  const lists: Record<Surface, readonly string[]> = {
    claude: (config?.roles?.claude ?? DEFAULT_ROLES.claude).map((r) => r.toLowerCase()),
    console: (config?.roles?.console ?? DEFAULT_ROLES.console).map((r) => r.toLowerCase()),
  };
  const tiers: Record<SeatPlan, readonly string[]> = { ...DEFAULT_SEAT_TIERS_BY_PLAN };
  for (const [plan, list] of Object.entries(config?.seatTiers ?? {}) as [SeatPlan, string[] | undefined][])
    if (list) tiers[plan] = list.map((t) => t.toLowerCase());
  const rank = (surface: Surface, role: string) => {
    const r = role.toLowerCase();
    const i = lists[surface].indexOf(r);
    if (i !== -1) return i;
    const next = MEMBER_ONLY_ROLES[surface][r];
    const j = next === undefined ? -1 : lists[surface].indexOf(next);
    return j === -1 ? Number.MAX_SAFE_INTEGER : j - 0.5;
  };
  return {
    roles: (s) => lists[s],
    rank,
    isKnown: (s, r) => lists[s].includes(r.toLowerCase()),
    isMemberRole: (s, r) => lists[s].includes(r.toLowerCase()) || Object.hasOwn(MEMBER_ONLY_ROLES[s], r.toLowerCase()),
    seatTiers: (plan = 'team') => tiers[plan],
  };
}
