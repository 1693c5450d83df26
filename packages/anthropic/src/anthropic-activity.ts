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
 * until `has_more` is false. Without `sinceId`, the newest `limit` rows (a starting point), or
 * with `whole` every row, paged back in time with `after_id` (`last_id`) until `has_more` is false.
 */
export async function pollActivities(
  endpoints: AnthropicAdminEndpoints,
  args: {
    sinceId?: string | null;
    limit?: number;
    organizationIds?: string[];
    activityTypes?: string[];
    /** Without `sinceId`: every row (paged back with `after_id` = `last_id`), not just the newest `limit`. */
    whole?: boolean;
  } = {},
  o?: CallOptions,
): Promise<ActivityPoll> {
  const filters = {
    ...(args.organizationIds?.length ? { organization_ids: args.organizationIds } : {}),
    ...(args.activityTypes?.length ? { activity_types: args.activityTypes } : {}),
  };
  const limit = args.limit ?? 1000;
  if (!args.sinceId) {
    const page = await endpoints.listActivities({ limit, ...filters }, o);
    if (!args.whole) return { activities: [...page.data].reverse(), firstId: page.first_id ?? null };
    const rows = [...page.data];
    let cursor = page.last_id;
    let more = page.has_more;
    while (more && cursor) {
      const older = await endpoints.listActivities({ after_id: cursor, limit, ...filters }, o);
      rows.push(...older.data);
      if (!older.last_id || older.last_id === cursor) break;
      cursor = older.last_id;
      more = older.has_more;
    }
    const seen = new Set<string>();
    const out = rows.reverse().filter((a) => !seen.has(a.id) && Boolean(seen.add(a.id)));
    return { activities: out, firstId: page.first_id ?? null };
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
