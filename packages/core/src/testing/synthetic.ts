import type { OrgConfig, Organization } from '../schemas/config';
import type { IdpKind } from '../schemas/common';
import type { Member } from '../schemas/members';
import type { UserStatus } from '../schemas/snapshot';
import type { GenericGroup, GenericTenant, GenericUser } from './generic-tenant';

/**
 * A synthetic tenant of any size for benchmarks and property tests, deterministic from `seed`
 * (a small seeded PRNG, never Math.random): the adapters' benchmarks serve it at 1k / 10k / 50k
 * people through their fakes, core's benchmark plans it at 10k and 100k.
 *
 * Shape, so that every rule has something to bite on:
 * - people with a realistic name mix (some Unicode names, ASCII-folded emails, a few upper-case
 *   emails), ~95.5% active, ~2% suspended, ~1% deprovisioned, ~1% staged, ~0.5% locked;
 *   ~4% have a login that is not their email, ~3% have an alias on an old domain;
 * - `anthropic-` role and seat-tier groups for two orgs (a claude.ai Enterprise org and a Console
 *   org, ids in `SYNTHETIC_ORG_IDS`), all assigned to the app and pushed by SCIM;
 * - team groups with a skewed (Zipf-like) size distribution taking the rest of the memberships,
 *   the three largest and ~10% of the others assigned to the app;
 * - nested groups (an acyclic graph between team groups, and a few team groups nested in
 *   `anthropic-` groups, which do not count for app access on Entra);
 * - ~0.5% of people assigned to the app directly.
 */
export interface SyntheticTenantOptions {
  users: number;
  groups: number;
  /** Direct user-in-group memberships in total (exact). At most users × groups. */
  memberships: number;
  /** Group-in-group edges (exact, at most what an acyclic graph on the groups allows). Default: 5% of the groups. */
  nestedGroups?: number;
  seed: number;
  /** Default 'synthetic'. */
  name?: string;
  /** Default `<name>.example`. */
  domain?: string;
  /**
   * How ids look. `short` (default): `u000001`, `g0001` (in creation order). `okta`: Okta's form,
   * `00u` / `00g` and 17 base-62 characters, in no particular order — as long as real vendor ids
   * (Okta 20 characters, Entra 36, Google 21), which JSON parsers do not store once the way they
   * store short strings, so lookups by id cost what they cost on a real tenant.
   */
  ids?: 'short' | 'okta';
}

/** The two orgs of the synthetic tenant; group names carry their first 8 characters (R-G4). */
export const SYNTHETIC_ORG_IDS = Object.freeze({
  claude: '468ca80f-5e2b-4c1a-9d3e-7f60a1b2c3d4',
  console: '9f2c1d7e-0a4b-4e5c-8d6f-1a2b3c4d5e6f',
});

/**
 * A small, fast, seedable PRNG (mulberry32). Deterministic across platforms: 32-bit integer
 * arithmetic only.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = [
  'Ada',
  'Grace',
  'Alan',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Margaret',
  'Linus',
  'Radia',
  'Edsger',
  'John',
  'Mary',
  'James',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'William',
  'Elizabeth',
  'David',
  'Susan',
  'Richard',
  'Jessica',
  'Joseph',
  'Sarah',
  'Thomas',
  'Karen',
  'Charles',
  'Nancy',
  'Daniel',
  'Lisa',
  'Matthew',
  'Priya',
  'Arjun',
  'Wei',
  'Mei',
  'Hiroshi',
  'Yuki',
  'Olusegun',
  'Amara',
  'Mohammed',
  'Fatima',
  'Carlos',
  'Lucía',
  'José',
  'Zoë',
  'Åsa',
  'Björn',
  'Çağla',
  'Søren',
  'Chloé',
  'François',
  'Noémie',
  'Jürgen',
  'Ingrid',
  'Dmitri',
  'Olga',
  'Kwame',
  'Nia',
  'Mateo',
  'Sofía',
  'Aroha',
  'Tane',
  'Leilani',
  'Kai',
  'Anaïs',
  'Oğuz',
  'Małgorzata',
];
const FAMILY = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Torvalds',
  'Perlman',
  'Dijkstra',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Patel',
  'Nguyen',
  'Kim',
  'Chen',
  'Wang',
  'Tanaka',
  'Suzuki',
  'Okafor',
  'Adeyemi',
  'Haddad',
  'Silva',
  'Müller',
  'Schröder',
  'Lindqvist',
  'Østergaard',
  'Dubois',
  'Lefèvre',
  'Yılmaz',
  'Kowalski',
  'Nowak',
  'Ivanov',
  'Novák',
  'Rossi',
  'Bianchi',
  'Fernández',
  'Peña',
  'Mensah',
  'Ngata',
  'Kahale',
  "O'Brien",
  'Van der Berg',
];
const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Marketing',
  'Finance',
  'Legal',
  'Support',
  'Research',
  'Design',
  'Operations',
  'People',
  'Security',
  'Data',
  'Product',
  'IT',
  'Facilities',
  'Partnerships',
];

const folded = new Map<string, string>();

/**
 * ASCII-fold for an email local part: strip diacritics, keep [a-z0-9] (memoised: a few dozen names).
 * The result is rebuilt from its character codes: the string methods above it return a two-byte
 * string when their input had a non-Latin-1 letter, even once the text is ASCII, and addresses
 * made from it would be two-byte too. Inputs from adapters and files are one-byte (V8's JSON
 * parser stores ASCII text so), and every comparison, hash and copy of a two-byte string costs
 * more: the synthetic tenant should measure what real inputs cost.
 */
function asciiFold(s: string): string {
  let out = folded.get(s);
  if (out === undefined) {
    const text = s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ø/gi, 'o')
      .replace(/ł/gi, 'l')
      .replace(/ı/g, 'i')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '');
    out = String.fromCharCode(...Array.from(text, (c) => c.charCodeAt(0)));
    folded.set(s, out);
  }
  return out;
}

/** The anthropic- groups of the two orgs, in the order they are created when `groups` is small. */
function anthropicGroupSpecs(): { name: string; share: number; pool: string }[] {
  const c = SYNTHETIC_ORG_IDS.claude.slice(0, 8);
  const k = SYNTHETIC_ORG_IDS.console.slice(0, 8);
  // share: fraction of people in the group; pool: groups in the same pool draw disjoint people.
  return [
    { name: `anthropic-claudeai-${c}-user`, share: 0.78, pool: 'claude-role' },
    { name: `anthropic-claudeai-${c}-owner`, share: 0.004, pool: 'claude-role' },
    { name: `anthropic-console-${k}-developer`, share: 0.14, pool: 'console-role' },
    { name: `anthropic-claudeai-${c}-premium`, share: 0.2, pool: 'claude-tier' },
    { name: `anthropic-claudeai-${c}-standard`, share: 0.55, pool: 'claude-tier' },
    { name: `anthropic-claudeai-${c}-admin`, share: 0.02, pool: 'claude-role' },
    { name: `anthropic-console-${k}-admin`, share: 0.004, pool: 'console-role' },
    { name: `anthropic-console-${k}-user`, share: 0.04, pool: 'console-role' },
    { name: `anthropic-console-${k}-claude_code_user`, share: 0.03, pool: 'console-role' },
    { name: `anthropic-console-${k}-billing`, share: 0.004, pool: 'console-role' },
  ];
}

function pickStatus(r: number): UserStatus {
  if (r < 0.955) return 'active';
  if (r < 0.975) return 'suspended';
  if (r < 0.985) return 'deprovisioned';
  if (r < 0.995) return 'staged';
  return 'locked';
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `prefix` and 17 base-62 characters for the i-th object: distinct for every i below 2^32
 * (the low part is a bijection of i, the high part a scramble of it), deterministic, and not in
 * the order of i.
 */
function oktaStyleId(prefix: string, i: number): string {
  let low = Math.imul(i, 0x9e3779b1) >>> 0; // odd multiplier: a bijection on 32 bits
  let high = Math.imul(i ^ 0x5bd1e995, 0x85ebca6b) >>> 0;
  let out = '';
  for (let k = 0; k < 6; k++) {
    out = BASE62[low % 62]! + out;
    low = Math.floor(low / 62);
  }
  for (let k = 0; k < 11; k++) {
    out = BASE62[high % 62]! + out;
    high = Math.floor(high / 62) || Math.imul(high ^ (k + 1), 0x27d4eb2d) >>> 0;
  }
  return prefix + out;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function syntheticTenant(options: SyntheticTenantOptions): GenericTenant {
  const U = Math.max(0, Math.floor(options.users));
  const G = Math.max(0, Math.floor(options.groups));
  const M = Math.max(0, Math.floor(options.memberships));
  if (M > U * G) throw new RangeError(`syntheticTenant: ${M} memberships do not fit ${U} users × ${G} groups`);
  const k = Math.min(10, G);
  // Acyclic: a parent always comes before its child; anthropic- groups are never nested in each other.
  const maxEdges = (G * (G - 1)) / 2 - (k * (k - 1)) / 2;
  const E = Math.min(Math.max(0, Math.floor(options.nestedGroups ?? Math.round(G * 0.05))), maxEdges);
  const rand = seededRandom(options.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const name = options.name ?? 'synthetic';
  const domain = options.domain ?? `${name}.example`;
  const uw = Math.max(6, String(U).length);
  const gw = Math.max(4, String(G).length);

  // People.
  const users: GenericUser[] = new Array(U);
  const usedLocals = new Map<string, number>();
  const usedLogins = new Set<string>();
  for (let i = 0; i < U; i++) {
    const given = GIVEN[int(GIVEN.length)]!;
    const family = FAMILY[int(FAMILY.length)]!;
    const base = `${asciiFold(given)}.${asciiFold(family)}`;
    const seen = usedLocals.get(base) ?? 0;
    usedLocals.set(base, seen + 1);
    const local = seen === 0 ? base : `${base}${seen + 1}`;
    // ~1% keep capitals in their stored email (compares equal after normalisation).
    const shown =
      rand() < 0.01
        ? local
            .split('.')
            .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
            .join('.')
        : local;
    const email = `${shown}@${domain}`;
    let login = email;
    if (rand() < 0.04) {
      // A short username-style login (Okta `login`, Entra UPN) that is not the email.
      const short = `${asciiFold(given).slice(0, 1)}${asciiFold(family)}`;
      let candidate = short;
      for (let n = 2; usedLogins.has(candidate) || usedLocals.has(candidate); n++) candidate = `${short}${n}`;
      usedLogins.add(candidate);
      login = `${candidate}@${domain}`;
    }
    const status = pickStatus(rand());
    const user: GenericUser = {
      id: options.ids === 'okta' ? oktaStyleId('00u', i) : `u${pad(i + 1, uw)}`,
      email,
      login,
      givenName: given,
      familyName: family,
      status,
    };
    if (rand() < 0.03) user.aliases = [`${local}@old.${domain}`];
    users[i] = user;
  }

  // Groups: anthropic- ones first (as many as fit), then team groups.
  const specs = anthropicGroupSpecs().slice(0, G);
  const groups: GenericGroup[] = new Array(G);
  for (let j = 0; j < G; j++) {
    const spec = specs[j];
    const groupName = spec
      ? spec.name
      : `${DEPARTMENTS[(j - specs.length) % DEPARTMENTS.length]!.toLowerCase()}-${pad(j - specs.length + 1, gw)}`;
    groups[j] = {
      id: options.ids === 'okta' ? oktaStyleId('00g', j) : `g${pad(j + 1, gw)}`,
      name: groupName,
      memberUserIds: [],
      memberGroupIds: [],
    };
  }

  // Memberships. `taken` holds group*U+user for uniqueness (numbers: fast at 500k).
  const taken = new Set<number>();
  const add = (g: number, u: number) => {
    const key = g * U + u;
    if (taken.has(key)) return false;
    taken.add(key);
    groups[g]!.memberUserIds.push(users[u]!.id);
    return true;
  };
  const teamCount = G - specs.length;
  const wanted = specs.map((s) => Math.round(s.share * U));
  const wantedTotal = wanted.reduce((a, b) => a + b, 0);
  // anthropic- groups take at most 40% of the memberships when there are team groups to fill, all of them otherwise.
  const anthropicBudget = teamCount > 0 ? Math.min(wantedTotal, Math.floor(M * 0.4)) : Math.min(wantedTotal, M);
  const scale = wantedTotal > 0 ? anthropicBudget / wantedTotal : 0;
  // Disjoint draws within a pool (a person is in one role group and one tier group per org): a
  // partial Fisher-Yates shuffle per pool, each group continuing where the previous one stopped.
  const pools = new Map<string, { perm: Int32Array; cursor: number }>();
  let placed = 0;
  specs.forEach((spec, j) => {
    let count = Math.round(wanted[j]! * scale);
    if (count === 0 && spec.share > 0 && placed < anthropicBudget) count = 1;
    count = Math.min(count, anthropicBudget - placed, U);
    let pool = pools.get(spec.pool);
    if (!pool) pools.set(spec.pool, (pool = { perm: Int32Array.from({ length: U }, (_, i) => i), cursor: 0 }));
    if (pool.cursor + count > U) pool.cursor = 0;
    const { perm } = pool;
    for (let i = pool.cursor; i < pool.cursor + count; i++) {
      const r = i + int(U - i);
      const t = perm[i]!;
      perm[i] = perm[r]!;
      perm[r] = t;
      if (add(j, perm[i]!)) placed++;
    }
    pool.cursor += count;
  });
  // The rest go to team groups (or, with none, anywhere), skewed sizes, random people.
  const targets =
    teamCount > 0
      ? Array.from({ length: teamCount }, (_, i) => specs.length + i)
      : Array.from({ length: G }, (_, i) => i);
  const weights = targets.map((_, i) => 1 / (i + 1) ** 0.8);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => ((cumulative[i] = acc + w), acc + w), 0);
  const totalWeight = cumulative[cumulative.length - 1] ?? 0;
  const pickTarget = () => {
    const x = rand() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return targets[lo]!;
  };
  let attempts = 0;
  const maxAttempts = 20 * M + 1000;
  while (placed < M && attempts < maxAttempts && targets.length > 0) {
    attempts++;
    if (add(pickTarget(), int(U))) placed++;
  }
  // Dense corner (memberships close to users × groups): fill the remaining pairs in order.
  for (let g = 0; g < G && placed < M; g++) for (let u = 0; u < U && placed < M; u++) if (add(g, u)) placed++;

  // Nested groups: team groups nest under earlier team groups (acyclic), and a few team groups sit
  // inside anthropic- groups (members of those do not get app access on Entra).
  const edges = new Set<number>();
  const nest = (parent: number, child: number) => {
    const key = parent * G + child;
    if (parent === child || edges.has(key)) return false;
    edges.add(key);
    groups[parent]!.memberGroupIds.push(groups[child]!.id);
    return true;
  };
  let nested = 0;
  const intoAnthropic =
    specs.length > 0 && teamCount > 0 ? Math.min(E, Math.max(1, Math.round(E * 0.1)), specs.length * teamCount) : 0;
  for (let tries = 0; nested < intoAnthropic && tries < 50 * E + 100; tries++)
    if (nest(int(specs.length), specs.length + int(teamCount))) nested++;
  for (let tries = 0; nested < E && tries < 50 * E + 100; tries++) {
    const a = int(G);
    const b = int(G);
    if (a === b) continue;
    const [p, c] = a < b ? [a, b] : [b, a];
    if (p < specs.length && c < specs.length) continue; // no anthropic- group nested in another
    if (nest(p, c)) nested++;
  }
  // Exactness when the random draws fell short: every remaining parent < child pair, in order.
  for (let p = 0; p < G && nested < E; p++)
    for (let c = Math.max(p + 1, specs.length); c < G && nested < E; c++) if (nest(p, c)) nested++;

  // Member lists in id order, as the IdPs' list endpoints page them and every adapter writes them.
  for (const g of groups) {
    g.memberUserIds.sort();
    g.memberGroupIds.sort();
  }

  // Assignments: every anthropic- group, the three largest team groups and ~10% of the others
  // (so the app reaches many groups, as in tenants that assign by department), ~0.5% of people directly.
  const assignedGroups = specs.map((_, j) => groups[j]!.id);
  for (let i = 0; i < teamCount; i++) if (i < 3 || rand() < 0.1) assignedGroups.push(groups[specs.length + i]!.id);
  const direct: string[] = [];
  for (let i = 0; i < U; i++) if (rand() < 0.005) direct.push(users[i]!.id);

  return {
    name,
    domain,
    app: {
      id: 'app-claude',
      name: 'Claude',
      sso: { protocol: 'saml', nameIdFormat: 'emailAddress', nameId: 'email', emailAttribute: 'email' },
      scim: {
        enabled: true,
        email: 'email',
        userName: 'email',
        create: true,
        update: true,
        deactivate: true,
        pushedGroupIds: specs.map((_, j) => groups[j]!.id),
      },
    },
    users,
    groups,
    assignments: { userIds: direct, groupIds: [...new Set(assignedGroups)] },
    otherApps: [{ id: 'app-other', name: 'Claude Bookmark' }],
  };
}

const ANTHROPIC_GROUP = /^anthropic-(claudeai|console)-([0-9a-f]{8})-([a-z_]+)$/;

export interface SyntheticConfigOptions {
  /** Default 'generic'. */
  idp?: IdpKind;
  /** Provisioning mode of the claude.ai Enterprise org. Default 'scim'. */
  claudeMode?: 'manual' | 'jit' | 'scim';
  /** Provisioning mode of the Console org. Default 'jit'. */
  consoleMode?: 'manual' | 'jit' | 'scim';
  /** Seats bought per tier on the claude.ai org. Default: enough for everyone in each tier group, plus 2%. */
  seats?: Record<string, number>;
}

/**
 * The OrgConfig that goes with a synthetic tenant: the tenant's domain verified, a claude.ai
 * Enterprise org (SCIM + mappings, seat tiers) and a Console org (JIT + mappings), each mapping
 * its `anthropic-` groups to the role in the group name, all groups seen.
 */
export function syntheticConfig(tenant: GenericTenant, options: SyntheticConfigOptions = {}): OrgConfig {
  const claudeOrg8 = SYNTHETIC_ORG_IDS.claude.slice(0, 8);
  const consoleOrg8 = SYNTHETIC_ORG_IDS.console.slice(0, 8);
  const claude = {
    roles: {} as Record<string, string[]>,
    tiers: {} as Record<string, string[]>,
    seen: [] as string[],
    tierSizes: {} as Record<string, number>,
  };
  const console_ = { roles: {} as Record<string, string[]>, seen: [] as string[] };
  for (const g of tenant.groups) {
    const m = ANTHROPIC_GROUP.exec(g.name);
    if (!m) continue;
    const [, surface, org8, what] = m as unknown as [string, string, string, string];
    if (surface === 'claudeai' && org8 === claudeOrg8) {
      claude.seen.push(g.name);
      if (what === 'premium' || what === 'standard') {
        (claude.tiers[what] ??= []).push(g.name);
        claude.tierSizes[what] = (claude.tierSizes[what] ?? 0) + g.memberUserIds.length;
      } else (claude.roles[what] ??= []).push(g.name);
    } else if (surface === 'console' && org8 === consoleOrg8) {
      console_.seen.push(g.name);
      (console_.roles[what] ??= []).push(g.name);
    }
  }
  const people = tenant.users.length;
  const seats =
    options.seats ??
    Object.fromEntries(
      ['premium', 'standard'].map((tier) => {
        const inGroup = claude.tierSizes[tier] ?? 0;
        // Standard also covers people in no tier group (R-G2 fallback lands on the highest tier left).
        const base = tier === 'standard' ? Math.max(inGroup, people - (claude.tierSizes.premium ?? 0)) : inGroup;
        return [tier, Math.ceil(base * 1.02)];
      }),
    );
  const claudeOrg: Organization = {
    id: SYNTHETIC_ORG_IDS.claude,
    name: `${tenant.name} (Claude Enterprise)`,
    surface: 'claude',
    plan: 'enterprise',
    parentSource: 'default',
    provisioning: {
      mode: options.claudeMode ?? 'scim',
      groupMappings: { enabled: true, roles: claude.roles, seatTiers: claude.tiers, seenGroups: claude.seen.sort() },
    },
    seats,
  };
  const consoleOrg: Organization = {
    id: SYNTHETIC_ORG_IDS.console,
    name: `${tenant.name} (Console)`,
    surface: 'console',
    plan: 'console',
    parentSource: 'merged-enterprise',
    provisioning: {
      mode: options.consoleMode ?? 'jit',
      groupMappings: { enabled: true, roles: console_.roles, seenGroups: console_.seen.sort() },
    },
  };
  return {
    parent: {
      id: `parent-${tenant.name}`,
      idp: options.idp ?? 'generic',
      verifiedDomains: [tenant.domain],
      requireSso: { claude: true, console: false },
    },
    organizations: [claudeOrg, consoleOrg],
  };
}

export interface SyntheticMembersOptions {
  /** Default 1. */
  seed?: number;
}

/**
 * The members the two synthetic orgs have today: most people the IdP entitles are there with the
 * role of their highest `anthropic-` group (nested groups included), with drift for `plan` to find:
 * ~3% of them not yet provisioned, ~1% on another role, ~1% on the other seat tier, and stale
 * members (~2%: people who left, or addresses the IdP does not know). Deterministic from the
 * tenant and `seed`; sorted by org, then email.
 */
export function syntheticMembers(tenant: GenericTenant, options: SyntheticMembersOptions = {}): Member[] {
  const rand = seededRandom((options.seed ?? 1) ^ 0x5bd1e995);
  const claudeOrg8 = SYNTHETIC_ORG_IDS.claude.slice(0, 8);
  const consoleOrg8 = SYNTHETIC_ORG_IDS.console.slice(0, 8);
  const claudeRoles = ['owner', 'admin', 'user'];
  const consoleRoles = ['admin', 'developer', 'billing', 'claude_code_user', 'user'];
  const byUser = new Map<string, { claude: Set<string>; console: Set<string>; tier: Set<string> }>();
  const slot = (id: string) => {
    let s = byUser.get(id);
    if (!s) byUser.set(id, (s = { claude: new Set(), console: new Set(), tier: new Set() }));
    return s;
  };
  // Members of an anthropic- group, nested groups included (as a transitive IdP resolves them), so
  // the drift below stays ~3% whatever groups got nested into the anthropic- ones.
  const byId = new Map(tenant.groups.map((g) => [g.id, g]));
  const reach = (g: GenericGroup): Set<string> => {
    const out = new Set<string>(g.memberUserIds);
    const seen = new Set<string>([g.id]);
    const stack = [...g.memberGroupIds];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const child = byId.get(id);
      if (!child) continue;
      for (const u of child.memberUserIds) out.add(u);
      stack.push(...child.memberGroupIds);
    }
    return out;
  };
  for (const g of tenant.groups) {
    const m = ANTHROPIC_GROUP.exec(g.name);
    if (!m) continue;
    const [, surface, org8, what] = m as unknown as [string, string, string, string];
    for (const id of reach(g)) {
      if (surface === 'claudeai' && org8 === claudeOrg8) {
        if (what === 'premium' || what === 'standard') slot(id).tier.add(what);
        else slot(id).claude.add(what);
      } else if (surface === 'console' && org8 === consoleOrg8) slot(id).console.add(what);
    }
  }
  const highest = (catalogue: string[], roles: Set<string>) => catalogue.find((r) => roles.has(r)) ?? null;
  const other = (catalogue: string[], role: string) => catalogue[(catalogue.indexOf(role) + 1) % catalogue.length]!;
  const out: Member[] = [];
  for (const u of tenant.users) {
    const s = byUser.get(u.id);
    if (!s) continue;
    const gone = u.status !== 'active';
    const claudeRole = highest(claudeRoles, s.claude);
    if (claudeRole && (!gone || rand() < 0.5) && rand() >= 0.03) {
      let role = claudeRole;
      if (rand() < 0.01) role = other(claudeRoles, role);
      let tier = s.tier.has('premium') ? 'premium' : 'standard';
      if (rand() < 0.01) tier = tier === 'premium' ? 'standard' : 'premium';
      out.push({
        email: u.email.toLowerCase(),
        role,
        seatTier: tier,
        orgId: SYNTHETIC_ORG_IDS.claude,
        status: 'active',
      });
    }
    const consoleRole = highest(consoleRoles, s.console);
    if (consoleRole && (!gone || rand() < 0.5) && rand() >= 0.03) {
      const role = rand() < 0.01 ? other(consoleRoles, consoleRole) : consoleRole;
      out.push({
        email: u.email.toLowerCase(),
        role,
        orgId: SYNTHETIC_ORG_IDS.console,
        status: rand() < 0.02 ? 'invited' : 'active',
      });
    }
  }
  // Stale members the IdP no longer knows (left the company, renamed mailboxes).
  const stale = Math.round(out.length * 0.02);
  for (let i = 0; i < stale; i++) {
    const orgId = rand() < 0.8 ? SYNTHETIC_ORG_IDS.claude : SYNTHETIC_ORG_IDS.console;
    out.push(
      orgId === SYNTHETIC_ORG_IDS.claude
        ? { email: `former.${i + 1}@${tenant.domain}`, role: 'user', seatTier: 'standard', orgId, status: 'active' }
        : { email: `former.${i + 1}@${tenant.domain}`, role: 'developer', orgId, status: 'active' },
    );
  }
  return out.sort((a, b) =>
    a.orgId === b.orgId ? (a.email < b.email ? -1 : a.email > b.email ? 1 : 0) : a.orgId! < b.orgId! ? -1 : 1,
  );
}
