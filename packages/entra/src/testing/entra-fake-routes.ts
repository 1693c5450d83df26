import { HttpResponse } from 'msw';
import type { FakeKit, PagingFaults } from '@claude-idp/core/testing';
import { compileFilter } from './entra-fake-filter';
import { graphError, listPage, notModelled, project } from './entra-fake-odata';
import {
  compileSearch,
  EXPAND_LIMIT,
  orderItems,
  parseExpand,
  readQuery,
  resolveSelect,
  unmodelledParams,
  type StoredProps,
} from './entra-fake-query';
import type { EntraStore, GraphObject } from './entra-fake-store';
import type { GraphTypeName } from './entra-graph-properties';

export interface RouteContext {
  store: EntraStore;
  kit: FakeKit;
  /** e.g. `https://graph.microsoft.com` */
  root: string;
}

/** What Graph returns for a user without `$select` (the user resource's default properties). */
const USER_DEFAULT = [
  'id',
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];
/** Query options of a top-level directory collection (`/users`, `/groups`, `/servicePrincipals`). */
const COLLECTION_OPTIONS = ['$select', '$filter', '$top', '$count', '$skiptoken', '$search', '$orderby', '$expand'];
/** Of a directory relationship listing (`members`, `transitiveMembers`, `memberOf`, `transitiveMemberOf`); `$filter` there is not modelled. */
const RELATIONSHIP_OPTIONS = ['$select', '$top', '$count', '$skiptoken', '$search', '$orderby'];
/** OData casts of directory objects; the fake's groups hold users and groups only. */
const CASTS: Record<string, GraphTypeName | null> = {
  'microsoft.graph.user': 'user',
  'microsoft.graph.group': 'group',
  'microsoft.graph.device': null,
  'microsoft.graph.orgcontact': null,
  'microsoft.graph.serviceprincipal': null,
  'microsoft.graph.application': null,
  'microsoft.graph.directoryrole': null,
  'microsoft.graph.administrativeunit': null,
};

type Member = { type: 'user' | 'group'; id: string };

const notFound = (id: string) =>
  graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
const segmentNotFound = (segment: string) =>
  graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

/** Per store: what it holds of each type, and who is a member of what (for memberOf). */
const derived = new WeakMap<EntraStore, { stored: StoredProps; parents: Map<string, string[]> }>();
function indexOf(s: EntraStore) {
  let d = derived.get(s);
  if (!d) {
    const keys = (objects: GraphObject[]) => new Set(objects.flatMap((o) => Object.keys(o)));
    const parents = new Map<string, string[]>();
    for (const [groupId, members] of s.members)
      for (const m of members) parents.set(m.id, [...(parents.get(m.id) ?? []), groupId]);
    d = {
      stored: {
        user: keys(s.users),
        group: keys(s.groups),
        servicePrincipal: keys(s.servicePrincipals),
        appRoleAssignment: keys([...s.assignments.values()].flat()),
      },
      parents,
    };
    derived.set(s, d);
  }
  return d;
}

/** Everything reachable through `next`, each once, breadth first (transitive members, transitive memberships). */
function closure(start: string, next: (id: string) => Member[]): Member[] {
  const out = new Map<string, Member>();
  const queue = [start];
  while (queue.length) {
    for (const m of next(queue.shift()!)) {
      if (out.has(m.id) || m.id === start) continue;
      out.set(m.id, m);
      if (m.type === 'group') queue.push(m.id);
    }
  }
  return [...out.values()];
}

/**
 * Answers one Graph GET (a plain request or one item of a `$batch`) from the store: the
 * directory collections with `$filter`, `$search`, `$orderby`, `$select`, `$expand`, `$top`,
 * `$count` (query option and `/$count` segment), relationships with OData casts, the app's
 * service principal (by id or `(appId='…')`) and its assignments, claims and provisioning.
 * Anything else answers as Graph rejects it or with a 501 naming what is not modelled.
 */
export function routeGraph(
  ctx: RouteContext,
  request: Request,
  version: string,
  path: string,
  faults?: PagingFaults,
): Response {
  // Graph answers 401 without a bearer token; the fake requires one (any value) to catch auth that never got attached.
  if (!/^Bearer \S+/.test(request.headers.get('authorization') ?? ''))
    return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const where = `/${version}${path}`;
  if (request.method !== 'GET') return notModelled(`${request.method} ${where} (the fake is read-only)`);
  const q = readQuery(request);
  const meta = `${ctx.root}/${version}/$metadata#`;
  const s = ctx.store;
  const { stored, parents } = indexOf(s);
  let seg: string[];
  try {
    seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return segmentNotFound(path);
  }
  const only = (allowed: string[]) => unmodelledParams(q, allowed, where);
  const list = <T>(items: readonly T[], context: string, render?: (item: T) => Record<string, unknown>) =>
    listPage({ request, kit: ctx.kit, faults, items, render, context });
  const ctxSel = (name: string, select: string[] | null) => `${meta}${name}${select ? `(${select.join(',')})` : ''}`;
  const text = (n: number) => new HttpResponse(String(n), { status: 200, headers: { 'content-type': 'text/plain' } });

  /** `$filter` then `$search`, over objects of one type. */
  const narrow = (type: GraphTypeName, items: GraphObject[], filterAllowed = true): GraphObject[] | Response => {
    let out = items;
    const f = q.params.get('$filter');
    if (f !== undefined) {
      if (!filterAllowed) return notModelled(`$filter on GET ${where}`);
      const test = compileFilter(f, type, q.advanced, stored[type]!);
      if (test instanceof Response) return test;
      out = out.filter(test);
    }
    const search = compileSearch(q, type, stored);
    if (search instanceof Response) return search;
    return search ? out.filter(search) : out;
  };
  /** `/{collection}/$count`: a text/plain number, only with `ConsistencyLevel: eventual`. */
  const countOf = (type: GraphTypeName, items: GraphObject[]) => {
    const bad = only(['$filter', '$search']);
    if (bad) return bad;
    if (!q.eventual) return graphError(400, 'Request_BadRequest', '$count is not currently supported.');
    const found = narrow(type, items);
    return found instanceof Response ? found : text(found.length);
  };
  /** A member as directory listings render it: its `@odata.type`, and the user default properties or the selection. */
  const renderMember = (m: Member, select: string[] | null) => {
    const obj = s.byId.get(m.id)!;
    const fields = select ?? (m.type === 'user' ? USER_DEFAULT : null);
    return fields
      ? project(obj, fields, `#microsoft.graph.${m.type}`)
      : { '@odata.type': `#microsoft.graph.${m.type}`, ...obj };
  };
  const expanded = (
    relationship: 'members' | 'memberOf',
    id: string,
    select: string | undefined,
  ): Record<string, unknown>[] | Response => {
    const types: GraphTypeName[] = relationship === 'members' ? ['user', 'group'] : ['group'];
    const fields = resolveSelect(select, types, stored, 'directoryObject');
    if (fields instanceof Response) return fields;
    const related: Member[] =
      relationship === 'members'
        ? (s.members.get(id) ?? [])
        : (parents.get(id) ?? []).map((g) => ({ type: 'group', id: g }));
    return related.slice(0, EXPAND_LIMIT).map((m) => renderMember(m, fields));
  };
  /** A top-level collection: `/users`, `/groups`, `/servicePrincipals`. */
  const collection = (
    name: string,
    type: GraphTypeName,
    items: GraphObject[],
    relationship: 'members' | 'memberOf' | null,
  ) => {
    const bad = only(COLLECTION_OPTIONS);
    if (bad) return bad;
    const select = resolveSelect(q.params.get('$select'), [type], stored, type);
    if (select instanceof Response) return select;
    const found = narrow(type, items);
    if (found instanceof Response) return found;
    const sorted = orderItems(q, type, found, q.params.has('$filter') || q.params.has('$search'), stored);
    if (sorted instanceof Response) return sorted;
    const expand = parseExpand(q, relationship, where);
    if (expand instanceof Response) return expand;
    const fields = select ?? (type === 'user' ? USER_DEFAULT : null);
    if (expand) {
      // Validate the nested selection once, before the first page is rendered.
      const probe = expanded(relationship!, '', expand.select);
      if (probe instanceof Response) return probe;
    }
    return list(sorted, ctxSel(name, select), (x) => {
      const out = project(x, fields);
      return expand ? { ...out, [relationship!]: expanded(relationship!, x.id, expand.select) } : out;
    });
  };
  const entity = (
    name: string,
    type: GraphTypeName,
    item: GraphObject,
    relationship: 'members' | 'memberOf' | null,
  ) => {
    const bad = only(['$select', '$expand']);
    if (bad) return bad;
    const select = resolveSelect(q.params.get('$select'), [type], stored, type);
    if (select instanceof Response) return select;
    const expand = parseExpand(q, relationship, where);
    if (expand instanceof Response) return expand;
    const extra = expand ? expanded(relationship!, item.id, expand.select) : undefined;
    if (extra instanceof Response) return extra;
    const body = {
      '@odata.context': `${ctxSel(name, select)}/$entity`,
      ...project(item, select ?? (type === 'user' ? USER_DEFAULT : null)),
      ...(extra ? { [relationship!]: extra } : {}),
    };
    return HttpResponse.json(body as never);
  };
  /**
   * A directory relationship: `members` / `transitiveMembers` of a group, `memberOf` /
   * `transitiveMemberOf` of a user, optionally cast (`/microsoft.graph.user`) and counted (`/$count`).
   */
  const relationship = (members: Member[], rest: string[]) => {
    let cast: GraphTypeName | null = null;
    if (rest[0] && rest[0] !== '$count') {
      const key = rest[0].toLowerCase();
      if (!(key in CASTS)) return segmentNotFound(rest[0]);
      cast = CASTS[key]!;
      if (!cast) return notModelled(`the cast to ${rest[0]} (the fake's directory holds users and groups only)`);
      rest = rest.slice(1);
    }
    if (rest.length > 1 || (rest[0] && rest[0] !== '$count')) return segmentNotFound(rest[rest.length - 1]!);
    const typed = cast ? members.filter((m) => m.type === cast) : members;
    const types: GraphTypeName[] = cast ? [cast] : [...new Set(members.map((m) => m.type))];
    const label = cast ?? 'directoryObject';
    // $search and $orderby on a relationship: tested per member type; both need the advanced query parameters.
    const searchOf = new Map<string, ((x: GraphObject) => boolean) | null>();
    for (const t of types.length ? types : (['user'] as GraphTypeName[])) {
      const p = compileSearch(q, t, stored);
      if (p instanceof Response) {
        if (cast || types.length <= 1) return p;
        searchOf.set(t, () => false);
      } else searchOf.set(t, p);
    }
    const found = typed.filter((m) => searchOf.get(m.type)?.(s.byId.get(m.id)!) ?? true);
    if (rest[0] === '$count') {
      const bad = only(['$search']);
      if (bad) return bad;
      return q.eventual
        ? text(found.length)
        : graphError(400, 'Request_BadRequest', '$count is not currently supported.');
    }
    const bad = only(RELATIONSHIP_OPTIONS);
    if (bad) return bad;
    const select = resolveSelect(q.params.get('$select'), cast ? [cast] : ['user', 'group'], stored, label);
    if (select instanceof Response) return select;
    let ordered = found;
    if (q.params.has('$orderby')) {
      const objects = orderItems(
        q,
        cast ?? 'user',
        found.map((m) => ({ ...s.byId.get(m.id)!, id: m.id, '#': m })),
        true,
        stored,
      );
      if (objects instanceof Response) return objects;
      ordered = objects.map((o) => o['#'] as Member);
    }
    return list(ordered, cast ? ctxSel(`${cast}s`, select) : ctxSel('directoryObjects', select), (m) =>
      renderMember(m, select),
    );
  };

  if (version === 'beta') {
    const sp = seg[0] === 'servicePrincipals' ? s.servicePrincipals.find((x) => x.id === seg[1]) : undefined;
    if (seg[0] === 'servicePrincipals' && seg[2] === 'claimsPolicy' && seg.length === 3) {
      const bad = only([]);
      if (bad) return bad;
      if (!sp) return notFound(seg[1]!);
      const policy = s.claimsPolicy.get(sp.id);
      return policy
        ? HttpResponse.json({
            '@odata.context': `${meta}servicePrincipals('${sp.id}')/claimsPolicy/$entity`,
            ...policy,
          } as never)
        : notFound(sp.id);
    }
    return notModelled(`GET ${where} (on beta the fake serves only servicePrincipals/{id}/claimsPolicy)`);
  }

  // `servicePrincipals(appId='{appId}')` addresses a service principal by its application id.
  const byAppId = /^servicePrincipals\(appId='((?:[^']|'')*)'\)$/i.exec(seg[0] ?? '');
  if (byAppId) {
    const appId = byAppId[1]!.replace(/''/g, "'");
    const found = s.servicePrincipals.find((x) => String(x.appId).toLowerCase() === appId.toLowerCase());
    if (!found) return notFound(appId);
    seg = ['servicePrincipals', found.id, ...seg.slice(1)];
  }

  // A version inside the path (`/v1.0/v1.0/groups`, what @microsoft/microsoft-graph-client 3.0.7 sends for a
  // batch step built from a versioned URL) is an unknown segment to Graph (msgraph-sdk-javascript#1178).
  if (seg[0] === 'v1.0' || seg[0] === 'beta') return segmentNotFound(seg[0]);
  switch (seg[0]) {
    case 'servicePrincipals': {
      if (seg.length === 1) return collection('servicePrincipals', 'servicePrincipal', s.servicePrincipals, null);
      if (seg[1] === '$count' && seg.length === 2) return countOf('servicePrincipal', s.servicePrincipals);
      const sp = s.servicePrincipals.find((x) => x.id === seg[1]);
      if (!sp) return notFound(seg[1]!);
      if (seg.length === 2) return entity('servicePrincipals', 'servicePrincipal', sp, null);
      if (seg[2] === 'appRoleAssignedTo' && seg.length === 3) {
        const bad = only(['$select', '$top', '$count', '$skiptoken']);
        if (bad) return bad;
        const select = resolveSelect(q.params.get('$select'), ['appRoleAssignment'], stored, 'appRoleAssignment');
        if (select instanceof Response) return select;
        return list(
          s.assignments.get(sp.id) ?? [],
          `${meta}servicePrincipals('${sp.id}')/appRoleAssignedTo${select ? `(${select.join(',')})` : ''}`,
          (x) => project(x, select),
        );
      }
      if (seg[2] === 'claimsMappingPolicies' && seg.length === 3)
        return (
          only(['$top', '$skiptoken']) ??
          list(s.claimsMappingPolicies.get(sp.id) ?? [], `${meta}servicePrincipals('${sp.id}')/claimsMappingPolicies`)
        );
      if (seg[2] === 'synchronization' && seg[3] === 'jobs') {
        const jobs = s.jobs.get(sp.id) ?? [];
        if (seg.length === 4)
          return (
            only(['$top', '$skiptoken']) ?? list(jobs, `${meta}servicePrincipals('${sp.id}')/synchronization/jobs`)
          );
        const job = jobs.find((j) => j.id === seg[4]);
        if (!job) return notFound(seg[4]!);
        if (seg[5] === 'schema' && seg.length === 6)
          return (
            only([]) ??
            HttpResponse.json({
              '@odata.context': `${meta}servicePrincipals('${sp.id}')/synchronization/jobs('${job.id}')/schema/$entity`,
              ...s.schemas.get(job.id),
            } as never)
          );
      }
      break;
    }
    case 'groups': {
      if (seg.length === 1) return collection('groups', 'group', s.groups, 'members');
      if (seg[1] === '$count' && seg.length === 2) return countOf('group', s.groups);
      const found = s.byId.get(seg[1]!);
      const group = found && s.members.has(String(found.id)) ? found : s.groups.find((g) => g.id === seg[1]);
      if (!group) return notFound(seg[1]!);
      if (seg.length === 2) return entity('groups', 'group', group, 'members');
      if (seg[2] === 'members') return relationship(s.members.get(group.id) ?? [], seg.slice(3));
      if (seg[2] === 'transitiveMembers')
        return relationship(
          closure(group.id, (id) => s.members.get(id) ?? []),
          seg.slice(3),
        );
      break;
    }
    case 'users': {
      if (seg.length === 1) return collection('users', 'user', s.users, 'memberOf');
      if (seg[1] === '$count' && seg.length === 2) return countOf('user', s.users);
      const user = s.users.find(
        (u) => u.id === seg[1] || String(u.userPrincipalName).toLowerCase() === seg[1]!.toLowerCase(),
      );
      if (!user) return notFound(seg[1]!);
      if (seg.length === 2) return entity('users', 'user', user, 'memberOf');
      const up = (id: string): Member[] => (parents.get(id) ?? []).map((g) => ({ type: 'group', id: g }));
      if (seg[2] === 'memberOf') return relationship(up(user.id), seg.slice(3));
      if (seg[2] === 'transitiveMemberOf') return relationship(closure(user.id, up), seg.slice(3));
      break;
    }
  }
  return notModelled(`GET ${where}`);
}
