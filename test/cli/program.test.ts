/**
 * The exit-code and stderr contract, driven in-process (no gateway needed): usage errors exit 2
 * with one line, runtime failures exit 1 with one line, --help and --version exit 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/cli/credentials.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

let configDir: string;
beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), 'ccag-cli-'));
});
afterEach(() => rmSync(configDir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = {
    // An unroutable port: anything that does reach the network fails fast.
    env: { CCAG_CONFIG_DIR: configDir, CCAG_URL: 'http://127.0.0.1:9', ...env },
    stdin,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  const code = await runCli(['node', 'ccag', ...args], io);
  return { code, stdout, stderr };
}

describe('ccag exit codes', () => {
  it('prints the version and help with exit 0', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const help = await run(['keys', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--expires <when>');
    expect(help.stdout).toContain('--json');
  });

  it.each([
    [['users', 'create'], "error: missing required argument 'email'"],
    [['keys', 'list', '--bogus'], "error: unknown option '--bogus'"],
    [['kyes'], "error: unknown command 'kyes'"],
    [['keys', 'create', '--user', 'a@example.com', '--expires', 'soon'], "error: option '--expires <when>' argument 'soon' is invalid."],
    [['pricing', 'set', 'claude', '--input', 'x', '--output', '1'], "error: option '--input <usd>' argument 'x' is invalid."],
    [['serve', '--port', '99999'], "error: option '--port <n>' argument '99999' is invalid."],
    [['endpoints', 'add', 'anthropic', '--name', 'a', '--api-key', 'k', '--api-key-stdin'], 'error: option'],
    [['keys', 'list', '--url', 'ftp://x'], 'error: --url: "ftp://x" must start with http:// or https://'],
    [['login', '--username', 'admin'], 'error: no password: use --password-stdin'],
    [['login', '--password-stdin'], 'error: no username: pass --username'],
    [['endpoints', 'add', 'anthropic', '--name', 'a'], 'error: an API key is required'],
    [['endpoints', 'add', 'bedrock', '--name', 'b', '--region', 'us-east-1', '--auth', 'static'], 'error: --auth static needs'],
  ])('%j is a usage error: exit 2 and one line', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('says how to log in when there is no token', async () => {
    const result = await run(['keys', 'list']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: not logged in to http://127.0.0.1:9: run "ccag login --url http://127.0.0.1:9", or pass --token or set $CCAG_TOKEN\n',
    });
  });

  it('reports an unreachable gateway as a runtime failure', async () => {
    const result = await run(['pricing', 'list', '--json'], { CCAG_TOKEN: 't' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot reach the gateway at http:\/\/127\.0\.0\.1:9 \(.+\); check --url or \$CCAG_URL\n$/);
  });

  it('forgets the saved token on logout even when the gateway cannot be told, and says so', async () => {
    const store = CredentialStore.forEnv({ CCAG_CONFIG_DIR: configDir });
    store.save({ url: 'http://127.0.0.1:9', token: 'saved-token', saved_at: '2026-01-01T00:00:00Z' });
    const result = await run(['logout']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^warning: the saved token for http:\/\/127\.0\.0\.1:9 was forgotten, .+\nerror: cannot reach the gateway/);
    expect(store.get('http://127.0.0.1:9')).toBeUndefined();
  });

  it('treats an expired saved session as not logged in, without a request', async () => {
    const store = CredentialStore.forEnv({ CCAG_CONFIG_DIR: configDir });
    store.save({ url: 'http://127.0.0.1:9', token: 't', expires_at: '2025-12-31T00:00:00.000Z', saved_at: '2025-12-30T00:00:00Z' });
    const result = await run(['keys', 'list'], { CCAG_URL: '' });
    expect(result).toMatchObject({ code: 1, stderr: 'error: the session for http://127.0.0.1:9 expired at 2025-12-31T00:00:00.000Z: run "ccag login --url http://127.0.0.1:9"\n' });
  });

  it('reports an empty --password-stdin as a usage error', async () => {
    const result = await run(['login', '--username', 'admin', '--password-stdin']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --password-stdin was given but stdin held no password\n');
  });
});
