import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { audit, type OrgConfig } from '@claude-idp/core';
import type { GenericTenant } from '@claude-idp/core/testing';
import { createEntraAdapter } from './index';
import { defaultsTenant } from './entra-test-tenants';
import { createEntraFake, type EntraFakeOptions } from './testing';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ORG = '468ca80f-1111-2222-3333-444455556666';
const config: OrgConfig = {
  parent: { idp: 'entra', verifiedDomains: ['acme.example'] },
  organizations: [
    {
      id: ORG,
      surface: 'claude',
      plan: 'enterprise',
      provisioning: {
        mode: 'scim',
        groupMappings: {
          enabled: true,
          roles: { owner: ['anthropic-claudeai-468ca80f-owner'], user: ['anthropic-claudeai-468ca80f-user'] },
          seenGroups: ['anthropic-claudeai-468ca80f-owner', 'anthropic-claudeai-468ca80f-user'],
        },
      },
    },
  ],
};

async function auditOf(tenant: GenericTenant, options: EntraFakeOptions) {
  const fake = createEntraFake(tenant, options);
  server.resetHandlers(...fake.handlers);
  const snapshot = await createEntraAdapter({ env: fake.env }).readSnapshot({ app: fake.appId });
  const report = audit({ snapshot, config, now: new Date('2026-01-01T00:00:00Z') });
  return { fake, report, find: (code: string) => report.findings.filter((f) => f.code === code) };
}

describe('entra → audit, end to end (fake → adapter → core audit)', () => {
  it('Entra defaults: the audit shows the UPN-vs-mail split and names the people it breaks', async () => {
    const { find } = await auditOf(defaultsTenant(), { claims: 'none' });
    // NameID from user.userPrincipalName, email claim (and SCIM email) from user.mail: differ for Alan Turing and the guest.
    const [split] = find('SAML_SOURCE_MISMATCH');
    expect(split?.message).toContain('user.userPrincipalName');
    expect(split?.message).toContain('user.mail');
    expect(split?.message).toContain('aturing@acme.example ≠ alan.turing@acme.example');
    expect(split?.message).toContain('#ext#');
    // Entra's default claim …/claims/emailaddress is the email attribute under its WS-Fed name: not a finding.
    expect(find('EMAIL_ATTRIBUTE_MISSING')).toEqual([]);
  });

  it('NameID from the UPN with SCIM email from mail is EMAIL_SOURCE_MISMATCH, naming each person whose values differ', async () => {
    const tenant = defaultsTenant();
    tenant.app.sso.emailAttribute = null; // the emailaddress claim removed, NameID left at user.userprincipalname
    const { find, fake } = await auditOf(tenant, {});
    const mismatch = find('EMAIL_SOURCE_MISMATCH');
    expect(mismatch[0]).toMatchObject({ severity: 'error', subject: { kind: 'app' } });
    expect(mismatch[0]?.message).toMatch(/SAML takes the email from user\.userPrincipalName but SCIM from user\.mail/);
    const people = mismatch.filter((f) => f.subject.kind === 'user').map((f) => f.subject.id);
    expect(people).toContain(fake.graphId('user', 'u03'));
    expect(people).toContain(fake.graphId('user', 'u14'));
    expect(people).not.toContain(fake.graphId('user', 'u01'));
  });

  it("a nested group's members are shown as not assigned", async () => {
    const { find, fake } = await auditOf(defaultsTenant(), { claims: 'none' });
    const [nested] = find('NESTED_GROUP_NOT_ASSIGNED');
    expect(nested?.subject).toEqual({ kind: 'group', id: fake.graphId('group', 'g05'), name: 'Contractors' });
    expect(nested?.message).toContain('radia.perlman@acme.example');
    expect(find('NESTED_GROUP_IN_MAPPED_GROUP')[0]?.message).toContain('Contractors');
  });

  it('the provisioning cycle of about 40 minutes is reported (R-V4)', async () => {
    const { find } = await auditOf(defaultsTenant(), { claims: 'none' });
    expect(find('ENTRA_SYNC_DELAY')[0]?.message).toContain('40 minutes');
  });
});
