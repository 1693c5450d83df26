import type { TenantChange } from '@claude-idp/core/testing';

/**
 * The Graph change notifications (before the subscription's fields are added) a tenant change
 * causes on `users` and `groups` subscriptions. Sources:
 * - api-reference/v1.0/resources/changenotification.md (microsoftgraph/microsoft-graph-docs-contrib):
 *   `changeType`, `resource` (`Users/{id}`, `Groups/{id}`), `resourceData`.
 * - Azure docs, articles/event-grid/azure-active-directory-events.md (the same payload on the
 *   Event Grid channel): `resourceData` has `@odata.type` (`#Microsoft.Graph.User` / `.Group`),
 *   `@odata.id`, `id`, `organizationId`, `eventTime`, `sequenceNumber`; creation and soft deletion
 *   are `updated`, permanent deletion `deleted`.
 * - The group delta reference (api-reference/v1.0/api/group-delta.md): `members@delta` lists
 *   `{id}` for an added member and `{id, "@removed": {reason}}` for a removed one.
 */
export interface GraphNotice {
  /** The subscription resource it matches: `users` or `groups`. */
  resource: 'users' | 'groups';
  changeType: 'updated' | 'deleted';
  /** The notification's `resource`. */
  path: string;
  resourceData: Record<string, unknown>;
}

export function graphNotifications(
  change: TenantChange,
  ctx: {
    graphId: (kind: 'user' | 'group', genericId: string) => string;
    tenantId: string;
    eventTime: string;
    /** The next sequence number. */
    sequence: () => number;
  },
): GraphNotice[] {
  const notice = (
    kind: 'user' | 'group',
    id: string,
    changeType: 'updated' | 'deleted',
    delta?: { id: string; removed: boolean }[],
  ): GraphNotice => {
    const gid = ctx.graphId(kind, id);
    const path = `${kind === 'user' ? 'Users' : 'Groups'}/${gid}`;
    const members = delta?.map((m) => (m.removed ? { id: m.id, '@removed': { reason: 'deleted' } } : { id: m.id }));
    return {
      resource: kind === 'user' ? 'users' : 'groups',
      changeType,
      path,
      resourceData: {
        '@odata.type': `#Microsoft.Graph.${kind === 'user' ? 'User' : 'Group'}`,
        '@odata.id': path,
        id: gid,
        organizationId: ctx.tenantId,
        eventTime: ctx.eventTime,
        sequenceNumber: ctx.sequence(),
        ...(members ? { 'members@delta': members } : {}),
      },
    };
  };
  const membership = (group: string, kind: 'user' | 'group', member: string, removed: boolean) => [
    notice('group', group, 'updated', [{ id: ctx.graphId(kind, member), removed }]),
  ];
  switch (change.type) {
    // `updated` covers creation and soft deletion: a deleted user waits 30 days in the recycle bin.
    case 'user.created':
    case 'user.updated':
    case 'user.deleted':
      return [notice('user', change.user.id, 'updated')];
    case 'group.created':
    case 'group.renamed':
      return [notice('group', change.group.id, 'updated')];
    // Security groups (the fake's) are deleted permanently at once.
    case 'group.deleted':
      return [notice('group', change.group.id, 'deleted')];
    case 'group.member.added':
    case 'group.member.removed':
      return membership(change.group.id, 'user', change.user.id, change.type === 'group.member.removed');
    case 'group.nested.added':
    case 'group.nested.removed':
      return membership(change.group.id, 'group', change.member.id, change.type === 'group.nested.removed');
    // App role assignments and the app's settings are not users or groups: Graph sends no
    // notification on a users / groups subscription for them (watch's periodic full read sees them).
    default:
      return [];
  }
}
