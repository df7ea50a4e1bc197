import { describe, expect, it } from 'vitest';
import {
  apiKeyHelperCommand,
  baseUrlSettings,
  gatewayBase,
  gatewayLoginCommand,
  KEY_PLACEHOLDER,
  keySettings,
  keySetupCommand,
  shellQuote,
  ssoCommands,
} from '../../portal/src/features/connect/connect-snippets.js';

const URL = 'https://ccag.example.com';
const KEY = 'sk-ccag-1a2b3c4d5e6f';

describe('gatewayBase', () => {
  it('drops trailing slashes and whitespace', () => {
    expect(gatewayBase(' https://ccag.example.com/// ')).toBe(URL);
    expect(gatewayBase('http://127.0.0.1:18130')).toBe('http://127.0.0.1:18130');
  });
});

describe('shellQuote', () => {
  it('leaves safe words bare', () => {
    expect(shellQuote(URL)).toBe(URL);
    expect(shellQuote(KEY)).toBe(KEY);
    expect(shellQuote('http://127.0.0.1:8080/base')).toBe('http://127.0.0.1:8080/base');
  });

  it('single-quotes anything a shell would expand or split, escaping quotes', () => {
    expect(shellQuote('https://gw.example.com/a b')).toBe("'https://gw.example.com/a b'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it('keeps the key placeholder readable', () => {
    expect(shellQuote(KEY_PLACEHOLDER)).toBe('<your key>');
  });
});

describe('Claude Code /login', () => {
  it('starts claude against the gateway', () => {
    expect(gatewayLoginCommand(`${URL}/`)).toBe('ANTHROPIC_BASE_URL=https://ccag.example.com claude');
  });

  it('keeps the base URL in settings.json', () => {
    expect(JSON.parse(baseUrlSettings(URL))).toEqual({ env: { ANTHROPIC_BASE_URL: URL } });
  });
});

describe('virtual key setup', () => {
  it('builds the one ccag setup command with the key', () => {
    expect(keySetupCommand(URL, KEY)).toBe(`ccag setup --url ${URL} --key ${KEY}`);
  });

  it('shows the placeholder before a key exists', () => {
    expect(keySetupCommand(URL)).toBe(`ccag setup --url ${URL} --key <your key>`);
  });

  it('writes the settings.json env both ways', () => {
    expect(JSON.parse(keySettings(URL, KEY))).toEqual({ env: { ANTHROPIC_BASE_URL: URL, ANTHROPIC_AUTH_TOKEN: KEY } });
    expect(JSON.parse(keySettings(`${URL}/`))).toEqual({ env: { ANTHROPIC_BASE_URL: URL, ANTHROPIC_AUTH_TOKEN: KEY_PLACEHOLDER } });
  });

  it('pretty-prints the JSON so it can be merged by hand', () => {
    expect(keySettings(URL, KEY).split('\n')).toHaveLength(6);
  });
});

describe('single sign-on with apiKeyHelper', () => {
  it('signs in with the CLI, then sets Claude Code up', () => {
    expect(ssoCommands(URL)).toBe(`ccag login --sso --url ${URL}\nccag setup --url ${URL} --sso`);
  });

  it('names the helper command setup writes', () => {
    expect(apiKeyHelperCommand(`${URL}/`)).toBe(`ccag token --url ${URL}`);
  });
});
