import type { FakeStore } from './onelogin-fake-store';

/** The object with only `keys` (in that order). */
export function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}

/**
 * `fields=a,b` (api-docs/2/getting-started/using-query-parameters): only those attributes, and
 * always `id`. Unknown names are ignored.
 */
export function withFields(o: Record<string, unknown>, q: URLSearchParams, fallback: readonly string[]): Record<string, unknown> {
  const f = q.get('fields');
  if (!f) return pick(o, fallback);
  const wanted = new Set(['id', ...f.split(',').map((x) => x.trim()).filter(Boolean)]);
  return pick(o, Object.keys(o).filter((k) => wanted.has(k)));
}

/** A name search: exact (case-insensitive), or with `*` wildcards (`name=workday*`). */
export function nameMatches(value: string, pattern: string | null): boolean {
  if (pattern === null || pattern === '') return true;
  if (!pattern.includes('*')) return value.toLowerCase() === pattern.toLowerCase();
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

const LIST_APP_KEYS = ['id', 'connector_id', 'auth_method', 'auth_method_description', 'name', 'description', 'updated_at', 'created_at', 'visible'];

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
  const namedApps = appName === null ? null : new Set(s.apps.filter((a) => nameMatches(String(a.name), appName)).map((a) => a.id as number));
  return s.roles
    .filter((r) => nameMatches(r.name, q.get('name')))
    .filter((r) => appId === null || r.apps.includes(appId))
    .filter((r) => namedApps === null || r.apps.some((a) => namedApps.has(a)))
    .map((r) => withFields(r, q, ['id', 'name', 'apps']));
}

/** GET /api/2/roles/{id}/users: the role's users (`include_unassigned=true`: everyone, flagged); `name` searches names and email. */
export function roleUsers(s: FakeStore, role: FakeStore['roles'][number], q: URLSearchParams): Record<string, unknown>[] {
  const all = q.get('include_unassigned') === 'true';
  const search = q.get('name')?.toLowerCase();
  const members = new Set(role.users);
  return s.users
    .filter((u) => all || members.has(u.id as number))
    .filter((u) => !search || [u.firstname, u.lastname, u.username, u.email].some((v) => String(v ?? '').toLowerCase().includes(search)))
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

/** GET /api/2/users: filters `user_ids` (comma list), `email`, `username`, `firstname`, `lastname` (with `*`), `fields`. */
export function listUsers(s: FakeStore, q: URLSearchParams): Record<string, unknown>[] {
  const ids = q.get('user_ids');
  const wanted = ids === null ? null : new Set(ids.split(',').map((x) => Number(x.trim())));
  return s.users
    .filter((u) => wanted === null || wanted.has(u.id as number))
    .filter((u) => ['email', 'username', 'firstname', 'lastname'].every((k) => nameMatches(String(u[k] ?? ''), q.get(k))))
    .map((u) => withFields(u, q, Object.keys(u)));
}
