/**
 * Everything the CLI touches in its process, behind one interface so commands can be driven from
 * tests without a real terminal. `processIo()` is the only place that reads `process`.
 */
export interface CliInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliOutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: CliInput;
  readonly stdout: CliOutputStream;
  readonly stderr: CliOutputStream;
  now(): Date;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
  };
}
