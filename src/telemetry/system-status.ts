/**
 * The gateway at a glance, for GET /admin/system and the portal's System page: version, uptime,
 * whether the database and Redis answer (and how fast), endpoints, sign-in methods and identity
 * providers, and the spend rows still queued. Everything but the two pings is read from memory,
 * so the answer comes even while the database is down; a probe that does not answer within
 * `probeTimeoutMs` counts as unreachable rather than holding the request.
 */
import type { EndpointCounts } from '../routing/endpoint-pool.js';
import type { Dialect } from '../store/database.js';

export interface Probe {
  readonly status: 'connected' | 'unreachable';
  /** Round-trip time of the ping; null when it failed. */
  readonly latencyMs: number | null;
}

export interface ProviderSummary {
  readonly name: string;
  readonly displayName: string;
  readonly issuer: string;
  readonly enabled: boolean;
  readonly scimEnabled: boolean;
}

export interface SystemReport {
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly health: 'healthy' | 'degraded';
  readonly database: Probe & { readonly dialect: Dialect };
  readonly redis: Probe | null;
  readonly endpoints: EndpointCounts;
  readonly identityProviders: readonly ProviderSummary[];
  readonly ledgerQueued: number;
}

export interface SystemStatusDeps {
  readonly version: string;
  readonly startedAt: number;
  readonly database: { readonly dialect: Dialect; ping(): Promise<void> };
  /** Absent without REDIS_URL. */
  readonly redis?: { ping(): Promise<unknown> } | undefined;
  readonly endpoints: () => EndpointCounts;
  readonly identityProviders: () => readonly ProviderSummary[];
  readonly ledgerQueued: () => number;
  readonly clock?: () => number;
  readonly probeTimeoutMs?: number;
}

async function probe(ping: () => Promise<unknown>, timeoutMs: number): Promise<Probe> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer in time')), timeoutMs);
  });
  try {
    await Promise.race([ping(), timeout]);
    return { status: 'connected', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { status: 'unreachable', latencyMs: null };
  } finally {
    clearTimeout(timer);
  }
}

export function createSystemStatus(deps: SystemStatusDeps) {
  const clock = deps.clock ?? Date.now;
  const timeoutMs = deps.probeTimeoutMs ?? 2_000;
  return {
    async report(): Promise<SystemReport> {
      const [database, redis] = await Promise.all([
        probe(() => deps.database.ping(), timeoutMs),
        deps.redis ? probe(() => deps.redis!.ping(), timeoutMs) : null,
      ]);
      const healthy = database.status === 'connected' && (redis === null || redis.status === 'connected');
      return {
        version: deps.version,
        uptimeSeconds: Math.floor((clock() - deps.startedAt) / 1000),
        health: healthy ? 'healthy' : 'degraded',
        database: { ...database, dialect: deps.database.dialect },
        redis,
        endpoints: deps.endpoints(),
        identityProviders: deps.identityProviders(),
        ledgerQueued: deps.ledgerQueued(),
      };
    },
  };
}

export type SystemStatus = ReturnType<typeof createSystemStatus>;
