import { IncompleteReadError, type SnapshotUser } from '@claude-idp/core';
import type { OktaUser } from './okta-directory';
import { profileAttribute } from './okta-fields';
import { oktaStatus } from './okta-status';

/** Canonical fields every snapshot user carries, plus whichever the app's SAML/SCIM mappings read. */
export function fieldsToReport(sources: (string | null | undefined)[]): string[] {
  const out = new Set(['user.email', 'user.login']);
  for (const s of sources) if (s && profileAttribute(s)) out.add(s);
  return [...out].sort();
}

const asText = (v: unknown): string | null =>
  v === undefined || v === null ? null : Array.isArray(v) ? v.join(',') : String(v);

/**
 * An Okta user as a snapshot user: the id is the key; `email` and `login` are the profile's
 * `email` and `login` (the Okta username, which need not be an email or equal it); `fields` holds
 * each profile attribute the app's mappings read, under its canonical name (`user.login`).
 */
export function toSnapshotUser(u: OktaUser, fields: string[]): SnapshotUser {
  const status = oktaStatus(u.status);
  if (!status) {
    throw new IncompleteReadError({
      vendor: 'okta',
      resource: 'users',
      reason: 'malformed-response',
      message: `okta: user ${u.id} has a status this version does not know (${JSON.stringify(u.status)})`,
    });
  }
  const profile = u.profile ?? {};
  return {
    id: u.id,
    email: asText(profile.email),
    login: asText(profile.login),
    status,
    fields: Object.fromEntries(fields.map((f) => [f, asText(profile[profileAttribute(f)!])])),
  };
}
