/**
 * The shell command Claude Code runs as its `apiKeyHelper` to get a token from this ccag. Claude
 * Code runs it through a shell (`/bin/sh -c` on Linux and macOS, `cmd.exe` on Windows) with its
 * own environment, which is often not the one `ccag setup` ran in: an IDE started from a desktop
 * has a shorter PATH, and none of this shell's `CCAG_CONFIG_DIR`. So the command names ccag by
 * `ccag` only when that word on PATH is this very ccag, and otherwise by absolute paths to Node
 * and to this script (no PATH lookup at all, not even the script's `#!/usr/bin/env node`); and it
 * carries the config directory when it is not the default one, so the helper finds the sign-in
 * that `ccag login --sso` saved.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { configDir } from './credentials.js';

export interface CcagLocation {
  /** `ccag` on PATH is this ccag. */
  readonly onPath: boolean;
  /** Absolute path of the Node executable running ccag. */
  readonly node: string;
  /** Absolute path of ccag's entry script, as it was started (a symlink is kept: package managers re-point it on upgrade). */
  readonly script: string;
  /** The credentials directory, when it is not the one ccag finds by default in a plain environment. */
  readonly configDir: string | undefined;
  readonly platform: NodeJS.Platform;
}

/** `ccag token --url <url>`, spelled so Claude Code's shell runs this ccag with this sign-in. */
export function tokenHelperCommand(url: string, where: CcagLocation): string {
  const quote = where.platform === 'win32' ? quoteForCmd : quoteForSh;
  const program = where.onPath ? 'ccag' : `${quote(where.node)} ${quote(where.script)}`;
  const environment = where.configDir === undefined ? '' : `CCAG_CONFIG_DIR=${quote(where.configDir)} `;
  return `${environment}${program} token --url ${quote(url)}`;
}

/**
 * Where the running ccag is. On Windows the config directory is never carried (`VAR=value cmd`
 * is POSIX shell syntax), so `warnings` says what to do instead.
 */
export function locateRunningCcag(env: Readonly<Record<string, string | undefined>>): { location: CcagLocation; warnings: string[] } {
  const script = resolve(process.argv[1] ?? '');
  const realScript = realPath(script);
  const directory = resolve(configDir(env));
  const custom = directory !== join(homedir(), '.config', 'ccag');
  const warnings: string[] = [];
  if (custom && process.platform === 'win32') {
    warnings.push(`your sign-in is saved in ${directory}: set CCAG_CONFIG_DIR=${directory} where Claude Code runs too, or "ccag token" will not find it`);
  }
  return {
    location: {
      onPath: process.platform !== 'win32' && realScript !== undefined && firstOnPath('ccag', env.PATH) === realScript,
      node: process.execPath,
      script,
      configDir: custom && process.platform !== 'win32' ? directory : undefined,
      platform: process.platform,
    },
    warnings,
  };
}

/** The real path of the executable a shell would run for `name` (relative PATH entries are skipped: Claude Code runs the helper in another directory). */
function firstOnPath(name: string, path: string | undefined): string | undefined {
  for (const directory of (path ?? '').split(delimiter)) {
    if (!isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (!statSync(candidate).isFile()) continue;
    } catch {
      continue;
    }
    return realPath(candidate);
  }
  return undefined;
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** POSIX sh: bare when only safe characters, else single quotes (a `'` inside becomes `'\''`). */
export function quoteForSh(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** cmd.exe: double quotes around anything with a space or a metacharacter (Windows paths cannot contain `"`). */
function quoteForCmd(argument: string): string {
  return /^[\w@+=:,./\\-]+$/.test(argument) ? argument : `"${argument}"`;
}
