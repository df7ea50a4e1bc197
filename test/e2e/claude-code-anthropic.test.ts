/**
 * The pinned Claude Code CLI through CCAG to the mock Anthropic API, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClaudeCode } from '../support/claude-code.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

describe.each(['sqlite', 'postgres'] as const)('Claude Code CLI through CCAG to the Anthropic API (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key: string;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (gw) key = (await gw.createKey('claude-user@example.com')).key;
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('claude -p answers through the gateway and every request is in the ledger', async (ctx) => {
    if (!gw) return ctx.skip();
    const result = await runClaudeCode('Say hello [[text Hello from CCAG.]] [[usage in=321 out=45 cr=1000 cw5=200]]', {
      ANTHROPIC_BASE_URL: gw.url,
      ANTHROPIC_API_KEY: key,
    });
    expect(result.json, result.stderr + result.stdout).toBeDefined();
    expect(result.json).toMatchObject({ type: 'result', is_error: false, result: 'Hello from CCAG.' });

    const posts = mock.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/messages'));
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post.url).toBe('/v1/messages?beta=true');
      expect(post.headers['x-api-key']).toBe(mock.apiKey);
      expect(post.headers['anthropic-version']).toBe('2023-06-01');
      expect(post.headers['user-agent']).toMatch(/claude-cli/);
    }
    const main = posts.find((p) => JSON.stringify(p.body).includes('Hello from CCAG'))!;
    expect(main.headers['anthropic-beta']).toBeTruthy();

    const rows = await gw.ledgerRows(posts.length);
    expect(rows).toHaveLength(posts.length);
    const answered = rows.find((r) => r.input_tokens === 321)!;
    expect(answered).toMatchObject({ status: 200, output_tokens: 45, cache_read_tokens: 1000, cache_write_5m_tokens: 200, pricing_status: 'priced' });
    expect(answered.session_id).toMatch(/[0-9a-f-]{36}/);
    expect(answered.cost_micros).toBeGreaterThan(0);
  });
});
