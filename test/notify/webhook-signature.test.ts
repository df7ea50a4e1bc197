/**
 * Webhook signatures: the gateway's signer against its verifier and against the receiver recipe
 * in docs/notifications.md (extracted from the docs and evaluated), with fixed clocks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { REPLAY_WINDOW_SECONDS, signWebhook, verifyWebhook } from '../../src/notify/webhook-signature.js';
import { documentedReceiverSource } from '../support/webhook-receiver.js';

const SECRET = 'whsec_abcdefghijklmnopqrstuvwxyz';
const NOW_S = 1_800_000_000;
const BODY = '{"id":"e1","event_type":"budget_warning"}';

/** The docs snippet's `verify`, without starting its server. */
function documentedVerify(secret: string): (rawBody: string, headers: Record<string, string>, nowMs: number) => boolean {
  const source = documentedReceiverSource()
    .replace(/^import .*$/gm, '')
    .replace(/const server = [\s\S]*$/, '')
    .replace('process.env.CCAG_WEBHOOK_SECRET', JSON.stringify(secret));
  return new Function('createHmac', 'timingSafeEqual', 'Buffer', `${source}\nreturn verify;`)(createHmac, timingSafeEqual, Buffer) as never;
}

describe('webhook signatures', () => {
  test('v1 is HMAC-SHA256 of "<timestamp>.<body>" in hex', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW_S}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, NOW_S, BODY)).toBe(`v1=${expected}`);
  });

  test('verifies a fresh signature, refuses tampering, another secret and stale or future timestamps', () => {
    const signature = signWebhook(SECRET, NOW_S, BODY);
    const check = (overrides: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret: SECRET, body: BODY, signature, timestamp: String(NOW_S), now: NOW_S * 1000, ...overrides });
    expect(check({})).toEqual({ ok: true });
    expect(check({ now: (NOW_S + REPLAY_WINDOW_SECONDS) * 1000 })).toEqual({ ok: true });
    expect(check({ now: (NOW_S + REPLAY_WINDOW_SECONDS + 1) * 1000 })).toEqual({ ok: false, reason: 'timestamp outside the replay window' });
    expect(check({ now: (NOW_S - REPLAY_WINDOW_SECONDS - 1) * 1000 })).toEqual({ ok: false, reason: 'timestamp outside the replay window' });
    expect(check({ body: BODY.replace('warning', 'blocked') })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(check({ secret: `${SECRET}x` })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing or malformed timestamp' });
    // The timestamp is signed: moving it forward to dodge the window breaks the signature.
    expect(check({ timestamp: String(NOW_S + 60), now: (NOW_S + 60) * 1000 })).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  test("the docs' receiver recipe accepts the gateway's signature and refuses replays and forgeries", () => {
    const verify = documentedVerify(SECRET);
    const headers = { 'x-ccag-signature': signWebhook(SECRET, NOW_S, BODY), 'x-ccag-timestamp': String(NOW_S) };
    expect(verify(BODY, headers, NOW_S * 1000)).toBe(true);
    expect(verify(BODY, headers, (NOW_S + REPLAY_WINDOW_SECONDS + 1) * 1000)).toBe(false);
    expect(verify(`${BODY} `, headers, NOW_S * 1000)).toBe(false);
    expect(documentedVerify('another-secret')(BODY, headers, NOW_S * 1000)).toBe(false);
  });
});
