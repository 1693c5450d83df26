import type { GenericField, GenericTenant } from '@claude-idp/core/testing';
import { oktaId } from './okta-fake-ids';
import type { Json, OktaOrg } from './okta-fake-store';

const NAMEID_FORMAT = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
} as const;
/** BUILT_IN username templates (spec `ApplicationCredentialsUsernameTemplate`): "Okta username" and "Email". */
const TEMPLATE: Record<GenericField, string> = { login: '${source.login}', email: '${source.email}' };

/**
 * The generic app as Okta's app objects: the Application (SAML_2_0 or OPENID_CONNECT, shaped like
 * the spec's `GetApplicationsResponseEx`), its USER_PROVISIONING feature (null when provisioning
 * is off), the To-App profile mapping (the SCIM email source) and its Group Push mappings.
 */
export function buildApp(t: GenericTenant, base: string) {
  const appId = oktaId('0oa', t.app.id);
  const typeId = oktaId('oty', t.name);
  const gid = (id: string) => oktaId('00g', id);
  const scim = t.app.scim;
  const provisioned = Boolean(scim?.enabled);
  // One app username serves both the SAML NameID (`${user.userName}`) and SCIM userName.
  const userNameField: GenericField = scim?.userName ?? t.app.sso.nameId;
  const saml = t.app.sso.protocol === 'saml';
  const appName = `${t.name}_${t.app.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}_1`;
  const links = (path: string) => ({ href: `${base}${path}` });
  const mappingProps: Json = scim
    ? {
        givenName: { expression: 'user.firstName', pushStatus: 'PUSH' },
        familyName: { expression: 'user.lastName', pushStatus: 'PUSH' },
        email: { expression: `user.${scim.email}`, pushStatus: 'PUSH' },
      }
    : {};
  const status = (on: boolean | undefined) => ({ status: on ? 'ENABLED' : 'DISABLED' });
  const features =
    provisioned && scim
      ? [
          {
            name: 'USER_PROVISIONING',
            status: 'ENABLED',
            description: 'User provisioning settings from Okta to a downstream application',
            capabilities: {
              create: { lifecycleCreate: status(scim.create) },
              update: {
                profile: status(scim.update),
                lifecycleDeactivate: status(scim.deactivate),
                password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' },
              },
            },
            _links: {
              self: { ...links(`/api/v1/apps/${appId}/features/USER_PROVISIONING`), hints: { allow: ['GET', 'PUT'] } },
            },
          },
        ]
      : null;
  const statements = [
    ...(t.app.sso.emailAttribute
      ? [
          {
            type: 'EXPRESSION',
            name: 'email',
            namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
            values: [`user.${t.app.sso.emailAttribute}`],
          },
        ]
      : []),
    {
      type: 'GROUP',
      name: 'groups',
      namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
      filterType: 'STARTS_WITH',
      filterValue: 'anthropic-',
    },
  ];
  const app = {
    id: appId,
    name: appName,
    label: t.app.name,
    status: 'ACTIVE',
    lastUpdated: '2016-08-09T20:12:19.000Z',
    created: '2016-08-09T20:12:19.000Z',
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { [`${appName}_link`]: true } },
    features:
      provisioned && scim
        ? [
            'PUSH_NEW_USERS',
            'PUSH_PROFILE_UPDATES',
            'PUSH_USER_DEACTIVATION',
            ...(scim.pushedGroupIds ? ['GROUP_PUSH'] : []),
          ].filter((f, i) => [scim.create, scim.update, scim.deactivate, true][i])
        : [],
    signOnMode: saml ? 'SAML_2_0' : 'OPENID_CONNECT',
    credentials: {
      userNameTemplate: { template: TEMPLATE[saml ? userNameField : t.app.sso.nameId], type: 'BUILT_IN' },
      signing: {},
    },
    settings: {
      app: {},
      notifications: { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } },
      signOn: saml
        ? {
            defaultRelayState: '',
            ssoAcsUrl: 'https://claude.ai/api/auth/saml/acs',
            idpIssuer: 'http://www.okta.com/${org.externalKey}',
            audience: 'https://claude.ai',
            recipient: 'https://claude.ai/api/auth/saml/acs',
            destination: 'https://claude.ai/api/auth/saml/acs',
            // `${user.userName}` (the app username) when the NameID is the username's field, else the field itself.
            subjectNameIdTemplate:
              t.app.sso.nameId === userNameField ? '${user.userName}' : `\${user.${t.app.sso.nameId}}`,
            subjectNameIdFormat: NAMEID_FORMAT[t.app.sso.nameIdFormat],
            responseSigned: true,
            assertionSigned: true,
            signatureAlgorithm: 'RSA_SHA256',
            digestAlgorithm: 'SHA256',
            honorForceAuthn: true,
            authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
            attributeStatements: statements,
            inlineHooks: [],
          }
        : {},
    },
    _links: {
      users: links(`/api/v1/apps/${appId}/users`),
      groups: links(`/api/v1/apps/${appId}/groups`),
      metadata: { ...links(`/api/v1/apps/${appId}/sso/saml/metadata`), type: 'application/xml' },
    },
  };
  const others = (t.otherApps ?? []).map((o) => ({
    id: oktaId('0oa', o.id),
    name: 'bookmark',
    label: o.name,
    status: 'ACTIVE',
    features: [],
    signOnMode: 'BOOKMARK',
    credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} },
    settings: { app: { requestIntegration: false, url: 'https://claude.ai' } },
    _links: {},
  }));
  const mappingId = oktaId('prm', t.app.id);
  const ref = (id: string, name: string, type: string, self: string, schema: string) => ({
    id,
    name,
    type,
    _links: { self: links(self), schema: links(schema) },
  });
  const mappings = [
    {
      id: mappingId,
      source: ref(
        typeId,
        'user',
        'user',
        `/api/v1/meta/types/user/${typeId}`,
        `/api/v1/meta/schemas/user/${oktaId('osc', t.name)}`,
      ),
      target: ref(appId, appName, 'appuser', `/api/v1/apps/${appId}`, `/api/v1/meta/schemas/apps/${appId}/default`),
      _links: { self: links(`/api/v1/mappings/${mappingId}`) },
    },
  ];
  const pushMappings = (scim?.pushedGroupIds ?? []).map((g) => ({
    id: oktaId('gPm', g),
    created: '2025-01-01T00:00:00Z',
    errorSummary: '',
    lastPush: '2025-01-01T00:00:00Z',
    lastUpdated: '2025-01-01T00:00:00Z',
    sourceGroupId: gid(g),
    status: 'ACTIVE',
    targetGroupId: oktaId('00g', `pushed:${g}`),
    _links: {
      app: links(`/api/v1/apps/${appId}`),
      sourceGroup: links(`/api/v1/groups/${gid(g)}`),
      targetGroup: links(`/api/v1/groups/${oktaId('00g', `pushed:${g}`)}`),
    },
  }));
  return {
    app: app as OktaOrg['app'],
    others: others as OktaOrg['apps'],
    features: features as Json[] | null,
    mappings: mappings as OktaOrg['mappings'],
    mappingProperties: new Map<string, Json>([[mappingId, mappingProps]]),
    pushMappings: pushMappings as OktaOrg['pushMappings'],
    userNameField,
  };
}
