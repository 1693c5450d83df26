/**
 * The properties of the Graph v1.0 types the fake serves, as Microsoft Graph's metadata declares
 * them (copied from @microsoft/microsoft-graph-types 2.43.1, which is generated from the v1.0
 * `$metadata`). `structural` properties may be named in `$select`/`$filter`; `navigation`
 * properties are relationships. The fake answers a name in neither list as Graph does (400
 * `Request_BadRequest`, "Could not find a property named ..."), and a real property it does not
 * store with a 501 naming it.
 */
export const GRAPH_TYPES = {
  user: {
    structural: [
    'id', 'deletedDateTime', 'aboutMe', 'accountEnabled', 'ageGroup', 'assignedLicenses', 'assignedPlans',
    'authorizationInfo', 'birthday', 'businessPhones', 'city', 'companyName', 'consentProvidedForMinor', 'country',
    'createdDateTime', 'creationType', 'customSecurityAttributes', 'department', 'deviceEnrollmentLimit',
    'displayName', 'employeeHireDate', 'employeeId', 'employeeLeaveDateTime', 'employeeOrgData', 'employeeType',
    'externalUserState', 'externalUserStateChangeDateTime', 'faxNumber', 'givenName', 'hireDate', 'identities',
    'imAddresses', 'interests', 'isManagementRestricted', 'isResourceAccount', 'jobTitle',
    'lastPasswordChangeDateTime', 'legalAgeGroupClassification', 'licenseAssignmentStates', 'mail',
    'mailboxSettings', 'mailNickname', 'mobilePhone', 'mySite', 'officeLocation', 'onPremisesDistinguishedName',
    'onPremisesDomainName', 'onPremisesExtensionAttributes', 'onPremisesImmutableId', 'onPremisesLastSyncDateTime',
    'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier',
    'onPremisesSyncEnabled', 'onPremisesUserPrincipalName', 'otherMails', 'passwordPolicies', 'passwordProfile',
    'pastProjects', 'postalCode', 'preferredDataLocation', 'preferredLanguage', 'preferredName', 'print',
    'provisionedPlans', 'proxyAddresses', 'responsibilities', 'schools', 'securityIdentifier',
    'serviceProvisioningErrors', 'showInAddressList', 'signInActivity', 'signInSessionsValidFromDateTime',
    'skills', 'state', 'streetAddress', 'surname', 'usageLocation', 'userPrincipalName', 'userType',
    ],
    navigation: [
    'activities', 'agreementAcceptances', 'appRoleAssignments', 'authentication', 'calendar', 'calendarGroups',
    'calendars', 'calendarView', 'chats', 'cloudClipboard', 'contactFolders', 'contacts', 'createdObjects',
    'dataSecurityAndGovernance', 'deviceManagementTroubleshootingEvents', 'directReports', 'drive', 'drives',
    'employeeExperience', 'events', 'extensions', 'followedSites', 'inferenceClassification', 'insights',
    'joinedTeams', 'licenseDetails', 'mailFolders', 'managedAppRegistrations', 'managedDevices', 'manager',
    'memberOf', 'messages', 'oauth2PermissionGrants', 'onenote', 'onlineMeetings', 'outlook', 'ownedDevices',
    'ownedObjects', 'people', 'permissionGrants', 'photo', 'photos', 'planner', 'presence', 'registeredDevices',
    'scopedRoleMemberOf', 'settings', 'solutions', 'sponsors', 'teamwork', 'todo', 'transitiveMemberOf',
    ],
  },
  group: {
    structural: [
    'id', 'deletedDateTime', 'allowExternalSenders', 'assignedLabels', 'assignedLicenses',
    'autoSubscribeNewMembers', 'classification', 'createdDateTime', 'description', 'displayName',
    'expirationDateTime', 'groupTypes', 'hasMembersWithLicenseErrors', 'hideFromAddressLists',
    'hideFromOutlookClients', 'isArchived', 'isAssignableToRole', 'isManagementRestricted', 'isSubscribedByMail',
    'licenseProcessingState', 'mail', 'mailEnabled', 'mailNickname', 'membershipRule',
    'membershipRuleProcessingState', 'onPremisesDomainName', 'onPremisesLastSyncDateTime', 'onPremisesNetBiosName',
    'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier',
    'onPremisesSyncEnabled', 'preferredDataLocation', 'preferredLanguage', 'proxyAddresses', 'renewedDateTime',
    'securityEnabled', 'securityIdentifier', 'serviceProvisioningErrors', 'theme', 'uniqueName', 'unseenCount',
    'visibility',
    ],
    navigation: [
    'acceptedSenders', 'appRoleAssignments', 'calendar', 'calendarView', 'conversations', 'createdOnBehalfOf',
    'drive', 'drives', 'events', 'extensions', 'groupLifecyclePolicies', 'memberOf', 'members',
    'membersWithLicenseErrors', 'onenote', 'owners', 'permissionGrants', 'photo', 'photos', 'planner',
    'rejectedSenders', 'settings', 'sites', 'team', 'threads', 'transitiveMemberOf', 'transitiveMembers',
    ],
  },
  servicePrincipal: {
    structural: [
    'id', 'deletedDateTime', 'accountEnabled', 'addIns', 'alternativeNames', 'appDescription', 'appDisplayName',
    'appId', 'applicationTemplateId', 'appOwnerOrganizationId', 'appRoleAssignmentRequired', 'appRoles',
    'customSecurityAttributes', 'description', 'disabledByMicrosoftStatus', 'displayName', 'homepage', 'info',
    'keyCredentials', 'loginUrl', 'logoutUrl', 'notes', 'notificationEmailAddresses', 'oauth2PermissionScopes',
    'passwordCredentials', 'preferredSingleSignOnMode', 'preferredTokenSigningKeyThumbprint', 'replyUrls',
    'resourceSpecificApplicationPermissions', 'samlSingleSignOnSettings', 'servicePrincipalNames',
    'servicePrincipalType', 'signInAudience', 'tags', 'tokenEncryptionKeyId', 'verifiedPublisher',
    ],
    navigation: [
    'appManagementPolicies', 'appRoleAssignedTo', 'appRoleAssignments', 'claimsMappingPolicies', 'createdObjects',
    'delegatedPermissionClassifications', 'endpoints', 'federatedIdentityCredentials',
    'homeRealmDiscoveryPolicies', 'memberOf', 'oauth2PermissionGrants', 'ownedObjects', 'owners',
    'remoteDesktopSecurityConfiguration', 'synchronization', 'tokenIssuancePolicies', 'tokenLifetimePolicies',
    'transitiveMemberOf',
    ],
  },
  appRoleAssignment: {
    structural: [
    'id', 'deletedDateTime', 'appRoleId', 'createdDateTime', 'principalDisplayName', 'principalId',
    'principalType', 'resourceDisplayName', 'resourceId',
    ],
    navigation: [
    
    ],
  },
} as const satisfies Record<string, { structural: readonly string[]; navigation: readonly string[] }>;

export type GraphTypeName = keyof typeof GRAPH_TYPES;
