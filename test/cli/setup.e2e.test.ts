/**
 * `ccag setup` as a developer runs it: the built CLI in a child process with a throwaway HOME,
 * editing Claude Code's settings.json (create, merge, dry run, idempotence, backup, refusal),
 * `--check` against a real gateway, and the proof that matters: the pinned Claude Code CLI,
 * given nothing but the HOME that `ccag setup` wrote into (no ANTHROPIC_* variables), reaches the
 * gateway with the key, and with the single sign-on through `ccag token` as its apiKeyHelper.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteForSh } from '../../src/cli/ccag-command.js';
import { CCAG_MAIN } from '../support/cli-process.js';
import { approveWithPassword } from '../support/device-flow.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';

const URL = 'https://ccag.example.com';
const KEY = `sk-ccag-7Hq2xP${'0123456789abcdef'.repeat(4).slice(6)}`;
const MASKED = 'sk-ccag-7Hq2xP…';
const CLAUDE_BIN = join(process.cwd(), 'node_modules', '.bin', 'claude');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const homes: string[] = [];
function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'ccag-setup-'));
  homes.push(home);
  return home;
}
afterAll(() => homes.forEach((home) => rmSync(home, { recursive: true, force: true })));

/** The built ccag with only PATH and a private HOME (so the default ~/.claude and ~/.config/ccag are the test's). */
function ccag(args: string[], options: { home: string; cwd?: string; input?: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CCAG_MAIN, ...args], {
      cwd: options.cwd ?? options.home,
      env: { PATH: process.env.PATH ?? '', HOME: options.home, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * The pinned Claude Code in print mode with HOME as its only configuration: unlike
 * support/claude-code.ts it gets no CLAUDE_CONFIG_DIR, so it finds ~/.claude/settings.json
 * where ccag setup put it, and no ANTHROPIC_* variables at all.
 */
function claude(prompt: string, home: string): Promise<Run & { json: Record<string, unknown> | undefined }> {
  return new Promise((resolve) => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      CLAUDE_CODE_MAX_RETRIES: '0',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
    };
    const child = execFile(CLAUDE_BIN, ['-p', prompt, '--output-format', 'json'], { cwd: home, timeout: 90_000, env }, (error, stdout, stderr) => {
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr, json });
    });
    child.stdin?.end();
  });
}

const settingsOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const modeOf = (path: string) => statSync(path).mode & 0o777;

beforeAll(() => {
  if (!existsSync(CCAG_MAIN)) throw new Error(`${CCAG_MAIN} is missing: run "npm run build" before these tests`);
});

describe('ccag setup on the settings file', () => {
  it('creates ~/.claude/settings.json readable by its owner only, and says what it did', async () => {
    const home = newHome();
    const path = join(home, '.claude', 'settings.json');
    const result = await ccag(['setup', '--key', KEY, '--url', URL], { home });
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        `Claude Code will use the gateway ${URL} with the key ${MASKED}.`,
        '',
        `  added     env.ANTHROPIC_BASE_URL    ${URL}`,
        `  added     env.ANTHROPIC_AUTH_TOKEN  ${MASKED}`,
        '',
        `Created ${path} (readable by you only).`,
        'Next: run claude',
        '',
      ].join('\n'),
    });
    expect(readFileSync(path, 'utf8')).toBe(`{\n  "env": {\n    "ANTHROPIC_BASE_URL": "${URL}",\n    "ANTHROPIC_AUTH_TOKEN": "${KEY}"\n  }\n}\n`);
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(join(home, '.claude'))).toBe(0o700);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('writes where $CLAUDE_CONFIG_DIR says, as Claude Code reads it', async () => {
    const home = newHome();
    const configDir = join(home, 'elsewhere');
    const result = await ccag(['setup', '--url', URL], { home, env: { CLAUDE_CONFIG_DIR: configDir } });
    expect(result.code, result.stderr).toBe(0);
    expect(settingsOf(join(configDir, 'settings.json'))).toEqual({ env: { ANTHROPIC_BASE_URL: URL } });
    expect(existsSync(join(home, '.claude'))).toBe(false);
    expect(result.stdout).toContain('Next: run claude, then /login\n');
  });

  it('merges into an existing file: other settings, variables, order, indentation and mode stay; competing credentials go, with a warning; the old file is backed up', async () => {
    const home = newHome();
    const path = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const original = '{\n    "model": "opus",\n    "apiKeyHelper": "~/bin/get-key",\n    "env": {\n        "FOO": "1",\n        "ANTHROPIC_API_KEY": "sk-ant-old"\n    },\n    "permissions": {"allow": ["Bash(npm test)"]}\n}\n';
    writeFileSync(path, original, { mode: 0o640 });

    const result = await ccag(['setup', '--key', KEY, '--url', URL], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      [
        `warning: removing env.ANTHROPIC_API_KEY from ${path}: Claude Code would send that credential alongside the key, and the gateway might use it instead`,
        `warning: removing apiKeyHelper from ${path}: Claude Code would send that credential alongside the key, and the gateway might use it instead`,
        `warning: ${path} is readable by other users (mode 640); with your key in it, run: chmod 600 ${path}`,
        '',
      ].join('\n'),
    );
    expect(result.stdout).toContain(`  removed   env.ANTHROPIC_API_KEY\n  removed   apiKeyHelper\n`);
    expect(result.stdout).toContain(`Updated ${path} (the previous version is in ${path}.bak).\n`);
    expect(readFileSync(path, 'utf8')).toBe(
      `{\n    "model": "opus",\n    "env": {\n        "FOO": "1",\n        "ANTHROPIC_BASE_URL": "${URL}",\n        "ANTHROPIC_AUTH_TOKEN": "${KEY}"\n    },\n    "permissions": {\n        "allow": [\n            "Bash(npm test)"\n        ]\n    }\n}\n`,
    );
    expect(modeOf(path)).toBe(0o640);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(original);
    expect(modeOf(`${path}.bak`)).toBe(0o640);
  });

  it('changes nothing the second time, and says so', async () => {
    const home = newHome();
    const path = join(home, '.claude', 'settings.json');
    const state = () => ({
      text: readFileSync(path, 'utf8'),
      mtime: statSync(path).mtimeMs,
      backup: existsSync(`${path}.bak`) ? readFileSync(`${path}.bak`, 'utf8') : null,
    });
    for (const args of [['--key', KEY], ['--sso'], []]) {
      expect((await ccag(['setup', ...args, '--url', URL], { home })).code).toBe(0);
      const before = state();
      const again = await ccag(['setup', ...args, '--url', URL], { home });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^Claude Code already uses the gateway /);
      expect(again.stdout).toContain(`${path} is already set up: nothing changed.\n`);
      expect(state()).toEqual(before);
      const json = JSON.parse((await ccag(['setup', ...args, '--url', URL, '--json'], { home })).stdout) as { changed: boolean; changes: unknown[]; backup: unknown };
      expect(json).toMatchObject({ changed: false, changes: [], backup: null });
    }
  });

  it('--dry-run prints the result with the key masked and writes nothing', async () => {
    const home = newHome();
    const path = join(home, '.claude', 'settings.json');
    const human = await ccag(['setup', '--key', KEY, '--url', URL, '--dry-run'], { home });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Dry run: ${path} would be created as below; nothing was written.\n\n{\n  "env": {\n    "ANTHROPIC_BASE_URL": "${URL}",\n    "ANTHROPIC_AUTH_TOKEN": "${MASKED}"\n  }\n}\n`);
    expect(human.stdout).not.toContain(KEY);
    expect(existsSync(join(home, '.claude'))).toBe(false);

    mkdirSync(join(home, '.claude'));
    writeFileSync(path, '{"model":"opus"}');
    const json = await ccag(['setup', '--key', KEY, '--url', URL, '--dry-run', '--json'], { home });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      path,
      url: URL,
      mode: 'key',
      dry_run: true,
      changed: true,
      backup: null,
      changes: [
        { setting: 'env.ANTHROPIC_BASE_URL', action: 'added' },
        { setting: 'env.ANTHROPIC_AUTH_TOKEN', action: 'added' },
      ],
      settings: { model: 'opus', env: { ANTHROPIC_BASE_URL: URL, ANTHROPIC_AUTH_TOKEN: MASKED } },
    });
    const revealed = await ccag(['setup', '--key', KEY, '--url', URL, '--dry-run', '--json', '--show-secrets'], { home });
    expect(JSON.parse(revealed.stdout)).toMatchObject({ settings: { env: { ANTHROPIC_AUTH_TOKEN: KEY } } });
    expect(readFileSync(path, 'utf8')).toBe('{"model":"opus"}');
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('refuses a file that is not plain JSON, saying where, and leaves it alone', async () => {
    const home = newHome();
    const path = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const original = '{\n  // my model\n  "model": "opus"\n}\n';
    writeFileSync(path, original);
    const result = await ccag(['setup', '--key', KEY, '--url', URL], { home });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: ${path} is not valid JSON: a comment at line 2, column 3 (Claude Code reads settings as plain JSON, without comments); fix it and run ccag setup again (nothing was written)\n`,
    });
    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('reads the key from stdin with --key -', async () => {
    const home = newHome();
    const result = await ccag(['setup', '--key', '-', '--url', URL], { home, input: `${KEY}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(settingsOf(join(home, '.claude', 'settings.json'))).toEqual({ env: { ANTHROPIC_BASE_URL: URL, ANTHROPIC_AUTH_TOKEN: KEY } });
  });

  it('--project edits ./.claude/settings.json and warns that it is usually committed', async () => {
    const home = newHome();
    const project = join(home, 'project');
    mkdirSync(project);
    const result = await ccag(['setup', '--project', '--key', KEY, '--url', URL], { home, cwd: project });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: .claude/settings.json is usually committed to version control');
    expect(settingsOf(join(project, '.claude', 'settings.json'))).toMatchObject({ env: { ANTHROPIC_AUTH_TOKEN: KEY } });
    expect(existsSync(join(home, '.claude'))).toBe(false);
  });

  it('edits the file a symlinked settings.json points to, and keeps the link', async () => {
    const home = newHome();
    const real = join(home, 'dotfiles', 'claude-settings.json');
    mkdirSync(join(home, 'dotfiles'));
    mkdirSync(join(home, '.claude'));
    writeFileSync(real, '{"model":"opus"}\n');
    symlinkSync(real, join(home, '.claude', 'settings.json'));
    expect((await ccag(['setup', '--url', URL], { home })).code).toBe(0);
    expect(lstatSync(join(home, '.claude', 'settings.json')).isSymbolicLink()).toBe(true);
    expect(settingsOf(real)).toEqual({ model: 'opus', env: { ANTHROPIC_BASE_URL: URL } });
    expect(readFileSync(join(home, '.claude', 'settings.json.bak'), 'utf8')).toBe('{"model":"opus"}\n');
  });

  it('--sso names this ccag by absolute paths when "ccag" on PATH is not it, and says how to sign in', async () => {
    const home = newHome();
    const result = await ccag(['setup', '--sso', '--url', URL], { home });
    expect(result.code, result.stderr).toBe(0);
    expect(settingsOf(join(home, '.claude', 'settings.json'))).toEqual({
      env: { ANTHROPIC_BASE_URL: URL },
      apiKeyHelper: `${quoteForSh(process.execPath)} ${quoteForSh(CCAG_MAIN)} token --url ${URL}`,
    });
    expect(result.stderr).toBe(`warning: you are not signed in to ${URL} with single sign-on yet: run "ccag login --sso --url ${URL}" (or ccag setup --sso --login)\n`);
    expect(result.stdout).toContain(`Next: run "ccag login --sso --url ${URL}", then claude\n`);
  });

  it.each([
    [['--key', 'sk-ant-api03-abc'], 'error: --key takes a virtual key (sk-ccag-..., as "ccag keys create" prints it); for single sign-on use --sso'],
    [['--key', KEY, '--sso'], "error: option '--key <key>' cannot be used with option '--sso'"],
    [['--login'], 'error: --login signs in for single sign-on: add --sso'],
    [['--sso', '--login', '--dry-run'], "error: option '--dry-run' cannot be used with option '--login'"],
    [['--project', '--settings-file', 'x.json'], "error: option '--settings-file <path>' cannot be used with option '--project'"],
    [['--key', '-'], 'error: --key - was given but stdin held no key'],
  ])('%j is a usage error: exit 2, one line, nothing written', async (args, message) => {
    const home = newHome();
    expect(await ccag(['setup', ...args, '--url', URL], { home })).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
    expect(existsSync(join(home, '.claude'))).toBe(false);
  });
});

describe('ccag setup with a gateway, and Claude Code through it', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let key: { key: string; id: string };

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (gw) key = await gw.createKey('setup-user@example.com');
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  /** Runs Claude Code, then returns the POSTs the mock's Messages API saw and the ledger rows they made. */
  async function claudeThroughGateway(prompt: string, home: string) {
    const [requestsBefore, rowsBefore] = [mock.requests.length, (await gw!.ledgerRows(0)).length];
    const answer = await claude(prompt, home);
    const posts = mock.requests.slice(requestsBefore).filter((request) => request.method === 'POST' && request.url.startsWith('/v1/messages'));
    const rows = (await gw!.ledgerRows(rowsBefore + posts.length)).slice(rowsBefore);
    return { answer, posts, rows };
  }

  it('--check writes only once the gateway answers and accepts the key', async ({ skip }) => {
    if (!gw) return skip();
    const home = newHome();
    const path = join(home, '.claude', 'settings.json');

    const refused = await ccag(['setup', '--check', '--key', `sk-ccag-${'f'.repeat(64)}`, '--url', gw.url], { home });
    expect(refused).toEqual({ code: 1, stdout: '', stderr: 'error: the gateway refused the key (HTTP 401): it is mistyped, revoked or expired; nothing was written\n' });
    const unreachable = await ccag(['setup', '--check', '--key', key.key, '--url', 'http://127.0.0.1:9'], { home });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^error: cannot reach the gateway at http:\/\/127\.0\.0\.1:9 \(.+\); check --url; nothing was written\n$/);
    expect(existsSync(path)).toBe(false);

    const accepted = await ccag(['setup', '--check', '--key', key.key, '--url', gw.url], { home });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain(`Checked: ${gw.url} answers and accepts the key.\n`);
    const signIn = await ccag(['setup', '--check', '--url', gw.url], { home });
    expect(signIn.stdout).toContain(`Checked: ${gw.url} answers and offers sign-in.\n`);
  });

  it('with a key: Claude Code reaches the gateway from the settings file alone', async ({ skip }) => {
    if (!gw) return skip();
    const home = newHome();
    const setup = await ccag(['setup', '--key', '-', '--url', gw.url], { home, input: key.key });
    expect(setup.code, setup.stderr).toBe(0);

    const { answer, posts, rows } = await claudeThroughGateway('Say hello [[text Hello through ccag setup.]] [[usage in=123 out=7]]', home);
    expect(answer.json, answer.stderr + answer.stdout).toMatchObject({ type: 'result', is_error: false, result: 'Hello through ccag setup.' });
    expect(posts.length).toBeGreaterThan(0);
    // The gateway swapped the key for its upstream credential...
    for (const post of posts) expect(post.headers['x-api-key']).toBe(mock.apiKey);
    // ...and billed every request to the key that ccag setup wrote.
    expect(rows.length).toBe(posts.length);
    for (const row of rows) expect(row).toMatchObject({ key_id: key.id, status: 200 });
  });

  it('with single sign-on: --sso --login signs in, and Claude Code runs "ccag token" as its apiKeyHelper', async ({ skip }) => {
    if (!gw) return skip();
    const home = newHome();
    // Not the default directory, with a space and a quote: the helper must carry it, quoted.
    const configDir = join(home, "ccag's config");
    const setup = ccag(['setup', '--sso', '--login', '--url', gw.url], { home, env: { CCAG_CONFIG_DIR: configDir } });
    let userCode: string | undefined;
    for (let i = 0; i < 200 && !userCode; i++, await sleep(50)) {
      const row = await gw.store.db.selectFrom('oauth_device_codes').select('user_code').where('status', '=', 'pending').executeTakeFirst();
      userCode = row?.user_code;
    }
    expect(userCode).toBeDefined();
    await approveWithPassword(gw.url, userCode!, { username: ADMIN_USERNAME, password: ADMIN_PASSWORD });
    const result = await setup;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('To sign in, open this page in a browser:');
    expect(result.stderr).toContain(`Signed in to ${gw.url} as ${ADMIN_USERNAME}.\n`);
    expect(result.stdout).toContain('Next: run claude\n');
    expect(settingsOf(join(home, '.claude', 'settings.json'))).toEqual({
      env: { ANTHROPIC_BASE_URL: gw.url },
      apiKeyHelper: `CCAG_CONFIG_DIR=${quoteForSh(configDir)} ${quoteForSh(process.execPath)} ${quoteForSh(CCAG_MAIN)} token --url ${gw.url}`,
    });

    const { answer, posts, rows } = await claudeThroughGateway('Say hello [[text Hello with single sign-on.]] [[usage in=50 out=5]]', home);
    expect(answer.json, answer.stderr + answer.stdout).toMatchObject({ type: 'result', is_error: false, result: 'Hello with single sign-on.' });
    const admin = await gw.store.db.selectFrom('users').select('id').where('email', '=', ADMIN_USERNAME).executeTakeFirstOrThrow();
    expect(posts.length).toBeGreaterThan(0);
    expect(rows.length).toBe(posts.length);
    for (const row of rows) expect(row).toMatchObject({ key_id: null, user_id: admin.id, status: 200 });
  });
});
