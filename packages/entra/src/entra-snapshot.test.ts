import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySnapshotSchema } from '@claude-idp/core';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { createEntraAdapter } from './index';
import { defaultsTenant } from './entra-test-tenants';
import { createEntraFake, type EntraFakeOptions } from './testing';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function read(tenant: GenericTenant, options: EntraFakeOptions = {}) {
  const fake = createEntraFake(tenant, options);
  server.resetHandlers(...fake.handlers);
  const snapshot = await createEntraAdapter({ env: fake.env }).readSnapshot({ app: fake.appId });
  return { fake, snapshot, user: (id: string) => snapshot.users.find((u) => u.id === fake.graphId('user', id))! };
}

describe('entra snapshot: Entra defaults', () => {
  it('default claims and default SCIM mappings read from two different fields (UPN vs mail)', async () => {
    const { snapshot, fake } = await read(defaultsTenant(), { claims: 'none' });
    expect(fake.kit.requests.some((r) => r.pathname.endsWith('/claimsPolicy'))).toBe(true);
    expect(snapshot.app.sso).toEqual({
      protocol: 'saml',
      nameIdFormat: null, // "Default": the SP's AuthnRequest decides
      nameIdSource: 'user.userPrincipalName',
      emailAttribute: {
        name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
        source: 'user.mail',
      },
    });
    expect(snapshot.app.scim).toMatchObject({
      enabled: true,
      userNameSource: 'user.userPrincipalName',
      emailSource: 'user.mail',
      intervalMinutes: 40,
    });
    expect(snapshot.app.sso!.nameIdSource).not.toBe(snapshot.app.scim!.emailSource);
  });

  it('people whose UPN differs from their mail carry both values in fields', async () => {
    const { user } = await read(defaultsTenant(), { claims: 'none' });
    // Alan Turing's login (UPN) is aturing@, his mail alan.turing@.
    expect(user('u03').fields).toEqual({
      'user.mail': 'alan.turing@acme.example',
      'user.userPrincipalName': 'aturing@acme.example',
    });
    expect(user('u03')).toMatchObject({ email: 'alan.turing@acme.example', login: 'aturing@acme.example' });
    expect(user('u01').fields).toEqual({
      'user.mail': 'ada.lovelace@acme.example',
      'user.userPrincipalName': 'ada.lovelace@acme.example',
    });
  });

  it('B2B guests keep their real email; the #EXT# UPN stays the login', async () => {
    const { user } = await read(defaultsTenant(), { claims: 'none' });
    const guest = user('u14');
    expect(guest.email).toBe('pat.partner@partner.example');
    expect(guest.login).toBe('pat.partner_partner.example#EXT#@acme.onmicrosoft.com');
    expect(guest.fields['user.userPrincipalName']).toContain('#EXT#');
  });

  it('a guest whose mail is empty still shows the invited address from otherMails', async () => {
    const tenant = defaultsTenant();
    const fake = createEntraFake(tenant);
    const guest = fake.store.users.find((u) => u.id === fake.graphId('user', 'u14'))!;
    guest.mail = null; // invitations store the address in otherMails; mail can stay empty
    server.resetHandlers(...fake.handlers);
    const snapshot = await createEntraAdapter({ env: fake.env }).readSnapshot({ app: fake.appId });
    expect(snapshot.users.find((u) => u.id === guest.id)?.email).toBe('pat.partner@partner.example');
  });

  it('disabled accounts (accountEnabled false) are suspended; enabled ones active', async () => {
    const { user, fake } = await read(defaultsTenant(), { claims: 'none' });
    expect(fake.store.users.find((u) => u.id === fake.graphId('user', 'u04'))!.accountEnabled).toBe(false);
    expect(user('u04').status).toBe('suspended'); // generic 'suspended'
    expect(user('u08').status).toBe('suspended'); // generic 'deprovisioned': Entra can only show disabled
    expect(user('u02').status).toBe('active');
  });

  it("keeps a nested group's members with the nested group, marks nesting 'direct', and does not count them as direct members", async () => {
    const { snapshot, fake } = await read(defaultsTenant(), { claims: 'none' });
    expect(snapshot.nesting).toBe('direct');
    const userGroup = snapshot.groups.find((g) => g.name === 'anthropic-claudeai-468ca80f-user')!;
    const contractors = snapshot.groups.find((g) => g.name === 'Contractors')!;
    expect(userGroup.memberGroupIds).toEqual([contractors.id]);
    expect(contractors.memberUserIds).toEqual([fake.graphId('user', 'u13')]);
    expect(userGroup.memberUserIds).not.toContain(fake.graphId('user', 'u13'));
    expect(snapshot.assignments.groupIds).not.toContain(contractors.id);
    // Read with /members only: /transitiveMembers would flatten Radia Perlman into the assigned group.
    expect(
      [...fake.kit.requests, ...fake.batchKit.requests].some((r) => r.pathname.includes('transitiveMembers')),
    ).toBe(false);
  });

  it('snapshots validate against the schema and name what Graph cannot show only when it cannot', async () => {
    const { snapshot } = await read(defaultsTenant(), { claims: 'none' });
    expect(DirectorySnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.unavailable).toBeUndefined();
  });
});

describe('entra snapshot: claims precedence', () => {
  it('a claims-mapping policy overrides the custom claims policy', async () => {
    const tenant = conformanceTenant(); // NameID and email from user.email → Entra user.mail
    const { snapshot, fake } = await read(tenant, { claims: 'claimsMappingPolicy' });
    expect(fake.store.claimsMappingPolicies.get(fake.appId)).toHaveLength(1);
    expect(snapshot.app.sso).toMatchObject({ nameIdSource: 'user.mail', emailAttribute: { source: 'user.mail' } });
  });

  it('the portal-managed custom claims policy is read when no mapping policy is assigned', async () => {
    const tenant = conformanceTenant();
    tenant.app.sso = { protocol: 'saml', nameIdFormat: 'persistent', nameId: 'login', emailAttribute: null };
    const { snapshot } = await read(tenant);
    expect(snapshot.app.sso).toEqual({
      protocol: 'saml',
      nameIdFormat: 'persistent',
      nameIdSource: 'user.userPrincipalName',
      emailAttribute: null,
    });
  });
});
