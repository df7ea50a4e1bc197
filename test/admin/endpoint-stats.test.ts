/** How GET /admin/endpoints/stats composes the spend and routing areas' figures (pure). */
import { describe, expect, it } from 'vitest';
import { endpointStatsRows } from '../../src/admin/endpoint-stats.routes.js';
import type { EndpointTrafficView } from '../../src/admin/analytics.routes.js';
import type { EndpointView } from '../../src/routing/endpoints.service.js';

const endpoint = (id: string, name: string): EndpointView => ({
  id, name, kind: 'bedrock', config: {}, has_credentials: false, is_default: false, enabled: true, priority: 100, created_at: '', updated_at: '',
});
const traffic = (endpoint_id: string | null, requests: number): EndpointTrafficView => ({
  endpoint_id, endpoint_name: null, requests, errors: 1, error_rate: 1 / requests, avg_latency_ms: 900, p99_latency_ms: 4000, cache_hit_rate: 0.5,
});

describe('endpoint statistics rows', () => {
  it('lists configured endpoints in the given order, then deleted ones by requests; requests without an endpoint are left out', () => {
    const rows = endpointStatsRows(
      [endpoint('b', 'second'), endpoint('a', 'first')],
      [traffic('gone-1', 3), traffic('a', 10), traffic(null, 7), traffic('gone-2', 5)],
      new Map([['a', { throttle: 4, cooldown: 2 }], ['gone-2', { failover: 1 }]]),
    );
    expect(rows.map((row) => [row.endpoint_id, row.name, row.requests, row.throttles, row.cooldowns, row.failovers])).toEqual([
      ['b', 'second', 0, 0, 0, 0],
      ['a', 'first', 10, 4, 2, 0],
      ['gone-2', null, 5, 0, 0, 1],
      ['gone-1', null, 3, 0, 0, 0],
    ]);
    expect(rows[0]).toMatchObject({ kind: 'bedrock', error_rate: null, avg_latency_ms: null, p99_latency_ms: null, cache_hit_rate: null });
    expect(rows[1]).toMatchObject({ errors: 1, avg_latency_ms: 900, p99_latency_ms: 4000, cache_hit_rate: 0.5 });
  });

  it('an endpoint with events but no traffic in the range still shows its events', () => {
    const [row] = endpointStatsRows([endpoint('a', 'first')], [], new Map([['a', { failover: 2, unhealthy: 1 }]]));
    expect(row).toMatchObject({ requests: 0, failovers: 2, throttles: 0 });
  });
});
