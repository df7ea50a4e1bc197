/**
 * A Bedrock response stream as the client's SSE reply. The first frame is awaited before replying
 * so that a stream failing at once (throttled, overloaded) still answers with a real status: the
 * gateway can then fail over, which it cannot do once bytes have been sent. The wait is bounded by
 * the ping interval, since a silent stream yields a ping first.
 */
import type { InvokeModelWithResponseStreamCommandOutput, ResponseStream } from '@aws-sdk/client-bedrock-runtime';
import type { UpstreamOptions, UpstreamReply } from '../types.js';
import { describeFailure } from './errors.js';
import { chunkToSse, PING_FRAME } from './event-stream-to-sse.js';
import { withHeartbeat } from './heartbeat.js';
import { BedrockStreamError, failureReply, translated } from './replies.js';

export interface StreamContext {
  clientModel: string;
  upstreamModel: string;
  /** Aborts the upstream call: fired by the client's disconnect or by the consumer stopping early. */
  signal: AbortSignal;
  release: () => void;
  options: UpstreamOptions;
}

async function* toSse(events: AsyncIterable<ResponseStream>, ctx: StreamContext): AsyncGenerator<Uint8Array> {
  try {
    for await (const event of events) {
      if (event.chunk) {
        if (event.chunk.bytes) yield chunkToSse(event.chunk.bytes, ctx.clientModel);
        continue;
      }
      // Modelled stream exceptions can also arrive as union members rather than thrown errors.
      const [name, value] = Object.entries(event).find(([, v]) => v !== undefined) ?? ['InternalServerException', undefined];
      const message = typeof (value as { message?: unknown } | undefined)?.message === 'string' ? (value as { message: string }).message : '';
      throw new BedrockStreamError(translated({ name, message }, ctx.options.log, ctx.upstreamModel));
    }
  } catch (err) {
    if (err instanceof BedrockStreamError || ctx.signal.aborted) throw err;
    throw new BedrockStreamError(translated(describeFailure(err), ctx.options.log, ctx.upstreamModel));
  }
}

function resumed(first: IteratorResult<Uint8Array>, rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  let replayed = false;
  const iterator: AsyncIterator<Uint8Array> = {
    next() {
      if (replayed) return rest.next();
      replayed = true;
      return Promise.resolve(first);
    },
    return() {
      return rest.return?.() ?? Promise.resolve({ done: true, value: undefined });
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

export async function streamReply(output: InvokeModelWithResponseStreamCommandOutput, ctx: StreamContext): Promise<UpstreamReply> {
  const requestId = output.$metadata.requestId;
  const events: AsyncIterable<ResponseStream> = output.body ?? (async function* () {})();
  const sse = withHeartbeat(toSse(events, ctx), ctx.options.streamPingMs, PING_FRAME, ctx.release);
  const iterator = sse[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await iterator.next();
  } catch (err) {
    if (err instanceof BedrockStreamError) return failureReply(err.failure, ctx.upstreamModel, requestId);
    throw err;
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    body: resumed(first, iterator),
    upstreamModel: ctx.upstreamModel,
    ...(requestId ? { upstreamRequestId: requestId } : {}),
  };
}
