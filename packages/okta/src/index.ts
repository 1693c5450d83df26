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
