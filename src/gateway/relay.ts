/**
 * Writing an upstream reply to the client: each chunk as it arrives (no buffering), observed by
 * the usage meter on its way, with backpressure honoured. The status line waits for the first
 * chunk so a failure before any byte can still become a proper error response.
 */
import type { ServerResponse } from 'node:http';
import { anthropicErrorBody } from '../errors.js';
import { UpstreamStreamError, type UpstreamReply } from '../upstreams/types.js';

export interface ChunkObserver {
  push(chunk: Uint8Array): void;
}

export interface RelayOutcome {
  /** Milliseconds from `startedAt` to the first body byte, or null when none was written. */
  firstByteMs: number | null;
  clientAborted: boolean;
  /** The error type of a failure after the first byte (reported in-band as an SSE event). */
  midStreamError: string | null;
}

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

function sseError(error: unknown): { type: string; frame: string } {
  const type = error instanceof UpstreamStreamError ? error.type : 'api_error';
  const message = error instanceof UpstreamStreamError ? error.message : 'The upstream stream ended unexpectedly.';
  return { type, frame: `event: error\ndata: ${anthropicErrorBody(type, message)}\n\n` };
}

export async function relay(
  upstream: UpstreamReply,
  res: ServerResponse,
  observer: ChunkObserver,
  options: { startedAt: number; headers: Record<string, string>; clientGone: () => boolean },
): Promise<RelayOutcome> {
  let firstByteMs: number | null = null;
  const isSse = (upstream.headers['content-type'] ?? '').startsWith('text/event-stream');
  try {
    for await (const chunk of upstream.body) {
      if (firstByteMs === null) {
        firstByteMs = performance.now() - options.startedAt;
        res.writeHead(upstream.status, { ...upstream.headers, ...options.headers });
      }
      observer.push(chunk);
      if (!res.write(chunk)) await waitForDrain(res);
      if (options.clientGone()) break;
    }
  } catch (error) {
    if (options.clientGone()) return { firstByteMs, clientAborted: true, midStreamError: null };
    // Nothing sent yet: let the caller answer with a real error status instead.
    if (firstByteMs === null) throw error;
    const { type, frame } = sseError(error);
    if (isSse) {
      const bytes = Buffer.from(frame);
      observer.push(bytes);
      res.end(bytes);
    } else {
      // A JSON body cut short must not look complete: drop the connection instead of ending it.
      res.destroy();
    }
    return { firstByteMs, clientAborted: false, midStreamError: type };
  }
  if (options.clientGone()) return { firstByteMs, clientAborted: true, midStreamError: null };
  if (firstByteMs === null) res.writeHead(upstream.status, { ...upstream.headers, ...options.headers });
  res.end();
  return { firstByteMs, clientAborted: false, midStreamError: null };
}
