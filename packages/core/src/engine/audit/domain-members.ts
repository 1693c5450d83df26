import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { InputError, type InputIssue } from '../../errors/input-error';
import { normalizeEmail } from '../../model/email';
import { readSource } from '../../load/read-source';
import type { Surface } from '../../schemas/config';

/**
 * The domain-membership export (R-D3): Identity and access → Domains → "Domain memberships" →
 * download as CSV or JSON (seeds 000, 001). It lists the Claude / Console accounts on the parent's
 * verified domains — including personal free / Pro / Max accounts — which is what Require SSO
 * (R-S2) cuts off for people who are not assigned to the IdP app.
 *
 * The export's exact columns are not documented, so the loader accepts a superset. Column / key
 * names match case-insensitively, ignoring spaces, `_` and `-`:
 *
 * | field            | accepted names                                                                 |
 * |------------------|--------------------------------------------------------------------------------|
 * | email (required) | email, email_address, user_email, member_email, user                            |
 * | organizationId   | organization_id, org_id, organization_uuid, org_uuid, account_id                |
 * | organizationName | organization, organization_name, org_name, org, account, account_name, workspace |
 * | role             | role, member_role, organization_role, org_role                                  |
 * | accountType      | account_type, plan, plan_type, organization_type, org_type, type, billing_type, tier |
 * | surface          | product, surface, platform                                                      |
 * | name             | name, full_name, user_name, display_name                                        |
 *
 * JSON: an array of such objects, or an object holding the array under `members`,
 * `domain_memberships`, `memberships`, `data` or `users`; nested `organization: {id, name, type}`
 * is read too. `surface` is derived when absent: an account type or product mentioning Console /
 * API / platform is `console`; free / pro / max / team / enterprise is `claude`.
 */
export interface DomainMember {
  /** Normalised (trimmed, case-folded, IDN as punycode). */
  email: string;
  organizationId?: string;
  organizationName?: string;
  role?: string;
  /** As exported, lower-case: e.g. free, pro, max, team, enterprise, console. */
  accountType?: string;
  /** claude.ai or Console, when the row tells. */
  surface?: Surface;
  name?: string;
}

export const DomainMemberSchema = z.object({
  email: z.string(),
  organizationId: z.string().optional(),
  organizationName: z.string().optional(),
  role: z.string().optional(),
  accountType: z.string().optional(),
  surface: z.enum(['claude', 'console']).optional(),
  name: z.string().optional(),
});

const ALIASES: Record<keyof DomainMember, string[]> = {
  email: ['email', 'emailaddress', 'useremail', 'memberemail', 'user'],
  organizationId: ['organizationid', 'orgid', 'organizationuuid', 'orguuid', 'accountid'],
  organizationName: ['organization', 'organizationname', 'orgname', 'org', 'account', 'accountname', 'workspace'],
  role: ['role', 'memberrole', 'organizationrole', 'orgrole'],
  accountType: ['accounttype', 'plan', 'plantype', 'organizationtype', 'orgtype', 'type', 'billingtype', 'tier'],
  surface: ['product', 'surface', 'platform'],
  name: ['name', 'fullname', 'username', 'displayname'],
};

const keyOf = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');

function fieldFor(header: string): keyof DomainMember | null {
  const k = keyOf(header);
  for (const [field, names] of Object.entries(ALIASES) as [keyof DomainMember, string[]][])
    if (names.includes(k)) return field;
  return null;
}

function deriveSurface(product: string | undefined, accountType: string | undefined): Surface | undefined {
  const text = `${product ?? ''} ${accountType ?? ''}`.toLowerCase();
  if (/console|\bapi\b|platform/.test(text)) return 'console';
  if (/claude|free|pro|max|team|enterprise/.test(text)) return 'claude';
  return undefined;
}

/**
 * Loads the export from a path or its text (CSV, or JSON when it starts with `[` / `{`). Every bad
 * row is an `InputError` naming the file and `[row N].email` (CSV) or `[i].email` (JSON).
 */
export function loadDomainMembers(
  pathOrText: string,
  options: { source?: string; format?: 'csv' | 'json' } = {},
): DomainMember[] {
  const { text, source } = readSource(pathOrText, 'domain memberships', { source: options.source });
  return parseDomainMembers(text, source, options.format);
}

export function parseDomainMembers(
  text: string,
  source = '<domain memberships>',
  format?: 'csv' | 'json',
): DomainMember[] {
  const fmt = format ?? (/^\s*[[{]/.test(text) ? 'json' : 'csv');
  const rows: { path: string; raw: Record<string, unknown> }[] = [];
  if (fmt === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InputError({
        source,
        issues: [{ path: '', expected: 'JSON (an array of domain memberships)', received: (error as Error).message }],
        cause: error,
      });
    }
    let list: unknown = data;
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const o = data as Record<string, unknown>;
      const key = ['members', 'domain_memberships', 'domainMemberships', 'memberships', 'data', 'users'].find((k) =>
        Array.isArray(o[k]),
      );
      list = key ? o[key] : undefined;
    }
    if (!Array.isArray(list))
      throw new InputError({
        source,
        issues: [
          {
            path: '',
            expected: 'an array of domain memberships (or an object with a "members" array)',
            received: typeof data,
          },
        ],
      });
    list.forEach((raw, i) => {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        throw new InputError({
          source,
          issues: [{ path: `[${i}]`, expected: 'an object', received: JSON.stringify(raw)?.slice(0, 60) ?? 'nothing' }],
        });
      rows.push({ path: `[${i}]`, raw: raw as Record<string, unknown> });
    });
  } else {
    let parsed: Record<string, string>[];
    try {
      parsed = parseCsv(text, {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
        relax_column_count: false,
      }) as Record<string, string>[];
    } catch (error) {
      const e = error as Error & { lines?: number };
      throw new InputError({
        source,
        issues: [
          {
            path: e.lines ? `line ${e.lines}` : '',
            expected: 'CSV with a header row (email, organization, role, account type, ...)',
            received: e.message,
          },
        ],
        cause: error,
      });
    }
    if (parsed.length > 0 && !Object.keys(parsed[0]!).some((h) => fieldFor(h) === 'email')) {
      throw new InputError({
        source,
        issues: [
          {
            path: 'header',
            expected: 'an email column (email, email_address, user_email)',
            received: Object.keys(parsed[0]!).join(','),
          },
        ],
      });
    }
    parsed.forEach((raw, i) => rows.push({ path: `[row ${i + 2}]`, raw }));
  }

  const out: DomainMember[] = [];
  const issues: InputIssue[] = [];
  for (const { path, raw } of rows) {
    const rec: Partial<Record<keyof DomainMember, string>> = {};
    let emailKey = 'email';
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'organization' && v && typeof v === 'object') {
        const org = v as Record<string, unknown>;
        if (typeof org.id === 'string' || typeof org.uuid === 'string')
          rec.organizationId ??= String(org.id ?? org.uuid);
        if (typeof org.name === 'string') rec.organizationName ??= org.name;
        if (typeof org.type === 'string' || typeof org.plan === 'string')
          rec.accountType ??= String(org.type ?? org.plan);
        continue;
      }
      const field = fieldFor(k);
      if (!field || v == null || v === '' || typeof v === 'object') continue;
      if (rec[field] === undefined) {
        rec[field] = String(v).trim();
        if (field === 'email') emailKey = k;
      }
    }
    const email = normalizeEmail(rec.email);
    if (!email) {
      issues.push({
        path: `${path}.${emailKey}`,
        expected: 'an email address',
        received: rec.email === undefined ? 'nothing' : JSON.stringify(rec.email),
      });
      continue;
    }
    const m: DomainMember = { email };
    if (rec.organizationId) m.organizationId = rec.organizationId;
    if (rec.organizationName) m.organizationName = rec.organizationName;
    if (rec.role) m.role = rec.role.toLowerCase();
    if (rec.accountType) m.accountType = rec.accountType.toLowerCase();
    const surface =
      rec.surface && /^(claude|console)$/i.test(rec.surface)
        ? (rec.surface.toLowerCase() as Surface)
        : deriveSurface(rec.surface, rec.accountType);
    if (surface) m.surface = surface;
    if (rec.name) m.name = rec.name;
    out.push(m);
  }
  if (issues.length) throw new InputError({ source, issues });
  return out;
}
