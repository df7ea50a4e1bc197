import { GetInferenceProfileCommand, paginateListInferenceProfiles, ResourceNotFoundException } from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedrockError } from '../../../../src/gateway/formats/bedrock/index.js';
import { getInferenceProfile, listInferenceProfiles } from '../../../../src/gateway/formats/bedrock/inference-profiles.js';
import type { ModelInfo } from '../../../../src/upstreams/types.js';
import { startSdkHarness, type SdkHarness } from './aws-sdk-harness.js';

const MODELS: ModelInfo[] = [
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', type: 'model', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', type: 'model', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', type: 'model', created_at: '2026-02-05T00:00:00Z' },
];
const OPTIONS = { region: 'us-east-1' };

let sdk: SdkHarness;
beforeAll(async () => {
  sdk = await startSdkHarness();
});
afterAll(() => sdk.close());

function serveListing(models: ModelInfo[]) {
  sdk.answer((path) => {
    const url = new URL(path, 'http://x');
    const query = Object.fromEntries(url.searchParams) as Record<string, string>;
    return { status: 200, headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(JSON.stringify(listInferenceProfiles(models, query, OPTIONS)))] };
  });
}

describe('ListInferenceProfiles from the caller’s models', () => {
  it('reads back through the AWS SDK, paginated, with dates as dates', async () => {
    serveListing(MODELS);
    const summaries = [];
    for await (const page of paginateListInferenceProfiles({ client: sdk.control, pageSize: 4 }, { typeEquals: 'SYSTEM_DEFINED' })) {
      summaries.push(...(page.inferenceProfileSummaries ?? []));
    }
    expect(sdk.paths.at(-1)).toMatch(/nextToken=/);
    const ids = summaries.map((s) => s.inferenceProfileId);
    expect(ids).toContain('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids).toContain('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(ids).toContain('global.anthropic.claude-opus-4-6-v1');
    expect(new Set(ids).size).toBe(ids.length);
    const sonnet = summaries.find((s) => s.inferenceProfileId === 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(sonnet).toMatchObject({
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
      inferenceProfileArn: 'arn:aws:bedrock:us-east-1:000000000000:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      models: [{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0' }],
    });
    expect(sonnet?.createdAt).toEqual(new Date('2025-09-29T00:00:00Z'));
  });

  it('finds what Claude Code looks for: a profile starting with its geo and holding the Anthropic id', () => {
    const ids = listInferenceProfiles(MODELS, {}, OPTIONS).inferenceProfileSummaries.map((s) => s.inferenceProfileId);
    for (const geo of ['us', 'eu', 'apac', 'global']) {
      expect(ids.find((id) => id.startsWith(`${geo}.`) && id.includes('claude-haiku-4-5-20251001'))).toBeDefined();
    }
  });

  it('lists no application inference profiles', () => {
    expect(listInferenceProfiles(MODELS, { type: 'APPLICATION' }, OPTIONS).inferenceProfileSummaries).toEqual([]);
  });

  it('offers nothing for models it may not use', () => {
    expect(listInferenceProfiles([], {}, OPTIONS)).toEqual({ inferenceProfileSummaries: [] });
  });
});

describe('profiles a fleet policy allows', () => {
  it('are decided per profile id, so a geo-scoped allowlist offers that geo only', () => {
    const allows = (id: string) => id.startsWith('eu.anthropic.claude-haiku');
    const ids = listInferenceProfiles(MODELS, {}, { ...OPTIONS, allows }).inferenceProfileSummaries.map((profile) => profile.inferenceProfileId);
    expect(ids).toEqual(['eu.anthropic.claude-haiku-4-5-20251001-v1:0']);
    expect(getInferenceProfile(MODELS, 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', { ...OPTIONS, allows })).toBeDefined();
    expect(getInferenceProfile(MODELS, 'us.anthropic.claude-haiku-4-5-20251001-v1:0', { ...OPTIONS, allows })).toBeUndefined();
  });
});

describe('GetInferenceProfile', () => {
  it('names the foundation model behind a listed profile, by id or ARN', async () => {
    const id = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    for (const identifier of [id, `arn:aws:bedrock:us-east-1:000000000000:inference-profile/${id}`]) {
      const profile = getInferenceProfile(MODELS, identifier, OPTIONS);
      sdk.answer({ status: 200, headers: { 'content-type': 'application/json' }, chunks: [Buffer.from(JSON.stringify(profile))] });
      const output = await sdk.control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: identifier }));
      expect(output.inferenceProfileId).toBe(id);
      expect(output.models?.[0]?.modelArn?.split('/').at(-1)).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    }
  });

  it('knows no profile for a model the caller may not use, nor for a foundation-model id', async () => {
    expect(getInferenceProfile(MODELS, 'us.anthropic.claude-opus-4-1-20250805-v1:0', OPTIONS)).toBeUndefined();
    expect(getInferenceProfile(MODELS, 'anthropic.claude-sonnet-4-5-20250929-v1:0', OPTIONS)).toBeUndefined();
    const rendered = bedrockError(404, 'not_found_error', 'No inference profile us.anthropic.claude-opus-4-1-20250805-v1:0');
    sdk.answer({ status: rendered.status, headers: rendered.headers, chunks: [Buffer.from(rendered.body)] });
    await expect(sdk.control.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'x' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
