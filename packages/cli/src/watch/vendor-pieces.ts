import type { ActivityWatcher } from '@claude-idp/anthropic';
import type { IdpEventReceiverV1 } from '@claude-idp/core';
import type { LiveIdp } from '../cli-adapters';

/**
 * The IdP's event receiver (`create<Vendor>EventReceiver` from the adapter package's main entry),
 * loaded on demand like the adapters, its secrets read from `env`. Throws the receiver's
 * ConfigurationError (exit 2) when a required secret is missing.
 */
export async function loadEventReceiver(
  kind: LiveIdp,
  settings: { env: NodeJS.ProcessEnv },
): Promise<IdpEventReceiverV1> {
  switch (kind) {
    case 'okta':
      return (await import('@claude-idp/okta')).createOktaEventReceiver(settings);
    case 'entra':
      return (await import('@claude-idp/entra')).createEntraEventReceiver(settings);
    case 'google':
      return (await import('@claude-idp/google')).createGoogleEventReceiver(settings);
    case 'onelogin':
      return (await import('@claude-idp/onelogin')).createOneLoginEventReceiver(settings);
  }
}

/** One poll of Claude's Compliance activity feed (`createActivityWatcher` from @claude-idp/anthropic). */
export type ClaudeActivityPoll = Pick<ActivityWatcher, 'poll' | 'lastId'>;

/**
 * The Claude activity poller for the config's orgs, resuming after `lastId` (nothing missed while
 * the watcher was down; without one it starts from the newest activity).
 */
export async function loadClaudeActivity(settings: {
  env: NodeJS.ProcessEnv;
  orgIds: readonly string[];
  lastId: string | null;
}): Promise<ClaudeActivityPoll> {
  const { createActivityWatcher } = await import('@claude-idp/anthropic');
  return createActivityWatcher({ env: settings.env, organizationIds: settings.orgIds, sinceId: settings.lastId });
}
