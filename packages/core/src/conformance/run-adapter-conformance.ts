import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IdpAdapterV1, ProgressEvent } from '../adapter/idp-adapter-v1';
import { ClaudeIdpError } from '../errors/claude-idp-error';
import type { RetryPolicy } from '../http/retry';
import { DirectorySnapshotSchema, type DirectorySnapshot } from '../schemas/snapshot';
import type { IdpFake } from '../testing/fake-kit';
import { conformanceTenant, type GenericTenant } from '../testing/generic-tenant';
import { expectedView, viewOfSnapshot, type ViewOptions } from './canonical-view';

export interface AdapterTestOptions {
  /** Per-request timeout for the adapter under test (fault tests use a short one). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Set when the fake's pages are capped below the vendor's maximum: an adapter that proves a
   * listing's end by a page shorter than it asked for (Okta) must ask for this many, as a real
   * vendor fills every page up to the limit asked.
   */
  pageSize?: number;
}

export interface ConformanceArgs<F extends IdpFake> extends ViewOptions {
  name: string;
  /** A fake serving the tenant; `pageSizeCap` forces paging on a small tenant. */
  createFake: (tenant: GenericTenant, options?: { pageSizeCap?: number }) => F;
  /** The adapter under test, pointed at the fake (base URL, a dummy token, the fast test options). */
  createAdapter: (fake: F, options: AdapterTestOptions) => IdpAdapterV1;
  /** The vendor's id of the app in the fake, for "find the app by id". */
  appId: (fake: F) => string;
  /** Canonical field names of the generic `email` / `login` fields on this IdP (e.g. user.mail / user.userPrincipalName). */
  fields: { email: string; login: string };
  /** Settings this IdP's API cannot show (they must then be null, with a reason in `unavailable`). */
  unavailableSettings?: ('sso' | 'scim' | 'scim.emailSource' | 'scim.pushedGroupIds')[];
  /** A request per user where a list exists (SPEC §5): requests whose pathname matches must not occur. */
  perUserRequest?: RegExp;
  /** The tenant to serve; default `conformanceTenant()`. */
  tenant?: () => GenericTenant;
}

const strip = (s: DirectorySnapshot) => ({ ...s, capturedAt: '' });

/**
 * The suite every adapter runs (SPEC §7): the same generic tenant through each fake gives the same
 * people, groups, memberships and assignments, plus the contract's behaviour (schema-valid and
 * complete, app by id and by name, typed errors, abort, progress, mutation between reads).
 * Each adapter's run of it is a few lines with commented opt-outs.
 */
export function runAdapterConformance<F extends IdpFake>(args: ConformanceArgs<F>): void {
  const server = setupServer();
  const tenantOf = args.tenant ?? conformanceTenant;
  const fast: AdapterTestOptions = {
    requestTimeoutMs: 2_000,
    retry: { initialDelayMs: 1, maxDelayMs: 20, budgetMs: 2_000, maxRetries: 4 },
  };
  const setup = (options?: { pageSizeCap?: number }) => {
    const fake = args.createFake(tenantOf(), options);
    server.resetHandlers(...fake.handlers);
    return { fake, adapter: args.createAdapter(fake, { ...fast, pageSize: options?.pageSizeCap }) };
  };

  describe(`${args.name}: adapter conformance`, () => {
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterEach(() => server.resetHandlers());
    afterAll(() => server.close());

    it('implements IdpAdapterV1', () => {
      const { adapter } = setup();
      expect(adapter.specificationVersion).toBe('v1');
      expect(typeof adapter.readSnapshot).toBe('function');
    });

    it('reads the generic tenant: same people, groups, memberships and assignments', async () => {
      const { fake, adapter } = setup();
      const snapshot = await adapter.readSnapshot({ app: args.appId(fake) });
      expect(DirectorySnapshotSchema.parse(snapshot)).toEqual(snapshot);
      expect(snapshot.complete).toBe(true);
      expect(snapshot.idp).toBe(adapter.idp);
      expect(viewOfSnapshot(snapshot, args)).toEqual(expectedView(fake.tenant, args));
    });

    it('reads the same tenant across many small pages', async () => {
      const { fake, adapter } = setup({ pageSizeCap: 2 });
      const snapshot = await adapter.readSnapshot({ app: args.appId(fake) });
      expect(viewOfSnapshot(snapshot, args)).toEqual(expectedView(fake.tenant, args));
    });

    it('finds the app by name as well as by id', async () => {
      const { fake, adapter } = setup();
      const byName = await adapter.readSnapshot({ app: fake.tenant.app.name });
      const byId = await adapter.readSnapshot({ app: args.appId(fake) });
      expect(strip(byName)).toEqual(strip(byId));
      expect(byName.app.id).toBe(args.appId(fake));
    });

    it('reports the SSO and SCIM sources under canonical field names', async () => {
      const { fake, adapter } = setup();
      const s = await adapter.readSnapshot({ app: args.appId(fake) });
      const app = fake.tenant.app;
      const skip = new Set(args.unavailableSettings ?? []);
      if (skip.has('sso')) {
        expect(s.app.sso).toBeNull();
        expect(s.unavailable?.some((u) => u.check.startsWith('sso'))).toBe(true);
      } else {
        expect(s.app.sso?.nameIdSource).toBe(args.fields[app.sso.nameId]);
        expect(s.app.sso?.emailAttribute?.source ?? null).toBe(
          app.sso.emailAttribute ? args.fields[app.sso.emailAttribute] : null,
        );
      }
      if (skip.has('scim')) {
        expect(s.app.scim).toBeNull();
      } else if (app.scim) {
        expect(s.app.scim?.enabled).toBe(app.scim.enabled);
        expect(s.app.scim?.userNameSource).toBe(args.fields[app.scim.userName]);
        if (!skip.has('scim.emailSource')) expect(s.app.scim?.emailSource).toBe(args.fields[app.scim.email]);
      }
    });

    it('sees changes made to the tenant between reads', async () => {
      const { fake, adapter } = setup();
      const before = await adapter.readSnapshot({ app: args.appId(fake) });
      fake.update((t) => {
        t.groups
          .find((g) => g.name.startsWith('anthropic-claudeai-') && g.name.endsWith('-owner'))!
          .memberUserIds.push('u05');
        t.users.find((u) => u.id === 'u02')!.status = 'suspended';
      });
      const after = await adapter.readSnapshot({ app: args.appId(fake) });
      expect(viewOfSnapshot(after, args)).toEqual(expectedView(fake.tenant, args));
      expect(viewOfSnapshot(after, args)).not.toEqual(viewOfSnapshot(before, args));
    });

    it('fails with a typed error for an app that does not exist', async () => {
      const { adapter } = setup();
      const error = await adapter.readSnapshot({ app: 'No Such App 7f3a' }).catch((e: unknown) => e);
      expect(ClaudeIdpError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('No Such App 7f3a');
    });

    it('stops with a typed error when aborted', async () => {
      const { fake, adapter } = setup({ pageSizeCap: 1 });
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      const error = await adapter
        .readSnapshot({ app: args.appId(fake), abortSignal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toHaveProperty('complete');
    });

    it('reports progress as typed page events', async () => {
      const { fake, adapter } = setup({ pageSizeCap: 2 });
      const events: ProgressEvent[] = [];
      await adapter.readSnapshot({ app: args.appId(fake), onProgress: (e) => events.push(e) });
      const pages = events.filter((e) => e.type === 'page');
      expect(pages.length).toBeGreaterThan(1);
      for (const e of pages) expect(typeof e.resource).toBe('string');
    });

    if (args.perUserRequest) {
      const pattern = args.perUserRequest;
      it('never fetches one user at a time where a list call exists', async () => {
        const { fake, adapter } = setup();
        await adapter.readSnapshot({ app: args.appId(fake) });
        const perUser = fake.kit.requests.filter((r) => pattern.test(r.pathname));
        expect(perUser.map((r) => r.pathname)).toEqual([]);
      });
    }

    it('gives the same snapshot on a second read (bar capturedAt)', async () => {
      const { fake, adapter } = setup();
      const a = await adapter.readSnapshot({ app: args.appId(fake) });
      const b = await adapter.readSnapshot({ app: args.appId(fake) });
      expect(strip(b)).toEqual(strip(a));
    });
  });
}
