/** The Bedrock upstream's model names end to end: serves(), geo rewrite, application inference profiles and their price. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPricingService } from '../../../src/spend/pricing.service.js';
import type { TokenUsage } from '../../../src/spend/pricing.js';
import { createTestDatabase } from '../../support/databases.js';
import { inbound, parseSse, readAll, startHarness, userTurn, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const invocations = () => h!.mock.requests.filter((r) => r.operation === 'invoke' || r.operation === 'invoke-stream');
const SONNET_ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/sonnet45team';

describe('Bedrock serves()', () => {
  it('answers from the table before discovery, then from the account’s profiles, never waiting', async () => {
    h = await startHarness();
    // The account (mock) has no Claude 3.7 Sonnet profile; the table does.
    expect(h.upstream.serves('claude-3-7-sonnet-20250219')).toBe(true);
    expect(h.upstream.serves('claude-sonnet-4-5')).toBe(true);
    expect(h.upstream.serves('claude-opus-9')).toBe(false);
    // Once discovery answers (one listing, three pages), the account decides.
    await h.upstream.listModels(new AbortController().signal);
    expect(h.mock.requests.filter((r) => r.operation === 'list-inference-profiles')).toHaveLength(3);
    expect(h.upstream.serves('claude-3-7-sonnet-20250219')).toBe(false);
    expect(h.upstream.serves('claude-sonnet-4-5')).toBe(true);
    expect(h.upstream.serves('us.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]')).toBe(true);
    expect(h.upstream.serves('claude-opus-4')).toBe(false);
    expect(h.upstream.serves('claude-opus-4-1')).toBe(true);
    expect(h.upstream.serves('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(true);
    expect(h.upstream.serves('arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(false);
  });

  it('serves a model with a configured application profile, and that profile’s ARN from another region', async () => {
    const foreign = 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/team37';
    h = await startHarness({ config: { inferenceProfiles: { 'claude-3-7-sonnet': foreign } } });
    const listed = (await h.upstream.listModels(new AbortController().signal)).map((m) => m.id);
    expect(listed).toContain('claude-3-7-sonnet-20250219');
    expect(listed).not.toContain('claude-3-5-haiku-20241022');
    expect(h.upstream.serves('claude-3-7-sonnet-20250219')).toBe(true);
    expect(h.upstream.serves(foreign)).toBe(true);
    expect(h.upstream.serves('arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/other')).toBe(false);
  });
});

describe('Bedrock profile ids from another geo', () => {
  it.each([true, false])('an eu-west-1 endpoint invokes eu.… for a us.… profile id and answers with the client’s name (stream %s)', async (stream) => {
    h = await startHarness({ config: { region: 'eu-west-1' } });
    const clientModel = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const reply = await h.upstream.messages(inbound(userTurn('[[text Bonjour]]', { model: clientModel, stream })));
    expect(reply.status).toBe(200);
    expect(reply.upstreamModel).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(invocations().map((r) => r.modelId)).toEqual(['eu.anthropic.claude-sonnet-4-5-20250929-v1:0']);
    const text = await readAll(reply);
    const model = stream ? (parseSse(text)[0]?.data.message as { model?: string }).model : (JSON.parse(text) as { model?: string }).model;
    expect(model).toBe(clientModel);
  });

  it('falls back to global where the account has no profile of its geo, and keeps a bare foundation-model id', async () => {
    h = await startHarness({ config: { region: 'eu-west-1' } });
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { model: 'us.anthropic.claude-opus-4-6-v1' }))));
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }))));
    expect(invocations().map((r) => r.modelId)).toEqual(['global.anthropic.claude-opus-4-6-v1', 'anthropic.claude-sonnet-4-5-20250929-v1:0']);
  });
});

describe('Bedrock application inference profiles', () => {
  it.each([true, false])('invokes the configured ARN, reports the profile id it stands in for (stream %s)', async (stream) => {
    h = await startHarness({ config: { inferenceProfiles: { 'claude-sonnet-4-5': SONNET_ARN } } });
    const reply = await h.upstream.messages(inbound(userTurn('[[text Tagged]]', { model: 'claude-sonnet-4-5-20250929', stream })));
    expect(reply.status).toBe(200);
    expect(invocations().map((r) => r.modelId)).toEqual([SONNET_ARN]);
    expect(reply.upstreamModel).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const text = await readAll(reply);
    expect(text).toContain('"model":"claude-sonnet-4-5-20250929"');
    expect(text).not.toContain('application-inference-profile');
  });

  it('reports the profile id on an error reply too, and leaves other models alone', async () => {
    h = await startHarness({ config: { inferenceProfiles: { 'claude-sonnet-4-5': SONNET_ARN } } });
    const throttled = await h.upstream.messages(inbound(userTurn('[[bedrock-error ThrottlingException Rate exceeded]]')));
    expect(throttled.status).toBe(429);
    expect(throttled.upstreamModel).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { model: 'claude-haiku-4-5' }))));
    expect(invocations().map((r) => r.modelId)).toEqual([SONNET_ARN, 'us.anthropic.claude-haiku-4-5-20251001-v1:0']);
  });

  it('counts tokens on the foundation model, never the ARN', async () => {
    h = await startHarness({ config: { inferenceProfiles: { 'claude-sonnet-4-5': SONNET_ARN } } });
    const reply = await h.upstream.countTokens(inbound({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'count me' }] }));
    expect(reply.status).toBe(200);
    expect(reply.upstreamModel).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(h.mock.requests.filter((r) => r.operation === 'count-tokens').map((r) => r.modelId)).toEqual(['anthropic.claude-sonnet-4-5-20250929-v1:0']);
  });

  it('prices a request through the ARN at the model’s regional price', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await database!.open();
    try {
      const pricing = createPricingService(store);
      await pricing.seed();
      h = await startHarness({ config: { inferenceProfiles: { 'claude-sonnet-4-5': SONNET_ARN } } });
      const reply = await h.upstream.messages(inbound(userTurn('hi', { model: 'claude-sonnet-4-5' })));
      await readAll(reply);
      const usage: TokenUsage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
      const throughArn = pricing.costFor(reply.upstreamModel, 'claude-sonnet-4-5', usage);
      const regional = pricing.costFor('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5', usage);
      const firstParty = pricing.costFor(undefined, 'claude-sonnet-4-5', usage);
      expect(throughArn).toEqual({ costMicros: 3_300_000 + 16_500_000, pricingStatus: 'priced' });
      expect(throughArn).toEqual(regional);
      // The ARN itself names no model: priced by it, the request would fall to the first-party price.
      expect(pricing.costFor(SONNET_ARN, 'claude-sonnet-4-5', usage)).toEqual(firstParty);
      expect(firstParty.costMicros).toBeLessThan(throughArn.costMicros);
    } finally {
      await store.close();
      await database!.drop();
    }
  });
});
