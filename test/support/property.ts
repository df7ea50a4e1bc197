/**
 * fast-check settings shared by the `*.property.test.ts` files. Runs are bounded so the whole set
 * stays in seconds; a failure prints its seed and path, and `FC_SEED` (with `FC_PATH`, and vitest's
 * `-t` naming the one failing test, since a path belongs to one property) replays exactly that
 * case; `FC_RUNS_FACTOR` multiplies the runs for a longer local hunt (README.md, "Property tests").
 */
import type { Parameters } from 'fast-check';

function envNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number, not ${JSON.stringify(value)}`);
  return parsed;
}

/** fast-check parameters for a property worth `numRuns` cases by default. */
export function runs<T>(numRuns: number): Parameters<T> {
  const seed = envNumber('FC_SEED');
  const path = process.env.FC_PATH;
  const factor = envNumber('FC_RUNS_FACTOR') ?? 1;
  return {
    numRuns: Math.max(1, Math.round(numRuns * factor)),
    ...(seed !== undefined ? { seed } : {}),
    ...(seed !== undefined && path ? { path } : {}),
  };
}
