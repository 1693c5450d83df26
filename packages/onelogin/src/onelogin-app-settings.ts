import { canonicalField, type DirectorySnapshot } from '@claude-idp/core';
import {
  AUTH_METHOD_SAML,
  AUTH_METHODS_OIDC,
  EMAIL_ATTRIBUTE_KEYS,
  NAME_ID_PARAMETER,
  SCIM_USERNAME_DEFAULT,
  SCIM_USERNAME_PARAMETER,
} from './onelogin-api-facts';
import type { AppParameter, OneLoginApp } from './onelogin-schemas';

type Unavailable = NonNullable<DirectorySnapshot['unavailable']>;

/**
 * A parameter's source as a canonical field. `user_attribute_mappings` holds OneLogin's own user
 * attribute name (`email`, `username`, `custom_attribute_<name>` ...), so `email` → `user.email`,
 * `username` → `user.username`. `_macro_` means the value is built by `user_attribute_macros`
 * (python SDK AppParameters): reported as an `expr:` so it never equals a plain field.
 */
export function parameterSource(p: AppParameter | undefined): string | null {
  const mapping = p?.user_attribute_mappings?.trim();
  if (!mapping) return null;
  if (mapping === '_macro_') return `expr:${p?.user_attribute_macros ?? '_macro_'}`;
  return canonicalField(mapping);
}

/** The OneLogin attribute a canonical source reads (`user.email` → `email`), or null for expressions. */
export function sourceAttribute(source: string | null): string | null {
  return source?.startsWith('user.') ? source.slice(5) : null;
}

export interface AppSettings {
  sso: DirectorySnapshot['app']['sso'];
  scim: DirectorySnapshot['app']['scim'];
  unavailable: Unavailable;
}

/**
 * The SAML / SCIM settings GET /api/2/apps/{id} shows:
 * - NameID: the `saml_username` parameter's `user_attribute_mappings` (the UI's "SAML Name ID (Subject)").
 * - email attribute: a parameter sent in the assertion (`include_in_saml_assertion`) whose key is
 *   an email name; the key is the attribute name (terraform onelogin_saml_apps `param_key_name`).
 * - SCIM userName: the `scimusername` parameter, which "uses the Username attribute by default"
 *   (KB0013904) — the same mismatch class as Okta's `${source.login}` default.
 * - `provisioning.enabled` is the only provisioning setting on the app.
 * What the API does not show is listed in `unavailable`, never guessed.
 */
export function readAppSettings(app: OneLoginApp): AppSettings {
  const params = app.parameters ?? {};
  const unavailable: Unavailable = [];
  const method = app.auth_method ?? null;
  const protocol =
    method === AUTH_METHOD_SAML ? 'saml' : method !== null && AUTH_METHODS_OIDC.includes(method) ? 'oidc' : null;
  const emailKey = Object.keys(params).find(
    (k) => EMAIL_ATTRIBUTE_KEYS.includes(k.toLowerCase()) && params[k]?.include_in_saml_assertion === true,
  );
  const emailSource = emailKey ? parameterSource(params[emailKey]) : null;
  const sso: AppSettings['sso'] = {
    protocol,
    nameIdFormat: null,
    nameIdSource: parameterSource(params[NAME_ID_PARAMETER]),
    emailAttribute: emailKey && emailSource ? { name: emailKey, source: emailSource } : null,
  };
  unavailable.push({
    check: 'sso.nameIdFormat',
    reason:
      "OneLogin API v2 does not return the SAML NameID format of an app; check it under the app's Configuration tab",
  });
  if (protocol === 'saml' && !params[NAME_ID_PARAMETER]) {
    unavailable.push({
      check: 'sso.nameIdSource',
      reason: `the app has no "${NAME_ID_PARAMETER}" parameter (SAML Name ID) in the API`,
    });
  }

  const enabled = app.provisioning?.enabled === true;
  const scimParam = params[SCIM_USERNAME_PARAMETER];
  let scim: AppSettings['scim'] = null;
  if (scimParam || enabled) {
    scim = {
      enabled,
      // An empty mapping falls back to OneLogin's documented default, the username.
      userNameSource: parameterSource(scimParam) ?? canonicalField(SCIM_USERNAME_DEFAULT),
      emailSource: null,
      create: null,
      update: null,
      deactivate: null,
      pushedGroupIds: null,
      intervalMinutes: null,
    };
    unavailable.push(
      {
        check: 'scim.emailSource',
        reason:
          "the SCIM email comes from the connector's SCIM JSON template ({$user.email} by default), which the API does not return",
      },
      {
        check: 'scim.create',
        reason:
          "OneLogin's provisioning actions (create / update / suspend-or-delete) are not in the API; only provisioning.enabled is",
      },
      {
        check: 'scim.pushedGroupIds',
        reason: 'OneLogin sends groups as app rules / entitlements, which this read does not evaluate',
      },
    );
  }
  return { sso, scim, unavailable };
}
