import { canonicalField } from '@claude-idp/core';

/**
 * Okta expression → canonical source field (SPEC §4), e.g. `${source.login}` → `user.login`.
 *
 * Okta writes the same field several ways depending on where it is configured:
 * - username templates (BUILT_IN): `${source.login}`, `${source.email}`, `${fn:toLowerCase(source.email)}`;
 * - CUSTOM username templates and attribute statements / profile mappings: Okta Expression
 *   Language without `${}`: `user.email`, `user.login`, `String.toLowerCase(user.email)`;
 * - the NameID template: `${user.userName}` = the *app username*, resolved through the username template.
 * Case-folding wrappers keep the field (emails compare case-insensitively, SPEC §5); anything else
 * (substringBefore, concatenation) is not the same value and stays an `expr:` string.
 */
const CASE_FOLD =
  /^\$?\{?\s*(?:fn:toLowerCase|fn:toUpperCase|String\.toLowerCase|String\.toUpperCase)\(\s*([A-Za-z_.]+)\s*\)\s*\}?$/;

export function oktaField(expression: string | null | undefined): string | null {
  if (expression == null || expression.trim() === '') return null;
  const folded = CASE_FOLD.exec(expression.trim());
  return canonicalField(folded ? folded[1] : expression);
}

/** Okta's default app username template (spec `ApplicationCredentialsUsernameTemplate`). */
export const DEFAULT_USERNAME_TEMPLATE = '${source.login}';

export interface UserNameTemplate {
  template?: string | null;
  type?: string | null;
}

/**
 * The field the app username is built from. Type `NONE` means the app has no username (null);
 * a missing template means Okta's default, the Okta username.
 */
export function userNameField(t: UserNameTemplate | null | undefined): string | null {
  if (t?.type === 'NONE') return null;
  return oktaField(t?.template ?? DEFAULT_USERNAME_TEMPLATE);
}

const APP_USERNAME = /^\$?\{?\s*(?:user|appuser)\.userName\s*\}?$/;

/**
 * The SAML NameID source. `subjectNameIdTemplate` defaults to `${user.userName}`, the app
 * username, which comes from the username template (default `${source.login}`: the classic
 * mismatch with an `email` statement reading `user.email`).
 */
export function nameIdField(
  subjectNameIdTemplate: string | null | undefined,
  userName: UserNameTemplate | null | undefined,
): string | null {
  const t = subjectNameIdTemplate?.trim() || '${user.userName}';
  return APP_USERNAME.test(t) ? userNameField(userName) : oktaField(t);
}

/** `urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress` → `emailAddress`. */
export function nameIdFormat(urn: string | null | undefined): string | null {
  if (!urn) return null;
  const i = urn.lastIndexOf('nameid-format:');
  return i >= 0 ? urn.slice(i + 'nameid-format:'.length) : urn;
}

export interface AttributeStatement {
  type?: string;
  name?: string;
  namespace?: string;
  values?: string[];
  filterType?: string;
  filterValue?: string;
}

/** Names an attribute statement carrying the email may have: `email`, `Email`, `mail`, the WS-Fed claim URI. */
const EMAIL_NAME = /^(?:e-?mail|emailaddress|mail|user\.?email)$|\/(?:emailaddress|email)$/i;

/**
 * The email attribute statement: custom statements (`attributeStatements`) win over the ones an
 * OIN integration ships with (`configuredAttributeStatements`); only EXPRESSION statements carry a
 * field (GROUP statements carry group names). An exact `email` name wins over look-alikes.
 * `appuser.x` reads the app user profile, which the To-App profile mapping fills: resolve it there.
 */
export function emailAttribute(
  statements: {
    attributeStatements?: AttributeStatement[] | null;
    configuredAttributeStatements?: AttributeStatement[] | null;
  },
  resolveAppUser: (attribute: string) => string | null = () => null,
): { name: string; source: string } | null {
  const all = [...(statements.attributeStatements ?? []), ...(statements.configuredAttributeStatements ?? [])].filter(
    (s) =>
      (s.type ?? 'EXPRESSION') === 'EXPRESSION' &&
      typeof s.name === 'string' &&
      EMAIL_NAME.test(s.name) &&
      s.values?.length,
  );
  const pick = all.find((s) => s.name === 'email') ?? all[0];
  if (!pick) return null;
  const value = (pick.values?.[0] ?? '').trim();
  const appUser = /^appuser\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  const source = appUser ? (resolveAppUser(appUser[1]!) ?? oktaField(value)) : oktaField(value);
  return source ? { name: pick.name!, source } : null;
}

/** The attribute (`email`) of a canonical `user.email`, or null for `expr:` values. */
export function profileAttribute(field: string | null): string | null {
  return field?.startsWith('user.') ? field.slice(5) : null;
}
