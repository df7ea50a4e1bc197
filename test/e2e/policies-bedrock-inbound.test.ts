/**
 * Policy allowlists on the Bedrock inbound format (`/model/{id}/invoke…`, what Claude Code sends
 * with CLAUDE_CODE_USE_BEDROCK=1): a refused model answers as Bedrock would refuse it
 * (ValidationException, 400) naming the model and the policy; an allowed Bedrock id is served; the
 * Bedrock model listing (`/inference-profiles`) offers only the allowed models, like `/v1/models`.
 */
import { BedrockRuntimeClient, InvokeModelCommand, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInboundGateway, type InboundGateway } from '../support/bedrock-inbound.js';

const ALLOWED = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const REFUSED = 'us.anthropic.claude-opus-4-1-20250805-v1:0';
const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });

describe('policy allowlist on the Bedrock inbound format', () => {
  let setup: InboundGateway | undefined;
  let key = '';

  beforeAll(async () => {
    setup = await startInboundGateway('bedrock');
    key = (await setup.gw.createKey('bedrock-dev@example.com')).key;
    const created = await setup.gw.admin('POST', '/policies', { name: 'Sonnet only', match: { domains: ['example.com'] }, allowed_models: ['claude-sonnet-4*'] });
    expect(created.status).toBe(201);
  });
  afterAll(() => setup?.close());

  const invoke = (model: string, operation: 'invoke' | 'invoke-with-response-stream') =>
    fetch(`${setup!.gw.url}/model/${encodeURIComponent(model)}/${operation}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });

  test.each(['invoke', 'invoke-with-response-stream'] as const)('%s: a refused model is a ValidationException naming the model and the policy', async (operation) => {
    const response = await invoke(REFUSED, operation);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toContain('ValidationException');
    const message = ((await response.json()) as { message: string }).message;
    expect(message).toContain(REFUSED);
    expect(message).toContain('"Sonnet only"');
    expect(setup!.bedrock!.requests.some((request) => JSON.stringify(request).includes('opus'))).toBe(false);
  });

  test('an allowed Bedrock profile id is served', async () => {
    expect((await invoke(ALLOWED, 'invoke')).status).toBe(200);
  });

  test('the AWS SDK reads the refusal as a ValidationException', async () => {
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: setup!.gw.url,
      token: { token: key },
      authSchemePreference: ['httpBearerAuth'],
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    const refused = client.send(new InvokeModelCommand({ modelId: REFUSED, body }));
    await expect(refused).rejects.toBeInstanceOf(ValidationException);
    await expect(refused).rejects.toThrow(/Sonnet only/);
  });

  test('ListInferenceProfiles and GetInferenceProfile offer only the models the policy allows', async () => {
    const get = (path: string) => fetch(`${setup!.gw.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const listing = (await (await get('/inference-profiles?type=SYSTEM_DEFINED')).json()) as { inferenceProfileSummaries: { inferenceProfileId: string }[] };
    const ids = listing.inferenceProfileSummaries.map((profile) => profile.inferenceProfileId);
    expect(ids).toContain(ALLOWED);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !id.includes('claude-sonnet-4'))).toEqual([]);
    expect((await get(`/inference-profiles/${encodeURIComponent(ALLOWED)}`)).status).toBe(200);
    expect((await get(`/inference-profiles/${encodeURIComponent(REFUSED)}`)).status).toBe(404);
  });
});
