/**
 * A mock Anthropic Messages API on a real socket, speaking the real wire format (JSON and SSE).
 * Replies come from mock-script.ts so the Bedrock mock tells the same conversation. It records
 * every request for assertions and counts streams the caller abandoned. Per mock, a test can make
 * the account throttle (`throttleFor`) or report other rate-limit headroom (`rateLimits`), so
 * several mocks act as accounts in different states.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MALFORMED_SSE_FRAME, resetConnection, writeWithBackpressure } from './mock-faults.js';
import { countTokensFor, messageBody, sleep, streamEvents, turnFor, type MockTurn } from './mock-script.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  body: Record<string, unknown> | undefined;
}

export interface MockAnthropic {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Streams the caller closed before the last event. */
  abandonedStreams: number;
  /** What GET /v1/models lists; mutate in place to change what later calls see. */
  models: Array<{ id: string; display_name: string; created_at: string }>;
  /** The limits reported on Messages replies (a copy of MOCK_RATE_LIMITS); mutate to change later replies. */
  rateLimits: Record<RateLimitWindow, { limit: number; remaining: number }>;
  /** Answers every Messages call with 429 rate_limit_error and `retry-after` for the next `ms`, whatever the script says; `throttleFor(0)` ends it. */
  throttleFor(ms: number, retryAfterSeconds?: number): void;
  /** Closes kept-alive connections that carry no request (as their idle timeout would). */
  closeIdleConnections(): void;
  close(): Promise<void>;
}

export const MOCK_MODELS = [
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', created_at: '2026-02-05T00:00:00Z' },
];

/** The account limits the mock reports on every Messages reply, as `anthropic-ratelimit-<window>-{limit,remaining}`. */
export const MOCK_RATE_LIMITS = {
  requests: { limit: 50, remaining: 40 },
  'input-tokens': { limit: 40_000, remaining: 36_000 },
  'output-tokens': { limit: 8_000, remaining: 6_000 },
  tokens: { limit: 48_000, remaining: 42_000 },
} as const;

export type RateLimitWindow = keyof typeof MOCK_RATE_LIMITS;

function rateLimitHeaders(turn: MockTurn, limits: MockAnthropic['rateLimits']): Record<string, string> {
  const reset = new Date(Date.now() + 60_000).toISOString();
  // Subscription windows reset in hours or days, sent as epoch seconds.
  const unifiedReset = String(Math.floor(Date.now() / 1000) + 3600);
  return Object.fromEntries([
    ...Object.entries(limits).flatMap(([window, { limit, remaining }]) => [
      [`anthropic-ratelimit-${window}-limit`, String(limit)],
      [`anthropic-ratelimit-${window}-remaining`, String(remaining)],
      [`anthropic-ratelimit-${window}-reset`, reset],
    ]),
    ...Object.entries(turn.unified ?? {}).flatMap(([window, share]) => [
      [`anthropic-ratelimit-unified-${window}-utilization`, String(share)],
      [`anthropic-ratelimit-unified-${window}-reset`, unifiedReset],
    ]),
  ]);
}

function sendError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_mock_error', ...headers });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let messageCounter = 0;

async function streamTurn(res: ServerResponse, body: Record<string, unknown>, mock: MockAnthropic): Promise<void> {
  const turn = turnFor(body);
  const model = String(body.model);
  messageCounter += 1;
  const events = streamEvents(turn, model, `msg_mock_${messageCounter}`);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': `req_mock_${messageCounter}`, ...rateLimitHeaders(turn, mock.rateLimits) });
  let deltas = 0;
  for (const event of events) {
    if (res.destroyed) {
      mock.abandonedStreams += 1;
      return;
    }
    await writeWithBackpressure(res, `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
    if (event.event === 'content_block_delta') {
      deltas += 1;
      if (deltas === 1 && turn.fault === 'reset') return resetConnection(res);
      if (deltas === 1 && turn.fault === 'malformed') res.write(MALFORMED_SSE_FRAME);
      if (deltas === 1 && turn.midstreamError) {
        res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`);
        return;
      }
      if (deltas === 1 && turn.pauseMs > 0) await sleep(turn.pauseMs);
    }
    if (turn.delayMs > 0) await sleep(turn.delayMs);
  }
  res.end();
}

export async function startMockAnthropic(options: { apiKey?: string; models?: MockAnthropic['models'] } = {}): Promise<MockAnthropic> {
  const apiKey = options.apiKey ?? 'sk-ant-mock-upstream-key';
  const rateLimits = Object.fromEntries(Object.entries(MOCK_RATE_LIMITS).map(([window, limits]) => [window, { ...limits }])) as MockAnthropic['rateLimits'];
  let throttled = { until: 0, retryAfter: '1' };
  const mock: MockAnthropic = {
    url: '',
    apiKey,
    requests: [],
    abandonedStreams: 0,
    models: [...(options.models ?? MOCK_MODELS)],
    rateLimits,
    throttleFor: (ms, retryAfterSeconds = 1) => void (throttled = { until: Date.now() + ms, retryAfter: String(retryAfterSeconds) }),
    closeIdleConnections: () => {},
    close: async () => {},
  };

  const server = createServer(async (req, res) => {
    const rawBody = await readBody(req);
    let body: Record<string, unknown> | undefined;
    try {
      body = rawBody.length > 0 ? (JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    mock.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawBody, body });
    const path = (req.url ?? '').split('?')[0];

    if (req.method === 'HEAD' && path === '/') return void res.writeHead(200).end();
    const presented = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (presented !== apiKey) return sendError(res, 401, 'authentication_error', 'invalid x-api-key');

    if (req.method === 'GET' && path === '/v1/models') {
      const data = mock.models.map((m) => ({ ...m, type: 'model' }));
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ data, has_more: false, first_id: data[0]?.id, last_id: data.at(-1)?.id }));
    }
    if (req.method !== 'POST' || !body) return sendError(res, 400, 'invalid_request_error', 'expected a JSON POST');
    if (typeof body.model !== 'string' || !body.model.startsWith('claude-')) {
      return sendError(res, 404, 'not_found_error', `model: ${String(body.model)}`);
    }
    if (path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ input_tokens: countTokensFor(body) }));
    }
    if (path !== '/v1/messages') return sendError(res, 404, 'not_found_error', `no route ${path}`);

    if (Date.now() < throttled.until) {
      return sendError(res, 429, 'rate_limit_error', 'This request would exceed your rate limit.', { 'retry-after': throttled.retryAfter });
    }
    const turn = turnFor(body);
    if (turn.error) return sendError(res, turn.error.status, turn.error.type, turn.error.message);
    if (turn.fault === 'hang') return;
    if (body.stream === true) return streamTurn(res, body, mock);
    messageCounter += 1;
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_mock_${messageCounter}`, ...rateLimitHeaders(turn, mock.rateLimits) });
    res.end(JSON.stringify(messageBody(turn, String(body.model), `msg_mock_${messageCounter}`)));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mock.closeIdleConnections = () => server.closeIdleConnections();
  mock.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return mock;
}
