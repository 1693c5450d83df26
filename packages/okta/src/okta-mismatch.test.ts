import { audit, DirectorySnapshotSchema, OrgConfigSchema } from '@claude-idp/core';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOktaAdapter } from './index';
import { createOktaFake, loginVsEmailTenant, oktaId } from './testing/index';

describe('okta: the login-vs-email mismatch tenant', () => {
  const tenant = loginVsEmailTenant();
  const fake = createOktaFake(tenant);
  const server = setupServer(...fake.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('serves what Okta would: NameID ${user.userName}, username template ${source.login}, SCIM email user.email', () => {
    const app = fake.org.app as unknown as {
      settings: { signOn: { subjectNameIdTemplate: string } };
      credentials: { userNameTemplate: { template: string } };
    };
    expect(app.settings.signOn.subjectNameIdTemplate).toBe('${user.userName}');
    expect(app.credentials.userNameTemplate.template).toBe('${source.login}');
    expect([...fake.org.mappingProperties.values()][0]).toMatchObject({ email: { expression: 'user.email' } });
  });

  it('reads nameIdSource user.login and scim.emailSource user.email, with both values per person', async () => {
    const snapshot = await createOktaAdapter({ env: fake.env }).readSnapshot();
    expect(DirectorySnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.app.sso).toEqual({
      protocol: 'saml',
      nameIdFormat: 'unspecified',
      nameIdSource: 'user.login',
      emailAttribute: null,
    });
    expect(snapshot.app.scim).toMatchObject({
      enabled: true,
      emailSource: 'user.email',
      userNameSource: 'user.login',
      create: true,
      update: true,
      deactivate: true,
    });

    const differ = snapshot.users
      .filter((u) => u.fields['user.login'] !== u.fields['user.email'])
      .map((u) => u.id)
      .sort();
    expect(differ).toEqual(['u01', 'u02', 'u03'].map((id) => oktaId('00u', id)).sort());
    const ada = snapshot.users.find((u) => u.id === oktaId('00u', 'u01'))!;
    expect(ada.fields).toEqual({ 'user.email': 'ada.lovelace@acme.example', 'user.login': 'ada' });
    expect(ada).toMatchObject({ email: 'ada.lovelace@acme.example', login: 'ada', status: 'active' });
    const same = snapshot.users.find((u) => u.id === oktaId('00u', 'u05'))!;
    expect(same.fields['user.login']).toBe(same.fields['user.email']);
  });

  it('end to end: audit reports EMAIL_SOURCE_MISMATCH naming exactly the people whose values differ', async () => {
    const snapshot = await createOktaAdapter({ env: fake.env }).readSnapshot();
    const config = OrgConfigSchema.parse({
      parent: { idp: 'okta', verifiedDomains: ['acme.example'] },
      organizations: [
        {
          id: '468ca80f-1111-4222-8333-444455556666',
          surface: 'claude',
          plan: 'enterprise',
          provisioning: { mode: 'scim' },
        },
      ],
    });
    const report = audit({ snapshot, config, now: new Date('2026-01-01T00:00:00Z') });
    const findings = report.findings.filter((f) => f.code === 'EMAIL_SOURCE_MISMATCH');
    const app = findings.find((f) => f.subject.kind === 'app')!;
    expect(app).toMatchObject({ severity: 'error', rule: 'R-S5' });
    expect(app.message).toContain('user.login');
    expect(app.message).toContain('user.email');
    expect(app.message).toContain('3 assigned people');
    expect(app.message).toContain('aturing@acme.example ≠ alan.turing@acme.example');
    expect(app.message).toContain('ghopper@acme-corp.example ≠ grace.hopper@acme.example');
    const people = findings
      .filter((f) => f.subject.kind === 'user')
      .map((f) => f.subject.id)
      .sort();
    expect(people).toEqual(['u01', 'u02', 'u03'].map((id) => oktaId('00u', id)).sort());
  });
});
