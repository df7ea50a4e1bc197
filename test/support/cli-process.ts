/**
 * Runs `ccag` two ways. `runCcagExecutable` starts the built executable as a user would: a child
 * process with a scrubbed environment, its own config directory, optional stdin, and a kill switch
 * so a hung command fails the test. `runCcag` runs the same command line in this process through
 * `runCli` with the same scrubbed environment: every command reaches the process only through
 * `CliIo`, so the result is the same, without the ~0.75 s of CPU a Node start costs per command
 * (hundreds of commands across the suite). The executable's own wiring (main.ts, the bin path,
 * signals, a closed pipe) is covered by the files that use `runCcagExecutable`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program.js';
import { startGateway, type TestGateway } from './gateway.js';

export const CCAG_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CcagRun {
  configDir: string;
  input?: string;
  env?: Record<string, string>;
}

/** The environment a command sees: nothing from the machine but PATH. */
function scrubbedEnv(options: CcagRun): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: options.configDir, CCAG_CONFIG_DIR: options.configDir, ...options.env };
}

/** One command line through `runCli` in this process, with captured output. */
export async function runCcag(args: string[], options: CcagRun): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([process.execPath, CCAG_MAIN, ...args], {
    env: scrubbedEnv(options),
    stdin: Readable.from([options.input ?? '']),
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    now: () => new Date(),
  });
  return { code, stdout, stderr };
}

export function runCcagExecutable(args: string[], options: CcagRun): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CCAG_MAIN, ...args], {
      env: scrubbedEnv(options),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A gateway and a `ccag` already logged in to it with a private config directory, for CLI
 * end-to-end files that share one login. Returns undefined when the database is unavailable.
 */
export interface LoggedInCli {
  gateway: TestGateway;
  configDir: string;
  ccag(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Runs with `--json`, asserts success and the exact stderr (empty unless said), returns the parsed output. */
  json<T = unknown>(args: string[], stderr?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startLoggedInCli(database: 'sqlite' | 'postgres'): Promise<LoggedInCli | undefined> {
  const gateway = await startGateway({ database });
  if (!gateway) return undefined;
  const configDir = mkdtempSync(join(tmpdir(), 'ccag-cli-'));
  const login = await runCcag(['login', '--url', gateway.url, '--username', gateway.adminUsername, '--password-stdin'], {
    configDir,
    input: `${gateway.adminPassword}\n`,
  });
  if (login.code !== 0) throw new Error(`ccag login failed: ${login.stderr}`);
  const ccag = (args: string[], env: Record<string, string> = {}) => runCcag(args, { configDir, env: { CCAG_URL: gateway.url, ...env } });
  return {
    gateway,
    configDir,
    ccag,
    async json<T>(args: string[], stderr = '') {
      const result = await ccag([...args, '--json']);
      if (result.code !== 0 || result.stderr !== stderr) {
        throw new Error(`ccag ${args.join(' ')} exited ${result.code} with stderr ${JSON.stringify(result.stderr)}`);
      }
      return JSON.parse(result.stdout) as T;
    },
    async close() {
      await gateway.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
