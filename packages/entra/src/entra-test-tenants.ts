import { conformanceTenant, type GenericTenant } from '@claude-idp/core/testing';

/**
 * Test tenant (not exported): the conformance tenant left as Entra sets an app up — default
 * claims (NameID = UPN, emailaddress = mail; serve it with `claims: 'none'`) and the default SCIM
 * mappings (userName = UPN, work email = mail) — plus a B2B guest assigned directly. Alan Turing's
 * UPN (aturing@) differs from his mail (alan.turing@); Contractors (Radia Perlman) is nested in an
 * assigned group.
 */
export function defaultsTenant(): GenericTenant {
  const t = conformanceTenant();
  t.app.sso = { protocol: 'saml', nameIdFormat: 'emailAddress', nameId: 'login', emailAttribute: 'email' };
  t.app.scim = { enabled: true, email: 'email', userName: 'login', create: true, update: true, deactivate: true };
  t.users.push({
    id: 'u14',
    email: 'pat.partner@partner.example',
    login: 'pat.partner@partner.example',
    givenName: 'Pat',
    familyName: 'Partner',
    status: 'active',
    guest: true,
  });
  t.assignments.userIds.push('u14');
  return t;
}
