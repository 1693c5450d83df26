import { describe, expect, it } from 'vitest';
import type { Finding } from '@claude-idp/core';
import { STATE_SCHEMA_VERSION, type RunChanges } from '../state/state-schema';
import { LIST_LIMIT, slackPayload, teamsPayload, webhookPayload, type NotifyEvent } from './payloads';
import { deliver } from './send';
import { signatureHeader } from './sign';
import { parseNotifyTarget, redactNotifyUrl } from './targets';

const finding = (i: number): Finding => ({
  code: 'DUPLICATE_EMAIL',
  severity: 'error',
  rule: 'R-S5',
  orgId: '468ca80f-6b1e-4c52-9d1a-2f3e4b5c6d7e',
  subject: { kind: 'user', id: `u${i}`, name: `<b>person${i}</b>@acme.com` },
  message: `person${i} & someone send the same <email>`,
  fix: 'give one of them another email',
});

const changes = (n: number): RunChanges => ({
  schemaVersion: STATE_SCHEMA_VERSION,
  since: { runId: 'r1', at: '2026-11-20T03:00:00.000Z', command: 'audit' },
  configChanged: false,
  findingsCompared: true,
  newFindings: Array.from({ length: n }, (_, i) => finding(i)),
  resolvedFindings: [],
  access: [],
  drift: { total: 0 },
  planCompared: false,
  planAdded: [],
  planGone: [],
  changed: n > 0,
});

const event = (n = 1): NotifyEvent => ({
  runId: 'r2',
  command: 'audit',
  at: '2026-11-21T03:00:00.000Z',
  scope: { idp: 'okta', tenant: 'https://acme.okta.com', appName: 'Claude' },
  summary: { errors: n, warnings: 0, infos: 0 },
  changes: changes(n),
});

describe('--notify targets', () => {
  it('reads the kind from the scheme prefix and prints only the host', () => {
    expect(parseNotifyTarget('slack+https://hooks.slack.com/services/T0/B0/secret')).toEqual({
      kind: 'slack',
      url: 'https://hooks.slack.com/services/T0/B0/secret',
      label: 'slack+https://hooks.slack.com/…',
    });
    expect(
      parseNotifyTarget(
        'teams+https://prod-01.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t',
      ).label,
    ).toBe('teams+https://prod-01.westus.logic.azure.com/…');
    expect(parseNotifyTarget('https://hooks.example.com').kind).toBe('webhook');
    expect(redactNotifyUrl('https://example.com/?token=abc')).toBe('https://example.com/…');
  });

  it('refuses plain http off loopback, credentials in the URL, and non-URLs, never echoing the secret part', () => {
    for (const bad of [
      'http://hooks.example.com/T/secretpath',
      'https://user:secretpw@hooks.example.com/x',
      'slack+notaurl-secretpath',
      'ftp://hooks.example.com/secretpath',
    ]) {
      expect(() => parseNotifyTarget(bad), bad).toThrow(/--notify/);
      try {
        parseNotifyTarget(bad);
      } catch (e) {
        expect((e as Error).message).not.toMatch(/secret/);
      }
    }
    expect(parseNotifyTarget('http://127.0.0.1:8080/hook').kind).toBe('webhook');
    expect(parseNotifyTarget('teams+http://[::1]:8080/hook').kind).toBe('teams');
  });
});

describe('payloads', () => {
  it('the generic webhook caps its lists and says the total', () => {
    const body = webhookPayload(event(LIST_LIMIT + 5)) as {
      newFindings: { total: number; items: unknown[] };
      type: string;
      headline: string;
    };
    expect(body.type).toBe('claude-idp.run.changed');
    expect(body.newFindings.total).toBe(LIST_LIMIT + 5);
    expect(body.newFindings.items).toHaveLength(LIST_LIMIT);
    expect(body.headline).toBe(
      `since 2026-11-20T03:00:00.000Z: ${LIST_LIMIT + 5} new findings (${LIST_LIMIT + 5} errors), 0 resolved, 0 people with changed access`,
    );
  });

  it('Slack: text fallback plus Block Kit sections within 3000 characters, with &, < and > escaped', () => {
    const p = slackPayload(event(LIST_LIMIT + 5)) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    expect(p.text).toContain('claude-idp audit: okta https://acme.okta.com (Claude)');
    expect(p.blocks[0]!.type).toBe('header');
    const section = p.blocks.find((b) => b.text?.text.startsWith('*New findings*'))!;
    expect(section.text!.type).toBe('mrkdwn');
    expect(section.text!.text.length).toBeLessThanOrEqual(3000);
    expect(section.text!.text).toContain('&amp; someone send the same &lt;email&gt;');
    expect(section.text!.text).not.toContain('<email>');
  });

  it('Teams: a message with one Adaptive Card attachment', () => {
    const p = teamsPayload(event(2)) as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: { type: string; text: string }[] };
      }[];
    };
    expect(p.type).toBe('message');
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(p.attachments[0]!.content.type).toBe('AdaptiveCard');
    expect(p.attachments[0]!.content.body.every((b) => b.type === 'TextBlock' && typeof b.text === 'string')).toBe(
      true,
    );
    expect(p.attachments[0]!.content.body.map((b) => b.text)).toContain('New findings');
  });
});

describe('delivery', () => {
  it('signs the exact body with the timestamp it sends, retries 429 honouring Retry-After, gives up on 4xx', async () => {
    const seen: { headers: Headers; body: string }[] = [];
    const answers = [
      new Response(null, { status: 429, headers: { 'retry-after': '0' } }),
      new Response(null, { status: 200 }),
    ];
    const fetchStub = (async (_url: string, init: RequestInit) => {
      seen.push({ headers: new Headers(init.headers), body: String(init.body) });
      return answers.shift()!;
    }) as unknown as typeof fetch;
    const target = parseNotifyTarget('https://hooks.example.com/x');
    const ok = await deliver(target, event(), {
      secret: 'k3y',
      fetch: fetchStub,
      now: () => new Date('2026-11-21T03:00:05Z'),
    });
    expect(ok).toEqual({ target, ok: true, attempts: 2 });
    expect(seen[1]!.headers.get('x-claude-idp-signature')).toBe(
      signatureHeader('k3y', seen[1]!.body, Date.parse('2026-11-21T03:00:05Z') / 1000),
    );
    expect(seen[0]!.headers.get('x-claude-idp-delivery')).toBe(seen[1]!.headers.get('x-claude-idp-delivery'));

    const refused = await deliver(target, event(), {
      fetch: (async () => new Response(null, { status: 404 })) as unknown as typeof fetch,
    });
    expect(refused).toEqual({ target, ok: false, attempts: 1, error: 'HTTP 404 after 1 attempt' });
    const unsigned = await deliver(parseNotifyTarget('slack+https://hooks.slack.com/services/a'), event(), {
      secret: 'k3y',
      fetch: (async (_u: string, init: RequestInit) => {
        expect(new Headers(init.headers).get('x-claude-idp-signature')).toBeNull();
        return new Response('ok');
      }) as unknown as typeof fetch,
    });
    expect(unsigned.ok).toBe(true);
  });

  it('a network error is retried, and reported without the URL', async () => {
    let calls = 0;
    const r = await deliver(parseNotifyTarget('https://hooks.example.com/T/secretpath'), event(), {
      fetch: (async () => {
        calls++;
        throw new TypeError('fetch failed');
      }) as unknown as typeof fetch,
      policy: { initialDelayMs: 1, maxDelayMs: 2 },
    });
    expect(calls).toBe(5);
    expect(r.ok).toBe(false);
    expect(r.error).toBe('network error (fetch failed) after 5 attempts');
  });
});

describe('watch notifications', () => {
  const trigger = ['ada@acme.com left group anthropic-claudeai-468ca80f-owner (Okta group.user_membership.remove)'];

  it('carry the change events behind them in every format, and only when there were any', () => {
    const e = { ...event(1), trigger };
    expect(webhookPayload(e).trigger).toEqual({ total: 1, items: trigger });
    expect('trigger' in webhookPayload(event(1))).toBe(false);
    const slack = JSON.stringify(slackPayload(e));
    expect(slack).toContain('*After these changes*');
    expect(slack).toContain('ada@acme.com left group anthropic-claudeai-468ca80f-owner');
    expect(JSON.stringify(slackPayload(event(1)))).not.toContain('After these changes');
    expect(JSON.stringify(teamsPayload(e))).toContain('After these changes');
  });
});
