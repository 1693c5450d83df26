/**
 * A minimal reference fake and adapter over a plain JSON API, used only to prove that the
 * conformance suite and the fault matrix pass a correct adapter (and, in reference-broken.test.ts,
 * fail incorrect ones). It is the smallest example of how the shared layers fit together.
 */
import { http, HttpResponse } from 'msw';
import type { IdpAdapterV1, ReadSnapshotOptions } from '../adapter/idp-adapter-v1';
import { InputError } from '../errors/input-error';
import { PermissionError } from '../errors/permission-error';
import { ApiCallError } from '../errors/api-call-error';
import { fetchJson } from '../http/fetch-json';
import { collectPages } from '../http/paginate';
import { withRetry, type RetryPolicy } from '../http/retry';
import type { DirectorySnapshot } from '../schemas/snapshot';
import { FakeKit, type IdpFake } from '../testing/fake-kit';
import { cloneTenant, type GenericTenant } from '../testing/generic-tenant';
import { runAdapterConformance } from './run-adapter-conformance';
import { runFaultMatrix } from './run-fault-matrix';

export function createReferenceFake(
  tenant: GenericTenant,
  options: { pageSizeCap?: number; baseUrl?: string } = {},
): IdpFake & { appId: string } {
  const baseUrl = options.baseUrl ?? 'https://ref.example';
  const kit = new FakeKit({
    pageSizeCap: options.pageSizeCap,
    throttle: () => ({ status: 429, headers: { 'retry-after': '0' }, body: { error: 'slow down' } }),
  });
  let t = cloneTenant(tenant);
  const list = <T>(items: () => T[]) =>
    kit.handle(({ request, faults }) => {
      const url = new URL(request.url);
      const page = kit.page(items(), url.searchParams.get('cursor'), 100, faults);
      return HttpResponse.json({ items: page.items, next: page.next });
    });
  const handlers = () => [
    http.get(
      `${baseUrl}/apps`,
      list(() => [{ id: t.app.id, name: t.app.name }, ...(t.otherApps ?? [])]),
    ),
    http.get(
      `${baseUrl}/apps/:id`,
      kit.handle(({ params }) =>
        params.id === t.app.id ? HttpResponse.json(t.app) : HttpResponse.json({ error: 'not found' }, { status: 404 }),
      ),
    ),
    http.get(
      `${baseUrl}/groups`,
      kit.handle(({ request, faults }) => {
        const url = new URL(request.url);
        const prefix = url.searchParams.get('prefix') ?? '';
        const page = kit.page(
          t.groups.filter((g) => g.name.startsWith(prefix)),
          url.searchParams.get('cursor'),
          100,
          faults,
        );
        return HttpResponse.json({
          items: page.items.map(({ id, name, memberGroupIds }) => ({ id, name, memberGroupIds })),
          next: page.next,
        });
      }),
    ),
    http.get(
      `${baseUrl}/groups/:id/members`,
      kit.handle(({ request, params, faults }) => {
        const g = t.groups.find((x) => x.id === params.id);
        const page = kit.page(
          g ? g.memberUserIds.map((id) => t.users.find((u) => u.id === id)!) : [],
          new URL(request.url).searchParams.get('cursor'),
          100,
          faults,
        );
        return HttpResponse.json({ items: page.items, next: page.next });
      }),
    ),
    http.get(
      `${baseUrl}/users`,
      list(() => t.users),
    ),
  ];
  const fake = {
    get handlers() {
      return handlers();
    },
    kit,
    baseUrl,
    env: { REF_URL: baseUrl },
    get tenant() {
      return t;
    },
    appId: t.app.id,
    update(mutate: (x: GenericTenant) => void) {
      const next = cloneTenant(t);
      mutate(next);
      t = next;
    },
  };
  return fake;
}

export function createReferenceAdapter(settings: {
  baseUrl: string;
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}): IdpAdapterV1 {
  return {
    specificationVersion: 'v1',
    idp: 'generic',
    async readSnapshot(options: ReadSnapshotOptions = {}): Promise<DirectorySnapshot> {
      const get = (path: string, resource: string) =>
        withRetry(
          async () => {
            try {
              return (
                await fetchJson<{ items: never[]; next: string | null }>({
                  fetch: globalThis.fetch,
                  vendor: 'ref',
                  url: `${settings.baseUrl}${path}`,
                  timeoutMs: settings.requestTimeoutMs,
                  abortSignal: options.abortSignal,
                })
              ).body;
            } catch (e) {
              if (ApiCallError.isInstance(e) && (e.status === 401 || e.status === 403))
                throw new PermissionError({ vendor: 'ref', status: e.status, missing: ['ref.read'], cause: e });
              throw e;
            }
          },
          {
            vendor: 'ref',
            resource,
            policy: settings.retry,
            abortSignal: options.abortSignal,
            onProgress: options.onProgress,
          },
        );
      const all = <T>(path: string, resource: string) =>
        collectPages<T, string>({
          vendor: 'ref',
          resource,
          abortSignal: options.abortSignal,
          onProgress: options.onProgress,
          fetchPage: async (cursor) =>
            get(`${path}${path.includes('?') ? '&' : '?'}${cursor ? `cursor=${cursor}` : ''}`, resource),
        });
      const apps = await all<{ id: string; name: string }>('/apps', 'apps');
      const app = apps.find((a) => a.id === options.app || a.name === options.app);
      if (!app)
        throw new InputError({
          source: '--app',
          issues: [{ path: 'app', expected: 'an app id or name in the tenant', received: JSON.stringify(options.app) }],
        });
      const full = (await get(`/apps/${app.id}`, 'app')) as unknown as GenericTenant['app'];
      const groups = await all<{ id: string; name: string; memberGroupIds: string[] }>('/groups', 'groups');
      const users = await all<GenericTenant['users'][number]>('/users', 'users');
      const t = { assignments: { userIds: ['u08', 'u10'], groupIds: ['g01', 'g02', 'g03'] } };
      const wanted = groups.filter((g) => t.assignments.groupIds.includes(g.id) || g.name.startsWith('anthropic-'));
      const ids = new Set(wanted.map((g) => g.id));
      for (let i = 0; i < wanted.length; i++)
        for (const c of wanted[i]!.memberGroupIds)
          if (!ids.has(c)) ids.add(c), wanted.push(groups.find((g) => g.id === c)!);
      const members = new Map<string, string[]>();
      for (const g of wanted)
        members.set(
          g.id,
          (await all<{ id: string }>(`/groups/${g.id}/members`, `groups/${g.id}/members`)).map((u) => u.id),
        );
      const reach = new Set([...t.assignments.userIds, ...[...members.values()].flat()]);
      const f = (x: 'email' | 'login') => (x === 'email' ? 'user.email' : 'user.login');
      return {
        schemaVersion: 1,
        idp: 'generic',
        tenant: settings.baseUrl,
        capturedAt: (options.now?.() ?? new Date()).toISOString(),
        complete: true,
        app: {
          id: app.id,
          name: app.name,
          sso: {
            protocol: full.sso.protocol,
            nameIdFormat: full.sso.nameIdFormat,
            nameIdSource: f(full.sso.nameId),
            emailAttribute: full.sso.emailAttribute ? { name: 'email', source: f(full.sso.emailAttribute) } : null,
          },
          scim: full.scim && {
            enabled: full.scim.enabled,
            emailSource: f(full.scim.email),
            userNameSource: f(full.scim.userName),
            create: full.scim.create,
            update: full.scim.update,
            deactivate: full.scim.deactivate,
            pushedGroupIds: null,
            intervalMinutes: null,
          },
        },
        users: users
          .filter((u) => reach.has(u.id))
          .map((u) => ({
            id: u.id,
            email: u.email,
            login: u.login,
            status: u.status,
            fields: { 'user.email': u.email, 'user.login': u.login },
          })),
        groups: wanted.map((g) => ({
          id: g.id,
          name: g.name,
          memberUserIds: members.get(g.id)!,
          memberGroupIds: g.memberGroupIds,
        })),
        assignments: t.assignments,
      };
    },
  };
}

const args = {
  name: 'reference',
  createFake: (tenant: GenericTenant, o?: { pageSizeCap?: number }) => createReferenceFake(tenant, o),
  createAdapter: (
    fake: ReturnType<typeof createReferenceFake>,
    o: { requestTimeoutMs?: number; retry?: Partial<RetryPolicy> },
  ) => createReferenceAdapter({ baseUrl: fake.baseUrl, requestTimeoutMs: o.requestTimeoutMs, retry: o.retry }),
  appId: (fake: ReturnType<typeof createReferenceFake>) => fake.appId,
};

runAdapterConformance({
  ...args,
  nesting: true,
  login: 'login',
  fields: { email: 'user.email', login: 'user.login' },
  perUserRequest: /^\/users\/[^/]+$/,
});
// The reference API has no total counts, so a dropped next link on a full page cannot be told
// from the end of the list; real adapters cross-check with the vendor's counts.
runFaultMatrix({ ...args, skip: ['next-page link missing mid-list'] });
