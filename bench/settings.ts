/** The bench's settings, from BENCH_* environment variables (docs/benchmarks.md). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url)); // dist-bench/bench
export const ROOT = resolve(HERE, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

export function numberEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min} (got "${raw}")`);
  return value;
}

export const DURATION = numberEnv('BENCH_DURATION', 15, 1);
export const WARMUP = numberEnv('BENCH_WARMUP', Math.min(5, Math.max(2, Math.round(DURATION / 3))), 0.5);
export const CONNECTIONS = Math.round(numberEnv('BENCH_CONNECTIONS', 64, 2));
export const GATEWAY_CPU = Math.round(numberEnv('BENCH_GATEWAY_CPU', 0, 0));
export const LOAD_CPU = Math.round(numberEnv('BENCH_LOAD_CPU', 1, 0));
export const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
export const KEEP = process.env.BENCH_KEEP === '1';
export const STRICT = process.env.BENCH_STRICT === '1';
export const NICE = Math.round(numberEnv('BENCH_NICE', 0, -20));
export const WAIT_IDLE = numberEnv('BENCH_WAIT_IDLE', 0, 0);
/** Extra settings for the gateway, e.g. BENCH_GATEWAY_ENV="CCAG_LEDGER_FLUSH_MS=1000 CCAG_LEDGER_BATCH_SIZE=200". */
export const GATEWAY_ENV: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_GATEWAY_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`BENCH_GATEWAY_ENV: "${pair}" is not NAME=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
);
/** `1`: also run the governed scenarios (PostgreSQL, Redis, rate limits and a budget on; bench/governed.ts). */
export const GOVERNED = process.env.BENCH_GOVERNED === '1';
export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export const ADMIN_PASSWORD = 'bench-admin-password-0123';
export const MOCK_KEY = 'sk-ant-bench-mock-upstream-key';

/** Share of a core used by other processes above which a scenario is flagged as disturbed. */
export const NOISE_LIMIT = 0.1;

/** Issue 14's targets: throughput as ratios to the bare proxy measured in the same run. */
export const TARGETS = {
  addedP50SmallMs: 0.3,
  addedP50ClaudeCodeMs: 0.6,
  smallRatio: 0.5,
  claudeCodeRatio: 0.85,
  governedRatio: 0.3,
  startupRssMb: 80,
  peakRssMb: 150,
};
