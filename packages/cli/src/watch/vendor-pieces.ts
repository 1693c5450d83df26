import type { IdpEventReceiverV1, WatchEvent } from '@claude-idp/core';
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

/** One poll of Claude's Compliance activity feed: the events since `lastId`, and the new last id. */
export interface ClaudeActivityPoll {
  poll(args: { abortSignal?: AbortSignal }): Promise<{ events: WatchEvent[]; lastId: string | null }>;
  readonly lastId: string | null;
}

/**
 * The Claude activity poller (`createActivityWatcher` from @claude-idp/anthropic) for the config's
 * orgs, resuming after `lastId` (nothing missed while the watcher was down). Null when the
 * installed package has none.
 */
export async function loadClaudeActivity(settings: {
  env: NodeJS.ProcessEnv;
  orgIds: readonly string[];
  lastId: string | null;
}): Promise<ClaudeActivityPoll | null> {
  const mod = (await import('@claude-idp/anthropic')) as Record<string, unknown>;
  const factory = mod.createActivityWatcher;
  if (typeof factory !== 'function') return null;
  return (
    factory as (s: {
      env: NodeJS.ProcessEnv;
      organizationIds: readonly string[];
      sinceId: string | null;
    }) => ClaudeActivityPoll
  )({ env: settings.env, organizationIds: settings.orgIds, sinceId: settings.lastId });
}
