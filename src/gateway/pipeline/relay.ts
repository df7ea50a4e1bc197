/**
 * Relay: writing an upstream reply to the client in its own format, each chunk as it arrives (no
 * buffering), observed by the usage meter on its way, with backpressure honoured. The status line
 * waits for the first chunk, so a failure before any byte still becomes a proper error status; a
 * failure after it becomes the format's in-stream error (an SSE `error` event, an event-stream
 * exception). Relay always answers the client and says how it ended.
 */
import type { ServerResponse } from 'node:http';
import { ApiError, anthropicErrorBody } from '../../errors.js';
import { UpstreamStreamError, type UpstreamReply } from '../../upstreams/types.js';
import type { ClientCall, ClientFormat } from './client-format.js';

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

export interface RelayOptions {
  readonly format: ClientFormat;
  readonly call: ClientCall;
  readonly startedAt: number;
  /** The gateway's own headers (request id, limits), added to the upstream's. */
  readonly headers: Record<string, string>;
  readonly clientGone: () => boolean;
  /**
   * Called with the outcome just before the response's last bytes are written: whatever it
   * records (the ledger row) is done before the client can see the response complete.
   */
  readonly beforeEnd?: (outcome: RelayOutcome) => void;
  /** Longest wait for a client that stopped reading (CCAG_CLIENT_STALL_TIMEOUT_MS) before it is disconnected. */
  readonly stallTimeoutMs: number;
}

function waitForDrain(res: ServerResponse, stallTimeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    // A client that never reads again would hold its stream and the paused upstream connection
    // forever (backpressure keeps the memory bounded, not the time): disconnect it. The close
    // that follows ends the wait, and relay reports the client gone.
    const stalled = setTimeout(() => res.destroy(), stallTimeoutMs);
    const done = () => {
      clearTimeout(stalled);
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

const encoder = new TextEncoder();

export async function relay(upstream: UpstreamReply, res: ServerResponse, observer: ChunkObserver, options: RelayOptions): Promise<RelayOutcome> {
  const client = options.format.present(upstream, options.call);
  let firstByteMs: number | null = null;
  const gone = (): RelayOutcome => ({ status: CLIENT_CLOSED, firstByteMs, errorType: null });
  const ending = (outcome: RelayOutcome): RelayOutcome => {
    options.beforeEnd?.(outcome);
    return outcome;
  };
  const write = async (bytes: Uint8Array) => {
    if (bytes.length > 0 && !res.write(bytes)) await waitForDrain(res, options.stallTimeoutMs);
  };
  try {
    for await (const chunk of upstream.body) {
      if (firstByteMs === null) {
        firstByteMs = performance.now() - options.startedAt;
        res.writeHead(client.status, { ...client.headers, ...options.headers });
      }
      observer.push(chunk);
      await write(client.encode(chunk));
      if (options.clientGone()) return gone();
    }
  } catch (error) {
    if (options.clientGone()) return gone();
    const failure = describeFailure(error);
    if (firstByteMs === null) {
      const shaped = options.format.error(failure.status, failure.type, failure.message);
      const outcome = ending({ status: shaped.status ?? failure.status, firstByteMs, errorType: failure.type });
      res.writeHead(outcome.status, { ...shaped.headers, ...options.headers });
      res.end(shaped.body);
      return outcome;
    }
    // The meter reads the failure from the Anthropic stream it has been watching.
    if ((upstream.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      observer.push(encoder.encode(`event: error\ndata: ${anthropicErrorBody(failure.type, failure.message)}\n\n`));
    }
    const frame = options.format.streamError(failure.type, failure.message, client);
    const outcome = ending({ status: upstream.status, firstByteMs, errorType: failure.type });
    if (frame) res.end(frame);
    else res.destroy();
    return outcome;
  }
  if (options.clientGone()) return gone();
  const outcome = ending({ status: upstream.status, firstByteMs, errorType: null });
  if (firstByteMs === null) res.writeHead(client.status, { ...client.headers, ...options.headers });
  res.end(client.end());
  return outcome;
}
