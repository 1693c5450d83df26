import { HttpResponse } from 'msw';
import { googleError } from './google-fake-auth';

type Item = Record<string, unknown>;

/**
 * Search clauses, separated by spaces (implicit AND): `field=value`, `field:value`,
 * `field:prefix*`; values may be single-quoted with `\'` escapes
 * (developers.google.com/admin-sdk/directory/v1/guides/search-users, .../search-groups).
 */
function clauses(query: string): { field: string; op: string; value: string }[] | null {
  const out: { field: string; op: string; value: string }[] = [];
  const re = /\s*([A-Za-z]+)([=:])('(?:[^'\\]|\\.)*'|\S+)/y;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(query))) {
    const raw = m[3]!;
    out.push({ field: m[1]!, op: m[2]!, value: raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw });
    end = re.lastIndex;
  }
  return query.slice(end).trim() ? null : out;
}

function textMatch(actual: unknown, op: string, value: string): boolean {
  const a = String(actual ?? '').toLowerCase();
  const v = value.toLowerCase();
  if (op === '=') return a === v;
  return v.endsWith('*') ? a.startsWith(v.slice(0, -1)) : a.includes(v);
}

const invalid = () => HttpResponse.json(googleError(400, 'invalid', 'Invalid Input'), { status: 400 });

/** users.list `query`: orgUnitPath (subtree match), isSuspended, isArchived, email (including aliases). */
export function filterUsers(users: Item[], query: string | null): Item[] | Response {
  if (!query) return users;
  const cs = clauses(query);
  if (!cs) return invalid();
  let out = users;
  for (const c of cs) {
    if (c.field === 'orgUnitPath' && c.op === '=') {
      // "This matches all org unit chains under the target. For example, 'orgUnitPath=/' returns all users."
      const ou = c.value.toLowerCase().replace(/\/+$/, '');
      out = out.filter((u) => !ou || String(u.orgUnitPath).toLowerCase() === ou || String(u.orgUnitPath).toLowerCase().startsWith(`${ou}/`));
    } else if ((c.field === 'isSuspended' || c.field === 'isArchived') && c.op === '=') {
      const key = c.field === 'isSuspended' ? 'suspended' : 'archived';
      out = out.filter((u) => String(Boolean(u[key])) === c.value.toLowerCase());
    } else if (c.field === 'email') {
      out = out.filter((u) => [u.primaryEmail, ...((u.aliases as string[]) ?? [])].some((e) => textMatch(e, c.op, c.value)));
    } else return invalid();
  }
  return out;
}

/** groups.list `query`: email and name (`=`, `:{PREFIX}*`), memberKey (`=`, direct members). */
export function filterGroups(groups: Item[], query: string | null, members: Map<string, Item[]>): Item[] | Response {
  if (!query) return groups;
  const cs = clauses(query);
  if (!cs) return invalid();
  let out = groups;
  for (const c of cs) {
    if (c.field === 'email' || c.field === 'name') out = out.filter((g) => textMatch(g[c.field], c.op, c.value));
    else if (c.field === 'memberKey' && c.op === '=') out = out.filter((g) => (members.get(String(g.id)) ?? []).some((m) => m.id === c.value || String(m.email).toLowerCase() === c.value.toLowerCase()));
    else return invalid();
  }
  return out;
}
