/**
 * `ccag serve` as a child process (the compiled CLI), for what only a real process shows:
 * start-up messages, signals and exit codes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_OUTBOUND_ALLOWLIST } from './outbound.js';

export const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts `ccag serve` and resolves once it answers /health (or rejects when it exits first).
 * `cli` is another build's main.js, such as the image build's (test/deploy/image-build.test.ts).
 */
export async function startServe(env: Record<string, string>, args: string[] = [], cli: string = CLI): Promise<ServeProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [cli, 'serve', ...args], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', CCAG_OUTBOUND_ALLOW_PRIVATE: TEST_OUTBOUND_ALLOWLIST, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let running = true;
  void exited.then(() => (running = false));
  while (running && Date.now() < deadline) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return { child, url, stdout: () => out, stderr: () => err, exited };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`ccag serve did not start: ${err}${out}`);
}

/**
 * The environment of one of several `ccag serve` replicas sharing a PostgreSQL database and Redis
 * (their keys under `redisPrefix`), each with its own data directory, made here and removed by
 * `removeDataDirs`.
 */
export class ReplicaEnvironments {
  private readonly dirs: string[] = [];

  constructor(private readonly shared: { databaseUrl: () => string; redisUrl: string; redisPrefix: string; adminPassword: string; masterKey: string }) {}

  /** A new replica's environment, with `extra` settings on top. */
  next(extra: Record<string, string> = {}): Record<string, string> {
    const dir = mkdtempSync(join(tmpdir(), 'ccag-replica-'));
    this.dirs.push(dir);
    return {
      CCAG_DATA_DIR: dir,
      DATABASE_URL: this.shared.databaseUrl(),
      REDIS_URL: this.shared.redisUrl,
      CCAG_REDIS_PREFIX: this.shared.redisPrefix,
      CCAG_REPLICAS: '3',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: this.shared.adminPassword,
      CCAG_MASTER_KEY: this.shared.masterKey,
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  removeDataDirs(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
