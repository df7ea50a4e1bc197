/**
 * Shares computed from a row's own counts (errors ÷ requests, errors ÷ calls), so tables show the
 * same kind of number whatever scale an API's precomputed rate uses. Pure:
 * test/portal/ratios.test.ts.
 */

/** 0–1, or null when there was nothing to fail (no 0% for an idle row). */
export function errorShare(errors: number, total: number): number | null {
  return total > 0 ? Math.min(1, Math.max(0, errors / total)) : null;
}

/** A share as a percentage number for CSV (0.0123 → 1.23), null for none. */
export function sharePercent(share: number | null): number | null {
  return share === null ? null : Math.round(share * 10_000) / 100;
}
