/**
 * Regression (issue 13): a request arriving during the SIGTERM drain got Fastify's default 503
 * body (`{"error":"Service Unavailable",...}`), not the documented 503 `shutting_down`
 * (`overloaded_error`). A real `ccag serve` process, a slow stream in flight, SIGTERM, then a
 * second request pipelined on the stream's connection (a kept-alive connection is the way a
 * request still reaches a server that has stopped accepting new ones).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { rawConnection } from '../support/raw-http.js';
import { startServe } from '../support/serve-process.js';

const PASSWORD = 'a-long-enough-password';

describe('requests during the shutdown drain (issue 13)', () => {
  let mock: MockAnthropic;
  let dataDir = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    dataDir = mkdtempSync(join(tmpdir(), 'ccag-drain-'));
  });
  afterAll(async () => {
    await mock.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a request arriving during the SIGTERM drain gets 503 shutting_down in the Anthropic envelope, and the stream in flight finishes', async () => {
    const serve = await startServe({ CCAG_DATA_DIR: dataDir, ADMIN_PASSWORD: PASSWORD, ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, LOG_LEVEL: 'warn' });
    try {
      const login = await fetch(`${serve.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      const { token } = (await login.json()) as { token: string };
      const created = await fetch(`${serve.url}/admin/keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ user_email: 'drain@example.com' }),
      });
      const { key } = (await created.json()) as { key: string };
      const request = (content: string) => {
        const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content }] });
        return `POST /v1/messages HTTP/1.1\r\nhost: gateway\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\nanthropic-version: 2023-06-01\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      };

      const connection = await rawConnection(serve.url);
      connection.write(request('[[chunks 16]] [[delay 100]] [[text abcdefghijklmnop]]'));
      await new Promise<void>((resolve) => connection.socket.once('data', () => resolve()));
      serve.child.kill('SIGTERM');
      // Shutdown has begun (the process logs nothing at warn): give the signal a moment to land.
      await new Promise((resolve) => setTimeout(resolve, 300));
      connection.write(request('hi'));

      const { text } = await connection.closed(15_000);
      expect(text).toContain('event: message_stop');
      const second = text.slice(text.indexOf('HTTP/1.1 503'));
      expect(second.startsWith('HTTP/1.1 503')).toBe(true);
      expect(second.toLowerCase()).toContain('connection: close');
      const body = JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4)) as unknown;
      expect(body).toEqual({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('shutting down') } });
      expect(await serve.exited).toBe(0);
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});
