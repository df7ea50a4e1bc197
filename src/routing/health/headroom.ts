/**
 * How much room an endpoint has, 0 (none) to 1 (idle with nothing used), for `least_utilized`:
 *
 *   headroom = (1 − u) / ((1 + h) · (1 + f / C))
 *
 * - u: the highest utilization among the endpoint's rate-limit windows whose reset has not passed
 *   (Anthropic's `anthropic-ratelimit-*` headers, incl. the unified 5h/7d windows; 0 for Bedrock);
 * - h: throttle heat, each throttle adding 1 and halving every `halfLifeMs` (a throttle a minute
 *   ago weighs ½ with the default), so an endpoint that was just throttled yields to a calm one;
 * - f: requests in flight on this replica, C the in-flight scale (8 by default): at C in flight the
 *   headroom halves, which spreads bursts when no header says anything (Bedrock).
 * Each factor only lowers headroom, so an endpoint at its limit reads 0 whatever the others say.
 */
import type { UtilizationReading, UtilizationWindow } from './rate-limit-headers.js';

export interface HeadroomInputs {
  readonly utilization: number;
  readonly heat: number;
  readonly inFlight: number;
  readonly inFlightScale: number;
}

export function headroomOf(inputs: HeadroomInputs): number {
  const left = 1 - Math.min(1, Math.max(0, inputs.utilization));
  return left / ((1 + Math.max(0, inputs.heat)) * (1 + Math.max(0, inputs.inFlight) / inputs.inFlightScale));
}

/** Utilization per window as of `now`: a window past its reset is full again and reads 0. */
export function currentUtilization(readings: ReadonlyMap<UtilizationWindow, UtilizationReading>, now: number): Partial<Record<UtilizationWindow, number>> {
  const current: Partial<Record<UtilizationWindow, number>> = {};
  for (const [window, reading] of readings) {
    current[window] = reading.resetsAt !== undefined && now >= reading.resetsAt ? 0 : reading.utilization;
  }
  return current;
}

/** A count that decays by half every `halfLifeMs`: recent throttles weigh more than old ones. */
export class DecayingCount {
  private value = 0;
  private at = 0;

  constructor(private readonly halfLifeMs: number) {}

  add(now: number): void {
    this.value = this.valueAt(now) + 1;
    this.at = now;
  }

  valueAt(now: number): number {
    if (this.value === 0) return 0;
    return this.value * 0.5 ** (Math.max(0, now - this.at) / this.halfLifeMs);
  }
}
