/**
 * The bench of the upstream fault tests (test/e2e/faults-upstream-*.test.ts): a `ccag serve`
 * process in front of one mock upstream, warmed up, with its footprint baseline; and a fault run
 * beside as many clean requests, followed by the ledger, footprint and recovery checks.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { expectBackToBaseline, startFaultGateway, type FaultGateway, type Footprint } from './fault-gateway.js';
import { startMockAnthropic, type MockAnthropic } from './mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from './mock-bedrock.js';
import { expectOneRowPerCompleted, runConcurrently, streamLoad, tally, type StreamOutcome } from './stream-load.js';

/** The gateway's CCAG_UPSTREAM_TIMEOUT_MS here: a hung upstream must be given up on after it. */
const UPSTREAM_TIMEOUT_MS = 1500;
const CLEAN = 'clean [[usage in=100 out=20]] [[chunks 5]] [[delay 5]]';
export const PER_FAULT = 8;

interface Upstream {
  closeIdleConnections(): void;
  close(): Promise<void>;
}

/** A gateway in front of one mock upstream, warmed up, with its footprint baseline. */
export function faultBench(kind: 'anthropic' | 'bedrock') {
  const bench = {
    database: undefined as TestDatabase | undefined,
    upstream: undefined as Upstream | undefined,
    gateway: undefined as unknown as FaultGateway,
    key: '',
    baseline: undefined as unknown as Footprint,
    /** Every outcome of the file, so the ledger check sees every request sent. */
    outcomes: [] as StreamOutcome[],
  };
  beforeAll(async () => {
    bench.database = await createTestDatabase('sqlite');
    let env: Record<string, string>;
    if (kind === 'anthropic') {
      const mock: MockAnthropic = await startMockAnthropic();
      bench.upstream = mock;
      env = { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url };
    } else {
      const mock: MockBedrock = await startMockBedrock();
      bench.upstream = mock;
      env = { AWS_REGION: 'us-east-1', BEDROCK_ENDPOINT_URL: mock.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true' };
    }
    bench.gateway = await startFaultGateway(bench.database!, { ...env, CCAG_UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) });
    bench.key = (await bench.gateway.createKey(`faults-${kind}@example.com`)).key;
    // Warm-up (lazily loaded modules, pools, JIT) before the baseline.
    const load = streamLoad(bench.gateway.url, bench.key);
    bench.outcomes.push(...(await runConcurrently(20, 10, () => load.stream(CLEAN))));
    await load.close();
    bench.upstream.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 500)); // closed sockets leave the gateway
    bench.baseline = bench.gateway.footprint();
  }, 60_000);
  afterAll(async () => {
    await bench.gateway?.stop();
    await bench.upstream?.close();
    await bench.database?.drop();
  });

  /**
   * `PER_FAULT` faulty requests among as many clean ones, all at once; then the ledger, footprint
   * and recovery checks. Returns the faulty outcomes for the fault's own assertions.
   */
  async function underLoad(fault: string): Promise<StreamOutcome[]> {
    const load = streamLoad(bench.gateway.url, bench.key);
    const startedAt = performance.now();
    const outcomes = await runConcurrently(2 * PER_FAULT, 2 * PER_FAULT, (i) => load.stream(i % 2 === 0 ? `${fault} [[usage in=100 out=20]] [[chunks 5]]` : CLEAN));
    const elapsedMs = Math.round(performance.now() - startedAt);
    const recovery = await load.stream(CLEAN);
    await load.close();
    bench.outcomes.push(...outcomes, recovery);
    expect(recovery.complete, 'a normal request after the fault').toBe(true);
    const clean = outcomes.filter((_, i) => i % 2 === 1);
    expect(clean.filter((o) => o.complete)).toHaveLength(PER_FAULT);

    await new Promise((resolve) => setTimeout(resolve, 300)); // the ledger's 20 ms flush, with room
    const ledger = expectOneRowPerCompleted(await bench.gateway.ledger(), bench.outcomes);
    bench.upstream!.closeIdleConnections();
    const after = await expectBackToBaseline(bench.gateway, bench.baseline);
    console.log(`[faults] ${kind} ${fault}: ${JSON.stringify({ outcomes: tally(outcomes), elapsedMs, ledger, baseline: bench.baseline, after })}`);
    return outcomes.filter((_, i) => i % 2 === 0);
  }

  return { bench, underLoad };
}

/** `ccag_errors_total{error_type=…}` summed over endpoints. */
export function errorCount(metrics: string, errorType: string): number {
  const series = new RegExp(`^ccag_errors_total\\{error_type="${errorType}"[^}]*\\} (\\d+)$`, 'gm');
  return [...metrics.matchAll(series)].reduce((sum, m) => sum + Number(m[1]), 0);
}

export const rowOf = (gateway: FaultGateway, requestId: string | null) => gateway.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId!).execute();
