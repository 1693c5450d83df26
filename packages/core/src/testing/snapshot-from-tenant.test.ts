import { describe, expect, it } from 'vitest';
import { expectedView, viewOfSnapshot } from '../conformance/canonical-view';
import { DirectorySnapshotSchema } from '../schemas/snapshot';
import { conformanceTenant } from './generic-tenant';
import { snapshotFromTenant } from './snapshot-from-tenant';

describe('snapshotFromTenant: what a perfect adapter returns', () => {
  it('passes the conformance view of the generic tenant, with and without nesting', () => {
    const t = conformanceTenant();
    for (const nesting of [true, false]) {
      const s = snapshotFromTenant(t, { nesting });
      expect(DirectorySnapshotSchema.parse(s)).toEqual(s);
      const options = { nesting, login: 'login' as const };
      expect(viewOfSnapshot(s, options)).toEqual(expectedView(t, options));
    }
  });

  it('reads assigned and anthropic- groups and the groups nested in them, and the people they reach', () => {
    const s = snapshotFromTenant(conformanceTenant());
    expect(s.groups.map((g) => g.name)).toEqual([
      'anthropic-claudeai-468ca80f-owner',
      'anthropic-claudeai-468ca80f-user',
      'Engineering',
      'anthropic-console-9f2c1d7e-developer',
      'Contractors',
    ]);
    expect(s.users.map((u) => u.id)).not.toContain('u12'); // only in Sales, which the app does not reach
    expect(s.users.find((u) => u.id === 'u03')).toMatchObject({
      email: 'alan.turing@acme.example',
      login: 'aturing@acme.example',
      fields: { 'user.email': 'alan.turing@acme.example', 'user.login': 'aturing@acme.example' },
    });
    expect(s.app.sso).toEqual({
      protocol: 'saml',
      nameIdFormat: 'emailAddress',
      nameIdSource: 'user.email',
      emailAttribute: { name: 'email', source: 'user.email' },
    });
    expect(s.app.scim).toMatchObject({
      enabled: true,
      emailSource: 'user.email',
      userNameSource: 'user.email',
      intervalMinutes: null,
    });
    expect(s).toMatchObject({ idp: 'generic', tenant: 'acme', complete: true, capturedAt: '1970-01-01T00:00:00.000Z' });
    expect(s.nesting).toBeUndefined();
  });

  it('as Entra: Entra field names, the 40-minute SCIM cycle, direct-only access nesting; Okta: no nested groups', () => {
    const entra = snapshotFromTenant(conformanceTenant(), { idp: 'entra', capturedAt: '2026-02-10T00:00:00.000Z' });
    expect(entra).toMatchObject({ idp: 'entra', nesting: 'direct', capturedAt: '2026-02-10T00:00:00.000Z' });
    expect(entra.app.scim!.intervalMinutes).toBe(40);
    expect(entra.app.sso!.nameIdSource).toBe('user.mail');
    expect(entra.users[0]!.fields).toEqual({
      'user.mail': 'ada.lovelace@acme.example',
      'user.userPrincipalName': 'ada.lovelace@acme.example',
    });
    const okta = snapshotFromTenant(conformanceTenant(), { idp: 'okta' });
    expect(okta.groups.every((g) => g.memberGroupIds.length === 0)).toBe(true);
    expect(okta.groups.map((g) => g.name)).not.toContain('Contractors');
  });

  it('is pure: same tenant, same snapshot; the tenant is not shared', () => {
    const t = conformanceTenant();
    const a = snapshotFromTenant(t);
    a.groups[0]!.memberUserIds.push('x');
    expect(snapshotFromTenant(t)).not.toEqual(a);
    expect(t.groups[0]!.memberUserIds).toEqual(['u01']);
  });
});
