import type { Activity } from './anthropic-compliance-schemas';
import type { AnthropicAdminEndpoints, CallOptions } from './anthropic-endpoints';

export interface ActivityPoll {
  /** New rows, oldest first, each once (the feed is at-least-once: rows are deduplicated on `id`). */
  activities: Activity[];
  /** Keep it and pass it as `sinceId` next time: the newest row seen. */
  firstId: string | null;
}

/**
 * The Compliance activity feed since the last poll (`read:compliance_activities` or
 * `read:org_audit`). Documented pattern: keep the newest row's id and pass it as `before_id`
 * until `has_more` is false. Without `sinceId`, the newest `limit` rows (a starting point).
 */
export async function pollActivities(
  endpoints: AnthropicAdminEndpoints,
  args: { sinceId?: string | null; limit?: number; organizationIds?: string[]; activityTypes?: string[] } = {},
  o?: CallOptions,
): Promise<ActivityPoll> {
  const filters = {
    ...(args.organizationIds?.length ? { organization_ids: args.organizationIds } : {}),
    ...(args.activityTypes?.length ? { activity_types: args.activityTypes } : {}),
  };
  const limit = args.limit ?? 1000;
  if (!args.sinceId) {
    const page = await endpoints.listActivities({ limit, ...filters }, o);
    return { activities: [...page.data].reverse(), firstId: page.first_id ?? null };
  }
  const seen = new Set<string>();
  const out: Activity[] = [];
  let cursor = args.sinceId;
  for (;;) {
    const page = await endpoints.listActivities({ before_id: cursor, limit, ...filters }, o);
    // Each page is newest first; pages go forward in time.
    for (const a of [...page.data].reverse()) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      out.push(a);
    }
    if (!page.has_more || !page.first_id || page.first_id === cursor)
      return { activities: out, firstId: page.first_id ?? cursor };
    cursor = page.first_id;
  }
}
