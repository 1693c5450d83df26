/**
 * Entra attribute names and their canonical form (SPEC §4: `user.<attribute>`). Claims policies
 * name user attributes in lower case (`userprincipalname`, `mail`, `objectid`), provisioning
 * mappings in Graph's camel case (`userPrincipalName`, `objectId`); both become the Graph user
 * property, which is also what `$select` takes, so SAML and SCIM sources compare as strings:
 * `user.userPrincipalName`, `user.mail`, `user.id`, `user.extensionAttribute3`.
 */
const KNOWN: readonly string[] = [
  'userPrincipalName',
  'mail',
  'givenName',
  'surname',
  'displayName',
  'employeeId',
  'mailNickname',
  'onPremisesSamAccountName',
  'onPremisesUserPrincipalName',
  'onPremisesImmutableId',
  'otherMails',
  'proxyAddresses',
  'userType',
  'department',
  'jobTitle',
  'companyName',
  'preferredLanguage',
  'mobilePhone',
  'city',
  'country',
  'state',
  'streetAddress',
  'postalCode',
  'officeLocation',
  'accountEnabled',
];
const BY_LOWER = new Map<string, string>(KNOWN.map((k) => [k.toLowerCase(), k]));
// Names that differ between the two vocabularies and the Graph property.
BY_LOWER.set('objectid', 'id');
BY_LOWER.set('othermail', 'otherMails');
BY_LOWER.set('telephonenumber', 'businessPhones');
BY_LOWER.set('user-principalname', 'userPrincipalName');
for (let i = 1; i <= 15; i++) BY_LOWER.set(`extensionattribute${i}`, `extensionAttribute${i}`);

/** The canonical field of an Entra user attribute name from a claim or a provisioning mapping. */
export function canonicalEntraField(name: string): string {
  // Microsoft's own examples carry stray spaces (`" employeeId"`), so trim before comparing.
  const trimmed = name.trim();
  return `user.${BY_LOWER.get(trimmed.toLowerCase()) ?? trimmed}`;
}

/** The Graph user properties every read selects: identity, status, and every attribute a NameID or email claim may use. */
export const USER_SELECT = [
  'id',
  'displayName',
  'mail',
  'userPrincipalName',
  'accountEnabled',
  'otherMails',
  'proxyAddresses',
  'userType',
  'givenName',
  'surname',
  'employeeId',
  'mailNickname',
  'onPremisesSamAccountName',
  'onPremisesUserPrincipalName',
  'onPremisesExtensionAttributes',
] as const;

/** What a group member listing selects: the user properties above plus a nested group's displayName (same property). */
export const MEMBER_SELECT = USER_SELECT;

export interface GraphUser {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
  otherMails?: string[] | null;
  proxyAddresses?: string[] | null;
  userType?: string | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
  [property: string]: unknown;
}

/** The value of a canonical field on a Graph user, or `undefined` when this read does not select it. */
export function fieldValue(user: GraphUser, canonical: string): string | null | undefined {
  const attr = canonical.startsWith('user.') ? canonical.slice(5) : canonical;
  if (/^extensionAttribute\d+$/.test(attr)) return user.onPremisesExtensionAttributes?.[attr] ?? null;
  if (!(USER_SELECT as readonly string[]).includes(attr)) return undefined;
  const v = user[attr];
  // Multi-valued sources (otherMails, proxyAddresses) emit one value in a claim: the first.
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : null;
  return typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : null;
}
