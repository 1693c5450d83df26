import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';

/**
 * Core's conformance tenant as OneLogin can hold it. There Margaret (u10) is assigned the app by
 * hand and is also in an assigned group; OneLogin refuses a hand assignment on top of a role one
 * (KB0010641, "Assigning Apps to Users": "If an app is already assigned to user via a role it
 * cannot also be assigned manually"), so in OneLogin she is one or the other: here, the hand
 * assignment. Everything else is unchanged.
 */
export function oneloginConformanceTenant(): GenericTenant {
  const t = conformanceTenant();
  const g = t.groups.find((x) => x.id === 'g02')!;
  g.memberUserIds = g.memberUserIds.filter((id) => id !== 'u10');
  return t;
}
