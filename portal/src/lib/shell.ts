/**
 * Commands the portal shows for people to copy: quoted so a POSIX shell reads every word back
 * unchanged, and the gateway URL in the form Claude Code and ccag expect. Pure, unit-tested.
 */

/** The gateway's base URL without a trailing slash (Claude Code appends `/v1/messages` itself). */
export function gatewayBase(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word as a POSIX shell reads it back unchanged: bare when it has only safe characters, else in single quotes (a quote inside becomes '\'' ). */
export function quoteForShell(word: string): string {
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export const shellCommand = (words: readonly string[]): string => words.map(quoteForShell).join(' ');
