// How a webhook request is signed, and how its receiver checks it (docs/webhooks.md shows the
// same recipe). The signature covers the delivery id and the timestamp as well as the body, so a
// captured request cannot be replayed later or under another delivery id.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests older (or further in the future) than this are refused by `verifySignature`. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** The `v1=` signature: hex HMAC-SHA256 with the site's secret over "<deliveryId>.<timestamp>.<body>". */
export function signPayload(secret: string, deliveryId: string, timestamp: number | string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one attempt; `timestamp` is that attempt's time in Unix seconds. */
export function signedHeaders(opts: { secret: string; deliveryId: string; timestamp: number; body: string; userAgent: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': opts.userAgent,
    'x-parley-delivery': opts.deliveryId,
    'x-parley-timestamp': String(opts.timestamp),
    'x-parley-signature': signPayload(opts.secret, opts.deliveryId, opts.timestamp, opts.body),
  };
}

export interface SignedRequest {
  /** The X-Parley-Delivery header. */
  deliveryId: string | undefined;
  /** The X-Parley-Timestamp header. */
  timestamp: string | undefined;
  /** The X-Parley-Signature header. */
  signature: string | undefined;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string;
}

/**
 * The receiver's check: true when the signature matches the secret (compared in constant time) and
 * the timestamp is within five minutes of `nowSeconds`.
 */
export function verifySignature(secret: string, req: SignedRequest, nowSeconds: number = Math.floor(Date.now() / 1000)): boolean {
  const { deliveryId, timestamp, signature, body } = req;
  if (!deliveryId || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signPayload(secret, deliveryId, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
