/**
 * How much of each upstream account's rate limits is used, from the `anthropic-ratelimit-*`
 * headers the Anthropic API sends with every reply: per window (requests, input tokens, output
 * tokens, tokens) `1 - remaining / limit`. The latest reading of each endpoint is kept and observed
 * as `ccag.upstream.utilization`; once a window's reset time has passed its bucket is full again,
 * so it reads 0 until the next reply says otherwise. Bedrock sends no such headers and has no
 * series. Endpoint ids are a bounded label: administrators create endpoints, clients do not.
 */
import type { ObservableResult } from '@opentelemetry/api';

export const UTILIZATION_WINDOWS = ['requests', 'input_tokens', 'output_tokens', 'tokens'] as const;
export type UtilizationWindow = (typeof UTILIZATION_WINDOWS)[number];
export type UtilizationLabels = { endpoint_id: string; window: UtilizationWindow };

export interface UtilizationReading {
  readonly window: UtilizationWindow;
  /** 0 (all remaining) to 1 (nothing left). */
  readonly utilization: number;
  /** Epoch ms when the window is fully replenished, if the upstream said. */
  readonly resetsAt: number | undefined;
}

/** Each window's header names, built once: this runs on every upstream reply. */
const HEADERS = UTILIZATION_WINDOWS.map((window) => {
  const prefix = `anthropic-ratelimit-${window.replace('_', '-')}`;
  return { window, limit: `${prefix}-limit`, remaining: `${prefix}-remaining`, reset: `${prefix}-reset` };
});

/** The readings of one reply; a window without both a positive limit and a remaining count is left out. */
export function utilizationFromHeaders(headers: Readonly<Record<string, string | undefined>>): UtilizationReading[] {
  const readings: UtilizationReading[] = [];
  for (const names of HEADERS) {
    const window = names.window;
    const limit = Number(headers[names.limit]);
    const remaining = Number(headers[names.remaining]);
    if (!(limit > 0) || headers[names.remaining] === undefined || !Number.isFinite(remaining)) continue;
    const resetsAt = Date.parse(headers[names.reset] ?? '');
    readings.push({
      window,
      utilization: Math.min(1, Math.max(0, (limit - remaining) / limit)),
      resetsAt: Number.isNaN(resetsAt) ? undefined : resetsAt,
    });
  }
  return readings;
}

/** The latest reading per endpoint and window, observed at each collection. */
export class UpstreamUtilization {
  private readonly latest = new Map<string, Map<UtilizationWindow, UtilizationReading>>();

  record(endpointId: string, headers: Readonly<Record<string, string | undefined>>): void {
    const readings = utilizationFromHeaders(headers);
    if (readings.length === 0) return;
    let windows = this.latest.get(endpointId);
    if (!windows) this.latest.set(endpointId, (windows = new Map()));
    for (const reading of readings) windows.set(reading.window, reading);
  }

  /**
   * Observes every endpoint's windows. An endpoint no longer live reads 0 one last time and is
   * forgotten: the SDK keeps reporting a cumulative series' last value, and 0 is the one that
   * cannot leave a utilization alert firing for an endpoint that is gone.
   */
  observe(result: ObservableResult<UtilizationLabels>, isLive: (endpointId: string) => boolean, now = Date.now()): void {
    for (const [endpointId, windows] of this.latest) {
      const live = isLive(endpointId);
      if (!live) this.latest.delete(endpointId);
      for (const reading of windows.values()) {
        const replenished = reading.resetsAt !== undefined && now >= reading.resetsAt;
        result.observe(live && !replenished ? reading.utilization : 0, { endpoint_id: endpointId, window: reading.window });
      }
    }
  }
}
