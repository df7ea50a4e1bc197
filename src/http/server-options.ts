/**
 * The HTTP server's limits and the answers to requests it refuses before any route runs: how
 * long a client may take to send its request, how large its headers and path segments may be,
 * and what a request arriving during the shutdown drain gets (docs/errors.md, docs/configuration.md).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Settings } from '../config/settings.js';
import { ApiError } from '../errors.js';
import { parserErrorHandler, renderFrameworkError } from './surface-errors.js';

/**
 * Longest path segment the router matches (Fastify's default is 100): room for an email address
 * (up to 254 characters) or an IdP's long subject id; anything longer is answered 414 in shape.
 */
const MAX_PARAM_LENGTH = 512;

/** How long a connection refused during the drain may take to write its answer and close. */
const FLUSH_MS = 1_000;

/**
 * Node checks request timeouts by sweeping its connections on this interval (30 s by default,
 * which would let a 30 s limit run to 60 s); a sweep is a walk of the open connections, cheap.
 */
function sweepIntervalMs(requestTimeoutMs: number): number {
  return Math.max(100, Math.min(1_000, Math.floor(requestTimeoutMs / 4)));
}

export function serverOptions(settings: Pick<Settings, 'requestBodyTimeoutMs' | 'headersTimeoutMs' | 'maxHeaderBytes'>) {
  const requestTimeoutMs = settings.requestBodyTimeoutMs;
  // Node requires the headers' deadline to fall within the whole request's.
  const headersTimeoutMs = Math.min(settings.headersTimeoutMs, requestTimeoutMs);
  return {
    // Node's clock runs from the request's first byte until its body is complete; the response's
    // time (a long stream) is not counted. Headers have their own bound within it (a slowloris
    // client holds a connection just as a slow body does).
    requestTimeout: requestTimeoutMs,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: sweepIntervalMs(headersTimeoutMs),
      maxHeaderSize: settings.maxHeaderBytes,
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: renderFrameworkError,
    clientErrorHandler: parserErrorHandler({ maxHeaderBytes: settings.maxHeaderBytes, requestTimeoutMs }),
    // Fastify's own drain answer is a fixed body in its shape; the drain guard below answers instead.
    return503OnClosing: false,
  } as const;
}

/**
 * Refuses requests that arrive once shutdown has begun (on a kept-alive or pipelined
 * connection) with 503 `shutting_down`, rendered by the surface's own error handler; the
 * response closes the connection so the client reconnects to another replica.
 */
export class DrainGuard {
  private draining = false;
  /** Connections that got a refusal during the drain: each closes itself once it is written. */
  private readonly refused = new Set<Socket>();

  begin(): void {
    this.draining = true;
  }

  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!this.draining) return done();
    this.refused.add(request.raw.socket);
    reply.header('connection', 'close');
    done(new ApiError('shutting_down', 'The gateway is shutting down; retry the request, another replica will answer it.'));
  };

  /**
   * Cuts the connections still open once the requests in flight are done. After a clean drain,
   * the connections that got a refusal first get a moment to write it and close: a refusal
   * queued behind the last stream on its connection (a pipelined request) is written only after
   * that stream's last bytes, and cutting at once would lose it.
   */
  async closeConnections(server: Server, drained: boolean): Promise<void> {
    const writing = [...this.refused].filter((socket) => !socket.destroyed);
    if (drained && writing.length > 0) {
      const allClosed = Promise.all(writing.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
      await Promise.race([allClosed, delay(FLUSH_MS)]);
    }
    server.closeAllConnections();
  }
}
