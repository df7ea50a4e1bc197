/**
 * One interface for the three destinations: send one event, answer what happened. A sender
 * reports a refusal (non-2xx, a failed EventBridge entry) as `ok: false`; network failures and
 * timeouts throw, and the delivery attempt (delivery-attempt.ts) turns them into the same outcome.
 */
import type { OutboundGuard } from '../../config/outbound-guard.js';
import type { OpenDestination } from '../destination-config.js';
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
      return loadedOnFirstSend(async () => (await import('./sns.js')).createSnsSender(destination.settings, destination.secret, options.outbound));
    case 'eventbridge':
      return loadedOnFirstSend(async () => (await import('./eventbridge.js')).createEventBridgeSender(destination.settings, destination.secret, options.outbound));
  }
}

/**
 * An AWS sender whose SDK is loaded when it first sends: the SNS and EventBridge clients weigh
 * about 20 MB of memory that a gateway without such a destination should not carry.
 */
function loadedOnFirstSend(load: () => Promise<Sender>): Sender {
  let sender: Promise<Sender> | undefined;
  return {
    async send(event, signal) {
      sender ??= load();
      return (await sender).send(event, signal);
    },
    close() {
      void sender?.then((loaded) => loaded.close(), () => undefined);
    },
  };
}
