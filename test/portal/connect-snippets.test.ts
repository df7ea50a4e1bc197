import { describe, expect, it } from 'vitest';
import {
  apiKeyHelperCommand,
  baseUrlSettings,
  gatewayLoginCommand,
  KEY_PLACEHOLDER,
  keySettings,
  keySetupCommand,
  ssoCommands,
} from '../../portal/src/features/connect/connect-snippets.js';

const URL = 'https://ccag.example.com';
const KEY = 'sk-ccag-1a2b3c4d5e6f';

describe('the key placeholder', () => {
  it('stays bare in commands, for the reader to replace', () => {
    expect(keySetupCommand(URL)).toContain(`--key ${KEY_PLACEHOLDER}`);
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
