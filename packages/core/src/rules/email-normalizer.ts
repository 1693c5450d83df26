import { normalizeDomain } from '../model/email';

/**
 * `normalizeEmail` (model/email.ts) with the domain step memoised: the IDN-to-ASCII conversion is
 * the expensive part and a directory has a handful of domains for 100k addresses. Same results as
 * `normalizeEmail` for every input (a property test checks it). One normaliser per snapshot read.
 */
const SIMPLE = /^[a-z0-9._%+'!#$&*/=?^`{|}~-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

export function createEmailNormalizer(): (raw: string | null | undefined) => string | null {
  const domains = new Map<string, string | null>();
  // The last domain seen that normalises to itself: most addresses of a directory share it, so
  // a suffix comparison settles them without slicing the domain out and looking it up.
  let lastSelf = '';
  return (raw) => {
    if (raw == null) return null;
    // Fast path: an address already in normal form (lower-case ASCII, no spaces) comes back as
    // the same string — no allocation — once its domain is known to normalise to itself.
    if (SIMPLE.test(raw)) {
      const at = raw.lastIndexOf('@');
      if (lastSelf !== '' && raw.length - at - 1 === lastSelf.length && raw.endsWith(lastSelf)) return raw;
      const rawDomain = raw.slice(at + 1);
      let domain = domains.get(rawDomain);
      if (domain === undefined) {
        domain = normalizeDomain(rawDomain);
        domains.set(rawDomain, domain);
      }
      if (domain === rawDomain) {
        lastSelf = rawDomain;
        return raw;
      }
    }
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
