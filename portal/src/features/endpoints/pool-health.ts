/**
 * The pool health view as text and bars: an endpoint's state in words, the badge it wears, and
 * its utilization windows as meters (the 5-hour and 7-day subscription windows first). Pure:
 * test/portal/pool-health.test.ts.
 */
import type { EndpointHealthRecord, EndpointState } from '../../api/types.js';

export const HEALTH_REFRESH_MS = 10_000;

const STATE_BADGE: Record<EndpointState, string> = {
  healthy: 'badge-healthy',
  cooling: 'badge-warn',
  probing: 'badge-warn',
  unhealthy: 'badge-danger',
  disabled: 'badge-disabled',
};

export const stateBadge = (state: EndpointState): string => STATE_BADGE[state] ?? 'badge-warn';

/** "cooling until 14:03:22" in the viewer's zone (`timeZone` for tests); the other states as they are. */
export function stateText(endpoint: Pick<EndpointHealthRecord, 'state' | 'cooling_until'>, timeZone?: string): string {
  if (endpoint.state !== 'cooling' || !endpoint.cooling_until) return endpoint.state;
  const until = new Date(endpoint.cooling_until);
  if (Number.isNaN(until.getTime())) return 'cooling';
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
  return `cooling until ${time.format(until)}`;
}

export interface UtilizationBar {
  readonly window: string;
  readonly label: string;
  /** 0..100 */
  readonly percent: number;
  readonly status: 'ok' | 'warning' | 'blocked';
}

const WINDOW_LABEL: Record<string, string> = {
  '5h': '5-hour window',
  '7d': '7-day window',
  requests: 'requests per minute',
  tokens: 'tokens per minute',
  input_tokens: 'input tokens per minute',
  output_tokens: 'output tokens per minute',
};
const WINDOW_ORDER = ['5h', '7d', 'requests', 'tokens', 'input_tokens', 'output_tokens'];

/** Green below 75%, amber to 90%, red above: where throttling starts to be likely. */
export function meterStatus(share: number): UtilizationBar['status'] {
  return share >= 0.9 ? 'blocked' : share >= 0.75 ? 'warning' : 'ok';
}

export function utilizationBars(utilization: Readonly<Record<string, number>>): UtilizationBar[] {
  const rank = (window: string) => (WINDOW_ORDER.includes(window) ? WINDOW_ORDER.indexOf(window) : WINDOW_ORDER.length);
  return Object.entries(utilization)
    .filter(([, share]) => Number.isFinite(share))
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([window, share]) => ({
      window,
      label: WINDOW_LABEL[window] ?? window,
      percent: Math.round(Math.min(1, Math.max(0, share)) * 1000) / 10,
      status: meterStatus(share),
    }));
}
