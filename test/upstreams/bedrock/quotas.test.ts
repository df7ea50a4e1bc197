import { afterEach, describe, expect, it } from 'vitest';
import { isAnthropicQuota } from '../../../src/upstreams/bedrock/quotas.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const signedWith = (authorization: unknown) => /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(authorization))?.slice(1);

describe('Bedrock service quotas', () => {
  it('pages through ListServiceQuotas for bedrock and keeps the Claude quotas, sorted by name', async () => {
    h = await startHarness({ config: { region: 'eu-west-1' } });
    const quotas = await h.upstream.quotas!(new AbortController().signal);
    expect(quotas).toEqual([
      { code: 'L-2222BBBB', name: 'Cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1', value: 200, unit: 'None', adjustable: true },
      { code: 'L-6666FFFF', name: 'Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5', value: 4_000_000, unit: 'None', adjustable: true },
      { code: 'L-4444DDDD', name: 'Model invocation max tokens per day for Anthropic Claude Opus 4.6 V1', value: 720_000_000, unit: 'None', adjustable: false },
      { code: 'L-1111AAAA', name: 'On-demand model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1', value: 2_000_000, unit: 'None', adjustable: true },
    ]);
    const calls = h.mock.requests.filter((r) => r.operation === 'list-service-quotas');
    // Six quotas at the mock's four per page: two calls, the second with the first's token.
    expect(calls.map((r) => r.json)).toEqual([
      { ServiceCode: 'bedrock', MaxResults: 100 },
      { ServiceCode: 'bedrock', MaxResults: 100, NextToken: '4' },
    ]);
    // Signed with the endpoint's static keys, for the servicequotas service in the endpoint's region.
    expect(signedWith(calls[0]?.headers.authorization)).toEqual(['AKIAMOCKSTATIC000001', 'eu-west-1', 'servicequotas']);
  });

  it('says the permission is missing when Service Quotas denies the call', async () => {
    h = await startHarness({ mock: { denyQuotas: true } });
    await expect(h.upstream.quotas!(new AbortController().signal)).rejects.toThrow(/^the credentials lack servicequotas:ListServiceQuotas$/);
  });

  it('matches quota names that mention Anthropic or Claude only', () => {
    expect(isAnthropicQuota('On-demand model inference tokens per minute for Anthropic Claude 3.5 Sonnet')).toBe(true);
    expect(isAnthropicQuota('Cross-region model inference requests per minute for Claude Sonnet 4')).toBe(true);
    expect(isAnthropicQuota('On-demand model inference tokens per minute for Amazon Nova Pro')).toBe(false);
  });
});
