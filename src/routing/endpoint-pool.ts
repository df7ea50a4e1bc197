/**
 * The live set of upstream clients built from the endpoint table, and the seam where routing
 * strategies plug in. Today one strategy serves all traffic: the default endpoint.
 */
import { ApiError } from '../errors.js';
import { createUpstream, type UpstreamFactoryOptions } from '../upstreams/index.js';
import type { EndpointConfig, Upstream } from '../upstreams/types.js';
import type { Principal } from '../identity/authenticator.js';
import type { EndpointRow, EndpointsRepo } from './endpoints.repo.js';
import type { EndpointsService } from './endpoints.service.js';

export interface LiveEndpoint {
  readonly id: string;
  readonly name: string;
  readonly kind: 'anthropic' | 'bedrock';
  readonly isDefault: boolean;
  readonly upstream: Upstream;
}

export interface EndpointCounts {
  readonly total: number;
  readonly enabled: number;
  /** The enabled endpoint marked default, by name; null when traffic falls to the first enabled one. */
  readonly default: string | null;
}

export interface RoutingContext {
  readonly principal: Principal;
  readonly model: string;
}

/** Picks the endpoint for a request; later strategies (sticky, round robin, ...) implement this. */
export interface EndpointSelector {
  select(candidates: readonly LiveEndpoint[], context: RoutingContext): LiveEndpoint | undefined;
}

export const defaultEndpointSelector: EndpointSelector = {
  select: (candidates) => candidates.find((e) => e.isDefault) ?? candidates[0],
};

export class EndpointPool {
  private live: LiveEndpoint[] = [];
  private counts: EndpointCounts = { total: 0, enabled: 0, default: null };
  private loadedVersion = '';
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: EndpointsRepo,
    private readonly service: () => EndpointsService,
    private readonly options: UpstreamFactoryOptions,
    private readonly selector: EndpointSelector = defaultEndpointSelector,
  ) {}

  endpoints(): readonly LiveEndpoint[] {
    return this.live;
  }

  /** How many endpoints the table holds, as of the last reload (the admin system view). */
  summary(): EndpointCounts {
    return this.counts;
  }

  select(context: RoutingContext): LiveEndpoint {
    const endpoint = this.selector.select(this.live, context);
    if (!endpoint) {
      throw new ApiError('no_endpoint', 'No upstream endpoint is configured. An administrator can add one with `ccag endpoints add`.');
    }
    return endpoint;
  }

  /** Rebuilds upstream clients when the endpoint table changed (here or on another replica). */
  reload(): Promise<void> {
    // One reload at a time, so two overlapping ones cannot both replace (and leak) the clients.
    const next = this.reloading.then(() => this.reloadNow());
    this.reloading = next.catch(() => {});
    return next;
  }

  private async reloadNow(): Promise<void> {
    const version = await this.repo.version();
    if (version === this.loadedVersion) return;
    const all = await this.repo.list();
    const rows = all.filter((row) => row.enabled === 1);
    const previous = this.live;
    this.live = await Promise.all(rows.map((row) => this.build(row)));
    this.counts = { total: all.length, enabled: rows.length, default: rows.find((row) => row.is_default === 1)?.name ?? null };
    this.loadedVersion = version;
    // In-flight requests hold their own upstream reference; closing lets them finish first.
    for (const old of previous) void old.upstream.close().catch(() => {});
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.reload().catch(onError), intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled(this.live.map((e) => e.upstream.close()));
    this.live = [];
  }

  private async build(row: EndpointRow): Promise<LiveEndpoint> {
    const config = JSON.parse(row.config) as EndpointConfig;
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      isDefault: row.is_default === 1,
      upstream: await createUpstream(config, this.service().secretsOf(row), this.options),
    };
  }
}
