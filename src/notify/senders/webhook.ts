/**
 * Webhook delivery: an HTTPS POST of the event body, signed (webhook-signature.ts). Any 2xx is a
 * delivery; redirects are not followed (a 3xx is a failure), so a destination cannot bounce
 * signed events to an address nobody configured.
 */
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../webhook-signature.js';
import type { OutgoingEvent, Sender, SenderOptions, SendOutcome } from './sender.js';

/** Enough of a refusal's body to say why (receivers often explain), short enough for the history. */
const ERROR_BODY_CHARS = 200;

export function createWebhookSender(url: string, secret: string, options: SenderOptions): Sender {
  return {
    async send(event: OutgoingEvent, signal: AbortSignal): Promise<SendOutcome> {
      const timestamp = Math.floor(options.clock() / 1000);
      const response = await options.outbound.fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': options.userAgent,
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, event.body),
          [TIMESTAMP_HEADER]: String(timestamp),
          'x-ccag-event-id': event.id,
          'x-ccag-event-type': event.eventType,
        },
        body: event.body,
      });
      const text = await response.text().catch(() => '');
      if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status };
      const said = text.trim().slice(0, ERROR_BODY_CHARS);
      return { ok: false, httpStatus: response.status, error: `HTTP ${response.status}${said ? `: ${said}` : ''}` };
    },
    close() {},
  };
}
