/**
 * Optional TLS termination (docs/security.md#tls): with CCAG_TLS_CERT_FILE and CCAG_TLS_KEY_FILE
 * the gateway listens with HTTPS. A self-signed certificate for 127.0.0.1 is made with openssl;
 * the Anthropic SDK and fetch trust it through an undici Agent with that CA, and a client that
 * does not know the CA is refused by its own TLS check.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

const MODEL = 'claude-haiku-4-5-20251001';

describe('TLS termination', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccag-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let trusting: Agent;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    trusting = new Agent({ connect: { ca: readFileSync(certFile) } });
    mock = await startMockAnthropic();
    gw = await startGateway({
      database: 'sqlite',
      env: { CCAG_TLS_CERT_FILE: certFile, CCAG_TLS_KEY_FILE: keyFile, ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
    await trusting?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('listens with HTTPS: /health over TLS with the CA, refused by a client without it', async (ctx) => {
    if (!gw) return ctx.skip();
    expect(gw.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await undiciFetch(`${gw.url}/health`, { dispatcher: trusting });
    expect(health.status).toBe(200);
    const untrusted = await fetch(`${gw.url}/health`).then(() => undefined, (error: Error & { cause?: { code?: string } }) => error.cause?.code);
    expect(untrusted).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  test('the Anthropic SDK through the TLS listener, with a virtual key', async (ctx) => {
    if (!gw) return ctx.skip();
    // The harness's admin helpers use global fetch, which does not trust the test CA: in-process instead.
    const login = await gw.app.fastify.inject({ method: 'POST', url: '/admin/login', payload: { username: gw.adminUsername, password: gw.adminPassword } });
    const created = await gw.app.fastify.inject({ method: 'POST', url: '/admin/keys', headers: { authorization: `Bearer ${login.json<{ token: string }>().token}` }, payload: { user_email: 'tls@example.com' } });
    const key = created.json<{ key: string }>();
    // The SDK's fetch, trusting the test CA: undici's fetch with the Agent that carries it.
    const trustingFetch = ((url: string, init?: object) => undiciFetch(url, { ...init, dispatcher: trusting })) as unknown as typeof fetch;
    const client = new Anthropic({ apiKey: key.key, baseURL: gw.url, maxRetries: 0, fetch: trustingFetch });
    const message = await client.messages.create({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toEqual({ type: 'text', text: 'Hello from the mock.' });
  });

  test('one of the two files alone stops start-up', () => {
    expect(() => loadSettings({ env: { CCAG_TLS_CERT_FILE: certFile } })).toThrow('set both (the certificate chain and its private key) or neither');
  });
});
