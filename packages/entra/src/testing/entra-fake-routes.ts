import { HttpResponse } from 'msw';
import type { FakeKit, PagingFaults } from '@claude-idp/core/testing';
import { clauseMatcher, graphError, listPage, parseFilter, project, selectOf, type Clause } from './entra-fake-odata';
import type { EntraStore, GraphObject } from './entra-fake-store';

/** Graph's `in` operator takes at most 15 values by default. */
const IN_LIMIT = 15;
/** Properties each collection can be filtered on (the subset the Graph docs list and the adapter uses). */
const FILTERABLE: Record<string, string[]> = { servicePrincipals: ['id', 'appId', 'displayName'], groups: ['id', 'displayName'], users: ['id', 'mail', 'userPrincipalName'] };

export interface RouteContext {
  store: EntraStore;
  kit: FakeKit;
  /** e.g. `https://graph.microsoft.com` */
  root: string;
}

/** What Graph returns for a user without `$select` (the user resource's default properties). */
const USER_DEFAULT = ['id', 'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];

const notFound = (id: string) => graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/** Answers one Graph GET (a plain request or one item of a `$batch`) from the store. */
export function routeGraph(ctx: RouteContext, request: Request, version: string, path: string, faults?: PagingFaults): Response {
  // Graph answers 401 without a bearer token; the fake requires one (any value) to catch auth that never got attached.
  if (!/^Bearer \S+/.test(request.headers.get('authorization') ?? '')) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  if (request.method !== 'GET') return graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  const url = new URL(request.url);
  const meta = `${ctx.root}/${version}/$metadata#`;
  const select = selectOf(url);
  const seg = path.split('/').filter(Boolean);
  const s = ctx.store;
  const list = <T>(items: readonly T[], context: string, render?: (item: T) => Record<string, unknown>) => listPage({ request, kit: ctx.kit, faults, items, render, context });
  const sel = (name: string) => `${name}${select ? `(${select.join(',')})` : ''}`;
  const filtered = (collection: string, items: GraphObject[]): GraphObject[] | Response => {
    const f = url.searchParams.get('$filter');
    if (!f) return items;
    const clauses = parseFilter(f);
    if (!clauses || clauses.some((c) => !FILTERABLE[collection]!.includes(c.prop))) return graphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
    const values = clauses.reduce((n, c: Clause) => n + (c.kind === 'in' ? c.values.length : 1), 0);
    if (values > IN_LIMIT) return graphError(400, 'Request_UnsupportedQuery', `Too many child clauses specified in search filter expression containing 'OR' operators: ${values}. Max allowed: ${IN_LIMIT}.`);
    const tests = clauses.map(clauseMatcher);
    return items.filter((it) => tests.some((test) => test(it)));
  };
  const collection = (name: string, items: GraphObject[]) => {
    const found = filtered(name, items);
    const fields = select ?? (name === 'users' ? USER_DEFAULT : null);
    return found instanceof Response ? found : list(found, `${meta}${sel(name)}`, (x) => project(x, fields));
  };
  const sp = seg[1] ? s.servicePrincipals.find((x) => x.id === seg[1]) : undefined;

  if (version === 'beta') {
    if (seg[0] === 'servicePrincipals' && seg[2] === 'claimsPolicy' && seg.length === 3) {
      if (!sp) return notFound(seg[1]!);
      const policy = s.claimsPolicy.get(sp.id);
      return policy ? HttpResponse.json({ '@odata.context': `${meta}servicePrincipals('${sp.id}')/claimsPolicy/$entity`, ...policy } as never) : notFound(sp.id);
    }
    return graphError(400, 'BadRequest', `Resource not found for the segment '${seg[0] ?? ''}'.`);
  }
  switch (seg[0]) {
    case 'servicePrincipals':
      if (seg.length === 1) return collection('servicePrincipals', s.servicePrincipals);
      if (!sp) return notFound(seg[1]!);
      if (seg.length === 2) return HttpResponse.json({ '@odata.context': `${meta}servicePrincipals/$entity`, ...project(sp, select) } as never);
      if (seg[2] === 'appRoleAssignedTo' && seg.length === 3) return list((s.assignments.get(sp.id) ?? []).map((x) => project(x, select)), `${meta}servicePrincipals('${sp.id}')/appRoleAssignedTo`);
      if (seg[2] === 'claimsMappingPolicies' && seg.length === 3) return list(s.claimsMappingPolicies.get(sp.id) ?? [], `${meta}servicePrincipals('${sp.id}')/claimsMappingPolicies`);
      if (seg[2] === 'synchronization' && seg[3] === 'jobs') {
        const jobs = s.jobs.get(sp.id) ?? [];
        if (seg.length === 4) return list(jobs, `${meta}servicePrincipals('${sp.id}')/synchronization/jobs`);
        const job = jobs.find((j) => j.id === decodeURIComponent(seg[4]!));
        if (!job) return notFound(decodeURIComponent(seg[4]!));
        if (seg[5] === 'schema' && seg.length === 6) return HttpResponse.json({ '@odata.context': `${meta}servicePrincipals('${sp.id}')/synchronization/jobs('${job.id}')/schema/$entity`, ...s.schemas.get(job.id) } as never);
      }
      break;
    case 'groups': {
      if (seg.length === 1) return collection('groups', s.groups);
      const found = s.byId.get(seg[1]!);
      const group = found && s.members.has(String(found.id)) ? found : s.groups.find((g) => g.id === seg[1]);
      if (!group) return notFound(seg[1]!);
      if (seg.length === 2) return HttpResponse.json({ '@odata.context': `${meta}groups/$entity`, ...project(group, select) } as never);
      if (seg[2] === 'members' && seg.length === 3) {
        // Direct members only, as directoryObjects carrying their @odata.type (user or group).
        // Rendered per page (see listPage), not the whole member list per request.
        // Projected straight from the stored object (no full copy of it first); without `$select`
        // a group member answers with all its properties.
        const render = (m: { type: 'user' | 'group'; id: string }) => {
          const obj = s.byId.get(m.id)!;
          const fields = select ?? (m.type === 'user' ? USER_DEFAULT : null);
          return fields ? project(obj, fields, `#microsoft.graph.${m.type}`) : { '@odata.type': `#microsoft.graph.${m.type}`, ...obj };
        };
        return list(s.members.get(group.id) ?? [], `${meta}directoryObjects${select ? `(${select.join(',')})` : ''}`, render);
      }
      break;
    }
    case 'users': {
      if (seg.length === 1) return collection('users', s.users);
      const user = s.users.find((u) => u.id === seg[1] || String(u.userPrincipalName).toLowerCase() === decodeURIComponent(seg[1]!).toLowerCase());
      if (!user) return notFound(seg[1]!);
      if (seg.length === 2) return HttpResponse.json({ '@odata.context': `${meta}${sel('users')}/$entity`, ...project(user, select ?? USER_DEFAULT) } as never);
      break;
    }
  }
  return graphError(400, 'BadRequest', `Resource not found for the segment '${seg[seg.length - 1] ?? ''}'.`);
}
