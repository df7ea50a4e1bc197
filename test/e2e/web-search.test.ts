/**
 * Web search on Bedrock end to end, on SQLite and PostgreSQL: the Anthropic SDK sending Claude
 * Code's web-search sub-request through CCAG to the mock Bedrock runtime (a scripted model that
 * calls the swapped `web_search` tool, then answers from the results) and a mock search provider.
 * Covers the modes and their refusals, the admin and member APIs, incremental streaming, the
 * ledger row (tokens of every model call, searches at the per-search price) and the metrics.
 */
import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { sleep } from '../support/mock-script.js';
import { startMockSearchProvider, type MockSearchProvider } from '../support/mock-search-provider.js';
import { sampleValue } from '../support/prometheus-text.js';
import type { ScriptedTurn } from '../support/scripted-turn.js';

const MODEL = 'claude-sonnet-4-5-20250929';
/** Sonnet 4.5's us. price in µ$/MTok (input, output), and the default per-search price in µ$. */
const INPUT_MICROS = 3_300_000;
const OUTPUT_MICROS = 16_500_000;
const SEARCH_MICROS = 10_000;

/** Claude Code 2.1.197's web-search sub-request, as its WebSearch tool builds it. */
function claudeCodeSubRequest(query: string) {
  return {
    model: MODEL,
    max_tokens: 4096,
    system: [{ type: 'text' as const, text: 'You are an assistant for performing a web search tool use' }],
    messages: [{ role: 'user' as const, content: `Perform a web search for the query: ${query}` }],
    tools: [{ type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 8, blocked_domains: ['example.net'] }],
    tool_choice: { type: 'tool' as const, name: 'web_search' },
  };
}

type Json = Record<string, any>;

describe.each(['sqlite', 'postgres'] as const)('web search on Bedrock (%s)', (database) => {
  let bedrock: MockBedrock;
  let search: MockSearchProvider;
  let gw: TestGateway | undefined;
  let client: Anthropic;
  /** The model's answering turn waits for this when set (the incremental streaming test). */
  let answerHold: Promise<void> | undefined;
  /** The answering call fails with this Bedrock exception when set. */
  let answerError: ScriptedTurn['awsError'];

  /** A model that searches once (the swapped tool is a regular tool), then answers naming the URLs it read. */
  function model(body: Json): ScriptedTurn | undefined {
    const swapped = (body.tools as Json[] | undefined)?.some((tool) => tool.name === 'web_search' && tool.input_schema);
    if (!swapped) return undefined;
    const last = (body.messages as Json[]).at(-1)!;
    const results = Array.isArray(last.content) ? last.content.find((block: Json) => block.type === 'tool_result') : undefined;
    if (!results) return { content: [{ type: 'text', text: 'Searching the web.' }, { type: 'tool_use', name: 'web_search', input: { query: 'ccag gateway' } }], usage: { input_tokens: 100, output_tokens: 10 } };
    if (answerError) return { content: [], awsError: answerError };
    const urls = String(results.content).match(/https:\/\/\S+/g) ?? [];
    return { content: [{ type: 'text', text: `Found: ${urls.join(' ')}` }], usage: { input_tokens: 300, output_tokens: 50 }, ...(answerHold ? { holdUntil: answerHold } : {}) };
  }

  beforeAll(async () => {
    bedrock = await startMockBedrock({ script: model });
    search = await startMockSearchProvider();
    gw = await startGateway({ database });
    if (!gw) return;
    await gw.addEndpoint({ kind: 'bedrock', name: 'bedrock-us', region: 'us-east-1', auth: 'static', access_key_id: 'AKIDTEST', secret_access_key: 'secret', endpoint_url: bedrock.url, is_default: true });
    client = new Anthropic({ apiKey: (await gw.createKey('dev@example.com')).key, baseURL: gw.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.close();
    await bedrock?.close();
    await search?.close();
  });

  const invocations = () => bedrock.requests.filter((r) => r.operation === 'invoke' || r.operation === 'invoke-stream');
  const rowFor = async (requestId: string | null | undefined) => {
    for (let i = 0; i < 200; i++) {
      const row = await gw!.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId!).executeTakeFirst();
      if (row) return row;
      await sleep(25);
    }
    throw new Error(`no ledger row for ${requestId}`);
  };

  test('disabled by default: a web search request to Bedrock gets a 400 saying how to enable it', async ({ skip }) => {
    if (!gw) return skip();
    const before = invocations().length;
    const error = await client.messages.create(claudeCodeSubRequest('ccag')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/Web search is disabled.*ccag web-search set/) } });
    expect(invocations().length).toBe(before);
  });

  test('the admin API sets the mode and provider (the key write-only) and tests it (regression: a test search was aborted as soon as Fastify had read its request body)', async ({ skip }) => {
    if (!gw) return skip();
    expect((await gw.admin('GET', '/web-search')).body).toMatchObject({ mode: 'disabled', provider: null, price_per_search_usd: 0.01, users_configured: 0 });
    const bad = await gw.admin('PUT', '/web-search', { mode: 'sometimes' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: expect.stringContaining('mode') } } });
    const set = await gw.admin<Json>('PUT', '/web-search', { mode: 'global', provider: { type: 'tavily', api_key: search.key, base_url: `${search.url}/tavily` } });
    expect(set).toMatchObject({ status: 200, body: { mode: 'global', provider: { type: 'tavily', base_url: `${search.url}/tavily`, max_results: 5, key_set: true } } });
    const shown = await gw.admin<Json>('GET', '/web-search');
    expect(JSON.stringify(shown.body)).not.toContain(search.key);
    expect(shown.body.providers).toContainEqual({ type: 'brave', label: 'Brave Search', needs_key: true, default_base_url: 'https://api.search.brave.com' });
    const tested = await gw.admin<Json>('POST', '/web-search/test', { query: 'ccag' });
    expect(tested).toMatchObject({ status: 200, body: { ok: true, error: null, results: expect.arrayContaining([{ title: 'CCAG documentation', url: 'https://docs.example.com/ccag' }]) } });
  });

  test("Claude Code's sub-request through the SDK: server tool blocks, the URLs, one ledger row summing every call plus the search", async ({ skip }) => {
    if (!gw) return skip();
    const calls = invocations().length;
    const stream = client.messages.stream(claudeCodeSubRequest('ccag gateway'));
    const message = await stream.finalMessage();
    const requestId = (await stream.withResponse()).response.headers.get('x-ccag-request-id');

    expect(message.content.map((block) => block.type)).toEqual(['text', 'server_tool_use', 'web_search_tool_result', 'text']);
    const [, use, result, answer] = message.content as Json[];
    expect(use).toMatchObject({ name: 'web_search', input: { query: 'ccag gateway' }, id: expect.stringMatching(/^srvtoolu_/) });
    expect(result!.tool_use_id).toBe(use!.id);
    expect(result!.content.map((hit: Json) => [hit.title, hit.url])).toEqual([['CCAG documentation', 'https://docs.example.com/ccag'], ['CCAG on GitHub', 'https://github.com/example/ccag']]);
    expect(answer!.text).toBe('Found: https://docs.example.com/ccag https://github.com/example/ccag');
    expect(message.usage).toMatchObject({ input_tokens: 400, output_tokens: 60, server_tool_use: { web_search_requests: 1 } });
    expect(invocations().length - calls).toBe(2);
    expect(invocations().slice(-2).every((r) => !JSON.stringify(r.body).includes('web_search_20250305'))).toBe(true);

    const row = await rowFor(requestId);
    expect(row).toMatchObject({ status: 200, streaming: 1, input_tokens: 400, output_tokens: 60, web_searches: 1, pricing_status: 'priced', stop_reason: 'end_turn' });
    expect(row.cost_micros).toBe(Math.round((400 * INPUT_MICROS + 60 * OUTPUT_MICROS) / 1_000_000) + SEARCH_MICROS);
  });

  test('a non-streaming request gets the same one message', async ({ skip }) => {
    if (!gw) return skip();
    const response = await client.messages.create(claudeCodeSubRequest('ccag gateway')).withResponse();
    expect(response.data.content.map((block) => block.type)).toEqual(['text', 'server_tool_use', 'web_search_tool_result', 'text']);
    const row = await rowFor(response.response.headers.get('x-ccag-request-id'));
    expect(row).toMatchObject({ streaming: 0, input_tokens: 400, output_tokens: 60, web_searches: 1 });
  });

  test("streaming is incremental: the client has the first call's text before Bedrock answers the second call", async ({ skip }) => {
    if (!gw) return skip();
    let release!: () => void;
    answerHold = new Promise<void>((resolve) => (release = resolve));
    try {
      const response = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': client.apiKey! },
        body: JSON.stringify({ ...claudeCodeSubRequest('ccag gateway'), stream: true }),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let received = '';
      const firstText = (async () => {
        while (!received.includes('Searching the web.') || !received.includes('web_search_tool_result')) {
          const { value, done } = await reader.read();
          if (done) throw new Error('the stream ended before the first call was relayed');
          received += decoder.decode(value, { stream: true });
        }
      })();
      await Promise.race([firstText, sleep(10_000).then(() => Promise.reject(new Error('the first call was buffered, not streamed')))]);
      // The second call reached Bedrock and is being held there: nothing of its answer exists yet.
      expect(received).not.toContain('Found:');
      expect(received).not.toContain('message_stop');
      release();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
      expect(received).toContain('Found: https://docs.example.com/ccag');
      expect(received.match(/event: message_start/g)).toHaveLength(1);
      expect(received.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
    } finally {
      answerHold = undefined;
      release();
    }
  });

  test('per-user mode: a member without a provider is told where to set it; with their own it searches there', async ({ skip }) => {
    if (!gw) return skip();
    expect((await gw.admin('PUT', '/web-search', { mode: 'per_user' })).status).toBe(200);
    const member = await gw.admin<{ id: string; email: string }>('POST', '/users', { email: 'member@example.com' });
    const memberKey = (await gw.createKey('member@example.com')).key;
    const session = newSessionToken();
    await gw.store.db.insertInto('sessions').values({ id: randomUUID(), token_hash: session.hash, user_id: member.body.id, created_at: Date.now(), expires_at: Date.now() + 3_600_000, revoked_at: null }).execute();
    const asMember = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${gw!.url}/admin${path}`, { method, headers: { authorization: `Bearer ${session.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, body: (await response.json()) as Json };
    };
    const memberClient = new Anthropic({ apiKey: memberKey, baseURL: gw.url, maxRetries: 0 });

    const refused = await memberClient.messages.create(claudeCodeSubRequest('q')).catch((e: unknown) => e);
    expect((refused as InstanceType<typeof Anthropic.APIError>).status).toBe(400);
    expect((refused as Error).message).toMatch(/Settings → Web search.*ccag web-search mine set/);

    expect(await asMember('GET', '/me/web-search')).toEqual({ status: 200, body: { mode: 'per_user', provider: null } });
    expect((await asMember('GET', '/web-search')).status).toBe(403);
    const saved = await asMember('PUT', '/me/web-search', { type: 'exa', api_key: search.key, base_url: `${search.url}/exa` });
    expect(saved).toMatchObject({ status: 200, body: { mode: 'per_user', provider: { type: 'exa', key_set: true } } });
    expect(JSON.stringify(saved.body)).not.toContain(search.key);
    expect(await asMember('POST', '/me/web-search/test', {})).toMatchObject({ status: 200, body: { ok: true } });

    const before = search.requests.length;
    const answer = await memberClient.messages.create(claudeCodeSubRequest('q'));
    expect(answer.usage.server_tool_use?.web_search_requests).toBe(1);
    expect(search.requests.slice(before).map((r) => r.provider)).toEqual(['exa']);
    expect((await gw.admin<Json>('GET', '/web-search')).body.users_configured).toBe(1);
    expect(await asMember('DELETE', '/me/web-search')).toEqual({ status: 200, body: { mode: 'per_user', provider: null } });
  });

  test('searches and provider failures are counted in the metrics', async ({ skip }) => {
    if (!gw) return skip();
    await gw.admin('PUT', '/web-search', { mode: 'global' });
    search.failWith = { status: 503, body: 'down' };
    try {
      const message = await client.messages.create(claudeCodeSubRequest('q'));
      expect((message.content[2] as Json).content).toEqual({ type: 'web_search_tool_result_error', error_code: 'unavailable' });
      expect(message.usage.server_tool_use?.web_search_requests).toBe(0);
    } finally {
      search.failWith = undefined;
    }
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${await gw.adminToken()}` } })).text();
    expect(sampleValue(metrics, 'ccag_web_searches_total')).toBeGreaterThanOrEqual(4);
    expect(sampleValue(metrics, 'ccag_web_search_failures_total{provider="tavily"}')).toBe(1);
  });

  test('regression: a later model call failing on a whole (non-streaming) request no longer leaves the earlier call and its search unbilled', async ({ skip }) => {
    if (!gw) return skip();
    await gw.admin('PUT', '/web-search', { mode: 'global' });
    // The search results push the prompt past the model's limit: Bedrock refuses the second call.
    answerError = { name: 'ValidationException', message: 'Input is too long for requested model.' };
    try {
      const failure = await client.messages.create(claudeCodeSubRequest('ccag gateway')).withResponse().catch((error: unknown) => error as InstanceType<typeof Anthropic.APIError>);
      expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
      const row = await rowFor((failure as InstanceType<typeof Anthropic.APIError>).headers?.get('x-ccag-request-id'));
      // The first call (100 in, 10 out) and its one search; the refused call used nothing.
      expect(row).toMatchObject({ status: 400, streaming: 0, input_tokens: 100, output_tokens: 10, web_searches: 1 });
      expect(row.cost_micros).toBe(Math.round((100 * INPUT_MICROS + 10 * OUTPUT_MICROS) / 1_000_000) + SEARCH_MICROS);
    } finally {
      answerError = undefined;
    }
  });
});
