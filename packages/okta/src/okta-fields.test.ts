import { describe, expect, it } from 'vitest';
import samlApp from './__fixtures__/okta-app-saml.json';
import samlAppWithStatement from './__fixtures__/okta-app-saml-attribute-statements.json';
import { ssoSettings, type OktaApp } from './okta-app';
import { emailAttribute, nameIdField, nameIdFormat, oktaField, userNameField } from './okta-fields';
import { mappedEmailSource } from './okta-scim';
import { OKTA_STATUS, oktaStatus } from './okta-status';

describe('okta-fields: Okta expressions to canonical fields', () => {
  it.each([
    ['${source.login}', 'user.login'],
    ['source.login', 'user.login'],
    ['user.login', 'user.login'],
    ['${user.login}', 'user.login'],
    ['${source.email}', 'user.email'],
    ['user.email', 'user.email'],
    ['${fn:toLowerCase(source.email)}', 'user.email'],
    ['String.toLowerCase(user.email)', 'user.email'],
    ['${source.samAccountName}', 'user.samAccountName'],
    ['${fn:substringBefore(source.login, "@")}', 'expr:${fn:substringBefore(source.login, "@")}'],
    ['user.firstName + "." + user.lastName', 'expr:user.firstName + "." + user.lastName'],
  ])('%s → %s', (expression, field) => {
    expect(oktaField(expression)).toBe(field);
  });

  it('an empty expression is no field', () => {
    expect(oktaField('')).toBeNull();
    expect(oktaField(undefined)).toBeNull();
  });

  it('username template: default ${source.login}, CUSTOM expressions, NONE', () => {
    expect(userNameField(undefined)).toBe('user.login');
    expect(userNameField({ template: '${source.email}', type: 'BUILT_IN' })).toBe('user.email');
    expect(userNameField({ template: 'user.email', type: 'CUSTOM' })).toBe('user.email');
    expect(userNameField({ type: 'NONE' })).toBeNull();
  });

  it('NameID ${user.userName} is the app username, i.e. the username template', () => {
    expect(nameIdField('${user.userName}', { template: '${source.login}', type: 'BUILT_IN' })).toBe('user.login');
    expect(nameIdField('${user.userName}', { template: '${source.email}', type: 'BUILT_IN' })).toBe('user.email');
    expect(nameIdField(undefined, undefined)).toBe('user.login');
    expect(nameIdField('${user.email}', { template: '${source.login}' })).toBe('user.email');
  });

  it('NameID format URNs shorten to the format name', () => {
    expect(nameIdFormat('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')).toBe('emailAddress');
    expect(nameIdFormat('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')).toBe('persistent');
    expect(nameIdFormat(null)).toBeNull();
  });

  it('email attribute: custom statements win over configured ones, GROUP statements are skipped', () => {
    const s = {
      attributeStatements: [
        { type: 'GROUP', name: 'email', filterType: 'STARTS_WITH', filterValue: 'x' },
        {
          type: 'EXPRESSION',
          name: 'email',
          namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
          values: ['user.login'],
        },
      ],
      configuredAttributeStatements: [{ type: 'EXPRESSION', name: 'email', values: ['user.email'] }],
    };
    expect(emailAttribute(s)).toEqual({ name: 'email', source: 'user.login' });
    expect(emailAttribute({ configuredAttributeStatements: s.configuredAttributeStatements })).toEqual({
      name: 'email',
      source: 'user.email',
    });
  });

  it('email attribute: the WS-Fed claim name counts, an unrelated name does not', () => {
    const claim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
    expect(
      emailAttribute({ attributeStatements: [{ type: 'EXPRESSION', name: claim, values: ['user.email'] }] }),
    ).toEqual({ name: claim, source: 'user.email' });
    expect(
      emailAttribute({ attributeStatements: [{ type: 'EXPRESSION', name: 'Attribute', values: ['Value'] }] }),
    ).toBeNull();
  });

  it('email attribute appuser.email resolves through the To-App profile mapping', () => {
    const s = { attributeStatements: [{ type: 'EXPRESSION', name: 'email', values: ['appuser.email'] }] };
    expect(emailAttribute(s, (a) => (a === 'email' ? 'user.login' : null))).toEqual({
      name: 'email',
      source: 'user.login',
    });
  });

  it('profile mapping: properties.email.expression is the SCIM email source', () => {
    expect(mappedEmailSource({ email: { expression: 'user.email', pushStatus: 'PUSH' } })).toBe('user.email');
    expect(
      mappedEmailSource({ givenName: { expression: 'user.firstName' }, workEmail: { expression: 'user.login' } }),
    ).toBe('user.login');
    expect(mappedEmailSource({ firstName: { expression: 'user.firstName' } })).toBeNull();
    expect(mappedEmailSource(null)).toBeNull();
  });
});

describe('okta-app: SSO settings of real Okta payloads (spec examples)', () => {
  it('GetApplicationsResponseEx: NameID ${user.userName} with a substringBefore username template', () => {
    const sso = ssoSettings(samlApp as unknown as OktaApp, () => null);
    expect(sso).toEqual({
      protocol: 'saml',
      nameIdFormat: 'emailAddress',
      nameIdSource: 'expr:${fn:substringBefore(source.login, "@")}',
      emailAttribute: null,
    });
  });

  it('Saml2.0ResponseEx: username template ${source.email}, format unspecified, no email statement', () => {
    const sso = ssoSettings(samlAppWithStatement as unknown as OktaApp, () => null);
    expect(sso).toEqual({
      protocol: 'saml',
      nameIdFormat: 'unspecified',
      nameIdSource: 'user.email',
      emailAttribute: null,
    });
  });

  it('OIDC apps: the app username and the profile email', () => {
    const sso = ssoSettings(
      {
        id: '0oa1',
        name: 'oidc_client',
        label: 'Claude',
        signOnMode: 'OPENID_CONNECT',
        credentials: { userNameTemplate: { template: '${source.login}' } },
      },
      () => null,
    );
    expect(sso).toEqual({
      protocol: 'oidc',
      nameIdFormat: null,
      nameIdSource: 'user.login',
      emailAttribute: { name: 'email', source: 'user.email' },
    });
  });
});

describe('okta-status', () => {
  it.each([
    ['ACTIVE', 'active'],
    ['PROVISIONED', 'active'],
    ['RECOVERY', 'active'],
    ['PASSWORD_EXPIRED', 'active'],
    ['SUSPENDED', 'suspended'],
    ['LOCKED_OUT', 'locked'],
    ['DEPROVISIONED', 'deprovisioned'],
    ['STAGED', 'staged'],
  ])('%s → %s', (okta, status) => {
    expect(oktaStatus(okta)).toBe(status);
  });

  it("covers exactly Okta's eight UserStatus values and guesses no others", () => {
    expect(Object.keys(OKTA_STATUS).sort()).toEqual([
      'ACTIVE',
      'DEPROVISIONED',
      'LOCKED_OUT',
      'PASSWORD_EXPIRED',
      'PROVISIONED',
      'RECOVERY',
      'STAGED',
      'SUSPENDED',
    ]);
    expect(oktaStatus('TRANSITIONING')).toBeUndefined();
  });
});
