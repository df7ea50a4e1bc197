/**
 * How much of each upstream account's rate limits is used, from the `anthropic-ratelimit-*`
 * headers the Anthropic API sends with every reply (read by src/routing/health/rate-limit-headers.ts):
 * per window (requests, input tokens, output tokens, tokens) `1 - remaining / limit`, and with
 * subscription credentials the unified `5h` and `7d` windows. The latest reading of each endpoint
 * is kept and observed as `ccag.upstream.utilization`; once a window's reset time has passed its bucket is full again,
 * so it reads 0 until the next reply says otherwise. Bedrock sends no such headers and has no
 * series. Endpoint ids are a bounded label: administrators create endpoints, clients do not.
 */
import type { ObservableResult } from '@opentelemetry/api';
import { utilizationFromHeaders, type UtilizationReading, type UtilizationWindow } from '../routing/health/rate-limit-headers.js';
export type UtilizationLabels = { endpoint_id: string; window: UtilizationWindow };

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
