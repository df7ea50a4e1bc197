import { describe, expect, it } from 'vitest';
import {
  deliverResultText,
  draftInput,
  everyText,
  eventTypeLabel,
  formOf,
  formProblems,
  keepsSecret,
  lastTestText,
  outboxState,
  resourcePolicy,
  testResultText,
  workflowSteps,
  type DestinationForm,
} from '../../portal/src/features/notifications/notification-logic.js';
import type { Destination } from '../../portal/src/features/notifications/types.js';

function destination(change: Partial<Destination> = {}): Destination {
  return {
    type: 'webhook',
    name: null,
    categories: ['budget', 'rate_limit'],
    url: 'https://hooks.example.com/ccag',
    topic_arn: null,
    event_bus_name: null,
    source: null,
    region: null,
    endpoint_url: null,
    auth: null,
    access_key_id: null,
    secret_set: true,
    tested_at: null,
    test_ok: null,
    test_error: null,
    updated_at: '2026-03-19T14:30:00.000Z',
    can_activate: false,
    ...change,
  };
}

const sns = (change: Partial<DestinationForm> = {}): DestinationForm => ({
  ...formOf(null, ['budget']),
  type: 'sns',
  topicArn: 'arn:aws:sns:us-east-1:123456789012:ccag-events',
  region: 'us-east-1',
  ...change,
});

describe('the destination form', () => {
  it('starts blank as a webhook taking every category, or from a destination with its secrets empty', () => {
    expect(formOf(null, ['budget', 'rate_limit'])).toMatchObject({ type: 'webhook', url: '', categories: ['budget', 'rate_limit'], source: 'ccag', auth: 'default' });
    const form = formOf(destination({ type: 'sns', url: null, topic_arn: 'arn:aws:sns:eu-west-1:123456789012:t', region: 'eu-west-1', auth: 'static', access_key_id: 'AKIDTEST', categories: ['budget'] }), ['budget', 'rate_limit']);
    expect(form).toMatchObject({ type: 'sns', topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', region: 'eu-west-1', auth: 'static', accessKeyId: 'AKIDTEST', secretAccessKey: '', signingSecret: '', categories: ['budget'] });
  });

  it('keeps a stored secret (the draft’s, else the active one’s) only for the same type', () => {
    expect(keepsSecret({ type: 'webhook' }, destination())).toBe(true);
    expect(keepsSecret({ type: 'sns' }, destination())).toBe(false);
    expect(keepsSecret({ type: 'webhook' }, destination({ secret_set: false }))).toBe(false);
    expect(keepsSecret({ type: 'webhook' }, null)).toBe(false);
  });

  it('accepts https webhooks, and plain http only to this machine', () => {
    const webhook = (url: string) => formProblems({ ...formOf(null, ['budget']), url }, false);
    expect(webhook('https://hooks.example.com/ccag')).toEqual({});
    expect(webhook('http://127.0.0.1:8080/hook')).toEqual({});
    expect(webhook('http://localhost:8080/hook')).toEqual({});
    expect(webhook('http://hooks.example.com/ccag').url).toMatch(/https/);
    expect(webhook('hooks.example.com').url).toMatch(/full URL/);
    expect(webhook('').url).toBe('Required.');
    expect(formProblems({ ...formOf(null, ['budget']), url: 'https://hooks.example.com', signingSecret: 'short' }, false).signingSecret).toMatch(/16 characters/);
    expect(formProblems({ ...formOf(null, ['budget']), url: 'https://hooks.example.com', signingSecret: 'x'.repeat(16) }, false)).toEqual({});
  });

  it('checks the AWS fields and asks for a secret access key unless one is kept', () => {
    expect(formProblems(sns(), false)).toEqual({});
    expect(Object.keys(formProblems(sns({ topicArn: 'ccag-events', region: 'virginia' }), false)).sort()).toEqual(['region', 'topicArn']);
    expect(Object.keys(formProblems(sns({ auth: 'static' }), false)).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    expect(formProblems(sns({ auth: 'static', accessKeyId: 'AKIDTEST' }), true)).toEqual({});
    expect(formProblems({ ...sns(), type: 'eventbridge' }, false).eventBusName).toMatch(/Required/);
    expect(formProblems(sns({ categories: [] }), false).categories).toMatch(/at least one/);
  });

  it('sends only the chosen type’s fields, leaving out blank secrets', () => {
    expect(draftInput({ ...formOf(null, ['budget']), url: ' https://hooks.example.com/ccag ', topicArn: 'left over' })).toEqual({
      type: 'webhook',
      name: undefined,
      categories: ['budget'],
      url: 'https://hooks.example.com/ccag',
      signing_secret: undefined,
    });
    expect(draftInput(sns({ auth: 'static', accessKeyId: 'AKIDTEST', secretAccessKey: 's3cret', endpointUrl: 'http://127.0.0.1:4566' }))).toEqual({
      type: 'sns',
      name: undefined,
      categories: ['budget'],
      region: 'us-east-1',
      endpoint_url: 'http://127.0.0.1:4566',
      auth: 'static',
      access_key_id: 'AKIDTEST',
      secret_access_key: 's3cret',
      topic_arn: 'arn:aws:sns:us-east-1:123456789012:ccag-events',
    });
    expect(draftInput({ ...sns(), type: 'eventbridge', eventBusName: 'ops', source: '' })).toMatchObject({ type: 'eventbridge', event_bus_name: 'ops', source: undefined, auth: 'default' });
    expect(draftInput(sns({ auth: 'default', accessKeyId: 'AKIDTEST', secretAccessKey: 'unused' }))).not.toHaveProperty('secret_access_key');
  });
});

describe('the workflow', () => {
  const states = (active: Destination | null, draft: Destination | null) => workflowSteps({ active, draft }).map((step) => step.state);

  it('starts at configure, and is done once a destination is active with no draft', () => {
    expect(states(null, null)).toEqual(['current', 'waiting', 'waiting', 'waiting']);
    expect(states(destination(), null)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('asks for a test, says a failed one failed, and offers activation only after a good test since the last change', () => {
    expect(states(null, destination())).toEqual(['done', 'done', 'current', 'waiting']);
    expect(states(null, destination({ tested_at: '2026-03-19T14:31:00Z', test_ok: false, test_error: 'HTTP 500' }))).toEqual(['done', 'done', 'failed', 'waiting']);
    const changedSince = workflowSteps({ active: null, draft: destination({ tested_at: '2026-03-19T14:31:00Z', test_ok: true, can_activate: false }) });
    expect(changedSince[2]).toMatchObject({ state: 'current', note: expect.stringMatching(/changed since/) });
    expect(states(destination(), destination({ tested_at: '2026-03-19T14:31:00Z', test_ok: true, can_activate: true }))).toEqual(['done', 'done', 'done', 'current']);
  });
});

describe('words', () => {
  const ms = (value: number | null) => `${value} ms`;
  const at = (iso: string | null) => iso ?? '—';

  it('tells test results apart', () => {
    expect(testResultText({ ok: true, duration_ms: 120, http_status: 200, error: null }, ms)).toBe('The test event was delivered in 120 ms (HTTP 200). You can activate the draft.');
    expect(testResultText({ ok: false, duration_ms: 10_000, http_status: null, error: 'timed out' }, ms)).toMatch(/^The test delivery failed: timed out\./);
    expect(lastTestText(destination(), at)).toBe('Not tested yet.');
    expect(lastTestText(destination({ tested_at: 'T', test_ok: false, test_error: 'HTTP 403' }), at)).toBe('Failed T: HTTP 403.');
    expect(lastTestText(destination({ tested_at: 'T', test_ok: true, can_activate: true }), at)).toBe('Succeeded T.');
    expect(lastTestText(destination({ tested_at: 'T', test_ok: true }), at)).toMatch(/changed since/);
  });

  it('names event types and outbox states', () => {
    expect(eventTypeLabel('team_budget_blocked')).toBe('Team budget blocked');
    expect(eventTypeLabel('rate_limit_hit')).toBe('Rate limit hit');
    expect(eventTypeLabel('notification_test')).toBe('Test event');
    expect(outboxState({ status: 'pending', attempts: 0 })).toBe('pending');
    expect(outboxState({ status: 'pending', attempts: 2 })).toBe('retrying');
    expect(outboxState({ status: 'dead', attempts: 8 })).toBe('dead');
  });

  it('says what a delivery pass did, or that another replica holds the lease', () => {
    expect(deliverResultText({ held_lease: true, delivered: 3, failed: 1, dead: 0, skipped: 0 }, 30)).toBe('Delivery pass done: 3 delivered, 1 failed (retried later).');
    expect(deliverResultText({ held_lease: false, delivered: 0, failed: 0, dead: 0, skipped: 0 }, 30)).toMatch(/Another replica .* within 30 seconds\.$/);
    expect(deliverResultText({ held_lease: false, delivered: 0, failed: 0, dead: 0, skipped: 0 }, 1)).toMatch(/within a second\.$/);
  });

  it('says how often delivery runs, one second in the singular', () => {
    expect(everyText(1)).toBe('every second');
    expect(everyText(30)).toBe('every 30 seconds');
  });

  it('writes the resource policy a bring-your-own topic or bus needs', () => {
    expect(resourcePolicy(null)).toBeUndefined();
    expect(resourcePolicy(destination())).toBeUndefined();
    const topic = JSON.parse(resourcePolicy({ type: 'sns', topic_arn: 'arn:aws:sns:us-east-1:123456789012:t', event_bus_name: null, region: 'us-east-1' })!);
    expect(topic.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:us-east-1:123456789012:t' });
    const bus = JSON.parse(resourcePolicy({ type: 'eventbridge', topic_arn: null, event_bus_name: 'ops', region: 'eu-west-1' })!);
    expect(bus.Statement[0]).toMatchObject({ Action: 'events:PutEvents', Resource: 'arn:aws:events:eu-west-1:<account>:event-bus/ops' });
    const byArn = JSON.parse(resourcePolicy({ type: 'eventbridge', topic_arn: null, event_bus_name: 'arn:aws:events:eu-west-1:123456789012:event-bus/ops', region: 'eu-west-1' })!);
    expect(byArn.Statement[0].Resource).toBe('arn:aws:events:eu-west-1:123456789012:event-bus/ops');
  });
});
