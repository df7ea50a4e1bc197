/**
 * No overspend under concurrency (spec §4), through the real gateway on SQLite and PostgreSQL:
 * 50 clients stream requests at once against a $1.00 user budget, each request reserving its
 * worst case (about $0.12) and costing about $0.10. The ledger must stay within the budget, and
 * the budget must still be usable up to one request's worst case.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { ACTUAL_MICROS, BUDGET_MICROS, createUserBudget, drive, expectWithinBudget, type Outcome } from '../support/budget-load.js';

describe.each(['sqlite', 'postgres'] as const)('budget under 50 concurrent streams (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key: string;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    key = (await gw.createKey('spender@example.com')).key;
    await createUserBudget(gw, 'spender@example.com');
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('the ledger never passes $1.00 and every refusal is a 429 billing_error', async (ctx) => {
    if (!gw) return ctx.skip();
    const outcomes: Outcome[] = await drive([gw.url], key, 50);
    const served = outcomes.filter((outcome) => outcome === 'served').length;
    // The first wave alone fits eight worst cases at once; the budget admits nine in all.
    expect(served).toBeGreaterThanOrEqual(8);
    expect(served).toBeLessThanOrEqual(Math.floor(BUDGET_MICROS / ACTUAL_MICROS));
    await expectWithinBudget(gw.store, served);
  });
});
