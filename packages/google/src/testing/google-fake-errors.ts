import type { RecordedRequest, VendorErrorAnswer } from '@claude-idp/core/testing';

/**
 * Google's error per HTTP status for an injected status fault: the legacy `errors[]` item (reason,
 * domain) and the canonical `status` of Google's API error model (cloud.google.com/apis/design/errors),
 * as the Directory API answers them.
 */
const BY_STATUS: Record<number, { reason: string; domain: string; status: string; message: string }> = {
  400: { reason: 'badRequest', domain: 'global', status: 'INVALID_ARGUMENT', message: 'Bad Request' },
  401: { reason: 'authError', domain: 'global', status: 'UNAUTHENTICATED', message: 'Invalid Credentials' },
  403: {
    reason: 'forbidden',
    domain: 'global',
    status: 'PERMISSION_DENIED',
    message: 'Not Authorized to access this resource/api',
  },
  404: { reason: 'notFound', domain: 'global', status: 'NOT_FOUND', message: 'Resource Not Found' },
  429: {
    reason: 'rateLimitExceeded',
    domain: 'usageLimits',
    status: 'RESOURCE_EXHAUSTED',
    message: 'Rate Limit Exceeded',
  },
  500: { reason: 'backendError', domain: 'global', status: 'INTERNAL', message: 'Internal error encountered.' },
  501: {
    reason: 'notImplemented',
    domain: 'global',
    status: 'UNIMPLEMENTED',
    message: 'Operation is not implemented, or supported, or enabled.',
  },
  502: { reason: 'backendError', domain: 'global', status: 'UNAVAILABLE', message: 'Bad Gateway' },
  503: {
    reason: 'backendError',
    domain: 'global',
    status: 'UNAVAILABLE',
    message: 'The service is currently unavailable.',
  },
  504: { reason: 'backendError', domain: 'global', status: 'DEADLINE_EXCEEDED', message: 'Deadline exceeded.' },
};

/**
 * The Google fake's `FakeKit` error hook: `{"error":{"code","message","errors":[{"message","domain",
 * "reason"}],"status"}}`, JSON as Google sends it (`application/json; charset=UTF-8`). A `message`
 * (what the fake does not model) replaces Google's.
 */
export function googleErrorAnswer(status: number, _request: RecordedRequest, message?: string): VendorErrorAnswer {
  const known = BY_STATUS[status] ?? BY_STATUS[status >= 500 ? 500 : 400]!;
  const text = message ?? known.message;
  return {
    headers: { 'content-type': 'application/json; charset=UTF-8', vary: 'Origin, X-Origin, Referer' },
    body: {
      error: {
        code: status,
        message: text,
        errors: [{ message: text, domain: known.domain, reason: known.reason }],
        status: known.status,
      },
    },
  };
}
