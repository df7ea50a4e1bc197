/**
 * The failover order of each strategy: available candidates in the strategy's order, then the
 * unavailable ones soonest first; round robin's spread (chi-square) and least_utilized's headroom.
 */
import { describe, expect, test } from 'vitest';
import { orderCandidates, RouteRotation } from '../../src/routing/strategies/index.js';
import { contextOf, endpoints } from './strategy-fixtures.js';

const ids = (list: readonly { id: string }[]) => list.map((candidate) => candidate.id);
/** χ² critical value for 2 degrees of freedom (3 endpoints) at 99.9%. */
const CHI_SQUARE_2DF_999 = 13.816;

describe('priority', () => {
  test('the given order; unavailable ones last, soonest available first', () => {
    const candidates = endpoints('a', 'b', 'c', 'd');
    expect(ids(orderCandidates('priority', candidates, contextOf()))).toEqual(['a', 'b', 'c', 'd']);
    const health = { a: { available: false, availableAt: 5_000 }, b: { available: false, availableAt: Infinity }, c: { available: false, availableAt: 2_000 } };
    expect(ids(orderCandidates('priority', candidates, contextOf(health)))).toEqual(['d', 'c', 'a', 'b']);
  });

  test('nothing available: every candidate still comes back, as a last resort', () => {
    const health = { a: { available: false, availableAt: Infinity }, b: { available: false, availableAt: Infinity } };
    expect(ids(orderCandidates('priority', endpoints('a', 'b'), contextOf(health)))).toEqual(['a', 'b']);
    expect(orderCandidates('priority', [], contextOf())).toEqual([]);
  });
});

describe('round_robin', () => {
  function spread(picks: number, health = {}) {
    const context = contextOf(health);
    const counts = new Map<string, number>();
    for (let i = 0; i < picks; i++) {
      const first = orderCandidates('round_robin', endpoints('a', 'b', 'c'), context)[0]!.id;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    return counts;
  }

  test('30,000 picks over 3 endpoints fit an even spread (χ² below the 99.9% critical value)', () => {
    const counts = spread(30_000);
    const expected = 10_000;
    const chiSquare = ['a', 'b', 'c'].reduce((sum, id) => sum + ((counts.get(id) ?? 0) - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(CHI_SQUARE_2DF_999);
  });

  test('skips unavailable endpoints and spreads over the rest; the failover order rotates too', () => {
    const counts = spread(3_000, { b: { available: false, availableAt: 9_000 } });
    expect(counts.get('b')).toBeUndefined();
    expect(counts.get('a')).toBe(1_500);
    expect(counts.get('c')).toBe(1_500);
    const context = contextOf({ b: { available: false, availableAt: 9_000 } });
    expect(ids(orderCandidates('round_robin', endpoints('a', 'b', 'c'), context))).toEqual(['a', 'c', 'b']);
    expect(ids(orderCandidates('round_robin', endpoints('a', 'b', 'c'), context))).toEqual(['c', 'a', 'b']);
  });

  test('each route has its own counter', () => {
    const rotation = new RouteRotation();
    const first = (routeKey: string) => orderCandidates('round_robin', endpoints('a', 'b'), contextOf({}, { routeKey, rotation }))[0]!.id;
    expect([first('team-1'), first('team-2'), first('team-1'), first('team-2'), first('')]).toEqual(['a', 'a', 'b', 'b', 'a']);
  });
});

describe('least_utilized', () => {
  test('most headroom first; ties keep the given order; unavailable last', () => {
    const health = { a: { headroom: 0.2 }, b: { headroom: 0.9 }, c: { headroom: 0.2 }, d: { headroom: 0.5 }, e: { available: false, availableAt: 3_000 } };
    expect(ids(orderCandidates('least_utilized', endpoints('a', 'b', 'c', 'd', 'e'), contextOf(health)))).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  test('follows headroom as it changes', () => {
    const health: Record<string, { headroom: number }> = { a: { headroom: 1 }, b: { headroom: 0.5 } };
    const first = () => orderCandidates('least_utilized', endpoints('a', 'b'), contextOf(health))[0]!.id;
    expect(first()).toBe('a');
    health.a!.headroom = 0.1;
    expect(first()).toBe('b');
  });
});
