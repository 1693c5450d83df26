import type { UserStatus } from '../schemas/snapshot';

/**
 * A vendor-neutral tenant that every adapter's fake can serve in its own vendor's shapes, so one
 * tenant read through all four adapters must give the same people, groups, memberships and
 * assignments (the conformance suite).
 */
export interface GenericUser {
  /** Opaque, stable. Fakes may derive vendor-shaped ids from it (00u..., GUIDs, numbers). */
  id: string;
  /** Primary email. */
  email: string;
  /** The IdP username (Okta login, Entra userPrincipalName, OneLogin username). Google: the primary email. */
  login: string;
  givenName: string;
  familyName: string;
  status: UserStatus;
  /** Other addresses (Google aliases, Entra proxyAddresses). */
  aliases?: string[];
  /** Entra B2B guest: UPN is `alias_theirdomain#EXT#@tenant`, `mail` the real address. */
  guest?: boolean;
}

export interface GenericGroup {
  id: string;
  name: string;
  description?: string;
  memberUserIds: string[];
  /** Nested groups; fakes of IdPs without nesting (Okta, OneLogin) ignore them. */
  memberGroupIds: string[];
}

/** Which of the two person fields a mapping reads. Fakes translate to their vendor's attribute. */
export type GenericField = 'email' | 'login';

export interface GenericApp {
  id: string;
  name: string;
  sso: {
    protocol: 'saml' | 'oidc';
    nameIdFormat: 'emailAddress' | 'unspecified' | 'persistent';
    nameId: GenericField;
    emailAttribute: GenericField | null;
  };
  scim: {
    enabled: boolean;
    email: GenericField;
    userName: GenericField;
    create: boolean;
    update: boolean;
    deactivate: boolean;
    pushedGroupIds?: string[];
  } | null;
}

export interface GenericTenant {
  /** Tenant name: becomes the Okta org / OneLogin subdomain / Google customer / Entra tenant label. */
  name: string;
  domain: string;
  app: GenericApp;
  users: GenericUser[];
  groups: GenericGroup[];
  assignments: { userIds: string[]; groupIds: string[] };
  /** Other apps in the tenant, so "find the app by name" has something to skip. */
  otherApps?: { id: string; name: string }[];
}

export function cloneTenant(t: GenericTenant): GenericTenant {
  return structuredClone(t);
}

/** The groups an adapter must read: assigned ones, every `anthropic-` group, and groups nested in those (transitively). */
export function groupsToRead(t: GenericTenant, options: { nesting: boolean }): GenericGroup[] {
  const byId = new Map(t.groups.map((g) => [g.id, g]));
  const wanted = new Set<string>([
    ...t.assignments.groupIds,
    ...t.groups.filter((g) => g.name.toLowerCase().startsWith('anthropic-')).map((g) => g.id),
  ]);
  if (options.nesting) {
    const queue = [...wanted];
    while (queue.length) {
      const g = byId.get(queue.pop()!);
      for (const child of g?.memberGroupIds ?? []) if (!wanted.has(child)) wanted.add(child), queue.push(child);
    }
  }
  return t.groups.filter((g) => wanted.has(g.id));
}

/** The users an adapter must read: direct assignees and members of every group it reads. */
export function usersToRead(t: GenericTenant, options: { nesting: boolean }): GenericUser[] {
  const ids = new Set(t.assignments.userIds);
  for (const g of groupsToRead(t, options)) for (const u of g.memberUserIds) ids.add(u);
  return t.users.filter((u) => ids.has(u.id));
}

/**
 * The tenant the conformance suite serves: a dozen people with every status, a login that is not
 * the email, a Unicode name, an upper-case email, direct and group assignments, an unassigned
 * `anthropic-` group, a nested group, and people and groups the read must not pick up.
 */
export function conformanceTenant(): GenericTenant {
  const u = (
    id: string,
    given: string,
    family: string,
    status: UserStatus = 'active',
    extra: Partial<GenericUser> = {},
  ): GenericUser => {
    const email = `${given}.${family}@acme.example`.toLowerCase();
    return { id, email, login: email, givenName: given, familyName: family, status, ...extra };
  };
  return {
    name: 'acme',
    domain: 'acme.example',
    app: {
      id: 'app-claude',
      name: 'Claude',
      sso: { protocol: 'saml', nameIdFormat: 'emailAddress', nameId: 'email', emailAttribute: 'email' },
      scim: { enabled: true, email: 'email', userName: 'email', create: true, update: true, deactivate: true },
    },
    users: [
      u('u01', 'Ada', 'Lovelace'),
      u('u02', 'Grace', 'Hopper'),
      u('u03', 'Alan', 'Turing', 'active', { login: 'aturing@acme.example' }),
      u('u04', 'Edsger', 'Dijkstra', 'suspended'),
      u('u05', 'Barbara', 'Liskov'),
      u('u06', 'Donald', 'Knuth', 'staged'),
      u('u07', 'Frances', 'Allen', 'locked'),
      u('u08', 'Ken', 'Thompson', 'deprovisioned'),
      u('u09', 'Zoë', 'Müller', 'active', { email: 'zoe.muller@acme.example', login: 'zoe.muller@acme.example' }),
      u('u10', 'Margaret', 'Hamilton', 'active', {
        email: 'Margaret.Hamilton@acme.example',
        login: 'Margaret.Hamilton@acme.example',
      }),
      u('u11', 'Linus', 'Torvalds'),
      u('u12', 'Unrelated', 'Person'),
      u('u13', 'Radia', 'Perlman'),
    ],
    groups: [
      { id: 'g01', name: 'anthropic-claudeai-468ca80f-owner', memberUserIds: ['u01'], memberGroupIds: [] },
      {
        id: 'g02',
        name: 'anthropic-claudeai-468ca80f-user',
        memberUserIds: ['u02', 'u03', 'u04', 'u09', 'u10'],
        memberGroupIds: ['g05'],
      },
      { id: 'g03', name: 'Engineering', memberUserIds: ['u05', 'u06', 'u07', 'u01'], memberGroupIds: [] },
      { id: 'g04', name: 'anthropic-console-9f2c1d7e-developer', memberUserIds: ['u11'], memberGroupIds: [] },
      { id: 'g05', name: 'Contractors', memberUserIds: ['u13'], memberGroupIds: [] },
      { id: 'g06', name: 'Sales', memberUserIds: ['u12'], memberGroupIds: [] },
    ],
    assignments: { userIds: ['u08', 'u10'], groupIds: ['g01', 'g02', 'g03'] },
    otherApps: [{ id: 'app-other', name: 'Claude Bookmark' }],
  };
}
