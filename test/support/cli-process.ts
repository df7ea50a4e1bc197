/**
 * Runs the built `ccag` executable as a user would: a child process with a scrubbed environment,
 * its own config directory, optional stdin, and a kill switch so a hung command fails the test.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
