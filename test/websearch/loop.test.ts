/**
 * The web search loop around a Bedrock upstream, against a fake upstream that answers scripted
 * model turns (test/support/scripted-turn.ts) and the mock search providers: the client's one
 * message, whole and streamed, max_uses, domain filters, provider failures, and the modes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { UpstreamStreamError, type InboundRequest, type MessagesBody, type Upstream, type UpstreamReply } from '../../src/upstreams/types.js';
import { createWebSearchGateway } from '../../src/websearch/web-search-gateway.js';
import type { StoredProvider, WebSearchMode } from '../../src/websearch/web-search.repo.js';
import { startMockSearchProvider, type MockSearchProvider } from '../support/mock-search-provider.js';
import { scriptedEvents, scriptedMessage, type ScriptedTurn } from '../support/scripted-turn.js';

type Json = Record<string, any>;

let search: MockSearchProvider;
beforeAll(async () => {
  search = await startMockSearchProvider();
});
afterAll(async () => {
  await search.close();
});
beforeEach(() => {
  search.requests.length = 0;
  search.failWith = undefined;
});

const encoder = new TextEncoder();

/** A Bedrock upstream that answers the scripted turns in order and records each call's body. */
function fakeBedrock(turns: ScriptedTurn[], kind: Upstream['kind'] = 'bedrock') {
  const bodies: MessagesBody[] = [];
  const replies: (UpstreamReply | undefined)[] = [];
  const upstream = {
    kind,
    async messages(request: InboundRequest): Promise<UpstreamReply> {
      bodies.push(request.body);
      const override = replies[bodies.length - 1];
      if (override) return override;
      const turn = turns[bodies.length - 1] ?? { content: [{ type: 'text', text: 'out of script' }] };
      if (request.body.stream === true) {
        const events = scriptedEvents(turn, 'claude-sonnet-4-5', `msg_${bodies.length}`);
        return { status: 200, headers: { 'content-type': 'text/event-stream' }, upstreamModel: 'us.anthropic.claude-sonnet-4-5', body: (async function* () {
          for (const event of events) yield encoder.encode(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
        })() };
      }
      const bytes = encoder.encode(JSON.stringify(scriptedMessage(turn, 'claude-sonnet-4-5', `msg_${bodies.length}`)));
      return { status: 200, headers: { 'content-type': 'application/json' }, upstreamModel: 'us.anthropic.claude-sonnet-4-5', body: (async function* () { yield bytes; })() };
    },
  } as unknown as Upstream;
  return { upstream, bodies, replies };
}

const provider = (owner: string): StoredProvider => ({ owner, type: 'tavily', baseUrl: `${search.url}/tavily`, apiKeySealed: search.key, maxResults: 5, updatedAt: 1 });

function gatewayWith(mode: WebSearchMode, providers: StoredProvider[] = [provider('global')]) {
  const searched: Array<{ provider: string; ok: boolean }> = [];
  const gateway = createWebSearchGateway({
    mirror: { mode: () => mode, provider: (owner) => providers.find((p) => p.owner === owner) },
    openKey: (sealed) => sealed,
    fetch,
    observer: { searched: (p, ok) => searched.push({ provider: p, ok }) },
  });
  return { gateway, searched };
}

const TOOL = { type: 'web_search_20250305', name: 'web_search', max_uses: 8, blocked_domains: ['example.net'] };
const request = (body: Json): InboundRequest => ({ requestId: 'r1', rawBody: Buffer.from(JSON.stringify(body)), body, headers: {}, search: '', signal: new AbortController().signal });
const claudeCodeBody = (extra: Json = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [{ type: 'text', text: 'You are an assistant for performing a web search tool use' }],
  messages: [{ role: 'user', content: 'Perform a web search for the query: ccag gateway' }],
  tools: [TOOL],
  tool_choice: { type: 'tool', name: 'web_search' },
  ...extra,
});

const searchTurn = (queries: string[], usage = { input_tokens: 100, output_tokens: 10 }): ScriptedTurn => ({
  content: [{ type: 'text', text: 'Let me search.' }, ...queries.map((query) => ({ type: 'tool_use' as const, name: 'web_search', input: { query } }))],
  usage,
});
const answerTurn: ScriptedTurn = { content: [{ type: 'text', text: 'CCAG is a gateway (https://docs.example.com/ccag).' }], usage: { input_tokens: 300, output_tokens: 50 } };

async function json(reply: UpstreamReply): Promise<Json> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of reply.body) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
}

async function events(reply: UpstreamReply): Promise<Json[]> {
  let text = '';
  for await (const chunk of reply.body) text += Buffer.from(chunk).toString('utf8');
  return text.split('\n\n').filter((frame) => frame.includes('data: ')).map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as Json);
}

describe('the web search loop on Bedrock', () => {
  test('a whole message: the searches as server tool blocks, results filtered, every call billed', async () => {
    const { upstream, bodies } = fakeBedrock([searchTurn(['ccag gateway']), answerTurn]);
    const { gateway, searched } = gatewayWith('global');
    const message = await json(await gateway.messages(upstream, request(claudeCodeBody()), { userId: 'u1' }));

    expect(message.content.map((block: Json) => block.type)).toEqual(['text', 'server_tool_use', 'web_search_tool_result', 'text']);
    const [, use, result] = message.content;
    expect(use).toEqual({ type: 'server_tool_use', id: expect.stringMatching(/^srvtoolu_[A-Za-z0-9]{24}$/), name: 'web_search', input: { query: 'ccag gateway' } });
    expect(result.tool_use_id).toBe(use.id);
    // The blocked domain is filtered out even though the provider returned it.
    expect(result.content.map((hit: Json) => hit.url)).toEqual(['https://docs.example.com/ccag', 'https://github.com/example/ccag']);
    expect(result.content[0]).toEqual({ type: 'web_search_result', url: 'https://docs.example.com/ccag', title: 'CCAG documentation', encrypted_content: expect.any(String), page_age: '2026-01-15' });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 400, output_tokens: 60, server_tool_use: { web_search_requests: 1 } });
    expect(searched).toEqual([{ provider: 'tavily', ok: true }]);
    expect(search.requests[0]!.body).toMatchObject({ query: 'ccag gateway', max_results: 5, exclude_domains: ['example.net'] });

    // Bedrock never sees the server tool; the follow-up carries the turn and the excerpts, and no longer forces a search.
    expect(JSON.stringify(bodies)).not.toContain('web_search_20250305');
    expect(bodies[0]!.tool_choice).toEqual({ type: 'tool', name: 'web_search' });
    expect(bodies[1]!.tool_choice).toEqual({ type: 'auto' });
    const followUp = bodies[1]!.messages as Json[];
    expect(followUp).toHaveLength(3);
    expect(followUp[1]).toMatchObject({ role: 'assistant', content: [{ type: 'text' }, { type: 'tool_use', name: 'web_search', input: { query: 'ccag gateway' } }] });
    expect(followUp[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: followUp[1]!.content[1].id, content: expect.stringContaining('CCAG is a gateway for Claude Code.') });
  });

  test('a stream: one message_start, indices renumbered across calls, one final message_delta with the summed usage', async () => {
    const { upstream } = fakeBedrock([searchTurn(['ccag gateway']), answerTurn]);
    const { gateway } = gatewayWith('global');
    const reply = await gateway.messages(upstream, request(claudeCodeBody({ stream: true })), { userId: 'u1' });
    expect(reply.headers['content-type']).toBe('text/event-stream');
    const seen = await events(reply);

    expect(seen.filter((e) => e.type === 'message_start')).toHaveLength(1);
    expect(seen.filter((e) => e.type === 'message_delta')).toHaveLength(1);
    expect(seen.at(-1)).toEqual({ type: 'message_stop' });
    const starts = seen.filter((e) => e.type === 'content_block_start');
    expect(starts.map((e) => [e.index, e.content_block.type])).toEqual([[0, 'text'], [1, 'server_tool_use'], [2, 'web_search_tool_result'], [3, 'text']]);
    const deltas = seen.filter((e) => e.type === 'content_block_delta');
    expect(deltas.filter((e) => e.index === 1).map((e) => e.delta.partial_json).join('')).toBe('{"query":"ccag gateway"}');
    expect(deltas.filter((e) => e.index === 3).map((e) => e.delta.text).join('')).toContain('CCAG is a gateway');
    expect(seen.filter((e) => e.type === 'content_block_stop').map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(seen.find((e) => e.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 400, output_tokens: 60, server_tool_use: { web_search_requests: 1 } } });
  });

  test('max_uses: searches beyond it get max_uses_exceeded, and the loop ends after a second round with nothing left', async () => {
    const { upstream, bodies } = fakeBedrock([searchTurn(['one', 'two']), searchTurn(['three']), searchTurn(['four'])]);
    const { gateway } = gatewayWith('global');
    const body = claudeCodeBody({ tools: [{ ...TOOL, max_uses: 1 }] });
    const message = await json(await gateway.messages(upstream, request(body), { userId: 'u1' }));
    expect(bodies).toHaveLength(3);
    expect(search.requests).toHaveLength(1);
    const errors = message.content.filter((b: Json) => b.type === 'web_search_tool_result').map((b: Json) => (Array.isArray(b.content) ? 'results' : b.content.error_code));
    expect(errors).toEqual(['results', 'max_uses_exceeded', 'max_uses_exceeded', 'max_uses_exceeded']);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.server_tool_use.web_search_requests).toBe(1);
  });

  test('allowed_domains keep only those domains', async () => {
    const { upstream } = fakeBedrock([searchTurn(['q']), answerTurn]);
    const { gateway } = gatewayWith('global');
    const message = await json(await gateway.messages(upstream, request(claudeCodeBody({ tools: [{ type: 'web_search_20250305', name: 'web_search', allowed_domains: ['github.com'] }] })), { userId: 'u1' }));
    const result = message.content.find((b: Json) => b.type === 'web_search_tool_result');
    expect(result.content.map((hit: Json) => hit.url)).toEqual(['https://github.com/example/ccag']);
    expect(search.requests[0]!.body).toMatchObject({ include_domains: ['github.com'] });
  });

  test('a failing provider becomes an error block, is not billed, and is reported', async () => {
    search.failWith = { status: 500, body: 'down' };
    const { upstream, bodies } = fakeBedrock([searchTurn(['q']), answerTurn]);
    const { gateway, searched } = gatewayWith('global');
    const message = await json(await gateway.messages(upstream, request(claudeCodeBody()), { userId: 'u1' }));
    expect(message.content[2]).toEqual({ type: 'web_search_tool_result', tool_use_id: message.content[1].id, content: { type: 'web_search_tool_result_error', error_code: 'unavailable' } });
    expect(message.usage.server_tool_use.web_search_requests).toBe(0);
    expect(searched).toEqual([{ provider: 'tavily', ok: false }]);
    expect((bodies[1]!.messages as Json[])[2]!.content[0]).toMatchObject({ is_error: true });
  });

  test("a turn that also calls the client's own tool ends there, for the client to run it", async () => {
    const { upstream, bodies } = fakeBedrock([{ content: [{ type: 'tool_use', name: 'web_search', input: { query: 'q' } }, { type: 'tool_use', name: 'Bash', input: { command: 'ls' } }] }]);
    const { gateway } = gatewayWith('global');
    const message = await json(await gateway.messages(upstream, request(claudeCodeBody({ tools: [TOOL, { name: 'Bash', input_schema: { type: 'object' } }], tool_choice: { type: 'auto' } })), { userId: 'u1' }));
    expect(bodies).toHaveLength(1);
    expect(message.content.map((b: Json) => b.type)).toEqual(['server_tool_use', 'tool_use', 'web_search_tool_result']);
    expect(message.stop_reason).toBe('tool_use');
  });

  test('a later call failing: the whole request answers the error; a stream bills what ran, then reports it', async () => {
    const throttled: () => UpstreamReply = () => ({ status: 429, headers: { 'content-type': 'application/json' }, upstreamModel: 'm', body: (async function* () {
      yield encoder.encode('{"type":"error","error":{"type":"rate_limit_error","message":"Too many requests"}}');
    })() });
    const whole = fakeBedrock([searchTurn(['q'])]);
    whole.replies[1] = throttled();
    const { gateway } = gatewayWith('global');
    expect((await gateway.messages(whole.upstream, request(claudeCodeBody()), { userId: 'u1' })).status).toBe(429);

    const streamed = fakeBedrock([searchTurn(['q'])]);
    streamed.replies[1] = throttled();
    const reply = await gateway.messages(streamed.upstream, request(claudeCodeBody({ stream: true })), { userId: 'u1' });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const chunk of reply.body) seen.push(Buffer.from(chunk).toString('utf8'));
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamStreamError);
    expect(failure).toMatchObject({ type: 'rate_limit_error', message: 'Too many requests' });
    expect(seen.at(-1)).toContain('"server_tool_use":{"web_search_requests":1}');
  });
});

describe('which requests loop', () => {
  test('the Anthropic API runs the tool natively, and a Bedrock request without it goes straight through', async () => {
    const { gateway } = gatewayWith('disabled');
    const anthropic = fakeBedrock([answerTurn], 'anthropic');
    await gateway.messages(anthropic.upstream, request(claudeCodeBody()), { userId: 'u1' });
    expect(anthropic.bodies[0]!.tools).toEqual([TOOL]);
    const plain = fakeBedrock([answerTurn]);
    const body = { model: 'm', max_tokens: 10, messages: [] };
    await gateway.messages(plain.upstream, request(body), { userId: 'u1' });
    expect(plain.bodies[0]).toBe(body);
  });

  test('disabled, global without a provider and per-user without one are refused with what to do', async () => {
    const { upstream, bodies } = fakeBedrock([answerTurn]);
    const refusal = (mode: WebSearchMode, providers: StoredProvider[] = []) => gatewayWith(mode, providers).gateway.messages(upstream, request(claudeCodeBody()), { userId: 'u1' }).catch((e: unknown) => e);
    for (const [mode, text] of [['disabled', /disabled.*ccag web-search set/], ['global', /none is configured.*ccag web-search set/], ['per_user', /your own|you have not set one.*ccag web-search mine set/]] as const) {
      const error = await refusal(mode);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', message: expect.stringMatching(text) });
    }
    expect(bodies).toHaveLength(0);
    // per_user uses the caller's own provider, not the global one.
    await gatewayWith('per_user', [provider('global'), { ...provider('u1'), type: 'exa', baseUrl: `${search.url}/exa` }]).gateway.messages(fakeBedrock([searchTurn(['q']), answerTurn]).upstream, request(claudeCodeBody()), { userId: 'u1' });
    expect(search.requests.map((r) => r.provider)).toEqual(['exa']);
  });
});
