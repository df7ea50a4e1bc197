/**
 * The real Claude Code CLI picking up a policy from GET /managed/settings: its `env` reaches the
 * client (ANTHROPIC_CUSTOM_HEADERS comes back as a header on the inference request), its default
 * model is the model Claude Code asks for, and with CLAUDE_CODE_GATEWAY_HINT_HEADERS=1 (also from
 * the policy) the session reports the settings checksum, so the drift report shows it current.
 *
 * Claude Code fetches managed settings only for a gateway it signed in to with /login, whose
 * session it keeps in its credential store (`enterpriseGateway`) with the gateway's TLS
 * certificate fingerprint pinned (`gatewayTrust`); for a plain-http loopback gateway the pin is
 * "http-loopback". The test writes that store as /login would, with a virtual key as the bearer,
 * so no interactive terminal and no TLS listener are needed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NATIVE_CLAUDE_BIN, runClaudeCode } from '../support/claude-code.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

describe('Claude Code applies a policy delivered at /managed/settings', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (gw) key = (await gw.createKey('claude-policy@example.com')).key;
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('env, default model and the settings checksum round trip', { timeout: 120_000 }, async (ctx) => {
    if (!gw) return ctx.skip();
    const created = await gw.admin('POST', '/policies', {
      name: 'Claude Code fleet',
      match: { domains: ['example.com'] },
      allowed_models: ['claude-sonnet-4*', 'claude-haiku-4*'],
      default_model: 'claude-sonnet-4-5',
      settings: { env: { ANTHROPIC_CUSTOM_HEADERS: 'x-policy-marker: from-policy', CLAUDE_CODE_GATEWAY_HINT_HEADERS: '1' } },
    });
    expect(created.status).toBe(201);
    const credentials = JSON.stringify({
      enterpriseGateway: { url: gw.url, jwt: key, expiresAt: Date.now() + 3_600_000 },
      gatewayTrust: { '127.0.0.1': 'http-loopback' },
    });

    // The 2.1.33x build: the managed-settings checksum hint header arrived in 2.1.33x.
    const result = await runClaudeCode('Say hi [[text Hi from a managed machine.]]', {}, [], { bin: NATIVE_CLAUDE_BIN, configFiles: { '.credentials.json': credentials } });
    expect(result.json, result.stderr + result.stdout).toMatchObject({ is_error: false, result: 'Hi from a managed machine.' });

    const main = mock.requests.find((request) => JSON.stringify(request.body).includes('Hi from a managed machine'))!;
    expect(main.headers['x-policy-marker']).toBe('from-policy');
    expect((main.body as { model: string }).model).toBe('claude-sonnet-4-5');

    const drift = await gw.admin<{ summary: Record<string, number> }>('GET', '/policies/drift?all=true');
    expect(drift.body.summary).toMatchObject({ current: 1, stale: 0, unknown: 0 });
  });
});
