/**
 * Canonical source-field names (SPEC §4): `user.<attribute>` in the IdP's own attribute name, so
 * SAML and SCIM sources compare as strings. Adapters translate their vendor expression; this
 * handles the common wrappers: `${source.login}`, `source.login`, `${user.login}`, `user.login`,
 * `appuser.x`, and a bare `login`.
 * Returns null for an expression that is not a single field (a function call, concatenation...),
 * prefixed with `expr:` so callers can still compare and show it.
 */
export function canonicalField(expression: string | null | undefined): string | null {
  if (expression == null) return null;
  let e = expression.trim();
  if (!e) return null;
  const wrapped = /^\$\{\s*([^}]*)\s*\}$/.exec(e);
  if (wrapped) e = (wrapped[1] ?? '').trim();
  const m = /^(?:source|user|appuser)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(e);
  if (m) return `user.${m[1]}`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(e)) return `user.${e}`;
  return `expr:${expression.trim()}`;
}

/** The attribute part of a canonical field (`user.email` -> `email`). */
export function fieldAttribute(canonical: string): string {
  return canonical.startsWith('user.') ? canonical.slice(5) : canonical;
}
