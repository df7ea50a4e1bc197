/**
 * Runs the pinned Claude Code CLI the way a developer would, pointed at a gateway: print mode,
 * JSON output, a throwaway HOME, no retries and no traffic beyond the gateway.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLAUDE_BIN = join(process.cwd(), 'node_modules', '.bin', 'claude');
/** Claude Code's native build (2.1.33x, linux-x64 only), an optional dependency for the Bedrock-mode tests. */
export const NATIVE_CLAUDE_BIN = join(process.cwd(), 'node_modules', '@anthropic-ai', 'claude-code-linux-x64', 'claude');

export interface ClaudeRunOptions {
  /** The executable to run; the pinned npm CLI unless given. */
  readonly bin?: string;
  /** Files to place in the CLAUDE_CONFIG_DIR before the run (e.g. `.credentials.json`), by name. */
  readonly configFiles?: Readonly<Record<string, string>>;
}

export interface ClaudeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | undefined;
}

export function runClaudeCode(prompt: string, env: Record<string, string>, extraArgs: string[] = [], options: ClaudeRunOptions = {}): Promise<ClaudeResult> {
  const home = mkdtempSync(join(tmpdir(), 'ccag-claude-home-'));
  const configDir = join(home, '.claude');
  mkdirSync(configDir, { recursive: true });
  for (const [name, content] of Object.entries(options.configFiles ?? {})) writeFileSync(join(configDir, name), content, { mode: 0o600 });
  return new Promise((resolve) => {
    const child = execFile(
      options.bin ?? CLAUDE_BIN,
      ['-p', prompt, '--output-format', 'json', ...extraArgs],
      {
        cwd: home,
        timeout: 90_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          CLAUDE_CONFIG_DIR: configDir,
          CLAUDE_CODE_MAX_RETRIES: '0',
          DISABLE_TELEMETRY: '1',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_AUTOUPDATER: '1',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        rmSync(home, { recursive: true, force: true });
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(stdout) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr, json });
      },
    );
    // Print mode waits for piped stdin before starting; there is none to send.
    child.stdin?.end();
  });
}
