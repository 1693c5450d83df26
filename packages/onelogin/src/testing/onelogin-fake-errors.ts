import type { RecordedRequest, VendorErrorAnswer } from '@claude-idp/core/testing';

/**
 * The `name` OneLogin's v2 API gives each status (api-docs/2: `UnauthorizedError`, `NotFoundError`,
 * `UnprocessableEntityError`; the same naming for the rest).
 */
const V2_NAME: Record<number, string> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  422: 'UnprocessableEntityError',
  429: 'TooManyRequestsError',
  500: 'InternalServerError',
  501: 'NotImplementedError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
  504: 'GatewayTimeoutError',
};
/** The v1 envelope's `type` and `message` per status (api-docs/1: "bad request", "Unauthorized", "not found"). */
const V1: Record<number, { type: string; message: string }> = {
  400: { type: 'bad request', message: 'Authorization Information is incorrect' },
  401: { type: 'Unauthorized', message: 'Authentication Failure' },
  404: { type: 'not found', message: 'No Route Exists' },
};
const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** OneLogin's v2 error body: `{"message","statusCode","name"}` (api-docs/2 samples). */
export function v2ErrorBody(
  status: number,
  message: string,
  name = V2_NAME[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequestError'),
) {
  return { message, statusCode: status, name };
}

/** OneLogin's v1 error envelope: `{"status":{"error":true,"code","type","message"}}` (api-docs/1 samples). */
export function v1ErrorBody(status: number, type: string, message: string) {
  return { status: { error: true, code: status, type, message } };
}

/**
 * The OneLogin fake's `FakeKit` error hook: the v1 envelope on /api/1, the v2 body elsewhere, with
 * the X-RateLimit-* headers every OneLogin answer carries (`rateHeaders`). A `message` (what the
 * fake does not model) replaces OneLogin's.
 */
export function oneLoginErrorAnswer(rateHeaders: () => Record<string, string>) {
  return (status: number, request: RecordedRequest, message?: string): VendorErrorAnswer => {
    const text = message ?? REASON[status] ?? 'Error';
    if (request.pathname.startsWith('/api/1/')) {
      const v1 = V1[status];
      return {
        headers: rateHeaders(),
        body: v1ErrorBody(
          status,
          v1?.type ?? (REASON[status] ?? 'error').toLowerCase(),
          message ?? v1?.message ?? text,
        ),
      };
    }
    return { headers: rateHeaders(), body: v2ErrorBody(status, text) };
  };
}
