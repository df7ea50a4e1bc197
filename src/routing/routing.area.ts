/**
 * Routing: the endpoints (stored with sealed credentials), the live pool of upstream clients with
 * each endpoint's health and active checks, team routing mirrored in memory, and the router the
 * data plane asks for a request's failover order.
 */
import type { Logger } from 'pino';
import type { OutboundGuard } from '../config/outbound-guard.js';
import type { SecretBox } from '../config/secret-box.js';
import type { Settings } from '../config/settings.js';
import { CHANGE_POLL_MS, type Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import { createUpstream } from '../upstreams/index.js';
import { createEndpointEventRecorder } from './endpoint-event-recorder.js';
import { createEndpointEventsRepo } from './endpoint-events.repo.js';
import { EndpointPool } from './endpoint-pool.js';
import { createEndpointsRepo } from './endpoints.repo.js';
import { bootstrapEndpointFromEnv, createEndpointsService, type EndpointsService } from './endpoints.service.js';
import type { EndpointEvent } from './health/endpoint-health.js';
import { PoolRouter, type PoolRouterOptions } from './pool-router.js';
import { TeamRoutingMirror } from './team-routing-mirror.js';
import { createTeamRoutingRepo } from './team-routing.repo.js';
import { createTeamRoutingService } from './team-routing.service.js';

export interface RoutingDeps {
  readonly settings: Settings;
  readonly store: Store;
  readonly box: SecretBox;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  /** Team names from identity: routing never reads the teams table. */
  readonly teamNames: () => Promise<Map<string, string>>;
  /** Every health event of the pool (throttles, cooldowns, failovers, ...), for the metrics; the area stores them itself. */
  readonly onEvent: (event: EndpointEvent) => void;
  readonly onModelListFailure: PoolRouterOptions['onModelListFailure'];
  /** The SSRF guard of admin-supplied base and endpoint URLs. */
  readonly outbound: OutboundGuard;
}

export async function createRouting(deps: RoutingDeps) {
  const { settings, store, lifecycle, log } = deps;
  // Every pool event is also stored, in batches off the request path, for the endpoint statistics.
  // Started before the pool, so at shutdown the pool stops first and its last events are written.
  const endpointEventsRepo = createEndpointEventsRepo(store.db);
  const recorder = createEndpointEventRecorder({
    repo: endpointEventsRepo,
    onFlushError: (error) => log.warn({ err: error }, 'endpoint events write failed; kept for the next try'),
  });
  recorder.start();
  lifecycle.owns('endpoint events', recorder, (r) => r.close());
  const onEvent = (event: EndpointEvent) => {
    recorder.record(event);
    deps.onEvent(event);
  };
  const upstreamOptions = { streamPingMs: settings.streamPingMs, timeoutMs: settings.upstreamTimeoutMs, log, outbound: deps.outbound };
  const teamRoutingRepo = createTeamRoutingRepo(store.db);
  const routes = await lifecycle.polled('team routing', new TeamRoutingMirror(teamRoutingRepo));
  const endpointsRepo = createEndpointsRepo(store.db);
  // The pool builds clients from the service's secrets, and the service reloads the pool after a write.
  let endpoints: EndpointsService | undefined;
  const pool = new EndpointPool(endpointsRepo, () => endpoints!, {
    ...upstreamOptions,
    routes,
    health: { minCooldownMs: settings.cooldownMinMs, maxCooldownMs: settings.cooldownMaxMs, onEvent },
    healthCheckIntervalMs: settings.healthCheckIntervalMs,
  });
  endpoints = createEndpointsService({
    repo: endpointsRepo,
    box: deps.box,
    onChange: () => pool.reload(),
    teamNames: () => deps.teamNames(),
    createUpstream: (config, secrets) => createUpstream(config, secrets, upstreamOptions),
    liveUpstream: (id) => pool.endpoints().find((endpoint) => endpoint.id === id)?.upstream,
    outbound: deps.outbound,
  });
  const bootstrapEndpoint = await bootstrapEndpointFromEnv(endpointsRepo, endpoints, settings);
  await pool.reload();
  pool.start(CHANGE_POLL_MS, (error) => log.warn({ err: error }, 'endpoint reload failed'));
  lifecycle.owns('endpoint pool', pool, (p) => p.close());
  lifecycle.changes.follow('endpoint pool', () => pool.reload());
  return {
    endpoints,
    pool,
    bootstrapEndpoint,
    /** Pool events per endpoint and kind over a range (GET /admin/endpoints/stats). */
    endpointEvents: endpointEventsRepo,
    routing: createTeamRoutingService({ repo: teamRoutingRepo, endpoints: endpointsRepo, teams: { names: deps.teamNames }, onChange: () => routes.refresh() }),
    router: new PoolRouter(pool, {
      teamName: async (teamId) => (await deps.teamNames()).get(teamId),
      onModelListFailure: deps.onModelListFailure,
      onFailover: onEvent,
    }),
  };
}

export type Routing = Awaited<ReturnType<typeof createRouting>>;
