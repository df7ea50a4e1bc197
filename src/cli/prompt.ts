/**
 * Reading what people type: visible prompts, hidden prompts for passwords and keys, and secrets
 * piped on stdin (`--password-stdin`, `--api-key-stdin`). Prompts are written to stderr so they
 * never mix with `--json` output.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError, UsageError } from './errors.js';
import type { CliIo } from './io.js';

export function canPrompt(io: CliIo): boolean {
  return io.stdin.isTTY === true;
}

export function promptLine(io: CliIo, question: string): Promise<string> {
  return ask(io, question, false);
}

/** Like `promptLine`, but nothing typed is echoed. */
export function promptHidden(io: CliIo, question: string): Promise<string> {
  return ask(io, question, true);
}

/** Reads stdin to its end; trailing newlines are dropped (`echo secret |` adds one). */
export async function readAllStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/[\r\n]+$/, '');
}

/**
 * A secret from stdin: prompted without echo when stdin is a terminal, read to its end when it is
 * a pipe. `what` names the secret in prompts and errors.
 */
export async function readSecretFromStdin(io: CliIo, what: string, flag: string): Promise<string> {
  const value = canPrompt(io) ? await promptHidden(io, `${capitalize(what)}: `) : await readAllStdin(io);
  if (value.length === 0) throw new UsageError(`${flag} was given but stdin held no ${what}`);
  return value;
}

function ask(io: CliIo, question: string, hidden: boolean): Promise<string> {
  let muted = false;
  // readline echoes keystrokes through `output`; muting it after the question hides the input.
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) io.stderr.write(chunk.toString());
      callback();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: io.stdin.isTTY === true });
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    // The cursor is still after the prompt: end the line so the error gets its own.
    const cancel = (why: string) => {
      if (settled) return;
      settled = true;
      muted = false;
      io.stderr.write('\n');
      reject(new CliError(why, 130));
    };
    rl.on('SIGINT', () => {
      cancel('cancelled');
      rl.close();
    });
    rl.on('close', () => cancel('cancelled: input ended before an answer was given'));
    rl.question(question, (answer) => {
      settled = true;
      muted = false;
      if (hidden) io.stderr.write('\n');
      rl.close();
      // Passwords may legitimately start or end with spaces; usernames may not.
      resolve(hidden ? answer : answer.trim());
    });
    muted = hidden;
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
