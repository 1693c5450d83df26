import { describe, expect, it } from 'vitest';
import { ConfigurationError, PermissionError } from '@claude-idp/core';
import {
  createActivityWatcher,
  createAnthropicAdminClient,
  type Activity,
  type AnthropicAdminEndpoints,
} from './index';
import { consoleMembers, FAST_RETRY, ORG, setup, useMswServer } from './__support__/anthropic-test-support';

const server = useMswServer();
const feedRequests = (fake: ReturnType<typeof setup>['fake']) =>
  fake.kit.requests.filter((r) => r.pathname === '/v1/compliance/activities');

describe('createActivityWatcher against the fake', () => {
  it('the first poll starts from the newest row (no history); later polls yield what changed', async () => {
    const { fake, client } = setup(server, consoleMembers(), {
      activities: [
        { type: 'org_sso_toggled', enabled: true },
        { type: 'org_sso_provisioning_mode_changed', previous_mode: 'login_only', new_mode: 'jit_permissive' },
      ],
    });
    const watcher = createActivityWatcher({ client });
    const first = await watcher.poll();
    expect(first.events).toEqual([]);
    expect(first.lastId).toBe(fake.activities.list().at(-1)!.id);
    expect(feedRequests(fake)[0]!.query).toMatchObject({ limit: '1' });

    fake.update((s) => {
      s.users.find((u) => u.email === 'ed.user@acme.example')!.role = 'developer';
    });
    const next = await watcher.poll();
    expect(next.events).toHaveLength(1);
    expect(next.events[0]).toMatchObject({
      source: 'claude',
      type: 'claude_user_role_updated',
      targets: [{ kind: 'claude' }],
      summary: `ada.admin@acme.example changed ed.user@acme.example's role from user to developer in org ${ORG}`,
    });
    expect(next.lastId).toBe(next.events[0]!.id);
    expect(watcher.lastId).toBe(next.lastId);
    expect((await watcher.poll()).events).toEqual([]);
  });

  it('pages with before_id across several pages, oldest first', async () => {
    const { fake, client } = setup(server, consoleMembers());
    const watcher = createActivityWatcher({ client, limit: 2 });
    await watcher.poll(); // empty feed: nothing yet
    for (const email of ['n1@acme.example', 'n2@acme.example', 'n3@acme.example', 'n4@acme.example', 'n5@acme.example'])
      await client.endpoints.createInvite(email, 'user');
    const start = feedRequests(fake).length;
    const firstBatch = await watcher.poll();
    // An empty feed at the start: everything that appears afterwards is new, paged back with after_id.
    const invites = fake.activities.list().map((r) => r.id);
    expect(
      feedRequests(fake)
        .slice(start)
        .map((r) => [r.query.before_id, r.query.after_id]),
    ).toEqual([
      [undefined, undefined],
      [undefined, invites[3]],
      [undefined, invites[1]],
    ]);
    expect(firstBatch.events.map((e) => /invited (\S+)/.exec(e.summary)?.[1])).toEqual([
      'n1@acme.example',
      'n2@acme.example',
      'n3@acme.example',
      'n4@acme.example',
      'n5@acme.example',
    ]);
    for (const email of ['m1@acme.example', 'm2@acme.example', 'm3@acme.example', 'm4@acme.example', 'm5@acme.example'])
      await client.endpoints.createInvite(email, 'user');
    const before = feedRequests(fake).length;
    const paged = await watcher.poll();
    expect(paged.events.map((e) => /invited (\S+)/.exec(e.summary)?.[1])).toEqual([
      'm1@acme.example',
      'm2@acme.example',
      'm3@acme.example',
      'm4@acme.example',
      'm5@acme.example',
    ]);
    const cursors = feedRequests(fake)
      .slice(before)
      .map((r) => r.query.before_id);
    expect(cursors).toEqual([firstBatch.lastId, paged.events[1]!.id, paged.events[3]!.id]);
    expect(paged.lastId).toBe(paged.events[4]!.id);
    expect(paged.events.every((e) => e.summary.startsWith('Admin API key apikey_01'))).toBe(true);
    expect(JSON.stringify([firstBatch, paged])).not.toContain(fake.env.ANTHROPIC_ADMIN_KEY);
  });

  it('restarts from a saved lastId: what happened while down is yielded, nothing before it', async () => {
    const { fake, client } = setup(server, consoleMembers(), {
      activities: [{ type: 'org_sso_toggled', enabled: true }],
    });
    const one = createActivityWatcher({ client });
    await one.poll();
    await client.endpoints.createInvite('before@acme.example', 'user');
    const saved = (await one.poll()).lastId;
    // Down: changes happen.
    fake.update((s) => {
      s.mode = 'jit_permissive';
    });
    await client.endpoints.createInvite('nope@acme.example', 'user').catch(() => undefined); // refused under JIT: no row
    const two = createActivityWatcher({ client, sinceId: saved });
    const after = await two.poll();
    expect(after.events.map((e) => e.type)).toEqual(['org_sso_provisioning_mode_changed']);
    expect(after.events[0]!.summary).toContain('from login_only to jit_permissive');
    expect(feedRequests(fake).at(-1)!.query.before_id).toBe(saved);
  });

  it('a key without the feed scope: PermissionError naming read:compliance_activities', async () => {
    const { fake } = setup(server, consoleMembers(), {
      orgKind: 'enterprise',
      keys: [{ key: 'sk-ant-api01-members-only', kind: 'enterprise', scopes: ['read:members'] }],
    });
    const client = createAnthropicAdminClient({
      env: { ...fake.env, ANTHROPIC_ADMIN_KEY: 'sk-ant-api01-members-only' },
      retry: FAST_RETRY,
    });
    const error = await createActivityWatcher({ client })
      .poll()
      .catch((e: unknown) => e);
    expect(PermissionError.isInstance(error)).toBe(true);
    expect((error as PermissionError).missing).toEqual(['read:compliance_activities']);
    expect(String((error as Error).message)).not.toContain('sk-ant-api01-members-only');
  });

  it('a throttled poll waits and retries through the client (429 + retry-after)', async () => {
    const { fake, client } = setup(server, consoleMembers(), {
      activities: [{ type: 'org_sso_toggled', enabled: true }],
    });
    fake.kit.inject({ match: /compliance\/activities/, fault: { type: 'throttle' } });
    const poll = await createActivityWatcher({ client }).poll();
    expect(poll.lastId).toBe(fake.activities.list()[0]!.id);
    expect(feedRequests(fake)).toHaveLength(2);
  });

  it('sends organization_ids[] and maps rows of other orgs to no target', async () => {
    const { fake, client } = setup(server, consoleMembers(), {
      activities: [{ type: 'org_sso_toggled', enabled: true }],
    });
    const watcher = createActivityWatcher({ client, organizationIds: [ORG] });
    await watcher.poll();
    fake.update((s) => {
      s.settings.ssoEnabled = false;
    });
    const next = await watcher.poll();
    expect(next.events.map((e) => e.type)).toEqual(['org_sso_toggled']);
    expect(feedRequests(fake).at(-1)!.url).toContain(`organization_ids%5B%5D=${ORG}`);
  });

  it('the mapping-changed row (appended raw) says the config mappings may be stale', async () => {
    const { fake, client } = setup(server, consoleMembers(), { orgKind: 'console' });
    const watcher = createActivityWatcher({ client });
    await watcher.poll();
    fake.activities.append({ type: 'org_sso_group_role_mappings_updated' });
    const [event] = (await watcher.poll()).events;
    expect(event).toMatchObject({ type: 'org_sso_group_role_mappings_updated', targets: [{ kind: 'claude' }] });
    expect(event!.summary).toMatch(/config's mappings may now be stale/);
  });

  it('bad options are a ConfigurationError naming the option', () => {
    expect(() => createActivityWatcher({ limit: 0 })).toThrow(ConfigurationError);
    expect(() => createActivityWatcher({ limit: 9000 })).toThrow(/limit/);
    expect(() => createActivityWatcher({ sinceID: 'x' } as never)).toThrow(/unknown option sinceID/);
  });
});

describe('createActivityWatcher: at-least-once delivery', () => {
  /** A feed that answers scripted pages (newest first), recording the cursors it was asked for. */
  const scripted = (pages: Array<{ data: string[]; has_more: boolean }>) => {
    const cursors: Array<string | undefined> = [];
    const act = (id: string): Activity => ({
      id,
      created_at: '2026-12-06T20:00:00Z',
      type: 'claude_user_role_updated',
      organization_uuid: ORG,
      actor: { type: 'user_actor', email_address: 'ada@acme.example' },
      user_email: `${id}@acme.example`,
      previous_role: 'user',
      current_role: 'developer',
    });
    const endpoints = {
      listActivities: async (params: { before_id?: string }) => {
        cursors.push(params.before_id);
        const page = pages.shift();
        if (!page) throw new Error('feed down');
        return {
          data: page.data.map(act),
          has_more: page.has_more,
          first_id: page.data[0] ?? null,
          last_id: page.data.at(-1) ?? null,
        };
      },
    } as unknown as AnthropicAdminEndpoints;
    return { endpoints, cursors };
  };

  it('drops rows delivered twice, within a poll across pages and across polls', async () => {
    const { endpoints, cursors } = scripted([
      { data: ['a0'], has_more: false }, // the start
      { data: ['a2', 'a1'], has_more: true },
      { data: ['a3', 'a2'], has_more: false }, // a2 again on the next page
      { data: ['a4', 'a3'], has_more: false }, // a3 again in the next poll
    ]);
    const watcher = createActivityWatcher({ endpoints, limit: 2 });
    await watcher.poll();
    const one = await watcher.poll();
    expect(one.events.map((e) => e.id)).toEqual(['a1', 'a2', 'a3']);
    const two = await watcher.poll();
    expect(two.events.map((e) => e.id)).toEqual(['a4']);
    expect(cursors).toEqual([undefined, 'a0', 'a2', 'a3']);
  });

  it('a failed poll keeps lastId: the next poll goes on from the same row', async () => {
    const { endpoints, cursors } = scripted([{ data: ['a0'], has_more: false }]);
    const watcher = createActivityWatcher({ endpoints });
    await watcher.poll();
    await expect(watcher.poll()).rejects.toThrow('feed down');
    expect(watcher.lastId).toBe('a0');
    await expect(watcher.poll()).rejects.toThrow('feed down');
    expect(cursors).toEqual([undefined, 'a0', 'a0']);
  });
});

describe('the feed page as the reference types it', () => {
  it('an empty page without first_id / last_id reads as null ids (both are optional)', async () => {
    const { ActivityPageSchema } = await import('./anthropic-compliance-schemas');
    expect(ActivityPageSchema.parse({ data: [], has_more: false })).toMatchObject({ first_id: null, last_id: null });
    expect(() => ActivityPageSchema.parse({ data: [] })).toThrow();
  });
});

describe('the fake: a cursor is a position in the whole feed, whatever the filters', () => {
  it('a saved id of a row the filter leaves out still pages forward', async () => {
    const { fake, client } = setup(server, consoleMembers(), {
      activities: [{ type: 'claude_chat_created' }, { type: 'org_sso_toggled', enabled: true }],
    });
    const chat = fake.activities.list()[0]!.id as string;
    const page = await client.endpoints.listActivities({ before_id: chat, activity_types: ['org_sso_toggled'] });
    expect(page.data.map((a) => a.type)).toEqual(['org_sso_toggled']);
    const watcher = createActivityWatcher({
      client,
      sinceId: chat,
      organizationIds: ['468ca80f-6b1e-4c52-9d1a-2f3e4b5c6d7e'],
    });
    expect(await watcher.poll()).toEqual({ events: [], lastId: chat });
  });
});

describe('createActivityWatcher from client settings', () => {
  it('builds its own client from env (the key read lazily, at the first poll)', async () => {
    const { fake } = setup(server, consoleMembers(), { activities: [{ type: 'org_sso_toggled', enabled: true }] });
    const watcher = createActivityWatcher({ env: fake.env, retry: FAST_RETRY, organizationIds: [ORG] });
    expect((await watcher.poll()).lastId).toBe(fake.activities.list()[0]!.id);
    expect(() => createActivityWatcher({ env: {}, orgIds: [ORG] } as never)).toThrow(/unknown option orgIds/);
  });
});
