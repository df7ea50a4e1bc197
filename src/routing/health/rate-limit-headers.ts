/**
 * The Anthropic API's rate-limit reply headers, read as utilization per window (0 = all left,
 * 1 = nothing left). Four windows come as `anthropic-ratelimit-<window>-{limit,remaining,reset}`
 * (requests, input tokens, output tokens, tokens) and read `1 - remaining / limit`; subscription
 * credentials add the unified `5h` and `7d` windows as `anthropic-ratelimit-unified-<w>-utilization`
 * (already a fraction) and `-reset`. Resets come as RFC 3339 times or epoch seconds; both are read.
 * Bedrock sends none of these. Used by endpoint health (headroom) and the utilization gauges.
 */
export const UTILIZATION_WINDOWS = ['requests', 'input_tokens', 'output_tokens', 'tokens', '5h', '7d'] as const;
export type UtilizationWindow = (typeof UTILIZATION_WINDOWS)[number];

export type ReplyHeaders = Readonly<Record<string, string | undefined>>;

export interface UtilizationReading {
  readonly window: UtilizationWindow;
  /** 0 (all remaining) to 1 (nothing left). */
  readonly utilization: number;
  /** Epoch ms when the window is fully replenished, if the upstream said. */
  readonly resetsAt: number | undefined;
}

/** Each window's header names, built once: this runs on every upstream reply. */
const COUNTED = (['requests', 'input_tokens', 'output_tokens', 'tokens'] as const).map((window) => {
  const prefix = `anthropic-ratelimit-${window.replace('_', '-')}`;
  return { window, limit: `${prefix}-limit`, remaining: `${prefix}-remaining`, reset: `${prefix}-reset` };
});
const UNIFIED = (['5h', '7d'] as const).map((window) => {
  const prefix = `anthropic-ratelimit-unified-${window}`;
  return { window, utilization: `${prefix}-utilization`, reset: `${prefix}-reset` };
});

const EPOCH_SECONDS = /^\d+(\.\d+)?$/;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T/;

/** A reset header as epoch ms: epoch seconds (the unified windows) or an RFC 3339 time. */
export function parseResetTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const at = EPOCH_SECONDS.test(text) ? Number(text) * 1000 : RFC_3339.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isFinite(at) ? at : undefined;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/** The readings of one reply; a window without usable numbers is left out. */
export function utilizationFromHeaders(headers: ReplyHeaders): UtilizationReading[] {
  const readings: UtilizationReading[] = [];
  for (const names of COUNTED) {
    const limit = Number(headers[names.limit]);
    const remaining = Number(headers[names.remaining]);
    if (!(limit > 0) || headers[names.remaining] === undefined || !Number.isFinite(remaining)) continue;
    readings.push({ window: names.window, utilization: clamp01((limit - remaining) / limit), resetsAt: parseResetTime(headers[names.reset]) });
  }
  for (const names of UNIFIED) {
    const raw = headers[names.utilization];
    const utilization = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isFinite(utilization)) continue;
    readings.push({ window: names.window, utilization: clamp01(utilization), resetsAt: parseResetTime(headers[names.reset]) });
  }
  return readings;
}
