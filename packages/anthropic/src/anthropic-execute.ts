import { ApiCallError, ClaudeIdpError, delay, normalizeEmail, PermissionError, redactText } from '@claude-idp/core';
import { BILLING_SCREEN, PATHS } from './anthropic-api-facts';
import { errorCodeOf } from './anthropic-sdk';
import type { Op } from './anthropic-decide';
import type { AnthropicAdminEndpoints, CallOptions } from './anthropic-endpoints';

/** The API calls an op makes, for the trail (`POST /v1/organizations/invites`). */
export function describeOp(op: Op): string {
  switch (op.type) {
    case 'createInvite':
      return `POST ${PATHS.invites}`;
    case 'deleteInvite':
      return `DELETE ${PATHS.invites}/${op.inviteId}`;
    case 'updateRole':
      return `POST ${PATHS.users}/${op.userId}`;
    case 'removeUser':
      return `DELETE ${PATHS.users}/${op.userId}`;
  }
}

/** Retry settings of the write loop (the connection's `retry`). */
export interface WritePolicy {
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** A write the API answered with "no free seat": a bare 400 on an invite (no error_code, nothing bought). */
export class NoFreeSeatError extends Error {
  constructor(
    readonly email: string,
    override readonly cause: unknown,
  ) {
    super(
      `no free seat for ${email}: the invite was refused (400 without error_code; nothing was bought). Buy seats in ${BILLING_SCREEN}`,
    );
  }
}

const RE_READ_CODES = new Set(['change_outcome_unknown', 'api_key_requester_unconfirmed']);

/**
 * Runs an action's ops in order and returns the new vendor id (an invite's) if one was made.
 * Deletes that find nothing (404) count as done: the thing is already gone.
 *
 * Each write is sent with the SDK's retries off and retried here, because some answers mean
 * "look before you resend" (documented error codes):
 * - `invite_already_exists`, `already_member`: the write (or an earlier try of it) is in place:
 *   re-read, and count it done when the re-read shows it.
 * - 409 `concurrent_membership_change`, 429: nothing happened; wait (`retry-after`) and resend.
 * - 503 `change_outcome_unknown`, 403 `api_key_requester_unconfirmed`, other 5xx, no answer:
 *   the write may or may not have happened: re-read, and resend only if it did not.
 * - an invite refused with a bare 400 (no `error_code`): no free seat, a per-action failure.
 */
export async function runOps(
  endpoints: AnthropicAdminEndpoints,
  ops: readonly Op[],
  options: CallOptions,
  policy: WritePolicy = { maxRetries: 4, initialDelayMs: 500, maxDelayMs: 30_000 },
): Promise<{ newId?: string }> {
  let newId: string | undefined;
  for (const op of ops) {
    const id = await writeOnce(endpoints, op, options, policy);
    if (op.type === 'createInvite') newId = id ?? newId;
  }
  return { newId };
}

async function send(endpoints: AnthropicAdminEndpoints, op: Op, o: CallOptions): Promise<string | undefined> {
  switch (op.type) {
    case 'createInvite':
      return (await endpoints.createInvite(op.email, op.role, o)).id;
    case 'deleteInvite':
      await endpoints.deleteInvite(op.inviteId, o);
      return undefined;
    case 'updateRole':
      await endpoints.updateUserRole(op.userId, op.role, o);
      return undefined;
    case 'removeUser':
      await endpoints.removeUser(op.userId, o);
      return undefined;
  }
}

/** Re-reads the org for this op's effect: `{ done: true, id }` when it is already in place. */
async function inPlace(
  endpoints: AnthropicAdminEndpoints,
  op: Op,
  o: CallOptions,
): Promise<{ done: boolean; id?: string }> {
  switch (op.type) {
    case 'createInvite': {
      const want = normalizeEmail(op.email);
      const invite = (await endpoints.findPendingInvites(op.email, o)).find(
        (i) => normalizeEmail(i.email) === want && i.role === op.role,
      );
      if (invite) return { done: true, id: invite.id };
      const user = (await endpoints.findUsers(op.email, o)).find((u) => normalizeEmail(u.email) === want);
      return { done: Boolean(user) };
    }
    case 'deleteInvite': {
      const invite = await endpoints.getInvite(op.inviteId, o);
      return { done: invite?.status !== 'pending' };
    }
    case 'updateRole':
      return { done: (await endpoints.getUser(op.userId, o))?.role === op.role };
    case 'removeUser':
      return { done: (await endpoints.getUser(op.userId, o)) === null };
  }
}

async function writeOnce(
  endpoints: AnthropicAdminEndpoints,
  op: Op,
  o: CallOptions,
  policy: WritePolicy,
): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(endpoints, op, o);
    } catch (error) {
      if (o.abortSignal?.aborted) throw error;
      const code = errorCodeOf(error);
      const status = ApiCallError.isInstance(error) ? error.status : undefined;
      if (code === 'invite_already_exists' || code === 'already_member') {
        const found = await inPlace(endpoints, op, o);
        if (found.done) return found.id;
        throw error;
      }
      if (op.type === 'createInvite' && status === 400 && code === null) throw new NoFreeSeatError(op.email, error);
      const uncertain =
        (code !== null && RE_READ_CODES.has(code)) ||
        (ApiCallError.isInstance(error) && (status === undefined || (status >= 500 && status !== 529)));
      const resend = uncertain || status === 409 || status === 429 || status === 529;
      if (!resend || attempt >= policy.maxRetries) throw error;
      const wait =
        ApiCallError.isInstance(error) && error.retryAfterMs !== undefined
          ? error.retryAfterMs
          : Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
      await delay(wait, o.abortSignal);
      if (uncertain) {
        const found = await inPlace(endpoints, op, o);
        if (found.done) return found.id;
      }
    }
  }
}

/**
 * Whether an error ends the whole run (every later call would fail the same way: the key was
 * refused, the retry budget is spent, the API answers nonsense, the caller aborted) or only this
 * action (the API refused this one change: 400, 404, 409, 422).
 */
export function isFatal(error: unknown, abortSignal?: AbortSignal): boolean {
  if (abortSignal?.aborted) return true;
  if (error instanceof NoFreeSeatError) return false;
  if (PermissionError.isInstance(error)) return true;
  if (ApiCallError.isInstance(error)) return error.isRetryable || error.status === undefined;
  return !ClaudeIdpError.isInstance(error) || error.code !== 'API_CALL_FAILED';
}

/** An error as one safe line: the vendor's error type and message when there is one, redacted. */
export function errorText(error: unknown): string {
  if (error instanceof NoFreeSeatError) return redactText(error.message);
  if (ApiCallError.isInstance(error) && error.responseBody) {
    try {
      const body = JSON.parse(error.responseBody) as { error?: { type?: string; message?: string } };
      if (body.error?.type) return redactText(`HTTP ${error.status} ${body.error.type}: ${body.error.message ?? ''}`);
    } catch {
      // fall through to the message
    }
  }
  return redactText(error instanceof Error ? error.message : String(error));
}
