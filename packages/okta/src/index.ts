export { createOktaAdapter } from './okta-adapter';
export type { OktaAdapterSettings } from './okta-settings';
export { OKTA_STATUS, oktaStatus } from './okta-status';
export {
  oktaField,
  userNameField,
  nameIdField,
  nameIdFormat,
  emailAttribute,
  DEFAULT_USERNAME_TEMPLATE,
  type AttributeStatement,
  type UserNameTemplate,
} from './okta-fields';
export { OKTA_SCOPES, OKTA_ADMIN_ROLE, PAGE as OKTA_PAGE_SIZES } from './okta-api-facts';
export {
  createOktaEventReceiver,
  oktaEventTargets,
  OKTA_EVENT_TARGETS,
  OKTA_EVENT_HOOK_EVENT_TYPES,
  OKTA_EVENT_HOOK_PATH,
  type OktaEventReceiverSettings,
  type OktaEventHookBody,
  type OktaLogTarget,
} from './okta-events';
