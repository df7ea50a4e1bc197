/**
 * SSRF guards on every route that takes a URL to call (docs/security.md#ssrf): each refuses the
 * cloud metadata address (and its IPv4-mapped IPv6 form) with a 400 naming the field, before
 * anything is saved or tried; a member's own search provider is guarded like an admin's. With
 * the default (none, the tests' gateways open loopback explicitly) loopback is refused too, and a
 * named private range opens again.
 * The check runs before storage, so SQLite alone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { IDP_CLIENT_ID, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const METADATA = 'http://169.254.169.254/latest/meta-data/';
const METADATA_V6 = 'https://[::ffff:169.254.169.254]/';
const SECRET = 'whsec_0123456789abcdef';

type Answer = { status: number; body: { error?: { code: string; message: string } } };

function expectRefused(answer: Answer, field: string, address = '169.254.169.254') {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error?.code).toBe('invalid_request');
  expect(answer.body.error?.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: refused to connect to .*${address.replace(/\./g, '\\.')}.*CCAG_OUTBOUND_ALLOW_PRIVATE`));
}

describe('SSRF guard on admin-supplied URLs (default policy)', () => {
  let gw: TestGateway | undefined;
  let idp: TestIdp;

  beforeAll(async () => {
    idp = await startOidcIdp();
    gw = await startGateway({ database: 'sqlite' });
  });
  afterAll(async () => {
    await gw?.close();
    await idp?.close();
  });

  const routes: Array<[string, string, string, (url: string) => unknown, string]> = [
    ['anthropic endpoint', 'POST', '/endpoints', (url) => ({ name: 'a', kind: 'anthropic', base_url: url, api_key: 'sk-ant-x' }), 'base_url'],
    ['bedrock endpoint', 'POST', '/endpoints', (url) => ({ name: 'b', kind: 'bedrock', region: 'us-east-1', endpoint_url: url }), 'endpoint_url'],
    ['endpoint test before saving', 'POST', '/endpoints/validate', (url) => ({ name: 'c', kind: 'anthropic', base_url: url, api_key: 'sk-ant-x' }), 'base_url'],
    ['identity provider', 'POST', '/idps', (url) => ({ name: 'evil', issuer: url.replace('http:', 'https:'), client_id: 'x' }), 'issuer'],
    ['webhook destination', 'PUT', '/notifications/draft', (url) => ({ type: 'webhook', url: url.replace('http:', 'https:'), signing_secret: SECRET }), 'url'],
    ['SNS endpoint override', 'PUT', '/notifications/draft', (url) => ({ type: 'sns', topic_arn: 'arn:aws:sns:us-east-1:123456789012:t', endpoint_url: url }), 'endpoint_url'],
    ['EventBridge endpoint override', 'PUT', '/notifications/draft', (url) => ({ type: 'eventbridge', event_bus_name: 'bus', region: 'us-east-1', endpoint_url: url }), 'endpoint_url'],
    ['global search provider', 'PUT', '/web-search', (url) => ({ provider: { type: 'searxng', base_url: url } }), 'provider.base_url'],
    ['global search provider test', 'POST', '/web-search/test', (url) => ({ provider: { type: 'custom', base_url: url } }), 'provider.base_url'],
    ["a member's own search provider", 'PUT', '/me/web-search', (url) => ({ type: 'searxng', base_url: url }), 'provider.base_url'],
    ["a member's own search provider test", 'POST', '/me/web-search/test', (url) => ({ provider: { type: 'searxng', base_url: url } }), 'provider.base_url'],
  ];

  test.each(routes)('%s (%s /admin%s) refuses the metadata address, also IPv4-mapped', async (_name, method, path, body, field) => {
    if (!gw) return;
    expectRefused(await gw.admin(method, path, body(METADATA)), field);
    expectRefused(await gw.admin(method, path, body(METADATA_V6)), field, '::ffff:a9fe:a9fe');
  });

  test('edits are checked like creations (endpoint base URL, IdP issuer)', async (ctx) => {
    if (!gw) return ctx.skip();
    const endpoint = await gw.addEndpoint({ name: 'public', kind: 'anthropic', base_url: 'https://api.example.invalid', api_key: 'sk-ant-x' });
    expectRefused(await gw.admin('PATCH', `/endpoints/${endpoint.id}`, { base_url: 'http://10.0.0.5:8080' }), 'base_url', '10.0.0.5');
    const created = await gw.admin<{ id: string }>('POST', '/idps', { name: 'corp', issuer: idp.issuer, client_id: IDP_CLIENT_ID });
    expect(created.status).toBe(201);
    expectRefused(await gw.admin('PATCH', `/idps/${created.body.id}`, { issuer: 'https://[fd00:ec2::254]/' }), 'issuer', 'fd00:ec2::254');
  });

  test('nothing refused was saved', async (ctx) => {
    if (!gw) return ctx.skip();
    const endpoints = await gw.store.db.selectFrom('endpoints').select('config').execute();
    const destinations = await gw.store.db.selectFrom('notification_destinations').select('config').execute();
    expect(JSON.stringify([endpoints, destinations])).not.toMatch(/169\.254|a9fe|10\.0\.0\.5/);
  });
});

describe('SSRF guard with CCAG_OUTBOUND_ALLOW_PRIVATE', () => {
  let receiver: WebhookReceiver;
  const started: TestGateway[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    for (const gw of started) await gw.close();
    await receiver?.close();
  });

  async function gatewayWith(allow: string): Promise<TestGateway | undefined> {
    const gw = await startGateway({ database: 'sqlite', env: { CCAG_OUTBOUND_ALLOW_PRIVATE: allow } });
    if (gw) started.push(gw);
    return gw;
  }

  test('none, the default: a loopback webhook is refused', async (ctx) => {
    const gw = await gatewayWith('none');
    if (!gw) return ctx.skip();
    expectRefused(await gw.admin('PUT', '/notifications/draft', { type: 'webhook', url: receiver.url, signing_secret: SECRET }), 'url', '127.0.0.1');
  });

  test('a named range opens it again, and only it', async (ctx) => {
    const gw = await gatewayWith('127.0.0.1/32');
    if (!gw) return ctx.skip();
    expect((await gw.admin('PUT', '/notifications/draft', { type: 'webhook', url: receiver.url, signing_secret: SECRET })).status).toBe(200);
    expectRefused(await gw.admin('PUT', '/notifications/draft', { type: 'webhook', url: 'http://127.0.0.2:9/', signing_secret: SECRET }), 'url', '127.0.0.2');
  });
});
