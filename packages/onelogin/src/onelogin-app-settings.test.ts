import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parameterSource, readAppSettings } from './onelogin-app-settings';
import { AppSchema, type OneLoginApp } from './onelogin-schemas';

const samlFixture = (): OneLoginApp =>
  AppSchema.parse(
    JSON.parse(readFileSync(new URL('./__fixtures__/onelogin-get-app-saml.json', import.meta.url), 'utf8')),
  );

const app = (parameters: OneLoginApp['parameters'], extra: Partial<OneLoginApp> = {}): OneLoginApp => ({
  id: 1,
  name: 'Claude',
  auth_method: 2,
  provisioning: { enabled: false },
  parameters,
  ...extra,
});

describe('readAppSettings: what GET /api/2/apps/{id} says about SAML and SCIM', () => {
  it('reads the API reference SAML app: NameID from saml_username, the email attribute, SAML protocol, provisioning off', () => {
    const s = readAppSettings(samlFixture());
    expect(s.sso).toEqual({
      protocol: 'saml',
      nameIdFormat: null,
      nameIdSource: 'user.email',
      emailAttribute: { name: 'email', source: 'user.email' },
    });
    // No scimusername parameter and provisioning off: not a SCIM app.
    expect(s.scim).toBeNull();
    expect(s.unavailable.map((u) => u.check)).toEqual(['sso.nameIdFormat']);
  });

  it('NameID comes from parameters.saml_username.user_attribute_mappings (email vs username)', () => {
    expect(readAppSettings(app({ saml_username: { user_attribute_mappings: 'email' } })).sso?.nameIdSource).toBe(
      'user.email',
    );
    expect(readAppSettings(app({ saml_username: { user_attribute_mappings: 'username' } })).sso?.nameIdSource).toBe(
      'user.username',
    );
    expect(
      readAppSettings(app({ saml_username: { user_attribute_mappings: 'custom_attribute_employee_id' } })).sso
        ?.nameIdSource,
    ).toBe('user.custom_attribute_employee_id');
  });

  it('a macro mapping is an expression, never equal to a plain field', () => {
    const p = { user_attribute_mappings: '_macro_', user_attribute_macros: '{firstname}.{lastname}' };
    expect(parameterSource(p)).toBe('expr:{firstname}.{lastname}');
  });

  it('a SAML app without saml_username says the NameID source is unavailable instead of guessing', () => {
    const s = readAppSettings(app({}));
    expect(s.sso?.nameIdSource).toBeNull();
    expect(s.unavailable.some((u) => u.check === 'sso.nameIdSource')).toBe(true);
  });

  it('SCIM userName comes from parameters.scimusername, and defaults to the username when it is empty', () => {
    const s = readAppSettings(
      app({ scimusername: { user_attribute_mappings: 'email' } }, { provisioning: { enabled: true } }),
    );
    expect(s.scim?.userNameSource).toBe('user.email');
    expect(
      readAppSettings(app({ scimusername: { user_attribute_mappings: '' } }, { provisioning: { enabled: true } })).scim
        ?.userNameSource,
    ).toBe('user.username');
    // Provisioning on with no scimusername parameter at all: OneLogin's documented default.
    expect(readAppSettings(app({}, { provisioning: { enabled: true } })).scim?.userNameSource).toBe('user.username');
  });

  it('the provisioning flag is scim.enabled; the SCIM email template and actions are listed as unavailable', () => {
    const on = readAppSettings(
      app({ scimusername: { user_attribute_mappings: 'username' } }, { provisioning: { enabled: true } }),
    );
    const off = readAppSettings(
      app({ scimusername: { user_attribute_mappings: 'username' } }, { provisioning: { enabled: false } }),
    );
    expect(on.scim?.enabled).toBe(true);
    expect(off.scim?.enabled).toBe(false);
    expect(on.scim).toMatchObject({
      emailSource: null,
      create: null,
      update: null,
      deactivate: null,
      pushedGroupIds: null,
    });
    expect(on.unavailable.map((u) => u.check)).toEqual(
      expect.arrayContaining(['scim.emailSource', 'scim.create', 'scim.pushedGroupIds']),
    );
  });

  it('only an email-named parameter sent in the assertion is the email attribute', () => {
    expect(
      readAppSettings(app({ email: { user_attribute_mappings: 'email', include_in_saml_assertion: false } })).sso
        ?.emailAttribute,
    ).toBeNull();
    expect(
      readAppSettings(app({ firstname: { user_attribute_mappings: 'firstname', include_in_saml_assertion: true } })).sso
        ?.emailAttribute,
    ).toBeNull();
    expect(
      readAppSettings(app({ Mail: { user_attribute_mappings: 'username', include_in_saml_assertion: true } })).sso
        ?.emailAttribute,
    ).toEqual({ name: 'Mail', source: 'user.username' });
  });

  it('auth_method gives the protocol: 2 SAML, 1 and 8 OpenId (Connect), others none', () => {
    expect(readAppSettings(app({}, { auth_method: 8 })).sso?.protocol).toBe('oidc');
    expect(readAppSettings(app({}, { auth_method: 1 })).sso?.protocol).toBe('oidc');
    expect(readAppSettings(app({}, { auth_method: 0 })).sso?.protocol).toBeNull();
  });
});
