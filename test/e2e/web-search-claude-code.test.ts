/**
 * The real Claude Code CLI searching the web through CCAG on Bedrock: the mock model calls
 * Claude Code's WebSearch tool, Claude Code sends its web-search sub-request (the
 * `web_search_20250305` server tool), the gateway swaps the tool, runs the search on the mock
 * provider and answers as Anthropic would, and the final answer carries the URLs found.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClaudeCode } from '../support/claude-code.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { DEFAULT_PROFILES, startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { sleep } from '../support/mock-script.js';
import { startMockSearchProvider, type MockSearchProvider } from '../support/mock-search-provider.js';
import type { ScriptedTurn } from '../support/scripted-turn.js';

/** Claude Code 2.1.197's default model and the us. profile a us-east-1 endpoint invokes for it. */
const PROFILES = [...DEFAULT_PROFILES, 'us.anthropic.claude-opus-4-8', 'global.anthropic.claude-opus-4-8'];
const PROMPT = 'What is CCAG? Search the web. [[web-search-e2e]]';

type Json = Record<string, any>;

const lastToolResult = (body: Json): Json | undefined => {
  const last = (body.messages as Json[]).at(-1);
  return Array.isArray(last?.content) ? last.content.find((block: Json) => block.type === 'tool_result') : undefined;
};
const urlsIn = (value: unknown) => [...new Set(JSON.stringify(value).match(/https:\/\/[a-z0-9./-]+/g) ?? [])];

/**
 * The model: in the main conversation it calls WebSearch, then answers with the links it got; in
 * the web-search sub-request (the swapped, regular `web_search` tool) it searches, then summarises.
 */
function model(body: Json): ScriptedTurn | undefined {
  const tools = (body.tools as Json[] | undefined) ?? [];
  if (tools.some((tool) => tool.name === 'web_search' && tool.input_schema)) {
    const results = lastToolResult(body);
    if (!results) return { content: [{ type: 'tool_use', name: 'web_search', input: { query: 'ccag gateway' } }], usage: { input_tokens: 200, output_tokens: 20 } };
    return { content: [{ type: 'text', text: 'CCAG is a gateway for Claude Code.' }], usage: { input_tokens: 500, output_tokens: 30 } };
  }
  if (!JSON.stringify(body.messages).includes('[[web-search-e2e]]') || !tools.some((tool) => tool.name === 'WebSearch')) return undefined;
  const results = lastToolResult(body);
  if (!results) return { content: [{ type: 'tool_use', name: 'WebSearch', input: { query: 'ccag gateway' } }] };
  return { content: [{ type: 'text', text: `CCAG is a gateway for Claude Code. Sources: ${urlsIn(results.content).join(' ')}` }] };
}

describe('Claude Code CLI web search through CCAG to Bedrock (sqlite)', () => {
  let bedrock: MockBedrock;
  let search: MockSearchProvider;
  let gw: TestGateway | undefined;
  let key: string;

  beforeAll(async () => {
    bedrock = await startMockBedrock({ profiles: PROFILES, script: model });
    search = await startMockSearchProvider();
    gw = await startGateway({ database: 'sqlite' });
    if (!gw) return;
    await gw.addEndpoint({ kind: 'bedrock', name: 'bedrock-us', region: 'us-east-1', auth: 'static', access_key_id: 'AKIDTEST', secret_access_key: 'secret', endpoint_url: bedrock.url, is_default: true });
    await gw.admin('PUT', '/web-search', { mode: 'global', provider: { type: 'brave', api_key: search.key, base_url: `${search.url}/brave` } });
    key = (await gw.createKey('claude-user@example.com')).key;
  });
  afterAll(async () => {
    await gw?.close();
    await bedrock?.close();
    await search?.close();
  });

  test('claude -p searches with WebSearch and answers with the URLs found', { timeout: 120_000 }, async ({ skip }) => {
    if (!gw) return skip();
    const result = await runClaudeCode(PROMPT, { ANTHROPIC_BASE_URL: gw.url, ANTHROPIC_API_KEY: key, ENABLE_TOOL_SEARCH: 'false' }, ['--allowedTools', 'WebSearch']);
    expect(result.json, result.stderr + result.stdout).toMatchObject({ type: 'result', is_error: false });
    const answer = String(result.json!.result);
    expect(answer).toContain('https://docs.example.com/ccag');
    expect(answer).toContain('https://github.com/example/ccag');

    // The provider was asked once, the Brave way.
    expect(search.requests.map((r) => [r.provider, r.query.q])).toEqual([['brave', 'ccag gateway']]);
    // Bedrock never saw the server tool; the sub-request reached it twice (search, then answer), each time with the regular tool.
    const subCalls = bedrock.requests.filter((r) => JSON.stringify(r.body ?? {}).includes('You are an assistant for performing a web search tool use'));
    expect(subCalls).toHaveLength(2);
    expect(JSON.stringify(bedrock.requests.map((r) => r.body))).not.toContain('web_search_20250305');

    // The sub-request is one ledger row with both calls' tokens and the search.
    let row;
    for (let i = 0; i < 200 && !row; i++) {
      row = await gw.store.db.selectFrom('spend_ledger').selectAll().where('web_searches', '>', 0).executeTakeFirst();
      if (!row) await sleep(25);
    }
    expect(row).toMatchObject({ status: 200, input_tokens: 700, output_tokens: 50, web_searches: 1, stop_reason: 'end_turn' });
  });
});
