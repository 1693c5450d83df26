import { randomUUID } from 'node:crypto';
import type { RecordedRequest, VendorErrorAnswer } from '@claude-idp/core/testing';

/**
 * Okta's error code and summary per HTTP status (developer.okta.com/docs/reference/error-codes):
 * what an injected status fault answers, in the spec's `ModelError` shape. 502 and 504 come from
 * Okta's edge with no code of their own; they answer as the 500 does.
 */
const BY_STATUS: Record<number, { code: string; summary: string }> = {
  400: { code: 'E0000001', summary: 'Api validation failed' },
  401: { code: 'E0000011', summary: 'Invalid token provided' },
  403: { code: 'E0000006', summary: 'You do not have permission to perform the requested action' },
  404: { code: 'E0000007', summary: 'Not found: Resource not found' },
  405: { code: 'E0000022', summary: 'The endpoint does not support the provided HTTP method' },
  429: { code: 'E0000047', summary: 'API call exceeded rate limit due to too many requests.' },
  500: { code: 'E0000009', summary: 'Internal Server Error' },
  501: { code: 'E0000060', summary: 'Unsupported operation.' },
  503: { code: 'E0000010', summary: 'Service is in read only mode' },
};

/** Okta's error body (spec `ModelError`): errorCode, errorSummary, errorLink (the code), errorId, errorCauses. */
export function oktaErrorBody(errorCode: string, errorSummary: string, causes: string[] = []) {
  return {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: `oae${randomUUID().replace(/-/g, '').slice(0, 22)}`,
    errorCauses: causes.map((s) => ({ errorSummary: s })),
  };
}

/**
 * The Okta fake's `FakeKit` error hook: the body Okta sends for `status`, with the headers every
 * Okta answer carries (`headersFor`: the path's X-Rate-Limit-*, X-Okta-Request-Id, Date). A
 * `message` (what the fake does not model) becomes the summary's cause.
 */
export function oktaErrorAnswer(headersFor: (pathname: string) => Record<string, string>) {
  return (status: number, request: RecordedRequest, message?: string): VendorErrorAnswer => {
    const known = BY_STATUS[status] ?? BY_STATUS[status >= 500 ? 500 : 400]!;
    return {
      headers: headersFor(request.pathname),
      body: oktaErrorBody(known.code, known.summary, message ? [message] : []),
    };
  };
}
