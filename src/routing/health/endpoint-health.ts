/**
 * One endpoint's health on this replica: a cooldown state machine fed by the outcome of every
 * request and by active health checks.
 *
 *   healthy ──throttle / N failures──▶ cooling ──time──▶ probing ──probe succeeds──▶ healthy
 *                                         ▲                 │
 *                                         └──probe throttled or failed (longer cooldown)
 *   any ──health check fails──▶ unhealthy ──check passes (or a request succeeds)──▶ healthy
 *
 * Throttles are counted per episode, not per request: when many requests in flight are throttled
 * together, the first starts the cooldown and the others (begun before it) only extend it to
 * their own retry-after. Likewise only a success of a request begun after the latest cooldown
 * started proves recovery; a long stream that began earlier and ends well says nothing new.
 */
import { currentUtilization, DecayingCount, headroomOf } from './headroom.js';
import { utilizationFromHeaders, type ReplyHeaders, type UtilizationReading, type UtilizationWindow } from './rate-limit-headers.js';
import type { HealthView } from '../strategies/types.js';

export type HealthState = 'healthy' | 'cooling' | 'probing' | 'unhealthy';

export interface EndpointEvent {
  readonly endpointId: string;
  readonly kind: 'throttle' | 'cooldown' | 'failover' | 'unhealthy' | 'recovered';
  /** throttled, overloaded, unreachable, server_error, health_check, ... */
  readonly reason: string | null;
  /** Cooldown events: how long it lasts; recovered events: how long the endpoint was out. */
  readonly durationMs: number | null;
  readonly at: number;
}

export interface HealthOptions {
  /** Bounds of one cooldown, whatever retry-after says. */
  readonly minCooldownMs: number;
  readonly maxCooldownMs: number;
  /** Consecutive unreachable/5xx failures that cool an endpoint down. */
  readonly failureThreshold: number;
  /** Half-life of the throttle heat in the headroom. */
  readonly throttleHalfLifeMs: number;
  /** In-flight requests at which the headroom halves. */
  readonly inFlightScale: number;
  readonly clock: () => number;
  readonly onEvent: (event: EndpointEvent) => void;
}

export const DEFAULT_HEALTH_OPTIONS: HealthOptions = {
  minCooldownMs: 1_000,
  maxCooldownMs: 300_000,
  failureThreshold: 3,
  throttleHalfLifeMs: 60_000,
  inFlightScale: 8,
  clock: Date.now,
  onEvent: () => {},
};

/** One request to the endpoint; exactly one of its outcomes counts (later calls are ignored). */
export interface Attempt {
  /** Whether this is the one request let through to test a cooled-down endpoint. */
  readonly probe: boolean;
  succeeded(headers?: ReplyHeaders): void;
  /** Throttled (Bedrock ThrottlingException, Anthropic 429/529); retryAfterMs from retry-delay parsing. */
  throttled(retryAfterMs: number | undefined, detail?: { reason?: 'throttled' | 'overloaded'; headers?: ReplyHeaders }): void;
  /** Unreachable, timed out or a 5xx: `reason` such as unreachable or server_error. */
  failed(reason: string): void;
  /** The client went away before an outcome: no verdict on the endpoint. */
  abandoned(): void;
}

export interface HealthSnapshot {
  state: HealthState;
  cooling_until: string | null;
  consecutive_throttles: number;
  in_flight: number;
  utilization: Partial<Record<UtilizationWindow, number>>;
  last_check_at: string | null;
  last_error: string | null;
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export class EndpointHealth implements HealthView {
  private readonly options: HealthOptions;
  private coolingUntil = 0;
  /** Set when a cooldown starts; cleared by a success (the probe's) or a passing check. */
  private awaitingProbe = false;
  private probeInFlight = false;
  private unhealthy = false;
  /** When the endpoint went out (cooldown or unhealthy), for the recovered event's duration. */
  private outSince: number | null = null;
  /** Moves whenever the endpoint goes out, so outcomes of older requests are told apart. */
  private generation = 0;
  private consecutiveThrottles = 0;
  private consecutiveFailures = 0;
  private inFlight = 0;
  private readonly readings = new Map<UtilizationWindow, UtilizationReading>();
  private readonly heat: DecayingCount;
  private lastCheckAt: number | null = null;
  private lastError: string | null = null;

  constructor(
    readonly endpointId: string,
    options: Partial<HealthOptions> = {},
  ) {
    this.options = { ...DEFAULT_HEALTH_OPTIONS, ...options };
    if (!(this.options.minCooldownMs > 0 && this.options.maxCooldownMs >= this.options.minCooldownMs)) {
      throw new Error('endpoint health: need 0 < minCooldownMs <= maxCooldownMs');
    }
    this.heat = new DecayingCount(this.options.throttleHalfLifeMs);
  }

  state(now: number): HealthState {
    if (this.unhealthy) return 'unhealthy';
    if (now < this.coolingUntil) return 'cooling';
    return this.awaitingProbe ? 'probing' : 'healthy';
  }

  available(now: number): boolean {
    const state = this.state(now);
    return state === 'healthy' || (state === 'probing' && !this.probeInFlight);
  }

  availableAt(now: number): number {
    const state = this.state(now);
    if (state === 'unhealthy') return Number.POSITIVE_INFINITY;
    return state === 'cooling' ? this.coolingUntil : now;
  }

  headroom(now: number): number {
    if (!this.available(now)) return 0;
    const windows = Object.values(currentUtilization(this.readings, now));
    return headroomOf({
      utilization: windows.length === 0 ? 0 : Math.max(...windows),
      heat: this.heat.valueAt(now),
      inFlight: this.inFlight,
      inFlightScale: this.options.inFlightScale,
    });
  }

  /** The snapshot of an endpoint nothing has happened to yet. */
  static idle(): HealthSnapshot {
    return { state: 'healthy', cooling_until: null, consecutive_throttles: 0, in_flight: 0, utilization: {}, last_check_at: null, last_error: null };
  }

  /** Starts a request. The first one while probing is the probe; until it settles the endpoint is not available. */
  begin(now: number): Attempt {
    const probe = this.state(now) === 'probing' && !this.probeInFlight;
    if (probe) this.probeInFlight = true;
    this.inFlight++;
    const generation = this.generation;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (probe) this.probeInFlight = false;
      outcome();
    };
    return {
      probe,
      succeeded: (headers) => settle(() => this.onSuccess(generation, headers)),
      throttled: (retryAfterMs, detail) => settle(() => this.onThrottle(generation, retryAfterMs, detail?.reason ?? 'throttled', detail?.headers)),
      failed: (reason) => settle(() => this.onFailure(generation, probe, reason)),
      abandoned: () => settle(() => {}),
    };
  }

  /** The outcome of an active health check (e.g. ListInferenceProfiles, GET /v1/models). */
  checked(ok: boolean, error: string | undefined, now: number): void {
    this.lastCheckAt = now;
    if (!ok) {
      this.lastError = error ?? 'health check failed';
      if (this.unhealthy) return;
      this.unhealthy = true;
      this.wentOut(now);
      this.emit('unhealthy', 'health_check', null, now);
      return;
    }
    // A passing check ends an expired cooldown too, but keeps the throttle count: it says the
    // endpoint answers, not that it has capacity, so the next throttle still backs off longer.
    if (this.unhealthy || (this.awaitingProbe && now >= this.coolingUntil)) this.recover('health_check', now);
  }

  snapshot(now: number): HealthSnapshot {
    const state = this.state(now);
    return {
      state,
      cooling_until: state === 'cooling' ? iso(this.coolingUntil) : null,
      consecutive_throttles: this.consecutiveThrottles,
      in_flight: this.inFlight,
      utilization: currentUtilization(this.readings, now),
      last_check_at: iso(this.lastCheckAt),
      last_error: this.lastError,
    };
  }

  private onSuccess(generation: number, headers: ReplyHeaders | undefined): void {
    if (headers) this.record(headers);
    this.consecutiveFailures = 0;
    if (generation !== this.generation) return;
    this.consecutiveThrottles = 0;
    if (this.unhealthy || this.awaitingProbe) this.recover('succeeded', this.options.clock());
  }

  private onThrottle(generation: number, retryAfterMs: number | undefined, reason: string, headers: ReplyHeaders | undefined): void {
    const now = this.options.clock();
    if (headers) this.record(headers);
    this.heat.add(now);
    this.emit('throttle', reason, null, now);
    if (generation !== this.generation) {
      // The same episode as the cooldown already running: honour a longer retry-after, count nothing.
      if (retryAfterMs !== undefined && now < this.coolingUntil) this.coolingUntil = Math.max(this.coolingUntil, now + this.bounded(retryAfterMs));
      return;
    }
    this.consecutiveThrottles++;
    const backoff = this.options.minCooldownMs * 2 ** (this.consecutiveThrottles - 1);
    this.coolDown(this.bounded(retryAfterMs ?? backoff), reason, now);
  }

  private onFailure(generation: number, probe: boolean, reason: string): void {
    const now = this.options.clock();
    this.consecutiveFailures++;
    this.lastError = reason;
    const { failureThreshold, minCooldownMs } = this.options;
    if (generation !== this.generation || (!probe && this.consecutiveFailures < failureThreshold)) return;
    // A failed probe re-opens at once; repeated failures back off like throttles do.
    const backoff = minCooldownMs * 2 ** Math.max(0, this.consecutiveFailures - failureThreshold);
    this.coolDown(this.bounded(backoff), reason, now);
  }

  private coolDown(durationMs: number, reason: string, now: number): void {
    this.coolingUntil = now + durationMs;
    this.awaitingProbe = true;
    this.wentOut(now);
    this.emit('cooldown', reason, durationMs, now);
  }

  private wentOut(now: number): void {
    this.generation++;
    this.outSince ??= now;
  }

  private recover(reason: string, now: number): void {
    this.unhealthy = false;
    this.awaitingProbe = false;
    this.coolingUntil = 0;
    this.emit('recovered', reason, this.outSince === null ? null : now - this.outSince, now);
    this.outSince = null;
  }

  private record(headers: ReplyHeaders): void {
    for (const reading of utilizationFromHeaders(headers)) this.readings.set(reading.window, reading);
  }

  private bounded(ms: number): number {
    return Math.min(this.options.maxCooldownMs, Math.max(this.options.minCooldownMs, ms));
  }

  private emit(kind: EndpointEvent['kind'], reason: string | null, durationMs: number | null, at: number): void {
    this.options.onEvent({ endpointId: this.endpointId, kind, reason, durationMs, at });
  }
}
