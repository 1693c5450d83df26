import { ApiCallError } from '@claude-idp/core';
import { PAGE } from './okta-api-facts';
import { oktaErrorCode } from './okta-errors';
import { oktaField } from './okta-fields';
import type { OktaLister } from './okta-paging';

interface Capability {
  status?: string;
}
interface AppFeature {
  name: string;
  status?: string;
  capabilities?: {
    create?: { lifecycleCreate?: Capability };
    update?: { profile?: Capability; lifecycleDeactivate?: Capability };
  };
}

export interface Provisioning {
  enabled: boolean;
  create: boolean | null;
  update: boolean | null;
  deactivate: boolean | null;
}

const on = (c: Capability | undefined) => (c?.status === undefined ? null : c.status === 'ENABLED');

/**
 * "To App" provisioning from `GET /api/v1/apps/{id}/features` (feature `USER_PROVISIONING`):
 * Create Users = `create.lifecycleCreate`, Update User Attributes = `update.profile`,
 * Deactivate Users = `update.lifecycleDeactivate`.
 * Quirk: with provisioning off Okta answers 400 E0000001 "Provisioning is not enabled for the app
 * instance." That is the answer "off", not a failure; the capabilities are then unknown (null).
 */
export async function readProvisioning(l: OktaLister, appId: string): Promise<Provisioning> {
  let features: AppFeature[];
  try {
    features = (await l.get(l.url(`/api/v1/apps/${appId}/features`), 'apps/features')).body as AppFeature[];
  } catch (e) {
    if (ApiCallError.isInstance(e) && e.status === 400 && oktaErrorCode(e) === 'E0000001')
      return { enabled: false, create: null, update: null, deactivate: null };
    throw e;
  }
  const f = Array.isArray(features) ? features.find((x) => x.name === 'USER_PROVISIONING') : undefined;
  if (!f) return { enabled: false, create: null, update: null, deactivate: null };
  return {
    enabled: f.status === 'ENABLED',
    create: on(f.capabilities?.create?.lifecycleCreate),
    update: on(f.capabilities?.update?.profile),
    deactivate: on(f.capabilities?.update?.lifecycleDeactivate),
  };
}

export type MappingProperties = Record<string, { expression?: string; pushStatus?: string }>;
interface ProfileMapping {
  id: string;
  source?: { type?: string };
  target?: { id?: string; type?: string };
  properties?: MappingProperties;
}

/**
 * The Okta user → app user ("To App") profile mapping, where the SCIM email comes from.
 * `GET /api/v1/mappings?targetId={appId}` lists mappings WITHOUT `properties` (Okta returns "a
 * subset of the profile mapping object"), so the mapping is then fetched by id. Orgs with several
 * user types have one mapping per type; the first (`source.type` `user`) is read.
 */
export async function readToAppMapping(l: OktaLister, appId: string): Promise<MappingProperties | null> {
  const list = await l.list<ProfileMapping>({
    path: '/api/v1/mappings',
    query: { targetId: appId, limit: PAGE.mappings.max },
    resource: 'mappings',
    endCheck: 'none',
  });
  const toApp = list.find((m) => m.source?.type === 'user' && (m.target?.id ?? appId) === appId);
  if (!toApp) return null;
  const full = (await l.get(l.url(`/api/v1/mappings/${toApp.id}`), 'mappings/{id}')).body as ProfileMapping;
  return full.properties ?? {};
}

/** The app attribute SCIM sends as the email (`email`, whose externalName is `emails[primary].value` in Okta's SCIM template). */
export function mappedEmailSource(props: MappingProperties | null): string | null {
  if (!props) return null;
  const key =
    'email' in props ? 'email' : Object.keys(props).find((k) => /^(?:e-?mail|emails|primaryEmail|workEmail)$/i.test(k));
  return key ? oktaField(props[key]?.expression) : null;
}

/**
 * Groups pushed to the app: `GET /api/v1/apps/{id}/group-push/mappings` (status ACTIVE).
 * Quirk: this API sits behind an org feature flag; without it Okta answers 401/403 E0000015 or 404.
 * That means "cannot tell" (null), not "no pushed groups" and not an error.
 */
export async function readPushedGroups(l: OktaLister, appId: string): Promise<string[] | null> {
  try {
    const mappings = await l.list<{ id: string; sourceGroupId: string; status?: string }>({
      path: `/api/v1/apps/${appId}/group-push/mappings`,
      query: { limit: PAGE.groupPush.max },
      resource: 'apps/group-push',
      endCheck: 'none',
    });
    return mappings
      .filter((m) => m.status === 'ACTIVE')
      .map((m) => m.sourceGroupId)
      .sort();
  } catch (e) {
    if (ApiCallError.isInstance(e) && (e.status === 404 || oktaErrorCode(e) === 'E0000015')) return null;
    throw e;
  }
}
