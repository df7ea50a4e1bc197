/**
 * Secrets never leak (issue 13, security review): every route that takes or hands out a secret is
 * exercised, on success and on refusal, while the gateway's log lines (at debug level), every
 * response (headers and body) and the /metrics text are kept; then each secret, and its base64,
 * base64url and URL-encoded forms, is looked for in all of them. The one response that hands a
 * secret out (a new key, a token) may carry it; nothing else may.
 * Secrets: virtual keys, admin API keys, SCIM tokens, session tokens, device codes and OAuth
 * access and refresh tokens, passwords, endpoint credentials, IdP client secrets, webhook signing
 * secrets, AWS secret keys of destinations, search provider keys, the scrape token, the master key.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashPassword } from '../../src/identity/passwords.js';
import { approveWithPassword, authorizeDevice, pollToken } from '../support/device-flow.js';
import { startGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockSearchProvider, type MockSearchProvider } from '../support/mock-search-provider.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const MODEL = 'claude-haiku-4-5-20251001';
const MEMBER = { username: 'member@example.com', password: 'member-password-9876' };
const SCRAPE_TOKEN = 'scrape-token-secret-5f1e2d3c4b5a';

interface Transcript {
  readonly label: string;
  readonly text: string;
  /** The secrets this response hands out (and so may carry). */
  readonly issues: readonly string[];
}

describe('secrets absent from logs, responses and metrics', () => {
  let gw: TestGateway | undefined;
  let mock: MockAnthropic;
  let idp: TestIdp;
  let search: MockSearchProvider;
  let receiver: WebhookReceiver;
  let logText = '';
  const secrets = new Map<string, string>();
  const transcripts: Transcript[] = [];

  async function call(label: string, method: string, path: string, options: { bearer?: string; apiKey?: string; json?: unknown; form?: Record<string, string>; issues?: string[] } = {}) {
    const headers: Record<string, string> = {};
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(`${gw!.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    transcripts.push({ label: `${label}: ${method} ${path} → ${response.status}`, text: `${JSON.stringify([...response.headers])}\n${text}`, issues: options.issues ?? [] });
    return { status: response.status, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
  const admin = async (label: string, method: string, path: string, json?: unknown, issues?: string[]) => call(label, method, `/admin${path}`, { bearer: secrets.get('admin session token')!, json, ...(issues ? { issues } : {}) });
  const remember = (name: string, value: unknown) => {
    expect(typeof value, name).toBe('string');
    secrets.set(name, value as string);
  };

  beforeAll(async () => {
    mock = await startMockAnthropic({ apiKey: 'sk-ant-api03-upstream-secret-1a2b3c4d' });
    idp = await startOidcIdp();
    search = await startMockSearchProvider();
    receiver = await startWebhookReceiver();
    const logs = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        done();
      },
    });
    gw = await startGateway({ database: 'sqlite', env: { LOG_LEVEL: 'debug', CCAG_METRICS_TOKEN: SCRAPE_TOKEN }, logDestination: logs });
    if (!gw) return;
    secrets.set('admin password', gw.adminPassword).set('member password', MEMBER.password).set('scrape token', SCRAPE_TOKEN).set('master key', TEST_MASTER_KEY);
    secrets.set('upstream API key', mock.apiKey).set('IdP client secret', IDP_CLIENT_SECRET).set('search provider key', search.key);

    // Sign-ins, right and wrong.
    await call('wrong admin password', 'POST', '/admin/login', { json: { username: gw.adminUsername, password: `${gw.adminPassword}-wrong` } });
    const login = await call('admin login', 'POST', '/admin/login', { json: { username: gw.adminUsername, password: gw.adminPassword }, issues: ['admin session token'] });
    remember('admin session token', login.json.token);
  });

  afterAll(async () => {
    await gw?.close();
    await Promise.all([mock?.close(), idp?.close(), search?.close(), receiver?.close()]);
  });

  test('every secret-bearing route, then the scan', async (ctx) => {
    if (!gw) return ctx.skip();
    // Endpoints: a wrong key first (its refusal is reported), then the right one.
    await admin('endpoint test, wrong key', 'POST', '/endpoints/validate', { name: 'x', kind: 'anthropic', base_url: mock.url, api_key: 'sk-ant-api03-wrong-secret-9z8y7x' });
    secrets.set('wrong upstream key', 'sk-ant-api03-wrong-secret-9z8y7x');
    const endpoint = await admin('endpoint', 'POST', '/endpoints', { name: 'mock', kind: 'anthropic', base_url: mock.url, api_key: mock.apiKey });
    await admin('endpoint read', 'GET', `/endpoints/${endpoint.json.id as string}`);
    const bedrockSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYsecretKEY';
    secrets.set('bedrock secret access key', bedrockSecret).set('bedrock session token', 'FwoGZXIvYXdzEXAMPLEsessiontoken123').set('bedrock external id', 'external-id-secret-77aa');
    await admin('bedrock endpoint', 'POST', '/endpoints', {
      name: 'bedrock', kind: 'bedrock', region: 'us-east-1', auth: 'static', access_key_id: 'AKIAEXAMPLEKEY12', secret_access_key: bedrockSecret,
      session_token: secrets.get('bedrock session token'), endpoint_url: 'http://127.0.0.1:9', enabled: false,
    });
    await admin('endpoint list', 'GET', '/endpoints');

    // Users, keys, admin API keys.
    const member = await admin('member', 'POST', '/users', { email: MEMBER.username });
    await gw.store.db.updateTable('users').set({ password_hash: await hashPassword(MEMBER.password) }).where('id', '=', member.json.id as string).execute();
    const key = await admin('virtual key', 'POST', '/keys', { user_email: MEMBER.username }, ['virtual key']);
    remember('virtual key', key.json.key);
    await admin('key list', 'GET', '/keys');
    const apiKey = await admin('admin API key', 'POST', '/api-keys', { name: 'ci' }, ['admin API key']);
    remember('admin API key', apiKey.json.key);
    await call('admin API key in use', 'GET', '/admin/api-keys', { bearer: secrets.get('admin API key')! });

    // IdP with a client secret, SCIM token.
    await admin('IdP', 'POST', '/idps', { name: 'corp', issuer: idp.issuer, client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET });
    await admin('IdP list', 'GET', '/idps');
    await admin('SCIM on', 'POST', '/idps/corp/scim/enable');
    const scim = await admin('SCIM token', 'POST', '/idps/corp/scim/tokens', undefined, ['SCIM token']);
    remember('SCIM token', scim.json.token);
    await call('SCIM in use', 'GET', '/scim/v2/Users', { bearer: secrets.get('SCIM token')! });
    await call('SCIM wrong token', 'GET', '/scim/v2/Users', { bearer: `${secrets.get('SCIM token')!.slice(0, -4)}0000` });

    // Notification destinations: webhook signing secret, AWS secret access key.
    secrets.set('webhook signing secret', 'whsec_signing-secret-4e5f6a7b8c9d').set('destination AWS secret key', 'destination/AWS+secret/key1234567890');
    await admin('SNS draft', 'PUT', '/notifications/draft', { type: 'sns', topic_arn: 'arn:aws:sns:us-east-1:123456789012:t', endpoint_url: 'http://127.0.0.1:9', auth: 'static', access_key_id: 'AKIAEXAMPLEKEY34', secret_access_key: secrets.get('destination AWS secret key') });
    await admin('SNS draft test', 'POST', '/notifications/draft/test');
    await admin('webhook draft', 'PUT', '/notifications/draft', { type: 'webhook', url: receiver.url, signing_secret: secrets.get('webhook signing secret') });
    await admin('webhook draft test', 'POST', '/notifications/draft/test');
    await admin('notifications', 'GET', '/notifications');

    // Web search provider keys, global and a member's own.
    await admin('search provider', 'PUT', '/web-search', { mode: 'global', provider: { type: 'tavily', base_url: `${search.url}/tavily`, api_key: search.key } });
    await admin('search provider test', 'POST', '/web-search/test', {});
    await admin('search provider, wrong key', 'POST', '/web-search/test', { provider: { type: 'tavily', base_url: `${search.url}/tavily`, api_key: 'tvly-wrong-secret-5566' } });
    secrets.set('wrong search key', 'tvly-wrong-secret-5566');
    await admin('web search read', 'GET', '/web-search');

    // The device flow: device code, user code approval with a password, access and refresh tokens.
    const device = await authorizeDevice(gw.url);
    secrets.set('device code', device.device_code);
    await approveWithPassword(gw.url, device.user_code, MEMBER);
    const tokens = await call('device token', 'POST', '/oauth/token', { form: { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code }, issues: ['access token', 'refresh token'] });
    remember('access token', tokens.json.access_token);
    remember('refresh token', tokens.json.refresh_token);
    await call('device code reused', 'POST', '/oauth/token', { form: { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code } });
    const refreshed = await call('refresh', 'POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: secrets.get('refresh token')! }, issues: ['refreshed access token', 'refreshed refresh token'] });
    remember('refreshed access token', refreshed.json.access_token);
    remember('refreshed refresh token', refreshed.json.refresh_token);
    await call('member browser login', 'POST', '/auth/login', { json: MEMBER });

    // The data plane with each credential, right and revoked.
    const message = { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
    await call('inference by key', 'POST', '/v1/messages', { apiKey: secrets.get('virtual key')!, json: message });
    await call('inference by device bearer', 'POST', '/v1/messages', { bearer: secrets.get('refreshed access token')!, json: message });
    // Replaying a used refresh token revokes its whole family (reuse detection), so it comes after the bearer's own call.
    await call('old refresh token reused', 'POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: secrets.get('refresh token')! } });
    await call('inference by revoked bearer', 'POST', '/v1/messages', { bearer: secrets.get('refreshed access token')!, json: message });
    await call('revocation', 'POST', '/oauth/revoke', { form: { token: secrets.get('refreshed refresh token')!, token_type_hint: 'refresh_token' } });
    await admin('key revoked', 'POST', `/keys/${key.json.id as string}/revoke`);
    await call('inference by revoked key', 'POST', '/v1/messages', { apiKey: secrets.get('virtual key')!, json: message });
    await call('admin route by key', 'GET', '/admin/users', { bearer: secrets.get('virtual key')! });
    await gw.ledgerRows(2);

    await call('metrics', 'GET', '/metrics', { bearer: SCRAPE_TOKEN });
    await call('metrics with a wrong token', 'GET', '/metrics', { bearer: `${SCRAPE_TOKEN}x` });
    // The ledger and pino write asynchronously; let the last lines land.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const forms = (value: string) => [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url'), encodeURIComponent(value)];
    const leaks: string[] = [];
    for (const [name, value] of secrets) {
      for (const form of new Set(forms(value))) {
        if (logText.includes(form)) leaks.push(`${name} in the log: ${logText.split('\n').find((line) => line.includes(form))!.slice(0, 300)}`);
        for (const transcript of transcripts) {
          if (!transcript.issues.includes(name) && transcript.text.includes(form)) leaks.push(`${name} in ${transcript.label}`);
        }
      }
    }
    console.log(`secrets scan: ${secrets.size} secrets × 4 forms over ${transcripts.length} responses and ${logText.split('\n').length - 1} log lines`);
    expect(logText, 'the log was captured').toContain('"msg":"completed"');
    expect(leaks).toEqual([]);
  });
});
