/**
 * `ccag serve` as a process: first start on the embedded default, settings validation, and
 * SIGTERM draining an in-flight stream and flushing the ledger before exit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { CLI, startServe } from '../support/serve-process.js';

describe('ccag serve', () => {
  let mock: MockAnthropic;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccag-serve-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    mock = await startMockAnthropic();
  });
  afterAll(async () => {
    await mock.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a wrong setting stops start-up with a message naming it', () => {
    const result = spawnSync(process.execPath, [CLI, 'serve'], {
      env: { PATH: process.env.PATH ?? '', CCAG_DATA_DIR: tempDir(), PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT');
  });

  test('first start creates the SQLite file, a generated admin password and the default upstream', async () => {
    const dataDir = tempDir();
    const serve = await startServe({ CCAG_DATA_DIR: dataDir, ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url });
    try {
      const stderr = serve.stderr();
      expect(stderr).toContain('generated password');
      expect(stderr).toContain('ccag login');
      expect(stderr).toContain('Created the default upstream "anthropic"');
      const password = /generated password[^\n]*\n\s+(\S+)/.exec(stderr)![1]!;
      const login = await fetch(`${serve.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
    } finally {
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }
  });

  test('SIGTERM lets an in-flight stream finish, flushes its ledger row, then exits 0', async () => {
    const dataDir = tempDir();
    const serve = await startServe({
      CCAG_DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'a-long-enough-password',
      ANTHROPIC_API_KEY: mock.apiKey,
      ANTHROPIC_UPSTREAM_URL: mock.url,
      // A long flush interval: only the shutdown flush can have written the row.
      CCAG_LEDGER_FLUSH_MS: '600000',
    });
    const login = await fetch(`${serve.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'a-long-enough-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${serve.url}/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ user_email: 'drain@example.com' }),
    });
    const { key } = (await created.json()) as { key: string };

    const response = await fetch(`${serve.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: '[[chunks 20]] [[delay 75]] [[usage in=77 out=20]] [[text abcdefghijklmnopqrstuvwxyz0123456789]]' }],
      }),
    });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('message_start');
    serve.child.kill('SIGTERM');

    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('event: message_stop');
    expect(await serve.exited).toBe(0);

    const store = await openStore({ sqlitePath: join(dataDir, 'ccag.db') });
    try {
      const rows = await store.db.selectFrom('spend_ledger').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 200, input_tokens: 77, output_tokens: 20, usage_estimated: 0 });
    } finally {
      await store.close();
    }
  });
});
