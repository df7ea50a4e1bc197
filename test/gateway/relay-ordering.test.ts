/**
 * Regression (issue 13, kill -9 lost completed requests): the relay settles a request — its
 * ledger row, and so its write-ahead journal line — before the response's last bytes, so a
 * client that saw the response complete always has its row on disk. Before, settlement ran after
 * `res.end()`, and a kill in between lost rows of completed requests.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, test } from 'vitest';
import { anthropicFormat } from '../../src/gateway/formats/anthropic.js';
import type { ClientCall } from '../../src/gateway/pipeline/client-format.js';
import { relay } from '../../src/gateway/pipeline/relay.js';
import { UpstreamStreamError, type UpstreamReply } from '../../src/upstreams/types.js';

const encoder = new TextEncoder();

/** A response that records what was done to it, in order. */
function recordingResponse(steps: string[]): ServerResponse {
  return {
    writeHead: () => steps.push('head'),
    write: () => (steps.push('write'), true),
    end: () => steps.push('end'),
    destroy: () => steps.push('destroy'),
  } as unknown as ServerResponse;
}

function upstream(events: string[], failAfter?: number): UpstreamReply {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    upstreamModel: 'claude-sonnet-4-5',
    body: (async function* () {
      for (const [i, event] of events.entries()) {
        if (i === failAfter) throw new UpstreamStreamError('api_error', 'reset');
        yield encoder.encode(event);
      }
    })(),
  } as unknown as UpstreamReply;
}

async function stepsOf(reply: UpstreamReply): Promise<string[]> {
  const steps: string[] = [];
  const call = { streaming: true } as ClientCall;
  await relay(reply, recordingResponse(steps), { push() {} }, {
    format: anthropicFormat,
    call,
    stallTimeoutMs: 60_000,
    startedAt: performance.now(),
    headers: {},
    clientGone: () => false,
    beforeEnd: (outcome) => steps.push(`settled ${outcome.status} ${outcome.errorType ?? 'ok'}`),
  });
  return steps;
}

describe('relay settles before the response ends', () => {
  test('a complete stream', async () => {
    expect(await stepsOf(upstream(['event: message_start\n\n', 'event: message_stop\n\n']))).toEqual(['head', 'write', 'write', 'settled 200 ok', 'end']);
  });

  test('a stream that fails after its first event', async () => {
    expect(await stepsOf(upstream(['event: message_start\n\n', 'event: x\n\n'], 1))).toEqual(['head', 'write', 'settled 200 api_error', 'end']);
  });

  test('a reply that fails before its first byte', async () => {
    expect(await stepsOf(upstream(['event: message_start\n\n'], 0))).toEqual(['settled 502 api_error', 'head', 'end']);
  });
});
