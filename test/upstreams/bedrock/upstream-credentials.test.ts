import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBedrockUpstream } from '../../../src/upstreams/bedrock/index.js';
import type { RecordedRequest } from '../../support/mock-bedrock.js';
import { inbound, readAll, startHarness, userTurn, type Harness } from './harness.js';
import { loopbackOutbound } from '../../support/outbound.js';

const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL_STS', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'];
let savedEnv: Record<string, string | undefined>;
let h: Harness | undefined;

beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  // Keep the default chain away from the developer's own AWS files and the instance metadata service.
  process.env.AWS_CONFIG_FILE = '/nonexistent/ccag-test-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/ccag-test-credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_PROFILE;
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const signedWith = (r: RecordedRequest | undefined) => /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(r?.headers.authorization))?.slice(1);
const bedrockCalls = () => h!.mock.requests.filter((r) => r.operation !== 'assume-role');

describe('Bedrock credentials', () => {
  it('signs runtime and control-plane calls with static keys', async () => {
    h = await startHarness({
      config: { region: 'eu-west-1' },
      secrets: { accessKeyId: 'AKIAMOCKSTATIC000002', secretAccessKey: 's3cret', sessionToken: 'static-session-token' },
    });
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { stream: true }))));
    const calls = bedrockCalls();
    expect(calls.map((r) => r.operation)).toEqual(['list-inference-profiles', 'list-inference-profiles', 'list-inference-profiles', 'invoke-stream']);
    expect(signedWith(calls[0])).toEqual(['AKIAMOCKSTATIC000002', 'eu-west-1', 'bedrock']);
    expect(signedWith(calls[3])).toEqual(['AKIAMOCKSTATIC000002', 'eu-west-1', 'bedrock']);
    expect(calls[3]?.headers['x-amz-security-token']).toBe('static-session-token');
    // eu-west-1 routes to the eu. profile, which the mock's account has.
    expect(calls[3]?.modelId).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('uses the SDK default chain for auth "default"', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAMOCKDEFAULT00003';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    h = await startHarness({ config: { auth: 'default' }, secrets: {} });
    await readAll(await h.upstream.messages(inbound(userTurn('hi'))));
    expect(signedWith(bedrockCalls().at(-1))).toEqual(['AKIAMOCKDEFAULT00003', 'us-east-1', 'bedrock']);
  });

  it('assumes the role with the external id once, and signs with the temporary keys', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAMOCKSOURCE000004';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    h = await startHarness({ config: { auth: 'assume_role', roleArn: 'arn:aws:iam::123456789012:role/CcagBedrock' }, secrets: { externalId: 'ext-42' } });
    process.env.AWS_ENDPOINT_URL_STS = h.mock.url;
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { stream: true }))));
    await readAll(await h.upstream.messages(inbound(userTurn('again', { stream: true }))));

    const assumed = h.mock.requests.filter((r) => r.operation === 'assume-role');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]?.form).toMatchObject({ Action: 'AssumeRole', RoleArn: 'arn:aws:iam::123456789012:role/CcagBedrock', ExternalId: 'ext-42', RoleSessionName: 'ccag' });
    expect(signedWith(assumed[0])?.[0]).toBe('AKIAMOCKSOURCE000004');
    for (const call of bedrockCalls()) expect(signedWith(call)?.[0]).toBe('ASIAMOCKASSUMED00001');
    expect(bedrockCalls().at(-1)?.headers['x-amz-security-token']).toBe('mock-session-token');
  });

  it('assumes the role from the endpoint’s own access keys when it has them, not the default chain', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAMOCKDEFAULT00005';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    h = await startHarness({
      config: { auth: 'assume_role', roleArn: 'arn:aws:iam::210987654321:role/CcagCrossAccount' },
      secrets: { accessKeyId: 'AKIAMOCKSTOREDSRC006', secretAccessKey: 'stored-secret', externalId: 'ext-43' },
    });
    process.env.AWS_ENDPOINT_URL_STS = h.mock.url;
    await readAll(await h.upstream.messages(inbound(userTurn('hi'))));
    const assumed = h.mock.requests.filter((r) => r.operation === 'assume-role');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]?.form).toMatchObject({ RoleArn: 'arn:aws:iam::210987654321:role/CcagCrossAccount', ExternalId: 'ext-43' });
    expect(signedWith(assumed[0])?.[0]).toBe('AKIAMOCKSTOREDSRC006');
    expect(signedWith(bedrockCalls().at(-1))?.[0]).toBe('ASIAMOCKASSUMED00001');
  });

  it('refuses to build an endpoint whose credentials settings are incomplete', () => {
    const options = { streamPingMs: 1000, timeoutMs: 60_000, log: { warn: () => undefined }, outbound: loopbackOutbound };
    expect(() => createBedrockUpstream({ kind: 'bedrock', region: 'us-east-1', auth: 'static' }, { accessKeyId: 'AKIA' }, options)).toThrow('Bedrock endpoint with static auth needs accessKeyId and secretAccessKey');
    expect(() => createBedrockUpstream({ kind: 'bedrock', region: 'us-east-1', auth: 'assume_role' }, {}, options)).toThrow('Bedrock endpoint with assume_role auth needs roleArn');
  });

  it('answers 502 with a generic message when no credentials can be found', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    h = await startHarness({ config: { auth: 'default' }, secrets: {} });
    const reply = await h.upstream.messages(inbound(userTurn('hi', { stream: true, model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' })));
    expect(reply.status).toBe(502);
    expect(JSON.parse(await readAll(reply))).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The gateway could not obtain AWS credentials for its Bedrock endpoint; the details were logged for the gateway operator.' },
    });
    expect(bedrockCalls()).toHaveLength(0);
  });
});
