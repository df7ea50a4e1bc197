/** Child processes of the bench: pinned to a core, tracked, and killed on every way out. */
import { type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { KEEP, NICE } from './settings.js';

export const children = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The temporary data directory, removed on every way out (unless BENCH_KEEP=1). */
let workDirToRemove: string | undefined;

/** Marks the temporary data directory for removal on exit. */
export function removeOnExit(dir: string): void {
  workDirToRemove = dir;
}

export function removeWorkDir(): void {
  if (!workDirToRemove || KEEP) return;
  rmSync(workDirToRemove, { recursive: true, force: true });
  workDirToRemove = undefined;
}

process.on('exit', () => {
  killAll();
  removeWorkDir();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping the child processes\n`);
    killAll();
    process.exit(130);
  });
}

/** taskset (and nice, with BENCH_NICE) exec the command, so the child's pid is node's own. */
export function pinned(cpu: number, args: string[]): [string, string[]] {
  return ['taskset', ['-c', String(cpu), ...(NICE === 0 ? [] : ['nice', '-n', String(NICE)]), ...args]];
}

/** JSON lines from a child's stdout, awaited one at a time. */
export class JsonLines {
  private readonly queue: unknown[] = [];
  private waiter: ((value: unknown) => void) | undefined;
  private closed = false;
  private failure: ((error: Error) => void) | undefined;

  constructor(
    child: ChildProcess,
    private readonly name: string,
    private readonly stderr: () => string,
  ) {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return; // not ours
      }
      if (this.waiter) {
        const waiter = this.waiter;
        this.waiter = undefined;
        this.failure = undefined;
        waiter(value);
      } else {
        this.queue.push(value);
      }
    });
    child.on('exit', (code, signal) => {
      this.closed = true;
      this.failure?.(new Error(`${this.name} exited (${signal ?? code}) before answering:\n${this.stderr()}`));
    });
  }

  next<T>(timeoutMs: number): Promise<T> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift() as T);
    if (this.closed) return Promise.reject(new Error(`${this.name} has exited:\n${this.stderr()}`));
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        this.failure = undefined;
        reject(new Error(`${this.name} did not answer within ${timeoutMs / 1000} s:\n${this.stderr()}`));
      }, timeoutMs);
      this.waiter = (value) => {
        clearTimeout(timer);
        resolvePromise(value as T);
      };
      this.failure = (error) => {
        clearTimeout(timer);
        reject(error);
      };
    });
  }
}

export function tail(buffer: { text: string }, child: ChildProcess, stream: 'stdout' | 'stderr'): void {
  child[stream]!.on('data', (chunk: Buffer) => {
    buffer.text = (buffer.text + chunk.toString()).slice(-20_000);
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
