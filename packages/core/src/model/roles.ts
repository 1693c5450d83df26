import type { OrgConfig, Surface } from '../schemas';

/**
 * The role and seat-tier catalogue (SPEC §3, end). The vendor article's table did not survive,
 * so this is data, highest-permissioned first, and `OrgConfig.roles` overrides it.
 * The claude.ai Primary Owner is one person and not mappable, so it is not in the list.
 */
export const DEFAULT_ROLES: Readonly<Record<Surface, readonly string[]>> = Object.freeze({
  claude: Object.freeze(['owner', 'admin', 'user']),
  console: Object.freeze(['admin', 'developer', 'billing', 'claude_code_user', 'user']),
});

export const DEFAULT_SEAT_TIERS: readonly string[] = Object.freeze(['premium', 'standard']);

/** The role a person gets when provisioned without mappings (R-V3: "They will receive the user role"). */
export const DEFAULT_ROLE = 'user';

/** The role that must never be left empty in an org: Owner on claude.ai, Admin on Console (R-G6). */
export function topRole(surface: Surface): string {
  return surface === 'claude' ? 'owner' : 'admin';
}

export interface RoleCatalogue {
  roles(surface: Surface): readonly string[];
  /** 0 is highest; unknown roles rank below every known one. */
  rank(surface: Surface, role: string): number;
  /** The highest of the given roles (R-G1), or null when empty. */
  highest(surface: Surface, roles: Iterable<string>): string | null;
  isKnown(surface: Surface, role: string): boolean;
  seatTiers(): readonly string[];
}

export function roleCatalogue(config?: Pick<OrgConfig, 'roles'>): RoleCatalogue {
  const lists: Record<Surface, readonly string[]> = {
    claude: (config?.roles?.claude ?? DEFAULT_ROLES.claude).map((r) => r.toLowerCase()),
    console: (config?.roles?.console ?? DEFAULT_ROLES.console).map((r) => r.toLowerCase()),
  };
  const rank = (surface: Surface, role: string) => {
    const i = lists[surface].indexOf(role.toLowerCase());
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return {
    roles: (s) => lists[s],
    rank,
    highest(surface, roles) {
      let best: string | null = null;
      for (const r of roles) {
        if (best === null || rank(surface, r) < rank(surface, best) || (rank(surface, r) === rank(surface, best) && r < best)) best = r.toLowerCase();
      }
      return best;
    },
    isKnown: (s, r) => lists[s].includes(r.toLowerCase()),
    seatTiers: () => DEFAULT_SEAT_TIERS,
  };
}
