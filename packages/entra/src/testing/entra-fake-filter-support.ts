import type { GraphTypeName } from './entra-graph-properties';

/**
 * Which `$filter` operators each directory property supports by default and which only with the
 * advanced query parameters (`ConsistencyLevel: eventual` and `$count=true`). Users: the table of
 * learn.microsoft.com/graph/aad-advanced-queries (MGDC `includes/filter-directory-objects.md`);
 * groups and service principals: the "Supports $filter" notes of their resource pages.
 */
export type Op = 'eq' | 'ge' | 'le' | 'in' | 'startsWith' | 'endsWith' | 'null';
/** Per property: operators that work by default, those that need the advanced query parameters. `ne`/`not` work wherever `eq` does, advanced only. */
export interface Support {
  d: Op[];
  a?: Op[];
  /** A collection (otherMails, tags): filtered only through `any` lambdas, which the fake does not evaluate. */
  collection?: true;
}
const S = (d: Op[], a: Op[] = []): Support => ({ d, a });
const ALL_ADVANCED: Support = S([], ['eq', 'ge', 'le', 'in', 'startsWith', 'null']);
const COLLECTION: Support = { d: ['eq'], collection: true };

/** Filter support by property (properties missing here answer Graph's "Unsupported or invalid query filter clause"). */
export const FILTER_SUPPORT: Record<GraphTypeName, Record<string, Support>> = {
  user: {
    id: S(['eq', 'in']),
    accountEnabled: S(['eq', 'in'], ['ge', 'le']),
    displayName: S(['eq', 'in', 'startsWith'], ['null']),
    employeeId: S(['eq', 'startsWith'], ['le', 'null']),
    givenName: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    surname: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    jobTitle: S(['eq', 'ge', 'le', 'in'], ['null']),
    mail: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['endsWith']),
    mailNickname: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    userPrincipalName: S(['eq', 'le', 'in', 'startsWith'], ['endsWith']),
    userType: S(['eq', 'in'], ['null']),
    onPremisesUserPrincipalName: S(['eq', 'ge', 'le', 'in', 'startsWith']),
    onPremisesSamAccountName: ALL_ADVANCED,
    mobilePhone: ALL_ADVANCED,
    officeLocation: ALL_ADVANCED,
    preferredLanguage: ALL_ADVANCED,
    otherMails: COLLECTION,
    proxyAddresses: COLLECTION,
    businessPhones: COLLECTION,
    onPremisesExtensionAttributes: COLLECTION,
    // Rows of the same table for properties the fake does not store (a filter on them is a 501).
    ageGroup: S(['eq', 'in']),
    city: S(['eq', 'ge', 'in', 'startsWith'], ['null']),
    companyName: ALL_ADVANCED,
    consentProvidedForMinor: S(['eq', 'in']),
    country: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    createdDateTime: S(['eq', 'ge', 'le'], ['in']),
    creationType: S(['eq', 'in']),
    deletedDateTime: S(['eq', 'ge', 'le'], ['in']),
    department: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    employeeHireDate: S([], ['eq', 'ge', 'le', 'in']),
    employeeType: S([], ['eq', 'ge', 'le', 'in', 'startsWith']),
    isResourceAccount: S(['eq']),
    onPremisesImmutableId: S([], ['eq', 'ge', 'le', 'in']),
    onPremisesLastSyncDateTime: S([], ['eq', 'ge', 'le', 'in']),
    onPremisesSecurityIdentifier: S(['eq', 'in'], ['null']),
    onPremisesSyncEnabled: S(['eq', 'in'], ['ge', 'le']),
    passwordPolicies: S([], ['eq', 'null']),
    postalCode: ALL_ADVANCED,
    showInAddressList: S([], ['eq', 'ge', 'le', 'in']),
    state: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    streetAddress: ALL_ADVANCED,
    usageLocation: S(['eq', 'ge', 'le', 'in', 'startsWith']),
    assignedLicenses: COLLECTION,
    assignedPlans: COLLECTION,
    identities: COLLECTION,
    imAddresses: COLLECTION,
  },
  group: {
    id: S(['eq', 'in']),
    displayName: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    description: S(['eq', 'ge', 'le', 'startsWith'], ['null']),
    mail: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    mailEnabled: S(['eq']),
    mailNickname: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    securityEnabled: S(['eq', 'in']),
    visibility: S(['eq', 'in']),
    groupTypes: COLLECTION,
  },
  servicePrincipal: {
    id: S(['eq', 'in']),
    appId: S(['eq', 'in', 'startsWith']),
    displayName: S(['eq', 'ge', 'le', 'in', 'startsWith'], ['null']),
    accountEnabled: S(['eq', 'in']),
    appOwnerOrganizationId: S(['eq', 'in']),
    preferredSingleSignOnMode: S(['eq', 'in']),
    servicePrincipalType: S(['eq', 'in', 'startsWith']),
    tags: COLLECTION,
    servicePrincipalNames: COLLECTION,
  },
  appRoleAssignment: {},
};
