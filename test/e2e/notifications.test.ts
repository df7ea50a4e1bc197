/**
 * Notifications end to end (SQLite and PostgreSQL): a real gateway, the mock Anthropic API whose
 * scripted usage makes a request cost a known amount (claude-sonnet-4-5 output: $15/MTok), and
 * the receiver snippet from docs/notifications.md as the webhook. A budget threshold crossed by a
 * real request, and a rate-limit refusal storm, reach the receiver through the delivery worker's
 * own timer, verified with the documented recipe.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { metricTypes, sampleValue } from '../support/prometheus-text.js';
import { startDocumentedReceiver, type DocumentedReceiver } from '../support/webhook-receiver.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const SECRET = `whsec_${randomUUID()}`;

describe.each(['sqlite', 'postgres'] as const)('notifications through CCAG (%s)', (database) => {
  let mock: MockAnthropic;
  let receiver: DocumentedReceiver;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    receiver = await startDocumentedReceiver(SECRET);
    // The shortest interval allowed, so the worker's own timer delivers within the test.
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_NOTIFY_INTERVAL_MS: '1000' } });
    if (!gw) return;
    expect((await gw.admin('PUT', '/notifications/draft', { type: 'webhook', url: receiver.url, signing_secret: SECRET })).status).toBe(200);
    expect((await gw.admin('POST', '/notifications/draft/test')).body).toMatchObject({ ok: true, http_status: 204 });
    expect((await gw.admin('POST', '/notifications/draft/activate')).status).toBe(200);
  });

  afterAll(async () => {
    await gw?.close();
    await receiver?.close();
    await mock?.close();
  });

  async function member() {
    const team = (await gw!.admin<{ id: string; name: string }>('POST', '/teams', { name: `team-${randomUUID().slice(0, 8)}` })).body;
    const email = `dev-${randomUUID().slice(0, 8)}@example.com`;
    expect((await gw!.admin('POST', '/users', { email, team_id: team.id })).status).toBe(201);
    const key = (await gw!.admin<{ key: string; user_id: string }>('POST', '/keys', { user_email: email })).body;
    return { email, team, key: key.key, userId: key.user_id };
  }

  function ask(key: string, outputTokens: number) {
    return fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: `hi [[usage in=0 out=${outputTokens}]]` }] }),
    });
  }

  const received = (eventType: string, email: string) => receiver.events.filter((event) => event.event_type === eventType && event.user_identity === email);

  test('a budget threshold crossed by a request reaches the webhook, signed and verified', async (ctx) => {
    if (!gw) return ctx.skip();
    const who = await member();
    expect((await gw.admin('POST', '/budgets', { subject_type: 'user', subject_id: who.userId, amount_usd: 1, period: 'monthly' })).status).toBe(201);
    const answer = await ask(who.key, 56_667); // $0.850005: past the 80% notify threshold
    expect(answer.status).toBe(200);
    await answer.text();

    await expect.poll(() => received('budget_warning', who.email).length, { timeout: 15_000, interval: 100 }).toBe(1);
    const event = received('budget_warning', who.email)[0]!;
    const stored = await gw.store.db.selectFrom('budget_events').selectAll().where('subject_id', '=', who.userId).executeTakeFirstOrThrow();
    expect(event).toEqual({
      id: stored.id,
      source: 'ccag',
      version: '1',
      category: 'budget',
      event_type: 'budget_warning',
      severity: 'warning',
      user_identity: who.email,
      team_id: who.team.id,
      team_name: who.team.name,
      detail: {
        threshold_percent: 80,
        spend_usd: 0.850005,
        limit_usd: 1,
        percent: 85,
        period: 'monthly',
        period_start: expect.any(String),
        budget_id: expect.any(String),
        subject_type: 'user',
      },
      timestamp: new Date(stored.created_at).toISOString(),
    });
    // The receiver printed it, so the documented recipe verified the signature; the gateway saw a 2xx.
    const listed = async () => (await gw!.admin<{ data: Array<{ id: string; delivery: string; delivered_at: string | null }> }>('GET', '/budget-events')).body.data.find((row) => row.id === stored.id);
    await expect.poll(async () => (await listed())?.delivery).toBe('delivered');
    expect((await listed())?.delivered_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${await gw.adminToken()}` } })).text();
    expect(sampleValue(metrics, 'ccag_notifications_delivered_total{destination_type="webhook",status="delivered"}')).toBeGreaterThanOrEqual(1);
    expect(metricTypes(metrics)).toMatchObject({ ccag_notifications_delivered_total: 'counter', ccag_notifications_outbox_pending: 'gauge' });
  });

  test('a rate-limit refusal storm is one rate_limit_hit', async (ctx) => {
    if (!gw) return ctx.skip();
    const who = await member();
    expect((await gw.admin('PUT', `/rate-limits/user/${who.userId}`, { rpm: 1 })).status).toBe(200);
    const statuses: number[] = [];
    for (let n = 0; n < 6; n += 1) {
      const answer = await ask(who.key, 1);
      statuses.push(answer.status);
      await answer.text();
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(4);
    await expect.poll(() => received('rate_limit_hit', who.email).length, { timeout: 15_000, interval: 100 }).toBe(1);
    expect(received('rate_limit_hit', who.email)[0]).toMatchObject({
      category: 'rate_limit',
      severity: 'warning',
      team_id: who.team.id,
      team_name: who.team.name,
      detail: { scope: 'user', limit: 'rpm', limit_value: 1, window_seconds: 60, key_prefix: expect.stringMatching(/^sk-/) },
    });
    // Later passes send nothing more for that storm.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(received('rate_limit_hit', who.email)).toHaveLength(1);
  });
});
