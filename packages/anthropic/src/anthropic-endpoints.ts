import { normalizeEmail } from '@claude-idp/core';
import { PATHS } from './anthropic-api-facts';
import { call, listAll, type CallOptions } from './anthropic-http';
import {
  deletedCheck,
  inviteCheck,
  organizationCheck,
  userCheck,
  type AnthropicDeleted,
  type AnthropicInvite,
  type AnthropicOrganization,
  type AnthropicUser,
} from './anthropic-schemas';
import type { ResolvedConnection } from './anthropic-settings';

/** The Admin API endpoints this package uses, one function each, in the vendor's own shapes. */
export interface AnthropicAdminEndpoints {
  getOrganization(options?: CallOptions): Promise<AnthropicOrganization>;
  listUsers(options?: CallOptions): Promise<AnthropicUser[]>;
  listInvites(options?: CallOptions): Promise<AnthropicInvite[]>;
  updateUserRole(userId: string, role: string, options?: CallOptions): Promise<AnthropicUser>;
  /** Returns null when the user is already gone (404): removing is idempotent. */
  removeUser(userId: string, options?: CallOptions): Promise<AnthropicDeleted | null>;
  createInvite(email: string, role: string, options?: CallOptions): Promise<AnthropicInvite>;
  /** Returns null when the invite is already gone (404). */
  deleteInvite(inviteId: string, options?: CallOptions): Promise<AnthropicDeleted | null>;
}

export function createEndpoints(conn: () => ResolvedConnection): AnthropicAdminEndpoints {
  const enc = encodeURIComponent;
  const endpoints: AnthropicAdminEndpoints = {
    getOrganization: (o) => call(conn, { method: 'GET', path: PATHS.me, check: organizationCheck }, o),
    listUsers: (o) => listAll<AnthropicUser>(conn, PATHS.users, 'users', userCheck, o),
    listInvites: (o) => listAll<AnthropicInvite>(conn, PATHS.invites, 'invites', inviteCheck, o),
    updateUserRole: (id, role, o) => call(conn, { method: 'POST', path: `${PATHS.users}/${enc(id)}`, body: { role }, check: userCheck }, o),
    removeUser: (id, o) => call(conn, { method: 'DELETE', path: `${PATHS.users}/${enc(id)}`, check: deletedCheck('user_deleted'), notFoundIsNull: true }, o),
    deleteInvite: (id, o) => call(conn, { method: 'DELETE', path: `${PATHS.invites}/${enc(id)}`, check: deletedCheck('invite_deleted'), notFoundIsNull: true }, o),
    createInvite: (email, role, o) =>
      call(
        conn,
        {
          method: 'POST',
          path: PATHS.invites,
          body: { email, role },
          check: inviteCheck,
          // Creating an invite is not idempotent: after a lost answer, look for the invite the
          // first try may have made before sending another.
          beforeRetry: async () => {
            const want = normalizeEmail(email);
            const invites = await endpoints.listInvites(o);
            return invites.find((i) => i.status === 'pending' && normalizeEmail(i.email) === want && i.role === role) ?? null;
          },
        },
        o,
      ),
  };
  return endpoints;
}
