/**
 * The data-plane pipeline through `app.inject()`: stage order, the request id on every answer,
 * and failover before the first byte. Areas are replaced by small recording doubles so each stage
 * can be watched; the real areas are exercised end to end in test/e2e.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import type { GatewayDeps } from '../../src/gateway/deps.js';
import { InFlight } from '../../src/gateway/in-flight.js';
import { gatewayPlugin } from '../../src/gateway/plugin.js';
import type { Principal } from '../../src/identity/authenticator.js';
import { OPEN_ADMISSION, type Gate } from '../../src/limits/governor.js';
import type { EndpointAttempt, RoutedEndpoint, Router } from '../../src/routing/router.js';
import { createSettler } from '../../src/spend/settlement.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import type { Upstream, UpstreamReply } from '../../src/upstreams/types.js';

const principal: Principal = { keyId: 'k1', keyPrefix: 'ccag_abc', userId: 'u1', userEmail: 'dev@example.com', teamId: null, credential: 'key' };
const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
const encoder = new TextEncoder();

function reply(status: number, text: string, headers: Record<string, string> = {}): UpstreamReply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: (async function* () {
      yield encoder.encode(text);
    })(),
    upstreamModel: 'claude-sonnet-4-5',
  };
}

const OK_MESSAGE = JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 2 } });

interface Recorded {
  /** Headers each successful attempt reported to routing. */
  succeededWith: Array<Readonly<Record<string, string>>>;
  stages: string[];
  attempts: Array<{ endpoint: string; report: string }>;
  failovers: string[];
  rows: SpendLedgerTable[];
}

function endpoint(id: string, answer: () => Promise<UpstreamReply>, recorded: Recorded): RoutedEndpoint {
  const upstream = { kind: 'anthropic', messages: () => (recorded.stages.push(`dispatch:${id}`), answer()) } as unknown as Upstream;
  return {
    id,
    name: id,
    kind: 'anthropic',
    isDefault: false,
    priority: 0,
    upstream,
    begin(): EndpointAttempt {
      // The contract: the first report of an attempt wins, later ones are ignored.
      let reported = false;
      const report = (what: string) => () => {
        if (!reported) recorded.attempts.push({ endpoint: id, report: what });
        reported = true;
      };
      const succeeded = report('succeeded');
      return {
        succeeded: (headers) => {
          recorded.succeededWith.push(headers);
          succeeded();
        },
        throttled: report('throttled'),
        failed: report('failed'),
        abandoned: report('abandoned'),
      };
    },
  };
}

async function gateway(options: { governor?: Gate; candidates?: (recorded: Recorded) => RoutedEndpoint[] } = {}): Promise<{ app: FastifyInstance; recorded: Recorded }> {
  const recorded: Recorded = { succeededWith: [], stages: [], attempts: [], failovers: [], rows: [] };
  const router: Router = {
    candidates: async () => {
      recorded.stages.push('select');
      return options.candidates?.(recorded) ?? [endpoint('one', async () => reply(200, OK_MESSAGE), recorded)];
    },
    failedOver: (from, to, reason) => recorded.failovers.push(`${from.id}->${to.id}:${reason}`),
    models: async () => [],
  };
  const deps: GatewayDeps = {
    authenticator: {
      authenticate: (headers) => {
        recorded.stages.push('authenticate');
        if (headers['x-api-key'] !== 'good') throw new ApiError('invalid_credentials', 'Invalid API key.');
        return principal;
      },
    },
    governor: options.governor ?? { admit: async () => (recorded.stages.push('admit'), OPEN_ADMISSION) },
    pricing: { costFor: () => ({ costMicros: 0, pricingStatus: 'priced' }) } as unknown as GatewayDeps['pricing'],
    router,
    settler: createSettler({
      pricing: { costFor: () => ({ costMicros: 0, pricingStatus: 'priced' }) } as never,
      ledger: { record: (row) => recorded.rows.push(row) },
    }),
    endpoints: () => [],
    store: { ping: async () => {} },
    inFlight: new InFlight(),
    log: pino({ level: 'silent' }),
    maxBodyBytes: 1024 * 1024,
    failoverDeadlineMs: 30_000,
    clientStallTimeoutMs: 600_000,
  };
  const app = Fastify();
  await app.register(gatewayPlugin, deps);
  await app.ready();
  return { app, recorded };
}

const post = (app: FastifyInstance, headers: Record<string, string> = { 'x-api-key': 'good' }, payload = body) =>
  app.inject({ method: 'POST', url: '/v1/messages', headers: { 'content-type': 'application/json', ...headers }, payload });

let open: FastifyInstance | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('the data-plane pipeline', () => {
  it('runs its stages in the declared order and settles once', async () => {
    const { app, recorded } = await gateway();
    open = app;
    const response = await post(app);
    expect(response.statusCode).toBe(200);
    expect(recorded.stages).toEqual(['authenticate', 'admit', 'select', 'dispatch:one']);
    expect(recorded.attempts).toEqual([{ endpoint: 'one', report: 'succeeded' }]);
    expect(recorded.rows).toHaveLength(1);
    expect(recorded.rows[0]!.request_id).toBe(response.headers['x-ccag-request-id']);
  });

  it('a request refused by a limit never reaches endpoint selection', async () => {
    const refuse: Gate = {
      admit: async () => {
        throw new ApiError('rate_limited', 'Rate limit exceeded.', { headers: { 'retry-after': '7' } });
      },
    };
    const { app, recorded } = await gateway({ governor: refuse });
    open = app;
    const response = await post(app);
    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit exceeded.' } });
    expect(recorded.stages).toEqual(['authenticate']);
    expect(recorded.rows).toHaveLength(0);
  });

  it('puts x-ccag-request-id on every answer, including those made before dispatch', async () => {
    const { app } = await gateway({ governor: { admit: async () => Promise.reject(new ApiError('budget_exceeded', 'Budget used.')) } });
    open = app;
    const answers = await Promise.all([
      post(app, {}),
      post(app, { 'x-api-key': 'good' }, '{not json'),
      post(app),
      app.inject({ method: 'GET', url: '/v1/nothing-here' }),
      app.inject({ method: 'GET', url: '/health' }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([401, 400, 429, 404, 200]);
    const ids = answers.map((answer) => answer.headers['x-ccag-request-id']);
    for (const id of ids) expect(id).toMatch(/^req_ccag_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails over on a throttle before the first byte, and reports both calls', async () => {
    const { app, recorded } = await gateway({
      candidates: (r) => [
        endpoint('a', async () => reply(429, '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}', { 'retry-after': '3' }), r),
        endpoint('b', async () => reply(529, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'), r),
        endpoint('c', async () => reply(200, OK_MESSAGE), r),
      ],
    });
    open = app;
    const response = await post(app);
    expect(response.statusCode).toBe(200);
    expect(recorded.stages).toEqual(['authenticate', 'admit', 'select', 'dispatch:a', 'dispatch:b', 'dispatch:c']);
    expect(recorded.failovers).toEqual(['a->b:throttled', 'b->c:overloaded']);
    expect(recorded.attempts).toEqual([
      { endpoint: 'a', report: 'throttled' },
      { endpoint: 'b', report: 'throttled' },
      { endpoint: 'c', report: 'succeeded' },
    ]);
    expect(recorded.rows.map((row) => row.endpoint_id)).toEqual(['c']);
  });

  it('fails over from an unreachable endpoint, and answers the last failure when no candidate is left', async () => {
    const { app, recorded } = await gateway({
      candidates: (r) => [
        endpoint('a', () => Promise.reject(new ApiError('upstream_unreachable', 'The upstream API could not be reached.')), r),
        endpoint('b', async () => reply(429, '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}'), r),
      ],
    });
    open = app;
    const response = await post(app);
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect(recorded.failovers).toEqual(['a->b:unreachable']);
    expect(recorded.attempts.map((a) => a.report)).toEqual(['failed', 'throttled']);
    expect(recorded.rows.map((row) => [row.endpoint_id, row.status])).toEqual([['b', 429]]);
  });

  it('does not fail over on the client’s own error', async () => {
    const { app, recorded } = await gateway({
      candidates: (r) => [
        endpoint('a', async () => reply(400, '{"type":"error","error":{"type":"invalid_request_error","message":"bad"}}'), r),
        endpoint('b', async () => reply(200, OK_MESSAGE), r),
      ],
    });
    open = app;
    expect((await post(app)).statusCode).toBe(400);
    expect(recorded.failovers).toEqual([]);
    expect(recorded.stages.filter((stage) => stage.startsWith('dispatch'))).toEqual(['dispatch:a']);
  });

  it('regression: a capped caller does not see the upstream rate-limit headers, but routing still reads them', async () => {
    const capped: Gate = { admit: async () => ({ ...OPEN_ADMISSION, capped: true, headers: { 'anthropic-ratelimit-unified-status': 'allowed' } }) };
    const upstreamLimits = { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '5' };
    const { app, recorded } = await gateway({ governor: capped, candidates: (r) => [endpoint('a', async () => reply(200, OK_MESSAGE, upstreamLimits), r)] });
    open = app;
    const response = await post(app);
    expect(response.statusCode).toBe(200);
    expect(response.headers['anthropic-ratelimit-requests-remaining']).toBeUndefined();
    expect(response.headers['anthropic-ratelimit-unified-status']).toBe('allowed');
    expect(recorded.succeededWith).toEqual([expect.objectContaining(upstreamLimits)]);
  });
});
