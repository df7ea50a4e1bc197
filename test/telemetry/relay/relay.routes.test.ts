/**
 * The relay over HTTP (app.inject): credentials (401), media types (415), 200 with an empty export
 * response whenever a batch is dropped (signal off, no collector, queue full), 400/413 for what
 * cannot be read, forwarding with the operator's headers, and the counters in /metrics — with a
 * real collector that can refuse or hang, so a stuck collector's effect on the client is tested.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { loadSettings } from '../../../src/config/settings.js';
import { createAuthenticator, type Principal } from '../../../src/identity/authenticator.js';
import { Lifecycle } from '../../../src/lifecycle.js';
import { createMetrics, type Metrics } from '../../../src/telemetry/metrics.js';
import { telemetryRelayRoutes } from '../../../src/telemetry/relay/relay.routes.js';
import { createTelemetryRelay } from '../../../src/telemetry/relay/telemetry-relay.js';
import { startOtlpHttpCollector, type OtlpHttpCollector } from '../../support/otlp-http-collector.js';
import { sampleValue } from '../../support/prometheus-text.js';
import { otlpRequest } from './otlp-fixtures.js';

const KEY = 'sk-ccag-relay-test-key';
const PRINCIPAL: Principal = { keyId: 'k-1', keyPrefix: 'sk-ccag-rela', userId: 'u-1', userEmail: 'dev@example.com', teamId: 't-1', credential: 'key' };
const PROTOBUF = 'application/x-protobuf';

interface Relay {
  app: FastifyInstance;
  metrics: Metrics;
  lifecycle: Lifecycle;
}

const open: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const resource of open.splice(0).reverse()) await resource.close();
});

async function collector(): Promise<OtlpHttpCollector> {
  const started = await startOtlpHttpCollector();
  open.push(started);
  return started;
}

async function relayWith(env: Record<string, string>, logLines?: string[]): Promise<Relay> {
  const settings = loadSettings({ env });
  const log = logLines ? pino({ level: 'info' }, { write: (line: string) => logLines.push(line) }) : pino({ level: 'silent' });
  const lifecycle = new Lifecycle(log);
  const metrics = createMetrics({ otlpIntervalMs: 60_000 });
  const authenticator = createAuthenticator([{ accepts: (token) => token.startsWith('sk-ccag-'), resolve: (token) => (token === KEY ? PRINCIPAL : { refused: 'invalid' }) }]);
  const relay = await createTelemetryRelay({ settings, lifecycle, log, instruments: metrics.instruments, teamNames: async () => new Map([['t-1', 'frontend']]) });
  const app = Fastify();
  await app.register(telemetryRelayRoutes, { authenticator, relay });
  const closable = { app, metrics, lifecycle, close: async () => (await app.close(), await lifecycle.close(), await metrics.shutdown()) };
  open.push(closable);
  return closable;
}

const post = (relay: Relay, signal: string, body: Buffer, headers: Record<string, string> = {}) =>
  relay.app.inject({ method: 'POST', url: `/v1/${signal}`, headers: { 'content-type': PROTOBUF, 'x-api-key': KEY, ...headers }, payload: body });

async function counter(relay: Relay, name: string, labels: string): Promise<number | undefined> {
  return sampleValue(await relay.metrics.scrape(), `ccag_telemetry_relay_${name}_total{${labels}}`);
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('telemetry relay routes', () => {
  test('no credential or a wrong one: 401 in the Anthropic envelope, nothing received', async () => {
    const relay = await relayWith({});
    const body = await otlpRequest('metrics', 'protobuf');
    const missing = await relay.app.inject({ method: 'POST', url: '/v1/metrics', headers: { 'content-type': PROTOBUF }, payload: body });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(missing.headers['x-should-retry']).toBe('false');
    expect((await post(relay, 'traces', body, { 'x-api-key': 'sk-ccag-wrong' })).statusCode).toBe(401);
    expect(await counter(relay, 'received', 'signal="metrics"')).toBe(0);
  });

  test('200 with an empty export response in the request encoding when dropping: no collector, or a signal that is off', async () => {
    const relay = await relayWith({ CCAG_TELEMETRY_RELAY_LOGS_URL: 'http://127.0.0.1:9/v1/logs' });
    const protobuf = await post(relay, 'metrics', await otlpRequest('metrics', 'protobuf'), { authorization: `Bearer ${KEY}`, 'x-api-key': '' });
    expect(protobuf.statusCode).toBe(200);
    expect(protobuf.headers['content-type']).toBe(PROTOBUF);
    expect(protobuf.rawPayload).toHaveLength(0);
    const json = await post(relay, 'logs', await otlpRequest('logs', 'json'), { 'content-type': 'application/json; charset=utf-8' });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.json()).toEqual({});
    expect(await counter(relay, 'dropped', 'signal="metrics",reason="not_configured"')).toBe(1);
    // Logs have a URL but are opt-in: a relay that was not told to forward prompts does not.
    expect(await counter(relay, 'dropped', 'signal="logs",reason="disabled"')).toBe(1);
    expect(await counter(relay, 'received', 'signal="logs"')).toBe(1);
  });

  test('415 for another media type or content encoding, whatever the signal settings', async () => {
    const relay = await relayWith({});
    const body = await otlpRequest('metrics', 'protobuf');
    const text = await post(relay, 'metrics', body, { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.message).toContain('application/x-protobuf');
    expect((await post(relay, 'metrics', body, { 'content-encoding': 'br' })).statusCode).toBe(415);
  });

  test('forwards enriched batches with the shared and per-signal headers (the signal’s own win), gzip accepted', async () => {
    const otlp = await collector();
    const relay = await relayWith({
      CCAG_TELEMETRY_RELAY_METRICS_URL: `${otlp.url}/v1/metrics`,
      CCAG_TELEMETRY_RELAY_TRACES_URL: `${otlp.url}/v1/traces`,
      CCAG_TELEMETRY_RELAY_TRACES: 'true',
      CCAG_TELEMETRY_RELAY_HEADERS: 'x-api-key=shared,x-tenant=acme',
      CCAG_TELEMETRY_RELAY_TRACES_HEADERS: 'x-api-key=traces-only',
    });
    expect((await post(relay, 'metrics', gzipSync(await otlpRequest('metrics', 'protobuf')), { 'content-encoding': 'gzip' })).statusCode).toBe(200);
    expect((await post(relay, 'traces', await otlpRequest('traces', 'json'), { 'content-type': 'application/json' })).statusCode).toBe(200);
    await until(() => otlp.received.length === 2);
    const bySignal = Object.fromEntries(otlp.received.map((received) => [received.signal, received]));
    expect(bySignal.metrics!.headers).toMatchObject({ 'x-api-key': 'shared', 'x-tenant': 'acme', 'content-type': PROTOBUF });
    expect(bySignal.traces!.headers).toMatchObject({ 'x-api-key': 'traces-only', 'x-tenant': 'acme', 'content-type': 'application/json' });
    for (const received of otlp.received) {
      expect(received.resources[0]!.attributes).toMatchObject({ 'ccag.user.id': 'u-1', 'ccag.user.email': 'dev@example.com', 'ccag.team.name': 'frontend', 'ccag.key.prefix': 'sk-ccag-rela' });
    }
    await until(async () => (await counter(relay, 'forwarded', 'signal="traces"')) === 1);
    expect(await counter(relay, 'forwarded', 'signal="metrics"')).toBe(1);
  });

  test('a body that is not OTLP: 400 and counted as malformed; past the byte bound: 413', async () => {
    const otlp = await collector();
    const relay = await relayWith({ CCAG_TELEMETRY_RELAY_METRICS_URL: `${otlp.url}/v1/metrics`, CCAG_TELEMETRY_RELAY_QUEUE_MAX_BYTES: '4096' });
    const malformed = await post(relay, 'metrics', Buffer.from([0x0a, 0x7f, 0x00]));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.type).toBe('invalid_request_error');
    expect(await counter(relay, 'dropped', 'signal="metrics",reason="malformed"')).toBe(1);
    expect((await post(relay, 'metrics', Buffer.alloc(5000))).statusCode).toBe(413);
    expect((await post(relay, 'metrics', gzipSync(Buffer.alloc(5000)), { 'content-encoding': 'gzip' })).statusCode).toBe(413);
    expect(await counter(relay, 'dropped', 'signal="metrics",reason="too_large"')).toBe(1);
    expect(otlp.arrivals()).toBe(0);
  });

  test('a collector that hangs: clients still get 200 at once, the queue holds its bound and counts the drops, shutdown counts the rest', async () => {
    const otlp = await collector();
    otlp.behave({ answer: 'hang' });
    const relay = await relayWith({
      CCAG_TELEMETRY_RELAY_METRICS_URL: `${otlp.url}/v1/metrics`,
      CCAG_TELEMETRY_RELAY_QUEUE_MAX_BATCHES: '2',
      CCAG_TELEMETRY_RELAY_CONCURRENCY: '1',
      CCAG_TELEMETRY_RELAY_TIMEOUT_MS: '60000',
    });
    const body = await otlpRequest('metrics', 'protobuf');
    // Were a client's answer tied to the collector's, the first of these would never come back.
    const statuses = [];
    for (let index = 0; index < 5; index++) statuses.push((await post(relay, 'metrics', body)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(await counter(relay, 'dropped', 'signal="metrics",reason="queue_full"')).toBe(3);
    await otlp.waitForArrivals(1);
    expect(otlp.arrivals()).toBe(1);
    expect(sampleValue(await relay.metrics.scrape(), 'ccag_telemetry_relay_queue_depth')).toBe(2);

    // Stopping waits at most 2 s for the hung collector (well inside the 60 s forward timeout), then counts what it held.
    await relay.app.close();
    await relay.lifecycle.close();
    expect(await counter(relay, 'dropped', 'signal="metrics",reason="shutdown"')).toBe(2);
    expect(await counter(relay, 'forward_failures', 'signal="metrics",reason="timeout"')).toBe(0);
  });

  test('forward failures are counted by reason (refused, timed out, unreachable) and logged once per outage, without the headers', async () => {
    const otlp = await collector();
    const logLines: string[] = [];
    const relay = await relayWith(
      {
        CCAG_TELEMETRY_RELAY_METRICS_URL: `${otlp.url}/v1/metrics`,
        CCAG_TELEMETRY_RELAY_HEADERS: 'authorization=Bearer%20collector-secret-token',
        CCAG_TELEMETRY_RELAY_LOGS_URL: 'http://127.0.0.1:1/v1/logs',
        CCAG_TELEMETRY_RELAY_LOGS: '1',
        CCAG_TELEMETRY_RELAY_TIMEOUT_MS: '200',
      },
      logLines,
    );
    otlp.behave({ answer: 'status', status: 503 });
    await post(relay, 'metrics', await otlpRequest('metrics', 'protobuf'));
    await until(async () => (await counter(relay, 'forward_failures', 'signal="metrics",reason="rejected"')) === 1);
    otlp.behave({ answer: 'hang' });
    await post(relay, 'metrics', await otlpRequest('metrics', 'protobuf'));
    await until(async () => (await counter(relay, 'forward_failures', 'signal="metrics",reason="timeout"')) === 1);
    await post(relay, 'logs', await otlpRequest('logs', 'protobuf'));
    await until(async () => (await counter(relay, 'forward_failures', 'signal="logs",reason="unreachable"')) === 1);
    expect(await counter(relay, 'forwarded', 'signal="metrics"')).toBe(0);
    otlp.behave({ answer: 'ok' });
    await post(relay, 'metrics', await otlpRequest('metrics', 'protobuf'));
    await until(async () => (await counter(relay, 'forwarded', 'signal="metrics"')) === 1);

    const messages = logLines.map((line) => JSON.parse(line) as { msg: string; signal: string });
    expect(messages.map((m) => `${m.signal}: ${m.msg}`)).toEqual([
      'metrics: telemetry relay: collector failing; its batches are dropped until it recovers',
      'logs: telemetry relay: collector failing; its batches are dropped until it recovers',
      'metrics: telemetry relay: collector accepts batches again',
    ]);
    expect(logLines.join('')).not.toContain('collector-secret-token');
  });
});
