import { describe, expect, it } from 'vitest';
import { classifyEmailDomain, domainClaimIssues, domainClassifier, idpMismatch } from './parent';

describe('R-P4 one IdP per parent', () => {
  it('the snapshot must come from the parent IdP', () => {
    expect(idpMismatch({ idp: 'okta' }, { parent: { idp: 'okta', verifiedDomains: [] } })).toBeNull();
    expect(idpMismatch({ idp: 'entra' }, { parent: { idp: 'okta', verifiedDomains: [] } })).toEqual({
      snapshot: 'entra',
      parent: 'okta',
    });
  });
});

describe('R-P2 a domain is claimed once', () => {
  it('duplicates (case, trailing dot, IDN), verified-and-pending overlap, invalid names', () => {
    expect(
      domainClaimIssues({
        verifiedDomains: ['acme.com', 'ACME.com.', 'bücher.example', 'xn--bcher-kva.example'],
        pendingDomains: ['acme.com', 'not a domain', 'localhost'],
      }),
    ).toEqual([
      { kind: 'duplicate', domain: 'acme.com', list: 'verified' },
      { kind: 'duplicate', domain: 'xn--bcher-kva.example', list: 'verified' },
      { kind: 'invalid', domain: 'not a domain', list: 'pending' },
      { kind: 'invalid', domain: 'localhost', list: 'pending' },
      { kind: 'verified-and-pending', domain: 'acme.com' },
    ]);
  });
});

describe('R-D1 / R-S1 where an address stands', () => {
  const parent = { verifiedDomains: ['acme.com', 'Bücher.example'], pendingDomains: ['acme.io'] };
  it.each([
    ['ana@acme.com', { status: 'verified', domain: 'acme.com' }],
    ['ana@eu.acme.com', { status: 'subdomain', domain: 'eu.acme.com', parentDomain: 'acme.com' }],
    ['ana@acme.io', { status: 'pending', domain: 'acme.io' }],
    ['ana@gmail.com', { status: 'unverified', domain: 'gmail.com' }],
    ['Zoë@BÜCHER.example', { status: 'verified', domain: 'xn--bcher-kva.example' }],
    ['not-an-address', { status: 'invalid', domain: null }],
  ])('%s', (email, expected) => {
    expect(classifyEmailDomain(email, parent)).toEqual(expected);
    expect(domainClassifier(parent)(email)).toEqual(expected);
  });
});
