/** The pure parts of web search: finding the server tool, the swap, history, domains, the search price. */
import { describe, expect, test } from 'vitest';
import { costOf, PriceIndex } from '../../src/spend/pricing.js';
import { filterHits } from '../../src/websearch/domains.js';
import { historyForBedrock } from '../../src/websearch/history.js';
import { ENCRYPTED_CONTENT_PLACEHOLDER, webSearchResultBlock } from '../../src/websearch/result-blocks.js';
import { bedrockBody, DEFAULT_MAX_USES, followUpToolChoice, webSearchToolOf } from '../../src/websearch/server-tool.js';

/** Claude Code 2.1.197's tool definition for its web search sub-request. */
const CLAUDE_CODE_TOOL = { type: 'web_search_20250305', name: 'web_search', allowed_domains: ['example.com'], blocked_domains: undefined, max_uses: 8 };

describe('the web_search server tool', () => {
  test('is found in every dated version, with its limits and domains', () => {
    expect(webSearchToolOf({ tools: [{ name: 'Bash', input_schema: {} }, CLAUDE_CODE_TOOL] })).toEqual({ name: 'web_search', maxUses: 8, allowedDomains: ['example.com'], blockedDomains: [] });
    expect(webSearchToolOf({ tools: [{ type: 'web_search_20260209', name: 'web_search' }] })).toMatchObject({ maxUses: DEFAULT_MAX_USES });
    expect(webSearchToolOf({ tools: [{ type: 'web_fetch_20250910', name: 'web_fetch' }, { name: 'web_search', input_schema: {} }] })).toBeUndefined();
    expect(webSearchToolOf({ messages: [] })).toBeUndefined();
  });

  test('is swapped for a regular tool taking {query}; the other tools stay as they were', () => {
    const bash = { name: 'Bash', input_schema: { type: 'object' } };
    const body = { model: 'm', tools: [bash, CLAUDE_CODE_TOOL], messages: [{ role: 'user', content: 'hi' }] };
    const swapped = bedrockBody(body, webSearchToolOf(body)!);
    expect(swapped.tools).toEqual([bash, { name: 'web_search', description: expect.any(String), input_schema: { type: 'object', properties: { query: { type: 'string', description: 'The search query' } }, required: ['query'] } }]);
    expect(swapped.messages).toBe(body.messages);
    expect(body.tools[1]).toBe(CLAUDE_CODE_TOOL);
  });

  test("a forced search (Claude Code's tool_choice) is forced on the first call only", () => {
    expect(followUpToolChoice({ type: 'tool', name: 'web_search' })).toEqual({ type: 'auto' });
    expect(followUpToolChoice({ type: 'any', disable_parallel_tool_use: true })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(followUpToolChoice({ type: 'auto' })).toEqual({ type: 'auto' });
  });
});

describe('history sent back by a client', () => {
  test('splits an assistant turn at each search result and joins adjacent user turns', () => {
    const result = webSearchResultBlock('srvtoolu_1', { ok: true, hits: [{ title: 'T', url: 'https://t.example/', snippet: 's', pageAge: '2 days' }] });
    const messages = [
      { role: 'user', content: 'find it' },
      { role: 'assistant', content: [{ type: 'text', text: 'Searching.' }, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } }, result, { type: 'text', text: 'Found T.' }] },
      { role: 'user', content: 'thanks' },
      { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'r' } }, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_2', content: { type: 'web_search_tool_result_error', error_code: 'unavailable' } }] },
      { role: 'user', content: [{ type: 'text', text: 'again' }] },
    ];
    expect(historyForBedrock(messages)).toEqual([
      { role: 'user', content: 'find it' },
      { role: 'assistant', content: [{ type: 'text', text: 'Searching.' }, { type: 'tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'srvtoolu_1', content: '[1] T\nURL: https://t.example/\nAge: 2 days' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Found T.' }] },
      { role: 'user', content: 'thanks' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'r' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'srvtoolu_2', content: 'Web search error (unavailable).', is_error: true }, { type: 'text', text: 'again' }] },
    ]);
    expect((result.content as Array<{ encrypted_content: string }>)[0]!.encrypted_content).toBe(ENCRYPTED_CONTENT_PLACEHOLDER);
  });

  test('a conversation without searches is passed as the same array', () => {
    const messages = [{ role: 'user', content: 'hi' }];
    expect(historyForBedrock(messages)).toBe(messages);
  });
});

describe('domain filters', () => {
  const hit = (url: string) => ({ title: url, url, snippet: '', pageAge: null });
  const hits = ['https://example.com/a', 'https://docs.example.com/b', 'https://notexample.com/', 'https://example.com/blog/post', 'not a url'].map(hit);

  test('allowed domains admit their subdomains only, paths narrow them, blocked ones win', () => {
    expect(filterHits(hits, ['example.com'], []).map((h) => h.url)).toEqual(['https://example.com/a', 'https://docs.example.com/b', 'https://example.com/blog/post']);
    expect(filterHits(hits, ['https://www.example.com/blog'], []).map((h) => h.url)).toEqual(['https://example.com/blog/post']);
    expect(filterHits(hits, ['example.com'], ['docs.example.com']).map((h) => h.url)).toEqual(['https://example.com/a', 'https://example.com/blog/post']);
    expect(filterHits(hits, [], [])).toHaveLength(5);
  });
});

describe('the per-search price', () => {
  const index = new PriceIndex([{ model_prefix: 'm', input: 3_000_000, output: 15_000_000, cache_read: null, cache_write_5m: null, cache_write_1h: null, tier_threshold: null, tier_input: null, tier_output: null, tier_cache_read: null, tier_cache_write_5m: null, tier_cache_write_1h: null }]);
  const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };

  test('adds each search to the token cost, also for a model without a price', () => {
    expect(costOf(index.lookup('m'), { ...usage, webSearches: 3 }, 10_000)).toEqual({ costMicros: 3000 + 1500 + 30_000, pricingStatus: 'priced' });
    expect(costOf(index.lookup('m'), usage, 10_000).costMicros).toBe(4500);
    expect(costOf(undefined, { ...usage, webSearches: 2 }, 10_000)).toEqual({ costMicros: 20_000, pricingStatus: 'unknown_model' });
  });
});
