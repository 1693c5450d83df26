import type { IdpKind } from '../../schemas/common';
import type { Surface } from '../../schemas/config';

/**
 * Where to make a change, in the words of each console, for the `fix` of a finding.
 * Vendor side: claude.ai/admin-settings/identity (Team/Enterprise) or
 * platform.claude.com/settings/identity (Console) — seeds 000, 001, 002, 004.
 */

export type IdpPlace =
  | 'app'
  | 'assignments'
  | 'sso'
  | 'attributes'
  | 'provisioning'
  | 'scimMappings'
  | 'pushGroups'
  | 'groups'
  | 'users';

const CONSOLE: Record<IdpKind, string> = {
  okta: 'Okta Admin console',
  entra: 'Entra admin center',
  google: 'Google Admin console',
  onelogin: 'OneLogin admin',
  generic: "your IdP's admin console",
};

/** "Okta Admin console → Applications → Claude → Assignments" and the like. */
export function idpWhere(idp: IdpKind, appName: string, place: IdpPlace): string {
  const c = CONSOLE[idp];
  switch (idp) {
    case 'okta': {
      const app = `${c} → Applications → Applications → ${appName}`;
      return {
        app,
        assignments: `${app} → Assignments`,
        sso: `${app} → Sign On → SAML 2.0 settings`,
        attributes: `${app} → SAML settings → Attribute Statements`,
        provisioning: `${app} → Provisioning → To App`,
        scimMappings: `${app} → Provisioning → To App → Attribute Mappings`,
        pushGroups: `${app} → Push Groups`,
        groups: `${c} → Directory → Groups`,
        users: `${c} → Directory → People`,
      }[place];
    }
    case 'entra': {
      const app = `${c} → Enterprise applications → ${appName}`;
      return {
        app,
        assignments: `${app} → Users and groups`,
        sso: `${app} → Single sign-on → Attributes & Claims (Unique User Identifier)`,
        attributes: `${app} → Single sign-on → Attributes & Claims`,
        provisioning: `${app} → Provisioning`,
        scimMappings: `${app} → Provisioning → Mappings → Provision Microsoft Entra ID Users`,
        pushGroups: `${app} → Provisioning → Mappings → Provision Microsoft Entra ID Groups (and Users and groups for the groups in scope)`,
        groups: `${c} → Groups → All groups`,
        users: `${c} → Users → All users`,
      }[place];
    }
    case 'google': {
      const app = `${c} → Apps → Web and mobile apps → ${appName}`;
      return {
        app,
        assignments: `${app} → User access`,
        sso: `${app} → Service provider details (Name ID format / Name ID)`,
        attributes: `${app} → SAML attribute mapping`,
        provisioning: `${app} → Auto-provisioning (or the directory sync setup in the vendor's Identity settings)`,
        scimMappings: `${app} → Auto-provisioning → attribute mapping`,
        pushGroups: `${app} → SAML attribute mapping → Group membership (and the groups shared with the directory sync)`,
        groups: `${c} → Directory → Groups`,
        users: `${c} → Directory → Users`,
      }[place];
    }
    case 'onelogin': {
      const app = `${c} → Applications → ${appName}`;
      return {
        app,
        assignments: `${c} → Users → Roles (the roles that grant ${appName}) or the user's Applications tab`,
        sso: `${app} → SSO / Configuration (SAML NameID format)`,
        attributes: `${app} → Parameters`,
        provisioning: `${app} → Provisioning`,
        scimMappings: `${app} → Parameters (SCIM email / userName)`,
        pushGroups: `${app} → Parameters → Groups (and Rules)`,
        groups: `${c} → Users → Groups / Roles`,
        users: `${c} → Users`,
      }[place];
    }
    default:
      return `${c} → the ${appName} app (${place})`;
  }
}

/** The vendor's Identity and access page for a surface. */
export function vendorIdentity(surface: Surface): string {
  return surface === 'claude' ? 'claude.ai/admin-settings/identity' : 'platform.claude.com/settings/identity';
}

/** The vendor's members page for a surface (seed 002 troubleshooting). */
export function vendorMembers(surface: Surface): string {
  return surface === 'claude' ? 'claude.ai/admin-settings/organization' : 'platform.claude.com/settings/members';
}

/** "a, b, c and 4 more" — the first `max` items, then a count. */
export function listSome(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
