import type { FieldTree } from './google-fields-mask';

/**
 * The fields of the Directory API resources the fake serves, as the discovery document declares
 * them (copied from @googleapis/admin 32.1.0 `directory_v1`: Schema$User, Schema$UserName,
 * Schema$Users, Schema$Group, Schema$Groups, Schema$Member, Schema$Members). A `fields` mask naming
 * anything else is Google's 400 `invalidParameter` ("Invalid field selection ...").
 */
const USER = [
  'addresses',
  'agreedToTerms',
  'aliases',
  'archivalTime',
  'archived',
  'changePasswordAtNextLogin',
  'creationTime',
  'customerId',
  'customSchemas',
  'deletionTime',
  'emails',
  'etag',
  'externalIds',
  'gender',
  'guestAccountInfo',
  'hashFunction',
  'id',
  'ims',
  'includeInGlobalAddressList',
  'ipWhitelisted',
  'isAdmin',
  'isDelegatedAdmin',
  'isEnforcedIn2Sv',
  'isEnrolledIn2Sv',
  'isGuestUser',
  'isMailboxSetup',
  'keywords',
  'kind',
  'languages',
  'lastLoginTime',
  'locations',
  'name',
  'nonEditableAliases',
  'notes',
  'organizations',
  'orgUnitPath',
  'password',
  'phones',
  'posixAccounts',
  'primaryEmail',
  'recoveryEmail',
  'recoveryPhone',
  'relations',
  'sshPublicKeys',
  'suspended',
  'suspensionReason',
  'suspensionTime',
  'thumbnailPhotoEtag',
  'thumbnailPhotoUrl',
  'websites',
];
const USER_NAME = ['displayName', 'familyName', 'fullName', 'givenName'];
const GROUP = [
  'adminCreated',
  'aliases',
  'description',
  'directMembersCount',
  'email',
  'etag',
  'externalIds',
  'id',
  'kind',
  'name',
  'nonEditableAliases',
];
const MEMBER = ['delivery_settings', 'email', 'etag', 'id', 'kind', 'role', 'status', 'type'];

/** A resource's fields; a field with a known sub-schema maps to it. */
interface Schema {
  [field: string]: Schema | true;
}
const of = (names: string[], nested: Record<string, Schema> = {}): Schema =>
  Object.fromEntries(names.map((n) => [n, nested[n] ?? true]));
const user = of(USER, { name: of(USER_NAME) });
const group = of(GROUP);
const member = of(MEMBER);

export const GOOGLE_SCHEMAS = {
  users: of(['etag', 'kind', 'nextPageToken', 'trigger_event', 'users'], { users: user }),
  user,
  groups: of(['etag', 'groups', 'kind', 'nextPageToken'], { groups: group }),
  group,
  members: of(['etag', 'kind', 'members', 'nextPageToken'], { members: member }),
  member,
} satisfies Record<string, Schema>;

/** The first path in the mask the schema does not have (`users/shoeSize`), or null. Free-form fields (customSchemas, addresses) are not looked into. */
export function unknownField(tree: FieldTree, schema: Schema, path = ''): string | null {
  for (const [key, sub] of tree) {
    const known = schema[key];
    if (!known) return `${path}${key}`;
    if (sub instanceof Map && known !== true) {
      const deeper = unknownField(sub, known, `${path}${key}/`);
      if (deeper) return deeper;
    }
  }
  return null;
}
