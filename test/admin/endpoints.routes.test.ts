/**
 * Managing endpoints through the admin API on both databases: edits (secrets write-only), the
 * default endpoint, guarded deletes, connection checks against the mock Bedrock (static keys,
 * STS AssumeRole with an external id) and the mock Anthropic API, models and service quotas.
 * No answer ever carries a secret.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';

interface Endpoint {
  id: string;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  has_credentials: boolean;
  is_default: boolean;
  enabled: boolean;
  priority: number;
  updated_at: string;
}
interface Report {
  ok: boolean;
  checks: Array<{ name: string; ok: boolean; ms: number; detail: string }>;
}
type ErrorBody = { error: { code: string; message: string } };

const SECRETS = ['aws-secret-first', 'aws-secret-second', 'static-session-tok', 'ext-id-confidential', 'sk-ant-wrong-key-123'];
const ROLE = 'arn:aws:iam::123456789012:role/CcagBedrock';
const PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
const ENV_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_STS', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'];

const signer = (authorization: unknown) => /Credential=([^/]+)\//.exec(String(authorization))?.[1];

describe.each(['sqlite', 'postgres'] as const)('endpoint management (%s)', (database) => {
  let gw: TestGateway | undefined;
  let bedrock: MockBedrock;
  let denying: MockBedrock;
  let anthropic: MockAnthropic;
  let savedEnv: Record<string, string | undefined>;
  /** Every admin answer of this file, to prove no secret ever leaves. */
  const answers: string[] = [];

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await gw!.admin<T>(method, path, body);
    answers.push(JSON.stringify(response.body ?? null));
    return response;
  }
  const staticBedrock = (name: string, extra: Record<string, unknown> = {}) =>
    call<Endpoint>('POST', '/endpoints', { kind: 'bedrock', name, region: 'us-east-1', auth: 'static', access_key_id: 'AKIAMOCKSTATIC000001', secret_access_key: 'aws-secret-first', endpoint_url: bedrock.url, ...extra });

  beforeAll(async () => {
    savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
    // The default chain (assume_role's source) must come from here, never the developer's AWS files.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAMOCKSOURCE000009',
      AWS_SECRET_ACCESS_KEY: 'env-source-secret',
      AWS_CONFIG_FILE: '/nonexistent/ccag-test-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/ccag-test-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete process.env.AWS_PROFILE;
    bedrock = await startMockBedrock();
    denying = await startMockBedrock({ denyAssumeRole: true, denyQuotas: true });
    anthropic = await startMockAnthropic();
    gw = await startGateway({ database });
  });
  afterEach(() => {
    process.env.AWS_ENDPOINT_URL_STS = bedrock.url;
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([bedrock?.close(), denying?.close(), anthropic?.close()]);
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test('edits: fields change, secrets are write-only, kind is fixed, and updated_at moves', async (ctx) => {
    if (!gw) return ctx.skip();
    const created = (await staticBedrock('edit-me', { session_token: 'static-session-tok' })).body;
    const stored = async () => (await gw!.store.db.selectFrom('endpoints').select(['credentials', 'updated_at']).where('id', '=', created.id).executeTakeFirstOrThrow());
    const before = await stored();

    const renamed = await call<Endpoint>('PATCH', `/endpoints/${created.id}`, { name: 'edited', priority: 7, inference_profiles: { 'claude-sonnet-4-5': PROFILE } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'edited', priority: 7, has_credentials: true, config: { region: 'us-east-1', auth: 'static', inference_profiles: { 'claude-sonnet-4-5': PROFILE } } });
    expect(Date.parse(renamed.body.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
    // No secret changed: the sealed credentials are the same bytes.
    expect((await stored()).credentials).toBe(before.credentials);

    const rotated = await call<Endpoint>('PATCH', `/endpoints/${created.id}`, { secret_access_key: 'aws-secret-second', session_token: null });
    expect(rotated.status).toBe(200);
    expect((await stored()).credentials).not.toBe(before.credentials);
    expect(await call('GET', `/endpoints/${created.id}`)).toMatchObject({ status: 200, body: { name: 'edited', config: { inference_profiles: { 'claude-sonnet-4-5': PROFILE } } } });

    const refusals: Array<[unknown, RegExp]> = [
      [{ kind: 'anthropic' }, /^kind: an endpoint's kind cannot change/],
      [{ api_key: 'x' }, /^api_key: does not apply to bedrock endpoints$/],
      [{ auth: 'assume_role' }, /^role_arn: assume_role auth needs role_arn$/],
      [{ external_id: 'ext-id-confidential' }, /^external_id: only applies to assume_role auth$/],
      [{ inference_profiles: { 'claude-sonnet-4-5': PROFILE.replace('us-east-1', 'eu-west-1') } }, /the profile is in eu-west-1, the endpoint in us-east-1/],
      [{ region: 'eu-west-1' }, /the profile is in us-east-1, the endpoint in eu-west-1/],
      [{ secret_access_key: 'aws-secret-second', bogus: 1 }, /Unrecognized key/],
    ];
    for (const [body, message] of refusals) {
      const refused = await call<ErrorBody>('PATCH', `/endpoints/${created.id}`, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.message).toMatch(message);
    }
    const other = (await staticBedrock('taken-name')).body;
    expect(await call('PATCH', `/endpoints/${other.id}`, { name: 'edited' })).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'an endpoint named edited already exists' } } });
    expect((await call('PATCH', `/endpoints/${randomUUID()}`, { name: 'x' })).status).toBe(404);

    // Switching to assume_role with an external id, then back to static with the keys still stored.
    const assumed = await call<Endpoint>('PATCH', `/endpoints/${created.id}`, { auth: 'assume_role', role_arn: ROLE, external_id: 'ext-id-confidential' });
    expect(assumed.body.config).toMatchObject({ auth: 'assume_role', role_arn: ROLE });
    const back = await call<Endpoint>('PATCH', `/endpoints/${created.id}`, { auth: 'static', role_arn: null, external_id: null });
    expect(back.status).toBe(200);
    expect(back.body.config).not.toHaveProperty('role_arn');
    await call('DELETE', `/endpoints/${other.id}`);
  });

  test('enable, disable and the default: one default, never a disabled one', async (ctx) => {
    if (!gw) return ctx.skip();
    const a = (await staticBedrock('default-a', { is_default: true })).body;
    const b = (await staticBedrock('default-b')).body;
    const defaults = async () => (await call<{ data: Endpoint[] }>('GET', '/endpoints')).body.data.filter((e) => e.is_default).map((e) => e.name);
    expect(await defaults()).toEqual(['default-a']);

    expect(await call('POST', `/endpoints/${b.id}/default`)).toMatchObject({ status: 200, body: { name: 'default-b', is_default: true } });
    expect(await defaults()).toEqual(['default-b']);

    // Disabling the default clears the flag; a disabled endpoint cannot become the default.
    expect((await call<Endpoint>('PATCH', `/endpoints/${b.id}`, { enabled: false })).body).toMatchObject({ enabled: false, is_default: false });
    expect(await defaults()).toEqual([]);
    expect(await call('POST', `/endpoints/${b.id}/default`)).toMatchObject({ status: 400, body: { error: { message: 'endpoint default-b is disabled; a disabled endpoint cannot be the default' } } });
    expect((await call('PATCH', `/endpoints/${a.id}`, { enabled: false, is_default: true })).status).toBe(400);
    expect((await call<Endpoint>('PATCH', `/endpoints/${b.id}`, { enabled: true, is_default: true })).body).toMatchObject({ enabled: true, is_default: true });
    expect(await defaults()).toEqual(['default-b']);
    expect((await call('POST', `/endpoints/${randomUUID()}/default`)).status).toBe(404);

    // The gateway's own pool follows at once (onChange): it serves with the new default.
    const pool = async () => (await call<{ endpoints: { default: string | null; enabled: number } }>('GET', '/system')).body.endpoints;
    expect((await pool()).default).toBe('default-b');
    const enabledBefore = (await pool()).enabled;
    await call('PATCH', `/endpoints/${a.id}`, { enabled: false });
    expect((await pool()).enabled).toBe(enabledBefore - 1);
    expect((await call('DELETE', `/endpoints/${a.id}`)).status).toBe(204);
  });

  test('delete: refused while a routing uses the endpoint (naming it) or while it is the default among others', async (ctx) => {
    if (!gw) return ctx.skip();
    const routed = (await staticBedrock('routed')).body;
    const team = (await call<{ id: string }>('POST', '/teams', { name: 'Platform' })).body;
    const now = Date.now();
    // Routing's own tables, written directly: this file tests the endpoint side of the rule.
    await gw.store.db.insertInto('team_routing').values([{ team_id: team.id, strategy: 'priority', updated_at: now }, { team_id: '', strategy: 'priority', updated_at: now }]).execute();
    await gw.store.db.insertInto('team_routing_endpoints').values([{ team_id: team.id, endpoint_id: routed.id, position: 0 }, { team_id: '', endpoint_id: routed.id, position: 0 }]).execute();
    expect(await call('DELETE', `/endpoints/${routed.id}`)).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'endpoint routed is used by the routing of team Platform, the default routing; remove it from those routings first' } },
    });
    await gw.store.db.deleteFrom('team_routing_endpoints').where('endpoint_id', '=', routed.id).execute();
    expect((await call('DELETE', `/endpoints/${routed.id}`)).status).toBe(204);
    expect((await call('DELETE', `/endpoints/${routed.id}`)).status).toBe(404);

    const current = (await call<{ data: Endpoint[] }>('GET', '/endpoints')).body.data.find((e) => e.is_default)!;
    expect(await call('DELETE', `/endpoints/${current.id}`)).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', message: `endpoint ${current.name} is the default endpoint; make another endpoint the default first` } },
    });
  });

  test('validate: static keys sign the checks; assume-role sends RoleArn and ExternalId to STS', async (ctx) => {
    if (!gw) return ctx.skip();
    const saved = (await staticBedrock('to-validate')).body;
    const from = bedrock.requests.length;
    const report = await call<Report>('POST', `/endpoints/${saved.id}/validate`);
    expect(report.status).toBe(200);
    expect(report.body.ok).toBe(true);
    expect(report.body.checks.map((c) => [c.name, c.ok])).toEqual([['credentials', true], ['reachability', true], ['models', true]]);
    expect(report.body.checks[0]!.detail).toBe('static access key AKIA…0001');
    expect(report.body.checks[2]!.detail).toMatch(/^\d+ models, e\.g\. claude-/);
    for (const check of report.body.checks) expect(check.ms).toBeGreaterThanOrEqual(0);
    const calls = bedrock.requests.slice(from).filter((r) => r.operation === 'list-inference-profiles');
    expect(calls[0]?.query).toMatchObject({ maxResults: '1' });
    for (const request of calls) expect(signer(request.headers.authorization)).toBe('AKIAMOCKSTATIC000001');

    process.env.AWS_ENDPOINT_URL_STS = bedrock.url;
    const unsaved = { kind: 'bedrock', region: 'us-east-1', auth: 'assume_role', role_arn: ROLE, external_id: 'ext-id-confidential', endpoint_url: bedrock.url };
    const assumed = await call<Report>('POST', '/endpoints/validate', unsaved);
    expect(assumed.body).toMatchObject({ ok: true });
    expect(assumed.body.checks[0]!.detail).toBe(`assumed ${ROLE} with its external id (temporary key ASIA…0001)`);
    const sts = bedrock.requests.filter((r) => r.operation === 'assume-role').at(-1);
    expect(sts?.form).toMatchObject({ Action: 'AssumeRole', RoleArn: ROLE, ExternalId: 'ext-id-confidential' });
    expect(signer(sts?.headers.authorization)).toBe('AKIAMOCKSOURCE000009');
    expect(signer(bedrock.requests.at(-1)?.headers.authorization)).toBe('ASIAMOCKASSUMED00001');
    // Nothing was saved.
    expect((await call<{ data: Endpoint[] }>('GET', '/endpoints')).body.data.map((e) => e.name)).not.toContain('unsaved');
  });

  test('validate: says which step failed, without echoing a secret', async (ctx) => {
    if (!gw) return ctx.skip();
    process.env.AWS_ENDPOINT_URL_STS = denying.url;
    const denied = await call<Report>('POST', '/endpoints/validate', { kind: 'bedrock', region: 'us-east-1', auth: 'assume_role', role_arn: ROLE, external_id: 'ext-id-confidential', endpoint_url: denying.url });
    expect(denied.body.ok).toBe(false);
    expect(denied.body.checks[0]).toMatchObject({ name: 'credentials', ok: false });
    expect(denied.body.checks[0]!.detail).toMatch(new RegExp(`^STS AssumeRole of ${ROLE} failed: AccessDenied: .*not authorized to perform: sts:AssumeRole`));
    expect(denied.body.checks.slice(1)).toEqual([
      { name: 'reachability', ok: false, ms: 0, detail: 'not run: no credentials' },
      { name: 'models', ok: false, ms: 0, detail: 'not run: no credentials' },
    ]);

    const wrongKey = await call<Report>('POST', '/endpoints/validate', { kind: 'anthropic', name: 'a', base_url: anthropic.url, api_key: 'sk-ant-wrong-key-123' });
    expect(wrongKey.body).toMatchObject({
      ok: false,
      checks: [
        { name: 'credentials', ok: false, detail: 'the API refused the API key (HTTP 401: authentication_error: invalid x-api-key)' },
        { name: 'reachability', ok: true, detail: 'the endpoint answered (HTTP 401)' },
        { name: 'models', ok: false, detail: 'not run: the credentials were refused' },
      ],
    });
    const good = await call<Report>('POST', '/endpoints/validate', { kind: 'anthropic', base_url: anthropic.url, api_key: anthropic.apiKey });
    expect(good.body).toMatchObject({ ok: true, checks: [{ name: 'credentials', ok: true }, { name: 'reachability', ok: true }, { name: 'models', ok: true, detail: '3 models, e.g. claude-sonnet-4-5-20250929, claude-haiku-4-5-20251001, claude-opus-4-6' }] });
    const down = await call<Report>('POST', '/endpoints/validate', { kind: 'anthropic', base_url: 'http://127.0.0.1:9', api_key: 'sk-ant-wrong-key-123' });
    expect(down.body.checks[1]).toMatchObject({ name: 'reachability', ok: false, detail: 'http://127.0.0.1:9 could not be reached: ECONNREFUSED' });
    expect((await call<ErrorBody>('POST', '/endpoints/validate', { kind: 'bedrock', region: 'nowhere' })).status).toBe(400);
    expect((await call('POST', `/endpoints/${randomUUID()}/validate`)).status).toBe(404);
  });

  test('models and quotas: from the live client, cached, and unavailable with a reason', async (ctx) => {
    if (!gw) return ctx.skip();
    const live = (await staticBedrock('quotas')).body;
    const models = await call<{ data: Array<{ id: string }> }>('GET', `/endpoints/${live.id}/models`);
    expect(models.status).toBe(200);
    expect(models.body.data.map((m) => m.id)).toContain('claude-sonnet-4-5-20250929');

    const quotaCalls = () => bedrock.requests.filter((r) => r.operation === 'list-service-quotas').length;
    const before = quotaCalls();
    const quotas = await call<{ data: Array<{ code: string }>; fetched_at: string; unavailable: string | null }>('GET', `/endpoints/${live.id}/quotas`);
    expect(quotas.body.unavailable).toBeNull();
    expect(quotas.body.data.map((q) => q.code)).toEqual(['L-2222BBBB', 'L-6666FFFF', 'L-4444DDDD', 'L-1111AAAA']);
    expect(Date.parse(quotas.body.fetched_at)).toBeGreaterThan(0);
    expect(quotaCalls()).toBe(before + 2);
    expect((await call('GET', `/endpoints/${live.id}/quotas`)).body).toEqual(quotas.body);
    expect(quotaCalls()).toBe(before + 2);
    // An edit is a new configuration: read afresh.
    await call('PATCH', `/endpoints/${live.id}`, { priority: 3 });
    await call('GET', `/endpoints/${live.id}/quotas`);
    expect(quotaCalls()).toBe(before + 4);

    // A disabled endpoint is not in the pool: a throwaway client answers.
    const deniedEndpoint = (await staticBedrock('quotas-denied', { endpoint_url: denying.url, enabled: false })).body;
    expect((await call('GET', `/endpoints/${deniedEndpoint.id}/quotas`)).body).toMatchObject({ data: [], unavailable: 'the credentials lack servicequotas:ListServiceQuotas' });

    const api = (await call<Endpoint>('POST', '/endpoints', { kind: 'anthropic', name: 'api', base_url: anthropic.url, api_key: anthropic.apiKey })).body;
    expect((await call('GET', `/endpoints/${api.id}/quotas`)).body).toMatchObject({ data: [], unavailable: expect.stringMatching(/^service quotas apply to Amazon Bedrock endpoints/) });
    expect((await call<{ data: Array<{ id: string }> }>('GET', `/endpoints/${api.id}/models`)).body.data.map((m) => m.id)).toEqual(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-6']);
    const broken = (await call<Endpoint>('POST', '/endpoints', { kind: 'anthropic', name: 'broken', base_url: anthropic.url, api_key: 'sk-ant-wrong-key-123', enabled: false })).body;
    expect(await call('GET', `/endpoints/${broken.id}/models`)).toMatchObject({
      status: 502,
      body: { error: { code: 'upstream_unreachable', message: 'the models of endpoint broken could not be listed: the API refused the API key (HTTP 401: authentication_error: invalid x-api-key)' } },
    });
  });

  test('no admin answer above carried a secret', (ctx) => {
    if (!gw) return ctx.skip();
    expect(answers.length).toBeGreaterThan(40);
    for (const answer of answers) for (const secret of SECRETS) expect(answer).not.toContain(secret);
  });
});
