export { ClaudeIdpError } from './claude-idp-error';
export { InputError, type InputIssue } from './input-error';
export { ApiCallError, MalformedResponseError, type ApiCallErrorKind } from './api-call-error';
export { PermissionError } from './permission-error';
export { IncompleteReadError } from './incomplete-read-error';
export { GuardRefusalError, type GuardBreach } from './guard-refusal-error';
export { ConfigurationError } from './configuration-error';
export { redactText, redactHeaders, redactUrl, registerSecret } from './redact';
