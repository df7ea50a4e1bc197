import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configDir, CredentialStore } from '../../src/cli/credentials.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccag-cred-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (url: string, token: string) => ({ url, token, username: 'admin', expires_at: '2030-01-01T00:00:00.000Z', saved_at: '2026-01-01T00:00:00.000Z' });

describe('configDir', () => {
  it('prefers $CCAG_CONFIG_DIR, then $XDG_CONFIG_HOME/ccag, then ~/.config/ccag', () => {
    expect(configDir({ CCAG_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/b' })).toBe('/a');
    expect(configDir({ XDG_CONFIG_HOME: '/b' })).toBe(join('/b', 'ccag'));
    expect(configDir({})).toBe(join(homedir(), '.config', 'ccag'));
  });
});

describe('CredentialStore', () => {
  it('starts empty when there is no file', () => {
    const store = CredentialStore.forEnv({ CCAG_CONFIG_DIR: join(dir, 'missing') });
    expect(store.currentUrl()).toBeUndefined();
    expect(store.get('http://x')).toBeUndefined();
  });

  it('keeps one token per gateway and remembers the last one logged in to', () => {
    const store = CredentialStore.forEnv({ CCAG_CONFIG_DIR: dir });
    store.save(entry('http://a:8080', 'tok-a'));
    store.save(entry('https://b.example.com', 'tok-b'));
    expect(store.currentUrl()).toBe('https://b.example.com');
    expect(store.get('http://a:8080')?.token).toBe('tok-a');
    expect(store.get('https://b.example.com')?.token).toBe('tok-b');
  });

  it('writes the file 0600 inside a 0700 directory, even over a looser file', () => {
    const nested = join(dir, 'nested', 'ccag');
    const store = CredentialStore.forEnv({ CCAG_CONFIG_DIR: nested });
    store.save(entry('http://a', 'tok'));
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    chmodSync(store.path, 0o644);
    store.save(entry('http://a', 'tok2'));
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('forgets a token but keeps the gateway as the default', () => {
    const store = CredentialStore.forEnv({ CCAG_CONFIG_DIR: dir });
    store.save(entry('http://a', 'tok'));
    expect(store.forget('http://a')).toBe(true);
    expect(store.forget('http://a')).toBe(false);
    expect(store.get('http://a')).toBeUndefined();
    expect(store.currentUrl()).toBe('http://a');
    expect(readFileSync(store.path, 'utf8')).not.toContain('tok');
  });

  it('warns once when the file is readable by others', () => {
    const warnings: string[] = [];
    const path = join(dir, 'credentials.json');
    writeFileSync(path, JSON.stringify({ version: 1, gateways: {} }), { mode: 0o644 });
    chmodSync(path, 0o644);
    const store = new CredentialStore(path, (message) => warnings.push(message));
    store.currentUrl();
    store.currentUrl();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/chmod 600/);
  });

  it('explains a corrupt file instead of crashing', () => {
    const path = join(dir, 'credentials.json');
    writeFileSync(path, '{not json', { mode: 0o600 });
    expect(() => new CredentialStore(path).currentUrl()).toThrow(/not a valid credentials file; delete it/);
  });
});
