import { IncompleteReadError } from '@claude-idp/core';
import { INVITE_STATUSES } from './anthropic-api-facts';

/** `User` as the Admin API returns it (reference: Users → Domain Types → User). */
export interface AnthropicUser {
  type: 'user';
  id: string;
  added_at: string;
  email: string;
  name: string;
  role: string;
}

/** `Invite` (reference: Invites → Domain Types → Invite); newer pages add `accepted_at`, `rbac_group_ids`. */
export interface AnthropicInvite {
  type: 'invite';
  id: string;
  email: string;
  expires_at: string;
  invited_at: string;
  role: string;
  status: (typeof INVITE_STATUSES)[number];
  accepted_at?: string | null;
  rbac_group_ids?: string[];
}

export interface AnthropicList<T> {
  data: T[];
  first_id: string | null;
  has_more: boolean;
  last_id: string | null;
}

export interface AnthropicOrganization {
  type: 'organization';
  id: string;
  name: string;
}

export interface AnthropicDeleted {
  id: string;
  type: 'user_deleted' | 'invite_deleted';
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id?: string;
}

// The package has no zod of its own (core's is not re-exported), so payloads are checked by
// these small guards. A payload that fails one is a broken read, never a smaller org (SPEC §5).

type Check = (v: unknown) => string | null;
const str: Check = (v) => (typeof v === 'string' ? null : 'a string');
const obj =
  (fields: Record<string, Check>): Check =>
  (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'an object';
    for (const [k, check] of Object.entries(fields)) {
      const bad = check((v as Record<string, unknown>)[k]);
      if (bad) return `${k}: ${bad}`;
    }
    return null;
  };
const literal =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `one of ${values.join(', ')}`;
const nullableStr: Check = (v) => (v === null || typeof v === 'string' ? null : 'a string or null');

export const userCheck = obj({ type: literal('user'), id: str, email: str, role: str, added_at: str });
export const inviteCheck = obj({
  type: literal('invite'),
  id: str,
  email: str,
  role: str,
  status: literal(...INVITE_STATUSES),
  expires_at: str,
  invited_at: str,
});
export const organizationCheck = obj({ type: literal('organization'), id: str, name: str });
export const deletedCheck = (type: AnthropicDeleted['type']) => obj({ id: str, type: literal(type) });

export function listCheck(item: Check): Check {
  return (v) => {
    const head = obj({ first_id: nullableStr, last_id: nullableStr })(v);
    if (head) return head;
    const body = v as Record<string, unknown>;
    if (typeof body.has_more !== 'boolean') return 'has_more: a boolean';
    if (!Array.isArray(body.data)) return 'data: an array';
    for (let i = 0; i < body.data.length; i++) {
      const bad = item(body.data[i]);
      if (bad) return `data[${i}].${bad}`;
    }
    return null;
  };
}

/** Returns the payload typed, or throws `IncompleteReadError` naming the resource and the field. */
export function expectShape<T>(value: unknown, check: Check, resource: string): T {
  const bad = check(value);
  if (bad) {
    throw new IncompleteReadError({
      vendor: 'anthropic',
      resource,
      reason: 'malformed-response',
      message: `anthropic: ${resource} answered an unexpected payload (${bad} expected)`,
    });
  }
  return value as T;
}

/** The vendor's `error.type` and message from an error body, if it has the documented shape. */
export function parseErrorBody(text: string | undefined): { type: string; message: string } | null {
  if (!text) return null;
  try {
    const body = JSON.parse(text) as Partial<AnthropicErrorBody>;
    if (body?.type === 'error' && typeof body.error?.type === 'string')
      return { type: body.error.type, message: String(body.error.message ?? '') };
  } catch {
    // not JSON: a proxy or load balancer answered, not the API
  }
  return null;
}
