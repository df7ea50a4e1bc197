/**
 * Reading and replacing a small file that may hold a secret (Claude Code's settings.json after
 * `ccag setup --key`). Writes go through a temporary file in the same directory, flushed to disk
 * and renamed over the target, so a crash or a full disk never leaves a half-written settings
 * file that Claude Code would refuse to read.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.js';

export interface ExistingFile {
  /** Where to write: the file itself, or what a symlink points to (dotfile managers link settings.json into a repository; replacing the link would cut it). */
  readonly target: string;
  /** Undefined when there is no file yet. */
  readonly text: string | undefined;
  /** Permission bits of the existing file, kept when it is replaced. */
  readonly mode: number | undefined;
}

export function readExisting(path: string): ExistingFile {
  try {
    const target = lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
    return { target, text: readFileSync(target, 'utf8'), mode: statSync(target).mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { target: path, text: undefined, mode: undefined };
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Replaces (or creates) `path` with `text` and exactly `mode`, whatever the umask. */
export function writeAtomically(path: string, text: string, mode: number): void {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    // `wx`: never follow or reuse something already at the temporary name.
    const fd = openSync(temporary, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
