/**
 * The pinned Claude Code CLI's own attribution headers through CCAG, on SQLite and PostgreSQL:
 * the session id it sends is the one on its ledger rows and in the session report, where its
 * requests are the main agent's (it sends agent ids only from subagents).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClaudeCode } from '../support/claude-code.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

describe.each(['sqlite', 'postgres'] as const)('Claude Code attribution through CCAG (%s)', (database) => {
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

  test('its x-claude-code-session-id is the ledger rows’ session, reported as one main agent', async (ctx) => {
    if (!gw) return ctx.skip();
    const startedAt = Date.now();
    const result = await runClaudeCode('Say hello [[text Hello.]] [[usage in=50 out=5]]', { ANTHROPIC_BASE_URL: gw.url, ANTHROPIC_API_KEY: key });
    expect(result.json, result.stderr + result.stdout).toMatchObject({ is_error: false });
    const posts = mock.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/messages'));
    const sessions = new Set(posts.map((p) => p.headers['x-claude-code-session-id']));
    expect(sessions.size).toBe(1);
    const session = [...sessions][0] as string;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts.every((p) => p.headers['x-claude-code-agent-id'] === undefined)).toBe(true);

    const rows = await gw.ledgerRows(posts.length);
    expect(rows.map((r) => [r.session_id, r.agent_id, r.parent_agent_id])).toEqual(posts.map(() => [session, null, null]));
    const range = `from=${new Date(startedAt - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const detail = await gw.admin<{ requests: number; agents: Array<{ main: boolean; requests: number }> }>('GET', `/analytics/sessions/${session}?${range}`);
    expect(detail.body).toMatchObject({ requests: posts.length, agents: [{ main: true, requests: posts.length }] });
  });
});
