/**
 * Upstream faults under streaming load, on a real `ccag serve` process: an upstream that hangs
 * before its headers, one that resets the connection mid-stream, and one that sends frames that
 * do not parse (Anthropic SSE; Bedrock event-stream frames with a bad CRC or a truncated
 * prelude). Each fault runs beside clean requests; afterwards every request the client saw
 * complete has exactly one ledger row, the gateway's descriptors and memory are back near their
 * baseline, and a normal request succeeds without a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { expectBackToBaseline, startFaultGateway, type FaultGateway, type Footprint } from '../support/fault-gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { expectOneRowPerCompleted, runConcurrently, streamLoad, tally, type StreamOutcome } from '../support/stream-load.js';

/** The gateway's CCAG_UPSTREAM_TIMEOUT_MS here: a hung upstream must be given up on after it. */
const UPSTREAM_TIMEOUT_MS = 1500;
const CLEAN = 'clean [[usage in=100 out=20]] [[chunks 5]] [[delay 5]]';
const PER_FAULT = 8;

interface Upstream {
  closeIdleConnections(): void;
  close(): Promise<void>;
}

/** A gateway in front of one mock upstream, warmed up, with its footprint baseline. */
function faultBench(kind: 'anthropic' | 'bedrock') {
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
function errorCount(metrics: string, errorType: string): number {
  const series = new RegExp(`^ccag_errors_total\\{error_type="${errorType}"[^}]*\\} (\\d+)$`, 'gm');
  return [...metrics.matchAll(series)].reduce((sum, m) => sum + Number(m[1]), 0);
}

const rowOf = (gateway: FaultGateway, requestId: string | null) => gateway.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId!).execute();

describe('upstream faults: Anthropic API (SSE)', () => {
  const { bench, underLoad } = faultBench('anthropic');

  test('hangs before headers: 502 upstream_unreachable after the upstream timeout, no ledger row, counted as an error', async () => {
    const before = errorCount(await bench.gateway.scrape(), 'upstream_unreachable');
    const faulty = await underLoad('[[fault hang]]');
    for (const outcome of faulty) {
      expect(outcome.status).toBe(502);
      expect(JSON.parse(outcome.body)).toMatchObject({ type: 'error', error: { type: 'api_error', message: 'The upstream API could not be reached.' } });
      expect(await rowOf(bench.gateway, outcome.requestId)).toHaveLength(0);
    }
    expect(errorCount(await bench.gateway.scrape(), 'upstream_unreachable') - before).toBe(PER_FAULT);
  });

  test('resets mid-stream: an SSE error event after the first delta, one ledger row with the partial usage', async () => {
    const faulty = await underLoad('[[fault reset]]');
    for (const outcome of faulty) {
      expect(outcome.status).toBe(200);
      expect(outcome.body).toContain('event: error');
      expect(outcome.complete).toBe(false);
      const rows = await rowOf(bench.gateway, outcome.requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ input_tokens: 100, error_type: 'api_error' });
    }
  });

  test('malformed SSE frame: relayed as sent, the meter skips it and records the full usage once', async () => {
    const faulty = await underLoad('[[fault malformed]]');
    for (const outcome of faulty) {
      const rows = await rowOf(bench.gateway, outcome.requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ input_tokens: 100, output_tokens: 20 });
    }
  });
});

describe('upstream faults: Amazon Bedrock (binary event stream)', () => {
  const { bench, underLoad } = faultBench('bedrock');

  // Bedrock answers a network failure as its own error reply, relayed and settled like the others.
  test('hangs before headers: 502 api_error after the upstream timeout, one zero-token ledger row, counted as an error', async () => {
    const before = errorCount(await bench.gateway.scrape(), 'api_error');
    const faulty = await underLoad('[[fault hang]]');
    for (const outcome of faulty) {
      expect(outcome.status).toBe(502);
      expect(JSON.parse(outcome.body)).toMatchObject({ type: 'error', error: { type: 'api_error', message: 'The gateway could not reach Amazon Bedrock; the details were logged for the gateway operator.' } });
      const rows = await rowOf(bench.gateway, outcome.requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 502, error_type: 'api_error', input_tokens: 0, output_tokens: 0, cost_micros: 0 });
    }
    expect(errorCount(await bench.gateway.scrape(), 'api_error') - before).toBe(PER_FAULT);
  });

  for (const fault of ['reset', 'bad-crc', 'truncated-prelude']) {
    test(`${fault} after the first delta: an SSE error event, one ledger row with the partial usage`, async () => {
      const faulty = await underLoad(`[[fault ${fault}]]`);
      for (const outcome of faulty) {
        expect(outcome.status).toBe(200);
        expect(outcome.body).toContain('event: error');
        // The corrupt frame repeats the first delta: it must not reach the client.
        expect(outcome.body.match(/"text_delta"/g)).toHaveLength(1);
        const rows = await rowOf(bench.gateway, outcome.requestId);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ input_tokens: 100, error_type: 'api_error' });
      }
    });
  }
});
