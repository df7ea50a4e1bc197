/**
 * The Anthropic TypeScript SDK through CCAG to the mock Anthropic API, on SQLite and PostgreSQL:
 * what reaches the upstream, what reaches the client, and what the ledger records.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { countTokensFor, sleep } from '../support/mock-script.js';

const MODEL = 'claude-sonnet-4-5-20250929';

describe.each(['sqlite', 'postgres'] as const)('Anthropic SDK through CCAG (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key: string;
  let client: Anthropic;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({
      database,
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_MAX_BODY_BYTES: String(1024 * 1024) },
    });
    if (!gw) return;
    key = (await gw.createKey('dev@example.com', { name: 'laptop' })).key;
    client = new Anthropic({ apiKey: key, baseURL: gw.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const lastUpstream = () => mock.requests.at(-1)!;
  const rowFor = async (requestId: string) => {
    for (let i = 0; i < 200; i++) {
      const row = await gw!.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId).executeTakeFirst();
      if (row) return row;
      await sleep(25);
    }
    throw new Error(`no ledger row for ${requestId}`);
  };

  test('non-streaming: forwarded verbatim, answered, billed to the micro-dollar', async (ctx) => {
    if (!gw) return ctx.skip();
    const { data, response } = await client.messages
      .create({
        model: MODEL,
        max_tokens: 512,
        messages: [{ role: 'user', content: 'hi [[usage in=1200 out=340 cr=5000 cw5=700 cw1h=300]]' }],
        metadata: { user_id: JSON.stringify({ session_id: 'sess-123' }) },
      })
      .withResponse();
    expect(data.content[0]).toEqual({ type: 'text', text: 'Hello from the mock.' });
    expect(data.model).toBe(MODEL);

    const upstream = lastUpstream();
    expect(upstream.url).toBe('/v1/messages');
    expect(upstream.headers['x-api-key']).toBe(mock.apiKey);
    expect(upstream.headers['anthropic-version']).toBe('2026-10-21');
    expect(JSON.stringify(upstream.headers)).not.toContain(key);
    expect(upstream.body).toMatchObject({ model: MODEL, max_tokens: 512 });

    const row = await rowFor(response.headers.get('x-ccag-request-id')!);
    // Sonnet 4.5: $3 in, $15 out, $0.30 cache read, $3.75 5m write, $6 1h write per MTok.
    expect(row).toMatchObject({
      model: MODEL,
      upstream_model: MODEL,
      streaming: 0,
      status: 200,
      stop_reason: 'end_turn',
      input_tokens: 1200,
      output_tokens: 340,
      cache_read_tokens: 5000,
      cache_write_5m_tokens: 700,
      cache_write_1h_tokens: 300,
      cost_micros: 1200 * 3 + 340 * 15 + 5000 * 0.3 + 700 * 3.75 + 300 * 6,
      pricing_status: 'priced',
      session_id: 'sess-123',
      key_prefix: key.slice(0, 14),
      usage_estimated: 0,
    });
  });

  test('streaming: events in order, text intact, usage from message_start + message_delta', async (ctx) => {
    if (!gw) return ctx.skip();
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'stream please [[usage in=90 out=33 cr=10 cw5=4]] [[text The quick brown fox]] [[chunks 4]]' }],
    });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'The quick brown fox' }]);
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const requestId = (await stream.withResponse()).response.headers.get('x-ccag-request-id')!;
    const row = await rowFor(requestId);
    expect(row).toMatchObject({ streaming: 1, status: 200, input_tokens: 90, output_tokens: 33, cache_read_tokens: 10, cache_write_5m_tokens: 4 });
    expect(row.cost_micros).toBe(Math.round(90 * 3 + 33 * 15 + 10 * 0.3 + 4 * 3.75));
    expect(row.ttft_ms).not.toBeNull();
  });

  test('beta requests keep ?beta=true and anthropic-beta verbatim; tool names are recorded', async (ctx) => {
    if (!gw) return ctx.skip();
    const { response } = await client.beta.messages
      .create({
        model: MODEL,
        max_tokens: 64,
        betas: ['interleaved-thinking-2025-05-14', 'some-future-beta-2027-01-01'],
        messages: [{ role: 'user', content: 'use a tool [[tool mcp__github__search]]' }],
      }, { query: { beta: 'true' } })
      .withResponse();
    const upstream = lastUpstream();
    expect(upstream.url).toBe('/v1/messages?beta=true');
    expect(upstream.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,some-future-beta-2027-01-01');
    const row = await rowFor(response.headers.get('x-ccag-request-id')!);
    expect(row).toMatchObject({ stop_reason: 'tool_use', tool_names: 'mcp__github__search' });
  });

  test('the body reaches the upstream byte for byte, whatever its formatting', async (ctx) => {
    if (!gw) return ctx.skip();
    // Odd spacing, key order, escapes and an unknown field: a re-serialising proxy would change them.
    const raw = `{ "max_tokens" : 16,\n  "model":"${MODEL}", "messages":[{"role":"user","content":"caf\\u00e9 \u2603 [[usage in=5 out=2]]"}],"future_field":{"z":1,"a":[true,null]} }`;
    const response = await fetch(`${gw.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-claude-code-session-id': 'sess-raw', 'anthropic-beta': 'x-1,y-2' },
      body: raw,
    });
    expect(response.status).toBe(200);
    const upstream = lastUpstream();
    expect(upstream.rawBody.equals(Buffer.from(raw, 'utf8'))).toBe(true);
    expect(upstream.headers['x-claude-code-session-id']).toBe('sess-raw');
    expect(upstream.headers['anthropic-beta']).toBe('x-1,y-2');
    expect(upstream.headers['anthropic-version']).toBe('2023-06-01');
  });

  test('a model without a price is served, recorded and flagged, never silently priced', async (ctx) => {
    if (!gw) return ctx.skip();
    const { response } = await client.messages
      .create({ model: 'claude-mythos-5-2', max_tokens: 10, messages: [{ role: 'user', content: '[[usage in=100 out=10]]' }] })
      .withResponse();
    const row = await rowFor(response.headers.get('x-ccag-request-id')!);
    expect(row).toMatchObject({ model: 'claude-mythos-5-2', status: 200, input_tokens: 100, output_tokens: 10, cost_micros: 0, pricing_status: 'unknown_model' });
  });

  test('count_tokens is answered by the upstream and not billed', async (ctx) => {
    if (!gw) return ctx.skip();
    const messages = [{ role: 'user' as const, content: 'count these words please' }];
    const before = mock.requests.length;
    const counted = await client.messages.countTokens({ model: MODEL, messages });
    expect(counted.input_tokens).toBe(countTokensFor({ messages }));
    expect(mock.requests.length).toBe(before + 1);
    expect(lastUpstream().url).toBe('/v1/messages/count_tokens');
  });

  test('GET /v1/models lists the upstream models', async (ctx) => {
    if (!gw) return ctx.skip();
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-6']);
  });

  test('upstream errors pass through unmodified and are recorded', async (ctx) => {
    if (!gw) return ctx.skip();
    const error = await client.messages
      .create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: '[[error 529 overloaded_error Overloaded right now]]' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded right now' } });
    const row = await rowFor((error as InstanceType<typeof Anthropic.APIError>).headers!.get('x-ccag-request-id')!);
    expect(row).toMatchObject({ status: 529, error_type: 'overloaded_error', cost_micros: 0, input_tokens: 0 });
  });

  test('an unknown model gets 404 not_found_error naming it', async (ctx) => {
    if (!gw) return ctx.skip();
    const error = (await client.messages
      .create({ model: 'gpt-nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(404);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(JSON.stringify(error.error)).toContain('gpt-nope');
  });

  test('an error after partial output reaches the client in-band and is recorded', async (ctx) => {
    if (!gw) return ctx.skip();
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: '[[midstream-error]] [[usage in=50 out=9]] [[text partial output here]]' }],
    });
    const failure = await stream.finalMessage().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    const requestId = (await stream.withResponse()).response.headers.get('x-ccag-request-id')!;
    const row = await rowFor(requestId);
    expect(row).toMatchObject({ status: 200, error_type: 'overloaded_error', input_tokens: 50, usage_estimated: 1 });
    expect(row.output_tokens).toBeGreaterThanOrEqual(1);
    expect(row.cost_micros).toBeGreaterThan(0);
  });

  test('a client that disconnects mid-stream aborts the upstream and is billed for what streamed', async (ctx) => {
    if (!gw) return ctx.skip();
    const abandonedBefore = mock.abandonedStreams;
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: MODEL,
        max_tokens: 1000,
        stream: true,
        messages: [{ role: 'user', content: `[[usage in=400 out=999]] [[chunks 40]] [[delay 40]] [[text ${'word '.repeat(80)}]]` }],
      }),
      signal: controller.signal,
    });
    const requestId = response.headers.get('x-ccag-request-id')!;
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('content_block_delta')) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const row = await rowFor(requestId);
    expect(row).toMatchObject({ status: 499, input_tokens: 400, usage_estimated: 1, streaming: 1 });
    expect(row.output_tokens).toBeGreaterThanOrEqual(1);
    expect(row.output_tokens).toBeLessThan(999);
    expect(row.cost_micros).toBe(400 * 3 + row.output_tokens * 15);
    for (let i = 0; i < 100 && mock.abandonedStreams === abandonedBefore; i++) await sleep(20);
    expect(mock.abandonedStreams).toBe(abandonedBefore + 1);
  });
});
