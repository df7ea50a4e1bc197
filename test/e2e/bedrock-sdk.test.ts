/**
 * The Anthropic TypeScript SDK through CCAG to the mock Bedrock runtime, on SQLite and PostgreSQL:
 * what reaches Bedrock (translated body, model id in the path, SigV4, never the CCAG key), what
 * reaches the client (its own model name, Anthropic SSE and errors), and what the ledger records.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { DEFAULT_PROFILES, startMockBedrock, type MockBedrock, type RecordedRequest } from '../support/mock-bedrock.js';
import { countTokensFor, sleep } from '../support/mock-script.js';

const MODEL = 'claude-sonnet-4-5-20250929';
/** The us. geo profile a us-east-1 endpoint invokes for MODEL. */
const INVOKED = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const FOUNDATION = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const ACCOUNT = '123456789012';

/** Published $/MTok: input, output, cache read, 5-minute write, 1-hour write. */
type Prices = readonly [number, number, number, number, number];
const SONNET_4_5_REGIONAL: Prices = [3.3, 16.5, 0.33, 4.125, 6.6];
const SONNET_4_5_GLOBAL: Prices = [3, 15, 0.3, 3.75, 6];

interface Tokens {
  input: number;
  output: number;
  cacheRead?: number;
  write5m?: number;
  write1h?: number;
}

/** Σ tokens × $/MTok in integer micro-dollars, half up: the figure the ledger must hold exactly. */
function costMicros(prices: Prices, t: Tokens): number {
  const perMTok = prices.map((dollars) => Math.round(dollars * 1_000_000));
  const counts = [t.input, t.output, t.cacheRead ?? 0, t.write5m ?? 0, t.write1h ?? 0];
  const sum = counts.reduce((total, count, i) => total + count * perMTok[i]!, 0);
  return Math.round(sum / 1_000_000);
}

interface SseFrame {
  event: string;
  data: string;
}

/** Frames of a raw SSE body, exactly as the gateway wrote them. */
function parseSse(raw: string): SseFrame[] {
  return raw
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length) ?? '';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice('data: '.length))
        .join('\n');
      return { event, data };
    });
}

type ApiError = InstanceType<typeof Anthropic.APIError>;

describe.each(['sqlite', 'postgres'] as const)('Anthropic SDK through CCAG to Bedrock (%s)', (database) => {
  let mock: MockBedrock;
  let gw: TestGateway | undefined;
  let key: string;
  let client: Anthropic;

  beforeAll(async () => {
    // Opus 4 (20250514) has a us. profile here so the greedy-prefix case can prove which model it got.
    mock = await startMockBedrock({ profiles: [...DEFAULT_PROFILES, 'us.anthropic.claude-opus-4-20250514-v1:0'] });
    gw = await startGateway({ database, env: { CCAG_STREAM_PING_MS: '300' } });
    if (!gw) return;
    await gw.addEndpoint({
      kind: 'bedrock',
      name: 'bedrock-us',
      region: 'us-east-1',
      auth: 'static',
      access_key_id: 'AKIDTEST',
      secret_access_key: 'secret',
      endpoint_url: mock.url,
      is_default: true,
    });
    key = (await gw.createKey('dev@example.com', { name: 'laptop' })).key;
    client = new Anthropic({ apiKey: key, baseURL: gw.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const runtimeCalls = () => mock.requests.filter((r) => r.operation === 'invoke' || r.operation === 'invoke-stream' || r.operation === 'count-tokens');
  const lastRuntime = (): RecordedRequest => runtimeCalls().at(-1)!;
  const bodyOf = (r: RecordedRequest) => r.body as Record<string, unknown>;
  const rowFor = async (requestId: string | null | undefined) => {
    expect(requestId).toMatch(/^req_ccag_/);
    for (let i = 0; i < 200; i++) {
      const row = await gw!.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId!).executeTakeFirst();
      if (row) return row;
      await sleep(25);
    }
    throw new Error(`no ledger row for ${requestId}`);
  };
  const post = (body: Record<string, unknown>, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}) =>
    fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...init.headers },
      body: JSON.stringify(body),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  const failureOf = async (promise: Promise<unknown>): Promise<ApiError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    return error as ApiError;
  };

  test('non-streaming: translated for Bedrock, signed, answered with the client model, billed at the regional price', async (ctx) => {
    if (!gw) return ctx.skip();
    const messages = [{ role: 'user' as const, content: 'hi [[usage in=1200 out=340 cr=5000 cw5=700 cw1h=300]]' }];
    const { data, response } = await client.beta.messages
      .create({
        model: MODEL,
        max_tokens: 512,
        betas: ['interleaved-thinking-2025-05-14', 'some-future-beta-2027-01-01'],
        messages,
        metadata: { user_id: JSON.stringify({ session_id: 'sess-bedrock-1' }) },
      })
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'Hello from the mock.' }]);
    expect(data.model).toBe(MODEL);
    expect(data.usage).toMatchObject({ input_tokens: 1200, output_tokens: 340, cache_read_input_tokens: 5000, cache_creation_input_tokens: 1000 });

    const upstream = lastRuntime();
    expect(upstream).toMatchObject({ method: 'POST', operation: 'invoke', path: `/model/${encodeURIComponent(INVOKED)}/invoke`, modelId: INVOKED });
    expect(bodyOf(upstream)).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      anthropic_beta: ['interleaved-thinking-2025-05-14', 'some-future-beta-2027-01-01'],
      max_tokens: 512,
      messages,
      metadata: { user_id: JSON.stringify({ session_id: 'sess-bedrock-1' }) },
    });
    expect(upstream.hasAuthorization).toBe(true);
    expect(upstream.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/);
    expect(upstream.headers['x-api-key']).toBeUndefined();
    expect(Object.keys(upstream.headers).filter((h) => h.startsWith('anthropic-'))).toEqual([]);
    expect(JSON.stringify(upstream)).not.toContain(key);
    expect(JSON.stringify(upstream)).not.toContain('sk-ccag-');

    const row = await rowFor(response.headers.get('x-ccag-request-id'));
    const expected = costMicros(SONNET_4_5_REGIONAL, { input: 1200, output: 340, cacheRead: 5000, write5m: 700, write1h: 300 });
    // 3960 + 5610 + 1650 + 2887.5 + 1980 = 16087.5 µ$, rounded half up; the global price would be 14625.
    expect(expected).toBe(16088);
    expect(row).toMatchObject({
      model: MODEL,
      upstream_model: INVOKED,
      streaming: 0,
      status: 200,
      stop_reason: 'end_turn',
      error_type: null,
      input_tokens: 1200,
      output_tokens: 340,
      cache_read_tokens: 5000,
      cache_write_5m_tokens: 700,
      cache_write_1h_tokens: 300,
      cost_micros: expected,
      pricing_status: 'priced',
      session_id: 'sess-bedrock-1',
      key_prefix: key.slice(0, 14),
      usage_estimated: 0,
    });
    expect(row.upstream_request_id).toBe(upstream.replyRequestId);
  });

  test('streaming: Anthropic SSE in order, text intact, no Bedrock metrics in the bytes, usage billed', async (ctx) => {
    if (!gw) return ctx.skip();
    const prompt = 'stream please [[usage in=90 out=33 cr=10 cw5=4]] [[text The quick brown fox]] [[chunks 4]]';
    const stream = client.messages.stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: prompt }] });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'The quick brown fox' }]);
    expect(final.model).toBe(MODEL);
    expect(final.stop_reason).toBe('end_turn');
    const expectedOrder = [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ];
    expect(events).toEqual(expectedOrder);
    const upstream = lastRuntime();
    expect(upstream).toMatchObject({ operation: 'invoke-stream', path: `/model/${encodeURIComponent(INVOKED)}/invoke-with-response-stream`, modelId: INVOKED });
    expect(bodyOf(upstream)).not.toHaveProperty('stream');
    expect(bodyOf(upstream)).not.toHaveProperty('model');
    expect(bodyOf(upstream).anthropic_version).toBe('bedrock-2023-05-31');

    const row = await rowFor((await stream.withResponse()).response.headers.get('x-ccag-request-id'));
    expect(row).toMatchObject({
      upstream_model: INVOKED,
      streaming: 1,
      status: 200,
      stop_reason: 'end_turn',
      input_tokens: 90,
      output_tokens: 33,
      cache_read_tokens: 10,
      cache_write_5m_tokens: 4,
      cache_write_1h_tokens: 0,
      usage_estimated: 0,
      pricing_status: 'priced',
      cost_micros: costMicros(SONNET_4_5_REGIONAL, { input: 90, output: 33, cacheRead: 10, write5m: 4 }),
    });
    expect(row.ttft_ms).not.toBeNull();

    // The same turn read as raw bytes: what proxies and other clients see.
    const response = await post({ model: MODEL, max_tokens: 256, stream: true, messages: [{ role: 'user', content: prompt }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await response.text();
    expect(raw).not.toContain('amazon-bedrock-invocationMetrics');
    expect(raw).not.toContain('invocationMetrics');
    const frames = parseSse(raw).filter((f) => f.event !== 'ping');
    expect(frames.map((f) => f.event)).toEqual(expectedOrder);
    for (const frame of frames) expect((JSON.parse(frame.data) as { type: string }).type).toBe(frame.event);
    const start = JSON.parse(frames[0]!.data) as { message: { model: string } };
    expect(start.message.model).toBe(MODEL);
    const text = frames
      .filter((f) => f.event === 'content_block_delta')
      .map((f) => (JSON.parse(f.data) as { delta: { text: string } }).delta.text)
      .join('');
    expect(text).toBe('The quick brown fox');
    const stop = JSON.parse(frames.at(-1)!.data) as Record<string, unknown>;
    expect(stop).toEqual({ type: 'message_stop' });
  });

  test('the request tags field and the request-tags beta never reach Bedrock', async (ctx) => {
    if (!gw) return ctx.skip();
    const body = {
      model: MODEL,
      max_tokens: 64,
      tags: { team: 'platform', ticket: 'CCAG-42' },
      betas: ['request-tags-2026-08-21', 'interleaved-thinking-2025-05-14'],
      messages: [{ role: 'user' as const, content: 'tagged [[text tags gone]]' }],
    };
    const message = await client.beta.messages.create(body as unknown as Anthropic.Beta.MessageCreateParamsNonStreaming);
    expect(message.content).toEqual([{ type: 'text', text: 'tags gone' }]);
    const sent = bodyOf(lastRuntime());
    expect(sent).not.toHaveProperty('tags');
    expect(sent.anthropic_beta).toEqual(['interleaved-thinking-2025-05-14']);
    expect(JSON.stringify(sent)).not.toContain('request-tags');

    // Only the tags beta: no anthropic_beta at all.
    const only = await client.beta.messages.create({ ...body, betas: ['request-tags-2026-08-21'] } as unknown as Anthropic.Beta.MessageCreateParamsNonStreaming);
    expect(only.content).toEqual([{ type: 'text', text: 'tags gone' }]);
    expect(bodyOf(lastRuntime())).not.toHaveProperty('anthropic_beta');
    expect(bodyOf(lastRuntime())).not.toHaveProperty('tags');
  });

  test('model names: [1m] suffix, date-less ids and Bedrock ids map to what Bedrock invokes; replies carry the client name', async (ctx) => {
    if (!gw) return ctx.skip();
    const ask = async (model: string) => {
      const { data, response } = await client.messages
        .create({ model, max_tokens: 32, messages: [{ role: 'user', content: 'which model [[usage in=1000 out=100]]' }] })
        .withResponse();
      const upstream = lastRuntime();
      const row = await rowFor(response.headers.get('x-ccag-request-id'));
      return { data, upstream, row };
    };

    const long = await ask(`${MODEL}[1m]`);
    expect(long.data.model).toBe(`${MODEL}[1m]`);
    expect(long.upstream.modelId).toBe(INVOKED);
    expect(bodyOf(long.upstream).anthropic_beta).toEqual(['context-1m-2025-08-07']);
    expect(long.row).toMatchObject({ model: `${MODEL}[1m]`, upstream_model: INVOKED, cost_micros: costMicros(SONNET_4_5_REGIONAL, { input: 1000, output: 100 }) });

    const undated = await ask('claude-sonnet-4-5');
    expect(undated.data.model).toBe('claude-sonnet-4-5');
    expect(undated.upstream.modelId).toBe(INVOKED);
    expect(bodyOf(undated.upstream)).not.toHaveProperty('anthropic_beta');
    expect(undated.row).toMatchObject({ upstream_model: INVOKED, cost_micros: costMicros(SONNET_4_5_REGIONAL, { input: 1000, output: 100 }) });

    // A Bedrock inference profile id is invoked as-is, and priced as what it is: global.
    const profile = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const global = await ask(profile);
    expect(global.data.model).toBe(profile);
    expect(global.upstream.modelId).toBe(profile);
    expect(global.row).toMatchObject({ upstream_model: profile, cost_micros: costMicros(SONNET_4_5_GLOBAL, { input: 1000, output: 100 }), pricing_status: 'priced' });

    // So is an inference-profile ARN.
    const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/${INVOKED}`;
    const byArn = await ask(arn);
    expect(byArn.data.model).toBe(arn);
    expect(byArn.upstream.modelId).toBe(arn);
    expect(byArn.row).toMatchObject({ upstream_model: arn, cost_micros: costMicros(SONNET_4_5_REGIONAL, { input: 1000, output: 100 }) });

    // Undated Sonnet 4 is Sonnet 4, not a longer id that happens to start with it.
    const sonnet4 = await ask('claude-sonnet-4');
    expect(sonnet4.upstream.modelId).toBe('us.anthropic.claude-sonnet-4-20250514-v1:0');
    expect(sonnet4.data.model).toBe('claude-sonnet-4');
  });

  test('no greedy prefix matching: claude-opus-4 is Opus 4, never Opus 4.1; unknown names are 404 naming them', async (ctx) => {
    if (!gw) return ctx.skip();
    const before = runtimeCalls().length;
    const opus4 = await client.messages.create({ model: 'claude-opus-4', max_tokens: 16, messages: [{ role: 'user', content: 'opus four' }] });
    expect(opus4.model).toBe('claude-opus-4');
    expect(runtimeCalls()).toHaveLength(before + 1);
    expect(lastRuntime().modelId).toBe('us.anthropic.claude-opus-4-20250514-v1:0');

    for (const unknown of ['claude-opus-4-9', 'claude-sonnet-4-5-2025', 'claude-nope-1', 'gpt-4o']) {
      const error = await failureOf(client.messages.create({ model: unknown, max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }));
      expect(error.status).toBe(404);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
      expect((error.error as { error: { message: string } }).error.message).toContain(unknown);
    }
    // Nothing was sent to Bedrock for the unknown names.
    expect(runtimeCalls()).toHaveLength(before + 1);
  });

  test('count_tokens is Bedrock CountTokens on the foundation model; an application inference profile gets 501', async (ctx) => {
    if (!gw) return ctx.skip();
    const messages = [{ role: 'user' as const, content: 'count these words please' }];
    const before = runtimeCalls().length;
    const counted = await client.messages.countTokens({ model: MODEL, messages });
    expect(counted.input_tokens).toBe(countTokensFor({ messages }));
    expect(runtimeCalls()).toHaveLength(before + 1);
    const upstream = lastRuntime();
    expect(upstream).toMatchObject({ operation: 'count-tokens', modelId: FOUNDATION, hasAuthorization: true });
    expect(bodyOf(upstream)).not.toHaveProperty('model');
    expect(bodyOf(upstream)).toMatchObject({ anthropic_version: 'bedrock-2023-05-31', messages });

    const appProfile = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;
    const error = await failureOf(client.messages.countTokens({ model: appProfile, messages }));
    expect(error.status).toBe(501);
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_supported' } });
    // Never a completion and never a guess: Bedrock was not asked at all.
    expect(runtimeCalls()).toHaveLength(before + 1);
  });

  test('GET /v1/models lists the Anthropic ids this account can invoke', async (ctx) => {
    if (!gw) return ctx.skip();
    const models: Anthropic.ModelInfo[] = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((m) => m.id)).toEqual([
      'claude-sonnet-4-6',
      'claude-opus-4-6',
      'claude-haiku-4-5-20251001',
      'claude-sonnet-4-5-20250929',
      'claude-opus-4-1-20250805',
      'claude-opus-4-20250514',
      'claude-sonnet-4-20250514',
    ]);
    for (const model of models) {
      expect(model.type).toBe('model');
      expect(model.display_name).toMatch(/^Claude /);
      expect(Number.isNaN(Date.parse(model.created_at))).toBe(false);
    }
    expect(models.find((m) => m.id === 'claude-sonnet-4-5-20250929')).toMatchObject({ display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' });
  });

  test('a failure after partial output becomes an SSE error event; the ledger keeps the error and the partial usage', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await post({
      model: MODEL,
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: '[[midstream-error]] [[usage in=50 out=9]] [[text partial output here]]' }],
    });
    expect(response.status).toBe(200);
    const frames = parseSse(await response.text()).filter((f) => f.event !== 'ping');
    expect(frames.map((f) => f.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'error']);
    expect(JSON.parse(frames[2]!.data)).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'partial' } });
    expect(JSON.parse(frames[3]!.data)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Bedrock is unable to process your request.' } });

    const row = await rowFor(response.headers.get('x-ccag-request-id'));
    expect(row).toMatchObject({ status: 200, streaming: 1, error_type: 'overloaded_error', input_tokens: 50, usage_estimated: 1, upstream_model: INVOKED });
    expect(row.output_tokens).toBeGreaterThanOrEqual(1);
    expect(row.output_tokens).toBeLessThan(9);
    expect(row.cost_micros).toBe(costMicros(SONNET_4_5_REGIONAL, { input: 50, output: row.output_tokens }));

    // Through the SDK: partial text, then the error in Anthropic shape.
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: '[[bedrock-midstream ModelStreamErrorException The model stream broke]] [[text abcdefghi]]' }],
    });
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const failure = await failureOf(stream.finalMessage());
    expect(texts).toEqual(['abc']);
    expect(failure.error).toEqual({ type: 'error', error: { type: 'api_error', message: 'The model stream broke' } });
    const sdkRow = await rowFor((await stream.withResponse()).response.headers.get('x-ccag-request-id'));
    expect(sdkRow).toMatchObject({ status: 200, error_type: 'api_error', usage_estimated: 1 });
  });

  test('a silent Bedrock stream gets event: ping frames during the gap, after the output so far', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await post({
      model: MODEL,
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'think long [[pause 1500]] [[text ab]] [[chunks 2]] [[usage in=20 out=7]]' }],
    });
    expect(response.status).toBe(200);
    // Read as it arrives: the first delta must reach the client before the silence, not after it.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let raw = '';
    let firstDeltaAt: number | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      raw += decoder.decode(value, { stream: true });
      if (firstDeltaAt === undefined && raw.includes('event: content_block_delta')) firstDeltaAt = performance.now();
    }
    const endedAt = performance.now();
    expect(firstDeltaAt).toBeDefined();
    expect(endedAt - firstDeltaAt!).toBeGreaterThan(1000);
    const frames = parseSse(raw);
    const events = frames.map((f) => f.event);
    const firstDelta = events.indexOf('content_block_delta');
    const secondDelta = events.indexOf('content_block_delta', firstDelta + 1);
    expect(firstDelta).toBeGreaterThan(0);
    expect(secondDelta).toBeGreaterThan(firstDelta);
    // 1.5 s of silence at a 300 ms interval: about five pings, all inside the gap.
    const gap = events.slice(firstDelta + 1, secondDelta);
    expect(gap.length).toBeGreaterThanOrEqual(2);
    expect(new Set(gap)).toEqual(new Set(['ping']));
    for (const frame of frames.filter((f) => f.event === 'ping')) expect(JSON.parse(frame.data)).toEqual({ type: 'ping' });
    expect(raw).toContain('event: ping\ndata: {"type": "ping"}\n\n');
    expect(events.filter((e) => e !== 'ping')).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    // Pings are not usage: the row is the turn's exact usage.
    const row = await rowFor(response.headers.get('x-ccag-request-id'));
    expect(row).toMatchObject({ status: 200, input_tokens: 20, output_tokens: 7, usage_estimated: 0, cost_micros: costMicros(SONNET_4_5_REGIONAL, { input: 20, output: 7 }) });
  });

  test('a client that disconnects mid-stream aborts the Bedrock stream and is billed for what streamed', async (ctx) => {
    if (!gw) return ctx.skip();
    const streamsBefore = mock.streams.length;
    const controller = new AbortController();
    const response = await post(
      {
        model: MODEL,
        max_tokens: 1000,
        stream: true,
        messages: [{ role: 'user', content: `[[usage in=400 out=999]] [[chunks 40]] [[delay 40]] [[text ${'word '.repeat(80)}]]` }],
      },
      { signal: controller.signal },
    );
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-ccag-request-id');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('content_block_delta')) received += decoder.decode((await reader.read()).value, { stream: true });
    controller.abort();

    const row = await rowFor(requestId);
    expect(row).toMatchObject({ status: 499, streaming: 1, input_tokens: 400, usage_estimated: 1, upstream_model: INVOKED });
    expect(row.output_tokens).toBeGreaterThanOrEqual(1);
    expect(row.output_tokens).toBeLessThan(999);
    expect(row.cost_micros).toBe(costMicros(SONNET_4_5_REGIONAL, { input: 400, output: row.output_tokens }));

    expect(mock.streams).toHaveLength(streamsBefore + 1);
    const upstreamStream = mock.streams[streamsBefore]!;
    await Promise.race([upstreamStream.closed, sleep(5_000)]);
    expect(upstreamStream.abortedByClient).toBe(true);
    // 40 deltas plus the framing events would be 45 frames; the abort stopped it well before.
    expect(upstreamStream.framesSent).toBeLessThan(45);
  });

  describe('Bedrock errors before the first byte', () => {
    const fail = (content: string, stream = false) =>
      failureOf(
        stream
          ? client.messages.create({ model: MODEL, max_tokens: 16, stream: true, messages: [{ role: 'user', content }] })
          : client.messages.create({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content }] }),
      );
    const errorOf = (e: ApiError) => e.error as { type: string; error: { type: string; message: string } };

    test('ValidationException → 400 invalid_request_error with its message', async (ctx) => {
      if (!gw) return ctx.skip();
      for (const stream of [false, true]) {
        const error = await fail('[[bedrock-error ValidationException messages.0.content: text content blocks must be non-empty]]', stream);
        expect(error.status).toBe(400);
        expect(error.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'messages.0.content: text content blocks must be non-empty' } });
        const row = await rowFor(error.headers?.get('x-ccag-request-id'));
        expect(row).toMatchObject({ status: 400, error_type: 'invalid_request_error', cost_micros: 0, streaming: stream ? 1 : 0 });
      }
    });

    test('context-length messages reach the client verbatim', async (ctx) => {
      if (!gw) return ctx.skip();
      for (const stream of [false, true]) {
        const short = await fail('[[bedrock-error ValidationException Input is too long.]]', stream);
        expect(short.status).toBe(400);
        expect(short.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'Input is too long.' } });

        const long = await fail('[[bedrock-error ValidationException prompt is too long: 250000 tokens > 200000 maximum]]', stream);
        expect(long.status).toBe(400);
        expect(long.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 250000 tokens > 200000 maximum' } });
      }
    });

    test('AccessDeniedException naming the account and role → 5xx api_error without them', async (ctx) => {
      if (!gw) return ctx.skip();
      const secretMessage = `User: arn:aws:sts::${ACCOUNT}:assumed-role/BedrockInvokeRole/ccag is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/${INVOKED}`;
      for (const stream of [false, true]) {
        const error = await fail(`[[bedrock-error AccessDeniedException ${secretMessage}]]`, stream);
        expect(error.status).toBeGreaterThanOrEqual(500);
        expect(error.status).toBeLessThan(600);
        expect(errorOf(error).type).toBe('error');
        expect(errorOf(error).error.type).toBe('api_error');
        const message = errorOf(error).error.message;
        expect(message.length).toBeGreaterThan(0);
        for (const secret of [ACCOUNT, 'arn:', 'BedrockInvokeRole', 'assumed-role', 'inference-profile']) expect(message).not.toContain(secret);
        expect(JSON.stringify(error.error)).not.toContain(ACCOUNT);
        const row = await rowFor(error.headers?.get('x-ccag-request-id'));
        expect(row).toMatchObject({ status: error.status, error_type: 'api_error', cost_micros: 0 });
      }
    });

    // Overload and throttling come last: they are the errors an endpoint may cool down on.
    test('ServiceUnavailableException → 529 overloaded_error', async (ctx) => {
      if (!gw) return ctx.skip();
      for (const stream of [false, true]) {
        const error = await fail('[[bedrock-error ServiceUnavailableException Service is temporarily unavailable]]', stream);
        expect(error.status).toBe(529);
        expect(errorOf(error).error.type).toBe('overloaded_error');
        const row = await rowFor(error.headers?.get('x-ccag-request-id'));
        expect(row).toMatchObject({ status: 529, error_type: 'overloaded_error', cost_micros: 0 });
      }
    });

    test('ThrottlingException → 429 rate_limit_error, also when it is the first stream frame', async (ctx) => {
      if (!gw) return ctx.skip();
      for (const stream of [false, true]) {
        const error = await fail('[[bedrock-error ThrottlingException Too many requests, please wait before trying again.]]', stream);
        expect(error.status).toBe(429);
        expect(error.error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Too many requests, please wait before trying again.' } });
        const row = await rowFor(error.headers?.get('x-ccag-request-id'));
        expect(row).toMatchObject({ status: 429, error_type: 'rate_limit_error', cost_micros: 0 });
      }
      // Bedrock accepted the stream, then its first frame is the exception: still a real 429.
      const first = await fail('[[bedrock-first ThrottlingException slow down]]', true);
      expect(first.status).toBe(429);
      expect(first.error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
    });
  });

  test('nothing Bedrock received carries the CCAG key, and every runtime call was signed', async (ctx) => {
    if (!gw) return ctx.skip();
    expect(runtimeCalls().length).toBeGreaterThan(10);
    for (const request of mock.requests) {
      expect(request.hasAuthorization).toBe(true);
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
      expect(request.headers['x-api-key']).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain(key);
      expect(JSON.stringify(request)).not.toContain('sk-ccag-');
    }
  });
});
