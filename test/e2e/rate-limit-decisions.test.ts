/**
 * `ccag_rate_limit_decisions_total{outcome}` (issue 14): every rate-limit decision counted,
 * allowed and blocked, beside the refusal counter; requests no rate limit applies to are not
 * decisions. Read through /metrics as Prometheus scrapes it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { metricTypes, sampleValue } from '../support/prometheus-text.js';

describe('rate-limit decisions counted both ways', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const ask = (key: string) =>
    fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    });
  const scrape = async () => (await fetch(`${gw!.url}/metrics`, { headers: { authorization: `Bearer ${await gw!.adminToken()}` } })).text();
  const decisions = (text: string, outcome: string) => sampleValue(text, `ccag_rate_limit_decisions_total{outcome="${outcome}"}`);

  test('allowed and blocked decisions are counted; a request without a rate limit is not a decision', async (ctx) => {
    if (!gw) return ctx.skip();
    const before = await scrape();
    expect(metricTypes(before).ccag_rate_limit_decisions_total).toBe('counter');
    expect(decisions(before, 'allowed')).toBe(0);
    expect(decisions(before, 'blocked')).toBe(0);

    const unlimited = await gw.createKey('unlimited@example.com');
    expect((await ask(unlimited.key)).status).toBe(200);
    const limited = await gw.createKey('limited@example.com');
    expect((await gw.admin('PUT', `/rate-limits/key/${limited.id}`, { rpm: 2 })).status).toBe(200);
    const statuses = [];
    for (let n = 0; n < 3; n++) statuses.push((await ask(limited.key)).status);
    expect(statuses).toEqual([200, 200, 429]);

    const after = await scrape();
    expect(decisions(after, 'allowed')).toBe(2);
    expect(decisions(after, 'blocked')).toBe(1);
    // Beside the refusal counter, which says whose limit refused.
    expect(after).toMatch(/ccag_rate_limits_total\{(?=[^}]*kind="rpm")(?=[^}]*scope="key")[^}]*\} 1\b/);
  });
});
