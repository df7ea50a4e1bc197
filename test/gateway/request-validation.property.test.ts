/**
 * Arbitrary request bodies through the real data plane (`app.inject()`, a mock Anthropic API
 * upstream, a budgeted key so the worst-case reservation runs): never a 5xx, and every refusal in
 * the documented shape — the Anthropic error envelope on /v1/messages, AWS's `{message}` on the
 * Bedrock routes. Bodies are JSON text, so the `1e309` case of issue 13 (item 6) is not generated.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { runs } from '../support/property.js';

const MODEL = 'claude-haiku-4-5-20251001';

/** Bodies near the contract and far from it: bytes, any JSON, and Messages bodies with wrong fields. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  fc
    .record(
      {
        model: fc.oneof(fc.constantFrom(MODEL, 'claude-haiku-4-5', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-unknown-9', '', 'claude-haiku-4-5[1m]'), fc.jsonValue({ maxDepth: 1 })),
        max_tokens: fc.oneof(fc.integer({ min: 1, max: 64_000 }), fc.constantFrom(0, -1, 0.5, 1e15, 1e300, Number.MAX_SAFE_INTEGER), fc.jsonValue({ maxDepth: 1 })),
        messages: fc.oneof(fc.constant([{ role: 'user', content: 'hi' }]), fc.jsonValue({ maxDepth: 3 })),
        stream: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
        metadata: fc.jsonValue({ maxDepth: 2 }),
        tools: fc.jsonValue({ maxDepth: 3 }),
        anthropic_beta: fc.oneof(fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
      },
      { requiredKeys: [] },
    )
    .map((value) => Buffer.from(JSON.stringify(value))),
);

function expectDocumentedError(status: number, text: string, shape: 'anthropic' | 'bedrock'): void {
  expect(status, text).toBeLessThan(500);
  if (status < 400) return;
  const parsed = JSON.parse(text) as Record<string, unknown>;
  if (shape === 'bedrock') {
    expect(typeof parsed.message, text).toBe('string');
    return;
  }
  expect(parsed.type, text).toBe('error');
  const error = parsed.error as { type?: unknown; message?: unknown };
  expect(typeof error.type, text).toBe('string');
  expect(typeof error.message, text).toBe('string');
}

describe('request validation on the data plane, property-based', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    const created = await gw!.admin<{ key: string; user_id: string }>('POST', '/keys', { user_email: 'fuzz@example.com' });
    key = created.body.key;
    // A budget makes every request price its worst case before it is sent.
    expect((await gw!.admin('POST', '/budgets', { period: 'monthly', subject_type: 'user', subject_id: created.body.user_id, amount_usd: 1_000 })).status).toBe(201);
    // The key and the upstream work, so refusals below are the bodies' doing, not a 401 for all.
    const valid = await gw!.app.fastify.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      payload: { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(valid.statusCode, valid.body).toBe(200);
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  it('POST /v1/messages answers any body with 2xx or a 4xx Anthropic error, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const response = await gw!.app.fastify.inject({
          method: 'POST',
          url: '/v1/messages',
          headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
          payload,
        });
        expectDocumentedError(response.statusCode, response.body, 'anthropic');
      }),
      runs(120),
    );
  });

  it('the Bedrock routes answer any body and model id with 2xx or a 4xx AWS error, never a 5xx', async () => {
    const operation = fc.constantFrom('invoke', 'invoke-with-response-stream', 'count-tokens');
    const modelId = fc.oneof(fc.constantFrom('us.anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc'), fc.string({ minLength: 1, maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(body, operation, modelId, async (payload, op, model) => {
        const response = await gw!.app.fastify.inject({
          method: 'POST',
          url: `/model/${encodeURIComponent(model)}/${op}`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          payload,
        });
        expectDocumentedError(response.statusCode, response.body, 'bedrock');
      }),
      runs(80),
    );
  });
});
