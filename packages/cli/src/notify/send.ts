import { ApiCallError, retryAfterMs, withRetry, type RetryPolicy } from '@claude-idp/core';
import { slackPayload, teamsPayload, webhookPayload, type NotifyEvent } from './payloads';
import { DELIVERY_HEADER, newDeliveryId, SIGNATURE_HEADER, signatureHeader } from './sign';
import type { NotifyTarget } from './targets';

export interface NotifyResult {
  target: NotifyTarget;
  ok: boolean;
  /** Attempts made (1 when the first succeeded). */
  attempts: number;
  /** Why it failed: status or network error, never the URL's secret parts. */
  error?: string;
}

export interface NotifyOptions {
  /** `CLAUDE_IDP_WEBHOOK_SECRET`: signs generic webhooks when set. */
  secret?: string;
  fetch?: typeof fetch;
  abortSignal?: AbortSignal;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  policy?: Partial<RetryPolicy>;
  now?: () => Date;
}

/** Retries: 429 and 5xx (honouring Retry-After) and network errors, up to 4 more attempts within a minute. */
export const NOTIFY_RETRY_POLICY: Partial<RetryPolicy> = {
  maxRetries: 4,
  initialDelayMs: 1000,
  maxDelayMs: 15_000,
  budgetMs: 60_000,
};

function body(target: NotifyTarget, event: NotifyEvent): string {
  if (target.kind === 'slack') return JSON.stringify(slackPayload(event));
  if (target.kind === 'teams') return JSON.stringify(teamsPayload(event));
  return JSON.stringify(webhookPayload(event));
}

/** Posts one notification, retrying what is retryable; resolves with the outcome (never throws for a failed delivery). */
export async function deliver(
  target: NotifyTarget,
  event: NotifyEvent,
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  const doFetch = options.fetch ?? fetch;
  const text = body(target, event);
  const delivery = newDeliveryId();
  let attempts = 0;
  try {
    await withRetry(
      async () => {
        attempts++;
        const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'claude-idp' };
        if (target.kind === 'webhook') {
          headers[DELIVERY_HEADER] = delivery;
          // Signed per attempt: the timestamp is when this attempt was sent.
          if (options.secret)
            headers[SIGNATURE_HEADER] = signatureHeader(
              options.secret,
              text,
              Math.floor((options.now?.() ?? new Date()).getTime() / 1000),
            );
        }
        const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
        const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
        let res: Response;
        try {
          res = await doFetch(target.url, { method: 'POST', headers, body: text, signal, redirect: 'error' });
        } catch (error) {
          if (options.abortSignal?.aborted) throw error;
          throw new ApiCallError({
            vendor: target.label,
            url: target.label,
            method: 'POST',
            message: `network error (${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message})`,
            isRetryable: true,
            cause: error,
          });
        }
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        throw new ApiCallError({
          vendor: target.label,
          url: target.label,
          method: 'POST',
          status: res.status,
          message: `HTTP ${res.status}`,
          isRetryable: res.status === 429 || res.status >= 500,
          retryAfterMs: retryAfterMs(res.headers),
        });
      },
      {
        vendor: target.label,
        resource: 'notification',
        policy: { ...NOTIFY_RETRY_POLICY, ...options.policy },
        abortSignal: options.abortSignal,
      },
    );
    return { target, ok: true, attempts };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const last = ApiCallError.isInstance(error) ? error : ApiCallError.isInstance(cause) ? cause : undefined;
    const why = last ? (last.status ? `HTTP ${last.status}` : last.message) : (error as Error).message;
    return { target, ok: false, attempts, error: `${why} after ${attempts} attempt${attempts === 1 ? '' : 's'}` };
  }
}

/** Sends to every target (concurrently); one failure does not stop the others. */
export function notifyAll(
  targets: NotifyTarget[],
  event: NotifyEvent,
  options: NotifyOptions = {},
): Promise<NotifyResult[]> {
  return Promise.all(targets.map((t) => deliver(t, event, options)));
}
