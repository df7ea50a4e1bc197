/**
 * Log-spaced latency bins: four per doubling. Bin 0 holds [0, 1) ms; bin k ≥ 1 holds
 * [2^((k-1)/4), 2^(k/4)) ms, so each bin is 18.9% wider than the one before (…, 1000–1189,
 * 1189–1414, 1414–1682, 1682–2000, …); the last bin, LAST_BIN, is open-ended from
 * 2^((LAST_BIN-1)/4) ms (about 57 minutes). A percentile interpolated inside its bin therefore
 * lies in the same bin as the exact value: within 19% of it (see percentiles.ts).
 */

export const BINS_PER_DOUBLING = 4;
export const LAST_BIN = 88;

export function binOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(LAST_BIN, Math.floor(Math.log2(ms) * BINS_PER_DOUBLING) + 1);
}

/** The bin's lower edge and upper edge in ms (upper is null for the open last bin). */
export function binEdges(bin: number): { lower: number; upper: number | null } {
  if (bin <= 0) return { lower: 0, upper: 1 };
  const lower = 2 ** ((bin - 1) / BINS_PER_DOUBLING);
  return { lower, upper: bin >= LAST_BIN ? null : 2 ** (bin / BINS_PER_DOUBLING) };
}
