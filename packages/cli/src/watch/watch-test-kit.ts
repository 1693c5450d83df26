import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  parseJsonBody,
  refuse,
  secretsEqual,
  type DirectorySnapshot,
  type IdpAdapterV1,
  type IdpEventReceiverV1,
  type WatchEvent,
} from '@claude-idp/core';
import { snapshotFromTenant, type GenericTenant } from '@claude-idp/core/testing';

// Test pieces for `watch`: a receiver with a shared-secret header, an adapter over a generic
// tenant that counts its reads, and a webhook receiver that checks claude-idp's signature.

/** A receiver for `/events/okta` taking `{"events":[{"id","group"}]}` with `x-test-secret`. */
export function testReceiver(secret: string): IdpEventReceiverV1 {
  return {
    specificationVersion: 'v1',
    idp: 'okta',
    paths: ['/events/okta'],
    handle(request) {
      if (request.method !== 'POST') return refuse(405, `test: refused a ${request.method}`);
      if (!secretsEqual(request.headers['x-test-secret'], secret))
        return refuse(401, 'test: refused a delivery without the right x-test-secret header');
      const body = parseJsonBody(request, 'test');
      if (!body.ok) return body.result;
      const list = (body.value as { events?: { id: string; group: string }[] }).events;
      if (!Array.isArray(list)) return refuse(400, 'test: refused a body without events');
      const events: WatchEvent[] = list.map((e) => ({
        source: 'okta',
        id: e.id,
        type: 'group.user_membership.remove',
        at: null,
        targets: [{ kind: 'group', id: e.group }],
        summary: `a member left group ${e.group}`,
      }));
      return { answer: { status: 200 }, events, log: `test: accepted ${events.length} events` };
    },
  };
}

/** An adapter over a tenant the test changes; `refreshSnapshot` re-reads it, counted apart from full reads. */
export function testAdapter(tenant: () => GenericTenant): IdpAdapterV1 & { reads: { full: number; targeted: number } } {
  const reads = { full: 0, targeted: 0 };
  const read = (now?: () => Date): DirectorySnapshot =>
    snapshotFromTenant(tenant(), { idp: 'okta', capturedAt: (now?.() ?? new Date()).toISOString() });
  return {
    specificationVersion: 'v1',
    idp: 'okta',
    reads,
    async readSnapshot(options) {
      reads.full++;
      return read(options?.now);
    },
    async refreshSnapshot(_previous, options) {
      reads.targeted++;
      return { snapshot: read(options.now), read: 'targeted', detail: `${options.targets.length} targets` };
    },
  };
}

export interface WebhookSink {
  url: string;
  received: { body: Record<string, unknown>; signatureOk: boolean }[];
  close(): Promise<void>;
}

/** A loopback webhook receiver that verifies `X-Claude-Idp-Signature` (t=…,v1=HMAC-SHA256 of "t.body"). */
export async function webhookSink(secret: string): Promise<WebhookSink> {
  const received: WebhookSink['received'] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const header = String(req.headers['x-claude-idp-signature'] ?? '');
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
      const expected = m ? createHmac('sha256', secret).update(`${m[1]}.${text}`).digest() : null;
      const signatureOk = Boolean(m && expected && timingSafeEqual(Buffer.from(m[2]!, 'hex'), expected));
      received.push({ body: JSON.parse(text) as Record<string, unknown>, signatureOk });
      res.writeHead(signatureOk ? 204 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/claude-idp`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
