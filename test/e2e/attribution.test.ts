/**
 * Attribution end to end, on SQLite and PostgreSQL: Claude Code's session and agent headers and
 * the request `tags` billing group reach the ledger row; the Anthropic upstream gets the body byte
 * for byte (tags included), Bedrock gets it without tags or their beta; the reports by billing
 * group and by session add up to the ledger and put a subagent under its parent.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newSessionToken } from '../../src/identity/tokens.js';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { sleep } from '../support/mock-script.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const TAGS_BETA = 'request-tags-2026-08-21';
type Json = Record<string, any>;

describe.each(['sqlite', 'postgres'] as const)('attribution (%s)', (database) => {
  let anthropic: MockAnthropic;
  let bedrock: MockBedrock;
  let gw: TestGateway | undefined;
  let devKey: string;
  let bedrockKey: string;
  let memberKey: string;
  let memberToken: string;
  const startedAt = Date.now();
  const session = `sess-${randomUUID()}`;
  const subagent = `agent-${randomUUID()}`;

  beforeAll(async () => {
    anthropic = await startMockAnthropic();
    bedrock = await startMockBedrock();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_UPSTREAM_URL: anthropic.url } });
    if (!gw) return;
    devKey = (await gw.createKey('dev@example.com')).key;
    const endpoint = await gw.addEndpoint({ kind: 'bedrock', name: 'bedrock-us', region: 'us-east-1', auth: 'static', access_key_id: 'AKIDTEST', secret_access_key: 'secret', endpoint_url: bedrock.url });
    const team = await gw.admin<{ id: string }>('POST', '/teams', { name: 'on-bedrock' });
    expect((await gw.admin('PUT', `/teams/${team.body.id}/routing`, { strategy: 'priority', endpoint_ids: [endpoint.id] })).status).toBe(200);
    bedrockKey = (await gw.createKey('aws@example.com', { team_id: team.body.id })).key;
    const member = await gw.admin<{ id: string }>('POST', '/users', { email: 'member@example.com' });
    memberKey = (await gw.createKey('member@example.com')).key;
    const token = newSessionToken();
    await gw.store.db.insertInto('sessions').values({ id: randomUUID(), token_hash: token.hash, user_id: member.body.id, created_at: Date.now(), expires_at: Date.now() + 3_600_000, revoked_at: null }).execute();
    memberToken = token.token;
  });
  afterAll(async () => {
    await gw?.close();
    await anthropic?.close();
    await bedrock?.close();
  });

  async function send(key: string, raw: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
      body: raw,
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    return rowFor(response.headers.get('x-ccag-request-id')!);
  }
  async function rowFor(requestId: string): Promise<SpendLedgerTable> {
    for (let i = 0; i < 200; i++) {
      const row = await gw!.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', requestId).executeTakeFirst();
      if (row) return row;
      await sleep(25);
    }
    throw new Error(`no ledger row for ${requestId}`);
  }
  const body = (usage: string, extra = '') => `{"model":"${MODEL}","max_tokens":32,"messages":[{"role":"user","content":"hi [[usage ${usage}]]"}]${extra}}`;
  const range = () => `from=${new Date(startedAt - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
  const asMember = async (path: string) => {
    const response = await fetch(`${gw!.url}/admin${path}`, { headers: { authorization: `Bearer ${memberToken}` } });
    return { status: response.status, body: (await response.json()) as Json };
  };

  test('the main agent: session header and tags billing group on the row; Anthropic gets the bytes as sent, tags and beta included', async ({ skip }) => {
    if (!gw) return skip();
    const raw = body('in=100 out=10', `, "tags" : {"billing_group":"team-a/proj:1"}`);
    const row = await send(devKey, raw, { 'x-claude-code-session-id': session, 'anthropic-beta': TAGS_BETA });
    expect(row).toMatchObject({ session_id: session, agent_id: null, parent_agent_id: null, billing_group: 'team-a/proj:1', input_tokens: 100 });
    const upstream = anthropic.requests.at(-1)!;
    expect(upstream.rawBody.equals(Buffer.from(raw))).toBe(true);
    expect(upstream.headers['anthropic-beta']).toBe(TAGS_BETA);
  });

  test('a subagent: its agent id and its parent are on the row', async ({ skip }) => {
    if (!gw) return skip();
    const row = await send(devKey, body('in=40 out=4', ',"tags":{"billing_group":"team-a/proj:1"}'), {
      'x-claude-code-session-id': session,
      'x-claude-code-agent-id': subagent,
      'x-claude-code-parent-agent-id': 'main',
    });
    expect(row).toMatchObject({ session_id: session, agent_id: subagent, parent_agent_id: 'main', billing_group: 'team-a/proj:1' });
  });

  test('header values outside the bounds (too long, odd characters) are not recorded', async ({ skip }) => {
    if (!gw) return skip();
    const row = await send(devKey, body('in=1 out=1', ',"tags":{"billing_group":"has space"}'), {
      'x-claude-code-session-id': 'x'.repeat(129),
      'x-claude-code-agent-id': 'a<script>',
      'x-claude-code-parent-agent-id': 'ok-parent',
    });
    expect(row).toMatchObject({ session_id: null, agent_id: null, parent_agent_id: 'ok-parent', billing_group: null });
  });

  test('Bedrock: tags and the request-tags beta are stripped before it, the billing group still recorded', async ({ skip }) => {
    if (!gw) return skip();
    const row = await send(bedrockKey, body('in=20 out=2', ',"tags":{"billing_group":"aws-group"}'), { 'anthropic-beta': `${TAGS_BETA},other-beta`, 'x-claude-code-session-id': `${session}-aws` });
    expect(row).toMatchObject({ billing_group: 'aws-group', session_id: `${session}-aws` });
    const sent = bedrock.requests.filter((r) => r.operation === 'invoke').at(-1)!.body as Json;
    expect(sent.tags).toBeUndefined();
    expect(sent.anthropic_beta).toEqual(['other-beta']);
  });

  test('billing groups: the groups (untagged included) add up to the ledger over the range', async ({ skip }) => {
    if (!gw) return skip();
    const report = await gw.admin<Json>('GET', `/analytics/billing-groups?${range()}`);
    expect(report.status).toBe(200);
    const ledger = await gw.store.db.selectFrom('spend_ledger').select(['billing_group', 'cost_micros', 'input_tokens', 'output_tokens']).execute();
    const byGroup = (group: string | null) => ledger.filter((r) => (r.billing_group ?? null) === group);
    for (const row of report.body.data as Json[]) {
      const rows = byGroup(row.billing_group);
      expect(row.requests).toBe(rows.length);
      expect(row.cost_usd).toBeCloseTo(rows.reduce((s, r) => s + Number(r.cost_micros), 0) / 1e6, 9);
    }
    expect((report.body.data as Json[]).reduce((s, r) => s + r.requests, 0)).toBe(ledger.length);
    expect(report.body.data[0]).toMatchObject({ billing_group: 'team-a/proj:1', requests: 2, input_tokens: 140, output_tokens: 14, sessions: 1, users: 1 });
    const paged = await gw.admin<Json>('GET', `/analytics/billing-groups?${range()}&sort=billing_group&order=asc&limit=1&offset=1`);
    expect(paged.body).toMatchObject({ total: report.body.total, limit: 1, offset: 1, data: [{ billing_group: 'team-a/proj:1' }] });
  });

  test('sessions: a subagent shows under its session, linked to its parent; the session sums its agents', async ({ skip }) => {
    if (!gw) return skip();
    const list = await gw.admin<Json>('GET', `/analytics/sessions?${range()}&q=${session}&sort=session_id&order=asc`);
    expect(list.body.data.map((s: Json) => s.session_id)).toEqual([session, `${session}-aws`]);
    expect(list.body.data[0]).toMatchObject({ user_email: 'dev@example.com', requests: 2, agents: 2, input_tokens: 140 });
    const detail = await gw.admin<Json>('GET', `/analytics/sessions/${session}?${range()}`);
    expect(detail.status).toBe(200);
    expect(detail.body.agents).toMatchObject([
      { agent_id: null, main: true, parent_agent_id: null, requests: 1, input_tokens: 100 },
      { agent_id: subagent, main: false, parent_agent_id: 'main', requests: 1, input_tokens: 40 },
    ]);
    expect(detail.body.cost_usd).toBeCloseTo(detail.body.agents[0].cost_usd + detail.body.agents[1].cost_usd, 9);
    expect(list.body.data[0].subagent_cost_usd).toBeCloseTo(detail.body.agents[1].cost_usd, 9);
  });

  test('members see their own sessions only; another user’s session is 404 to them', async ({ skip }) => {
    if (!gw) return skip();
    const own = `sess-${randomUUID()}`;
    await send(memberKey, body('in=5 out=1'), { 'x-claude-code-session-id': own });
    const mine = await asMember(`/analytics/sessions?${range()}`);
    expect(mine.body.data.map((s: Json) => s.session_id)).toEqual([own]);
    expect((await asMember(`/analytics/sessions/${own}?${range()}`)).status).toBe(200);
    expect((await asMember(`/analytics/sessions/${session}?${range()}`)).status).toBe(404);
    expect((await asMember(`/analytics/billing-groups?${range()}`)).body.data).toMatchObject([{ billing_group: null, requests: 1 }]);
    expect((await asMember(`/analytics/sessions?user_id=someone-else`)).status).toBe(403);
  });
});
