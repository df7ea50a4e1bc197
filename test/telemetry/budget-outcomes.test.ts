/**
 * `ccag.budget.requests.total{status}` from the real budget gate on a real store (SQLite and
 * PostgreSQL): each decision counts once by outcome, and requests without a budget not at all.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Principal } from '../../src/identity/authenticator.js';
import { PRESETS } from '../../src/limits/budget-policy.js';
import type { Reservations } from '../../src/limits/contracts.js';
import { BudgetBook } from '../../src/limits/budgets/budget-book.js';
import { createBudgetEventsRepo } from '../../src/limits/budgets/budget-events.repo.js';
import { createBudgetGate } from '../../src/limits/budgets/budget-gate.js';
import { createBudgetsRepo, type BudgetInput } from '../../src/limits/budgets/budgets.repo.js';
import { createMemoryBackend } from '../../src/limits/rate-limits/memory-backend.js';
import { createRpmThrottle } from '../../src/limits/rate-limits/rpm-throttle.js';
import { createMemoryReservations } from '../../src/limits/reservations/memory.js';
import { createSpendTotals } from '../../src/spend/spend-totals.js';
import type { Store } from '../../src/store/database.js';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { countBudgetOutcomes, createRecorders } from '../../src/telemetry/recorders.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { sampleValue } from '../support/prometheus-text.js';

const USD = 1_000_000;

function principal(): Principal {
  return { keyId: null, keyPrefix: null, userId: randomUUID(), userEmail: 'dev@example.com', teamId: null, credential: 'oauth' };
}

describe.each(['sqlite', 'postgres'] as const)('budget outcomes (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let metrics: Metrics;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (database) store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });
  afterEach(() => metrics?.shutdown());

  /** The real gate over a book holding `budgets`, wrapped to count its decisions. */
  async function countedGate(budgets: BudgetInput[], reservations: Reservations = createMemoryReservations()) {
    const repo = createBudgetsRepo(store.db);
    const book = new BudgetBook(repo);
    for (const input of budgets) book.apply((await repo.upsert(input)).row);
    const gate = createBudgetGate({
      book,
      reservations,
      throttle: createRpmThrottle(createMemoryBackend()),
      spend: createSpendTotals(store.db),
      events: createBudgetEventsRepo(store.db),
      contact: 'the platform team',
      reservationTtlMs: 60_000,
      onError: () => {},
    });
    metrics = createMetrics({ otlpIntervalMs: 60_000 });
    const observe = createRecorders(metrics.instruments, { endpointKind: () => undefined });
    return countBudgetOutcomes(gate, observe.budgetOutcome);
  }

  const budget = (who: Principal, input: Partial<BudgetInput>): BudgetInput => ({
    subjectType: 'user',
    subjectId: who.userId,
    amountMicros: 1 * USD,
    period: 'monthly',
    timeZone: 'UTC',
    policy: 'standard',
    rules: JSON.stringify(PRESETS.standard),
    strict: false,
    ...input,
  });
  const request = (who: Principal, worstCaseMicros: number) => ({ principal: who, model: 'claude-sonnet-4-5', worstCaseMicros: () => worstCaseMicros, estimatedInputTokens: 10, now: Date.now() });

  async function outcomes(): Promise<Record<string, number | undefined>> {
    const text = await metrics.scrape();
    const statuses = ['ok', 'warning', 'shaped', 'throttled', 'blocked', 'unavailable'];
    return Object.fromEntries(statuses.map((status) => [status, sampleValue(text, `ccag_budget_requests_total{status="${status}"}`)]));
  }

  test('ok, warning and blocked by where the budget stands; no budget, no count', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const gate = await countedGate([budget(who, {})]);
    const first = await gate.admit(request(who, 0.5 * USD));
    first.settle({ costMicros: 0.85 * USD, tokens: 1 });
    // Settling is asynchronous; the next decision must see it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // $0.85 spent + $0.15 reserved reaches the $1 limit: nothing remains, the next is blocked.
    const second = await gate.admit(request(who, 150_000));
    await expect(gate.admit(request(who, 0.1 * USD))).rejects.toMatchObject({ code: 'budget_exceeded' });
    second.release();
    await gate.admit(request(principal(), 0.1 * USD));
    expect(await outcomes()).toEqual({ ok: 1, warning: 1, shaped: 0, throttled: 0, blocked: 1, unavailable: 0 });
  });

  test('shaped while admitted, throttled when the shaping RPM refuses, unavailable when reservations fail', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const rules = JSON.stringify([{ action: 'shape', percent: 50, rpm: 1 }, { action: 'block', percent: 100 }]);
    const gate = await countedGate([budget(who, { policy: 'custom', rules, amountMicros: 10 * USD })]);
    const first = await gate.admit(request(who, 6 * USD));
    first.settle({ costMicros: 6 * USD, tokens: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const shaped = await gate.admit(request(who, 0.01 * USD));
    await expect(gate.admit(request(who, 0.01 * USD))).rejects.toMatchObject({ code: 'budget_throttled' });
    shaped.release();
    expect(await outcomes()).toMatchObject({ ok: 1, shaped: 1, throttled: 1 });
    await metrics.shutdown();

    const down = () => Promise.reject(new Error('connect ECONNREFUSED'));
    const unreachable: Reservations = { reserve: down, settle: down, release: down, standing: down };
    const owner = principal();
    const failing = await countedGate([budget(owner, {})], unreachable);
    await failing.admit(request(principal(), 1)); // no budget: never reaches the store
    await expect(failing.admit(request(owner, 1))).rejects.toMatchObject({ code: 'budgets_unavailable' });
    expect(await outcomes()).toEqual({ ok: 0, warning: 0, shaped: 0, throttled: 0, blocked: 0, unavailable: 1 });
  });
});
