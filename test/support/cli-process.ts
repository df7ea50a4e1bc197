/**
 * Runs the built `ccag` executable as a user would: a child process with a scrubbed environment,
 * its own config directory, optional stdin, and a kill switch so a hung command fails the test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway, type TestGateway } from './gateway.js';

export const CCAG_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCcag(args: string[], options: { configDir: string; input?: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CCAG_MAIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: options.configDir, CCAG_CONFIG_DIR: options.configDir, ...options.env },
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
  if (!existsSync(CCAG_MAIN)) throw new Error(`${CCAG_MAIN} is missing: run "npm run build" before these tests`);
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
