/**
 * The spend meter's SSE scanner and the meter on top of it, over generated streams cut at
 * arbitrary bytes: the same events and counts whatever the chunking, exactly the events a valid
 * stream is made of, and garbage that neither throws nor changes what valid events report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventInterests, SseScanner, type EventInterest } from '../../src/spend/sse-scanner.js';
import { UsageMeter, type MeteredUsage } from '../../src/spend/usage-meter.js';
import { streamEvents, type MockTurn } from '../support/mock-script.js';
import { runs } from '../support/property.js';
import { cuts, lineText, sseEvent, sseGarbage, sseStream, splitAt } from '../support/sse-arbitraries.js';

const INTEREST: Record<string, EventInterest> = { message_start: 'parse', message_delta: 'parse', error: 'parse', content_block_delta: 'count' };
const INTERESTS = eventInterests(INTEREST);

type Call = ['event', string] | ['count', number];

function scan(chunks: readonly Uint8Array[]): Call[] {
  const calls: Call[] = [];
  const scanner = new SseScanner(INTERESTS, {
    onEvent: (data) => calls.push(['event', data.toString('latin1')]),
    onCount: (lineBytes) => calls.push(['count', lineBytes]),
  });
  for (const chunk of chunks) scanner.push(Buffer.from(chunk));
  scanner.end();
  return calls;
}

describe('SseScanner, property-based', () => {
  it('reports exactly the events and data-line sizes a valid stream is made of', () => {
    fc.assert(
      fc.property(sseStream(sseEvent(Object.keys(INTEREST))), (stream) => {
        const expected = stream.events.flatMap((event, i): Call[] => {
          const interest = event.name === undefined ? 'parse' : Object.hasOwn(INTEREST, event.name) ? INTEREST[event.name] : 'skip';
          // A counted line's size includes the CR of a CRLF stream, not the LF.
          if (interest === 'count') return stream.dataLines[i]!.map((line): Call => ['count', Buffer.byteLength(line) + (stream.crlf ? 1 : 0)]);
          if (interest === 'skip' || event.data.length === 0) return [];
          return [['event', Buffer.from(event.data.join('\n')).toString('latin1')]];
        });
        expect(scan([stream.bytes])).toEqual(expected);
      }),
      runs(150),
    );
  });

  it('gives the same calls however a valid stream is cut into chunks', () => {
    fc.assert(
      fc.property(sseStream(sseEvent(Object.keys(INTEREST))), cuts, (stream, positions) => {
        expect(scan(splitAt(stream.bytes, positions))).toEqual(scan([stream.bytes]));
      }),
      runs(200),
    );
  });

  it('never throws on garbage, and gives the same calls however garbage is cut', () => {
    fc.assert(
      fc.property(fc.oneof(sseGarbage, fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))), cuts, (garbage, positions) => {
        expect(scan(splitAt(garbage, positions))).toEqual(scan([garbage]));
      }),
      runs(250),
    );
  });
});

const tokens = fc.nat({ max: 2_000_000 });
const turn: fc.Arbitrary<MockTurn> = fc.record({
  text: lineText(120),
  toolName: fc.option(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/), { nil: undefined }),
  usage: fc.record({ input: tokens, output: tokens, read: tokens, write5m: tokens, write1h: tokens }).map(({ input, output, read, write5m, write1h }) => ({
    input_tokens: input,
    output_tokens: output,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: write5m + write1h,
    cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
  })),
  stopReason: fc.constant('end_turn' as const),
  midstreamError: fc.constant(false),
  pauseMs: fc.constant(0),
  delayMs: fc.constant(0),
  chunks: fc.integer({ min: 1, max: 8 }),
}).map((generated) => ({ ...generated, stopReason: generated.toolName === undefined ? 'end_turn' : 'tool_use' }));

/** Whole events a meter must skip: unknown names, comments, and data that is not JSON. */
const garbageEvent = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z_]{1,12}$/).filter((name) => !Object.hasOwn(INTEREST, name) && name !== 'content_block_start'), lineText()).map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`),
  lineText().map((comment) => `:${comment}\n\n`),
  lineText().map((data) => `data: }${data}\n\n`),
  // Even the events the meter reads, when their data is not JSON.
  fc.tuple(fc.constantFrom(...Object.keys(INTEREST)), lineText()).map(([name, data]) => `event: ${name}\ndata: }${data}\n\n`),
);

function meter(chunks: readonly Uint8Array[]): MeteredUsage {
  const usageMeter = new UsageMeter(true);
  for (const chunk of chunks) usageMeter.push(chunk);
  return usageMeter.finish();
}

function expectedUsage(generated: MockTurn): MeteredUsage {
  const { usage } = generated;
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens,
    cacheWrite5mTokens: usage.cache_creation.ephemeral_5m_input_tokens,
    cacheWrite1hTokens: usage.cache_creation.ephemeral_1h_input_tokens,
    stopReason: generated.stopReason,
    toolNames: generated.toolName === undefined ? [] : [generated.toolName],
    webSearches: 0,
    estimated: false,
    sawUsage: true,
    errorType: null,
    errorMessage: null,
  };
}

describe('UsageMeter, property-based', () => {
  it('meters any turn exactly, however it is chunked, with LF or CRLF, and with garbage events between', () => {
    fc.assert(
      fc.property(turn, fc.array(fc.option(garbageEvent, { freq: 3 })), cuts, fc.boolean(), (generated, garbage, positions, crlf) => {
        const events = streamEvents(generated, 'claude-sonnet-4-5', 'msg_prop');
        const text = events.map((event, i) => `${garbage[i] ?? ''}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`).join('');
        const bytes = Buffer.from(crlf ? text.replaceAll('\n', '\r\n') : text);
        expect(meter(splitAt(bytes, positions))).toEqual(expectedUsage(generated));
      }),
      runs(200),
    );
  });

  it('never throws on garbage, and never reports negative or fractional tokens', () => {
    fc.assert(
      fc.property(fc.oneof(sseGarbage, fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))), cuts, (garbage, positions) => {
        const usage = meter(splitAt(garbage, positions));
        for (const count of [usage.inputTokens, usage.outputTokens, usage.cacheReadTokens, usage.cacheWrite5mTokens, usage.cacheWrite1hTokens]) {
          expect(Number.isSafeInteger(count) && count >= 0).toBe(true);
        }
        expect(meter([garbage])).toEqual(usage);
      }),
      runs(200),
    );
  });
});
