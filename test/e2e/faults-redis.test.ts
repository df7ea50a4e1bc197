/**
 * Redis killed (SIGKILL, no persistence) and restarted under streaming load, on a real
 * `ccag serve` process with its own Redis: one key under rate limits (requests per minute and
 * concurrency), one user under a budget. What each limit does while Redis is gone and after it
 * comes back empty is what docs/operations.md ("When Redis fails") says:
 *  - rate limits fail open: every request is admitted while the counters are unreachable, and
 *    the windows start empty when Redis returns;
 *  - budgets fail closed: a budgeted request gets 503 `overloaded_error` and is not forwarded;
 *    when Redis returns, the counters are seeded again from the spend ledger;
 *  - a stream admitted before the kill finishes normally and is billed once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUserBudget } from '../support/budget-load.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { expectBackToBaseline, startFaultGateway, warmUpAndMeasure, type FaultGateway, type Footprint } from '../support/fault-gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';
import { expectOneRowPerCompleted, runConcurrently, streamLoad, tally, type StreamLoad, type StreamOutcome } from '../support/stream-load.js';

const STREAM = 'redis outage [[usage in=100 out=20]] [[chunks 10]] [[delay 20]]';
const RPM = 30;
const CONCURRENCY_LIMIT = 4;
const OUTAGE_MS = 3_000;
type Phase = 'before' | 'outage' | 'after';

describe('Redis killed and restarted under streaming load', () => {
  let mock: MockAnthropic;
  let database: TestDatabase;
  let redis: OwnRedis;
  let gateway: FaultGateway;
  let limitedKey: string;
  let budgetedKey: string;
  let baseline: Footprint;
  const outcomes: StreamOutcome[] = [];

  beforeAll(async () => {
    database = (await createTestDatabase('sqlite'))!;
    mock = await startMockAnthropic();
    redis = await startOwnRedis();
    gateway = await startFaultGateway(database, { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, REDIS_URL: redis.url, CCAG_REDIS_PREFIX: `ccag-faults-${randomUUID()}:` });
    const limited = await gateway.createKey('rate-limited@example.com');
    limitedKey = limited.key;
    const put = await gateway.admin('PUT', `/rate-limits/key/${limited.id}`, { rpm: RPM, concurrency: CONCURRENCY_LIMIT });
    expect(put.status).toBe(200);
    budgetedKey = (await gateway.createKey('budgeted@example.com')).key;
    await createUserBudget(gateway, 'budgeted@example.com');
    const warm = await warmUpAndMeasure(gateway, mock, budgetedKey, STREAM);
    outcomes.push(...warm.outcomes);
    baseline = warm.baseline;
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await redis?.stop();
    await mock?.close();
    await database?.drop();
  });

  /** Streams from `concurrency` clients until stopped, each outcome filed under the phase it started in. */
  function drive(load: StreamLoad, concurrency: number, phase: () => Phase) {
    const byPhase: Record<Phase, StreamOutcome[]> = { before: [], outage: [], after: [] };
    let running = true;
    const done = runConcurrently(concurrency, concurrency, async () => {
      while (running) {
        const started = phase();
        byPhase[started].push(await load.stream(STREAM));
        // A refusal comes back at once: pace the retries like a client would.
        if (byPhase[started].at(-1)!.status !== 200) await sleep(50);
      }
    });
    return { byPhase, stop: async () => ((running = false), await done) };
  }

  test(`killed for ${OUTAGE_MS / 1000} s: rate limits fail open, budgets fail closed, both recover with empty counters`, async () => {
    const limitedLoad = streamLoad(gateway.url, limitedKey);
    const budgetedLoad = streamLoad(gateway.url, budgetedKey);
    let phase: Phase = 'before';
    const limited = drive(limitedLoad, 6, () => phase);
    const budgeted = drive(budgetedLoad, 6, () => phase);
    await sleep(2_000);
    phase = 'outage';
    await redis.kill();
    await sleep(OUTAGE_MS);
    await redis.restart();
    phase = 'after';
    await sleep(4_000);
    await Promise.all([limited.stop(), budgeted.stop()]);
    const recovery = await budgetedLoad.stream(STREAM);
    await Promise.all([limitedLoad.close(), budgetedLoad.close()]);
    const all = [limited.byPhase, budgeted.byPhase].flatMap((p) => [...p.before, ...p.outage, ...p.after]);
    outcomes.push(...all, recovery);
    const report = (byPhase: Record<Phase, StreamOutcome[]>) => ({ before: tally(byPhase.before), outage: tally(byPhase.outage), after: tally(byPhase.after) });

    expect(recovery.complete, 'a budgeted request after Redis is back').toBe(true);
    // Rate limits: enforced before (rpm or concurrency refusals), not while Redis is gone, enforced again after.
    expect(limited.byPhase.before.filter((o) => o.status === 429).length).toBeGreaterThan(0);
    expect(limited.byPhase.outage.length).toBeGreaterThan(0);
    expect(limited.byPhase.outage.filter((o) => !o.complete)).toEqual([]);
    expect(limited.byPhase.after.filter((o) => o.complete).length).toBeGreaterThan(0);
    expect(limited.byPhase.after.filter((o) => o.status === 429).length).toBeGreaterThan(0);
    // Budgets: served before, refused with 503 overloaded_error while Redis is gone, served after.
    // (A stream started just before the kill may reach the budget check just after it.)
    const refusedAtTheKill = budgeted.byPhase.before.filter((o) => !o.complete);
    expect(refusedAtTheKill.length).toBeLessThanOrEqual(6);
    expect(refusedAtTheKill.filter((o) => o.status !== 503)).toEqual([]);
    const refused = budgeted.byPhase.outage.filter((o) => !o.complete);
    expect(refused.length).toBeGreaterThan(0);
    for (const outcome of refused) {
      expect(outcome.status).toBe(503);
      expect(JSON.parse(outcome.body)).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    }
    expect(budgeted.byPhase.after.filter((o) => o.complete).length).toBeGreaterThan(0);

    await sleep(300);
    const ledger = expectOneRowPerCompleted(await gateway.ledger(), outcomes);
    mock.closeIdleConnections();
    const after = await expectBackToBaseline(gateway, baseline);
    console.log(`[faults] redis killed ${OUTAGE_MS} ms: ${JSON.stringify({ rateLimited: report(limited.byPhase), budgeted: report(budgeted.byPhase), ledger, baseline, footprint: after })}`);
  }, 60_000);
});
