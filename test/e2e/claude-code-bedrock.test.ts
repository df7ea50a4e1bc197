/**
 * The pinned Claude Code CLI through CCAG to the mock Bedrock runtime, on SQLite and PostgreSQL.
 * The gateway gets its Bedrock endpoint the first-run way (AWS_REGION + BEDROCK_ENDPOINT_URL,
 * credentials from the default chain); Claude Code only knows the gateway URL and a CCAG key.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runClaudeCode } from '../support/claude-code.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { DEFAULT_PROFILES, startMockBedrock, type MockBedrock, type RecordedRequest } from '../support/mock-bedrock.js';

/**
 * Claude Code 2.1.197's model choices and the us. profiles a us-east-1 account offers for them:
 * the default (and `opus`) is claude-opus-4-8, `sonnet` is claude-sonnet-5, `haiku` is
 * claude-haiku-4-5-20251001.
 */
const DEFAULT_MODEL = 'claude-opus-4-8';
const PROFILES = [...DEFAULT_PROFILES, 'us.anthropic.claude-opus-4-8', 'global.anthropic.claude-opus-4-8', 'us.anthropic.claude-sonnet-5', 'global.anthropic.claude-sonnet-5'];

/** Published regional (us.) $/MTok: input, output, cache read, 5-minute write, 1-hour write. */
const REGIONAL_PRICES: Record<string, readonly [number, number, number, number, number | null]> = {
  'us.anthropic.claude-opus-4-8': [5.5, 27.5, 0.55, 6.875, 11],
  'us.anthropic.claude-sonnet-5': [2.2, 11, 0.22, 2.75, 4.4],
  'us.anthropic.claude-haiku-4-5-20251001-v1:0': [1.1, 5.5, 0.11, 1.375, null],
};

interface LedgerTokens {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
}

/** Σ tokens × $/MTok in integer micro-dollars, half up. */
function expectedCost(upstreamModel: string, row: LedgerTokens): number {
  const prices = REGIONAL_PRICES[upstreamModel];
  if (!prices) throw new Error(`no expected price for ${upstreamModel}`);
  const counts = [row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_5m_tokens, row.cache_write_1h_tokens];
  const sum = counts.reduce((total, count, i) => total + count * Math.round((prices[i] ?? 0) * 1_000_000), 0);
  return Math.round(sum / 1_000_000);
}

const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' };

describe.each(['sqlite', 'postgres'] as const)('Claude Code CLI through CCAG to Bedrock (%s)', (database) => {
  let mock: MockBedrock;
  let gw: TestGateway | undefined;
  let key: string;
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // The bootstrap endpoint uses the default credential chain, which reads this process's
    // environment (the gateway runs in-process); the harness's `env` only reaches settings.
    for (const [name, value] of Object.entries({ ...AWS_ENV, AWS_EC2_METADATA_DISABLED: 'true' })) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN']) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
    mock = await startMockBedrock({ profiles: PROFILES });
    gw = await startGateway({ database, env: { AWS_REGION: 'us-east-1', BEDROCK_ENDPOINT_URL: mock.url, ...AWS_ENV } });
    if (!gw) return;
    expect(gw.app.bootstrap.endpoint).toMatchObject({ kind: 'bedrock', is_default: true });
    key = (await gw.createKey('claude-user@example.com')).key;
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const invocations = (from: number) => mock.requests.slice(from).filter((r) => r.operation === 'invoke' || r.operation === 'invoke-stream');
  const ledgerRows = () => gw!.store.db.selectFrom('spend_ledger').selectAll().execute();
  /** Waits for the rows of these upstream calls, matched by Bedrock's request id. */
  const rowsFor = async (calls: RecordedRequest[]) => {
    const ids = new Set(calls.map((c) => c.replyRequestId));
    for (let i = 0; i < 400; i++) {
      const rows = (await ledgerRows()).filter((r) => ids.has(r.upstream_request_id ?? ''));
      if (rows.length >= calls.length) return rows;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return (await ledgerRows()).filter((r) => ids.has(r.upstream_request_id ?? ''));
  };

  const expectTranslated = (call: RecordedRequest) => {
    expect(call.method).toBe('POST');
    expect(call.modelId).toMatch(/^us\.anthropic\.claude-/);
    expect(call.path).toBe(`/model/${encodeURIComponent(call.modelId!)}/${call.operation === 'invoke' ? 'invoke' : 'invoke-with-response-stream'}`);
    const body = call.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('model');
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('tags');
    expect(body.anthropic_version).toBe('bedrock-2023-05-31');
    expect(typeof body.max_tokens).toBe('number');
    expect(Array.isArray(body.messages)).toBe(true);
    if ('anthropic_beta' in body) {
      expect(Array.isArray(body.anthropic_beta)).toBe(true);
      expect(body.anthropic_beta).not.toContain('request-tags-2026-08-21');
    }
    expect(call.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, /);
    expect(call.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(call)).not.toContain(key);
  };

  test('claude -p answers through the gateway from Bedrock, and every request is translated and billed', { timeout: 120_000 }, async (ctx) => {
    if (!gw) return ctx.skip();
    const from = mock.requests.length;
    const rowsBefore = (await ledgerRows()).length;
    const result = await runClaudeCode('Say hello [[text Hello from CCAG on Bedrock.]] [[usage in=321 out=45 cr=1000 cw5=200 cw1h=100]]', {
      ANTHROPIC_BASE_URL: gw.url,
      ANTHROPIC_API_KEY: key,
    });
    expect(result.json, result.stderr + result.stdout).toBeDefined();
    expect(result.json).toMatchObject({ type: 'result', is_error: false, result: 'Hello from CCAG on Bedrock.' });

    const seen = mock.requests.slice(from);
    expect(seen.filter((r) => r.operation === 'unknown')).toEqual([]);
    const calls = invocations(from);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expectTranslated(call);
    const main = calls.find((c) => JSON.stringify(c.body).includes('Hello from CCAG on Bedrock'))!;
    expect(main).toBeDefined();
    // Claude Code's default model, in the us. profile a us-east-1 endpoint invokes.
    expect(main.modelId).toBe(`us.anthropic.${DEFAULT_MODEL}`);
    expect(main.operation).toBe('invoke-stream');
    // Claude Code's betas arrive in the body, where Bedrock reads them.
    expect((main.body as { anthropic_beta?: string[] }).anthropic_beta).toContain('claude-code-20250219');

    const rows = await rowsFor(calls);
    expect(rows).toHaveLength(calls.length);
    expect((await ledgerRows()).length - rowsBefore).toBe(calls.length);
    for (const row of rows) {
      const call = calls.find((c) => c.replyRequestId === row.upstream_request_id)!;
      expect(row.upstream_model).toBe(call.modelId);
      expect(row).toMatchObject({ status: 200, pricing_status: 'priced', error_type: null, usage_estimated: 0, key_prefix: key.slice(0, 14) });
      expect(row.cost_micros).toBeGreaterThan(0);
      expect(row.cost_micros).toBe(expectedCost(row.upstream_model!, row));
    }
    const answered = rows.find((r) => r.upstream_request_id === main.replyRequestId)!;
    expect(answered).toMatchObject({
      model: DEFAULT_MODEL,
      streaming: 1,
      stop_reason: 'end_turn',
      input_tokens: 321,
      output_tokens: 45,
      cache_read_tokens: 1000,
      cache_write_5m_tokens: 200,
      cache_write_1h_tokens: 100,
    });
    // 1765.5 + 1237.5 + 550 + 1375 + 1100 µ$ at Opus 4.8's us. price.
    expect(answered.cost_micros).toBe(6028);
    expect(answered.session_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test("Claude Code's sonnet and haiku aliases are served from the model table", { timeout: 180_000 }, async (ctx) => {
    if (!gw) return ctx.skip();
    for (const [alias, clientModel, invoked] of [
      ['sonnet', 'claude-sonnet-5', 'us.anthropic.claude-sonnet-5'],
      ['haiku', 'claude-haiku-4-5-20251001', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
    ] as const) {
      const from = mock.requests.length;
      const result = await runClaudeCode(`Reply [[text Served by ${alias}.]] [[usage in=400 out=20]]`, { ANTHROPIC_BASE_URL: gw.url, ANTHROPIC_API_KEY: key }, ['--model', alias]);
      expect(result.json, result.stderr + result.stdout).toMatchObject({ type: 'result', is_error: false, result: `Served by ${alias}.` });
      const calls = invocations(from);
      for (const call of calls) expectTranslated(call);
      const main = calls.find((c) => JSON.stringify(c.body).includes(`Served by ${alias}`))!;
      expect(main.modelId).toBe(invoked);
      const rows = await rowsFor(calls);
      expect(rows).toHaveLength(calls.length);
      const row = rows.find((r) => r.upstream_request_id === main.replyRequestId)!;
      expect(row).toMatchObject({ model: clientModel, upstream_model: invoked, status: 200, input_tokens: 400, output_tokens: 20, pricing_status: 'priced' });
      expect(row.cost_micros).toBe(expectedCost(invoked, row));
      expect(row.cost_micros).toBeGreaterThan(0);
    }
  });
});
