import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { audit, type AuditInput } from './audit';
import { checkMemberImpact } from './checks-org';
import { checkContext, resolveOrgAccess } from './context';
import { FINDING_CODES } from './catalogue';
import { ReportSchema } from '../../schemas/report';
import type { Finding } from '../../schemas/finding';
import { canonicalJson } from '../../model/canonical-json';
import { VERSION } from '../../version';
import {
  ana,
  bo,
  config,
  cy,
  group,
  member,
  only,
  org,
  ORG_CLAUDE,
  ORG_CONSOLE,
  OWNER_G,
  snapshot,
  user,
  USER_G,
} from '../../rules/test-helpers';

const now = new Date('2026-02-10T12:00:00.000Z');
const produced = new Set<string>();

function run(input: Omit<AuditInput, 'now'>) {
  const report = audit({ ...input, now });
  for (const f of report.findings) produced.add(f.code);
  return report;
}
const codes = (fs: Finding[]) => [...new Set(fs.map((f) => f.code))].sort();

// Acme (the cast in rules/test-helpers): Okta, acme.com verified, one Enterprise claude.ai org.
function healthy() {
  const s = snapshot({
    users: [ana, bo, cy],
    groups: [group('g-own', OWNER_G, ['u1']), group('g-usr', USER_G, ['u2', 'u3'])],
    assignGroups: ['g-own', 'g-usr'],
    scim: { pushedGroupIds: ['g-own', 'g-usr'] },
  });
  const o = org({
    mode: 'scim',
    mappings: { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G, USER_G] },
    seats: { premium: 10, standard: 10 },
  });
  const c = config([o]);
  const members = [member('ana@acme.com', 'owner'), member('bo@acme.com', 'user'), member('cy@acme.com', 'user')];
  return { snapshot: s, config: c, members, org: o };
}

describe('audit: the report (SPEC §4)', () => {
  it('a healthy Okta + SCIM + mappings setup has no errors or warnings', () => {
    const h = healthy();
    const r = run({ snapshot: h.snapshot, config: h.config, members: h.members, actor: 'ana@acme.com' });
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.summary).toEqual({ errors: 0, warnings: 0, infos: r.findings.length });
  });

  it('has the contract shape: schemaVersion, tool version, generatedAt = now, snapshot header, counts', () => {
    const h = healthy();
    const r = run({ snapshot: { ...h.snapshot, idp: 'entra' }, config: h.config });
    expect(ReportSchema.parse(r)).toEqual(r);
    expect(r.tool).toEqual({ name: 'claude-idp', version: VERSION });
    expect(r.generatedAt).toBe('2026-02-10T12:00:00.000Z');
    expect(r.snapshot).toEqual({
      idp: 'entra',
      tenant: 'acme.okta.example',
      capturedAt: '2026-02-01T00:00:00.000Z',
      complete: true,
    });
    expect(r.summary.errors).toBe(r.findings.filter((f) => f.severity === 'error').length);
    for (const f of r.findings) {
      expect(f.message).not.toMatch(/\n/);
      expect(f.fix.length).toBeGreaterThan(10);
      expect(FINDING_CODES).toHaveProperty(f.code);
    }
  });

  it('is deterministic: shuffled snapshot and config arrays give byte-identical canonical JSON', () => {
    const h = healthy();
    const messy = {
      snapshot: snapshot({
        users: [
          ana,
          bo,
          cy,
          user('u4', 'dee@gmail.com'),
          user('u5', 'ANA@acme.com'),
          user('u6', 'eve@eu.acme.com', { status: 'suspended' }),
        ],
        groups: [
          group('g-own', OWNER_G, ['u1']),
          group('g-usr', USER_G, ['u2', 'u3', 'u4', 'u5']),
          group('g-x', 'Team X', ['u6'], ['g-own']),
        ],
        assignGroups: ['g-own', 'g-usr', 'g-x'],
        scim: { emailSource: 'user.login' },
      }),
      config: config([
        org({ mode: 'scim', mappings: { roles: { owner: [OWNER_G, 'Missing'], user: [USER_G] } } }),
        org({ surface: 'console', mode: 'jit' }),
      ]),
      members: [...h.members, member('zed@acme.com', 'admin')],
    };
    const base = canonicalJson(run(messy));
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const shuffle = <T>(xs: readonly T[]) =>
          xs
            .map((x, i) => [((i + 1) * (seed | 1) * 2654435761) % 1000003, x] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, x]) => x);
        const s = {
          ...messy.snapshot,
          users: shuffle(messy.snapshot.users),
          groups: shuffle(messy.snapshot.groups),
          assignments: { userIds: [], groupIds: shuffle(messy.snapshot.assignments.groupIds) },
        };
        const c = { ...messy.config, organizations: shuffle(messy.config.organizations) };
        return canonicalJson(audit({ snapshot: s, config: c, members: shuffle(messy.members), now })) === base;
      }),
      { numRuns: 25 },
    );
  });
});

describe('parent, domains and plans (R-P1, R-P2, R-P4, R-S1, R-D1, R-V2, R-S3, R-P5)', () => {
  it('IDP_MISMATCH: an Entra snapshot for a parent linked to Okta', () => {
    const h = healthy();
    const f = only(run({ snapshot: { ...h.snapshot, idp: 'entra' }, config: h.config }).findings, 'IDP_MISMATCH');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', rule: 'R-P4', subject: { kind: 'parent' } });
    expect(f[0]!.message).toContain('Microsoft Entra ID');
  });

  it('DOMAIN_NOT_VERIFIED + DOMAIN_PENDING: SSO needs a verified domain; acme.com is still Pending', () => {
    const h = healthy();
    const r = run({
      snapshot: h.snapshot,
      config: {
        ...h.config,
        parent: { idp: 'okta', verifiedDomains: [], pendingDomains: ['acme.com'], restrictOrgCreation: true },
      },
    });
    expect(only(r.findings, 'RESTRICT_ORG_CREATION_UNAVAILABLE')[0]!.rule).toBe('R-D4');
    expect(only(r.findings, 'DOMAIN_NOT_VERIFIED')[0]).toMatchObject({ severity: 'error', rule: 'R-S1' });
    expect(only(r.findings, 'DOMAIN_NOT_VERIFIED')[0]!.fix).toContain('TXT record');
    expect(only(r.findings, 'DOMAIN_PENDING')[0]).toMatchObject({
      severity: 'info',
      rule: 'R-D1',
      subject: { kind: 'domain', name: 'acme.com' },
    });
  });

  it('DOMAIN_CLAIM_CONFLICT: a domain both verified and pending (claimed once, R-P2)', () => {
    const h = healthy();
    const r = run({
      snapshot: h.snapshot,
      config: { ...h.config, parent: { idp: 'okta', verifiedDomains: ['acme.com'], pendingDomains: ['ACME.com'] } },
    });
    expect(only(r.findings, 'DOMAIN_CLAIM_CONFLICT').map((f) => f.subject.name)).toEqual(['acme.com']);
  });

  it('PARENT_ORG_MISSING: a Console org alone, set to JIT, has no parent and so no SSO', () => {
    const o = org({ surface: 'console', mode: 'jit' });
    const f = only(run({ snapshot: healthy().snapshot, config: config([o]) }).findings, 'PARENT_ORG_MISSING');
    expect(f[0]).toMatchObject({ severity: 'error', rule: 'R-P1', orgId: ORG_CONSOLE });
    expect(f[0]!.fix).toContain('parentSource: sales');
  });

  it('PARENT_SOURCE_AMBIGUOUS: Team and Enterprise orgs both present and the Console org does not say which parent it joined', () => {
    const cfg = config([org({ id: 't1', plan: 'team' }), org({ id: 'e1' }), org({ surface: 'console', mode: 'scim' })]);
    expect(
      only(run({ snapshot: healthy().snapshot, config: cfg }).findings, 'PARENT_SOURCE_AMBIGUOUS')[0],
    ).toMatchObject({ severity: 'error', orgId: ORG_CONSOLE });
  });

  it('SCIM_NOT_AVAILABLE: a Team org, and a Console org joined to a Team parent, set to SCIM', () => {
    const cfg = config([
      org({ id: 't1', plan: 'team', mode: 'scim' }),
      org({ surface: 'console', mode: 'scim', parentSource: 'merged-team' }),
    ]);
    const f = only(run({ snapshot: healthy().snapshot, config: cfg }).findings, 'SCIM_NOT_AVAILABLE');
    expect(f.map((x) => x.orgId).sort()).toEqual([ORG_CONSOLE, 't1'].sort());
    expect(f.find((x) => x.orgId === ORG_CONSOLE)!.message).toContain("Team plan's parent");
  });

  it("IDP_INITIATED_CONSOLE: 'why is IdP-initiated login no longer working for my Claude Console account?'", () => {
    const cfg = config([org({}), org({ surface: 'console' })]);
    const f = only(run({ snapshot: healthy().snapshot, config: cfg }).findings, 'IDP_INITIATED_CONSOLE');
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toContain('console.anthropic.com/login?sso=true');
  });

  it('MAPPINGS_IGNORED_MANUAL, SEAT_TIERS_CONSOLE and SHARED_APP_UNSCOPED', () => {
    const cfg = config([
      org({ mode: 'manual', mappings: { roles: { owner: [OWNER_G] } } }),
      org({
        surface: 'console',
        parentSource: 'merged-enterprise',
        mappings: { roles: { admin: ['anthropic-console-9f2c1d7e-admin'] }, seatTiers: { premium: ['x'] } },
      }),
      org({ id: 'e2', mode: 'jit' }),
    ]);
    const r = run({ snapshot: healthy().snapshot, config: cfg });
    expect(only(r.findings, 'MAPPINGS_IGNORED_MANUAL').map((f) => f.orgId)).toEqual([ORG_CLAUDE]);
    expect(only(r.findings, 'SEAT_TIERS_CONSOLE').map((f) => f.orgId)).toEqual([ORG_CONSOLE]);
    expect(only(r.findings, 'SHARED_APP_UNSCOPED').map((f) => f.orgId)).toEqual(['e2']);
  });
});

describe('SSO and SCIM settings of the app (R-S4, R-S5, R-K1, R-K2, R-V4)', () => {
  it('NAMEID_FORMAT: unspecified is a warning, persistent an error', () => {
    const h = healthy();
    const w = only(
      run({
        snapshot: snapshot({
          users: [ana],
          sso: { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' },
        }),
        config: h.config,
      }).findings,
      'NAMEID_FORMAT',
    );
    expect(w[0]).toMatchObject({ severity: 'warning', rule: 'R-S4' });
    expect(w[0]!.fix).toContain('Okta Admin console');
    expect(
      only(
        run({ snapshot: snapshot({ sso: { nameIdFormat: 'persistent' } }), config: h.config }).findings,
        'NAMEID_FORMAT',
      )[0]!.severity,
    ).toBe('error');
    expect(
      only(
        run({
          snapshot: snapshot({ sso: { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' } }),
          config: h.config,
        }).findings,
        'NAMEID_FORMAT',
      ),
    ).toEqual([]);
  });

  it('EMAIL_ATTRIBUTE_MISSING: no attribute statement, or one not named email', () => {
    const h = healthy();
    expect(
      only(
        run({ snapshot: snapshot({ sso: { emailAttribute: null } }), config: h.config }).findings,
        'EMAIL_ATTRIBUTE_MISSING',
      )[0]!.fix,
    ).toContain('Attribute Statements');
    expect(
      only(
        run({
          snapshot: snapshot({ sso: { emailAttribute: { name: 'mail', source: 'user.email' } } }),
          config: h.config,
        }).findings,
        'EMAIL_ATTRIBUTE_MISSING',
      )[0]!.message,
    ).toContain('"mail"');
  });

  it('CHECK_UNAVAILABLE: every setting the IdP cannot show is reported, never passed silently', () => {
    const h = healthy();
    const s = snapshot({
      idp: 'google',
      sso: null,
      scim: null,
      unavailable: [{ check: 'scim.pushedGroupIds', reason: 'Google has no push groups API' }],
    });
    const r = run({ snapshot: s, config: { ...h.config, parent: { ...h.config.parent, idp: 'google' } } });
    const f = only(r.findings, 'CHECK_UNAVAILABLE');
    expect(f.map((x) => x.subject.name)).toEqual(
      expect.arrayContaining(['Claude: sso', 'Claude: scim', 'Claude: scim.pushedGroupIds']),
    );
    expect(f.find((x) => x.subject.name === 'Claude: sso')!.fix).toContain('Google Admin console');
    // Null fields inside an otherwise readable SSO block too.
    const partial = run({
      snapshot: snapshot({ sso: { nameIdFormat: null, nameIdSource: null }, scim: { create: null } }),
      config: h.config,
    });
    expect(only(partial.findings, 'CHECK_UNAVAILABLE').map((x) => x.subject.name)).toEqual(
      expect.arrayContaining(['Claude: sso.nameIdFormat', 'Claude: sso.nameIdSource', 'Claude: scim.create']),
    );
    expect(only(partial.findings, 'NAMEID_FORMAT')).toEqual([]);
    // An adapter listing SCIM checks while no org uses SCIM: not reported; other checks always are.
    const jit = run({
      snapshot: snapshot({
        unavailable: [
          { check: 'scim', reason: 'no API' },
          { check: 'assignments', reason: 'no API' },
        ],
      }),
      config: config([org({ mode: 'jit' })]),
    });
    expect(only(jit.findings, 'CHECK_UNAVAILABLE').map((x) => x.subject.name)).toEqual(['Claude: assignments']);
    expect(only(jit.findings, 'CHECK_UNAVAILABLE')[0]!.fix).toContain(
      'Okta Admin console → Applications → Applications → Claude → Assignments',
    );
  });

  it('SCIM_DISABLED_IN_IDP and SCIM_CAPABILITY_OFF (R-K2: Create, Update, Deactivate on)', () => {
    const h = healthy();
    expect(
      only(
        run({ snapshot: snapshot({ scim: { enabled: false } }), config: h.config }).findings,
        'SCIM_DISABLED_IN_IDP',
      )[0],
    ).toMatchObject({ severity: 'error', rule: 'R-K2' });
    const f = only(
      run({ snapshot: snapshot({ scim: { deactivate: false, update: false } }), config: h.config }).findings,
      'SCIM_CAPABILITY_OFF',
    );
    expect(f.map((x) => x.subject.name)).toEqual(['Claude: Deactivate Users', 'Claude: Update User Attributes']);
    expect(f[0]!.message).toContain('never deprovisioned');
  });

  it("EMAIL_SOURCE_MISMATCH: 'SCIM using user.login while SAML uses user.email' names the people whose values differ", () => {
    const h = healthy();
    const alan = user('u7', 'alan@acme.com', { login: 'aturing@acme.com' });
    const s = snapshot({
      users: [ana, bo, alan],
      assignUsers: ['u1', 'u2', 'u7'],
      scim: { emailSource: 'user.login', userNameSource: 'user.login' },
    });
    const f = only(run({ snapshot: s, config: h.config }).findings, 'EMAIL_SOURCE_MISMATCH');
    const app = f.find((x) => x.subject.kind === 'app')!;
    expect(app).toMatchObject({ severity: 'error', rule: 'R-S5' });
    expect(app.message).toContain('alan@acme.com ≠ aturing@acme.com');
    expect(app.message).toContain('1 assigned person');
    expect(app.fix).toContain('user.email');
    expect(f.filter((x) => x.subject.kind === 'user').map((x) => x.subject.id)).toEqual(['u7']);
    // Different fields but equal values today: a warning (latent).
    const same = only(
      run({
        snapshot: snapshot({ users: [ana], assignUsers: ['u1'], scim: { emailSource: 'user.login' } }),
        config: h.config,
      }).findings,
      'EMAIL_SOURCE_MISMATCH',
    );
    expect(same.map((x) => x.severity)).toEqual(['warning']);
  });

  it('SAML_SOURCE_MISMATCH: NameID from user.login, the email attribute from user.email', () => {
    const h = healthy();
    const s = snapshot({
      users: [user('u7', 'alan@acme.com', { login: 'aturing@acme.com' })],
      assignUsers: ['u7'],
      sso: { nameIdSource: 'user.login' },
    });
    expect(only(run({ snapshot: s, config: h.config }).findings, 'SAML_SOURCE_MISMATCH')[0]!.message).toContain(
      'aturing@acme.com ≠ alan@acme.com',
    );
  });

  it('ENTRA_SYNC_DELAY (R-V4) for SCIM on Entra, SCIM_NOT_USED when SCIM is on but no org uses it', () => {
    const h = healthy();
    const e = only(
      run({
        snapshot: snapshot({ idp: 'entra', scim: { intervalMinutes: 40 } }),
        config: { ...h.config, parent: { ...h.config.parent, idp: 'entra' } },
      }).findings,
      'ENTRA_SYNC_DELAY',
    );
    expect(e[0]).toMatchObject({ severity: 'info', rule: 'R-V4' });
    expect(e[0]!.message).toContain('40 minutes');
    expect(
      only(run({ snapshot: snapshot({ scim: {} }), config: config([org({ mode: 'jit' })]) }).findings, 'SCIM_NOT_USED'),
    ).toHaveLength(1);
  });
});

describe('people and groups (R-S1, R-S4, R-S5, R-V3)', () => {
  const people = () =>
    snapshot({
      users: [
        ana,
        user('u5', 'Ana@ACME.com'),
        user('u8', null, { login: 'nomail' }),
        user('u9', 'dee@gmail.com'),
        user('u10', 'eve@eu.acme.com'),
        user('u11', 'fay@eu.acme.com'),
        user('u12', 'gus@acme.com', { status: 'suspended' }),
        user('u13', 'hal@acme.com', { status: 'deprovisioned' }),
      ],
      assignUsers: ['u1', 'u5', 'u8', 'u9', 'u10', 'u11', 'u12', 'u13'],
    });
  it('DUPLICATE_EMAIL (case-insensitive), EMAIL_MISSING, INACTIVE_ASSIGNED', () => {
    const r = run({ snapshot: people(), config: config([org({})]) });
    expect(only(r.findings, 'DUPLICATE_EMAIL')).toMatchObject([
      { severity: 'error', subject: { id: 'u1', name: 'ana@acme.com' } },
    ]);
    expect(only(r.findings, 'EMAIL_MISSING').map((f) => f.subject.id)).toEqual(['u8']);
    const inactive = only(r.findings, 'INACTIVE_ASSIGNED');
    expect(inactive.map((f) => [f.subject.id, f.severity])).toEqual([
      ['u13', 'warning'],
      ['u12', 'info'],
    ]);
  });

  it('USER_DOMAIN_UNVERIFIED: per domain; a subdomain of a verified domain names the subdomain to verify', () => {
    const f = only(run({ snapshot: people(), config: config([org({})]) }).findings, 'USER_DOMAIN_UNVERIFIED');
    expect(f.map((x) => x.subject.name)).toEqual(['eu.acme.com', 'gmail.com']);
    expect(f[0]!.message).toContain(
      '2 assigned people (eve@eu.acme.com, fay@eu.acme.com) on eu.acme.com, a subdomain of verified acme.com',
    );
    expect(f[0]!.fix).toContain('Verify eu.acme.com itself');
  });

  it('IDN / Unicode addresses on a verified IDN domain are on-domain, and duplicates across forms are caught', () => {
    const s = snapshot({
      users: [user('a', 'zoë@bücher.example'), user('b', 'ZOË@xn--bcher-kva.example')],
      assignUsers: ['a', 'b'],
    });
    const r = run({ snapshot: s, config: config([org({})], { verifiedDomains: ['Bücher.example'] }) });
    expect(only(r.findings, 'USER_DOMAIN_UNVERIFIED')).toEqual([]);
    expect(only(r.findings, 'DUPLICATE_EMAIL')[0]!.subject.name).toBe('zoë@xn--bcher-kva.example');
  });

  it('NESTED_GROUP_CYCLE without looping', () => {
    const s = snapshot({
      idp: 'google',
      users: [ana],
      groups: [group('A', 'Alpha', ['u1'], ['B']), group('B', 'Beta', [], ['A'])],
      assignGroups: ['A'],
    });
    const f = only(run({ snapshot: s, config: config([org({})], { idp: 'google' }) }).findings, 'NESTED_GROUP_CYCLE');
    expect(f[0]!.message).toContain('Alpha (A) ⊂ Beta (B) ⊂ Alpha (A)');
  });

  it('NESTED_GROUP_NOT_ASSIGNED: Entra nested group members are not assigned, Google ones are', () => {
    const groups = [group('g-eng', 'Engineering', ['u1'], ['g-con']), group('g-con', 'Contractors', ['u3'])];
    const entra = run({
      snapshot: snapshot({ idp: 'entra', users: [ana, cy], groups, assignGroups: ['g-eng'] }),
      config: config([org({})], { idp: 'entra' }),
    });
    const f = only(entra.findings, 'NESTED_GROUP_NOT_ASSIGNED');
    expect(f).toMatchObject([{ subject: { kind: 'group', id: 'g-con', name: 'Contractors' } }]);
    expect(f[0]!.message).toContain('nested in assigned group Engineering');
    expect(f[0]!.fix).toContain('Entra admin center → Enterprise applications → Claude → Users and groups');
    const google = run({
      snapshot: snapshot({ idp: 'google', users: [ana, cy], groups, assignGroups: ['g-eng'] }),
      config: config([org({})], { idp: 'google' }),
    });
    expect(only(google.findings, 'NESTED_GROUP_NOT_ASSIGNED')).toEqual([]);
  });

  it('SNAPSHOT_INCOMPLETE', () => {
    expect(
      only(run({ snapshot: snapshot({ complete: false }), config: config([org({})]) }).findings, 'SNAPSHOT_INCOMPLETE'),
    ).toHaveLength(1);
  });
});

describe('group mappings (R-G1, R-G3, R-G4, R-G5, R-G6)', () => {
  it('MAPPED_GROUP_MISSING, GROUP_PREFIX, GROUP_ORG_MISMATCH, GROUP_ROLE_MISMATCH, UNKNOWN_ROLE', () => {
    const s = snapshot({
      users: [ana, bo],
      groups: [
        group('g-own', OWNER_G, ['u1']),
        group('g-cust', 'Claude Users', ['u2']),
        group('g-other', 'anthropic-claudeai-deadbeef-admin', ['u2']),
        group('g-sup', 'anthropic-super', ['u2']),
      ],
      assignGroups: ['g-own', 'g-cust', 'g-other', 'g-sup'],
    });
    const o = org({
      mappings: {
        roles: {
          owner: [OWNER_G],
          user: ['Claude Users', 'anthropic-claudeai-468ca80f-owner-typo', OWNER_G],
          admin: ['anthropic-claudeai-deadbeef-admin'],
          superuser: ['anthropic-super'],
        },
        seenGroups: [OWNER_G, 'Claude Users', 'anthropic-claudeai-deadbeef-admin', 'anthropic-super'],
      },
    });
    const r = run({ snapshot: s, config: config([o]) });
    expect(only(r.findings, 'MAPPED_GROUP_MISSING').map((f) => [f.subject.name, f.severity])).toEqual([
      ['anthropic-claudeai-468ca80f-owner-typo', 'error'],
    ]);
    expect(only(r.findings, 'GROUP_PREFIX').map((f) => f.subject.name)).toEqual(['Claude Users']);
    expect(only(r.findings, 'GROUP_ORG_MISMATCH').map((f) => f.subject.name)).toEqual([
      'anthropic-claudeai-deadbeef-admin',
    ]);
    expect(only(r.findings, 'GROUP_ROLE_MISMATCH').map((f) => f.message)).toEqual([
      `Group "${OWNER_G}" is named for role owner but mapped to user`,
    ]);
    expect(only(r.findings, 'UNKNOWN_ROLE').map((f) => f.subject.name)).toEqual(['anthropic-super']);
  });

  it('GROUP_NOT_SEEN (error once enabled, warning before), GROUP_NOT_PUSHED, and CHECK_UNAVAILABLE without seenGroups', () => {
    const h = healthy();
    const s = {
      ...h.snapshot,
      app: { ...h.snapshot.app, scim: { ...h.snapshot.app.scim!, pushedGroupIds: ['g-own'] } },
    };
    const notSeen = org({
      mode: 'scim',
      mappings: { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G] },
    });
    const r = run({ snapshot: s, config: config([notSeen]) });
    expect(only(r.findings, 'GROUP_NOT_SEEN').map((f) => [f.subject.name, f.severity])).toEqual([[USER_G, 'error']]);
    expect(only(r.findings, 'GROUP_NOT_SEEN')[0]!.fix).toContain('Sync now');
    expect(only(r.findings, 'GROUP_NOT_PUSHED').map((f) => f.subject.name)).toEqual([USER_G]);
    const off = org({
      mode: 'scim',
      mappings: { enabled: false, roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G] },
    });
    expect(only(run({ snapshot: s, config: config([off]) }).findings, 'GROUP_NOT_SEEN')[0]!.severity).toBe('warning');
    const unknown = org({ mode: 'jit', mappings: { roles: { owner: [OWNER_G] } } });
    const u = only(run({ snapshot: s, config: config([unknown]) }).findings, 'CHECK_UNAVAILABLE');
    expect(u.map((f) => f.rule)).toEqual(['R-G5']);
    expect(u[0]!.fix).toContain('seenGroups');
  });

  it('MAPPED_GROUP_NOT_ASSIGNED: members of a mapped group that is not on the app get nothing (R-G3)', () => {
    const s = snapshot({
      users: [ana, bo],
      groups: [group('g-own', OWNER_G, ['u1']), group('g-usr', USER_G, ['u2'])],
      assignGroups: ['g-own'],
    });
    const o = org({ mappings: { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G, USER_G] } });
    const f = only(run({ snapshot: s, config: config([o]) }).findings, 'MAPPED_GROUP_NOT_ASSIGNED');
    expect(f).toMatchObject([{ subject: { id: 'g-usr', name: USER_G } }]);
    expect(f[0]!.message).toContain('bo@acme.com (u2)');
  });

  it('NESTED_GROUP_IN_MAPPED_GROUP on Entra; PREDEFINED_GROUP_IMPLICIT for a default group not in the config', () => {
    const s = snapshot({
      idp: 'entra',
      users: [ana, bo],
      groups: [
        group('g-own', OWNER_G, ['u1'], ['g-leads']),
        group('g-leads', 'Leads', ['u2']),
        group('g-usr', USER_G, ['u2']),
      ],
      assignUsers: ['u1', 'u2'],
    });
    const o = org({ mappings: { roles: { owner: [OWNER_G] }, seenGroups: [OWNER_G, USER_G] } });
    const r = run({ snapshot: s, config: config([o], { idp: 'entra' }) });
    expect(only(r.findings, 'NESTED_GROUP_IN_MAPPED_GROUP')[0]!.message).toContain('Leads');
    expect(only(r.findings, 'PREDEFINED_GROUP_IMPLICIT').map((f) => f.subject.name)).toEqual([USER_G]);
  });

  it("OWNER_LOCKOUT + ACTOR_DOWNGRADE: 'I lost Admin/Owner access after enabling group mappings'", () => {
    // Ana, the Owner who saved the mappings, is only in the User group; the Owner group is empty.
    const s = snapshot({
      users: [ana, bo],
      groups: [group('g-own', OWNER_G, []), group('g-usr', USER_G, ['u1', 'u2'])],
      assignGroups: ['g-own', 'g-usr'],
    });
    const o = org({
      mode: 'jit',
      mappings: { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G, USER_G] },
    });
    const r = run({
      snapshot: s,
      config: config([o]),
      members: [member('ana@acme.com', 'owner'), member('bo@acme.com', 'user')],
      actor: 'Ana@Acme.com',
    });
    expect(only(r.findings, 'OWNER_LOCKOUT')[0]).toMatchObject({ severity: 'error', rule: 'R-G6', orgId: ORG_CLAUDE });
    const actor = only(r.findings, 'ACTOR_DOWNGRADE');
    expect(actor).toMatchObject([{ subject: { id: 'u1', name: 'ana@acme.com' } }]);
    expect(actor[0]!.message).toContain('owner');
    expect(actor[0]!.fix).toContain('claude.ai/admin-settings/organization');
  });

  it("ACCESS_LOSS (SCIM) and ROLE_DOWNGRADE: 'saving before users are properly assigned will result in those users being deprovisioned'", () => {
    const s = snapshot({
      users: [ana, bo, cy],
      groups: [group('g-own', OWNER_G, ['u1']), group('g-usr', USER_G, ['u2'])],
      assignGroups: ['g-own', 'g-usr'],
      assignUsers: ['u3'],
    });
    const o = org({
      mode: 'scim',
      mappings: { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G, USER_G] },
    });
    const members = [
      member('ana@acme.com', 'owner'),
      member('bo@acme.com', 'admin'),
      member('cy@acme.com', 'user'),
      member('gone@acme.com', 'user'),
      member('new@acme.com', 'user', { status: 'invited' }),
    ];
    const r = run({ snapshot: s, config: config([o]), members });
    expect(only(r.findings, 'ACCESS_LOSS').map((f) => [f.subject.name, f.severity])).toEqual([
      ['cy@acme.com', 'error'],
      ['gone@acme.com', 'error'],
    ]);
    expect(only(r.findings, 'ACCESS_LOSS')[0]!.message).toContain('in no mapped group');
    expect(only(r.findings, 'ROLE_DOWNGRADE').map((f) => f.message)).toEqual([
      `bo@acme.com is admin in ${ORG_CLAUDE} but the mapped groups give user (pushed by SCIM)`,
    ]);
  });

  it('repeated member rows for one address count once, with the highest role, in a sorted list or not', () => {
    // Nobody is assigned: every member row loses access, so the losers show which rows were kept.
    const s = snapshot({ users: [ana, bo, cy], groups: [group('g-usr', USER_G, ['u1', 'u2', 'u3'])] });
    const o = org({ mode: 'scim', mappings: { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [USER_G] } });
    const rows = [
      member('ana@acme.com', 'user'),
      member('ANA@acme.com', 'admin'),
      member('bo@acme.com', 'owner'),
      member('bo@acme.com', 'user'),
      member('cy@acme.com', 'user'),
    ];
    const ctx = checkContext(s, config([o]));
    const access = resolveOrgAccess(ctx.index, ctx.config, o);
    const losers = (ms: typeof rows) =>
      checkMemberImpact(ctx, o, access, ms, undefined, 'audit').losers.map((l) => `${l.email} ${l.role}`);
    const expected = ['ana@acme.com admin', 'bo@acme.com owner', 'cy@acme.com user'];
    expect(losers(rows)).toEqual(expected);
    expect(losers([rows[4]!, rows[0]!, rows[3]!, rows[1]!, rows[2]!])).toEqual(expected);
    expect(losers([rows[2]!, rows[0]!, rows[4]!, rows[3]!, rows[1]!])).toEqual(expected);
  });

  it("STALE_MEMBER (JIT): 'removed from the app … will still appear in the user list until they attempt to log in'", () => {
    const s = snapshot({ users: [ana, bo], assignUsers: ['u1'] });
    const r = run({
      snapshot: s,
      config: config([org({ mode: 'jit' })]),
      members: [member('ana@acme.com', 'owner'), member('bo@acme.com', 'user')],
    });
    const f = only(r.findings, 'STALE_MEMBER');
    expect(f).toMatchObject([{ severity: 'warning', rule: 'R-V3', subject: { id: 'u2', name: 'bo@acme.com' } }]);
    expect(f[0]!.message).toContain('not assigned to the app');
    expect(only(r.findings, 'ACCESS_LOSS')).toEqual([]);
  });

  it('DUPLICATE_ACCOUNT_RISK (R-S5): the member account is ana@ but the IdP sends her new address', () => {
    const s = snapshot({
      users: [user('u1', 'ana.lovelace@acme.com', { aliases: ['ana@acme.com'] })],
      assignUsers: ['u1'],
    });
    const r = run({ snapshot: s, config: config([org({ mode: 'jit' })]), members: [member('ana@acme.com', 'owner')] });
    expect(only(r.findings, 'DUPLICATE_ACCOUNT_RISK')).toMatchObject([
      { rule: 'R-S5', subject: { id: 'u1', name: 'ana@acme.com' } },
    ]);
  });

  it('MEMBER_ORG_UNKNOWN: member rows without orgId when the config has several orgs', () => {
    const r = run({
      snapshot: healthy().snapshot,
      config: config([org({}), org({ surface: 'console', parentSource: 'merged-enterprise' })]),
      members: [member('ana@acme.com', 'owner')],
    });
    expect(only(r.findings, 'MEMBER_ORG_UNKNOWN')).toHaveLength(1);
  });
});

describe('seats and Require SSO (R-V5, R-G2, R-S2, R-D3)', () => {
  it("SEAT_SHORTFALL: 'users assigned correctly … but aren't being added' — more premium people than premium seats", () => {
    const s = snapshot({
      users: [ana, bo, cy],
      groups: [group('g-p', 'anthropic-claude-premium', ['u1', 'u2', 'u3'])],
      assignGroups: ['g-p'],
    });
    const o = org({
      mode: 'scim',
      seats: { premium: 2, standard: 0 },
      mappings: {
        roles: { user: ['anthropic-claude-premium'] },
        seatTiers: { premium: ['anthropic-claude-premium'] },
        seenGroups: ['anthropic-claude-premium'],
      },
    });
    const f = only(run({ snapshot: s, config: config([o]) }).findings, 'SEAT_SHORTFALL');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('only 2 premium seats');
    expect(f[0]!.fix).toContain('Sync now');
    // Nobody in a seat-tier group and every tier full.
    const plain = org({ mode: 'jit', seats: { premium: 1, standard: 1 } });
    expect(
      only(
        run({ snapshot: snapshot({ users: [ana, bo, cy], assignUsers: ['u1', 'u2', 'u3'] }), config: config([plain]) })
          .findings,
        'SEAT_SHORTFALL',
      )[0]!.message,
    ).toContain('1 entitled person in no seat-tier group');
  });

  it('REQUIRE_SSO_LOCKOUT: with Require SSO on, a Pro account of someone not on the app is cut off; gmail and assigned people are not', () => {
    const s = snapshot({ users: [ana, bo], assignUsers: ['u1'] });
    const domainMembers = [
      { email: 'ana@acme.com', organizationName: "Ana's personal", accountType: 'pro', surface: 'claude' as const },
      { email: 'bo@acme.com', organizationName: "Bo's personal", accountType: 'pro', surface: 'claude' as const },
      { email: 'carl@acme.com', organizationName: 'Side project', accountType: 'free' },
      { email: 'dee@gmail.com', accountType: 'max' },
      { email: 'eve@acme.com', organizationName: 'API sandbox', accountType: 'console', surface: 'console' as const },
    ];
    const on = config([org({})], { requireSso: { claude: true } });
    const f = only(run({ snapshot: s, config: on, domainMembers }).findings, 'REQUIRE_SSO_LOCKOUT');
    expect(f.map((x) => x.subject.name)).toEqual(['bo@acme.com', 'carl@acme.com']);
    expect(f[0]!.message).toContain("Bo's personal — pro");
    expect(f[0]!.message).toContain('not deleted');
    expect(
      only(run({ snapshot: s, config: config([org({})]), domainMembers }).findings, 'REQUIRE_SSO_LOCKOUT'),
    ).toEqual([]);
  });
});

// Runs last (tests in a file run in order): every audit-side catalogue code is produced above.
it('catalogue: every code audit can emit is produced by at least one scenario above', () => {
  const auditCodes = Object.entries(FINDING_CODES)
    .filter(([, info]) => info.source === 'audit' || info.source === 'audit+preflight')
    .map(([code]) => code);
  const missing = auditCodes.filter((c) => !produced.has(c));
  expect(missing).toEqual([]);
});

it('accepts now as an ISO string, and rejects a non-date', () => {
  const h = healthy();
  expect(audit({ snapshot: h.snapshot, config: h.config, now: '2026-02-10T12:00:00Z' }).generatedAt).toBe(
    '2026-02-10T12:00:00.000Z',
  );
  expect(() => audit({ snapshot: h.snapshot, config: h.config, now: 'yesterday' })).toThrow(RangeError);
});

it('ACTOR_DOWNGRADE without a member list: the actor is taken as the Owner managing the mappings', () => {
  const s = snapshot({
    users: [ana, bo],
    groups: [group('g-own', OWNER_G, ['u1']), group('g-usr', USER_G, ['u2'])],
    assignGroups: ['g-own', 'g-usr'],
  });
  const o = org({
    mode: 'jit',
    mappings: { roles: { owner: [OWNER_G], user: [USER_G] }, seenGroups: [OWNER_G, USER_G] },
  });
  expect(
    only(audit({ snapshot: s, config: config([o]), actor: 'bo@acme.com', now }).findings, 'ACTOR_DOWNGRADE')[0]!
      .message,
  ).toContain('would get user');
  expect(
    only(audit({ snapshot: s, config: config([o]), actor: 'ana@acme.com', now }).findings, 'ACTOR_DOWNGRADE'),
  ).toEqual([]);
});
