/**
 * `ccag login --sso` and `ccag token` as child processes against a real gateway (SQLite and
 * PostgreSQL), while the test plays the person approving the device in a browser: the saved
 * sign-in, the token for Claude Code's apiKeyHelper, refresh when near expiry, and the message
 * once the sign-in has ended.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCcag } from '../support/cli-process.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { approveWithPassword, postForm } from '../support/device-flow.js';

interface Saved {
  token: string;
  refresh_token?: string;
  username?: string;
  expires_at?: string;
}

describe.each(['sqlite', 'postgres'] as const)('ccag login --sso and ccag token on %s', (database) => {
  let mock: MockAnthropic;
  const gateways: TestGateway[] = [];
  const configDirs: string[] = [];

  beforeAll(async () => {
    mock = await startMockAnthropic();
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    for (const dir of configDirs) rmSync(dir, { recursive: true, force: true });
    await mock?.close();
  });

  async function gateway(env: Record<string, string> = {}): Promise<TestGateway | undefined> {
    const started = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, ...env } });
    if (started) gateways.push(started);
    return started;
  }

  /** Runs `ccag login --sso` and approves its code in the "browser" once it appears. */
  async function loginWithSso(gw: TestGateway, configDir: string) {
    const login = runCcag(['login', '--sso', '--url', gw.url], { configDir });
    let userCode: string | undefined;
    for (let i = 0; i < 200 && !userCode; i++, await sleep(50)) {
      const row = await gw.store.db.selectFrom('oauth_device_codes').select('user_code').where('status', '=', 'pending').executeTakeFirst();
      userCode = row?.user_code;
    }
    expect(userCode).toBeDefined();
    await approveWithPassword(gw.url, userCode!, { username: ADMIN_USERNAME, password: ADMIN_PASSWORD });
    return { result: await login, userCode: `${userCode!.slice(0, 4)}-${userCode!.slice(4)}` };
  }

  const savedLogin = (configDir: string, url: string) =>
    (JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')) as { gateways: Record<string, Saved> }).gateways[url]!;
  const models = (gw: TestGateway, token: string) => fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });

  it('signs in through the browser, then "ccag token" prints the saved token and admin commands use it', async ({ skip }) => {
    const gw = await gateway();
    if (!gw) return skip();
    const configDir = mkdtempSync(join(tmpdir(), 'ccag-sso-'));
    configDirs.push(configDir);

    const { result, userCode } = await loginWithSso(gw, configDir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${gw.url}/oauth/device?user_code=${userCode}`);
    expect(result.stderr).toContain(userCode);
    expect(result.stdout).toContain(`Signed in to ${gw.url} as ${ADMIN_USERNAME}`);
    const saved = savedLogin(configDir, gw.url);
    expect(saved.token).toMatch(/^ccag-at-/);
    expect(saved.refresh_token).toMatch(/^ccag-rt-/);
    expect(Date.parse(saved.expires_at!)).toBeGreaterThan(Date.now() + 55 * 60_000);

    const printed = await runCcag(['token', '--url', gw.url], { configDir });
    expect(printed).toMatchObject({ code: 0, stderr: '', stdout: `${saved.token}\n` });
    expect((await models(gw, saved.token)).status).toBe(200);
    const json = await runCcag(['token', '--json'], { configDir });
    expect(JSON.parse(json.stdout)).toEqual({ access_token: saved.token, expires_at: saved.expires_at, email: ADMIN_USERNAME });

    const users = await runCcag(['users', 'list', '--json'], { configDir });
    expect(users.code, users.stderr).toBe(0);
    expect(JSON.parse(users.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ email: ADMIN_USERNAME })]));
  });

  it('refreshes a token within five minutes of expiry, and says so once the sign-in has ended', async ({ skip }) => {
    const gw = await gateway({ CCAG_OAUTH_ACCESS_TTL_MINUTES: '1' });
    if (!gw) return skip();
    const configDir = mkdtempSync(join(tmpdir(), 'ccag-sso-'));
    configDirs.push(configDir);
    expect((await loginWithSso(gw, configDir)).result.code).toBe(0);
    const first = savedLogin(configDir, gw.url);

    const printed = await runCcag(['token'], { configDir });
    expect(printed.code, printed.stderr).toBe(0);
    const second = savedLogin(configDir, gw.url);
    expect(printed.stdout).toBe(`${second.token}\n`);
    expect(second.token).not.toBe(first.token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await models(gw, second.token)).status).toBe(200);
    expect((await models(gw, first.token)).status).toBe(401);

    expect((await postForm(`${gw.url}/oauth/revoke`, { token: second.refresh_token!, token_type_hint: 'refresh_token' })).status).toBe(200);
    const ended = await runCcag(['token'], { configDir });
    expect(ended).toMatchObject({ code: 1, stdout: '', stderr: 'error: your sign-in has ended; run "ccag login --sso"\n' });
  });
});
