/** The meter against the exact bytes the mock upstreams send, whole and split at every byte. */
import { describe, expect, test } from 'vitest';
import { UsageMeter, type MeteredUsage } from '../../src/spend/usage-meter.js';
import { messageBody, streamEvents, turnFor, type SseEvent } from '../support/mock-script.js';

const sse = (events: SseEvent[]) => Buffer.from(events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join(''));
const turn = (directives: string) => turnFor({ messages: [{ role: 'user', content: directives }] });

function meter(streaming: boolean, chunks: Uint8Array[]): MeteredUsage {
  const m = new UsageMeter(streaming);
  for (const chunk of chunks) m.push(chunk);
  return m.finish();
}

const TOOL_TURN = turn('[[usage in=120 out=40 cr=10 cw5=20 cw1h=30]] [[tool Übersetzer]] [[text Grüße aus dem Mock — 日本語 ✓]] [[chunks 7]]');
const TOOL_USAGE: MeteredUsage = {
  inputTokens: 120,
  outputTokens: 40,
  cacheReadTokens: 10,
  cacheWrite5mTokens: 20,
  cacheWrite1hTokens: 30,
  stopReason: 'tool_use',
  toolNames: ['Übersetzer'],
  webSearches: 0,
  estimated: false,
  sawUsage: true,
  errorType: null,
  errorMessage: null,
};

describe('streaming', () => {
  const bytes = sse(streamEvents(TOOL_TURN, 'claude-sonnet-4-5', 'msg_1'));

  test('usage from message_start and the final message_delta, the 1-hour split kept', () => {
    expect(meter(true, [bytes])).toEqual(TOOL_USAGE);
  });

  test('the same result whatever byte the stream is split at', () => {
    for (let at = 0; at <= bytes.length; at++) {
      expect(meter(true, [bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toEqual(TOOL_USAGE);
    }
  });

  test('one byte at a time, and with CRLF line ends', () => {
    expect(meter(true, [...bytes].map((byte) => Uint8Array.of(byte)))).toEqual(TOOL_USAGE);
    const crlf = Buffer.from(bytes.toString('utf8').replaceAll('\n', '\r\n'));
    expect(meter(true, [crlf])).toEqual(TOOL_USAGE);
    expect(meter(true, [...crlf].map((byte) => Uint8Array.of(byte)))).toEqual(TOOL_USAGE);
  });

  test('message_delta fields override message_start; a total without a split is 5-minute writes', () => {
    const events: SseEvent[] = [
      { event: 'message_start', data: { type: 'message_start', message: { usage: { input_tokens: 25, output_tokens: 1, cache_creation_input_tokens: 40 } } } },
      { event: 'ping', data: { type: 'ping' } },
      { event: 'something_new', data: { type: 'something_new', usage: { input_tokens: 999 } } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { input_tokens: 30, output_tokens: 7 } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ];
    expect(meter(true, [sse(events)])).toMatchObject({ inputTokens: 30, outputTokens: 7, cacheWrite5mTokens: 40, cacheWrite1hTokens: 0, stopReason: 'max_tokens', estimated: false });
  });

  test('events without an event: line are still read', () => {
    const events = streamEvents(turn('[[usage in=5 out=6]] [[tool Bash]]'), 'm', 'msg');
    const bytes = Buffer.from(events.map((e) => `data: ${JSON.stringify(e.data)}\n\n`).join(''));
    expect(meter(true, [bytes])).toMatchObject({ inputTokens: 5, outputTokens: 6, toolNames: ['Bash'], stopReason: 'tool_use', estimated: false });
  });

  test('web searches: the final usage count wins over the blocks seen (errored searches are free)', () => {
    const search = (index: number): SseEvent => ({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'server_tool_use', id: `s${index}`, name: 'web_search', input: {} } } });
    const start: SseEvent = { event: 'message_start', data: { type: 'message_start', message: { usage: { input_tokens: 1, output_tokens: 1, server_tool_use: { web_search_requests: 0 } } } } };
    const end: SseEvent = { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9, server_tool_use: { web_search_requests: 1 } } } };
    expect(meter(true, [sse([start, search(0), search(1), end])]).webSearches).toBe(1);
    expect(meter(true, [sse([start, search(0), search(1)])]).webSearches).toBe(2);
  });
});

describe('streams cut short', () => {
  const events = streamEvents(turn('[[usage in=120 out=40]]'), 'claude-sonnet-4-5', 'msg_2');
  const upTo = (type: string) => events.slice(0, events.findIndex((e) => e.event === type));

  test('after the text: output estimated from the streamed bytes, at 4 bytes a token', () => {
    // "Hello from the mock." is 20 bytes: 5 tokens.
    expect(meter(true, [sse(upTo('message_delta'))])).toMatchObject({ inputTokens: 120, outputTokens: 5, estimated: true, sawUsage: true, stopReason: null });
  });

  test('never below what message_start reported', () => {
    const start = structuredClone(events[0]!);
    ((start.data.message as { usage: { output_tokens: number } }).usage).output_tokens = 9;
    expect(meter(true, [sse([start, ...upTo('message_delta').slice(1)])])).toMatchObject({ outputTokens: 9, estimated: true });
    expect(meter(true, [sse(upTo('content_block_start'))])).toMatchObject({ outputTokens: 1, estimated: true });
  });

  test('an error event after partial output is recorded with the estimate', () => {
    const error: SseEvent = { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };
    expect(meter(true, [sse([...upTo('content_block_stop'), error])])).toMatchObject({ outputTokens: 5, estimated: true, errorType: 'overloaded_error', errorMessage: 'Overloaded' });
  });

  test('a final event without its blank line still counts; a torn one does not', () => {
    const whole = sse(events);
    // Cut right after message_delta's data line, before its blank line and message_stop.
    expect(meter(true, [whole.subarray(0, whole.indexOf('event: message_stop') - 1)])).toMatchObject({ outputTokens: 40, estimated: false });
    const tail = whole.lastIndexOf('event: message_delta');
    expect(meter(true, [whole.subarray(0, tail + 40)])).toMatchObject({ outputTokens: 5, estimated: true });
  });

  test('nothing received: no usage, nothing estimated', () => {
    expect(meter(true, [])).toMatchObject({ inputTokens: 0, outputTokens: 0, sawUsage: false, estimated: false });
  });
});

describe('non-streaming', () => {
  test('usage, stop reason and tool names from the body, in any chunking', () => {
    const body = Buffer.from(JSON.stringify(messageBody(TOOL_TURN, 'claude-sonnet-4-5', 'msg_3')));
    for (const at of [0, 1, 17, body.length >> 1, body.length - 1]) {
      expect(meter(false, [body.subarray(0, at), body.subarray(at)])).toEqual(TOOL_USAGE);
    }
  });

  test('an error body gives its type and message; a body that is not JSON gives nothing', () => {
    const error = Buffer.from(JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }));
    expect(meter(false, [error])).toMatchObject({ errorType: 'rate_limit_error', errorMessage: 'slow down', sawUsage: false });
    expect(meter(false, [Buffer.from('<html>bad gateway')])).toMatchObject({ sawUsage: false, errorType: null, errorMessage: null, outputTokens: 0 });
  });

  test('web searches from usage', () => {
    const body = { type: 'message', content: [{ type: 'server_tool_use', name: 'web_search' }, { type: 'text', text: 'x' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 4, server_tool_use: { web_search_requests: 3 } } };
    const m = new UsageMeter(false);
    m.push(Buffer.from(JSON.stringify(body)));
    const usage = m.finish();
    expect(usage).toMatchObject({ webSearches: 3, inputTokens: 3, outputTokens: 4, estimated: false });
  });
});
