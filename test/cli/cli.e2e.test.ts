/**
 * `ccag` as a user runs it: the built executable (`node dist/cli/main.js`, so run `npm run build`
 * first) in a child process, against a real gateway on SQLite and on PostgreSQL. Each test gets
 * its own CCAG_CONFIG_DIR and a scrubbed environment, so nothing leaks in from the machine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CCAG_MAIN, runCcagExecutable, type CliResult } from '../support/cli-process.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

// Nothing listens here: a URL that must never be the one used.
const DEAD_URL = 'http://127.0.0.1:9';

type Result = CliResult;

let configDir: string;
beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), 'ccag-cli-e2e-'));
});
afterEach(() => rmSync(configDir, { recursive: true, force: true }));

function ccag(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return runCcagExecutable(args, { configDir, ...options });
}

function json<T = any>(result: Result): T {
  expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function credentialsFile(): { current?: string; gateways: Record<string, { url: string; token: string }> } {
  return JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8'));
}

describe.each(['sqlite', 'postgres'] as const)('ccag against a gateway on %s', (database) => {
  let gateway: TestGateway | undefined;

  beforeAll(async () => {
    if (!existsSync(CCAG_MAIN)) throw new Error(`${CCAG_MAIN} is missing: run "npm run build" before these tests`);
    gateway = await startGateway({ database });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  async function login(gw: TestGateway): Promise<void> {
    const result = await ccag(['login', '--url', gw.url, '--username', gw.adminUsername, '--password-stdin'], { input: `${gw.adminPassword}\n` });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }

  it('logs in with the password on stdin and saves the token 0600, never printing it', async ({ skip }) => {
    if (!gateway) return skip();
    const result = await ccag(['login', '--url', `${gateway.url}/`, '--username', gateway.adminUsername, '--password-stdin', '--json'], {
      input: `${gateway.adminPassword}\n`,
    });
    const body = json<{ url: string; user: { email: string; role: string }; expires_at: string }>(result);
    expect(body.url).toBe(gateway.url);
    expect(body.user).toMatchObject({ email: gateway.adminUsername, role: 'admin' });
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now());

    const path = join(configDir, 'credentials.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const saved = credentialsFile();
    expect(saved.current).toBe(gateway.url);
    const token = saved.gateways[gateway.url]!.token;
    expect(token.length).toBeGreaterThan(10);
    expect(result.stdout).not.toContain(token);

    const human = await ccag(['login', '--username', gateway.adminUsername, '--password-stdin'], { input: gateway.adminPassword });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^Logged in to ${gateway.url} as ${gateway.adminUsername} \\(admin\\); the session expires .+ UTC\\.\\n$`));
  });

  it('creates, lists and revokes keys, showing the key only at creation', async ({ skip }) => {
    if (!gateway) return skip();
    await login(gateway);

    const createdResult = await ccag(['keys', 'create', '--user', 'dev@example.com', '--name', 'laptop', '--expires', '30d', '--json']);
    const created = json<{ key: string; id: string; prefix: string; status: string; expires_at: string; user_email: string; name: string }>(createdResult);
    expect(created.key).toMatch(/^sk-ccag-/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created).toMatchObject({ user_email: 'dev@example.com', name: 'laptop', status: 'active' });
    const days = (Date.parse(created.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    expect(createdResult.stderr).toMatch(/cannot be shown again/);

    const humanCreate = await ccag(['keys', 'create', '--user', 'dev@example.com']);
    expect(humanCreate.code).toBe(0);
    const secondKey = /^ {4}(sk-ccag-\S+)$/m.exec(humanCreate.stdout)?.[1];
    expect(secondKey).toBeDefined();
    expect(humanCreate.stdout).toMatch(/^Created key sk-ccag-\S+ for dev@example\.com\.$/m);
    expect(humanCreate.stdout).toMatch(/^Expires: +never$/m);

    const listed = json<Array<{ id: string; status: string }>>(await ccag(['keys', 'list', '--user', 'dev@example.com', '--json']));
    expect(listed.map((key) => key.id)).toContain(created.id);
    expect(listed.every((key) => key.status === 'active')).toBe(true);

    const table = await ccag(['keys', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID +PREFIX +NAME +USER +TEAM +STATUS +EXPIRES +CREATED$/m);
    expect(table.stdout).toContain(created.prefix);
    expect(table.stdout).not.toContain(created.key);
    expect(table.stdout).not.toContain(secondKey);

    const revoked = json<{ id: string; status: string; revoked_at: string }>(await ccag(['keys', 'revoke', created.prefix, '--json']));
    expect(revoked).toMatchObject({ id: created.id, status: 'revoked' });
    expect(revoked.revoked_at).toBeTruthy();

    const active = json<Array<{ id: string }>>(await ccag(['keys', 'list', '--json']));
    expect(active.map((key) => key.id)).not.toContain(created.id);
    const all = json<Array<{ id: string; status: string }>>(await ccag(['keys', 'list', '--all', '--json']));
    expect(all.find((key) => key.id === created.id)?.status).toBe('revoked');

    const again = await ccag(['keys', 'revoke', created.id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was already revoked');

    const unknown = await ccag(['keys', 'revoke', 'sk-ccag-zzzzzzzz']);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'error: no key matches "sk-ccag-zzzzzzzz"; see "ccag keys list --all"\n' });
  });

  it('adds, lists and removes endpoints without echoing credentials', async ({ skip }) => {
    if (!gateway) return skip();
    await login(gateway);

    const anthropic = json<{ id: string; name: string; kind: string; has_credentials: boolean }>(
      await ccag(['endpoints', 'add', 'anthropic', '--name', 'cli-anthropic', '--base-url', 'http://127.0.0.1:9', '--api-key-stdin', '--json'], {
        input: 'sk-ant-cli-test-secret\n',
      }),
    );
    expect(anthropic).toMatchObject({ name: 'cli-anthropic', kind: 'anthropic', has_credentials: true });

    const bedrockResult = await ccag(
      [
        'endpoints', 'add', 'bedrock', '--name', 'cli-bedrock', '--region', 'eu-west-1', '--routing-prefix', 'eu',
        '--access-key-id', 'AKIACLITEST', '--secret-access-key-stdin', '--endpoint-url', 'http://127.0.0.1:9',
      ],
      { input: 'aws-cli-test-secret\n' },
    );
    expect(bedrockResult.code).toBe(0);
    expect(bedrockResult.stdout).toMatch(/^Added Bedrock endpoint cli-bedrock\.$/m);
    expect(bedrockResult.stdout).toMatch(/^Auth: +static$/m);

    const listed = json<Array<{ id: string; name: string; kind: string; config: Record<string, unknown> }>>(await ccag(['endpoints', 'list', '--json']));
    expect(listed.map((endpoint) => endpoint.name)).toEqual(expect.arrayContaining(['cli-anthropic', 'cli-bedrock']));
    const table = await ccag(['endpoints', 'list']);
    expect(table.stdout).toMatch(/^ID +NAME +KIND +TARGET +AUTH +DEFAULT +ENABLED +PRIORITY$/m);
    expect(table.stdout).toMatch(/cli-bedrock +bedrock +eu-west-1 \(eu\.\*\) +static/);
    for (const output of [JSON.stringify(listed), table.stdout, bedrockResult.stdout]) {
      expect(output).not.toContain('sk-ant-cli-test-secret');
      expect(output).not.toContain('aws-cli-test-secret');
    }

    const removed = await ccag(['endpoints', 'remove', 'cli-bedrock']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Removed endpoint cli-bedrock \(.+\)\.$/m);
    expect(json<{ removed: boolean }>(await ccag(['endpoints', 'remove', anthropic.id, '--json'])).removed).toBe(true);
    const after = json<Array<{ name: string }>>(await ccag(['endpoints', 'list', '--json']));
    expect(after.map((endpoint) => endpoint.name)).not.toEqual(expect.arrayContaining(['cli-anthropic']));
    expect(after.map((endpoint) => endpoint.name)).not.toContain('cli-bedrock');

    const missing = await ccag(['endpoints', 'remove', 'cli-bedrock']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: no endpoint has the id or name "cli-bedrock"; see "ccag endpoints list"\n');
  });

  it('sets and lists prices', async ({ skip }) => {
    if (!gateway) return skip();
    await login(gateway);

    const row = json<Record<string, unknown>>(
      await ccag(['pricing', 'set', 'claude-cli-test', '--input', '3', '--output', '15', '--cache-read', '0.30', '--cache-write-5m', '3.75', '--cache-write-1h', '6', '--json']),
    );
    expect(row).toMatchObject({ model_prefix: 'claude-cli-test', input: 3, output: 15, cache_read: 0.3, cache_write_5m: 3.75, cache_write_1h: 6, source: 'manual' });

    const filtered = json<Array<{ model_prefix: string }>>(await ccag(['pricing', 'list', '--model', 'claude-cli', '--json']));
    expect(filtered.map((entry) => entry.model_prefix)).toEqual(['claude-cli-test']);
    const byModelId = json<Array<{ model_prefix: string }>>(await ccag(['pricing', 'list', '--model', 'claude-cli-test-20260101', '--json']));
    expect(byModelId.map((entry) => entry.model_prefix)).toContain('claude-cli-test');

    const table = await ccag(['pricing', 'list', '--model', 'claude-cli-test']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^MODEL PREFIX +INPUT +OUTPUT +CACHE READ +CACHE WRITE 5M +CACHE WRITE 1H +LONG CONTEXT +SOURCE +UPDATED$/m);
    expect(table.stdout).toMatch(/^claude-cli-test +3\.00 +15\.00 +0\.30 +3\.75 +6\.00 +- +manual /m);

    // `set` changes only the prices it is given: the cache prices stay.
    const changed = await ccag(['pricing', 'set', 'claude-cli-test', '--input', '4', '--output', '20', '--tier-threshold', '200k', '--tier-input', '8', '--tier-output', '40']);
    expect(changed.code).toBe(0);
    expect(changed.stderr).toBe('');
    expect(changed.stdout).toMatch(/^Long context: +>200k: 8\.00\/40\.00$/m);
    const [kept] = json<Array<Record<string, unknown>>>(await ccag(['pricing', 'list', '--model', 'claude-cli-test', '--json']));
    expect(kept).toMatchObject({ input: 4, output: 20, cache_read: 0.3, cache_write_5m: 3.75, cache_write_1h: 6, tier_threshold: 200_000, tier_input: 8 });

    const none = await ccag(['pricing', 'list', '--model', 'no-such-model']);
    expect(none.stdout).toBe('No price matches "no-such-model". Set one with: ccag pricing set no-such-model --input <usd> --output <usd>\n');
  });

  it('refuses a wrong password with one line and saves nothing', async ({ skip }) => {
    if (!gateway) return skip();
    const result = await ccag(['login', '--url', gateway.url, '--username', gateway.adminUsername, '--password-stdin'], { input: 'wrong-password\n' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: .+ \(HTTP 401, invalid_credentials\)\n$/);
    expect(existsSync(join(configDir, 'credentials.json'))).toBe(false);
  });

  it('explains a missing or rejected token', async ({ skip }) => {
    if (!gateway) return skip();
    const missing = await ccag(['keys', 'list', '--url', gateway.url]);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: not logged in to ${gateway.url}: run "ccag login --url ${gateway.url}", or pass --token or set $CCAG_TOKEN\n`,
    });

    const rejected = await ccag(['pricing', 'list', '--url', gateway.url], { env: { CCAG_TOKEN: 'not-a-session-token' } });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(new RegExp(`^error: .+ \\(HTTP 401, invalid_credentials\\); run "ccag login --url ${gateway.url}" or pass a valid --token\\n$`));
  });

  it('lets --url override $CCAG_URL, which overrides the saved gateway', async ({ skip }) => {
    if (!gateway) return skip();
    await login(gateway);
    // The saved gateway is the default...
    expect((await ccag(['keys', 'list', '--json'])).code).toBe(0);
    // ...$CCAG_URL beats it (and is unreachable here)...
    const viaEnv = await ccag(['keys', 'list', '--json'], { env: { CCAG_URL: DEAD_URL } });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr).toMatch(/^error: (cannot reach the gateway at http:\/\/127\.0\.0\.1:9|not logged in to http:\/\/127\.0\.0\.1:9)/);
    // ...and --url beats both, using the token saved for that URL.
    const viaFlag = await ccag(['keys', 'list', '--json', '--url', gateway.url], { env: { CCAG_URL: DEAD_URL } });
    expect(viaFlag.code).toBe(0);
    expect(Array.isArray(JSON.parse(viaFlag.stdout))).toBe(true);
    // A token from the environment reaches a gateway with no saved login.
    const token = credentialsFile().gateways[gateway.url]!.token;
    const withEnvToken = await ccag(['pricing', 'list', '--json', '--url', gateway.url], { env: { CCAG_TOKEN: token, CCAG_CONFIG_DIR: join(configDir, 'empty') } });
    expect(withEnvToken.code).toBe(0);
  });

  it('logs out: the session ends on the gateway and the token is forgotten', async ({ skip }) => {
    if (!gateway) return skip();
    await login(gateway);
    const token = credentialsFile().gateways[gateway.url]!.token;

    const result = await ccag(['logout']);
    expect(result).toEqual({ code: 0, stdout: `Logged out of ${gateway.url}.\n`, stderr: '' });
    expect(credentialsFile().gateways[gateway.url]).toBeUndefined();
    expect(credentialsFile().current).toBe(gateway.url);

    const after = await ccag(['keys', 'list']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`not logged in to ${gateway.url}`);
    const revoked = await ccag(['keys', 'list', '--token', token]);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('HTTP 401');

    expect(json(await ccag(['logout', '--json']))).toEqual({ url: gateway.url, logged_out: false });
  });
});
