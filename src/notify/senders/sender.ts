/**
 * One interface for the three destinations: send one event, answer what happened. A sender
 * reports a refusal (non-2xx, a failed EventBridge entry) as `ok: false`; network failures and
 * timeouts throw, and the delivery attempt (delivery-attempt.ts) turns them into the same outcome.
 */
import type { OutboundGuard } from '../../config/outbound-guard.js';
import type { OpenDestination } from '../destination-config.js';
import { createEventBridgeSender } from './eventbridge.js';
import { createSnsSender } from './sns.js';
import { createWebhookSender } from './webhook.js';

export interface OutgoingEvent {
  readonly id: string;
  readonly eventType: string;
  readonly severity: string;
  readonly category: string;
  /** The rendered event body, sent as is. */
  readonly body: string;
}

export type SendOutcome = { readonly ok: true; readonly httpStatus: number | null } | { readonly ok: false; readonly httpStatus: number | null; readonly error: string };

export interface Sender {
  send(event: OutgoingEvent, signal: AbortSignal): Promise<SendOutcome>;
  /** Releases the sender's connections (AWS clients keep sockets alive). */
  close(): void;
}

export interface SenderOptions {
  /** Epoch ms: the webhook's signed timestamp. */
  readonly clock: () => number;
  readonly userAgent: string;
  /** The SSRF guard: the webhook's URL and an AWS endpoint override connect only to allowed addresses. */
  readonly outbound: Pick<OutboundGuard, 'fetch' | 'lookup'>;
}

export function createSender(destination: OpenDestination, options: SenderOptions): Sender {
  switch (destination.type) {
    case 'webhook':
      return createWebhookSender(destination.settings.url!, destination.secret ?? '', options);
    case 'sns':
      return createSnsSender(destination.settings, destination.secret, options.outbound);
    case 'eventbridge':
      return createEventBridgeSender(destination.settings, destination.secret, options.outbound);
  }
}
