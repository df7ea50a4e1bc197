import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { countTokensFor } from '../../support/mock-script.js';
import { inbound, readAll, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
});

const counts = () => h!.mock.requests.filter((r) => r.operation === 'count-tokens');
const messages = [{ role: 'user', content: 'How many tokens is this sentence, exactly?' }];

describe('Bedrock count_tokens', () => {
  it('counts with CountTokens on the foundation model and answers {input_tokens}', async () => {
    h = await startHarness();
    const reply = await h.upstream.countTokens(inbound({ model: 'claude-sonnet-4-5[1m]', messages, system: 'Be brief.', tags: ['x'] }, { headers: { 'anthropic-beta': 'token-counting-2024-11-01' } }));
    expect(reply.status).toBe(200);
    expect(reply.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(await readAll(reply))).toEqual({ input_tokens: countTokensFor({ messages }) });
    expect(reply.upstreamModel).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    const [sent] = counts();
    expect(sent?.modelId).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(sent?.body).toEqual({
      messages,
      system: 'Be brief.',
      anthropic_version: 'bedrock-2023-05-31',
      anthropic_beta: ['token-counting-2024-11-01', 'context-1m-2025-08-07'],
      max_tokens: 1,
    });
  });

  it('counts for inference-profile ids and ARNs by their foundation model', async () => {
    h = await startHarness();
    for (const model of ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-opus-4-6-v1']) {
      const reply = await h.upstream.countTokens(inbound({ model, messages }));
      expect(reply.status).toBe(200);
    }
    expect(counts().map((r) => r.modelId)).toEqual(['anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-opus-4-6-v1']);
  });

  it('is not supported for application inference profiles: 501, no retry, no Bedrock call', async () => {
    h = await startHarness();
    const model = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
    const error = await h.upstream.countTokens(inbound({ model, messages })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not_supported', status: 501, type: 'not_supported', headers: { 'x-should-retry': 'false' }, message: `count_tokens is not supported for ${model} on this endpoint` });
    expect(counts()).toHaveLength(0);
  });

  it('is not supported for models CountTokens refuses', async () => {
    h = await startHarness({ mock: { uncountableModels: ['anthropic.claude-opus-4-6-v1'] } });
    await expect(h.upstream.countTokens(inbound({ model: 'claude-opus-4-6', messages }))).rejects.toMatchObject({
      code: 'not_supported',
      status: 501,
      message: 'count_tokens is not supported for claude-opus-4-6 on this endpoint',
    });
    expect(counts()).toHaveLength(1);
  });

  it('answers other failures in Anthropic error shape', async () => {
    h = await startHarness();
    const reply = await h.upstream.countTokens(inbound({ model: 'claude-sonnet-4-5', messages, anthropic_version: 'x', max_tokens: 'not-a-number' }));
    expect(reply.status).toBe(400);
    expect(JSON.parse(await readAll(reply))).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'Malformed input request: #: required key [max_tokens] not found' } });
  });

  it('rejects unknown models with model_not_found', async () => {
    h = await startHarness();
    await expect(h.upstream.countTokens(inbound({ model: 'claude-nope-1', messages }))).rejects.toMatchObject({ code: 'model_not_found', status: 404 });
  });
});
