/**
 * The collector's instruments, observed from its state at each collection (scrape or OTLP push).
 * Scraped names follow the Prometheus exporter this collector replaces, so its example PromQL
 * works unchanged: `claude_tokens_total`, `claude_requests_total`, `claude_cost_total_usd`,
 * `claude_tokens_current`, `claude_requests_current`, `claude_cost_current_usd`; its own health
 * is under `ccag_admin_api_`.
 *
 * The exporter appends `_total` to every monotonic counter, so a counter could only scrape as
 * `claude_cost_total_usd_total`; to keep the documented name the cost is an observable
 * UpDownCounter (Prometheus type gauge) whose value still only ever rises. Totals are observed
 * from the exact integers, so the float a scrape shows never carries summation drift.
 *
 * Key names are looked up when observed, not stored with the totals: a renamed key moves its
 * whole total to the new name instead of starting a second series that would count the polled
 * window again.
 */
import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import type { BucketDeltas } from './bucket-deltas.js';
import { picoToUsd } from './cents.js';
import type { FailureReason } from './client.js';
import type { CurrentPeriod } from './current-period.js';
import type { KeyNames } from './key-names.js';
import type { DayComparison } from './reconcile.js';
import type { CostLabels, RequestLabels, TokenLabels } from './usage-series.js';

/** What the collector reads; the `report` label of its health metrics. */
export type Report = 'usage' | 'cost' | 'api_keys' | 'users';

/** Seconds, from a one-page poll to one that pages through a large organization's reports. */
const LOOP_BUCKETS_S = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export interface CollectorState {
  readonly tokens: BucketDeltas<TokenLabels>;
  readonly requests: BucketDeltas<RequestLabels>;
  readonly cost: BucketDeltas<CostLabels>;
  readonly tokensCurrent: CurrentPeriod<TokenLabels>;
  readonly requestsCurrent: CurrentPeriod<RequestLabels>;
  readonly costCurrent: CurrentPeriod<CostLabels>;
  readonly names: KeyNames;
  comparisons: readonly DayComparison[];
  /** Epoch seconds of each report's last successful read. */
  readonly lastSuccess: Map<Report, number>;
  /** Whether the last poll read everything it asked for; unset before the first poll ends. */
  lastPollSucceeded: boolean | undefined;
}

export interface CollectorInstruments {
  readonly loopDuration: Histogram;
  readonly errors: Counter<{ report: Report; reason: FailureReason | 'ledger' }>;
}

/** The labels with the key's name and owner after `api_key_id` (the exporter's order, which reads well in a scrape). */
function withKeyNames<L extends { api_key_id: string }>(labels: L, names: KeyNames): Record<string, string> {
  const named: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels) as [string, string][]) {
    named[name] = value;
    if (name === 'api_key_id') Object.assign(named, names.labelsFor(value));
  }
  return named;
}

export function observeCollector(meter: Meter, state: CollectorState, clock: () => number): CollectorInstruments {
  const keyed = 'by type, model, API key (id, name, owner), workspace and service tier';
  meter.createObservableCounter('claude.tokens.total', { description: `Tokens the Anthropic Admin API usage report counts, ${keyed}.` }).addCallback((result) => {
    for (const series of state.tokens.series()) result.observe(Number(series.total), withKeyNames(series.labels, state.names));
  });
  meter
    .createObservableCounter('claude.requests.total', { description: 'Hours in which a model was used with an API key (the usage report has no request count), by model, API key, workspace and service tier.' })
    .addCallback((result) => {
      for (const series of state.requests.series()) result.observe(Number(series.total), withKeyNames(series.labels, state.names));
    });
  meter
    .createObservableUpDownCounter('claude.cost.total_usd', { description: 'Cost in US dollars the Anthropic Admin API cost report counts, by workspace (only rises).', unit: 'USD' })
    .addCallback((result) => {
      for (const series of state.cost.series()) result.observe(picoToUsd(series.total), series.labels);
    });
  meter.createObservableGauge('claude.tokens.current', { description: `Tokens used since midnight UTC, ${keyed}.` }).addCallback((result) => {
    for (const figure of state.tokensCurrent.values(clock())) result.observe(Number(figure.value), withKeyNames(figure.labels, state.names));
  });
  meter.createObservableGauge('claude.requests.current', { description: 'Usage hours since midnight UTC, by model, API key, workspace and service tier.' }).addCallback((result) => {
    for (const figure of state.requestsCurrent.values(clock())) result.observe(Number(figure.value), withKeyNames(figure.labels, state.names));
  });
  meter.createObservableGauge('claude.cost.current_usd', { description: 'Cost in US dollars since midnight UTC, by workspace.', unit: 'USD' }).addCallback((result) => {
    for (const figure of state.costCurrent.values(clock())) result.observe(picoToUsd(figure.value), figure.labels);
  });
  meter
    .createObservableGauge('ccag.admin_api.cost_difference_usd', { description: "The provider's cost minus the gateway ledger's cost for Anthropic endpoints, per UTC day.", unit: 'USD' })
    .addCallback((result) => {
      for (const day of state.comparisons) result.observe(picoToUsd(day.providerPico - day.ledgerPico), { window: day.window });
    });
  meter
    .createObservableGauge('ccag.admin_api.last_success_timestamp_seconds', { description: 'When each Admin API read last succeeded, in Unix seconds, by report.', unit: 's' })
    .addCallback((result) => {
      for (const [report, seconds] of state.lastSuccess) result.observe(seconds, { report });
    });
  meter.createObservableGauge('ccag.admin_api.loop_success', { description: 'Whether the last Admin API poll read every report it asked for (1) or not (0).' }).addCallback((result) => {
    if (state.lastPollSucceeded !== undefined) result.observe(state.lastPollSucceeded ? 1 : 0);
  });
  return {
    loopDuration: meter.createHistogram('ccag.admin_api.loop_duration_seconds', {
      description: 'How long each Admin API poll took, from its first request to its last.',
      unit: 's',
      advice: { explicitBucketBoundaries: LOOP_BUCKETS_S },
    }),
    errors: meter.createCounter('ccag.admin_api.errors.total', { description: 'Failed Admin API collector reads, by report and reason.' }),
  };
}
