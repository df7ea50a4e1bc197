/**
 * Slow clients against a real `ccag serve` process: clients that send their headers a byte at a
 * time and never finish (slowloris), cut after CCAG_HEADERS_TIMEOUT_MS; and a client that stops
 * reading a large stream, which backpressure holds in the kernel's buffers and the upstream (the
 * gateway's memory stays bounded) until it reads again and the stream completes, billed once;
 * and one that never reads again, disconnected after CCAG_CLIENT_STALL_TIMEOUT_MS.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { expectBackToBaseline, startFaultGateway, warmUpAndMeasure, type FaultGateway, type Footprint } from '../support/fault-gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { expectOneRowPerCompleted, LOAD_MODEL, streamLoad, type StreamOutcome } from '../support/stream-load.js';

const HEADERS_TIMEOUT_MS = 2_000;
const CLIENT_STALL_TIMEOUT_MS = 4_000;
const SLOW_CLIENTS = 20;
const CLEAN = 'clean [[usage in=100 out=20]] [[chunks 5]]';
/** About 40 MB of SSE: 20 000 × (ten 100-character deltas). */
const LARGE = `large [[usage in=100 out=20]] [[text ${'x'.repeat(1000)}]] [[chunks 10]] [[repeat 20000]]`;

describe('slow clients', () => {
  let mock: MockAnthropic;
  let database: TestDatabase;
  let gateway: FaultGateway;
  let key: string;
  let baseline: Footprint;
  const outcomes: StreamOutcome[] = [];

  beforeAll(async () => {
    database = (await createTestDatabase('sqlite'))!;
    mock = await startMockAnthropic();
    gateway = await startFaultGateway(database, { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), CCAG_CLIENT_STALL_TIMEOUT_MS: String(CLIENT_STALL_TIMEOUT_MS) });
    ({ key } = await gateway.createKey('slow@example.com'));
    const warm = await warmUpAndMeasure(gateway, mock, key, CLEAN);
    outcomes.push(...warm.outcomes);
    baseline = warm.baseline;
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await mock?.close();
    await database?.drop();
  });

  async function expectRecovered(label: string, extra: Record<string, unknown>): Promise<void> {
    const load = streamLoad(gateway.url, key);
    const recovery = await load.stream(CLEAN);
    await load.close();
    outcomes.push(recovery);
    expect(recovery.complete, 'a normal request afterwards').toBe(true);
    await sleep(300);
    const ledger = expectOneRowPerCompleted(await gateway.ledger(), outcomes);
    mock.closeIdleConnections();
    const after = await expectBackToBaseline(gateway, baseline);
    console.log(`[faults] ${label}: ${JSON.stringify({ ...extra, ledger, baseline, footprint: after })}`);
  }

  test(`${SLOW_CLIENTS} clients sending headers a byte every 200 ms: each cut with 408 after the ${HEADERS_TIMEOUT_MS} ms headers timeout`, async () => {
    const port = Number(new URL(gateway.url).port);
    const startedAt = performance.now();
    const clients = Array.from({ length: SLOW_CLIENTS }, () => {
      const socket: Socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('error', () => undefined);
      const header = `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${key}\r\nx-slow: ${'y'.repeat(200)}`;
      let sent = 0;
      const drip = setInterval(() => {
        if (sent < header.length && !socket.destroyed) socket.write(header[sent++]!);
      }, 200);
      const closed = new Promise<{ afterMs: number; bytesSent: number }>((resolve) =>
        socket.on('close', () => {
          clearInterval(drip);
          resolve({ afterMs: performance.now() - startedAt, bytesSent: sent });
        }),
      );
      return { closed, received: () => received };
    });
    await sleep(500);
    const during = gateway.footprint();
    // The gateway keeps serving while the slow clients hold their connections.
    const load = streamLoad(gateway.url, key);
    const served = await load.stream(CLEAN);
    await load.close();
    outcomes.push(served);
    expect(served.complete).toBe(true);

    const ends = await Promise.all(clients.map((c) => c.closed));
    const slowest = Math.max(...ends.map((e) => e.afterMs));
    for (const [index, end] of ends.entries()) {
      expect(end.bytesSent).toBeLessThan(200); // cut long before its headers were done
      expect(end.afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
      expect(clients[index]!.received()).toMatch(/^HTTP\/1\.1 408 /);
    }
    expect(slowest).toBeLessThan(HEADERS_TIMEOUT_MS + 2_000);
    await expectRecovered('slow headers', { clients: SLOW_CLIENTS, cut: ends.length, slowestCutMs: Math.round(slowest), fdsDuring: during.fds });
  });

  /** The large stream, its response paused (nothing read). */
  function largeStream(): Promise<IncomingMessage> {
    const body = JSON.stringify({ model: LOAD_MODEL, max_tokens: 200, stream: true, messages: [{ role: 'user', content: LARGE }] });
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      });
      req.on('response', (response) => resolve(response.pause()));
      req.on('error', reject);
      req.end(body);
    });
  }

  test('a client that stops reading a ~40 MB stream for 2.5 s: gateway memory stays bounded, the stream completes when it reads again', async () => {
    const response = await largeStream();
    const stalledAt = gateway.footprint();
    await sleep(2_500);
    const stalled = gateway.footprint();
    // Backpressure: the gateway pauses the upstream instead of buffering the ~40 MB the mock has to send.
    expect(stalled.rssMb - stalledAt.rssMb).toBeLessThan(20);

    let bytes = 0;
    let tail = '';
    for await (const chunk of response) {
      bytes += (chunk as Buffer).length;
      tail = (tail + (chunk as Buffer).toString()).slice(-200);
    }
    expect(response.statusCode).toBe(200);
    expect(tail).toContain('event: message_stop');
    expect(bytes).toBeGreaterThan(30_000_000);
    const requestId = response.headers['x-ccag-request-id'] as string;
    outcomes.push({ requestId, status: 200, complete: true, errorType: null, body: '' });
    await sleep(300);
    const [row] = await gateway.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId).execute();
    expect(row).toMatchObject({ status: 200, input_tokens: 100, output_tokens: 20 });
    await expectRecovered('slow reader', { streamBytes: bytes, rssAtStallMb: stalledAt.rssMb, rssAfterStallMb: stalled.rssMb });
  }, 60_000);

  test(`client stall timeout: a client that never reads again is disconnected after ${CLIENT_STALL_TIMEOUT_MS} ms, billed once with status 499`, async () => {
    const startedAt = performance.now();
    const response = await largeStream();
    const requestId = response.headers['x-ccag-request-id'] as string;
    // The client reads nothing, so it cannot see the disconnect: the gateway's ledger row says when.
    let rows = await gateway.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId).execute();
    while (rows.length === 0 && performance.now() - startedAt < CLIENT_STALL_TIMEOUT_MS + 10_000) {
      await sleep(100);
      rows = await gateway.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId).execute();
    }
    const closedAfterMs = performance.now() - startedAt;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 499, input_tokens: 100 });
    expect(closedAfterMs).toBeGreaterThanOrEqual(CLIENT_STALL_TIMEOUT_MS);
    expect(closedAfterMs).toBeLessThan(CLIENT_STALL_TIMEOUT_MS + 5_000);
    // Reading now, the client gets what the buffers held and then the end: not the whole stream.
    let tail = '';
    await new Promise<void>((resolve) => {
      response.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-200)));
      response.on('close', resolve);
      response.resume();
    });
    expect(tail).not.toContain('event: message_stop');
    outcomes.push({ requestId, status: 499, complete: false, errorType: null, body: '' });
    await expectRecovered('stalled reader', { closedAfterMs: Math.round(closedAfterMs) });
  }, 60_000);
});
