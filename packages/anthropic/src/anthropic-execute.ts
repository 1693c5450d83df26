import { ApiCallError, ClaudeIdpError, PermissionError, redactText } from '@claude-idp/core';
import { PATHS } from './anthropic-api-facts';
import type { Op } from './anthropic-decide';
import type { AnthropicAdminEndpoints } from './anthropic-endpoints';
import type { CallOptions } from './anthropic-http';

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

/**
 * Runs an action's ops in order and returns the new vendor id (an invite's) if one was made.
 * Deletes that find nothing (404) count as done: the thing is already gone.
 */
export async function runOps(endpoints: AnthropicAdminEndpoints, ops: readonly Op[], options: CallOptions): Promise<{ newId?: string }> {
  let newId: string | undefined;
  for (const op of ops) {
    switch (op.type) {
      case 'createInvite':
        newId = (await endpoints.createInvite(op.email, op.role, options)).id;
        break;
      case 'deleteInvite':
        await endpoints.deleteInvite(op.inviteId, options);
        break;
      case 'updateRole':
        await endpoints.updateUserRole(op.userId, op.role, options);
        break;
      case 'removeUser':
        await endpoints.removeUser(op.userId, options);
        break;
    }
  }
  return { newId };
}

/**
 * Whether an error ends the whole run (every later call would fail the same way: the key was
 * refused, the retry budget is spent, the API answers nonsense, the caller aborted) or only this
 * action (the API refused this one change: 400, 404, 409, 422).
 */
export function isFatal(error: unknown, abortSignal?: AbortSignal): boolean {
  if (abortSignal?.aborted) return true;
  if (PermissionError.isInstance(error)) return true;
  if (ApiCallError.isInstance(error)) return error.isRetryable || error.status === undefined;
  return !ClaudeIdpError.isInstance(error) || error.code !== 'API_CALL_FAILED';
}

/** An error as one safe line: the vendor's error type and message when there is one, redacted. */
export function errorText(error: unknown): string {
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
