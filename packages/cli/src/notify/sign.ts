import { createHmac, randomUUID } from 'node:crypto';

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'X-Claude-Idp-Signature';
/** A unique id per delivery (the same across retries of one delivery), for receivers to drop duplicates. */
export const DELIVERY_HEADER = 'X-Claude-Idp-Delivery';

/**
 * Signs a webhook body as Stripe and Standard Webhooks do: HMAC-SHA256 with the shared secret over
 * `timestamp + "." + body`. The timestamp lets receivers refuse replays (e.g. older than 5 minutes).
 */
export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

export function newDeliveryId(): string {
  return randomUUID();
}
