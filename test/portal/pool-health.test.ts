import { describe, expect, it } from 'vitest';
import { meterStatus, stateBadge, stateText, utilizationBars } from '../../portal/src/features/endpoints/pool-health.js';
import { statsRowName, statsTotals } from '../../portal/src/features/endpoints/endpoint-stats.js';

describe('pool health', () => {
  it('says until when a cooling endpoint rests, in the viewer’s zone', () => {
    expect(stateText({ state: 'cooling', cooling_until: '2026-03-01T14:03:22.000Z' }, 'UTC')).toBe('cooling until 14:03:22');
    expect(stateText({ state: 'cooling', cooling_until: '2026-03-01T14:03:22.000Z' }, 'Europe/Berlin')).toBe('cooling until 15:03:22');
    expect(stateText({ state: 'cooling', cooling_until: null })).toBe('cooling');
    expect(stateText({ state: 'unhealthy', cooling_until: null })).toBe('unhealthy');
  });

  it('gives every state a badge, never colour alone (the state is written out too)', () => {
    expect(['healthy', 'cooling', 'probing', 'unhealthy', 'disabled'].map((state) => stateBadge(state as never))).toEqual([
      'badge-healthy', 'badge-warn', 'badge-warn', 'badge-danger', 'badge-disabled',
    ]);
  });

  it('lists the 5-hour and 7-day windows first, then the per-minute ones, clamped to 0..100%', () => {
    expect(utilizationBars({ tokens: 0.2, '7d': 0.91, requests: 0.5, '5h': 0.42, custom: 1.7 })).toEqual([
      { window: '5h', label: '5-hour window', percent: 42, status: 'ok' },
      { window: '7d', label: '7-day window', percent: 91, status: 'blocked' },
      { window: 'requests', label: 'requests per minute', percent: 50, status: 'ok' },
      { window: 'tokens', label: 'tokens per minute', percent: 20, status: 'ok' },
      { window: 'custom', label: 'custom', percent: 100, status: 'blocked' },
    ]);
    expect(utilizationBars({})).toEqual([]);
    expect([0.74, 0.75, 0.89, 0.9].map(meterStatus)).toEqual(['ok', 'warning', 'warning', 'blocked']);
  });
});

describe('endpoint statistics', () => {
  const row = (name: string | null, requests: number, throttles: number) => ({
    endpoint_id: `id-${name}`, name, kind: null, requests, errors: 0, error_rate: null, avg_latency_ms: null, p99_latency_ms: null,
    throttles, cooldowns: throttles, failovers: 1, cache_hit_rate: null,
  });

  it('names a deleted endpoint by its id', () => {
    expect(statsRowName({ name: null, endpoint_id: 'ep-1' })).toBe('ep-1 (deleted)');
    expect(statsRowName({ name: 'bedrock-us', endpoint_id: 'ep-1' })).toBe('bedrock-us');
  });

  it('adds up the rows', () => {
    expect(statsTotals([row('a', 10, 2), row(null, 5, 1)])).toEqual({ requests: 15, throttles: 3, cooldowns: 3, failovers: 2 });
  });
});
