export { createGoogleAdapter } from './google-adapter';
export {
  type GoogleAdapterSettings,
  GOOGLE_DIRECTORY_SCOPES,
  GOOGLE_REPORTS_SCOPE,
  DEFAULT_GOOGLE_API_URL,
} from './google-settings';
export { createGoogleEventReceiver, GOOGLE_EVENTS_PATH, type GoogleEventReceiverSettings } from './google-receiver';
export { GOOGLE_CHANNEL_MAX_TTL_SECONDS, type GoogleChannelSettings } from './google-channels';
export { GOOGLE_WATCHES, type GoogleWatch } from './google-channel-book';
export {
  loadGoogleDeclaration,
  parseGoogleDeclaration,
  googleSourcePath,
  GoogleAppDeclarationSchema,
  GoogleDeclarationFileSchema,
  GOOGLE_NAME_ID_FORMATS,
  GOOGLE_SOURCE_LABELS,
  type GoogleAppDeclaration,
  type GoogleDeclarationFile,
  type GoogleNameIdFormat,
  type ParsedGoogleApp,
  type ParsedGoogleDeclaration,
} from './google-declaration';
export { googleUserStatus, googleFieldValue } from './google-snapshot';
export { GOOGLE_RATE_LIMIT_REASONS } from './google-errors';
export { GOOGLE_PAGE_SIZES } from './google-limits';
export { hasOrgUnitAccess } from './google-org-units';
