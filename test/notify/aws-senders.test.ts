/**
 * The SNS and EventBridge senders through the real AWS SDK clients to a mock speaking their wire
 * protocols (SNS query/XML, EventBridge JSON 1.1): the request fields AWS receives, FIFO topics,
 * SNS errors, and EventBridge's rejected entries inside a 200 answer.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DestinationSettings } from '../../src/notify/destination-config.js';
import { createSender, type OutgoingEvent } from '../../src/notify/senders/sender.js';
import { startMockAwsNotify, type MockAwsNotify } from '../support/mock-aws-notify.js';
import { loopbackOutbound } from '../support/outbound.js';

const EVENT: OutgoingEvent = {
  id: '6f1d2c3b-0000-4000-8000-000000000001',
  eventType: 'budget_blocked',
  severity: 'critical',
  category: 'budget',
  body: '{"id":"6f1d2c3b-0000-4000-8000-000000000001","source":"ccag","event_type":"budget_blocked"}',
};
const STATIC = { auth: 'static', access_key_id: 'AKIAIOSFODNN7EXAMPLE' } as const;
const signal = () => AbortSignal.timeout(5_000);

describe('AWS senders', () => {
  let aws: MockAwsNotify;
  beforeAll(async () => {
    aws = await startMockAwsNotify();
  });
  afterAll(async () => {
    await aws?.close();
  });

  function sender(type: 'sns' | 'eventbridge', settings: DestinationSettings) {
    return createSender({ type, settings: { region: 'eu-west-1', endpoint_url: aws.url, ...STATIC, ...settings }, secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, { clock: Date.now, userAgent: 'ccag-test', outbound: loopbackOutbound });
  }

  test('SNS Publish: topic, message, subject and attributes, signed', async () => {
    const sns = sender('sns', { topic_arn: 'arn:aws:sns:eu-west-1:123456789012:ccag-alerts' });
    expect(await sns.send(EVENT, signal())).toEqual({ ok: true, httpStatus: 200 });
    sns.close();
    const { form, hasAuthorization } = aws.publishes.at(-1)!;
    expect(hasAuthorization).toBe(true);
    expect(form).toMatchObject({ Action: 'Publish', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ccag-alerts', Message: EVENT.body, Subject: 'CCAG budget_blocked' });
    const attributes = Object.fromEntries(
      [1, 2, 3].map((n) => [form[`MessageAttributes.entry.${n}.Name`], [form[`MessageAttributes.entry.${n}.Value.DataType`], form[`MessageAttributes.entry.${n}.Value.StringValue`]]]),
    );
    expect(attributes).toEqual({ event_type: ['String', 'budget_blocked'], severity: ['String', 'critical'], category: ['String', 'budget'] });
    expect(form.MessageGroupId).toBeUndefined();
    expect(form.MessageDeduplicationId).toBeUndefined();
  });

  test('SNS FIFO topics get a group and the event id as deduplication id', async () => {
    const sns = sender('sns', { topic_arn: 'arn:aws:sns:eu-west-1:123456789012:ccag-alerts.fifo' });
    expect((await sns.send(EVENT, signal())).ok).toBe(true);
    sns.close();
    expect(aws.publishes.at(-1)!.form).toMatchObject({ MessageGroupId: 'ccag', MessageDeduplicationId: EVENT.id });
  });

  test('an SNS error is a failure naming the exception and the status', async () => {
    aws.failSns({ status: 403, code: 'AuthorizationError', message: 'User is not authorized to perform: SNS:Publish' });
    try {
      const sns = sender('sns', { topic_arn: 'arn:aws:sns:eu-west-1:123456789012:ccag-alerts' });
      expect(await sns.send(EVENT, signal())).toEqual({ ok: false, httpStatus: 403, error: 'AuthorizationErrorException: User is not authorized to perform: SNS:Publish' });
      sns.close();
    } finally {
      aws.failSns(undefined);
    }
  });

  test('EventBridge PutEvents: one entry with source, detail type, detail and bus', async () => {
    const bus = sender('eventbridge', { event_bus_name: 'ccag-events', source: 'ccag.gateway' });
    expect(await bus.send(EVENT, signal())).toEqual({ ok: true, httpStatus: 200 });
    bus.close();
    const put = aws.puts.at(-1)!;
    expect(put.target).toBe('AWSEvents.PutEvents');
    expect(put.hasAuthorization).toBe(true);
    expect(put.body.Entries).toEqual([{ Source: 'ccag.gateway', DetailType: 'budget_blocked', Detail: EVENT.body, EventBusName: 'ccag-events' }]);
  });

  test('EventBridge rejecting the entry in a 200 answer is a failure with its error code', async () => {
    aws.rejectEntries({ code: 'AccessDeniedException', message: 'not authorized to put events on this bus' });
    try {
      const bus = sender('eventbridge', { event_bus_name: 'ccag-events', source: 'ccag' });
      expect(await bus.send(EVENT, signal())).toEqual({ ok: false, httpStatus: 200, error: 'PutEvents rejected the entry: AccessDeniedException: not authorized to put events on this bus' });
      bus.close();
    } finally {
      aws.rejectEntries(undefined);
    }
  });
});
