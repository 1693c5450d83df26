import { normalizeDomain } from '../model/email';

/**
 * `normalizeEmail` (model/email.ts) with the domain step memoised: the IDN-to-ASCII conversion is
 * the expensive part and a directory has a handful of domains for 100k addresses. Same results as
 * `normalizeEmail` for every input (a property test checks it). One normaliser per snapshot read.
 */
export function createEmailNormalizer(): (raw: string | null | undefined) => string | null {
  const domains = new Map<string, string | null>();
  return (raw) => {
    if (raw == null) return null;
    const trimmed = raw.normalize('NFC').trim();
    const at = trimmed.lastIndexOf('@');
    if (at <= 0 || at === trimmed.length - 1) return null;
    const local = trimmed.slice(0, at).toLowerCase();
    if (/\s/.test(local)) return null;
    const rawDomain = trimmed.slice(at + 1);
    let domain = domains.get(rawDomain);
    if (domain === undefined) {
      domain = normalizeDomain(rawDomain);
      domains.set(rawDomain, domain);
    }
    return domain ? `${local}@${domain}` : null;
  };
}
