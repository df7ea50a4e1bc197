/**
 * PostgreSQL stopped and restarted under streaming load, on a real `ccag serve` process: the
 * gateway reaches its database through a TCP proxy that the test cuts (every connection dropped,
 * new ones refused) for a few seconds while streams run, then restores. The shared PostgreSQL
 * server itself is never stopped. Requests are served throughout (no per-request database
 * reads); their ledger rows wait in memory and are written once the database is back, exactly
 * one per request the client saw complete.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { expectBackToBaseline, startFaultGateway, warmUpAndMeasure, type FaultGateway, type Footprint } from '../support/fault-gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { expectOneRowPerCompleted, runConcurrently, streamLoad, tally, type StreamOutcome } from '../support/stream-load.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const STREAM = 'under an outage [[usage in=100 out=20]] [[chunks 10]] [[delay 20]]';
const OUTAGE_MS = 4_000;
const CONCURRENCY = 12;

describe('PostgreSQL outage under streaming load (postgres)', () => {
  let mock: MockAnthropic;
  let database: TestDatabase | undefined;
  let proxy: TcpProxy;
  let gateway: FaultGateway;
  let key: string;
  let baseline: Footprint;
  const outcomes: StreamOutcome[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (!database) return;
    mock = await startMockAnthropic();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const viaProxy = new URL(database.databaseUrl!);
    viaProxy.port = String(proxy.port);
    gateway = await startFaultGateway(database, { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_DATABASE_POOL_SIZE: '4' }, viaProxy.toString());
    ({ key } = await gateway.createKey('pg-outage@example.com'));
    const warm = await warmUpAndMeasure(gateway, mock, key, STREAM);
    outcomes.push(...warm.outcomes);
    baseline = warm.baseline;
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await mock?.close();
    await database?.drop();
  });

  test(`cut for ${OUTAGE_MS / 1000} s under ${CONCURRENCY} concurrent streams: every stream served, one ledger row each once the database is back`, async (ctx) => {
    if (!database) return ctx.skip();
    const load = streamLoad(gateway.url, key);
    type Phase = 'before' | 'outage' | 'after';
    let phase = 'before' as Phase;
    const byPhase: Record<Phase, StreamOutcome[]> = { before: [], outage: [], after: [] };
    let running = true;
    const driver = runConcurrently(CONCURRENCY, CONCURRENCY, async () => {
      while (running) {
        const started = phase;
        const outcome = await load.stream(STREAM);
        byPhase[started].push(outcome);
      }
    });
    await sleep(1_000);
    proxy.cut();
    phase = 'outage';
    const cutAt = performance.now();
    await sleep(OUTAGE_MS);
    const rowsDuringOutage = (await gateway.ledger()).length;
    proxy.restore();
    phase = 'after';
    const outageMs = Math.round(performance.now() - cutAt);
    await sleep(1_500);
    running = false;
    await driver;
    const recovery = await load.stream(STREAM);
    await load.close();
    const sent = [...byPhase.before, ...byPhase.outage, ...byPhase.after, recovery];
    outcomes.push(...sent);

    expect(recovery.complete, 'a normal request after the outage').toBe(true);
    expect(byPhase.outage.length).toBeGreaterThan(0);
    // No per-request database reads: the outage does not fail a single stream.
    expect(sent.filter((o) => !o.complete)).toEqual([]);

    // The buffered rows are written once the pool reconnects.
    let rows = await gateway.ledger();
    for (let waited = 0; rows.length < outcomes.length && waited < 20_000; waited += 250) {
      await sleep(250);
      rows = await gateway.ledger();
    }
    const ledger = expectOneRowPerCompleted(rows, outcomes);
    expect(rows.reduce((sum, row) => sum + row.cost_micros, 0)).toBe(ledger.completed * (100 * 3 + 20 * 15));
    mock.closeIdleConnections();
    const after = await expectBackToBaseline(gateway, baseline);
    console.log(
      `[faults] postgres outage ${outageMs} ms: ${JSON.stringify({
        before: tally(byPhase.before),
        outage: tally(byPhase.outage),
        after: tally(byPhase.after),
        rowsDuringOutage,
        ledger,
        baseline,
        footprint: after,
      })}`,
    );
  }, 60_000);
});
