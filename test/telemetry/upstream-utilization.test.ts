/**
 * Upstream utilization from `anthropic-ratelimit-*` reply headers: which windows a reply reports,
 * the value per window (incl. the unified 5h and 7d windows), a passed reset reading 0, and a
 * removed endpoint dropping to 0.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { createRecorders } from '../../src/telemetry/recorders.js';
import { utilizationFromHeaders } from '../../src/routing/health/rate-limit-headers.js';
import { UpstreamUtilization, type UtilizationLabels } from '../../src/telemetry/upstream-utilization.js';
import { sampleValue } from '../support/prometheus-text.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const IN_A_MINUTE = new Date(NOW + 60_000).toISOString();

const ALL_WINDOWS = {
  'anthropic-ratelimit-requests-limit': '50',
  'anthropic-ratelimit-requests-remaining': '49',
  'anthropic-ratelimit-requests-reset': IN_A_MINUTE,
  'anthropic-ratelimit-input-tokens-limit': '40000',
  'anthropic-ratelimit-input-tokens-remaining': '10000',
  'anthropic-ratelimit-input-tokens-reset': IN_A_MINUTE,
  'anthropic-ratelimit-output-tokens-limit': '8000',
  'anthropic-ratelimit-output-tokens-remaining': '0',
  'anthropic-ratelimit-tokens-limit': '48000',
  'anthropic-ratelimit-tokens-remaining': '48000',
};

describe('utilizationFromHeaders', () => {
  test('each window with a limit and a remaining count reads 1 - remaining/limit, with its reset time', () => {
    expect(utilizationFromHeaders(ALL_WINDOWS)).toEqual([
      { window: 'requests', utilization: 0.02, resetsAt: NOW + 60_000 },
      { window: 'input_tokens', utilization: 0.75, resetsAt: NOW + 60_000 },
      { window: 'output_tokens', utilization: 1, resetsAt: undefined },
      { window: 'tokens', utilization: 0, resetsAt: undefined },
    ]);
  });

  test('a window without a positive limit or a numeric remaining is left out; values stay in [0, 1]', () => {
    expect(utilizationFromHeaders({ 'content-type': 'application/json' })).toEqual([]);
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-requests-limit': '50' })).toEqual([]);
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-requests-limit': '0', 'anthropic-ratelimit-requests-remaining': '0' })).toEqual([]);
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': 'many' })).toEqual([]);
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-tokens-limit': '10', 'anthropic-ratelimit-tokens-remaining': '12' })).toEqual([
      { window: 'tokens', utilization: 0, resetsAt: undefined },
    ]);
  });
});

describe('the unified 5h and 7d windows', () => {
  test('utilization is already a fraction; reset in epoch seconds or RFC 3339', () => {
    expect(
      utilizationFromHeaders({
        'anthropic-ratelimit-unified-5h-utilization': '0.42',
        'anthropic-ratelimit-unified-5h-reset': String((NOW + 3_600_000) / 1000),
        'anthropic-ratelimit-unified-7d-utilization': '1.3',
        'anthropic-ratelimit-unified-7d-reset': IN_A_MINUTE,
      }),
    ).toEqual([
      { window: '5h', utilization: 0.42, resetsAt: NOW + 3_600_000 },
      { window: '7d', utilization: 1, resetsAt: NOW + 60_000 },
    ]);
  });

  test('a missing or non-numeric utilization is left out; a bad reset is unknown', () => {
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-unified-5h-reset': '1700000000' })).toEqual([]);
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-unified-7d-utilization': 'high' })).toEqual([]);
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-unified-7d-utilization': '', 'anthropic-ratelimit-unified-5h-utilization': '0' })).toEqual([
      { window: '5h', utilization: 0, resetsAt: undefined },
    ]);
    expect(utilizationFromHeaders({ 'anthropic-ratelimit-unified-5h-utilization': '0.5', 'anthropic-ratelimit-unified-5h-reset': 'soon' })).toEqual([
      { window: '5h', utilization: 0.5, resetsAt: undefined },
    ]);
  });
});

describe('UpstreamUtilization', () => {
  function observed(tracker: UpstreamUtilization, live: (id: string) => boolean, now: number) {
    const points: [number, UtilizationLabels][] = [];
    tracker.observe({ observe: (value, labels) => points.push([value, labels!]) }, live, now);
    return points;
  }

  test('the latest reply per window wins; a window past its reset reads 0', () => {
    const tracker = new UpstreamUtilization();
    tracker.record('ep-1', ALL_WINDOWS);
    tracker.record('ep-1', { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '25', 'anthropic-ratelimit-requests-reset': IN_A_MINUTE });
    expect(observed(tracker, () => true, NOW)).toEqual([
      [0.5, { endpoint_id: 'ep-1', window: 'requests' }],
      [0.75, { endpoint_id: 'ep-1', window: 'input_tokens' }],
      [1, { endpoint_id: 'ep-1', window: 'output_tokens' }],
      [0, { endpoint_id: 'ep-1', window: 'tokens' }],
    ]);
    expect(observed(tracker, () => true, NOW + 60_000).slice(0, 2)).toEqual([
      [0, { endpoint_id: 'ep-1', window: 'requests' }],
      [0, { endpoint_id: 'ep-1', window: 'input_tokens' }],
    ]);
  });

  test('an endpoint that is no longer live reads 0 once, then is forgotten', () => {
    const tracker = new UpstreamUtilization();
    tracker.record('gone', { 'anthropic-ratelimit-requests-limit': '10', 'anthropic-ratelimit-requests-remaining': '1' });
    tracker.record('kept', { 'anthropic-ratelimit-tokens-limit': '100', 'anthropic-ratelimit-tokens-remaining': '90' });
    expect(observed(tracker, (id) => id === 'kept', NOW)).toEqual([
      [0, { endpoint_id: 'gone', window: 'requests' }],
      [0.1, { endpoint_id: 'kept', window: 'tokens' }],
    ]);
    expect(observed(tracker, () => true, NOW).map(([, labels]) => labels.endpoint_id)).toEqual(['kept']);
  });
});

describe('ccag_upstream_utilization', () => {
  let metrics: Metrics;
  afterEach(() => metrics.shutdown());

  test('scrapes per endpoint and window; a removed endpoint drops to 0', async () => {
    metrics = createMetrics({ otlpIntervalMs: 60_000 });
    const live = new Set(['ep-a', 'ep-b']);
    const observe = createRecorders(metrics.instruments, { endpointKind: (id) => (live.has(id) ? 'anthropic' : undefined) });
    observe.upstreamReply('ep-a', { 'anthropic-ratelimit-requests-limit': '4', 'anthropic-ratelimit-requests-remaining': '1' });
    observe.upstreamReply('ep-b', { 'anthropic-ratelimit-output-tokens-limit': '100', 'anthropic-ratelimit-output-tokens-remaining': '90' });
    observe.upstreamReply('ep-b', { 'content-type': 'application/json' });
    observe.upstreamReply('ep-b', { 'anthropic-ratelimit-unified-5h-utilization': '0.25', 'anthropic-ratelimit-unified-7d-utilization': '0.5' });

    let text = await metrics.scrape();
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-a",window="requests"}')).toBe(0.75);
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-b",window="output_tokens"}')).toBe(0.1);
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-b",window="5h"}')).toBe(0.25);
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-b",window="7d"}')).toBe(0.5);
    expect(text.match(/^ccag_upstream_utilization\{/gm)).toHaveLength(4);

    live.delete('ep-a');
    text = await metrics.scrape();
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-a",window="requests"}')).toBe(0);
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-b",window="output_tokens"}')).toBe(0.1);
    // Forgotten, and the SDK keeps the last value: it stays 0.
    text = await metrics.scrape();
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-a",window="requests"}')).toBe(0);
  });
});
