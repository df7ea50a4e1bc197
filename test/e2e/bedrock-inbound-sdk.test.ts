/**
 * The AWS SDK's Bedrock clients against CCAG's Bedrock-format routes, with the virtual key as a
 * Bedrock API key (`Authorization: Bearer`), routed to a mock Bedrock and to a mock Anthropic API:
 * every chunk decoded by the SDK, the ledger keeping the client's model, refusals as exceptions.
 */
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInboundGateway, type InboundGateway } from '../support/bedrock-inbound.js';
import type { TestGateway } from '../support/gateway.js';
import type { MockAnthropic } from '../support/mock-anthropic.js';
import type { MockBedrock } from '../support/mock-bedrock.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const body = (text: string) => JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', anthropic_beta: ['interleaved-thinking-2025-05-14'], max_tokens: 100, messages: [{ role: 'user', content: text }] });

function clients(url: string, key: string) {
  const config = {
    region: 'us-east-1',
    endpoint: url,
    token: { token: key },
    authSchemePreference: ['httpBearerAuth'],
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  };
  return { runtime: new BedrockRuntimeClient(config), control: new BedrockClient(config) };
}

describe.each(['bedrock', 'anthropic'] as const)('AWS SDK → CCAG Bedrock routes → %s upstream', (upstream) => {
  let gw: TestGateway | undefined;
  let bedrock: MockBedrock | undefined;
  let anthropic: MockAnthropic | undefined;
  let key = '';
  let keyId = '';
  let setup: InboundGateway | undefined;

  beforeAll(async () => {
    setup = await startInboundGateway(upstream);
    ({ gw, bedrock, anthropic } = setup);
    ({ key, id: keyId } = await gw.createKey('bedrock-sdk@example.com'));
  });

  afterAll(() => setup?.close());

  test('InvokeModelWithResponseStream: every chunk decodes, the ledger keeps the client’s model', async () => {
    const { runtime } = clients(gw!.url, key);
    const output = await runtime.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body: body('hello') }));
    expect(output.$metadata.requestId).toMatch(/^req_ccag_/);
    const events: Record<string, unknown>[] = [];
    for await (const event of output.body ?? []) {
      if (event.chunk?.bytes) events.push(JSON.parse(Buffer.from(event.chunk.bytes).toString('utf8')) as Record<string, unknown>);
    }
    expect(events[0]?.type).toBe('message_start');
    expect(events.at(-1)?.type).toBe('message_stop');
    const text = events.map((e) => ((e.delta as { text?: string } | undefined)?.text ?? '')).join('');
    expect(text.length).toBeGreaterThan(0);
    const metrics = events.at(-1)?.['amazon-bedrock-invocationMetrics'] as { inputTokenCount: number; outputTokenCount: number };
    const [row] = await gw!.ledgerRows(1);
    expect(row).toMatchObject({ model: MODEL, streaming: expect.anything(), input_tokens: metrics.inputTokenCount, output_tokens: metrics.outputTokenCount });
    if (anthropic) {
      const sent = anthropic.requests.at(-1)!;
      expect(sent.headers['anthropic-beta']).toContain('interleaved-thinking-2025-05-14');
      expect(sent.body).not.toHaveProperty('anthropic_version');
    } else {
      expect(bedrock!.requests.at(-1)).toMatchObject({ operation: 'invoke-stream' });
    }
  });

  test('InvokeModel: the Messages JSON, billed once', async () => {
    const { runtime } = clients(gw!.url, key);
    const output = await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('hello again') }));
    const message = JSON.parse(Buffer.from(output.body).toString('utf8')) as { type: string; usage: { output_tokens: number } };
    expect(message.type).toBe('message');
    const rows = await gw!.ledgerRows(2);
    expect(rows.map((r) => r.model)).toEqual([MODEL, MODEL]);
  });

  test('CountTokens: the upstream’s count, not billed', async () => {
    const { runtime } = clients(gw!.url, key);
    const output = await runtime.send(new CountTokensCommand({ modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', input: { invokeModel: { body: Buffer.from(body('count me')) } } }));
    expect(output.inputTokens).toBeGreaterThan(0);
  });

  test('ListInferenceProfiles: the caller’s models as profiles', async () => {
    const { control } = clients(gw!.url, key);
    const output = await control.send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED' }));
    const ids = (output.inferenceProfileSummaries ?? []).map((s) => s.inferenceProfileId);
    expect(ids.some((id) => id?.startsWith('us.anthropic.claude-'))).toBe(true);
  });

  test('refusals arrive as Bedrock exceptions: a bad key, then a rate limit', async () => {
    await expect(clients(gw!.url, 'sk-ccag-not-a-key').runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('x') }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 401 },
    });
    const limited = await gw!.createKey('bedrock-sdk-limited@example.com');
    expect((await gw!.admin('PUT', `/rate-limits/key/${limited.id}`, { rpm: 1 })).status).toBe(200);
    const { runtime } = clients(gw!.url, limited.key);
    await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('one') }));
    const refused = await runtime.send(new InvokeModelCommand({ modelId: MODEL, body: body('two') })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ThrottlingException);
    expect((refused as Error).message).toMatch(/limit/i);
    expect(keyId).not.toBe(limited.id);
  });
});
