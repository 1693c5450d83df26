/**
 * Google's app "User access" by organizational unit: a unit inherits its parent's ON/OFF unless
 * it overrides it, so the deepest declared unit on a user's path decides. Access groups only add
 * access; they never turn it off (support.google.com/a/answer/9050643), so groups are handled
 * separately. Org unit paths compare case-insensitively.
 */
export function hasOrgUnitAccess(
  orgUnitPath: string | null | undefined,
  access: { orgUnits: string[]; excludedOrgUnits: string[] },
): boolean {
  const path = (orgUnitPath ?? '/').toLowerCase();
  let depth = -1;
  let on = false;
  const consider = (unit: string, value: boolean) => {
    const u = unit.toLowerCase();
    const within = u === '/' || path === u || path.startsWith(`${u}/`);
    const d = u === '/' ? 0 : u.split('/').length - 1;
    if (within && d >= depth) {
      // At equal depth an OFF wins: a unit listed both ways is treated as off (never grant on a contradiction).
      if (d > depth || !value) on = value;
      depth = d;
    }
  };
  for (const u of access.orgUnits) consider(u, true);
  for (const u of access.excludedOrgUnits) consider(u, false);
  return on;
}
