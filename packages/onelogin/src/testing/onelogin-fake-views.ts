import type { FakeStore } from './onelogin-fake-store';

/**
 * Listings already computed for a store, by endpoint and filters (`viewKey`). A listing is read
 * page by page with the same filters each time, and recomputing it per page made the fake
 * quadratic: a 39,000-member role is 390 pages of 100, each of which scanned all 50,000 users
 * (and the full user listing re-projected all 50,000 per page). Keyed by the store object, which
 * `update()` replaces, so a change is still seen by the next request.
 */
const views = new WeakMap<FakeStore, Map<string, Record<string, unknown>[]>>();

/** Paging parameters: they pick a page of a listing, not which listing. */
const PAGING = new Set(['cursor', 'limit', 'page', 'sort']);

/** The memo key of a listing request: its path and every parameter but the paging ones, in a fixed order. */
export function viewKey(path: string, q: URLSearchParams): string {
  const kept = [...q.entries()].filter(([k]) => !PAGING.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${new URLSearchParams(kept).toString()}`;
}

/** The listing `key` of store `s`, computed on first use. */
export function cachedView(
  s: FakeStore,
  key: string,
  compute: () => Record<string, unknown>[],
): Record<string, unknown>[] {
  let forStore = views.get(s);
  if (!forStore) views.set(s, (forStore = new Map()));
  let view = forStore.get(key);
  if (!view) forStore.set(key, (view = compute()));
  return view;
}

/**
 * The users with these ids (all users for `null`) in the store's order. Looked up by id and
 * sorted by position rather than found by a scan of every user: the adapter asks ~500 pages of
 * 100 `user_ids` at 50,000 people, and a role's members are often a small part of the directory.
 */
function inStoreOrder(s: FakeStore, ids: Set<number> | null): Record<string, unknown>[] {
  if (ids === null) return s.users;
  const at = positionOf(s);
  return [...ids]
    .filter((id) => at.has(id))
    .sort((a, b) => at.get(a)! - at.get(b)!)
    .map((id) => s.userById.get(id)!);
}

/** Each user's position in `s.users`. */
const positions = new WeakMap<FakeStore, Map<number, number>>();
function positionOf(s: FakeStore): Map<number, number> {
  let map = positions.get(s);
  if (!map) positions.set(s, (map = new Map(s.users.map((u, i) => [u.id as number, i]))));
  return map;
}

/** The object with only `keys` (in that order). */
export function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}

/**
 * `fields=a,b` (api-docs/2/getting-started/using-query-parameters): only those attributes, and
 * always `id`. Unknown names are ignored.
 */
export function withFields(
  o: Record<string, unknown>,
  q: URLSearchParams,
  fallback: readonly string[],
): Record<string, unknown> {
  const f = q.get('fields');
  if (!f) return pick(o, fallback);
  const wanted = new Set([
    'id',
    ...f
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ]);
  return pick(
    o,
    Object.keys(o).filter((k) => wanted.has(k)),
  );
}

/** A name search: exact (case-insensitive), or with `*` wildcards (`name=workday*`). */
export function nameMatches(value: string, pattern: string | null): boolean {
  if (pattern === null || pattern === '') return true;
  if (!pattern.includes('*')) return value.toLowerCase() === pattern.toLowerCase();
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(value);
}

const LIST_APP_KEYS = [
  'id',
  'connector_id',
  'auth_method',
  'auth_method_description',
  'name',
  'description',
  'updated_at',
  'created_at',
  'visible',
];

/** GET /api/2/apps: filters `name`, `connector_id`, `auth_method`; items as in list-apps. */
export function listApps(s: FakeStore, q: URLSearchParams): Record<string, unknown>[] {
  return s.apps
    .filter((a) => nameMatches(String(a.name), q.get('name')))
    .filter((a) => !q.has('connector_id') || a.connector_id === Number(q.get('connector_id')))
    .filter((a) => !q.has('auth_method') || a.auth_method === Number(q.get('auth_method')))
    .map((a) => withFields(pick(a, LIST_APP_KEYS), q, LIST_APP_KEYS));
}

/** GET /api/2/roles: filters `name`, `app_id` (roles that carry the app), `app_name`; `fields` of id, name, apps, users, admins. */
export function listRoles(s: FakeStore, q: URLSearchParams): Record<string, unknown>[] {
  const appId = q.has('app_id') ? Number(q.get('app_id')) : null;
  const appName = q.get('app_name');
  const namedApps =
    appName === null
      ? null
      : new Set(s.apps.filter((a) => nameMatches(String(a.name), appName)).map((a) => a.id as number));
  return s.roles
    .filter((r) => nameMatches(r.name, q.get('name')))
    .filter((r) => appId === null || r.apps.includes(appId))
    .filter((r) => namedApps === null || r.apps.some((a) => namedApps.has(a)))
    .map((r) => withFields(r, q, ['id', 'name', 'apps']));
}

/** GET /api/2/roles/{id}/users: the role's users (`include_unassigned=true`: everyone, flagged); `name` searches names and email. */
export function roleUsers(
  s: FakeStore,
  role: FakeStore['roles'][number],
  q: URLSearchParams,
): Record<string, unknown>[] {
  const all = q.get('include_unassigned') === 'true';
  const search = q.get('name')?.toLowerCase();
  const members = new Set(role.users);
  return inStoreOrder(s, all ? null : members)
    .filter(
      (u) =>
        !search ||
        [u.firstname, u.lastname, u.username, u.email].some((v) =>
          String(v ?? '')
            .toLowerCase()
            .includes(search),
        ),
    )
    .map((u) => ({
      id: u.id,
      name: `${String(u.firstname)} ${String(u.lastname)}`,
      username: u.username,
      // Who added the member is not modelled; the field is there, empty.
      added_by: null,
      added_at: u.created_at,
      assigned: members.has(u.id as number),
    }));
}

/** The /api/2/users search parameters the fake implements (api-docs/2/users/list-users); `custom_attributes.<name>` too. */
export const USER_FILTERS = [
  'user_ids',
  'email',
  'username',
  'firstname',
  'lastname',
  'samaccountname',
  'directory_id',
  'external_id',
  'created_since',
  'created_until',
  'updated_since',
  'updated_until',
  'last_login_since',
  'last_login_until',
  'fields',
] as const;
const SINCE_UNTIL: [string, string, string][] = [
  ['created_since', 'created_at', 'since'],
  ['created_until', 'created_at', 'until'],
  ['updated_since', 'updated_at', 'since'],
  ['updated_until', 'updated_at', 'until'],
  ['last_login_since', 'last_login', 'since'],
  ['last_login_until', 'last_login', 'until'],
];

/** An ISO 8601 timestamp parameter that does not parse: the name of the first, or null. */
export function badTimestamp(q: URLSearchParams): string | null {
  return SINCE_UNTIL.map(([p]) => p).find((p) => q.has(p) && Number.isNaN(Date.parse(q.get(p)!))) ?? null;
}

/**
 * GET /api/2/users: `user_ids` (comma list); `email`, `username`, `firstname`, `lastname`,
 * `samaccountname`, `directory_id`, `external_id` and `custom_attributes.<name>` (exact,
 * case-insensitive, `*` wildcards); `created_` / `updated_` / `last_login_` `since` / `until`
 * (ISO 8601, strictly after / before; a user who never logged in matches neither); `fields`.
 */
export function listUsers(s: FakeStore, q: URLSearchParams): Record<string, unknown>[] {
  const ids = q.get('user_ids');
  const wanted = ids === null ? null : new Set(ids.split(',').map((x) => Number(x.trim())));
  const exact = ['email', 'username', 'firstname', 'lastname', 'samaccountname', 'directory_id', 'external_id'].filter(
    (k) => q.has(k),
  );
  const custom = [...q.keys()].filter((k) => k.startsWith('custom_attributes.'));
  const times = SINCE_UNTIL.filter(([p]) => q.has(p)).map(([p, field, dir]) => ({
    field,
    dir,
    at: Date.parse(q.get(p)!),
  }));
  return inStoreOrder(s, wanted)
    .filter((u) => exact.every((k) => u[k] !== null && u[k] !== undefined && nameMatches(String(u[k]), q.get(k))))
    .filter((u) =>
      custom.every((k) => {
        const v = (u.custom_attributes as Record<string, unknown> | undefined)?.[k.slice('custom_attributes.'.length)];
        return v !== null && v !== undefined && nameMatches(String(v), q.get(k));
      }),
    )
    .filter((u) =>
      times.every(({ field, dir, at }) => {
        const t = typeof u[field] === 'string' ? Date.parse(u[field] as string) : Number.NaN;
        return !Number.isNaN(t) && (dir === 'since' ? t > at : t < at);
      }),
    )
    .map((u) => withFields(u, q, Object.keys(u)));
}
