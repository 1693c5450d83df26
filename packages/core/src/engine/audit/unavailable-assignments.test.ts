import { describe, expect, it } from 'vitest';
import { snapshotFromTenant } from '../../testing/snapshot-from-tenant';
import { conformanceTenant } from '../../testing/generic-tenant';
import type { OrgConfig } from '../../schemas/config';
import { audit } from './audit';
import { isEmailAttributeName } from './checks-app';

const config: OrgConfig = {
  parent: { idp: 'generic', verifiedDomains: ['acme.example'] },
  organizations: [
    {
      id: '468ca80f-0000-4000-8000-000000000000',
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
const now = new Date('2026-11-22T00:00:00Z');

describe('audit when the IdP cannot show assignments', () => {
  it('drops the findings that would be guessed from an empty assignment list, and says which', () => {
    const s = snapshotFromTenant(conformanceTenant());
    const blind = {
      ...s,
      assignments: { userIds: [], groupIds: [] },
      unavailable: [{ check: 'assignments', reason: 'not in the API' }],
    };
    const guessed = audit({ snapshot: { ...blind, unavailable: [] }, config, now });
    expect(guessed.findings.map((f) => f.code)).toContain('OWNER_LOCKOUT');
    const r = audit({ snapshot: blind, config, now });
    const codes = r.findings.map((f) => f.code);
    expect(codes).not.toContain('OWNER_LOCKOUT');
    expect(codes).not.toContain('MAPPED_GROUP_NOT_ASSIGNED');
    expect(r.findings.find((f) => /cannot show who is assigned/.test(f.message))?.message).toContain('OWNER_LOCKOUT');
  });
});

describe('isEmailAttributeName (R-S4)', () => {
  it('accepts email and the Entra emailaddress claim URI; reports other names', () => {
    for (const ok of [
      'email',
      'Email',
      ' email ',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    ])
      expect(isEmailAttributeName(ok), ok).toBe(true);
    for (const bad of [
      'mail',
      'upn',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
      'username',
      'emails2',
    ])
      expect(isEmailAttributeName(bad), bad).toBe(false);
  });
});
