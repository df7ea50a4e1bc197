/**
 * The live set of upstream clients built from the endpoint table, each with the record of its
 * calls, and the route a caller's requests take over them.
 */
import { createUpstream, type UpstreamFactoryOptions } from '../upstreams/index.js';
import type { EndpointConfig, Upstream } from '../upstreams/types.js';

const IGNORED_ATTEMPT: EndpointAttempt = { succeeded() {}, throttled() {}, failed() {}, abandoned() {} };
import type { Principal } from '../identity/authenticator.js';
import type { EndpointRow, EndpointsRepo } from './endpoints.repo.js';
import type { EndpointsService } from './endpoints.service.js';
import type { EndpointAttempt, RoutedEndpoint } from './router.js';

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

export class EndpointPool {
  private live: RoutedEndpoint[] = [];
  private counts: EndpointCounts = { total: 0, enabled: 0, default: null };
  private loadedVersion = '';
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: EndpointsRepo,
    private readonly service: () => EndpointsService,
    private readonly options: UpstreamFactoryOptions,
  ) {}

  endpoints(): readonly RoutedEndpoint[] {
    return this.live;
  }

  /** The endpoints a caller's requests may use, in the route's order: default first, then by priority. */
  route(_principal: Principal): readonly RoutedEndpoint[] {
    return this.live;
  }

  /** How a team is named in a routing error. */
  teamLabel(teamId: string): string {
    return teamId;
  }

  /** How many endpoints the table holds, as of the last reload (the admin system view). */
  summary(): EndpointCounts {
    return this.counts;
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
    const built = await Promise.all(rows.map((row) => this.build(row)));
    this.live = built.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.priority - b.priority);
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

  private async build(row: EndpointRow): Promise<RoutedEndpoint> {
    const config = JSON.parse(row.config) as EndpointConfig;
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      isDefault: row.is_default === 1,
      priority: row.priority,
      upstream: await createUpstream(config, this.service().secretsOf(row), this.options),
      begin: () => IGNORED_ATTEMPT,
    };
  }
}
