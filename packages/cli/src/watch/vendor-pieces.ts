import type { ActivityWatcher } from '@claude-idp/anthropic';
import type { IdpEventReceiverV1 } from '@claude-idp/core';
import type { LiveIdp } from '../cli-adapters';

const FACTORY: Record<LiveIdp, string> = {
  okta: 'createOktaEventReceiver',
  entra: 'createEntraEventReceiver',
  google: 'createGoogleEventReceiver',
  onelogin: 'createOneLoginEventReceiver',
};

/**
 * The IdP's event receiver (`create<Vendor>EventReceiver` from the adapter package's main entry),
 * loaded on demand like the adapters. Null when the installed package has none: `watch` then
 * runs on its periodic full reads alone, and says so.
 */
export async function loadEventReceiver(
  kind: LiveIdp,
  settings: { env: NodeJS.ProcessEnv },
): Promise<IdpEventReceiverV1 | null> {
  const mod = (await importAdapterPackage(kind)) as Record<string, unknown>;
  const factory = mod[FACTORY[kind]];
  if (typeof factory !== 'function') return null;
  return (factory as (s: { env: NodeJS.ProcessEnv }) => IdpEventReceiverV1)(settings);
}

function importAdapterPackage(kind: LiveIdp): Promise<unknown> {
  switch (kind) {
    case 'okta':
      return import('@claude-idp/okta');
    case 'entra':
      return import('@claude-idp/entra');
    case 'google':
      return import('@claude-idp/google');
    case 'onelogin':
      return import('@claude-idp/onelogin');
  }
}

export const EVENT_RECEIVER_FACTORY = FACTORY;

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
