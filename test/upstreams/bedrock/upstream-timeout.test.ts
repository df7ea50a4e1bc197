/**
 * Regression (issue 13, fault injection): the Bedrock upstream ignored CCAG_UPSTREAM_TIMEOUT_MS.
 * Its HTTP handler had a fixed 10-minute socket timeout, so a Bedrock endpoint that accepted the
 * connection and never sent its headers held the request (and a budget reservation, a
 * concurrency slot) for 10 minutes whatever the operator configured.
 */
import { afterEach, expect, it } from 'vitest';
import { inbound, readAll, startHarness, userTurn, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
});

it('bedrock upstream timeout: a Bedrock upstream that hangs before its headers is given up after timeoutMs', async () => {
  h = await startHarness({ timeoutMs: 400 });
  const startedAt = performance.now();
  const reply = await h.upstream.messages(inbound(userTurn('[[fault hang]]', { stream: true })));
  const elapsedMs = performance.now() - startedAt;
  // A network failure is Bedrock's answer here (relayed and settled like its other errors).
  expect(reply.status).toBe(502);
  expect(JSON.parse(await readAll(reply))).toEqual({
    type: 'error',
    error: { type: 'api_error', message: 'The gateway could not reach Amazon Bedrock; the details were logged for the gateway operator.' },
  });
  expect(elapsedMs).toBeGreaterThanOrEqual(350);
  expect(elapsedMs).toBeLessThan(5_000);
});
