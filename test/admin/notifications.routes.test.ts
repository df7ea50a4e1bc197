/**
 * /admin/notifications through a real gateway on SQLite and PostgreSQL: the draft → test →
 * activate workflow (409 before a good test), secrets sealed and never returned (a generated
 * signing secret once), deactivate and discard, the history and outbox lists, retry, deliver now,
 * and the `delivery` state of budget events.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { verifyWebhook } from '../../src/notify/webhook-signature.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

type Json = Record<string, any>;

describe.each(['sqlite', 'postgres'] as const)('admin notifications on %s', (database) => {
  let gw: TestGateway | undefined;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gw = await startGateway({ database });
  });
  afterEach(() => {
    receiver.requests.length = 0;
    receiver.answerWith(204);
  });
  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
  });

  const api = <T = Json>(method: string, path: string, body?: unknown) => gw!.admin<T>(method, `/notifications${path}`, body);

  test('draft → test → activate, with the secret sealed and shown once', async (ctx) => {
    if (!gw) return ctx.skip();
    expect((await api('GET', '')).body).toEqual({
      active: null,
      draft: null,
      interval_seconds: 30,
      categories: ['budget', 'rate_limit'],
      outbox: { pending: 0, retrying: 0, dead: 0, delivered_24h: 0 },
    });
    expect((await api('PUT', '/draft', { type: 'webhook', url: 'http://alerts.example.com/hook' })).body.error.message).toMatch(/^url: a webhook must use https/);
    expect((await api('PUT', '/draft', { type: 'sns', url: receiver.url })).body.error.message).toBe('url: not a setting of sns destinations');
    expect((await api('PUT', '/draft', { type: 'sns', topic_arn: 'arn:aws:sns:eu-west-1:123456789012:t', auth: 'static', access_key_id: 'AKIAIOSFODNN7EXAMPLE' })).status).toBe(400);
    expect((await api('POST', '/draft/test')).status).toBe(404);

    const saved = await api('PUT', '/draft', { type: 'webhook', url: receiver.url, categories: ['budget'] });
    expect(saved.status).toBe(200);
    const secret = saved.body.signing_secret as string;
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(saved.body.draft).toEqual({
      type: 'webhook', name: new URL(receiver.url).host, categories: ['budget'], url: receiver.url, topic_arn: null, event_bus_name: null, source: null,
      region: null, endpoint_url: null, auth: null, access_key_id: null, secret_set: true, tested_at: null, test_ok: null, test_error: null,
      updated_at: expect.any(String), can_activate: false,
    });
    const stored = await gw.store.db.selectFrom('notification_destinations').selectAll().executeTakeFirstOrThrow();
    expect(stored.secret_sealed).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify((await api('GET', '')).body)).not.toContain(secret);

    const refused = await api('POST', '/draft/activate');
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });

    receiver.answerWith(500);
    const failed = await api('POST', '/draft/test');
    expect(failed.body).toMatchObject({ ok: false, status: 'failed', http_status: 500, error: 'HTTP 500: receiver says 500' });
    expect((await api('POST', '/draft/activate')).status).toBe(409);

    receiver.answerWith(204);
    const passed = await api('POST', '/draft/test');
    expect(passed.body).toEqual({ ok: true, status: 'delivered', duration_ms: expect.any(Number), http_status: 204, error: null });
    const delivered = receiver.requests.at(-1)!;
    expect(JSON.parse(delivered.body)).toMatchObject({ source: 'ccag', version: '1', category: 'test', event_type: 'notification_test' });
    expect(verifyWebhook({ secret, body: delivered.body, signature: delivered.headers['x-ccag-signature'] as string, timestamp: delivered.headers['x-ccag-timestamp'] as string, now: Date.now() })).toEqual({ ok: true });
    expect((await api('GET', '')).body.draft).toMatchObject({ test_ok: true, test_error: null, can_activate: true });

    const activated = await api('POST', '/draft/activate');
    expect(activated.status).toBe(200);
    expect(activated.body.active).toMatchObject({ type: 'webhook', url: receiver.url, can_activate: false });
    expect((await api('GET', '')).body).toMatchObject({ active: { url: receiver.url }, draft: null });

    // Editing keeps the active secret (same type, none given): nothing to show, and a new test is due.
    const edited = await api('PUT', '/draft', { type: 'webhook', url: receiver.url, name: 'ops hook' });
    expect(edited.body.signing_secret).toBeUndefined();
    expect(edited.body.draft).toMatchObject({ name: 'ops hook', categories: ['budget'], secret_set: true, can_activate: false });
    expect((await api('POST', '/draft/test')).body.ok).toBe(true);
    const kept = receiver.requests.at(-1)!;
    expect(verifyWebhook({ secret, body: kept.body, signature: kept.headers['x-ccag-signature'] as string, timestamp: kept.headers['x-ccag-timestamp'] as string, now: Date.now() }).ok).toBe(true);
    expect((await api('DELETE', '/draft')).status).toBe(204);
    expect((await api('GET', '')).body.draft).toBeNull();

    // Deactivating makes the active configuration the draft, still tested: it can come back as is.
    const deactivated = await api('POST', '/deactivate');
    expect(deactivated.body).toMatchObject({ active: null, draft: { url: receiver.url, can_activate: true } });
    expect((await api('POST', '/deactivate')).status).toBe(404);
    expect((await api('POST', '/draft/activate')).status).toBe(200);

    const history = await api<{ data: Json[]; total: number }>('GET', '/deliveries?test=true');
    expect(history.body.total).toBe(3);
    expect(history.body.data[0]).toEqual({
      id: expect.any(String), attempted_at: expect.any(String), event_id: null, event_type: 'notification_test', destination_type: 'webhook',
      status: 'delivered', duration_ms: expect.any(Number), http_status: 204, error: null, test: true, attempt: 1,
    });
    expect((await api<{ total: number }>('GET', '/deliveries?status=failed')).body.total).toBe(1);
    expect((await api<{ total: number }>('GET', '/deliveries?test=false')).body.total).toBe(0);
  });

  test('outbox: deliver now, list, retry; budget events show their delivery', async (ctx) => {
    if (!gw) return ctx.skip();
    if ((await api('GET', '')).body.active === null) {
      await api('PUT', '/draft', { type: 'webhook', url: receiver.url, signing_secret: 'a-signing-secret-of-some-length' });
      await api('POST', '/draft/test');
      await api('POST', '/draft/activate');
    }
    const now = Date.now();
    const budgetEvent = (id: string) => ({
      id, subject_type: 'user' as const, subject_id: randomUUID(), threshold_percent: 80, period_start: now - 1_000, event_type: 'budget_warning', severity: 'warning',
      user_id: null, team_id: null, detail: JSON.stringify({ threshold_percent: 80, spend_usd: 8, limit_usd: 10, percent: 80, period: 'monthly', period_start: new Date(now - 1_000).toISOString(), budget_id: 'b', subject_type: 'user' }), created_at: now - 500,
    });
    const [queued, unqueued, dead] = [randomUUID(), randomUUID(), randomUUID()];
    await gw.store.db.insertInto('budget_events').values([budgetEvent(queued), budgetEvent(unqueued), budgetEvent(dead)]).execute();
    const outboxRow = (id: string, status: 'pending' | 'dead') => ({
      id, dedupe_key: `budget:${id}`, source_id: id, category: 'budget' as const, event_type: 'budget_warning', severity: 'warning', body: JSON.stringify({ id, event_type: 'budget_warning' }),
      status, attempts: status === 'dead' ? 8 : 0, next_attempt_at: now - 500, last_error: status === 'dead' ? 'gave up after 8 attempts: HTTP 500' : null, created_at: now - 500, delivered_at: null,
    });
    await gw.store.db.insertInto('notification_events').values([outboxRow(queued, 'pending'), outboxRow(dead, 'dead')]).execute();

    const deliveryOf = async () => {
      const rows = (await gw!.admin<{ data: Json[] }>('GET', '/budget-events?limit=1000')).body.data;
      return Object.fromEntries(rows.filter((row) => [queued, unqueued, dead].includes(row.id)).map((row) => [row.id, [row.delivery, row.delivered_at === null ? null : 'set']]));
    };
    expect(await deliveryOf()).toEqual({ [queued]: ['pending', null], [unqueued]: ['not_configured', null], [dead]: ['dead', null] });

    // The pass first queues the event that has none (its replica died before queueing it), then delivers both.
    expect((await api('POST', '/deliver')).body).toEqual({ held_lease: true, delivered: 2, failed: 0, dead: 0, skipped: 0 });
    expect(receiver.requests.map((request) => request.headers['x-ccag-event-id']).sort()).toEqual([queued, unqueued].sort());
    expect(await deliveryOf()).toMatchObject({ [queued]: ['delivered', 'set'], [unqueued]: ['delivered', 'set'] });

    const events = await api<{ data: Json[]; total: number }>('GET', '/events?status=dead');
    expect(events.body.data.map((row) => row.id)).toEqual([dead]);
    expect(events.body.data[0]).toMatchObject({ category: 'budget', status: 'dead', attempts: 8, next_attempt_at: null, body: { id: dead } });
    expect((await api(`POST`, `/events/${queued}/retry`)).status).toBe(409);
    expect((await api('POST', `/events/${randomUUID()}/retry`)).status).toBe(404);
    const retried = await api('POST', `/events/${dead}/retry`);
    expect(retried.body).toMatchObject({ id: dead, status: 'pending', attempts: 0, last_error: null });
    expect(await deliveryOf()).toMatchObject({ [dead]: ['pending', null] });
    expect((await api('POST', '/deliver')).body).toMatchObject({ delivered: 1 });
    expect((await api('GET', '')).body.outbox).toEqual({ pending: 0, retrying: 0, dead: 0, delivered_24h: 3 });
    expect((await api<{ total: number }>('GET', '/events?category=rate_limit')).body.total).toBe(0);
  });
});
