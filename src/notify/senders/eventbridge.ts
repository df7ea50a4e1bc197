/**
 * Amazon EventBridge delivery (`events:PutEvents`): one entry, DetailType = the event type, Detail
 * = the body, on the configured bus. PutEvents answers 200 even when it rejects an entry, so a
 * non-zero FailedEntryCount is a failure with the entry's error code.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { OutboundGuard } from '../../config/outbound-guard.js';
import type { DestinationSettings } from '../destination-config.js';
import { awsClientConfig, awsFailure } from './aws-config.js';
import type { OutgoingEvent, Sender, SendOutcome } from './sender.js';

export function createEventBridgeSender(settings: DestinationSettings, secret: string | null, outbound: Pick<OutboundGuard, 'lookup'>): Sender {
  const client = new EventBridgeClient(awsClientConfig(settings, secret, outbound));
  return {
    async send(event: OutgoingEvent, signal: AbortSignal): Promise<SendOutcome> {
      try {
        const answer = await client.send(
          new PutEventsCommand({ Entries: [{ Source: settings.source ?? 'ccag', DetailType: event.eventType, Detail: event.body, EventBusName: settings.event_bus_name! }] }),
          { abortSignal: signal },
        );
        const httpStatus = answer.$metadata.httpStatusCode ?? null;
        if ((answer.FailedEntryCount ?? 0) === 0) return { ok: true, httpStatus };
        const entry = answer.Entries?.[0];
        return { ok: false, httpStatus, error: `PutEvents rejected the entry: ${entry?.ErrorCode ?? 'unknown'}: ${entry?.ErrorMessage ?? 'no message'}` };
      } catch (error) {
        if (signal.aborted) throw error;
        return { ok: false, ...awsFailure(error) };
      }
    },
    close: () => client.destroy(),
  };
}
