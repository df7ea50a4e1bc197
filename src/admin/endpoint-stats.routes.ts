/**
 * GET /admin/endpoints/stats: per endpoint, its traffic (from the spend rollups) beside its pool
 * events (throttles, cooldowns, failovers, from routing's endpoint_events), over a range. The two
 * areas never read each other's tables; this route composes their services. Every configured
 * endpoint is listed, idle ones with zero counts, in routing order; traffic of endpoints deleted
 * since follows, unnamed, so the figures still add up to the usage totals.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { EndpointEventCounts, EndpointEventsRepo } from '../routing/endpoint-events.repo.js';
import type { EndpointView, EndpointsService } from '../routing/endpoints.service.js';
import type { AnalyticsService } from '../spend/analytics/analytics.service.js';
import { DAY_MS, HOUR_MS } from '../spend/rollups/buckets.js';
import { resolveRange, spanOf, totalSegments } from '../spend/analytics/range.js';
import { instant, type EndpointTrafficView } from './analytics.routes.js';
import { validate } from './validate.js';

const RANGES = { '24h': 24 * HOUR_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS } as const;

const statsQuery = z
  .object({
    range: z.enum(['24h', '7d', '30d'], { error: 'must be 24h, 7d or 30d' }).optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  .strict();

export interface EndpointStatsRow {
  endpoint_id: string;
  /** Null for an endpoint deleted since it served the traffic. */
  name: string | null;
  kind: EndpointView['kind'] | null;
  requests: number;
  errors: number;
  error_rate: number | null;
  avg_latency_ms: number | null;
  p99_latency_ms: number | null;
  throttles: number;
  cooldowns: number;
  failovers: number;
  cache_hit_rate: number | null;
}

export interface EndpointStatsView {
  from: string;
  to: string;
  data: EndpointStatsRow[];
}

export interface EndpointStatsDeps {
  readonly endpoints: Pick<EndpointsService, 'list'>;
  readonly analytics: Pick<AnalyticsService, 'endpoints'>;
  readonly endpointEvents: Pick<EndpointEventsRepo, 'countsBetween'>;
}

/** The rows of the answer, from each area's own figures. Pure. */
export function endpointStatsRows(configured: readonly EndpointView[], traffic: readonly EndpointTrafficView[], events: EndpointEventCounts): EndpointStatsRow[] {
  const byId = new Map(traffic.flatMap((row) => (row.endpoint_id === null ? [] : [[row.endpoint_id, row] as const])));
  const row = (id: string, endpoint: EndpointView | undefined): EndpointStatsRow => {
    const seen = byId.get(id);
    const counted = events.get(id) ?? {};
    return {
      endpoint_id: id,
      name: endpoint?.name ?? null,
      kind: endpoint?.kind ?? null,
      requests: seen?.requests ?? 0,
      errors: seen?.errors ?? 0,
      error_rate: seen?.error_rate ?? null,
      avg_latency_ms: seen?.avg_latency_ms ?? null,
      p99_latency_ms: seen?.p99_latency_ms ?? null,
      throttles: counted.throttle ?? 0,
      cooldowns: counted.cooldown ?? 0,
      failovers: counted.failover ?? 0,
      cache_hit_rate: seen?.cache_hit_rate ?? null,
    };
  };
  const known = new Set(configured.map((endpoint) => endpoint.id));
  const gone = [...byId.values()].filter((seen) => !known.has(seen.endpoint_id!)).sort((a, b) => b.requests - a.requests);
  return [...configured.map((endpoint) => row(endpoint.id, endpoint)), ...gone.map((seen) => row(seen.endpoint_id!, undefined))];
}

export function registerEndpointStatsRoutes(app: FastifyInstance, deps: EndpointStatsDeps): void {
  app.get('/endpoints/stats', async (request): Promise<EndpointStatsView> => {
    const query = validate(statsQuery, request.query);
    if (query.range !== undefined && query.from !== undefined) throw new ApiError('invalid_request', 'range, from: give a range or from (and to), not both');
    const now = Date.now();
    const to = query.to ?? now;
    const range = resolveRange({ from: query.range ? to - RANGES[query.range] : query.from, to }, now);
    // Requests count whole hours (the rollups' grain); events count over the same hours, so
    // throttles and requests describe the same stretch of time.
    const span = spanOf(totalSegments(range));
    const [configured, traffic, events] = await Promise.all([
      deps.endpoints.list(),
      deps.analytics.endpoints({ range, filters: {} }),
      deps.endpointEvents.countsBetween(span.from, span.to),
    ]);
    return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), data: endpointStatsRows(configured, traffic, events) };
  });
}
