import { ApiCallError, InputError, type SsoSettings } from '@claude-idp/core';
import { OKTA_ID, PAGE } from './okta-api-facts';
import {
  emailAttribute,
  nameIdField,
  nameIdFormat,
  userNameField,
  type AttributeStatement,
  type UserNameTemplate,
} from './okta-fields';
import type { OktaLister } from './okta-paging';

/** The parts of Okta's `Application` (spec `GetApplicationsResponseEx`) this package reads. */
export interface OktaApp {
  id: string;
  name: string;
  label: string;
  status?: string;
  signOnMode?: string;
  features?: string[];
  credentials?: { userNameTemplate?: UserNameTemplate };
  settings?: {
    signOn?: {
      subjectNameIdTemplate?: string | null;
      subjectNameIdFormat?: string | null;
      attributeStatements?: AttributeStatement[] | null;
      configuredAttributeStatements?: AttributeStatement[] | null;
    };
  };
}

/**
 * Finds the app by id (`GET /api/v1/apps/{id}`, its own rate-limit bucket) or else by label/name
 * (`GET /api/v1/apps?q=` is a startsWith match on `name` or `label`, so the exact match is picked
 * here: the label as the admin typed it, then the internal name, then the label ignoring case).
 * Several exact matches are an error naming their ids, unless exactly one of them is ACTIVE.
 */
export async function findApp(l: OktaLister, ref: string): Promise<OktaApp> {
  if (OKTA_ID.test(ref) && ref.startsWith('0oa')) {
    try {
      return (await l.get(l.url(`/api/v1/apps/${ref}`), 'apps/{id}')).body as OktaApp;
    } catch (e) {
      // E0000007 Not found: an id-shaped label is still possible; fall through to the name search.
      if (!(ApiCallError.isInstance(e) && e.status === 404)) throw e;
    }
  }
  const apps = await l.list<OktaApp>({
    path: '/api/v1/apps',
    query: { q: ref, limit: PAGE.apps.max },
    resource: 'apps',
    endCheck: 'after-last-id',
  });
  const tiers = [
    (a: OktaApp) => a.label === ref,
    (a: OktaApp) => a.name === ref,
    (a: OktaApp) => a.label?.toLowerCase() === ref.toLowerCase(),
  ];
  for (const matches of tiers.map((t) => apps.filter(t))) {
    if (matches.length === 1) return matches[0]!;
    const active = matches.filter((a) => a.status === 'ACTIVE');
    if (active.length === 1) return active[0]!;
    if (matches.length > 1) {
      throw new InputError({
        source: '--app',
        issues: [
          {
            path: 'app',
            expected: `one Okta app; several are named so, pass the id (${matches.map((a) => a.id).join(', ')})`,
            received: JSON.stringify(ref),
          },
        ],
      });
    }
  }
  throw new InputError({
    source: '--app',
    issues: [
      { path: 'app', expected: 'the id (0oa…) or label of an app in this Okta org', received: JSON.stringify(ref) },
    ],
  });
}

/**
 * SSO settings in canonical fields. SAML: NameID from `subjectNameIdTemplate` (the app username
 * when `${user.userName}`), its format from `subjectNameIdFormat`, the email statement from
 * `attributeStatements` / `configuredAttributeStatements`. OIDC: the ID token's
 * `preferred_username` is the app username and its `email` claim is always the profile email.
 */
export function ssoSettings(app: OktaApp, resolveAppUser: (attribute: string) => string | null): SsoSettings {
  const signOn = app.settings?.signOn ?? {};
  const template = app.credentials?.userNameTemplate;
  switch (app.signOnMode) {
    case 'SAML_2_0':
    case 'SAML_1_1':
      return {
        protocol: 'saml',
        nameIdFormat: nameIdFormat(signOn.subjectNameIdFormat),
        nameIdSource: nameIdField(signOn.subjectNameIdTemplate, template),
        emailAttribute: emailAttribute(signOn, resolveAppUser),
      };
    case 'OPENID_CONNECT':
      return {
        protocol: 'oidc',
        nameIdFormat: null,
        nameIdSource: userNameField(template),
        emailAttribute: { name: 'email', source: 'user.email' },
      };
    default:
      return { protocol: null, nameIdFormat: null, nameIdSource: null, emailAttribute: null };
  }
}
