/**
 * `ccag setup`'s pure parts: reading Claude Code's settings.json (and saying where it is broken),
 * merging each mode into it, printing it back, masking secrets, and spelling the apiKeyHelper
 * command for a shell.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteForSh, tokenHelperCommand, type CcagLocation } from '../../src/cli/ccag-command.js';
import { formatSettings, maskSecret, maskSettings, mergeSetup, parseSettings, SettingsFileError, type JsonObject } from '../../src/cli/claude-settings.js';
import { locateJsonProblem } from '../../src/cli/json-location.js';

const PATH = '/home/dev/.claude/settings.json';
const URL = 'https://ccag.example.com';
const KEY = `sk-ccag-7Hq2xP${'a'.repeat(58)}`;
const HELPER = `ccag token --url ${URL}`;
const key = { kind: 'key', key: KEY } as const;
const sso = { kind: 'sso', helper: HELPER } as const;
const login = { kind: 'login' } as const;

describe('parseSettings', () => {
  it('reads no file, an empty file and a byte-order mark as Claude Code does', () => {
    expect(parseSettings(undefined, PATH)).toEqual({});
    expect(parseSettings('', PATH)).toEqual({});
    expect(parseSettings(' \n\t', PATH)).toEqual({});
    expect(parseSettings('\uFEFF{"model":"opus"}', PATH)).toEqual({ model: 'opus' });
  });

  it.each([
    ['{\n  // my settings\n  "model": "opus"\n}', 'a comment at line 2, column 3 (Claude Code reads settings as plain JSON, without comments)'],
    ['{\n  "model": "opus" /* why */\n}', 'a comment at line 2, column 19 (Claude Code reads settings as plain JSON, without comments)'],
    ['{\n  "model": "opus",\n}', 'a trailing comma at line 2, column 18'],
    ['{"env": {"A": "1",}}', 'a trailing comma at line 1, column 18'],
    ['{"model": }', 'unexpected "}" at line 1, column 11'],
    ["{'model': 'opus'}", `unexpected "'" at line 1, column 2`],
    ['{"model": "opus"', 'unexpected end of file at line 1, column 17'],
    ['{"model": "op\nus"}', 'a line break or control character inside a string at line 1, column 14'],
    ['{"a": 1} {"b": 2}', 'unexpected "{" at line 1, column 10'],
    ['{"a": 01}', 'unexpected "1" at line 1, column 8'],
  ])('refuses %j, saying where', (text, where) => {
    expect(() => parseSettings(text, PATH)).toThrow(new SettingsFileError(`${PATH} is not valid JSON: ${where}; fix it and run ccag setup again (nothing was written)`));
  });

  it.each([
    ['[]', 'holds an array, not an object of settings'],
    ['null', 'holds null, not an object of settings'],
    ['"opus"', 'holds a string, not an object of settings'],
    ['42', 'holds a number, not an object of settings'],
  ])('refuses %s, which is not an object', (text, what) => {
    expect(() => parseSettings(text, PATH)).toThrow(`${PATH} ${what}; fix it and run ccag setup again (nothing was written)`);
  });

  it('refuses an env that is not an object, since it cannot be merged into', () => {
    expect(() => parseSettings('{"env": ["A=1"]}', PATH)).toThrow(`"env" in ${PATH} is an array, not an object of environment variables`);
  });

  it('is a CLI failure (exit 1), not a usage error', () => {
    expect(() => parseSettings('{', PATH)).toThrow(expect.objectContaining({ exitCode: 1 }));
  });
});

describe('locateJsonProblem', () => {
  // Whatever it says, it must agree with JSON.parse about what is valid.
  it.each([
    '{}',
    '[]',
    '{"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"]}',
    '  {"nested": {"deep": [[], {}]}}  ',
    '{"a": 1,}',
    '[1 2]',
    '{"a" 1}',
    '{"a": tru}',
    '{"a": "\\x"}',
    '{"a": -}',
    '{"a": 1.}',
    '',
    '{"a": 1}}',
  ])('agrees with JSON.parse on %j', (text) => {
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    expect(locateJsonProblem(text) === undefined).toBe(valid);
  });

  it('counts lines and columns from 1', () => {
    expect(locateJsonProblem('{\n\n    "a": ?\n}')).toEqual({ line: 3, column: 10, problem: 'unexpected "?"' });
  });
});

describe('mergeSetup', () => {
  it('fills an empty file for each mode', () => {
    expect(mergeSetup(parseSettings(undefined, PATH), URL, key)).toEqual({
      settings: { env: { ANTHROPIC_BASE_URL: URL, ANTHROPIC_AUTH_TOKEN: KEY } },
      changes: [
        { setting: 'env.ANTHROPIC_BASE_URL', action: 'added' },
        { setting: 'env.ANTHROPIC_AUTH_TOKEN', action: 'added' },
      ],
    });
    expect(mergeSetup({}, URL, sso)).toEqual({
      settings: { env: { ANTHROPIC_BASE_URL: URL }, apiKeyHelper: HELPER },
      changes: [
        { setting: 'env.ANTHROPIC_BASE_URL', action: 'added' },
        { setting: 'apiKeyHelper', action: 'added' },
      ],
    });
    expect(mergeSetup({}, URL, login)).toEqual({
      settings: { env: { ANTHROPIC_BASE_URL: URL } },
      changes: [{ setting: 'env.ANTHROPIC_BASE_URL', action: 'added' }],
    });
  });

  it('keeps every other setting and variable, in their order, and does not touch its input', () => {
    const current: JsonObject = {
      model: 'opus',
      env: { FOO: '1', ANTHROPIC_BASE_URL: 'http://old:8080', BAR: '2' },
      permissions: { allow: ['Bash(npm test)'] },
    };
    const before = structuredClone(current);
    const { settings, changes } = mergeSetup(current, URL, key);
    expect(JSON.stringify(settings)).toBe(
      JSON.stringify({
        model: 'opus',
        env: { FOO: '1', ANTHROPIC_BASE_URL: URL, BAR: '2', ANTHROPIC_AUTH_TOKEN: KEY },
        permissions: { allow: ['Bash(npm test)'] },
      }),
    );
    expect(changes).toEqual([
      { setting: 'env.ANTHROPIC_BASE_URL', action: 'replaced' },
      { setting: 'env.ANTHROPIC_AUTH_TOKEN', action: 'added' },
    ]);
    expect(current).toEqual(before);
  });

  it('removes the credentials that would compete with the chosen one', () => {
    const current = { apiKeyHelper: 'echo secret', env: { ANTHROPIC_API_KEY: 'sk-ant-x', ANTHROPIC_AUTH_TOKEN: 'old', OTHER: 'x' } };
    expect(mergeSetup(current, URL, key)).toEqual({
      settings: { env: { ANTHROPIC_AUTH_TOKEN: KEY, OTHER: 'x', ANTHROPIC_BASE_URL: URL } },
      changes: [
        { setting: 'env.ANTHROPIC_BASE_URL', action: 'added' },
        { setting: 'env.ANTHROPIC_AUTH_TOKEN', action: 'replaced' },
        { setting: 'env.ANTHROPIC_API_KEY', action: 'removed' },
        { setting: 'apiKeyHelper', action: 'removed' },
      ],
    });
    expect(mergeSetup(current, URL, sso)).toEqual({
      settings: { apiKeyHelper: HELPER, env: { OTHER: 'x', ANTHROPIC_BASE_URL: URL } },
      changes: [
        { setting: 'env.ANTHROPIC_BASE_URL', action: 'added' },
        { setting: 'env.ANTHROPIC_AUTH_TOKEN', action: 'removed' },
        { setting: 'env.ANTHROPIC_API_KEY', action: 'removed' },
        { setting: 'apiKeyHelper', action: 'replaced' },
      ],
    });
    expect(mergeSetup(current, URL, login).settings).toEqual({ env: { OTHER: 'x', ANTHROPIC_BASE_URL: URL } });
  });

  it('changes nothing the second time', () => {
    for (const mode of [key, sso, login]) {
      const once = mergeSetup({ model: 'opus' }, URL, mode).settings;
      const twice = mergeSetup(once, URL, mode);
      expect(twice.changes).toEqual([]);
      expect(twice.settings).toBe(once);
    }
  });

  it('replaces a value of the wrong type', () => {
    expect(mergeSetup({ env: { ANTHROPIC_BASE_URL: 8080 } }, URL, login).changes).toEqual([{ setting: 'env.ANTHROPIC_BASE_URL', action: 'replaced' }]);
  });
});

describe('formatSettings', () => {
  const settings = { env: { A: '1' } };

  it('uses two spaces and a final newline for a new file', () => {
    expect(formatSettings(settings, undefined)).toBe('{\n  "env": {\n    "A": "1"\n  }\n}\n');
    expect(formatSettings(settings, '{}')).toBe('{\n  "env": {\n    "A": "1"\n  }\n}\n');
  });

  it("keeps the file's indentation and line endings", () => {
    expect(formatSettings(settings, '{\n    "model": "opus"\n}')).toBe('{\n    "env": {\n        "A": "1"\n    }\n}\n');
    expect(formatSettings(settings, '{\n\t"model": "opus"\n}')).toBe('{\n\t"env": {\n\t\t"A": "1"\n\t}\n}\n');
    expect(formatSettings(settings, '{\r\n  "model": "opus"\r\n}\r\n')).toBe('{\r\n  "env": {\r\n    "A": "1"\r\n  }\r\n}\r\n');
  });
});

describe('masking', () => {
  it("shows a key's prefix as ccag keys list does, and never more than a quarter of a secret", () => {
    expect(maskSecret(KEY)).toBe('sk-ccag-7Hq2xP…');
    expect(maskSecret('ghp_0123456789abcdef0123')).toBe('ghp_01…');
    expect(maskSecret('hunter2')).toBe('h…');
    expect(maskSecret('abc')).toBe('…');
  });

  it('masks env values with secret names only', () => {
    const settings = {
      apiKeyHelper: HELPER,
      env: {
        ANTHROPIC_BASE_URL: URL,
        ANTHROPIC_AUTH_TOKEN: KEY,
        AWS_SECRET_ACCESS_KEY: 'abcdefghijklmnop',
        ANTHROPIC_CUSTOM_HEADERS: 'Authorization: Bearer xyz',
        DB_PASSWORD_FILE: '/run/secrets/db',
        CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '300000',
      },
    };
    expect(maskSettings(settings)).toEqual({
      apiKeyHelper: HELPER,
      env: {
        ANTHROPIC_BASE_URL: URL,
        ANTHROPIC_AUTH_TOKEN: 'sk-ccag-7Hq2xP…',
        AWS_SECRET_ACCESS_KEY: 'abcd…',
        ANTHROPIC_CUSTOM_HEADERS: 'Author…',
        DB_PASSWORD_FILE: '/ru…',
        CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '300000',
      },
    });
  });
});

describe('the apiKeyHelper command', () => {
  const location: CcagLocation = { onPath: false, node: '/usr/bin/node', script: '/opt/ccag/dist/cli/main.js', configDir: undefined, platform: 'linux' };

  it('says "ccag" only when that is this ccag on PATH, else names Node and the script', () => {
    expect(tokenHelperCommand(URL, { ...location, onPath: true })).toBe(`ccag token --url ${URL}`);
    expect(tokenHelperCommand(URL, location)).toBe(`/usr/bin/node /opt/ccag/dist/cli/main.js token --url ${URL}`);
  });

  it('carries a config directory that is not the default one', () => {
    expect(tokenHelperCommand(URL, { ...location, onPath: true, configDir: '/srv/ccag' })).toBe(`CCAG_CONFIG_DIR=/srv/ccag ccag token --url ${URL}`);
  });

  it('quotes paths for the shell that runs it', () => {
    const odd = { ...location, node: "/Users/o'brien/.nvm/node", script: '/Users/me/My Tools/ccag/main.js', configDir: '/tmp/a b' };
    expect(tokenHelperCommand(URL, odd)).toBe(`CCAG_CONFIG_DIR='/tmp/a b' '/Users/o'\\''brien/.nvm/node' '/Users/me/My Tools/ccag/main.js' token --url ${URL}`);
    const windows = { ...location, platform: 'win32' as const, node: 'C:\\Program Files\\nodejs\\node.exe', script: 'C:\\ccag\\main.js' };
    expect(tokenHelperCommand(URL, windows)).toBe(`"C:\\Program Files\\nodejs\\node.exe" C:\\ccag\\main.js token --url ${URL}`);
  });

  it.skipIf(process.platform === 'win32')('survives /bin/sh word for word', () => {
    for (const word of ["it's", 'a b', '$HOME', '`id`', 'semi;colon', 'back\\slash', '"double"', 'ünï', '*']) {
      expect(execFileSync('/bin/sh', ['-c', `printf '%s' ${quoteForSh(word)}`], { encoding: 'utf8' })).toBe(word);
    }
  });
});
