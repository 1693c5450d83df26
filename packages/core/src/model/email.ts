import { domainToASCII } from 'node:url';

/**
 * Email normalisation (SPEC §5): trim, Unicode NFC, case-fold, and the domain in one form
 * (IDN to ASCII punycode), so `Ana@Bücher.example` and ` ana@xn--bcher-kva.example` compare equal.
 * Returns null for something that is not an address.
 */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const trimmed = raw.normalize('NFC').trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  const local = trimmed.slice(0, at).toLowerCase();
  const domain = normalizeDomain(trimmed.slice(at + 1));
  if (!domain || /\s/.test(local)) return null;
  return `${local}@${domain}`;
}

/** A domain in one comparable form: lower-case ASCII (IDN to punycode), no trailing dot. */
export function normalizeDomain(raw: string): string | null {
  const d = raw.normalize('NFC').trim().replace(/\.$/, '').toLowerCase();
  if (!d || /[\s@/]/.test(d)) return null;
  const ascii = domainToASCII(d);
  return ascii || null;
}

export function emailDomain(email: string | null | undefined): string | null {
  const n = normalizeEmail(email);
  return n ? n.slice(n.lastIndexOf('@') + 1) : null;
}

export interface DomainMatch {
  /** The verified domain the email falls under, if any. */
  domain: string | null;
  /** True when the match is through a parent domain (email on a subdomain of a verified domain). */
  viaParent: boolean;
}

/**
 * Which verified domain an email falls under (R-S1, R-D1). Exact match first. A subdomain
 * (`eu.acme.com`) is NOT covered by verifying `acme.com`: R-D1 says a subdomain is verified with
 * its own TXT record, so such an email reports `domain: null` with `parentDomain` set so callers
 * can say "verify eu.acme.com (its own TXT record)".
 */
export function matchVerifiedDomain(
  email: string | null | undefined,
  verified: readonly string[],
): DomainMatch & { parentDomain: string | null } {
  const d = emailDomain(email);
  if (!d) return { domain: null, viaParent: false, parentDomain: null };
  const set = new Set(verified.map((v) => normalizeDomain(v)).filter((v): v is string => v !== null));
  if (set.has(d)) return { domain: d, viaParent: false, parentDomain: null };
  const labels = d.split('.');
  for (let i = 1; i < labels.length - 1; i++) {
    const parent = labels.slice(i).join('.');
    if (set.has(parent)) return { domain: null, viaParent: true, parentDomain: parent };
  }
  return { domain: null, viaParent: false, parentDomain: null };
}

/** True when two addresses are the same mailbox after normalisation. */
export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  const na = normalizeEmail(a);
  return na !== null && na === normalizeEmail(b);
}
