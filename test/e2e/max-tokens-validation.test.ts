/**
 * Regression (issue 13): a budgeted key sending `"max_tokens": 1e309` got a 500 (a RangeError
 * converting Infinity to BigInt while pricing the budget's worst case) instead of a 400. Every
 * inbound format refuses a max_tokens that is not a positive integer before anything is priced.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

const MODEL = 'claude-haiku-4-5-20251001';
const BEDROCK_MODEL = 'anthropic.claude-haiku-4-5-20251001-v1:0';

describe('max_tokens that cannot be priced (issue 13)', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    const created = await gw!.createKey('budgeted@example.com');
    key = created.key;
    const user = (await gw!.admin<{ data: { id: string; email: string }[] }>('GET', '/users')).body.data.find((row) => row.email === 'budgeted@example.com')!;
    const budget = await gw!.admin('POST', '/budgets', { period: 'monthly', subject_type: 'user', subject_id: user.id, amount_usd: 5 });
    expect(budget.status).toBe(201);
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const post = (path: string, body: string) =>
    fetch(`${gw!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' }, body });
  const messages = '[{"role":"user","content":"hi"}]';

  test('a budgeted key sending max_tokens 1e309 gets 400 invalid_request_error, not 500', async (ctx) => {
    if (!gw) return ctx.skip();
    const upstreamBefore = mock.requests.length;
    const response = await post('/v1/messages', `{"model":"${MODEL}","max_tokens":1e309,"messages":${messages}}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') } });
    expect(mock.requests.length).toBe(upstreamBefore);
  });

  test.each([['1.5'], ['0'], ['-3'], ['"100"'], ['null'], ['1e20']])('max_tokens %s is refused with 400 on /v1/messages', async (value) => {
    if (!gw) return;
    const response = await post('/v1/messages', `{"model":"${MODEL}","max_tokens":${value},"messages":${messages}}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  test('count_tokens refuses it the same way', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await post('/v1/messages/count_tokens', `{"model":"${MODEL}","max_tokens":1e309,"messages":${messages}}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  test.each([['invoke'], ['invoke-with-response-stream']])('Bedrock %s refuses it as a ValidationException', async (operation) => {
    if (!gw) return;
    const response = await post(`/model/${BEDROCK_MODEL}/${operation}`, `{"anthropic_version":"bedrock-2023-05-31","max_tokens":1e309,"messages":${messages}}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await response.json()) as { message: string }).message).toContain('max_tokens');
  });

  test('Bedrock count-tokens refuses it inside the base64 InvokeModel body', async (ctx) => {
    if (!gw) return ctx.skip();
    const inner = Buffer.from(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":1e309,"messages":${messages}}`).toString('base64');
    const response = await post(`/model/${BEDROCK_MODEL}/count-tokens`, JSON.stringify({ input: { invokeModel: { body: inner } } }));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });

  test('a valid max_tokens still passes through to the upstream', async (ctx) => {
    if (!gw) return ctx.skip();
    const response = await post('/v1/messages', `{"model":"${MODEL}","max_tokens":16,"messages":${messages}}`);
    expect(response.status).toBe(200);
  });
});
