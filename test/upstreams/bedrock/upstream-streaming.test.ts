import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamStreamError } from '../../../src/upstreams/types.js';
import { inbound, parseSse, readAll, startHarness, userTurn, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ streamPingMs: 300 });
});
afterEach(async () => {
  await h.close();
});

const stream = (text: string, extra = {}) => userTurn(text, { stream: true, ...extra });

describe('Bedrock upstream streaming', () => {
  it('streams Anthropic SSE in order, with the client model name and no Bedrock metrics', async () => {
    const reply = await h.upstream.messages(inbound(stream('[[text Hello Bedrock]] [[usage in=120 out=40 cr=10 cw5=20]]')));
    expect(reply.status).toBe(200);
    expect(reply.headers).toEqual({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    expect(reply.upstreamModel).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');

    const text = await readAll(reply);
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect((events[0]?.data.message as Record<string, unknown>).model).toBe('claude-sonnet-4-5');
    expect(events.filter((e) => e.event === 'content_block_delta').map((e) => (e.data.delta as { text: string }).text).join('')).toBe('Hello Bedrock');
    expect(events[6]?.data.usage).toEqual({ input_tokens: 120, cache_creation_input_tokens: 20, cache_read_input_tokens: 10, output_tokens: 40 });
    expect(events[7]?.data).toEqual({ type: 'message_stop' });
    expect(text).not.toContain('invocationMetrics');

    const sent = h.mock.requests.find((r) => r.operation !== 'list-inference-profiles');
    expect(sent?.operation).toBe('invoke-stream');
    expect(sent?.modelId).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(sent?.hasAuthorization).toBe(true);
    expect(sent?.body).toEqual({ max_tokens: 1024, messages: [{ role: 'user', content: '[[text Hello Bedrock]] [[usage in=120 out=40 cr=10 cw5=20]]' }], anthropic_version: 'bedrock-2023-05-31' });
    expect(reply.upstreamRequestId).toBe(sent?.replyRequestId);
  });

  it('forwards each event as it arrives rather than at the end', async () => {
    const reply = await h.upstream.messages(inbound(stream('[[delay 150]] [[chunks 4]]')));
    const iterator = reply.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toMatch(/^event: message_start\n/);
    // 8+ events at 150 ms each: the mock is far from done when the first one reaches us.
    expect(h.mock.streams[0]?.framesSent).toBeLessThanOrEqual(2);
    while (!(await iterator.next()).done);
  });

  it('pings while Bedrock is silent, only during the silence', async () => {
    const reply = await h.upstream.messages(inbound(stream('[[pause 1500]] [[chunks 2]]')));
    const events = parseSse(await readAll(reply)).map((e) => e.event);
    const firstDelta = events.indexOf('content_block_delta');
    const secondDelta = events.indexOf('content_block_delta', firstDelta + 1);
    const pings = events.slice(firstDelta + 1, secondDelta);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(pings.length).toBeLessThanOrEqual(5);
    expect(new Set(pings)).toEqual(new Set(['ping']));
    expect(events.filter((e) => e === 'ping').length).toBe(pings.length);
  });

  it('stops the Bedrock stream when the client disconnects', async () => {
    const client = new AbortController();
    const reply = await h.upstream.messages(inbound(stream('[[delay 100]] [[chunks 40]]'), { signal: client.signal }));
    const iterator = reply.body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    client.abort();
    await expect(iterator.next()).rejects.toThrow();
    const mockStream = h.mock.streams[0]!;
    await mockStream.closed;
    expect(mockStream.abortedByClient).toBe(true);
    expect(mockStream.framesSent).toBeLessThan(10);
  });

  it('frees the Bedrock stream at once when the consumer stops reading', async () => {
    const reply = await h.upstream.messages(inbound(stream('[[delay 100]] [[chunks 40]]')));
    for await (const chunk of reply.body) {
      expect(Buffer.from(chunk).toString()).toMatch(/^event: message_start/);
      break;
    }
    const mockStream = h.mock.streams[0]!;
    await mockStream.closed;
    expect(mockStream.abortedByClient).toBe(true);
    expect(mockStream.framesSent).toBeLessThan(5);
  });

  it('throws an UpstreamStreamError for an exception after the first bytes', async () => {
    const reply = await h.upstream.messages(inbound(stream('[[bedrock-midstream ThrottlingException Too many tokens, please wait before trying again.]]')));
    expect(reply.status).toBe(200);
    const seen: string[] = [];
    const error = await (async () => {
      try {
        for await (const chunk of reply.body) seen.push(...parseSse(Buffer.from(chunk).toString()).map((e) => e.event));
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(error).toBeInstanceOf(UpstreamStreamError);
    expect(error).toMatchObject({ type: 'rate_limit_error', message: 'Too many tokens, please wait before trying again.' });
  });

  it.each([
    ['ModelStreamErrorException', 'The model stopped unexpectedly.', 'api_error'],
    ['ValidationException', 'Input is too long.', 'invalid_request_error'],
    ['ServiceUnavailableException', 'Bedrock is unable to process your request.', 'overloaded_error'],
    ['ModelTimeoutException', 'Model has timed out in processing the request.', 'api_error'],
  ])('translates a mid-stream %s', async (name, message, type) => {
    const reply = await h.upstream.messages(inbound(stream(`[[bedrock-midstream ${name} ${message}]]`)));
    await expect(readAll(reply)).rejects.toMatchObject({ type, message });
  });

  it('answers a stream that fails at its first frame with an error status', async () => {
    const reply = await h.upstream.messages(inbound(stream('[[bedrock-first ThrottlingException Too many requests, please wait before trying again.]]')));
    expect(reply.status).toBe(429);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(await readAll(reply))).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Too many requests, please wait before trying again.' } });
  });

  it('answers with the [1m] model name and sends the 1M context beta', async () => {
    const reply = await h.upstream.messages(inbound(stream('hi', { model: 'claude-sonnet-4-5-20250929[1m]' }), { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } }));
    const events = parseSse(await readAll(reply));
    expect((events[0]?.data.message as { model: string }).model).toBe('claude-sonnet-4-5-20250929[1m]');
    expect((h.mock.requests.at(-1)?.body as { anthropic_beta: string[] }).anthropic_beta).toEqual(['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07']);
  });

  it('invokes an application inference profile ARN as given', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
    const reply = await h.upstream.messages(inbound(stream('hi', { model: arn })));
    expect(reply.status).toBe(200);
    expect(reply.upstreamModel).toBe(arn);
    expect((parseSse(await readAll(reply))[0]?.data.message as { model: string }).model).toBe(arn);
    expect(h.mock.requests.at(-1)?.modelId).toBe(arn);
    expect(h.mock.requests.at(-1)?.path).toBe('/model/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile%2Fa1b2c3d4e5f6/invoke-with-response-stream'.replace(/:/g, '%3A'));
  });
});
