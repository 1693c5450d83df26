import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, parseOrgConfig, type Report } from '@claude-idp/core';
import { conformanceTenant } from '@claude-idp/core/testing';
import { createGoogleAdapter, type GoogleAppDeclaration } from './index';
import { createGoogleFake } from './testing/index';

// End to end: the fake Google tenant, read by the adapter, audited by core.
const fake = createGoogleFake(conformanceTenant());
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const OWNER = 'anthropic-claudeai-468ca80f-owner';
const USER = 'anthropic-claudeai-468ca80f-user';
const config = parseOrgConfig(
  JSON.stringify({
    parent: { idp: 'google', verifiedDomains: ['acme.example'] },
    organizations: [
      {
        id: '468ca80f-1111-2222-3333-444455556666',
        surface: 'claude',
        plan: 'enterprise',
        provisioning: {
          mode: 'jit',
          groupMappings: { enabled: true, roles: { owner: [OWNER], user: [USER] }, seenGroups: [OWNER, USER] },
        },
      },
    ],
  }),
);
const connection = { GOOGLE_API_URL: fake.baseUrl, GOOGLE_ACCESS_TOKEN: fake.accessToken };
async function run(declaration?: GoogleAppDeclaration): Promise<Report> {
  const snapshot = await createGoogleAdapter({ env: connection, ...(declaration ? { declaration } : {}) }).readSnapshot(
    { app: 'Claude' },
  );
  return audit({ snapshot, config, now: new Date('2026-01-01T00:00:00Z') });
}
// The per-setting CHECK_UNAVAILABLE findings ("Not checked: <setting> — why"); SCIM ones appear only when an org uses SCIM.
const unavailable = (r: Report) =>
  r.findings
    .filter((f) => f.code === 'CHECK_UNAVAILABLE' && f.message.startsWith('Not checked:'))
    .map((f) => f.message.split(' — ')[0]);
const codes = (r: Report) => new Set(r.findings.map((f) => f.code));
const declared = () => structuredClone(fake.declarationFor().apps[0]!);

describe('google -> audit', () => {
  it('without a declaration: CHECK_UNAVAILABLE for the SSO settings and the assignments, no SSO finding guessed', async () => {
    const r = await run();
    expect(r.snapshot).toMatchObject({ idp: 'google', complete: true });
    expect(unavailable(r)).toEqual(['Not checked: assignments', 'Not checked: sso']);
    for (const code of ['NAMEID_FORMAT', 'EMAIL_ATTRIBUTE_MISSING', 'EMAIL_SOURCE_MISMATCH', 'INACTIVE_ASSIGNED'])
      expect(codes(r).has(code)).toBe(false);
  });

  it('with the declaration: the SSO settings and assignments are audited (nothing left unchecked for a JIT org)', async () => {
    const r = await run(declared());
    expect(unavailable(r)).toEqual([]);
    expect(r.summary.errors).toBe(0);
    // Ken is assigned through the declared org unit and archived in Google.
    expect(
      r.findings.find((f) => f.code === 'INACTIVE_ASSIGNED' && f.subject.name === 'ken.thompson@acme.example')?.message,
    ).toMatch(/deprovisioned in google/);
  });

  it('declared values are checked like read ones: a persistent Name ID and a missing email attribute are findings', async () => {
    const d = declared();
    d.sso = { nameIdFormat: 'PERSISTENT', nameId: 'Basic Information > Primary email', attributes: [] };
    const r = await run(d);
    expect(r.findings.find((f) => f.code === 'NAMEID_FORMAT')).toMatchObject({ severity: 'error' });
    expect(codes(r).has('EMAIL_ATTRIBUTE_MISSING')).toBe(true);
  });

  it('without a declaration no assignment-based finding is guessed from the empty assignment list', async () => {
    const r = await run();
    for (const code of ['OWNER_LOCKOUT', 'MAPPED_GROUP_NOT_ASSIGNED', 'ACCESS_LOSS', 'SEAT_SHORTFALL'])
      expect(codes(r).has(code), code).toBe(false);
    expect(
      r.findings.some(
        (f) =>
          f.code === 'CHECK_UNAVAILABLE' &&
          /cannot show who is assigned/.test(f.message) &&
          /OWNER_LOCKOUT/.test(f.message),
      ),
    ).toBe(true);
    // The same tenant with its declaration does decide who is assigned, and no Owner is locked out.
    expect(codes(await run(declared())).has('OWNER_LOCKOUT')).toBe(false);
  });
});
