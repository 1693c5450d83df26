import type { DirectorySnapshot } from '../schemas/snapshot';
import type { OrgConfig } from '../schemas/config';
import type { IdpKind } from '../schemas/common';
import { emailDomain, matchVerifiedDomain, normalizeDomain } from '../model/email';

/**
 * Parent-level consistency (R-P2, R-P4, R-S1, R-D1).
 */

/** R-P4: a parent links to exactly one IdP, so the snapshot must come from the config's IdP. */
export function idpMismatch(
  snapshot: Pick<DirectorySnapshot, 'idp'>,
  config: Pick<OrgConfig, 'parent'>,
): { snapshot: IdpKind; parent: IdpKind } | null {
  return snapshot.idp === config.parent.idp ? null : { snapshot: snapshot.idp, parent: config.parent.idp };
}

export type DomainClaimIssue =
  /** Not a domain name at all. */
  | { kind: 'invalid'; domain: string; list: 'verified' | 'pending' }
  /** Listed twice in the same list (after normalisation: case, trailing dot, IDN). */
  | { kind: 'duplicate'; domain: string; list: 'verified' | 'pending' }
  /** Both verified and pending: a domain is claimed once (R-P2); one of the lists is stale. */
  | { kind: 'verified-and-pending'; domain: string };

/** R-P2: each domain is claimed once by the parent; the lists are well-formed and do not overlap. */
export function domainClaimIssues(
  parent: Pick<OrgConfig['parent'], 'verifiedDomains' | 'pendingDomains'>,
): DomainClaimIssue[] {
  const out: DomainClaimIssue[] = [];
  const read = (list: readonly string[], which: 'verified' | 'pending') => {
    const seen = new Set<string>();
    for (const raw of list) {
      const d = normalizeDomain(raw);
      if (!d?.includes('.')) {
        out.push({ kind: 'invalid', domain: raw, list: which });
        continue;
      }
      if (seen.has(d)) out.push({ kind: 'duplicate', domain: d, list: which });
      seen.add(d);
    }
    return seen;
  };
  const verified = read(parent.verifiedDomains, 'verified');
  const pending = read(parent.pendingDomains ?? [], 'pending');
  for (const d of [...pending].sort()) if (verified.has(d)) out.push({ kind: 'verified-and-pending', domain: d });
  return out;
}

/** The parent's verified domains, normalised, deduplicated, sorted. */
export function verifiedDomains(parent: Pick<OrgConfig['parent'], 'verifiedDomains'>): string[] {
  return [
    ...new Set(parent.verifiedDomains.map((d) => normalizeDomain(d)).filter((d): d is string => d !== null)),
  ].sort();
}

export type EmailDomainStatus =
  /** On a verified domain. */
  | { status: 'verified'; domain: string }
  /** On a subdomain of a verified domain: not covered — the subdomain needs its own TXT record (R-D1). */
  | { status: 'subdomain'; domain: string; parentDomain: string }
  /** On a domain still Pending (R-D1: until the TXT record is seen, up to ~10 minutes). */
  | { status: 'pending'; domain: string }
  /** On a domain the parent has not claimed. */
  | { status: 'unverified'; domain: string }
  /** Not an address. */
  | { status: 'invalid'; domain: null };

/** R-S1 / R-D1: where an address stands against the parent's domains. */
export function classifyEmailDomain(
  email: string | null | undefined,
  parent: Pick<OrgConfig['parent'], 'verifiedDomains' | 'pendingDomains'>,
): EmailDomainStatus {
  const d = emailDomain(email);
  if (!d) return { status: 'invalid', domain: null };
  const m = matchVerifiedDomain(email, parent.verifiedDomains);
  if (m.domain) return { status: 'verified', domain: m.domain };
  const pending = new Set((parent.pendingDomains ?? []).map((x) => normalizeDomain(x)));
  if (pending.has(d)) return { status: 'pending', domain: d };
  if (m.parentDomain) return { status: 'subdomain', domain: d, parentDomain: m.parentDomain };
  return { status: 'unverified', domain: d };
}

/**
 * A cheaper classifier for many addresses: the domain sets are built once.
 * Same results as {@link classifyEmailDomain}.
 */
export function domainClassifier(
  parent: Pick<OrgConfig['parent'], 'verifiedDomains' | 'pendingDomains'>,
): (email: string | null | undefined) => EmailDomainStatus {
  const verified = new Set(verifiedDomains(parent));
  const pending = new Set(
    (parent.pendingDomains ?? []).map((x) => normalizeDomain(x)).filter((x): x is string => x !== null),
  );
  const cache = new Map<string, EmailDomainStatus>();
  // The last domain looked up: most addresses of a directory share it, and a suffix comparison
  // settles them without slicing the domain out and hashing it.
  let lastDomain = '';
  let lastResult: EmailDomainStatus | null = null;
  return (email) => {
    if (email == null) return { status: 'invalid', domain: null };
    const at = email.lastIndexOf('@');
    if (lastResult !== null && at > 0 && email.length - at - 1 === lastDomain.length && email.endsWith(lastDomain))
      return lastResult;
    const rawDomain = at > 0 ? email.slice(at + 1) : '';
    const hit = cache.get(rawDomain);
    if (hit) {
      if (at > 0) (lastDomain = rawDomain), (lastResult = hit);
      return hit;
    }
    const d = emailDomain(email);
    if (!d) return { status: 'invalid', domain: null };
    let r: EmailDomainStatus;
    if (verified.has(d)) r = { status: 'verified', domain: d };
    else if (pending.has(d)) r = { status: 'pending', domain: d };
    else {
      r = { status: 'unverified', domain: d };
      const labels = d.split('.');
      for (let i = 1; i < labels.length - 1; i++) {
        const p = labels.slice(i).join('.');
        if (verified.has(p)) {
          r = { status: 'subdomain', domain: d, parentDomain: p };
          break;
        }
      }
    }
    cache.set(rawDomain, r);
    if (at > 0) (lastDomain = rawDomain), (lastResult = r);
    return r;
  };
}
