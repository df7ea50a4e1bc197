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
 * A renamed key (or one handed to another owner) is a new label set. The OpenTelemetry SDK keeps
 * reporting every label set it has seen, so the counters name a key when usage is added: the old
 * names' series stop where they were and the new names' series count from there, and a sum over
 * names stays exact. The current-day gauges name keys when observed and report 0 for label sets
 * they no longer have, so a renamed key is not counted twice today either.
 */
import type { Counter, Histogram, Meter, ObservableResult } from '@opentelemetry/api';
import type { SeriesTotals } from './bucket-deltas.js';
import { picoToUsd } from './cents.js';
import type { FailureReason } from './client.js';
import type { CurrentPeriod } from './current-period.js';
import { withKeyNames, type KeyNames } from './key-names.js';
import type { DayComparison } from './reconcile.js';
import type { CostLabels, RequestLabels, TokenLabels } from './usage-series.js';

type Labels = Record<string, string>;

/** What the collector reads; the `report` label of its health metrics. */
export type Report = 'usage' | 'cost' | 'api_keys' | 'users';

/** Seconds, from a one-page poll to one that pages through a large organization's reports. */
const LOOP_BUCKETS_S = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export interface CollectorState {
  /** Token and usage-row totals by label set, key names included. */
  readonly tokens: SeriesTotals<Labels>;
  readonly requests: SeriesTotals<Labels>;
  readonly cost: SeriesTotals<CostLabels>;
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

/**
 * A gauge callback that also reports 0 for the label sets it reported before but has no longer
 * (a renamed key): the SDK would otherwise keep showing their last value.
 */
function withoutStaleLabels(figures: () => Iterable<[Labels, number]>): (result: ObservableResult) => void {
  const reported = new Map<string, Labels>();
  return (result) => {
    const current = new Set<string>();
    for (const [labels, value] of figures()) {
      const key = JSON.stringify(Object.entries(labels));
      current.add(key);
      reported.set(key, labels);
      result.observe(value, labels);
    }
    for (const [key, labels] of reported) if (!current.has(key)) result.observe(0, labels);
  };
}

export function observeCollector(meter: Meter, state: CollectorState, clock: () => number): CollectorInstruments {
  const keyed = 'by type, model, API key (id, name, owner), workspace and service tier';
  meter.createObservableCounter('claude.tokens.total', { description: `Tokens the Anthropic Admin API usage report counts, ${keyed}.` }).addCallback((result) => {
    for (const series of state.tokens.series()) result.observe(Number(series.total), series.labels);
  });
  meter
    .createObservableCounter('claude.requests.total', { description: 'Hours in which a model was used with an API key (the usage report has no request count), by model, API key, workspace and service tier.' })
    .addCallback((result) => {
      for (const series of state.requests.series()) result.observe(Number(series.total), series.labels);
    });
  meter
    .createObservableUpDownCounter('claude.cost.total_usd', { description: 'Cost in US dollars the Anthropic Admin API cost report counts, by workspace (only rises).', unit: 'USD' })
    .addCallback((result) => {
      for (const series of state.cost.series()) result.observe(picoToUsd(series.total), series.labels);
    });
  const named = <L extends { api_key_id: string }>(period: CurrentPeriod<L>) =>
    withoutStaleLabels(function* () {
      for (const figure of period.values(clock())) yield [withKeyNames(figure.labels, state.names), Number(figure.value)];
    });
  meter.createObservableGauge('claude.tokens.current', { description: `Tokens used since midnight UTC, ${keyed}.` }).addCallback(named(state.tokensCurrent));
  meter.createObservableGauge('claude.requests.current', { description: 'Usage hours since midnight UTC, by model, API key, workspace and service tier.' }).addCallback(named(state.requestsCurrent));
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
