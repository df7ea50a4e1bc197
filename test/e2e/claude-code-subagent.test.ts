/**
 * Real Claude Code subagents through CCAG, on SQLite and PostgreSQL: the pinned CLI's main agent
 * calls its Agent tool, that subagent starts one of its own, and CCAG records every request under
 * the one session: the main agent's without an agent id, each subagent's with its
 * `x-claude-code-agent-id`, the nested one with its parent's `x-claude-code-parent-agent-id`
 * (Claude Code sends a parent only for subagents started by a subagent). The session report
 * splits the spend per agent and counts the subagents' share.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClaudeCode } from '../support/claude-code.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { DEFAULT_PROFILES, startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import type { ScriptedTurn } from '../support/scripted-turn.js';

/** Claude Code 2.1.197's default model and the us. profile a us-east-1 endpoint invokes for it. */
const PROFILES = [...DEFAULT_PROFILES, 'us.anthropic.claude-opus-4-8', 'global.anthropic.claude-opus-4-8'];
const MAIN_PROMPT = 'Delegate the count to a subagent. [[subagent-e2e-main]]';
const SUB_PROMPT = 'Have a helper count. [[subagent-e2e-sub]]';
const NESTED_PROMPT = 'Count to three. [[subagent-e2e-nested]]';

type Json = Record<string, any>;

/** Each agent's conversation starts with its own prompt; the subagent tool's result ends its delegation. */
const firstUserText = (body: Json): string => JSON.stringify((body.messages as Json[])[0]?.content ?? '');
const delegated = (body: Json): boolean => JSON.stringify(body.messages).includes('"tool_result"');
const callAgent = (prompt: string): ScriptedTurn => ({ content: [{ type: 'tool_use', name: 'Agent', input: { description: 'Count to three', prompt, subagent_type: 'general-purpose' } }] });

/** The model: main agent → subagent → nested subagent, each answering once its helper has. */
function model(body: Json): ScriptedTurn | undefined {
  const first = firstUserText(body);
  if (first.includes('[[subagent-e2e-nested]]')) return { content: [{ type: 'text', text: 'One, two, three.' }], usage: { input_tokens: 300, output_tokens: 40 } };
  if (first.includes('[[subagent-e2e-sub]]')) return delegated(body) ? { content: [{ type: 'text', text: 'My helper counted.' }] } : callAgent(NESTED_PROMPT);
  if (first.includes('[[subagent-e2e-main]]')) return delegated(body) ? { content: [{ type: 'text', text: 'The subagent counted to three.' }] } : callAgent(SUB_PROMPT);
  return undefined;
}

interface AgentSpend {
  agent_id: string | null;
  parent_agent_id: string | null;
  main: boolean;
  requests: number;
  cost_usd: number;
}

describe.each(['sqlite', 'postgres'] as const)('Claude Code subagents through CCAG (%s)', (database) => {
  let bedrock: MockBedrock;
  let gw: TestGateway | undefined;
  let key: string;

  beforeAll(async () => {
    bedrock = await startMockBedrock({ profiles: PROFILES, script: model });
    gw = await startGateway({ database });
    if (!gw) return;
    await gw.addEndpoint({ kind: 'bedrock', name: 'bedrock-us', region: 'us-east-1', auth: 'static', access_key_id: 'AKIDTEST', secret_access_key: 'secret', endpoint_url: bedrock.url, is_default: true });
    key = (await gw.createKey('claude-user@example.com')).key;
  });
  afterAll(async () => {
    await gw?.close();
    await bedrock?.close();
  });

  test('the ledger rows carry the session, each subagent\'s id and the nested one\'s parent; the session report splits the spend', { timeout: 120_000 }, async ({ skip }) => {
    if (!gw) return skip();
    const startedAt = Date.now();
    // ENABLE_TOOL_SEARCH=false: the Agent tool is in the request's tools, so the mock can call it directly.
    const result = await runClaudeCode(MAIN_PROMPT, { ANTHROPIC_BASE_URL: gw.url, ANTHROPIC_API_KEY: key, ENABLE_TOOL_SEARCH: 'false' }, ['--allowedTools', 'Agent']);
    expect(result.json, result.stderr + result.stdout).toMatchObject({ type: 'result', is_error: false, result: 'The subagent counted to three.' });
    const session = String(result.json!.session_id);

    const invocations = bedrock.requests.filter((request) => request.operation === 'invoke' || request.operation === 'invoke-stream');
    const rows = (await gw.ledgerRows(invocations.length)).filter((row) => row.session_id !== null);
    expect(new Set(rows.map((row) => row.session_id))).toEqual(new Set([session]));
    const subagents = new Set(rows.filter((row) => row.agent_id !== null && row.parent_agent_id === null).map((row) => row.agent_id));
    expect(subagents.size).toBe(1);
    const [subagent] = [...subagents] as [string];
    const nested = new Set(rows.filter((row) => row.parent_agent_id !== null).map((row) => [row.agent_id, row.parent_agent_id].join(' < ')));
    expect(nested.size).toBe(1);
    const [nestedAgent] = [...nested][0]!.split(' < ') as [string, string];
    expect([...nested]).toEqual([`${nestedAgent} < ${subagent}`]);
    expect(rows.filter((row) => row.agent_id === null).length).toBeGreaterThanOrEqual(2);

    const range = `from=${new Date(startedAt - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const detail = await gw.admin<{ requests: number; agents: AgentSpend[] }>('GET', `/analytics/sessions/${session}?${range}`);
    expect(detail.status).toBe(200);
    expect(detail.body.requests).toBe(rows.length);
    expect(detail.body.agents.map((agent) => [agent.agent_id, agent.parent_agent_id, agent.main])).toEqual([
      [null, null, true],
      [subagent, null, false],
      [nestedAgent, subagent, false],
    ]);
    const subagentCost = detail.body.agents.filter((agent) => !agent.main).reduce((sum, agent) => sum + agent.cost_usd, 0);
    expect(subagentCost).toBeGreaterThan(0);
    const listed = await gw.admin<{ data: { session_id: string; agents: number; subagent_cost_usd: number }[] }>('GET', `/analytics/sessions?${range}`);
    const summary = listed.body.data.find((entry) => entry.session_id === session);
    expect(summary).toMatchObject({ agents: 3 });
    expect(summary!.subagent_cost_usd).toBeCloseTo(subagentCost, 6);
  });
});
