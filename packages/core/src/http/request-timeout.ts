import { ApiCallError } from '../errors/api-call-error';
import { ConfigurationError } from '../errors/configuration-error';

/**
 * Per-request timeout when none is set: 20 s. A page of users (Okta 200, Graph 999 with
 * `$select`, Google 500 with a field mask, OneLogin 1,000) answers in well under 5 s even on a
 * busy tenant; a request still silent after 20 s is a held connection, and waiting longer only
 * delays the retry that usually succeeds. Within the default retry budget (120 s) a read that
 * never gets an answer fails after about five tries instead of hanging.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

/**
 * The per-request timeout from an adapter's settings: `requestTimeoutMs`, or the older
 * `timeoutMs` (deprecated alias), else the default. Anything but a positive number of ms is a
 * ConfigurationError naming the setting.
 */
export function resolveRequestTimeoutMs(settings: { requestTimeoutMs?: number; timeoutMs?: number }): number {
  const setting = settings.requestTimeoutMs !== undefined ? 'requestTimeoutMs' : 'timeoutMs';
  const value = settings.requestTimeoutMs ?? settings.timeoutMs;
  if (value === undefined) return DEFAULT_REQUEST_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError({
      setting,
      message: `${setting} must be a positive number of milliseconds (got ${JSON.stringify(value)})`,
    });
  }
  return value;
}

export interface RequestDeadline {
  /** Aborts when the timeout expires or the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** True once the timeout (not the caller) aborted the request. */
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  /** Clears the timer; call when the answer (body included) has been read. */
  done(): void;
}

/**
 * A per-request deadline joined to the caller's abort signal. Built on a plain timer and an
 * AbortController rather than `AbortSignal.timeout` + `AbortSignal.any`: Node 20 holds the
 * sources of `AbortSignal.any` weakly, so a timeout signal nothing else references can be
 * garbage-collected before it fires, and a request on a held connection then never ends. The
 * timer here references its controller, so it fires. It is unref'd: a finished request whose
 * `done()` was missed never keeps the process alive.
 */
export function startRequestDeadline(timeoutMs: number, callerSignal?: AbortSignal): RequestDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    callerSignal?.removeEventListener('abort', onCallerAbort);
    controller.abort(new DOMException(`The request timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    timeoutMs,
    done() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/**
 * A request that got no (complete) answer as a retryable `ApiCallError`: kind `timeout` ("timed out
 * after N ms") when the deadline fired, else `network` ("<what>: <cause>"). The caller's own abort
 * is the caller's to pass through untouched.
 */
export function noAnswerError(
  args: {
    vendor: string;
    url: string;
    method: string;
    deadline: RequestDeadline;
    status?: number;
    isTimeout?: (error: unknown) => boolean;
  },
  error: unknown,
  what: string,
): ApiCallError {
  const timedOut = args.deadline.timedOut || Boolean(args.isTimeout?.(error));
  const timeoutMs = args.deadline.timeoutMs;
  return new ApiCallError({
    vendor: args.vendor,
    url: args.url,
    method: args.method,
    status: args.status,
    ...(timedOut ? { kind: 'timeout' as const, timeoutMs } : { kind: 'network' as const }),
    message: timedOut
      ? `${args.method} ${args.url} timed out after ${timeoutMs} ms`
      : `${args.method} ${args.url} ${what}: ${(error as Error)?.message ?? String(error)}`,
    isRetryable: true,
    cause: error,
  });
}
