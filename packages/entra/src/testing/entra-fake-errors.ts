import { randomUUID } from 'node:crypto';
import type { RecordedRequest, VendorErrorAnswer } from '@claude-idp/core/testing';

/**
 * Graph's error code and message per HTTP status, for an injected status fault: the directory
 * codes Graph answers on /users, /groups and /servicePrincipals for 4xx, and the codes of Graph's
 * error reference (learn.microsoft.com/graph/errors) for 5xx.
 */
const BY_STATUS: Record<number, { code: string; message: string }> = {
  400: { code: 'Request_BadRequest', message: 'Invalid request.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' },
  403: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
  404: {
    code: 'Request_ResourceNotFound',
    message: 'Resource does not exist or one of its queried reference-property objects are not present.',
  },
  429: { code: 'TooManyRequests', message: 'Too many requests.' },
  500: { code: 'generalException', message: 'An unspecified error has occurred.' },
  501: { code: 'notSupported', message: 'The request is not supported by the system.' },
  503: { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable. Try again later.' },
  504: { code: 'UnknownError', message: 'The operation has timed out.' },
};

/**
 * The Entra fake's `FakeKit` error hook: Graph's error envelope
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}` with the
 * `request-id` and `client-request-id` headers Graph sends (the client's own `client-request-id`
 * echoed when it sent one). A `message` (what the fake does not model) replaces Graph's.
 */
export function graphErrorAnswer(status: number, request: RecordedRequest, message?: string): VendorErrorAnswer {
  const known = BY_STATUS[status] ?? BY_STATUS[status >= 500 ? 500 : 400]!;
  const requestId = randomUUID();
  const clientRequestId = request.headers['client-request-id'] ?? requestId;
  return {
    headers: { 'request-id': requestId, 'client-request-id': clientRequestId },
    body: {
      error: {
        code: known.code,
        message: message ?? known.message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': clientRequestId,
        },
      },
    },
  };
}
