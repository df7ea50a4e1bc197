/**
 * Webhook signatures (docs/notifications.md#verifying-webhook-signatures): HMAC-SHA256 of
 * `<unix seconds>.<raw body>` under the destination's signing secret, sent as
 * `x-ccag-signature: v1=<hex>` beside `x-ccag-timestamp`. Signing the timestamp with the body lets
 * a receiver refuse replays: a captured request stops verifying once it is older than the window.
 * The `v1=` prefix leaves room for a second scheme during a future change of algorithm.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ccag-signature';
export const TIMESTAMP_HEADER = 'x-ccag-timestamp';
/** How old a signed request may be before a receiver should refuse it. */
export const REPLAY_WINDOW_SECONDS = 300;

export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

export interface WebhookToVerify {
  readonly secret: string;
  /** The request body exactly as received (before any JSON parsing). */
  readonly body: string;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  /** The receiver's clock, epoch milliseconds. */
  readonly now: number;
  readonly toleranceSeconds?: number;
}

/** Whether the request is CCAG's and recent; `reason` says why not. */
export function verifyWebhook(request: WebhookToVerify): { ok: true } | { ok: false; reason: string } {
  const timestamp = Number(request.timestamp);
  if (!request.timestamp || !Number.isInteger(timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  // Future timestamps are refused too: a forged clock must not extend the window.
  if (Math.abs(request.now / 1000 - timestamp) > (request.toleranceSeconds ?? REPLAY_WINDOW_SECONDS)) return { ok: false, reason: 'timestamp outside the replay window' };
  const expected = Buffer.from(signWebhook(request.secret, timestamp, request.body));
  const given = Buffer.from(request.signature ?? '');
  // timingSafeEqual throws on unequal lengths; the length of a v1 signature is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
