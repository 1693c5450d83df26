import {
  buildDirectoryIndex,
  resolveOrgAccess,
  type DirectorySnapshot,
  type EngineCache,
  type Member,
  type OrgConfig,
} from '@claude-idp/core';
import type { OrgAccessSummary } from './format';

/** Who would have which role and seat tier in each org, from core's access resolution (the report's chart). */
export function accessSummaries(
  snapshot: DirectorySnapshot,
  config: OrgConfig,
  members?: Member[],
  cache?: EngineCache,
): OrgAccessSummary[] {
  const index = buildDirectoryIndex(snapshot, cache);
  return config.organizations.map((org) => {
    const access = resolveOrgAccess(index, config, org, {
      currentMembers: members?.filter((m) => !m.orgId || m.orgId === org.id),
    });
    const roles: Record<string, number> = {};
    const seatTiers: Record<string, number> = {};
    let noAccess = 0;
    for (const u of access.users) {
      if (!u.entitled || !u.withinSeats) {
        if (u.assigned || u.inMappedGroup) noAccess++;
        continue;
      }
      const role = u.role ?? 'unchanged (manual)';
      roles[role] = (roles[role] ?? 0) + 1;
      if (u.seatTier) seatTiers[u.seatTier] = (seatTiers[u.seatTier] ?? 0) + 1;
    }
    return { orgId: org.id, name: org.name, surface: org.surface, roles, seatTiers, noAccess };
  });
}
