import { InputError } from '@claude-idp/core';
import { PAGE_LIMITS } from './onelogin-api-facts';
import { OneLoginApiError } from './onelogin-errors';
import type { CallOptions, OneLoginClient } from './onelogin-client';
import { AppSchema, AppSummarySchema, type OneLoginApp } from './onelogin-schemas';

/**
 * The app by id (all digits: GET /api/2/apps/{id}) or by exact name. Names go through the list's
 * `name` filter, which matches the whole name unless it holds a `*` wildcard (api-docs/2/apps/
 * list-apps: partial matches need `*`), so the filter is the name itself; the answer is then
 * matched exactly (case-sensitively first), and two apps with one name are an error, not a guess.
 */
export async function findApp(
  client: OneLoginClient,
  ref: string | undefined,
  options: CallOptions,
): Promise<OneLoginApp> {
  if (!ref) {
    throw new InputError({
      source: '--app',
      issues: [{ path: 'app', expected: 'the OneLogin app id or name (pass --app, or set ONELOGIN_APP_ID)' }],
    });
  }
  if (/^\d+$/.test(ref)) {
    try {
      return await client.get(`/api/2/apps/${ref}`, {}, AppSchema, `apps/${ref}`, options);
    } catch (error) {
      // A 404 for an all-digit reference may still be an app *named* "123": fall through to names.
      if (!(OneLoginApiError.isInstance(error) && error.status === 404)) throw error;
    }
  }
  const candidates = await client.list(
    '/api/2/apps',
    // Only the fields needed (api-docs/2/getting-started/using-query-parameters: `fields=id,name`).
    {
      filters: { name: ref.replace(/\*/g, ''), fields: 'id,name' },
      limit: PAGE_LIMITS.apps,
      schema: AppSummarySchema,
      resource: 'apps',
    },
    options,
  );
  let matches = candidates.filter((a) => a.name === ref);
  if (matches.length === 0) matches = candidates.filter((a) => a.name.toLowerCase() === ref.toLowerCase());
  if (matches.length !== 1) {
    throw new InputError({
      source: '--app',
      issues: [
        {
          path: 'app',
          expected:
            matches.length === 0
              ? 'an app id or exact app name in this OneLogin account'
              : 'a unique app name (several apps have it; pass the app id)',
          received: JSON.stringify(ref),
        },
      ],
      message:
        matches.length === 0
          ? `OneLogin has no app with id or name "${ref}"`
          : `OneLogin has ${matches.length} apps named "${ref}" (ids ${matches.map((m) => m.id).join(', ')}); pass the app id`,
    });
  }
  return client.get(`/api/2/apps/${matches[0]!.id}`, {}, AppSchema, `apps/${matches[0]!.id}`, options);
}
