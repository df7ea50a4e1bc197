/**
 * Writing an upstream reply to the client: each chunk as it arrives (no buffering), observed by
 * the usage meter on its way, with backpressure honoured. The status line waits for the first
 * chunk, so a failure before any byte still becomes a proper error status; a failure after it
 * becomes an SSE `error` event. Relay always answers the client and says how it ended.
 */
import type { ServerResponse } from 'node:http';
import { ApiError, anthropicErrorBody } from '../errors.js';
import { UpstreamStreamError, type UpstreamReply } from '../upstreams/types.js';

export interface ChunkObserver {
  push(chunk: Uint8Array): void;
}

export interface RelayOutcome {
  /** What the client got: the upstream status, an error status, or 499 when it went away. */
  status: number;
  /** Milliseconds from `startedAt` to the first body byte, or null when none was written. */
  firstByteMs: number | null;
  /** The error type of a failure the gateway reported to the client. */
  errorType: string | null;
}

/** 499: the client closed the connection before the response ended (nginx's convention). */
export const CLIENT_CLOSED = 499;

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function describeFailure(error: unknown): { status: number; type: string; message: string } {
  if (error instanceof ApiError) return { status: error.status, type: error.type, message: error.message };
  if (error instanceof UpstreamStreamError) return { status: 502, type: error.type, message: error.message };
  return { status: 502, type: 'api_error', message: 'The upstream stream ended unexpectedly.' };
}

export async function relay(
  upstream: UpstreamReply,
  res: ServerResponse,
  observer: ChunkObserver,
  options: { startedAt: number; headers: Record<string, string>; clientGone: () => boolean },
): Promise<RelayOutcome> {
  let firstByteMs: number | null = null;
  const gone = (): RelayOutcome => ({ status: CLIENT_CLOSED, firstByteMs, errorType: null });
  try {
    for await (const chunk of upstream.body) {
      if (firstByteMs === null) {
        firstByteMs = performance.now() - options.startedAt;
        res.writeHead(upstream.status, { ...upstream.headers, ...options.headers });
      }
      observer.push(chunk);
      if (!res.write(chunk)) await waitForDrain(res);
      if (options.clientGone()) return gone();
    }
  } catch (error) {
    if (options.clientGone()) return gone();
    const failure = describeFailure(error);
    if (firstByteMs === null) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...options.headers });
      res.end(anthropicErrorBody(failure.type, failure.message));
      return { status: failure.status, firstByteMs, errorType: failure.type };
    }
    if ((upstream.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      const frame = Buffer.from(`event: error\ndata: ${anthropicErrorBody(failure.type, failure.message)}\n\n`);
      observer.push(frame);
      res.end(frame);
    } else {
      // A JSON body cut short must not look complete: drop the connection instead of ending it.
      res.destroy();
    }
    return { status: upstream.status, firstByteMs, errorType: failure.type };
  }
  if (options.clientGone()) return gone();
  if (firstByteMs === null) res.writeHead(upstream.status, { ...upstream.headers, ...options.headers });
  res.end();
  return { status: upstream.status, firstByteMs, errorType: null };
}
