/**
 * The endpoint cooldown state machine with an injected clock: retry-after honoured then recovery
 * through one probe, exponential and bounded backoff, one probe at a time, throttles of one
 * episode counted once, failures, active checks, headroom and the events the pool persists.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { EndpointHealth, type EndpointEvent } from '../../src/routing/health/endpoint-health.js';

const T0 = 1_000_000;
let now: number;
let events: EndpointEvent[];
const clock = () => now;
const health = (options = {}) => new EndpointHealth('ep-1', { clock, onEvent: (event) => events.push(event), ...options });
const kinds = () => events.map((event) => `${event.kind}:${event.reason}${event.durationMs === null ? '' : `:${event.durationMs}`}`);

beforeEach(() => {
  now = T0;
  events = [];
});

describe('throttling and cooldown', () => {
  test('retry-after is honoured; then one probe goes through and its success restores the endpoint', () => {
    const ep = health();
    ep.begin(now).throttled(30_000);
    expect(ep.state(now)).toBe('cooling');
    expect(ep.available(now)).toBe(false);
    expect(ep.availableAt(now)).toBe(T0 + 30_000);
    expect(ep.snapshot(now)).toMatchObject({ state: 'cooling', cooling_until: new Date(T0 + 30_000).toISOString(), consecutive_throttles: 1 });

    now = T0 + 29_999;
    expect(ep.state(now)).toBe('cooling');
    now = T0 + 30_000;
    expect(ep.state(now)).toBe('probing');
    expect(ep.available(now)).toBe(true);
    const probe = ep.begin(now);
    expect(probe.probe).toBe(true);
    probe.succeeded();
    expect(ep.state(now)).toBe('healthy');
    expect(ep.snapshot(now).consecutive_throttles).toBe(0);
    expect(kinds()).toEqual(['throttle:throttled', 'cooldown:throttled:30000', 'recovered:succeeded:30000']);
  });

  test('retry-after is bounded by the minimum and maximum cooldown', () => {
    const ep = health({ minCooldownMs: 1_000, maxCooldownMs: 60_000 });
    ep.begin(now).throttled(10);
    expect(ep.availableAt(now)).toBe(T0 + 1_000);
    now += 1_000;
    ep.begin(now).throttled(3_600_000);
    expect(ep.availableAt(now)).toBe(now + 60_000);
  });

  test('without retry-after, consecutive throttles back off exponentially up to the maximum; a success resets', () => {
    const ep = health({ minCooldownMs: 1_000, maxCooldownMs: 10_000 });
    const cooldowns: number[] = [];
    for (let i = 0; i < 6; i++) {
      ep.begin(now).throttled(undefined);
      cooldowns.push(ep.availableAt(now) - now);
      now = ep.availableAt(now);
    }
    expect(cooldowns).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    ep.begin(now).succeeded();
    ep.begin(now).throttled(undefined);
    expect(ep.availableAt(now) - now).toBe(1_000);
  });

  test('a throttled probe cools the endpoint down again, for longer', () => {
    const ep = health();
    ep.begin(now).throttled(undefined);
    now += 1_000;
    const probe = ep.begin(now);
    expect(probe.probe).toBe(true);
    probe.throttled(undefined, { reason: 'overloaded' });
    expect(ep.state(now)).toBe('cooling');
    expect(ep.availableAt(now) - now).toBe(2_000);
    expect(kinds()).toEqual(['throttle:throttled', 'cooldown:throttled:1000', 'throttle:overloaded', 'cooldown:overloaded:2000']);
  });

  test('one probe at a time: until it settles the endpoint is unavailable, and an abandoned probe frees the slot', () => {
    const ep = health();
    ep.begin(now).throttled(5_000);
    now += 5_000;
    const probe = ep.begin(now);
    expect(probe.probe).toBe(true);
    expect(ep.state(now)).toBe('probing');
    expect(ep.available(now)).toBe(false);
    // Forced through as a last resort: not a second probe.
    const extra = ep.begin(now);
    expect(extra.probe).toBe(false);
    expect(ep.snapshot(now).in_flight).toBe(2);
    probe.abandoned();
    expect(ep.available(now)).toBe(true);
    const second = ep.begin(now);
    expect(second.probe).toBe(true);
    second.succeeded();
    expect(ep.state(now)).toBe('healthy');
    extra.abandoned();
    expect(ep.snapshot(now).in_flight).toBe(0);
  });

  test('requests throttled together are one episode: counted once, a longer retry-after extends the cooldown', () => {
    const ep = health();
    const attempts = [ep.begin(now), ep.begin(now), ep.begin(now)];
    attempts[0]!.throttled(undefined);
    attempts[1]!.throttled(undefined);
    attempts[2]!.throttled(20_000);
    expect(ep.snapshot(now).consecutive_throttles).toBe(1);
    expect(ep.availableAt(now)).toBe(T0 + 20_000);
    expect(kinds().filter((kind) => kind.startsWith('cooldown'))).toHaveLength(1);
  });

  test('a request begun before the cooldown that ends well proves nothing: the cooldown stands', () => {
    const ep = health();
    const longStream = ep.begin(now);
    ep.begin(now).throttled(10_000);
    now += 4_000;
    longStream.succeeded();
    expect(ep.state(now)).toBe('cooling');
    expect(ep.snapshot(now).consecutive_throttles).toBe(1);
  });

  test('an outcome counts once', () => {
    const ep = health();
    const attempt = ep.begin(now);
    attempt.succeeded();
    attempt.throttled(1_000);
    attempt.failed('unreachable');
    expect(ep.state(now)).toBe('healthy');
    expect(ep.snapshot(now).in_flight).toBe(0);
  });
});

describe('failures', () => {
  test('three unreachable or 5xx failures in a row cool the endpoint down; a success in between resets the count', () => {
    const ep = health({ failureThreshold: 3 });
    ep.begin(now).failed('unreachable');
    ep.begin(now).failed('server_error');
    ep.begin(now).succeeded();
    ep.begin(now).failed('unreachable');
    ep.begin(now).failed('unreachable');
    expect(ep.state(now)).toBe('healthy');
    ep.begin(now).failed('server_error');
    expect(ep.state(now)).toBe('cooling');
    expect(ep.snapshot(now).last_error).toBe('server_error');
    expect(kinds().at(-1)).toBe('cooldown:server_error:1000');
    // The probe fails: straight back to cooling, for longer.
    now += 1_000;
    ep.begin(now).failed('unreachable');
    expect(ep.availableAt(now) - now).toBe(2_000);
  });
});

describe('active health checks', () => {
  test('a failed check marks the endpoint unhealthy (last resort, no time known); a passing one restores it', () => {
    const ep = health();
    ep.checked(false, 'AccessDeniedException: not authorized', now);
    expect(ep.state(now)).toBe('unhealthy');
    expect(ep.available(now)).toBe(false);
    expect(ep.availableAt(now)).toBe(Number.POSITIVE_INFINITY);
    expect(ep.snapshot(now)).toMatchObject({ state: 'unhealthy', last_check_at: new Date(T0).toISOString(), last_error: 'AccessDeniedException: not authorized' });
    ep.checked(false, 'still failing', now + 1);
    now += 60_000;
    ep.checked(true, undefined, now);
    expect(ep.state(now)).toBe('healthy');
    expect(kinds()).toEqual(['unhealthy:health_check', 'recovered:health_check:60000']);
  });

  test('a passing check ends an expired cooldown but not a running one', () => {
    const ep = health();
    ep.begin(now).throttled(10_000);
    ep.checked(true, undefined, now + 5_000);
    expect(ep.state(now + 5_000)).toBe('cooling');
    now += 10_000;
    ep.checked(true, undefined, now);
    expect(ep.state(now)).toBe('healthy');
    // It answers, but capacity is unproven: the next throttle still backs off longer.
    ep.begin(now).throttled(undefined);
    expect(ep.availableAt(now) - now).toBe(2_000);
  });
});

describe('headroom', () => {
  const headers = (remaining: number) => ({ 'anthropic-ratelimit-requests-limit': '100', 'anthropic-ratelimit-requests-remaining': String(remaining) });

  test('orders endpoints by rate-limit utilization, recent throttles and in-flight requests', () => {
    const idle = health();
    const busy = health();
    busy.begin(now).succeeded(headers(20));
    const loaded = health();
    for (let i = 0; i < 8; i++) loaded.begin(now);
    expect(idle.headroom(now)).toBe(1);
    expect(busy.headroom(now)).toBeCloseTo(0.2);
    expect(loaded.headroom(now)).toBeCloseTo(0.5);

    const throttled = health();
    throttled.begin(now).throttled(1_000);
    expect(throttled.headroom(now)).toBe(0);
    now += 1_000;
    throttled.begin(now).succeeded();
    // One throttle a second ago: heat ≈ 1, headroom ≈ 1/2, recovering as it decays.
    expect(throttled.headroom(now)).toBeCloseTo(1 / (1 + 0.5 ** (1 / 60)), 5);
    expect(throttled.headroom(now + 600_000)).toBeGreaterThan(0.99);
  });

  test('a window past its reset counts as replenished; the unified windows count too', () => {
    const ep = health();
    ep.begin(now).succeeded({
      'anthropic-ratelimit-tokens-limit': '1000',
      'anthropic-ratelimit-tokens-remaining': '100',
      'anthropic-ratelimit-tokens-reset': new Date(T0 + 60_000).toISOString(),
      'anthropic-ratelimit-unified-5h-utilization': '0.6',
    });
    expect(ep.headroom(now)).toBeCloseTo(0.1);
    expect(ep.snapshot(now).utilization).toEqual({ tokens: 0.9, '5h': 0.6 });
    expect(ep.headroom(T0 + 60_000)).toBeCloseTo(0.4);
    expect(ep.snapshot(T0 + 60_000).utilization).toEqual({ tokens: 0, '5h': 0.6 });
  });
});

test('options are checked when the health is built', () => {
  expect(() => health({ minCooldownMs: 0 })).toThrow(/minCooldownMs/);
  expect(() => health({ minCooldownMs: 10_000, maxCooldownMs: 1_000 })).toThrow(/maxCooldownMs/);
});
