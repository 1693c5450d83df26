import { audit, DirectorySnapshotSchema, type OrgConfig } from '@claude-idp/core';
import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOneLoginAdapter } from './index';
import { createOneLoginFake } from './testing';

/**
 * The classic break (R-S5) in OneLogin terms: the SAML NameID (`saml_username`) maps `username`
 * while SCIM's userName (`scimusername`) maps `email`. People whose username is not their email
 * get provisioned under one value and log in with the other.
 */
export function mismatchTenant(): GenericTenant {
  const t = conformanceTenant();
  t.app.sso.nameId = 'login';
  // No separate email attribute: the NameID is the identity SAML sends.
  t.app.sso.emailAttribute = null;
  t.app.scim = { ...t.app.scim!, userName: 'email' };
  // A username that is not an address at all, as OneLogin allows.
  t.users.find((u) => u.id === 'u05')!.login = 'bliskov';
  return t;
}

describe('onelogin: NameID from username, SCIM userName from email', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('reads sso.nameIdSource user.username against scim.userNameSource user.email, and both values of each person', async () => {
    const fake = createOneLoginFake(mismatchTenant());
    server.resetHandlers(...fake.handlers);
    const snapshot = await createOneLoginAdapter({ env: fake.env }).readSnapshot();
    expect(DirectorySnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.app.sso?.nameIdSource).toBe('user.username');
    expect(snapshot.app.scim?.userNameSource).toBe('user.email');
    expect(snapshot.app.scim?.enabled).toBe(true);

    const byEmail = new Map(snapshot.users.map((u) => [u.email, u]));
    const alan = byEmail.get('alan.turing@acme.example')!;
    expect(alan.fields).toEqual({ 'user.email': 'alan.turing@acme.example', 'user.username': 'aturing@acme.example' });
    expect(alan.login).toBe('aturing@acme.example');
    const barbara = byEmail.get('barbara.liskov@acme.example')!;
    expect(barbara.fields).toEqual({ 'user.email': 'barbara.liskov@acme.example', 'user.username': 'bliskov' });

    // Exactly the people whose two values differ (what the audit must name).
    const differ = snapshot.users
      .filter((u) => u.fields['user.email'] !== u.fields['user.username'])
      .map((u) => u.email)
      .sort();
    expect(differ).toEqual(['alan.turing@acme.example', 'barbara.liskov@acme.example']);
  });

  it('audits as EMAIL_SOURCE_MISMATCH naming the people whose username and email differ (end to end)', async () => {
    const fake = createOneLoginFake(mismatchTenant());
    server.resetHandlers(...fake.handlers);
    const snapshot = await createOneLoginAdapter({ env: fake.env }).readSnapshot();
    const config: OrgConfig = {
      parent: { idp: 'onelogin', verifiedDomains: ['acme.example'] },
      organizations: [
        {
          id: '468ca80f-0000-4000-8000-000000000001',
          surface: 'claude',
          plan: 'enterprise',
          provisioning: { mode: 'scim' },
        },
      ],
    };
    const report = audit({ snapshot, config, now: new Date('2026-01-01T00:00:00Z') });
    const mismatch = report.findings.filter((f) => f.code === 'EMAIL_SOURCE_MISMATCH');
    const appLevel = mismatch.find((f) => f.subject.kind === 'app')!;
    expect(appLevel.severity).toBe('error');
    expect(appLevel.rule).toBe('R-S5');
    expect(appLevel.message).toContain('user.username');
    expect(appLevel.message).toContain('user.email');
    const id = (email: string) => snapshot.users.find((u) => u.email === email)!.id;
    const people = mismatch
      .filter((f) => f.subject.kind === 'user')
      .map((f) => f.subject.id)
      .sort();
    expect(people).toEqual([id('alan.turing@acme.example'), id('barbara.liskov@acme.example')].sort());
    expect(appLevel.message).toContain('alan.turing@acme.example');
  });
});
