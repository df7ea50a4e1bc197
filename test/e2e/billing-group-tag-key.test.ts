/**
 * CCAG_BILLING_GROUP_TAG_KEY through a running gateway: with the key set to `cost_center`, the
 * request `tags.cost_center` is the ledger row's billing group and `tags.billing_group` is not.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

describe('a configured billing group tag key (sqlite)', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_BILLING_GROUP_TAG_KEY: 'cost_center' } });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('tags.cost_center is recorded as the billing group', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key } = await gw.createKey('dev@example.com');
    for (const tags of [{ cost_center: 'cc-1234', billing_group: 'ignored' }, { billing_group: 'not-the-key' }]) {
      const response = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key },
        body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], tags }),
      });
      expect(response.status).toBe(200);
    }
    expect((await gw.ledgerRows(2)).map((row) => row.billing_group)).toEqual(['cc-1234', null]);
  });
});
