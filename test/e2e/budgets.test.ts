/**
 * Budgets through the gateway (SQLite and PostgreSQL): set with the admin API, enforced on
 * /v1/messages against the mock Anthropic API whose scripted usage makes each request cost a
 * known amount (claude-sonnet-4-5 output: $15/MTok, so 15 micro-dollars a token), and shown to
 * Claude Code by GET /api/oauth/usage.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { periodWindow } from '../../src/limits/budget-period.js';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

const MODEL = 'claude-sonnet-4-5-20250929';

/** GET /api/oauth/usage, as docs/budgets.md describes it. */
interface UsageAnswer {
  extra_usage: { is_enabled: boolean; monthly_limit: number | null; used_credits: number; utilization: number | null; currency: string };
  limits: Array<{ kind: string; group: string; percent: number; resets_at: string; severity: string; is_active: boolean }>;
  spend?: Record<'day' | 'week' | 'month', { usd: number; since: string }>;
}

interface Caller {
  key: string;
  userId: string;
  teamId: string | null;
}

describe.each(['sqlite', 'postgres'] as const)('budgets through CCAG (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({
      database,
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_BUDGET_CONTACT: 'finops@example.com' },
    });
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  async function caller(teamId: string | null = null): Promise<Caller> {
    const email = `dev-${randomUUID().slice(0, 8)}@example.com`;
    if (teamId) expect((await gw!.admin('POST', '/users', { email, team_id: teamId })).status).toBe(201);
    const created = (await gw!.admin<{ key: string; user_id: string }>('POST', '/keys', { user_email: email })).body;
    return { key: created.key, userId: created.user_id, teamId };
  }

  async function team(): Promise<string> {
    return (await gw!.admin<{ id: string }>('POST', '/teams', { name: `team-${randomUUID().slice(0, 8)}` })).body.id;
  }

  async function setBudget(body: Record<string, unknown>) {
    const response = await gw!.admin<{ id: string }>('POST', '/budgets', { period: 'monthly', ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  }

  /** One request whose answer costs `outputTokens` × $15/MTok; waits until it is settled. */
  async function ask(who: Caller, outputTokens: number) {
    const before = (await gw!.store.db.selectFrom('spend_ledger').select('request_id').execute()).length;
    const response = await fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': who.key, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: `hi [[usage in=0 out=${outputTokens}]]` }] }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status === 200) await gw!.ledgerRows(before + 1);
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  }

  async function usage(who: Caller) {
    const response = await fetch(`${gw!.url}/api/oauth/usage`, { headers: { authorization: `Bearer ${who.key}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as UsageAnswer;
  }

  const monthEnd = () => {
    const now = new Date();
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  };

  test('75% and 95% notices on success, then a block with the exact headers and message, and events once', async (ctx) => {
    if (!gw) return ctx.skip();
    const who = await caller();
    await setBudget({ subject_type: 'user', subject_id: who.userId, amount_usd: 1 });
    const reset = String(monthEnd() / 1000);

    const first = await ask(who, 50_667); // $0.760005
    expect(first.status).toBe(200);
    expect(first.headers['anthropic-ratelimit-unified-status']).toBe('allowed');
    expect(first.headers['anthropic-ratelimit-unified-overage-surpassed-threshold']).toBeUndefined();

    const second = await ask(who, 13_334); // $0.20001, 96.0% after
    expect(second.headers['anthropic-ratelimit-unified-status']).toBe('allowed_warning');
    expect(second.headers['anthropic-ratelimit-unified-representative-claim']).toBe('overage');
    expect(second.headers['anthropic-ratelimit-unified-overage-status']).toBe('allowed_warning');
    expect(second.headers['anthropic-ratelimit-unified-overage-utilization']).toBe('0.76');
    expect(second.headers['anthropic-ratelimit-unified-overage-surpassed-threshold']).toBe('0.75');
    expect(second.headers['anthropic-ratelimit-unified-reset']).toBe(reset);
    expect(second.headers['x-ccag-budget-percent']).toBe('76.0');

    const third = await ask(who, 2_700); // $0.0405, 100.05% after
    expect(third.status).toBe(200);
    expect(third.headers['anthropic-ratelimit-unified-overage-utilization']).toBe('0.96');
    expect(third.headers['anthropic-ratelimit-unified-overage-surpassed-threshold']).toBe('0.95');
    expect(third.headers['x-ccag-budget-status']).toBe('warning');
    expect(third.headers['x-ccag-budget-remaining-usd']).toBe('0.04');

    const upstreamCalls = mock.requests.length;
    const blocked = await ask(who, 1);
    expect(mock.requests.length).toBe(upstreamCalls);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      type: 'error',
      error: {
        type: 'billing_error',
        message: `Request refused: your monthly budget of $1.00 is spent until it resets at ${new Date(monthEnd()).toISOString()}; to raise it, ask finops@example.com.`,
      },
    });
    expect(blocked.headers['x-should-retry']).toBe('false');
    const secondsToReset = (monthEnd() - Date.now()) / 1000;
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(Math.floor(secondsToReset));
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(Math.ceil(secondsToReset) + 2);
    expect(blocked.headers['anthropic-ratelimit-unified-status']).toBe('rejected');
    expect(blocked.headers['anthropic-ratelimit-unified-overage-utilization']).toBe('1');
    expect(blocked.headers['anthropic-ratelimit-unified-overage-surpassed-threshold']).toBe('1');
    expect(blocked.headers['anthropic-ratelimit-unified-overage-period']).toBe('monthly');
    expect(blocked.headers['anthropic-ratelimit-unified-reset']).toBe(reset);
    expect(blocked.headers['anthropic-ratelimit-unified-overage-reset']).toBe(reset);
    expect(blocked.headers['anthropic-ratelimit-unified-representative-claim']).toBeUndefined();
    expect(blocked.headers['anthropic-ratelimit-unified-overage-status']).toBeUndefined();
    expect(blocked.headers['x-ccag-budget-status']).toBe('blocked');

    const events = await gw.store.db.selectFrom('budget_events').selectAll().where('subject_id', '=', who.userId).orderBy('threshold_percent').execute();
    expect(events.map((event) => [event.threshold_percent, event.event_type])).toEqual([
      [80, 'budget_warning'],
      [100, 'budget_blocked'],
    ]);

    const listed = (await gw.admin<{ data: Array<Record<string, unknown>> }>('GET', '/budgets')).body.data.find((row) => row.subject_id === who.userId);
    expect(listed).toMatchObject({ subject_type: 'user', amount_usd: 1, period: 'monthly', policy: 'standard', spent_usd: 1.000515, percent: 100.1 });
  });

  test('/api/oauth/usage: the cap in cents for Claude Code, or the spend when there is none', async (ctx) => {
    if (!gw) return ctx.skip();
    const capped = await caller();
    await setBudget({ subject_type: 'user', subject_id: capped.userId, amount_usd: 2 });
    await ask(capped, 40_000); // $0.60
    const view = await usage(capped);
    expect(view).toEqual({
      extra_usage: { is_enabled: true, monthly_limit: 200, used_credits: 60, utilization: 30, currency: 'USD' },
      limits: [{ kind: 'spend', group: 'monthly', percent: 30, resets_at: new Date(monthEnd()).toISOString(), severity: 'normal', is_active: true }],
    });

    const free = await caller();
    await ask(free, 10_000); // $0.15
    const open = await usage(free);
    expect(open.limits).toEqual([]);
    expect(open.extra_usage).toEqual({ is_enabled: false, monthly_limit: null, used_credits: 15, utilization: null, currency: 'USD' });
    expect(open.spend!.day.usd).toBe(0.15);
    expect(open.spend!.week.usd).toBe(0.15);
    const now = new Date();
    expect(open.spend!.month).toEqual({ usd: 0.15, since: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString() });
    expect(open.spend!.day.since).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString());

    const anonymous = await fetch(`${gw.url}/api/oauth/usage`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
  });

  test('precedence: own budget, else the team default, else the global default; team budgets add up members', async (ctx) => {
    if (!gw) return ctx.skip();
    const teamId = await team();
    const member = await caller(teamId);
    const teammate = await caller(teamId);
    const loner = await caller();
    const global = await setBudget({ subject_type: 'global_default', amount_usd: 30 });
    await setBudget({ subject_type: 'team_default', subject_id: teamId, amount_usd: 20 });
    await setBudget({ subject_type: 'user', subject_id: member.userId, amount_usd: 10 });
    const limitOf = async (who: Caller) => (await usage(who)).extra_usage.monthly_limit;
    expect(await limitOf(member)).toBe(1000);
    expect(await limitOf(teammate)).toBe(2000);
    expect(await limitOf(loner)).toBe(3000);

    // The team's own budget counts every member: the teammate's spend blocks the member.
    await setBudget({ subject_type: 'team', subject_id: teamId, amount_usd: 0.5 });
    expect((await ask(teammate, 40_000)).status).toBe(200); // $0.60
    const refused = await ask(member, 1);
    expect(refused.status).toBe(429);
    expect((refused.body.error as { message: string }).message).toMatch(/^Request refused: your team's monthly budget of \$0\.50/);
    expect((await gw.admin('DELETE', `/budgets/${global.id}`)).status).toBe(204);
  });

  test('past a shape threshold the caller is throttled to its RPM with a rate_limit_error', async (ctx) => {
    if (!gw) return ctx.skip();
    const who = await caller();
    const set = await gw.admin('POST', '/budgets', {
      subject_type: 'user',
      subject_id: who.userId,
      amount_usd: 1,
      period: 'daily',
      rules: [
        { action: 'shape', percent: 10, rpm: 1 },
        { action: 'block', percent: 100 },
      ],
    });
    expect(set.status).toBe(201);
    expect((await ask(who, 10_000)).status).toBe(200); // $0.15: past 10%
    const shaped = await ask(who, 1);
    expect(shaped.status).toBe(200);
    expect(shaped.headers['x-ccag-budget-status']).toBe('shaped');
    const throttled = await ask(who, 1);
    expect(throttled.status).toBe(429);
    expect((throttled.body.error as { type: string }).type).toBe('rate_limit_error');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.headers['x-should-retry']).toBeUndefined();
  });

  test("period rollover: the previous day's spend (in the budget's time zone) does not count", async (ctx) => {
    if (!gw) return ctx.skip();
    const who = await caller();
    const zone = 'Pacific/Kiritimati';
    const today = periodWindow('daily', zone, Date.now());
    const spent = async (micros: number, at: number) =>
      gw!.store.db
        .insertInto('spend_ledger')
        .values({
          request_id: randomUUID(), created_at: at, key_id: null, key_prefix: null, user_id: who.userId, team_id: null, endpoint_id: null,
          model: MODEL, upstream_model: null, streaming: 0, status: 200, stop_reason: 'end_turn', error_type: null, input_tokens: 0,
          output_tokens: 0, cache_read_tokens: 0, cache_write_5m_tokens: 0, cache_write_1h_tokens: 0, cost_micros: micros,
          pricing_status: 'priced', usage_estimated: 0, duration_ms: 1, ttft_ms: null, session_id: null, tool_names: null, web_searches: 0,
          upstream_request_id: null,
        })
        .execute();
    await spent(5_000_000, today.start - 1); // yesterday, there: a whole budget's worth
    await spent(500_000, today.start); // the first millisecond of today
    await setBudget({ subject_type: 'user', subject_id: who.userId, amount_usd: 1, period: 'daily', time_zone: zone });
    const answer = await ask(who, 1);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-ccag-budget-percent']).toBe('50.0');
    expect(answer.headers['x-ccag-budget-resets']).toBe(new Date(today.end).toISOString());
    expect(answer.headers['anthropic-ratelimit-unified-reset']).toBe(String(today.end / 1000));
  });

  test('the admin API validates subjects and policies, and removal lifts the budget at once', async (ctx) => {
    if (!gw) return ctx.skip();
    const who = await caller();
    expect((await gw.admin('POST', '/budgets', { subject_type: 'user', subject_id: randomUUID(), amount_usd: 1, period: 'daily' })).status).toBe(404);
    expect((await gw.admin('POST', '/budgets', { subject_type: 'user', amount_usd: 1, period: 'daily' })).status).toBe(400);
    expect((await gw.admin('POST', '/budgets', { subject_type: 'global_default', amount_usd: 1, period: 'daily', time_zone: 'Mars/Olympus' })).status).toBe(400);
    // Strict, so a request whose worst case does not fit is refused before anything is spent.
    const budget = await setBudget({ subject_type: 'user', subject_id: who.userId, amount_usd: 0.000001, strict: true });
    expect(budget).toMatchObject({ strict: true });
    const refused = await ask(who, 1);
    expect(refused.status).toBe(429);
    expect(JSON.stringify(refused.body)).toContain('does not fit the $0.00 that remains');
    const patched = await gw.admin<Record<string, unknown>>('PATCH', `/budgets/${budget.id}`, { amount_usd: 5, policy: 'soft' });
    // Settings left out of a change stay, the admission rule included.
    expect(patched.body).toMatchObject({ amount_usd: 5, policy: 'soft', period: 'monthly', strict: true });
    expect((await ask(who, 1)).status).toBe(200);
    expect((await gw.admin('DELETE', `/budgets/${budget.id}`)).status).toBe(204);
    const free = await ask(who, 1);
    expect(free.headers['x-ccag-budget-status']).toBeUndefined();
  });
});

describe.each(['sqlite', 'postgres'] as const)('ccag budgets (%s)', (database) => {
  let cli: LoggedInCli | undefined;

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
  });

  afterAll(async () => {
    await cli?.close();
  });

  test('set, list and remove budgets by email, team name and key prefix', async (ctx) => {
    if (!cli) return ctx.skip();
    const gw = cli.gateway;
    const team = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'frontend' })).body;
    const { prefix } = (await gw.admin<{ prefix: string }>('POST', '/keys', { user_email: 'dev@example.com', name: 'laptop' })).body;

    const user = await cli.json<Record<string, unknown>>(['budgets', 'set', 'user', 'dev@example.com', '--usd', '50', '--period', 'weekly', '--policy', 'soft']);
    expect(user).toMatchObject({ subject_type: 'user', amount_usd: 50, period: 'weekly', policy: 'soft', spent_usd: 0, percent: 0 });
    await cli.json(['budgets', 'set', 'team-default', 'frontend', '--usd', '20', '--rules', '[{"action":"notify","percent":50},{"action":"block","percent":120}]']);
    await cli.json(['budgets', 'set', 'global-default', '--usd', '10', '--time-zone', 'Europe/Berlin']);
    expect(await cli.json(['budgets', 'set', 'key', prefix, '--usd', '5', '--period', 'daily', '--strict'])).toMatchObject({ strict: true });

    const listed = await cli.json<Array<Record<string, unknown>>>(['budgets', 'list']);
    expect(listed.map((budget) => [budget.subject_type, budget.amount_usd, budget.policy])).toEqual(
      expect.arrayContaining([
        ['user', 50, 'soft'],
        ['team_default', 20, 'custom'],
        ['global_default', 10, 'standard'],
        ['key', 5, 'standard'],
      ]),
    );
    expect(listed.find((budget) => budget.subject_type === 'team_default')).toMatchObject({ subject_id: team.id, spent_usd: null });
    expect(listed.find((budget) => budget.subject_type === 'global_default')).toMatchObject({ subject_id: null, time_zone: 'Europe/Berlin' });

    const table = await cli.ccag(['budgets', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/user\s+dev@example\.com\s+50\.00\s+weekly\s+soft/);
    expect(table.stdout).toMatch(/team-default\s+Default for frontend\s+20\.00/);
    expect(table.stdout).toMatch(/global-default\s+Global default\s+10\.00\s+monthly\s+standard\s+default/);
    expect(table.stdout).toMatch(/key\s+\S+\s+5\.00\s+daily\s+standard\s+strict/);
    expect(await cli.json(['budgets', 'set', 'key', prefix, '--usd', '5', '--period', 'daily', '--no-strict'])).toMatchObject({ strict: false });

    const wrong = await cli.ccag(['budgets', 'set', 'user', 'dev@example.com', '--usd', '5', '--policy', 'soft', '--rules', '[]']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('error: give --policy or --rules, not both\n');

    expect(await cli.json(['budgets', 'remove', 'team-default', 'frontend'])).toMatchObject({ subject_type: 'team_default', subject_id: team.id, deleted: true });
    expect((await cli.ccag(['budgets', 'remove', 'team-default', 'frontend'])).stderr).toBe('error: team-default frontend has no budget; see "ccag budgets list"\n');
    expect((await cli.json<unknown[]>(['budgets', 'list'])).length).toBe(3);
  });
});
