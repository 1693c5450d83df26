export { createOneLoginAdapter } from './onelogin-adapter';
export { createOneLoginClient, type OneLoginClient, type CallOptions } from './onelogin-client';
export {
  resolveOneLoginSettings,
  tenantLabel,
  type OneLoginSettings,
  type OneLoginCredentials,
  type ResolvedOneLoginSettings,
} from './onelogin-settings';
export { OneLoginApiError, parseOneLoginErrorBody, toOneLoginError, type OneLoginErrorBody } from './onelogin-errors';
export { readAppSettings, parameterSource, type AppSettings } from './onelogin-app-settings';
export { userStatus } from './onelogin-status';
export { decodeCursorHeader } from './onelogin-paging';
export { PAGE_LIMITS, USER_STATUS_CODES, READ_SCOPE, type OneLoginStatusCode } from './onelogin-api-facts';
export { roleGroupId, v1GroupId } from './onelogin-read-snapshot';
export type { OneLoginApp, OneLoginRole, OneLoginUser, AppParameter } from './onelogin-schemas';
export {
  createOneLoginEventReceiver,
  oneLoginEventTargets,
  ONELOGIN_EVENTS_PATH,
  type OneLoginEventReceiverSettings,
} from './onelogin-event-receiver';
export {
  ONELOGIN_EVENT_TYPES,
  OneLoginWebhookEventSchema,
  type OneLoginWebhookEvent,
  type OneLoginEventTypeId,
} from './onelogin-event-types';
