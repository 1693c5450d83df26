import { HttpResponse } from 'msw';
import { googleError } from './google-fake-auth';

type Item = Record<string, unknown>;
type Clause = { field: string | null; op: string; value: string; quoted: boolean };

/** Google's answer to a `query` it cannot parse or that uses a field or operator the field does not take. */
export const invalidInput = () => HttpResponse.json(googleError(400, 'invalid', 'Invalid Input'), { status: 400 });

/** The fake's answer to a parameter, value or path it does not model: a loud 501 naming it, in Google's error JSON. */
export function notModelled(what: string): Response {
  // The shape and wording of FakeKit.notModelled through the fake's error hook (google-fake-errors.ts).
  const message = `Not modelled by this fake (@claude-idp/google/testing): ${what}`;
  const { error } = googleError(501, 'notImplemented', message);
  return HttpResponse.json(
    { error: { ...error, status: 'UNIMPLEMENTED' } },
    { status: 501, headers: { 'content-type': 'application/json; charset=UTF-8' } },
  );
}

/**
 * Search clauses separated by spaces (an implicit AND): `field=value`, `field:value`,
 * `field:prefix*`, `field<value` (and `<=`, `>`, `>=`), or a bare value; a value with spaces is
 * single-quoted, `\'` escaping a quote. Null when the text is not a list of clauses.
 */
export function parseClauses(query: string): Clause[] | null {
  const out: Clause[] = [];
  const re = /\s*(?:([A-Za-z][\w]*(?:\.[\w]+)?)(<=|>=|[=:<>]))?('(?:[^'\\]|\\.)*'|[^\s']+)(?=\s|$)/y;
  let at = 0;
  while (at < query.length) {
    if (!query.slice(at).trim()) break;
    re.lastIndex = at;
    const m = re.exec(query);
    if (!m) return null;
    const raw = m[3]!;
    const quoted = raw.startsWith("'");
    out.push({
      field: m[1] ?? null,
      op: m[2] ?? ':',
      value: quoted ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw,
      quoted,
    });
    at = re.lastIndex;
  }
  return out;
}

/** `:` "tests if a text attribute contains a value"; `:{PREFIX}*` (where the field allows it) is a prefix match; `=` an exact match. Case-insensitive. */
function textMatch(actual: unknown, c: Clause, prefixAllowed: boolean): boolean | null {
  const a = String(actual ?? '').toLowerCase();
  const v = c.value.toLowerCase();
  if (c.op === '=') return a === v;
  if (c.op !== ':') return null;
  if (!c.quoted && v.endsWith('*')) return prefixAllowed ? a.startsWith(v.slice(0, -1)) : null;
  return a.includes(v);
}

/**
 * The users.list `query` grammar (developers.google.com/workspace/admin/directory/v1/guides/search-users):
 * each documented field with the operators its row lists. Fields whose data the fake does not
 * hold (addresses, organizations, managers, phones, IMs, external ids, custom schemas) are a 501.
 */
const USER_FIELDS: Record<string, { ops: string; match: (u: Item, c: Clause) => boolean | null }> = {
  name: {
    ops: '=:',
    match: (u, c) => textMatch(`${nameOf(u).givenName ?? ''} ${nameOf(u).familyName ?? ''}`, c, false),
  },
  email: { ops: '=:', match: (u, c) => emailsOf(u).some((e) => textMatch(e, c, true)) },
  givenName: { ops: '=:', match: (u, c) => textMatch(nameOf(u).givenName, c, true) },
  familyName: { ops: '=:', match: (u, c) => textMatch(nameOf(u).familyName, c, true) },
  isAdmin: { ops: '=', match: (u, c) => bool(u.isAdmin, c) },
  isDelegatedAdmin: { ops: '=', match: (u, c) => bool(u.isDelegatedAdmin, c) },
  isSuspended: { ops: '=', match: (u, c) => bool(u.suspended, c) },
  isArchived: { ops: '=', match: (u, c) => bool(u.archived, c) },
  isEnrolledIn2Sv: { ops: '=', match: (u, c) => bool(u.isEnrolledIn2Sv, c) },
  isEnforcedIn2Sv: { ops: '=', match: (u, c) => bool(u.isEnforcedIn2Sv, c) },
  // "This matches all org unit chains under the target. For example, 'orgUnitPath=/' returns all users."
  orgUnitPath: {
    ops: '=',
    match: (u, c) => {
      const ou = c.value.toLowerCase().replace(/\/+$/, '');
      const path = String(u.orgUnitPath ?? '/').toLowerCase();
      return !ou || path === ou || path.startsWith(`${ou}/`);
    },
  },
};
/** Documented user search fields over data the fake's users do not carry. */
const USER_FIELDS_NOT_HELD = new Set([
  'im',
  'externalId',
  'manager',
  'managerId',
  'directManager',
  'directManagerId',
  'address',
  'addressPoBox',
  'addressExtended',
  'addressStreet',
  'addressLocality',
  'addressRegion',
  'addressPostalCode',
  'addressCountry',
  'orgName',
  'orgTitle',
  'orgDepartment',
  'orgDescription',
  'orgCostCenter',
  'phone',
]);

const nameOf = (u: Item) => (u.name ?? {}) as { givenName?: string; familyName?: string };
const emailsOf = (u: Item) => [
  u.primaryEmail,
  ...((u.aliases as string[]) ?? []),
  ...((u.nonEditableAliases as string[]) ?? []),
];
const bool = (actual: unknown, c: Clause) =>
  /^(true|false)$/i.test(c.value) ? String(Boolean(actual)) === c.value.toLowerCase() : null;

/** users.list `query`: Google's 400 Invalid Input for what it cannot parse or a field/operator it does not take, 501 for fields over data the fake does not hold. */
export function filterUsers(users: Item[], query: string | null): Item[] | Response {
  if (!query) return users;
  const cs = parseClauses(query);
  if (!cs) return invalidInput();
  const tests: ((u: Item) => boolean | null)[] = [];
  for (const c of cs) {
    if (c.field === null) {
      // "None specified: compare against the value in givenName, familyName, or email."
      tests.push((u) =>
        [nameOf(u).givenName, nameOf(u).familyName, ...emailsOf(u)].some((v) => textMatch(v, c, false)),
      );
      continue;
    }
    if (c.field.includes('.'))
      return notModelled(
        `the custom schema field '${c.field}' in a users query (the fake's users carry no custom schemas)`,
      );
    if (USER_FIELDS_NOT_HELD.has(c.field))
      return notModelled(`the users query field '${c.field}' (the fake's users carry no such data)`);
    const f = USER_FIELDS[c.field];
    if (!f?.ops.includes(c.op)) return invalidInput();
    tests.push((u) => f.match(u, c));
  }
  // A clause whose value does not fit its field (isAdmin=maybe, name:Jo*) is Invalid Input whatever the data.
  const probe = users[0] ?? { name: {}, primaryEmail: '' };
  if (tests.some((t) => t(probe) === null)) return invalidInput();
  return users.filter((u) => tests.every((t) => t(u) === true));
}

/**
 * groups.list `query` (developers.google.com/workspace/admin/directory/v1/guides/search-groups):
 * `email` and `name` (`=`, `:{PREFIX}*`), `memberKey` (`=`, direct members; not combined with the others).
 */
export function filterGroups(
  groups: Item[],
  query: string | null,
  members: Map<string, Item[]>,
  identities: (key: string) => Set<string>,
): Item[] | Response {
  if (!query) return groups;
  const cs = parseClauses(query);
  if (!cs) return invalidInput();
  if (cs.some((c) => c.field === 'memberKey') && cs.length > 1) return invalidInput();
  const tests: ((g: Item) => boolean | null)[] = [];
  for (const c of cs) {
    if (c.field === 'email' || c.field === 'name') {
      const field = c.field;
      if (c.op === ':' && (c.quoted || !c.value.endsWith('*'))) return invalidInput();
      tests.push((g) => textMatch(g[field], c, true));
    } else if (c.field === 'memberKey' && c.op === '=') {
      // "Any of the user's primary or alias email address, a group's primary or alias email address, or a user's unique ID."
      const ids = identities(c.value);
      tests.push((g) =>
        (members.get(String(g.id)) ?? []).some(
          (m) => ids.has(String(m.id).toLowerCase()) || ids.has(String(m.email).toLowerCase()),
        ),
      );
    } else return invalidInput();
  }
  if (tests.some((t) => t({}) === null)) return invalidInput();
  return groups.filter((g) => tests.every((t) => t(g) === true));
}

/** `orderBy` / `sortOrder` (discovery: users `email|familyName|givenName`, groups `email`; `ASCENDING|DESCENDING`), case-insensitive as Google's sort is. */
export function sortItems(items: Item[], url: URL, keys: Record<string, (x: Item) => unknown>): Item[] | Response {
  const orderBy = url.searchParams.get('orderBy');
  const sortOrder = url.searchParams.get('sortOrder');
  if (sortOrder !== null && !/^(ASCENDING|DESCENDING)$/i.test(sortOrder)) return invalidInput();
  if (orderBy === null) return items;
  const key = Object.entries(keys).find(([k]) => k.toLowerCase() === orderBy.toLowerCase())?.[1];
  if (!key) return invalidInput();
  const dir = sortOrder?.toUpperCase() === 'DESCENDING' ? -1 : 1;
  const text = (x: Item) => String(key(x) ?? '').toLowerCase();
  return [...items].sort((a, b) => dir * (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}
