/**
 * The budget book and gate on a real store (SQLite and PostgreSQL), the memory reservation store
 * and the memory RPM throttle: which budgets apply, what a request sees at each level of spend,
 * refusals, shaping, period rollover, and events recorded once under concurrent settles.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import type { Principal } from '../../../src/identity/authenticator.js';
import { PRESETS } from '../../../src/limits/budget-policy.js';
import type { Reservations } from '../../../src/limits/contracts.js';
import type { Admission } from '../../../src/limits/governor.js';
import { BudgetBook } from '../../../src/limits/budgets/budget-book.js';
import { createBudgetEventsRepo } from '../../../src/limits/budgets/budget-events.repo.js';
import { createBudgetGate } from '../../../src/limits/budgets/budget-gate.js';
import { createBudgetsRepo, type BudgetInput, type BudgetsRepo } from '../../../src/limits/budgets/budgets.repo.js';
import { createMemoryBackend } from '../../../src/limits/rate-limits/memory-backend.js';
import { createRpmThrottle } from '../../../src/limits/rate-limits/rpm-throttle.js';
import { createMemoryReservations } from '../../../src/limits/reservations/memory.js';
import { createRedisReservations } from '../../../src/limits/reservations/redis.js';
import { createSpendTotals } from '../../../src/spend/spend-totals.js';
import type { Store } from '../../../src/store/database.js';
import { openRedis, type RedisClient } from '../../../src/store/redis.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

const USD = 1_000_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** This run's own Redis keys, deleted afterwards (other tests share the server). */
const REDIS_PREFIX = `test:budget-gate:${randomUUID()}:`;
/** 2026-11-18 10:00 UTC, a Wednesday mid-month. */
const NOW = Date.UTC(2026, 10, 18, 10, 0, 0);
const DAY_END = Date.UTC(2026, 10, 19);
const MONTH_END = Date.UTC(2026, 11, 1);

function principal(overrides: Partial<Principal> = {}): Principal {
  return { keyId: null, keyPrefix: null, userId: randomUUID(), userEmail: 'dev@example.com', teamId: null, credential: 'oauth', ...overrides };
}

describe.each(['sqlite', 'postgres'] as const)('budget gate (%s)', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let repo: BudgetsRepo;
  let redis: RedisClient;

  beforeAll(async () => {
    redis = await openRedis(REDIS_URL);
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    repo = createBudgetsRepo(store.db);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${REDIS_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await store?.close();
    await database?.drop();
  });

  function budget(input: Partial<BudgetInput> & Pick<BudgetInput, 'subjectType' | 'subjectId'>): BudgetInput {
    return { amountMicros: 10 * USD, period: 'monthly', timeZone: 'UTC', policy: 'standard', rules: JSON.stringify(PRESETS.standard), strict: false, ...input };
  }

  /** A fresh book over the table, a gate on it, and what the gate did. */
  async function setup(budgets: BudgetInput[], reservations: Reservations = createMemoryReservations(() => NOW)) {
    const book = new BudgetBook(repo);
    for (const input of budgets) book.apply((await repo.upsert(input)).row);
    const errors: unknown[] = [];
    const gate = createBudgetGate({
      book,
      reservations,
      throttle: createRpmThrottle(createMemoryBackend()),
      spend: createSpendTotals(store.db),
      events: createBudgetEventsRepo(store.db),
      contact: 'the platform team',
      reservationTtlMs: 60_000,
      onError: (error) => errors.push(error),
    });
    return { book, gate, errors };
  }

  async function spend(who: Principal, micros: number, at = NOW - 1000) {
    await store.db
      .insertInto('spend_ledger')
      .values({
        request_id: randomUUID(), created_at: at, key_id: who.keyId, key_prefix: null, user_id: who.userId, team_id: who.teamId,
        endpoint_id: null, model: 'claude-sonnet-4-5', upstream_model: null, streaming: 0, status: 200, stop_reason: 'end_turn',
        error_type: null, input_tokens: 1, output_tokens: 1, cache_read_tokens: 0, cache_write_5m_tokens: 0, cache_write_1h_tokens: 0,
        cost_micros: micros, pricing_status: 'priced', usage_estimated: 0, duration_ms: 1, ttft_ms: null, session_id: null,
        tool_names: null, web_searches: 0, upstream_request_id: null,
      })
      .execute();
  }

  const request = (who: Principal, worstCaseMicros = 1000, now = NOW) => ({ principal: who, model: 'claude-sonnet-4-5', worstCaseMicros: () => worstCaseMicros, maxTokens: 32_000, estimatedInputTokens: 10, now });

  async function refusal(promise: Promise<Admission>): Promise<ApiError> {
    const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }

  test('a user is held to their own budget, else their team default, else the global default', async (ctx) => {
    if (!database) return ctx.skip();
    const teamId = randomUUID();
    const own = principal({ teamId });
    const member = principal({ teamId });
    const loner = principal();
    const { book } = await setup([
      budget({ subjectType: 'user', subjectId: own.userId, amountMicros: 1 * USD }),
      budget({ subjectType: 'team_default', subjectId: teamId, amountMicros: 2 * USD }),
      budget({ subjectType: 'global_default', subjectId: '', amountMicros: 3 * USD }),
    ]);
    const amounts = (who: Principal) => book.applicable(who).map((applied) => [applied.subject.type, applied.budget.amountMicros / USD]);
    expect(amounts(own)).toEqual([['user', 1]]);
    expect(amounts(member)).toEqual([['user', 2]]);
    expect(amounts(loner)).toEqual([['user', 3]]);
    // Removed (by another replica: seen through the table mirror), the defaults take over again.
    const polled = new BudgetBook(repo);
    await polled.refresh();
    const ownRow = (await repo.listLive()).find((row) => row.subject_id === own.userId)!;
    await repo.remove(ownRow.id);
    await polled.refresh();
    expect(polled.applicable(own).map((applied) => applied.budget.amountMicros / USD)).toEqual([2]);
    await repo.remove((await repo.listLive()).find((row) => row.subject_id === teamId)!.id);
    await repo.remove((await repo.listLive()).find((row) => row.subject_type === 'global_default')!.id);
  });

  test('the team and key budgets apply alongside the user one, and the tightest speaks', async (ctx) => {
    if (!database) return ctx.skip();
    const teamId = randomUUID();
    const who = principal({ teamId, keyId: randomUUID(), credential: 'key' });
    const { book, gate } = await setup([
      budget({ subjectType: 'user', subjectId: who.userId, amountMicros: 100 * USD }),
      budget({ subjectType: 'team', subjectId: teamId, amountMicros: 10 * USD, period: 'daily' }),
      budget({ subjectType: 'key', subjectId: who.keyId!, amountMicros: 50 * USD }),
    ]);
    expect(book.applicable(who).map((applied) => applied.subject.type)).toEqual(['user', 'team', 'key']);
    // A teammate's spend counts against the team, not against this user or key.
    await spend(principal({ teamId }), 8 * USD);
    const admission = await gate.admit(request(who));
    expect(admission.capped).toBe(true);
    expect(admission.headers['x-ccag-budget-percent']).toBe('80.0');
    expect(admission.headers['anthropic-ratelimit-unified-reset']).toBe(String(DAY_END / 1000));
    admission.release();
  });

  test.for([
    [0, { status: 'allowed', utilization: '0.00', threshold: undefined, ccag: 'ok', remaining: '10.00' }],
    [7.6, { status: 'allowed_warning', utilization: '0.76', threshold: '0.75', ccag: 'ok', remaining: '2.40' }],
    [9.6, { status: 'allowed_warning', utilization: '0.96', threshold: '0.95', ccag: 'warning', remaining: '0.40' }],
  ] as const)('spent $%s of $10: the usage-limit headers', async ([spentUsd, expected], ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const { gate } = await setup([budget({ subjectType: 'user', subjectId: who.userId })]);
    await spend(who, spentUsd * USD);
    const admission = await gate.admit(request(who));
    const headers = admission.headers;
    expect(headers['anthropic-ratelimit-unified-status']).toBe(expected.status);
    expect(headers['anthropic-ratelimit-unified-representative-claim']).toBe('overage');
    expect(headers['anthropic-ratelimit-unified-overage-status']).toBe(expected.status);
    expect(headers['anthropic-ratelimit-unified-overage-utilization']).toBe(expected.utilization);
    expect(headers['anthropic-ratelimit-unified-overage-surpassed-threshold']).toBe(expected.threshold);
    expect(headers['anthropic-ratelimit-unified-reset']).toBe(String(MONTH_END / 1000));
    expect(headers['anthropic-ratelimit-unified-overage-reset']).toBe(String(MONTH_END / 1000));
    expect(headers['x-ccag-budget-status']).toBe(expected.ccag);
    expect(headers['x-ccag-budget-remaining-usd']).toBe(expected.remaining);
    expect(headers['x-ccag-budget-resets']).toBe(new Date(MONTH_END).toISOString());
    admission.release();
  });

  test('spent all of it: 429 billing_error with the block headers and a message naming budget, reset and contact', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const { gate } = await setup([budget({ subjectType: 'user', subjectId: who.userId })]);
    await spend(who, 10 * USD);
    const error = await refusal(gate.admit(request(who)));
    expect(error.status).toBe(429);
    expect(error.type).toBe('billing_error');
    expect(error.message).toBe(
      'Request refused: your monthly budget of $10.00 is spent until it resets at 2026-12-01T00:00:00.000Z; to raise it, ask the platform team.',
    );
    expect(error.headers).toEqual({
      'retry-after': String((MONTH_END - NOW) / 1000),
      'x-should-retry': 'false',
      'anthropic-ratelimit-unified-status': 'rejected',
      'anthropic-ratelimit-unified-overage-utilization': '1',
      'anthropic-ratelimit-unified-overage-surpassed-threshold': '1',
      'anthropic-ratelimit-unified-overage-period': 'monthly',
      'anthropic-ratelimit-unified-reset': String(MONTH_END / 1000),
      'anthropic-ratelimit-unified-overage-reset': String(MONTH_END / 1000),
      'x-ccag-budget-status': 'blocked',
      'x-ccag-budget-percent': '100.0',
      'x-ccag-budget-remaining-usd': '0.00',
      'x-ccag-budget-resets': new Date(MONTH_END).toISOString(),
    });
  });

  test('an unreachable reservation store refuses with a retryable 503 instead of forwarding unreserved', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const down = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    const unreachable: Reservations = {
      reserve: () => Promise.reject(down),
      settle: () => Promise.reject(down),
      release: () => Promise.reject(down),
      standing: () => Promise.reject(down),
    };
    const { gate, errors } = await setup([budget({ subjectType: 'user', subjectId: who.userId })], unreachable);
    const error = await refusal(gate.admit(request(who)));
    expect({ status: error.status, type: error.type, code: error.code }).toEqual({ status: 503, type: 'overloaded_error', code: 'budgets_unavailable' });
    expect(errors).toEqual([down]);
    // Nobody without a budget depends on the store.
    await expect(gate.admit(request(principal()))).resolves.toMatchObject({ capped: false });
  });

  test.for([
    [false, 4],
    [true, 3],
  ] as const)('concurrent requests on a $1 budget, strict %s: worst cases are reserved, %i admitted', async ([strict, admitted], ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const { gate } = await setup([budget({ subjectType: 'user', subjectId: who.userId, amountMicros: 1 * USD, strict })]);
    // Default: admitted while committed < $1 ($0, $0.30, $0.60, $0.90). Strict: while the $0.30 fits.
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => gate.admit(request(who, 0.3 * USD))));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(admitted);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as ApiError).code).toBe('budget_exceeded');
  });

  test("Claude Code's max_tokens: at 84% of $10, the default admits a $1.92 worst case; strict refuses it and says why", async (ctx) => {
    if (!database) return ctx.skip();
    const lenient = principal();
    const strict = principal();
    const { gate } = await setup([
      budget({ subjectType: 'user', subjectId: lenient.userId }),
      budget({ subjectType: 'user', subjectId: strict.userId, strict: true }),
    ]);
    await spend(lenient, 8_400_000);
    await spend(strict, 8_400_000);
    // A Claude Code-sized worst case (large max_tokens on an Opus-class model): $1.92, more than the $1.60 left.
    const worstCase = 1_920_000;
    const admission = await gate.admit(request(lenient, worstCase));
    expect(admission.headers['x-ccag-budget-percent']).toBe('84.0');
    admission.release();

    const error = await refusal(gate.admit(request(strict, worstCase)));
    expect({ status: error.status, type: error.type, code: error.code }).toEqual({ status: 429, type: 'billing_error', code: 'budget_exceeded' });
    expect(error.message).toBe(
      "Request refused: this request's worst case ($1.92, from max_tokens 32000) does not fit the $1.60 that remains of your monthly budget of $10.00 until it resets at 2026-12-01T00:00:00.000Z; send a smaller max_tokens or ask the platform team to raise the budget.",
    );
    expect(error.headers['x-should-retry']).toBe('false');
    expect(error.headers['x-ccag-budget-remaining-usd']).toBe('1.60');
    // A smaller max_tokens fits.
    (await gate.admit(request(strict, 1_600_000))).release();
  });

  test('the default rule refuses once spent plus reserved reaches the limit, as a spent budget', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const { gate } = await setup([budget({ subjectType: 'user', subjectId: who.userId })]);
    await spend(who, 8_400_000);
    const held = await gate.admit(request(who, 1_920_000));
    // $8.40 spent + $1.92 reserved passes $10: nothing remains uncommitted.
    const error = await refusal(gate.admit(request(who, 1000)));
    expect(error.message).toBe('Request refused: your monthly budget of $10.00 is spent until it resets at 2026-12-01T00:00:00.000Z; to raise it, ask the platform team.');
    held.release();
    (await gate.admit(request(who, 1000))).release();
  });

  test('a daily budget in a time zone resets at that zone\'s midnight', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const { gate } = await setup([budget({ subjectType: 'user', subjectId: who.userId, period: 'daily', timeZone: 'Asia/Tokyo', amountMicros: 1 * USD })]);
    // Tokyo's day of 2026-11-18 ends at 15:00 UTC.
    const tokyoMidnight = Date.UTC(2026, 10, 18, 15);
    await spend(who, 1 * USD, tokyoMidnight - 60_000);
    const error = await refusal(gate.admit(request(who, 1000, tokyoMidnight - 1000)));
    expect(error.headers['retry-after']).toBe('1');
    expect(error.headers['anthropic-ratelimit-unified-overage-period']).toBe('daily');
    const admission = await gate.admit(request(who, 1000, tokyoMidnight));
    expect(admission.headers['x-ccag-budget-status']).toBe('ok');
    expect(admission.headers['anthropic-ratelimit-unified-reset']).toBe(String((tokyoMidnight + 86_400_000) / 1000));
    admission.release();
  });

  test('past a shape rule the subject is throttled to the rule\'s RPM', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const rules = JSON.stringify([{ action: 'shape', percent: 50, rpm: 2 }, { action: 'block', percent: 100 }]);
    const { gate } = await setup([budget({ subjectType: 'user', subjectId: who.userId, policy: 'custom', rules })]);
    await spend(who, 6 * USD);
    const first = await gate.admit(request(who));
    const second = await gate.admit(request(who));
    expect(first.headers['x-ccag-budget-status']).toBe('shaped');
    const error = await refusal(gate.admit(request(who)));
    expect(error.code).toBe('budget_throttled');
    expect(error.type).toBe('rate_limit_error');
    expect(Number(error.headers['retry-after'])).toBeGreaterThan(0);
    first.release();
    second.release();
  });

  test('each threshold crossed is recorded once, even under concurrent settles', async (ctx) => {
    if (!database) return ctx.skip();
    const teamId = randomUUID();
    const who = principal({ teamId });
    const { gate, errors } = await setup([
      budget({ subjectType: 'user', subjectId: who.userId, policy: 'soft', rules: JSON.stringify(PRESETS.soft) }),
      budget({ subjectType: 'team', subjectId: teamId, amountMicros: 100 * USD }),
    ]);
    const admissions = await Promise.all(Array.from({ length: 12 }, () => gate.admit(request(who, 1000))));
    // Twelve dollars on a $10 soft budget: past 80 and 100, short of the block at 150.
    for (const admission of admissions) admission.settle({ costMicros: 1 * USD, tokens: 10 });
    await expect.poll(async () => (await store.db.selectFrom('budget_events').selectAll().where('subject_id', '=', who.userId).execute()).length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = await store.db.selectFrom('budget_events').selectAll().where('subject_id', 'in', [who.userId, teamId]).orderBy('threshold_percent').execute();
    expect(errors).toEqual([]);
    expect(events.map((event) => [event.subject_type, event.threshold_percent, event.event_type, event.severity])).toEqual([
      ['user', 80, 'budget_warning', 'warning'],
      ['user', 100, 'budget_warning', 'warning'],
    ]);
    expect(JSON.parse(events[0]!.detail)).toMatchObject({ threshold_percent: 80, limit_usd: 10, period: 'monthly', period_start: '2026-11-01T00:00:00.000Z' });
    // The same thresholds crossed again in the period (another replica's counter, unseeded here) add nothing.
    const again = await setup([budget({ subjectType: 'user', subjectId: who.userId, policy: 'soft', rules: JSON.stringify(PRESETS.soft) })]);
    const admission = await again.gate.admit(request(who, 1000));
    admission.settle({ costMicros: 12 * USD, tokens: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(again.errors).toEqual([]);
    expect((await store.db.selectFrom('budget_events').selectAll().where('subject_id', '=', who.userId).execute()).length).toBe(2);
  });

  test('two replicas sharing Redis: together they stay under the cap, and record each threshold once', async (ctx) => {
    if (!database) return ctx.skip();
    const who = principal();
    const input = budget({ subjectType: 'user', subjectId: who.userId, amountMicros: 1 * USD });
    const replicas = [await setup([input], createRedisReservations(redis, REDIS_PREFIX, () => NOW)), await setup([input], createRedisReservations(redis, REDIS_PREFIX, () => NOW))];
    const attempts = Array.from({ length: 10 }, (_, index) => replicas[index % 2]!.gate.admit(request(who, 0.25 * USD)));
    const outcomes = await Promise.allSettled(attempts);
    const admitted = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(admitted).toHaveLength(4);
    for (const admission of admitted) admission.settle({ costMicros: 0.25 * USD, tokens: 10 });
    const events = () => store.db.selectFrom('budget_events').select(['threshold_percent', 'event_type']).where('subject_id', '=', who.userId).orderBy('threshold_percent').execute();
    await expect.poll(async () => (await events()).length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await events()).toEqual([
      { threshold_percent: 80, event_type: 'budget_warning' },
      { threshold_percent: 100, event_type: 'budget_blocked' },
    ]);
    expect(replicas.flatMap((replica) => replica.errors)).toEqual([]);
  });
});
