import { describe, expect, it } from 'vitest';
import { applyPatch, endpointInputSchema, endpointPatchSchema, splitInput } from '../../src/routing/endpoint-input.js';
import type { BedrockEndpointConfig, EndpointConfig } from '../../src/upstreams/types.js';

const ARN_US = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123def456';
const ARN_EU = 'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123def456';
const bedrock: BedrockEndpointConfig = { kind: 'bedrock', region: 'us-east-1', auth: 'default' };
const patch = (body: unknown) => endpointPatchSchema.parse(body);
const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
};

describe('endpoint create bodies', () => {
  it('stores application inference profiles in the config, and nothing secret there', () => {
    const input = endpointInputSchema.parse({ kind: 'bedrock', name: 'b', region: 'us-east-1', auth: 'static', access_key_id: 'AKIA1', secret_access_key: 's3', inference_profiles: { 'claude-sonnet-4-5': ARN_US } });
    expect(splitInput(input)).toEqual({
      config: { kind: 'bedrock', region: 'us-east-1', auth: 'static', inferenceProfiles: { 'claude-sonnet-4-5': ARN_US } },
      secrets: { accessKeyId: 'AKIA1', secretAccessKey: 's3' },
    });
  });

  it('refuses profile ARNs of another shape or another region, and model names that are not Anthropic ids', () => {
    const base = { kind: 'bedrock', name: 'b', region: 'us-east-1' };
    expect(endpointInputSchema.safeParse({ ...base, inference_profiles: { 'claude-sonnet-4-5': 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.x' } }).success).toBe(false);
    expect(endpointInputSchema.safeParse({ ...base, inference_profiles: { 'gpt-4': ARN_US } }).success).toBe(false);
    const otherRegion = endpointInputSchema.parse({ ...base, inference_profiles: { 'claude-sonnet-4-5': ARN_EU } });
    expect(problemsOf(() => splitInput(otherRegion))).toBe('inference_profiles.claude-sonnet-4-5: the profile is in eu-west-1, the endpoint in us-east-1');
    const govArn = 'arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/x1';
    expect(problemsOf(() => splitInput(endpointInputSchema.parse({ ...base, region: 'us-gov-west-1', inference_profiles: { 'claude-sonnet-4-5': govArn } })))).toBeUndefined();
  });

  it('refuses an external id without assume_role', () => {
    const input = endpointInputSchema.parse({ kind: 'bedrock', name: 'b', region: 'us-east-1', external_id: 'ext' });
    expect(problemsOf(() => splitInput(input))).toBe('external_id: only applies to assume_role auth');
  });
});

describe('endpoint edits', () => {
  it('keeps absent fields and secrets, replaces present ones, removes nulls', () => {
    const config: BedrockEndpointConfig = { ...bedrock, auth: 'static', endpointUrl: 'http://vpce', routingPrefix: 'us', inferenceProfiles: { 'claude-sonnet-4-5': ARN_US } };
    const secrets = { accessKeyId: 'AKIAOLD', secretAccessKey: 'old', sessionToken: 'tok' };
    expect(applyPatch(config, secrets, patch({ secret_access_key: 'new', endpoint_url: null, session_token: null }))).toEqual({
      config: { kind: 'bedrock', region: 'us-east-1', auth: 'static', routingPrefix: 'us', inferenceProfiles: { 'claude-sonnet-4-5': ARN_US } },
      secrets: { accessKeyId: 'AKIAOLD', secretAccessKey: 'new' },
    });
    expect(applyPatch(config, secrets, patch({ inference_profiles: {} })).config).not.toHaveProperty('inferenceProfiles');
    expect(applyPatch(config, secrets, patch({})).secrets).toEqual(secrets);
  });

  it('checks an auth switch against the merged result: keys given now or already stored', () => {
    expect(problemsOf(() => applyPatch(bedrock, {}, patch({ auth: 'static' })))).toBe('auth: static auth needs access_key_id and secret_access_key');
    expect(applyPatch(bedrock, { accessKeyId: 'AKIA', secretAccessKey: 's' }, patch({ auth: 'static' })).config).toMatchObject({ auth: 'static' });
    expect(applyPatch(bedrock, {}, patch({ auth: 'static', access_key_id: 'AKIA', secret_access_key: 's' })).secrets).toEqual({ accessKeyId: 'AKIA', secretAccessKey: 's' });
    expect(problemsOf(() => applyPatch(bedrock, {}, patch({ auth: 'assume_role' })))).toBe('role_arn: assume_role auth needs role_arn');
    const role = { auth: 'assume_role', role_arn: 'arn:aws:iam::123456789012:role/ccag', external_id: 'ext-1' };
    const assumed = applyPatch(bedrock, {}, patch(role));
    expect(assumed).toEqual({ config: { ...bedrock, auth: 'assume_role', roleArn: 'arn:aws:iam::123456789012:role/ccag' }, secrets: { externalId: 'ext-1' } });
    // Leaving assume_role with the external id still stored is refused until it is removed too.
    expect(problemsOf(() => applyPatch(assumed.config, assumed.secrets, patch({ auth: 'default', role_arn: null })))).toBe('external_id: only applies to assume_role auth');
    expect(applyPatch(assumed.config, assumed.secrets, patch({ auth: 'default', role_arn: null, external_id: null }))).toEqual({ config: bedrock, secrets: {} });
  });

  it('checks inference profiles against the new region when the region changes', () => {
    const config: BedrockEndpointConfig = { ...bedrock, inferenceProfiles: { 'claude-sonnet-4-5': ARN_US } };
    expect(problemsOf(() => applyPatch(config, {}, patch({ region: 'eu-west-1' })))).toMatch(/the profile is in us-east-1, the endpoint in eu-west-1/);
    expect(applyPatch(config, {}, patch({ region: 'eu-west-1', inference_profiles: { 'claude-sonnet-4-5': ARN_EU } })).config).toMatchObject({ region: 'eu-west-1' });
  });

  it('never changes the kind, and refuses the other kind\'s fields', () => {
    const anthropic: EndpointConfig = { kind: 'anthropic' };
    expect(problemsOf(() => applyPatch(anthropic, { apiKey: 'k' }, patch({ kind: 'bedrock' })))).toMatch(/^kind: an endpoint's kind cannot change/);
    expect(applyPatch(anthropic, { apiKey: 'k' }, patch({ kind: 'anthropic', api_key: 'k2' })).secrets).toEqual({ apiKey: 'k2' });
    expect(problemsOf(() => applyPatch(anthropic, { apiKey: 'k' }, patch({ region: 'us-east-1', auth: 'static' })))).toBe('region: does not apply to anthropic endpoints; auth: does not apply to anthropic endpoints');
    expect(problemsOf(() => applyPatch(bedrock, {}, patch({ api_key: 'k' })))).toBe('api_key: does not apply to bedrock endpoints');
    expect(applyPatch({ kind: 'anthropic', baseUrl: 'http://proxy' }, { apiKey: 'k' }, patch({ base_url: null })).config).toEqual({ kind: 'anthropic' });
  });

  it('refuses unknown fields', () => {
    expect(endpointPatchSchema.safeParse({ secret: 'x' }).success).toBe(false);
  });
});
