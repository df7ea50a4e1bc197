/**
 * Amazon Bedrock upstream faults under streaming load, on a real `ccag serve` process: an upstream
 * that hangs before its headers, one that resets the connection mid-stream, and binary
 * event-stream frames that do not decode (a bad CRC, a truncated prelude). Same checks as the
 * Anthropic file (test/support/upstream-fault-bench.ts).
 */
import { describe, expect, test } from 'vitest';
import { errorCount, faultBench, PER_FAULT, rowOf } from '../support/upstream-fault-bench.js';

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
