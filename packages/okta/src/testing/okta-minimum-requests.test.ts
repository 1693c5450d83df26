import { conformanceTenant } from '@claude-idp/core/testing';
import { expectedView, viewOfSnapshot } from '@claude-idp/core/conformance';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOktaAdapter } from '../index';
import { createOktaFake, largeTenant, oktaMinimumRequests } from './index';

describe('oktaMinimumRequests: the adapter makes exactly the planned requests', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it.each([
    ['the conformance tenant', conformanceTenant],
    ['a 3000-person tenant', () => largeTenant()],
  ])('%s', async (_, tenant) => {
    const fake = createOktaFake(tenant());
    server.resetHandlers(...fake.handlers);
    const snapshot = await createOktaAdapter({ env: fake.env }).readSnapshot();
    expect(viewOfSnapshot(snapshot, { nesting: false, login: 'login' })).toEqual(
      expectedView(fake.tenant, { nesting: false, login: 'login' }),
    );
    expect(fake.kit.requests.length).toBe(oktaMinimumRequests(fake.tenant));
  });

  it('counts Σ ceil(items / max page) per listing plus the fixed calls', () => {
    // 3000-person tenant: app 1, features 1, mappings 2, push 1, app users 2741/500→6 (the last
    // page is short: no end check), app groups 1, anthropic groups 1 (short: no end check),
    // Engineering by id 1, members 1 + 3 + 1 + 2 (1200/1000), uncovered direct assignees 40/50→1.
    expect(oktaMinimumRequests(largeTenant())).toBe(1 + 1 + 2 + 1 + 6 + 1 + 1 + 1 + 7 + 1);
  });
});
