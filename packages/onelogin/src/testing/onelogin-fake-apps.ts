import type { GenericApp, GenericField } from '@claude-idp/core/testing';

/**
 * OneLogin app objects for the fake: the api-docs/2/apps/get-app shape (list-apps adds
 * `auth_method_description`), with the Claude app's SAML / SCIM settings as `parameters`.
 */

/** OneLogin attribute names of the generic fields: email → `email`, login → `username`. */
export const ATTRIBUTE: Record<GenericField, string> = { email: 'email', login: 'username' };

export const STAMP = '2024-01-15T09:30:00Z';
const AUTH_METHOD_DESCRIPTION: Record<number, string> = {
  0: 'Password',
  1: 'OpenId',
  2: 'SAML2.0',
  3: 'API',
  4: 'Google',
  6: 'Forms Based App',
  7: 'WSFED',
  8: 'OpenId Connect',
};

function parameter(id: number, label: string, mapping: string, inAssertion: boolean) {
  // The documented parameter object (onelogin-go-sdk models.Parameter).
  return {
    id,
    label,
    user_attribute_mappings: mapping,
    user_attribute_macros: null,
    attributes_transformations: null,
    values: null,
    default_values: null,
    skip_if_blank: false,
    provisioned_entitlements: false,
    include_in_saml_assertion: inAssertion,
  };
}

/** The app's `parameters`: NameID in `saml_username`, an `email` assertion attribute, SCIM userName in `scimusername`. */
function parameters(app: GenericApp, appId: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (app.sso.protocol === 'saml')
    out.saml_username = parameter(appId * 10 + 1, 'SAML Name ID (Subject)', ATTRIBUTE[app.sso.nameId], true);
  if (app.sso.emailAttribute) out.email = parameter(appId * 10 + 2, 'Email', ATTRIBUTE[app.sso.emailAttribute], true);
  // The SCIM email ({$user.email} in the SCIM JSON template) is not a parameter and not in the API.
  if (app.scim) out.scimusername = parameter(appId * 10 + 3, 'scimusername', ATTRIBUTE[app.scim.userName], false);
  return out;
}

export function appObject(
  baseUrl: string,
  id: number,
  name: string,
  app: GenericApp | null,
  roleIds: number[],
): Record<string, unknown> {
  const saml = !app || app.sso.protocol === 'saml';
  const authMethod = saml ? 2 : 8;
  const uuid = `${String(id).padStart(8, '0')}-0000-4000-8000-${String(id).padStart(12, '0')}`;
  return {
    id,
    name,
    visible: true,
    description: '',
    notes: null,
    icon_url: '/images/missing_connector_icon/square/old_original.png',
    auth_method: authMethod,
    auth_method_description: AUTH_METHOD_DESCRIPTION[authMethod],
    policy_id: null,
    provisioning: { enabled: app?.scim?.enabled ?? false },
    allow_assumed_signin: false,
    tab_id: null,
    // 110016: "SAML Custom Connector (Advanced)" (onelogin-ruby-sdk sample); 108419: the OIDC app of app-resource.
    connector_id: saml ? 110016 : 108419,
    sso: saml
      ? {
          metadata_url: `https://app.onelogin.com/saml/metadata/${uuid}`,
          acs_url: `${baseUrl}/trust/saml2/http-post/sso/${id}`,
          sls_url: `${baseUrl}/trust/saml2/http-redirect/slo/${id}`,
          issuer: `https://app.onelogin.com/saml/metadata/${uuid}`,
          certificate: { value: 'c6d814d032f000d9c03bc79727265', id: 170216, name: 'My Companies SAML Certificate' },
        }
      : { client_id: uuid },
    configuration: saml
      ? { provider_arn: null, signature_algorithm: 'SHA-256' }
      : { redirect_uri: null, login_url: null },
    created_at: STAMP,
    updated_at: STAMP,
    role_ids: roleIds,
    parameters: app ? parameters(app, id) : {},
    enforcement_point: {},
  };
}
