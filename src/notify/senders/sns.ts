/**
 * Amazon SNS delivery (`sns:Publish`): the body is the message; event type, severity and category
 * are message attributes, so subscriptions can filter on them without parsing the body. FIFO
 * topics need a group and a deduplication id: the event id dedupes a retry SNS already accepted.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { OutboundGuard } from '../../config/outbound-guard.js';
import type { DestinationSettings } from '../destination-config.js';
import { awsClientConfig, awsFailure } from './aws-config.js';
import type { OutgoingEvent, Sender, SendOutcome } from './sender.js';

/** SNS caps subjects at 100 characters (e-mail subscriptions show it). */
const SUBJECT_CHARS = 100;

export function createSnsSender(settings: DestinationSettings, secret: string | null, outbound: Pick<OutboundGuard, 'lookup'>): Sender {
  const client = new SNSClient(awsClientConfig(settings, secret, outbound));
  const topicArn = settings.topic_arn!;
  const fifo = topicArn.endsWith('.fifo');
  const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
  return {
    async send(event: OutgoingEvent, signal: AbortSignal): Promise<SendOutcome> {
      try {
        const answer = await client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: event.body,
            Subject: `CCAG ${event.eventType}`.slice(0, SUBJECT_CHARS),
            MessageAttributes: { event_type: attribute(event.eventType), severity: attribute(event.severity), category: attribute(event.category) },
            ...(fifo ? { MessageGroupId: 'ccag', MessageDeduplicationId: event.id } : {}),
          }),
          { abortSignal: signal },
        );
        return { ok: true, httpStatus: answer.$metadata.httpStatusCode ?? null };
      } catch (error) {
        if (signal.aborted) throw error;
        return { ok: false, ...awsFailure(error) };
      }
    },
    close: () => client.destroy(),
  };
}
