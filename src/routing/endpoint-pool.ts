/**
 * The live set of upstream clients built from the endpoint table, each with its health on this
 * replica, and the route a caller's requests take over them: the team's endpoints (or the default
 * routing's), narrowed to those serving the model, in the strategy's failover order.
 */
import type { Principal } from '../identity/authenticator.js';
import { createUpstream, type UpstreamFactoryOptions } from '../upstreams/index.js';
import type { EndpointConfig, Upstream } from '../upstreams/types.js';
import type { EndpointRow, EndpointsRepo } from './endpoints.repo.js';
import type { EndpointsService } from './endpoints.service.js';
import { EndpointHealth, type EndpointEvent, type HealthOptions, type HealthSnapshot } from './health/endpoint-health.js';
import { retryDelayFromHeaders } from './health/retry-after.js';
import type { EndpointAttempt, RoutedEndpoint } from './router.js';
import { orderCandidates, RouteRotation } from './strategies/index.js';
import type { Route } from './team-routing-mirror.js';

export interface LiveEndpoint {
  readonly id: string;
  readonly name: string;
  readonly kind: 'anthropic' | 'bedrock';
  readonly isDefault: boolean;
  readonly priority: number;
  readonly upstream: Upstream;
}

export interface EndpointCounts {
  readonly total: number;
  readonly enabled: number;
  /** The enabled endpoint marked default, by name; null when traffic falls to the first enabled one. */
  readonly default: string | null;
}

/** An endpoint as the pool-health view shows it (GET /admin/endpoints/health). */
export interface EndpointHealthView extends Omit<HealthSnapshot, 'state'> {
  readonly state: HealthSnapshot['state'] | 'disabled';
  readonly id: string;
  readonly name: string;
  readonly kind: 'anthropic' | 'bedrock';
  readonly enabled: boolean;
}

export interface EndpointPoolOptions extends UpstreamFactoryOptions {
  /** The caller's route from team routing (in memory). */
  readonly routes: { routeFor(teamId: string | null): Route };
  readonly health: Pick<HealthOptions, 'minCooldownMs' | 'maxCooldownMs'> & { readonly onEvent: (event: EndpointEvent) => void };
  /** Active health checks of every live endpoint, this often. */
  readonly healthCheckIntervalMs: number;
}

const HEALTH_CHECK_TIMEOUT_MS = 10_000;

export class EndpointPool {
  private live: RoutedEndpoint[] = [];
  private byId = new Map<string, RoutedEndpoint>();
  /** Health outlives a reload of the table: an edit must not forget a cooldown. */
  private readonly healths = new Map<string, EndpointHealth>();
  private readonly rotation = new RouteRotation();
  private counts: EndpointCounts = { total: 0, enabled: 0, default: null };
  private all: EndpointRow[] = [];
  private loadedVersion = '';
  private pollTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: EndpointsRepo,
    private readonly service: () => EndpointsService,
    private readonly options: EndpointPoolOptions,
  ) {}

  /** Enabled endpoints, default first, then by priority and age. */
  endpoints(): readonly RoutedEndpoint[] {
    return this.live;
  }

  /**
   * The endpoints a caller's request for `model` may use, in failover order; empty when none of
   * the route's endpoints serves it. Answered from memory.
   */
  route(principal: Principal, model: string): readonly RoutedEndpoint[] {
    const route = this.options.routes.routeFor(principal.teamId);
    const members = route.endpointIds.length === 0 ? this.live : this.pick(route.endpointIds);
    const serving = members.filter((endpoint) => endpoint.upstream.serves(model));
    if (serving.length <= 1) return serving;
    return orderCandidates(route.strategy, serving, {
      routeKey: principal.teamId ?? '',
      userKey: principal.userId,
      now: Date.now(),
      health: (id) => this.healthOf(id),
      rotation: this.rotation,
    });
  }

  /** The route's live endpoints whatever the model (the model list, an empty-route explanation). */
  routeMembers(principal: Principal): readonly RoutedEndpoint[] {
    const route = this.options.routes.routeFor(principal.teamId);
    return route.endpointIds.length === 0 ? this.live : this.pick(route.endpointIds);
  }

  /** How many endpoints the table holds, as of the last reload (the admin system view). */
  summary(): EndpointCounts {
    return this.counts;
  }

  /** Every configured endpoint's health on this replica; disabled ones say so. */
  health(now = Date.now()): EndpointHealthView[] {
    return this.all.map((row) => {
      const base = { id: row.id, name: row.name, kind: row.kind, enabled: row.enabled === 1 };
      const snapshot = this.healths.get(row.id)?.snapshot(now) ?? EndpointHealth.idle();
      return { ...base, ...snapshot, ...(row.enabled === 1 ? {} : { state: 'disabled' as const }) };
    });
  }

  /** Whether an endpoint may take requests now (the `ccag.endpoint.healthy` gauge). */
  isHealthy(endpointId: string, now = Date.now()): boolean {
    const state = this.healths.get(endpointId)?.state(now) ?? 'healthy';
    return state === 'healthy' || state === 'probing';
  }

  /** Rebuilds upstream clients when the endpoint table changed (here or on another replica). */
  reload(): Promise<void> {
    // One reload at a time, so two overlapping ones cannot both replace (and leak) the clients.
    const next = this.reloading.then(() => this.reloadNow());
    this.reloading = next.catch(() => {});
    return next;
  }

  /** Polls the table for other replicas' changes and checks every endpoint's health. */
  start(pollIntervalMs: number, onError: (error: unknown) => void): void {
    this.pollTimer = setInterval(() => this.reload().catch(onError), pollIntervalMs);
    this.pollTimer.unref();
    this.checkTimer = setInterval(() => void this.checkAll(), this.options.healthCheckIntervalMs);
    this.checkTimer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.pollTimer);
    clearInterval(this.checkTimer);
    await Promise.allSettled(this.live.map((e) => e.upstream.close()));
    this.live = [];
    this.byId = new Map();
  }

  /** One round of active checks (ListInferenceProfiles, GET /v1/models), each bounded. */
  async checkAll(): Promise<void> {
    await Promise.all(
      this.live.map(async (endpoint) => {
        const health = this.healthOf(endpoint.id);
        try {
          await endpoint.upstream.checkHealth(AbortSignal.timeout(HEALTH_CHECK_TIMEOUT_MS));
          health.checked(true, undefined, Date.now());
        } catch (error) {
          health.checked(false, (error as Error).message.slice(0, 300), Date.now());
        }
      }),
    );
  }

  private pick(ids: readonly string[]): RoutedEndpoint[] {
    const picked: RoutedEndpoint[] = [];
    for (const id of ids) {
      const endpoint = this.byId.get(id);
      if (endpoint) picked.push(endpoint);
    }
    return picked;
  }

  private healthOf(id: string): EndpointHealth {
    let health = this.healths.get(id);
    if (!health) {
      health = new EndpointHealth(id, this.options.health);
      this.healths.set(id, health);
    }
    return health;
  }

  private async reloadNow(): Promise<void> {
    const version = await this.repo.version();
    if (version === this.loadedVersion) return;
    const all = await this.repo.list();
    const rows = all.filter((row) => row.enabled === 1);
    const previous = this.live;
    const built = await Promise.all(rows.map((row) => this.build(row)));
    this.live = built.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.priority - b.priority);
    this.byId = new Map(this.live.map((endpoint) => [endpoint.id, endpoint]));
    for (const id of this.healths.keys()) if (!all.some((row) => row.id === id)) this.healths.delete(id);
    this.all = all;
    this.counts = { total: all.length, enabled: rows.length, default: rows.find((row) => row.is_default === 1)?.name ?? null };
    this.loadedVersion = version;
    // In-flight requests hold their own upstream reference; closing lets them finish first.
    for (const old of previous) void old.upstream.close().catch(() => {});
  }

  private async build(row: EndpointRow): Promise<RoutedEndpoint> {
    const config = JSON.parse(row.config) as EndpointConfig;
    const health = this.healthOf(row.id);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      isDefault: row.is_default === 1,
      priority: row.priority,
      upstream: await createUpstream(config, this.service().secretsOf(row), this.options),
      begin: () => attemptOn(health),
    };
  }
}

/** The pipeline's view of one call, over the endpoint health's own attempt. */
function attemptOn(health: EndpointHealth): EndpointAttempt {
  const attempt = health.begin(Date.now());
  return {
    succeeded: (headers) => attempt.succeeded(headers),
    throttled: (headers, reason) => attempt.throttled(retryDelayFromHeaders(headers, Date.now()), { reason, headers }),
    failed: (reason) => attempt.failed(reason),
    abandoned: () => attempt.abandoned(),
  };
}
