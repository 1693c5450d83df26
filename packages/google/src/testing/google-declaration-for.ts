import type { GenericField, GenericTenant } from '@claude-idp/core/testing';
import type { GoogleDeclarationFile, GoogleNameIdFormat } from '../google-declaration';
import { CLAUDE_ORG_UNIT, groupEmailOf } from './google-fake-store';

const FORMAT: Record<GenericTenant['app']['sso']['nameIdFormat'], GoogleNameIdFormat> = {
  emailAddress: 'EMAIL',
  unspecified: 'UNSPECIFIED',
  persistent: 'PERSISTENT',
};

/**
 * Google's sign-in identity is the primary email, so both generic person fields (`email`,
 * `login`) are "Basic Information > Primary email" in the Admin console.
 */
const SOURCE: Record<GenericField, string> = {
  email: 'Basic Information > Primary email',
  login: 'Basic Information > Primary email',
};

/**
 * The declaration an admin would write for this tenant from the Admin console: the app, its
 * Name ID and email attribute, and its User access (the org unit holding the directly assigned
 * people, and the assigned groups by address). Other apps are declared by name only.
 */
export function googleDeclarationFor(t: GenericTenant): GoogleDeclarationFile {
  const sso = t.app.sso;
  return {
    schemaVersion: 1,
    apps: [
      {
        id: t.app.id,
        name: t.app.name,
        sso: {
          nameIdFormat: FORMAT[sso.nameIdFormat],
          nameId: SOURCE[sso.nameId],
          attributes: sso.emailAttribute ? [{ name: 'email', source: SOURCE[sso.emailAttribute] }] : [],
        },
        access: {
          orgUnits: t.assignments.userIds.length ? [CLAUDE_ORG_UNIT] : [],
          excludedOrgUnits: [],
          groups: t.assignments.groupIds.map((id) => groupEmailOf(t, t.groups.find((g) => g.id === id)!.name)),
        },
      },
      ...(t.otherApps ?? []).map((a) => ({ id: a.id, name: a.name })),
    ],
  };
}
