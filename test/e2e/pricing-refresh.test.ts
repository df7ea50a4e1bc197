/**
 * POST and GET /admin/pricing/refresh on a real gateway (SQLite and PostgreSQL) whose Price List
 * endpoint (CCAG_AWS_PRICING_ENDPOINT) is the mock, with static AWS credentials in the environment.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { PricingRefreshResponse, PricingRefreshStatusResponse, PriceResponse } from '../../src/admin/pricing.routes.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAwsPricing, type MockAwsPricing } from '../support/mock-aws-pricing.js';

let mock: MockAwsPricing;

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-do-not-leak');
  mock = await startMockAwsPricing();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await mock.close();
});

describe.each(['sqlite', 'postgres'] as const)('pricing refresh admin API (%s)', (database) => {
  let gateway: TestGateway | undefined;

  beforeAll(async () => {
    gateway = await startGateway({ database, env: { CCAG_AWS_PRICING_ENDPOINT: mock.url, AWS_REGION: 'us-east-1' } });
  });
  afterAll(async () => {
    mock.failWith(undefined);
    await gateway?.close();
  });

  test('refreshes on demand, keeps manual rows, and reports the last run', async ({ skip }) => {
    if (!gateway) return skip();
    const before = await gateway.admin<PricingRefreshStatusResponse | null>('GET', '/pricing/refresh');
    expect(before).toEqual({ status: 200, body: null });
    expect((await gateway.admin('PUT', '/pricing/us.anthropic.claude-sonnet-4-5', { input: 2.5, output: 12 })).status).toBe(200);

    const refreshed = await gateway.admin<PricingRefreshResponse>('POST', '/pricing/refresh');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ updated: 20, added: 6, skipped_manual: 1, models: 4, region: 'us-east-1' });
    expect(refreshed.body.fetched_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const aws = await gateway.admin<{ data: PriceResponse[]; total: number }>('GET', '/pricing?source=aws&limit=100');
    expect(aws.body.total).toBe(26);
    expect(aws.body.data.find((row) => row.model_prefix === 'global.anthropic.claude-opus-5')).toMatchObject({
      input: 5, output: 25, cache_read: 0.5, cache_write_5m: 6.25, cache_write_1h: 10, source: 'aws', updated_at: refreshed.body.fetched_at,
    });
    const manual = await gateway.admin<{ data: PriceResponse[] }>('GET', '/pricing?source=manual');
    expect(manual.body.data).toEqual([expect.objectContaining({ model_prefix: 'us.anthropic.claude-sonnet-4-5', input: 2.5, output: 12 })]);

    const last = await gateway.admin<PricingRefreshStatusResponse>('GET', '/pricing/refresh');
    expect(last.body).toEqual({ at: refreshed.body.fetched_at, ok: true, error: null, updated: 20, added: 6, skipped_manual: 1, models: 4 });
  });

  test('an AWS refusal is a 502 that says what to fix and carries no credential', async ({ skip }) => {
    if (!gateway) return skip();
    mock.failWith({ status: 400, type: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/ccag is not authorized to perform: pricing:GetProducts' });
    const response = await fetch(`${gateway.url}/admin/pricing/refresh`, { method: 'POST', headers: { authorization: `Bearer ${await gateway.adminToken()}` } });
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(JSON.parse(text)).toEqual({ error: { code: 'upstream_unreachable', message: "AWS denied pricing:GetProducts. Allow that action in the IAM policy of the gateway's credentials." } });
    expect(text).not.toMatch(/AKIDTEST|secret-do-not-leak/);
    const last = await gateway.admin<PricingRefreshStatusResponse>('GET', '/pricing/refresh');
    expect(last.body).toMatchObject({ ok: false, error: expect.stringMatching(/pricing:GetProducts/), updated: 0 });
  });
});
