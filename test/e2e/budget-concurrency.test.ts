/**
 * No overspend under concurrency (spec §4), through the real gateway on SQLite and PostgreSQL:
 * 50 clients stream requests at once against a $1.00 user budget, each request reserving its
 * worst case (about $0.12) and costing about $0.10, once against a budget under the default
 * admission rule and once against a strict one. Default: the ledger reaches the limit and passes
 * it by at most one worst case. Strict: the ledger stays within the limit, and the budget is still
 * usable up to one request's worst case.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { createUserBudget, drive, expectServed, expectWithinBudget, type AdmissionRule, type Outcome } from '../support/budget-load.js';

describe.each(['sqlite', 'postgres'] as const)('budget under 50 concurrent streams (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  const keys = new Map<AdmissionRule, string>();
  const emailOf = (rule: AdmissionRule) => `spender-${rule}@example.com`;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    for (const rule of ['default', 'strict'] as const) {
      keys.set(rule, (await gw.createKey(emailOf(rule))).key);
      await createUserBudget(gw, emailOf(rule), rule);
    }
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test.for(['default', 'strict'] as const)('%s rule: the ledger stays within its bound and every refusal is a 429 billing_error', async (rule, ctx) => {
    if (!gw) return ctx.skip();
    const outcomes: Outcome[] = await drive([gw.url], keys.get(rule)!, 50);
    const served = outcomes.filter((outcome) => outcome === 'served').length;
    expectServed(served, rule);
    await expectWithinBudget(gw.store, emailOf(rule), served, rule);
  });
});
