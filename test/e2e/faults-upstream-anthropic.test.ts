/**
 * Anthropic API upstream faults under streaming load, on a real `ccag serve` process: an upstream
 * that hangs before its headers, one that resets the connection mid-stream, and one that sends an
 * SSE frame that does not parse. Each fault runs beside clean requests; afterwards every request
 * the client saw complete has exactly one ledger row, the gateway's descriptors and memory are
 * back near their baseline, and a normal request succeeds without a restart
 * (test/support/upstream-fault-bench.ts).
 */
import { describe, expect, test } from 'vitest';
import { errorCount, faultBench, PER_FAULT, rowOf } from '../support/upstream-fault-bench.js';

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
