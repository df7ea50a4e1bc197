import { readFileSync } from 'node:fs';
import { InvokeModelWithResponseStreamCommand, ModelStreamErrorException, ServiceUnavailableException, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedrockFormat } from '../../../../src/gateway/formats/bedrock/index.js';
import { presentReply } from '../../../../src/gateway/formats/bedrock/reply.js';
import type { UpstreamReply } from '../../../../src/upstreams/types.js';
import { startSdkHarness, type SdkHarness } from './aws-sdk-harness.js';

const SSE = readFileSync(new URL('./fixtures/anthropic-stream.sse', import.meta.url), 'utf8');
/** The data line of every event, in order: what a Bedrock client must decode from the chunks. */
const EVENTS = SSE.split('\n')
  .filter((line) => line.startsWith('data: '))
  .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);

const upstream: UpstreamReply = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: (async function* () {})(), upstreamModel: 'm' };

/** Runs SSE chunks through the Bedrock encoder, as the pipeline will: encode each, then end. */
function encodeAll(chunks: Uint8Array[], tail?: (reply: ReturnType<typeof presentReply>) => Uint8Array | null) {
  const reply = presentReply(upstream, { operation: 'invoke-stream', requestId: 'req_ccag_1', startedAt: performance.now() });
  const frames = chunks.map((chunk) => reply.encode(chunk)).filter((frame) => frame.length > 0);
  frames.push(reply.end());
  const extra = tail?.(reply);
  if (extra) frames.push(extra);
  return { reply, frames };
}

function splitEvery(text: string, size: number): Uint8Array[] {
  const bytes = Buffer.from(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(new Uint8Array(bytes.subarray(at, at + size)));
  return chunks;
}

let sdk: SdkHarness;
beforeAll(async () => {
  sdk = await startSdkHarness();
});
afterAll(() => sdk.close());

async function decodeWithSdk(frames: Uint8Array[], headers: Record<string, string>) {
  sdk.answer({ status: 200, headers, chunks: frames });
  const decoded: Record<string, unknown>[] = [];
  try {
    // The SDK reads the first frame before `send` resolves, so an exception there throws from `send`.
    const output = await sdk.runtime.send(new InvokeModelWithResponseStreamCommand({ modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', body: '{}' }));
    for await (const event of output.body ?? []) {
      if (event.chunk?.bytes) decoded.push(JSON.parse(Buffer.from(event.chunk.bytes).toString('utf8')) as Record<string, unknown>);
    }
  } catch (error) {
    return { decoded, error: error as Error };
  }
  return { decoded, error: undefined };
}

const withoutMetrics = (event: Record<string, unknown>) => {
  const { 'amazon-bedrock-invocationMetrics': _metrics, ...rest } = event;
  return rest;
};

describe('Bedrock event stream out of Anthropic SSE, judged by the AWS SDK', () => {
  it('answers as Bedrock does: event-stream content type and the gateway request id', () => {
    const { reply } = encodeAll([]);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(reply.headers['x-amzn-requestid']).toBe('req_ccag_1');
  });

  it('decodes every event, in order, when the whole stream arrives as one chunk', async () => {
    const { reply, frames } = encodeAll([Buffer.from(SSE)]);
    const { decoded, error } = await decodeWithSdk(frames, reply.headers);
    expect(error).toBeUndefined();
    expect(decoded.map(withoutMetrics)).toEqual(EVENTS);
  });

  it('decodes the same events when SSE events are split across chunks at every size', async () => {
    for (const size of [1, 3, 7, 64, 200]) {
      const { reply, frames } = encodeAll(splitEvery(SSE, size));
      const { decoded, error } = await decodeWithSdk(frames, reply.headers);
      expect(error).toBeUndefined();
      expect(decoded.map(withoutMetrics), `chunks of ${size} bytes`).toEqual(EVENTS);
    }
  });

  it('emits nothing for a chunk that completes no event', () => {
    const reply = presentReply(upstream, { operation: 'invoke-stream', requestId: undefined, startedAt: 0 });
    expect(reply.encode(Buffer.from('event: ping\ndata: {"type"')).length).toBe(0);
    expect(reply.encode(Buffer.from(': "ping"}\n\n')).length).toBeGreaterThan(0);
  });

  it('carries the heartbeat ping as a chunk, as Bedrock carries every Anthropic event', async () => {
    const { reply, frames } = encodeAll([Buffer.from('event: ping\ndata: {"type": "ping"}\n\n')]);
    const { decoded } = await decodeWithSdk(frames, reply.headers);
    expect(decoded).toEqual([{ type: 'ping' }]);
  });

  it('puts invocation metrics computed from the stream usage on message_stop only', async () => {
    const { reply, frames } = encodeAll([Buffer.from(SSE)]);
    const { decoded } = await decodeWithSdk(frames, reply.headers);
    const withMetrics = decoded.filter((event) => 'amazon-bedrock-invocationMetrics' in event);
    expect(withMetrics.map((event) => event.type)).toEqual(['message_stop']);
    const metrics = withMetrics[0]?.['amazon-bedrock-invocationMetrics'] as Record<string, number>;
    expect(metrics).toMatchObject({ inputTokenCount: 21, outputTokenCount: 12, cacheReadInputTokenCount: 7, cacheWriteInputTokenCount: 0 });
    expect(metrics.invocationLatency).toBeGreaterThanOrEqual(metrics.firstByteLatency ?? Infinity);
  });

  it('turns an SSE error event into the matching stream exception, after the events before it', async () => {
    const cut = SSE.indexOf('event: content_block_stop');
    const failing = `${SSE.slice(0, cut)}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`;
    const { reply, frames } = encodeAll([Buffer.from(failing)]);
    const { decoded, error } = await decodeWithSdk(frames, reply.headers);
    expect(decoded.length).toBe(5);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect(error?.message).toBe('Overloaded');
  });

  it('writes streamError() as an exception frame the SDK throws with its message', async () => {
    const cut = SSE.indexOf('event: content_block_stop');
    const { reply, frames } = encodeAll([Buffer.from(SSE.slice(0, cut))], (r) => bedrockFormat.streamError('rate_limit_error', 'Too many tokens, please wait.', r));
    const { decoded, error } = await decodeWithSdk(frames, reply.headers);
    expect(decoded.length).toBe(5);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error?.message).toBe('Too many tokens, please wait.');
  });

  it('names a failure of unknown type a model stream error', async () => {
    const { reply, frames } = encodeAll([], (r) => bedrockFormat.streamError('something_new', 'the stream broke', r));
    const { error } = await decodeWithSdk(frames, reply.headers);
    expect(error).toBeInstanceOf(ModelStreamErrorException);
    expect(error?.message).toBe('the stream broke');
  });
});
