/**
 * The commands and settings files the Connect page shows, built from the developer's own gateway
 * URL (and key, once created). Pure, so every snippet is unit-tested
 * (test/portal/connect-snippets.test.ts): a copied command must run as shown.
 */
import { gatewayBase, quoteForShell } from '../../lib/shell.js';

/** What the key snippets show until a key is created on the page. */
export const KEY_PLACEHOLDER = '<your key>';

/** The key placeholder stays bare in commands, since the reader replaces it with their own key. */
const shellQuote = (word: string) => (word === KEY_PLACEHOLDER ? word : quoteForShell(word));
const shellCommand = (words: readonly string[]) => words.map(shellQuote).join(' ');

/** Way 1: Claude Code 2.1.195+ signs in to the gateway itself with `/login`. */
export function gatewayLoginCommand(url: string): string {
  return `ANTHROPIC_BASE_URL=${shellQuote(gatewayBase(url))} claude`;
}

/** Keeps the gateway for every session, so `claude` alone starts against it. */
export function baseUrlSettings(url: string): string {
  return JSON.stringify({ env: { ANTHROPIC_BASE_URL: gatewayBase(url) } }, null, 2);
}

/** Way 2: the one command that writes the key into ~/.claude/settings.json. */
export function keySetupCommand(url: string, key?: string): string {
  return shellCommand(['ccag', 'setup', '--url', gatewayBase(url), '--key', key ?? KEY_PLACEHOLDER]);
}

/** Way 2 without the ccag CLI: what to merge into ~/.claude/settings.json. */
export function keySettings(url: string, key?: string): string {
  return JSON.stringify({ env: { ANTHROPIC_BASE_URL: gatewayBase(url), ANTHROPIC_AUTH_TOKEN: key ?? KEY_PLACEHOLDER } }, null, 2);
}

/** Way 3: sign in through the identity provider with the CLI, then let Claude Code ask it for tokens. */
export function ssoCommands(url: string): string {
  const base = gatewayBase(url);
  return [shellCommand(['ccag', 'login', '--sso', '--url', base]), shellCommand(['ccag', 'setup', '--url', base, '--sso'])].join('\n');
}

/** What `ccag setup --sso` points Claude Code's apiKeyHelper at. */
export function apiKeyHelperCommand(url: string): string {
  return shellCommand(['ccag', 'token', '--url', gatewayBase(url)]);
}

export const CHECK_COMMAND = 'claude -p "hello"';
