import { notModelled } from './google-fake-query';

/**
 * The query parameters each Directory API method takes (the discovery document, as typed in
 * @googleapis/admin `directory_v1`), split into what the fake serves and what it does not.
 * A parameter outside a method's list, or one the fake does not serve, answers a 501 naming it.
 */
const SERVED_STANDARD = ['fields', 'prettyPrint', 'quotaUser', 'key', 'alt'];
/** Standard parameters the fake does not serve: JSONP, error format, OAuth tokens in the URL, uploads. */
const UNSERVED_STANDARD = ['$.xgafv', 'access_token', 'oauth_token', 'callback', 'uploadType', 'upload_protocol'];

export const STANDARD_PARAMS = SERVED_STANDARD;
/** users.list: customer, customFieldMask, domain, event, maxResults, orderBy, pageToken, projection, query, showDeleted, sortOrder, viewType. */
export const USERS_LIST_PARAMS = [
  ...SERVED_STANDARD,
  'customer',
  'customFieldMask',
  'domain',
  'event',
  'maxResults',
  'orderBy',
  'pageToken',
  'projection',
  'query',
  'showDeleted',
  'sortOrder',
  'viewType',
];
/** users.get: customFieldMask, projection, viewType (userKey is the path). */
export const USERS_GET_PARAMS = [...SERVED_STANDARD, 'customFieldMask', 'projection', 'viewType'];
/** groups.list: customer, domain, maxResults, orderBy, pageToken, query, sortOrder, userKey. */
export const GROUPS_LIST_PARAMS = [
  ...SERVED_STANDARD,
  'customer',
  'domain',
  'maxResults',
  'orderBy',
  'pageToken',
  'query',
  'sortOrder',
  'userKey',
];
/** members.list: includeDerivedMembership, maxResults, pageToken, roles (groupKey is the path). */
export const MEMBERS_LIST_PARAMS = [...SERVED_STANDARD, 'includeDerivedMembership', 'maxResults', 'pageToken', 'roles'];

/** A 501 for the first parameter the method does not take or the fake does not serve (`alt` other than json included), else null. */
export function unmodelledParams(url: URL, allowed: readonly string[]): Response | null {
  for (const [k, v] of url.searchParams) {
    if (UNSERVED_STANDARD.includes(k) || !allowed.includes(k))
      return notModelled(`the query parameter '${k}' on GET ${url.pathname}`);
    if (k === 'alt' && v !== 'json') return notModelled(`alt=${v} (the fake answers JSON only)`);
  }
  return null;
}
