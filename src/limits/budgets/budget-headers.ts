/**
 * The headers a budgeted caller sees (spec §4 and §13): CCAG's own `x-ccag-budget-*`, and the
 * usage-limit headers Claude Code reads to show its 75% / 95% notices and, when blocked, to print
 * our message instead of its own. One budget speaks for a response: the most constraining.
 */
import type { BudgetPeriod, PeriodWindow } from '../budget-period.js';
import type { BudgetStatus } from '../budget-policy.js';

export interface BudgetView {
  readonly period: BudgetPeriod;
  readonly window: PeriodWindow;
  readonly limitMicros: number;
  /** Settled spend plus live reservations, before this request. */
  readonly committedMicros: number;
  readonly percent: number;
  readonly status: BudgetStatus;
  /** The RPM a reached `shape` rule throttles to. */
  readonly shapeRpm: number | null;
}

const unixSeconds = (ms: number) => String(Math.ceil(ms / 1000));

function ccagHeaders(view: BudgetView, status: BudgetStatus): Record<string, string> {
  const remaining = Math.max(0, view.limitMicros - view.committedMicros);
  return {
    'x-ccag-budget-status': status,
    'x-ccag-budget-percent': Number.isFinite(view.percent) ? view.percent.toFixed(1) : '100.0',
    'x-ccag-budget-remaining-usd': (remaining / 1e6).toFixed(2),
    'x-ccag-budget-resets': new Date(view.window.end).toISOString(),
  };
}

/** Claude Code's notice thresholds: the highest one the caller has passed, if any. */
function surpassedThreshold(percent: number): string | undefined {
  if (percent >= 95) return '0.95';
  if (percent >= 75) return '0.75';
  return undefined;
}

export function admittedHeaders(view: BudgetView): Record<string, string> {
  const threshold = surpassedThreshold(view.percent);
  const state = threshold !== undefined || view.status !== 'ok' ? 'allowed_warning' : 'allowed';
  // Below 1 while allowed: a soft or shaped policy lets spend pass 100% before it blocks.
  const utilization = Math.min(0.99, Math.floor(view.percent) / 100);
  return {
    'anthropic-ratelimit-unified-status': state,
    'anthropic-ratelimit-unified-representative-claim': 'overage',
    'anthropic-ratelimit-unified-overage-status': state,
    'anthropic-ratelimit-unified-overage-utilization': utilization.toFixed(2),
    ...(threshold ? { 'anthropic-ratelimit-unified-overage-surpassed-threshold': threshold } : {}),
    'anthropic-ratelimit-unified-reset': unixSeconds(view.window.end),
    'anthropic-ratelimit-unified-overage-reset': unixSeconds(view.window.end),
    ...ccagHeaders(view, view.status),
  };
}

/** No representative-claim or overage-status: without them Claude Code prints the gateway's message. */
export function blockedHeaders(view: BudgetView, now: number): Record<string, string> {
  return {
    'retry-after': String(Math.max(1, Math.ceil((view.window.end - now) / 1000))),
    'x-should-retry': 'false',
    'anthropic-ratelimit-unified-status': 'rejected',
    'anthropic-ratelimit-unified-overage-utilization': '1',
    'anthropic-ratelimit-unified-overage-surpassed-threshold': '1',
    'anthropic-ratelimit-unified-overage-period': view.period,
    'anthropic-ratelimit-unified-reset': unixSeconds(view.window.end),
    'anthropic-ratelimit-unified-overage-reset': unixSeconds(view.window.end),
    ...ccagHeaders(view, 'blocked'),
  };
}
