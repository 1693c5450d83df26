import type { Member } from '../schemas/members';
import type { IdpKind } from '../schemas/common';
import type { OrgConfig } from '../schemas/config';
import type { GenericGroup, GenericTenant, GenericUser } from './generic-tenant';

/** The claude.ai Enterprise org of the demo (its id starts with the `468ca80f` of the seed's example groups). */
export const DEMO_CLAUDE_ORG = '468ca80f-6b1e-4c52-9d1a-2f3e4b5c6d7e';
/** The Console org merged into the same parent. */
export const DEMO_CONSOLE_ORG = '9f2c1d7e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
/** The admin who runs the demo's audit (`--actor`): an Owner today whom the mappings would downgrade. */
export const DEMO_ACTOR = 'marcus.chen@northwind.example';

const P = (org: string) => org.slice(0, 8);

/**
 * "Northwind": a realistic tenant of three dozen people with a claude.ai Enterprise org and a
 * Console org under one parent, carrying the mistakes admins make:
 * - the SCIM email is taken from the login field while SAML sends the email field (R-S5), and
 *   four people's login differs from their email;
 * - a mapped group without the `anthropic-` prefix ("Claude Admins", R-G4);
 * - nobody left in the Owner group (its one member is suspended, R-G6);
 * - assigned people off the verified domain (a contractor domain and an unverified subdomain, R-S1);
 * - stale JIT members in the Console org (listed, no longer in any mapped group, R-V3);
 * - more people mapped to Premium than Premium seats bought, and too few seats overall (R-V5, R-G2);
 * - a nested group that Entra does not count for app access.
 */
export function demoTenant(): GenericTenant {
  let n = 0;
  const users: GenericUser[] = [];
  const add = (given: string, family: string, extra: Partial<GenericUser> = {}): string => {
    const id = `d${String(++n).padStart(2, '0')}`;
    const email = extra.email ?? `${given}.${family}@northwind.example`.toLowerCase().replace(/\s+/g, '');
    users.push({
      id,
      email,
      login: extra.login ?? email,
      givenName: given,
      familyName: family,
      status: 'active',
      ...extra,
      ...(extra.email ? {} : {}),
    });
    return id;
  };
  const dana = add('Dana', 'Whitfield', { status: 'suspended' });
  const marcus = add('Marcus', 'Chen');
  const admins = [add('Priya', 'Raman'), add('Tomás', 'Herrera', { email: 'tomas.herrera@northwind.example' })];
  const javier = add('Javier', 'Morales', { login: 'jmorales@northwind.example' });
  const mismatch = [
    javier,
    add('Aisha', 'Bello', { login: 'abello@northwind.example' }),
    add('Olivia', 'Brennan', { login: 'obrennan@northwind.example' }),
    add('Wei', 'Zhang', { login: 'wzhang@northwind.example' }),
  ];
  const plain = [
    'Liam Walsh',
    'Sofia Rossi',
    'Noah Fischer',
    'Emma Laurent',
    'Lucas Silva',
    'Mia Novak',
    'Ethan Park',
    'Chloé Martin',
    'Hannah Kowalski',
    'Omar Haddad',
    'Grace Okafor',
    'Jonas Berg',
    'Ines Duarte',
    'Ravi Patel',
    'Yuki Tanaka',
  ].map((full) => {
    const [g, f] = full.split(' ') as [string, string];
    return add(g, f, { email: `${g.normalize('NFD').replace(/\p{M}/gu, '')}.${f}@northwind.example`.toLowerCase() });
  });
  const contractor = add('Kim', 'Lee', {
    email: 'kim.lee@northwind-contractors.example',
    login: 'kim.lee@northwind-contractors.example',
  });
  const euOps = add('Lena', 'Vogel', {
    email: 'lena.vogel@eu.northwind.example',
    login: 'lena.vogel@eu.northwind.example',
  });
  const locked = add('Peter', 'Quinn', { status: 'locked' });
  const consoleAdmin = admins[0]!;
  const devs = [
    add('Sam', 'Rivera'),
    add('Alex', 'Kim'),
    add('Jordan', 'Blake'),
    add('Taylor', 'Nguyen'),
    mismatch[3]!,
  ];
  const consoleUsers = [add('Casey', 'Morgan'), add('Riley', 'Shah')];
  const nestedContractor = add('Nico', 'Brandt', { email: 'nico.brandt@northwind.example' });
  const unrelated = add('Frank', 'Outside');
  void unrelated;

  const g = (id: string, name: string, memberUserIds: string[], memberGroupIds: string[] = []): GenericGroup => ({
    id,
    name,
    memberUserIds,
    memberGroupIds,
  });
  const groups: GenericGroup[] = [
    g('dg01', `anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-owner`, [dana]),
    g('dg02', 'Claude Admins', [marcus, ...admins]),
    g('dg03', `anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-user`, [
      marcus,
      ...mismatch,
      ...plain,
      contractor,
      euOps,
      locked,
    ]),
    g('dg04', `anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-premium`, [
      marcus,
      ...admins,
      ...mismatch.slice(0, 3),
      ...plain.slice(0, 2),
    ]),
    g('dg05', `anthropic-console-${P(DEMO_CONSOLE_ORG)}-admin`, [consoleAdmin]),
    g('dg06', `anthropic-console-${P(DEMO_CONSOLE_ORG)}-developer`, devs),
    g('dg07', `anthropic-console-${P(DEMO_CONSOLE_ORG)}-user`, consoleUsers),
    g('dg08', 'Engineering', [...devs.slice(0, 2)], ['dg09']),
    g('dg09', 'Contractors', [nestedContractor]),
    g('dg10', 'Finance', [unrelated]),
  ];
  return {
    name: 'northwind',
    domain: 'northwind.example',
    app: {
      id: 'app-claude',
      name: 'Claude',
      sso: { protocol: 'saml', nameIdFormat: 'emailAddress', nameId: 'email', emailAttribute: 'email' },
      // The classic break (R-S5): SCIM sends the login while SAML sends the email.
      scim: { enabled: true, email: 'login', userName: 'login', create: true, update: true, deactivate: true },
    },
    users,
    groups,
    assignments: { userIds: [marcus], groupIds: ['dg01', 'dg02', 'dg03', 'dg04', 'dg05', 'dg06', 'dg07', 'dg08'] },
    otherApps: [{ id: 'app-slack', name: 'Slack' }],
  };
}

/** The Claude-side configuration that goes with the demo tenant, for the IdP the demo reads. */
export function demoConfig(idp: IdpKind = 'okta'): OrgConfig {
  return {
    parent: {
      id: 'parent-northwind',
      idp,
      verifiedDomains: ['northwind.example'],
      requireSso: { claude: true },
      restrictOrgCreation: true,
    },
    organizations: [
      {
        id: DEMO_CLAUDE_ORG,
        name: 'Northwind (claude.ai Enterprise)',
        surface: 'claude',
        plan: 'enterprise',
        parentSource: 'default',
        provisioning: {
          mode: 'scim',
          groupMappings: {
            enabled: true,
            roles: {
              owner: [`anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-owner`],
              admin: ['Claude Admins'],
              user: [`anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-user`],
            },
            seatTiers: { premium: [`anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-premium`] },
            seenGroups: [
              `anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-owner`,
              `anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-user`,
              `anthropic-claudeai-${P(DEMO_CLAUDE_ORG)}-premium`,
            ],
          },
        },
        seats: { premium: 5, standard: 16 },
      },
      {
        id: DEMO_CONSOLE_ORG,
        name: 'Northwind Platform (Console)',
        surface: 'console',
        plan: 'console',
        parentSource: 'merged-enterprise',
        provisioning: {
          mode: 'jit',
          groupMappings: {
            enabled: true,
            roles: {
              admin: [`anthropic-console-${P(DEMO_CONSOLE_ORG)}-admin`],
              developer: [`anthropic-console-${P(DEMO_CONSOLE_ORG)}-developer`],
              user: [`anthropic-console-${P(DEMO_CONSOLE_ORG)}-user`],
            },
            seenGroups: [
              `anthropic-console-${P(DEMO_CONSOLE_ORG)}-admin`,
              `anthropic-console-${P(DEMO_CONSOLE_ORG)}-developer`,
              `anthropic-console-${P(DEMO_CONSOLE_ORG)}-user`,
            ],
          },
        },
      },
    ],
  };
}

/** Today's members of the two demo orgs (as an export or the Admin API would give them). */
export function demoMembers(): Member[] {
  const c = (email: string, role: string, seatTier?: string): Member => ({
    email,
    role,
    seatTier,
    orgId: DEMO_CLAUDE_ORG,
    status: 'active',
  });
  const k = (email: string, role: string): Member => ({ email, role, orgId: DEMO_CONSOLE_ORG, status: 'active' });
  return [
    c('dana.whitfield@northwind.example', 'owner', 'premium'),
    c(DEMO_ACTOR, 'owner', 'premium'),
    c('priya.raman@northwind.example', 'admin', 'premium'),
    c('javier.morales@northwind.example', 'user', 'standard'),
    c('liam.walsh@northwind.example', 'user', 'standard'),
    c('sofia.rossi@northwind.example', 'user', 'standard'),
    c('noah.fischer@northwind.example', 'user', 'standard'),
    c('emma.laurent@northwind.example', 'user', 'standard'),
    c('former.employee@northwind.example', 'user', 'standard'),
    k('priya.raman@northwind.example', 'admin'),
    k('sam.rivera@northwind.example', 'developer'),
    k('alex.kim@northwind.example', 'developer'),
    k('casey.morgan@northwind.example', 'user'),
    // Stale JIT members: still listed, no longer in any mapped Console group (R-V3).
    k('old.contractor@northwind.example', 'developer'),
    k('peter.quinn@northwind.example', 'user'),
    k('noah.fischer@northwind.example', 'developer'),
  ];
}
