/**
 * sticky_user: rendezvous hashing is the same everywhere (fresh module instances, separate Node
 * processes), spreads users evenly, moves only ≈1/N of them when an endpoint is added (and only to
 * it), moves only a removed endpoint's users, and sends a user back once their endpoint recovers.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test, vi } from 'vitest';
import { orderCandidates } from '../../src/routing/strategies/index.js';
import { contextOf, endpoints, uuid, type Candidate } from './strategy-fixtures.js';

const USERS = Array.from({ length: 10_000 }, (_, i) => uuid(1_000_000 + i));
const THREE = endpoints(uuid(1), uuid(2), uuid(3));
const FOUR = [...THREE, { id: uuid(4) }];

const stickyFirst = (candidates: readonly Candidate[], userKey: string, health = {}) =>
  orderCandidates('sticky_user', candidates, contextOf(health, { userKey }))[0]!.id;
const assignments = (candidates: readonly Candidate[]) => USERS.map((user) => stickyFirst(candidates, user));

describe('sticky_user', () => {
  test('the same user gets the same full order every time, whatever order the candidates come in', () => {
    const forward = orderCandidates('sticky_user', FOUR, contextOf({}, { userKey: 'ada' }));
    const reversed = orderCandidates('sticky_user', [...FOUR].reverse(), contextOf({}, { userKey: 'ada' }));
    expect(reversed).toEqual(forward);
    expect(orderCandidates('sticky_user', FOUR, contextOf({}, { userKey: 'ada' }))).toEqual(forward);
  });

  test('independent module instances agree', async () => {
    vi.resetModules();
    const fresh = (await import('../../src/routing/strategies/index.js')) as typeof import('../../src/routing/strategies/index.js');
    expect(fresh.orderCandidates).not.toBe(orderCandidates);
    for (const user of USERS.slice(0, 500)) {
      const context = contextOf({}, { userKey: user });
      expect(fresh.orderCandidates('sticky_user', FOUR, context)).toEqual(orderCandidates('sticky_user', FOUR, context));
    }
  });

  // The compiled module (dist/, built by `npm test` before vitest runs), as every replica runs it.
  const compiled = join(process.cwd(), 'dist', 'routing', 'strategies', 'index.js');
  test('three separate Node processes agree with each other and with this one', async () => {
    expect(existsSync(compiled), `${compiled} is missing: build first (npx tsc -p tsconfig.json)`).toBe(true);
    const script = `
      const { orderCandidates, RouteRotation } = await import(${JSON.stringify(`file://${compiled}`)});
      const candidates = ${JSON.stringify(FOUR)};
      const users = ${JSON.stringify(USERS.slice(0, 2_000))};
      const health = () => ({ available: () => true, availableAt: (now) => now, headroom: () => 1 });
      const picks = users.map((userKey) => orderCandidates('sticky_user', candidates, { routeKey: '', userKey, now: 0, health, rotation: new RouteRotation() }).map((c) => c.id).join(','));
      process.stdout.write(JSON.stringify(picks));`;
    const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]).then(({ stdout }) => JSON.parse(stdout) as string[]);
    const [first, second, third] = await Promise.all([run(), run(), run()]);
    const here = USERS.slice(0, 2_000).map((userKey) => ids(orderCandidates('sticky_user', FOUR, contextOf({}, { userKey }))).join(','));
    expect(first).toEqual(here);
    expect(second).toEqual(here);
    expect(third).toEqual(here);
  });

  test('spreads 10,000 users evenly over 3 endpoints (each within 5σ of a third)', () => {
    const counts = countBy(assignments(THREE));
    const sigma = Math.sqrt(USERS.length * (1 / 3) * (2 / 3));
    for (const { id } of THREE) expect(Math.abs(counts.get(id)! - USERS.length / 3)).toBeLessThan(5 * sigma);
  });

  test('adding a 4th endpoint moves about 1/4 of the users, all of them to the new one', () => {
    const before = assignments(THREE);
    const after = assignments(FOUR);
    const moved = USERS.filter((_, i) => before[i] !== after[i]);
    // Expected 2,500; tolerance 150 users (≈3.5σ of a binomial(10,000, 1/4)).
    expect(moved.length).toBeLessThanOrEqual(2_500 + 150);
    expect(moved.length).toBeGreaterThanOrEqual(2_500 - 150);
    expect(new Set(after.filter((id, i) => id !== before[i]))).toEqual(new Set([uuid(4)]));
  });

  test('removing an endpoint moves only its own users', () => {
    const before = assignments(FOUR);
    const after = assignments(FOUR.filter((e) => e.id !== uuid(2)));
    USERS.forEach((_, i) => {
      if (before[i] !== uuid(2)) expect(after[i]).toBe(before[i]);
    });
    expect(after).not.toContain(uuid(2));
  });

  test('a user whose endpoint is unavailable goes to their next-highest, and comes back when it recovers', () => {
    const user = USERS[7]!;
    const order = ids(orderCandidates('sticky_user', FOUR, contextOf({}, { userKey: user })));
    const cooling = { [order[0]!]: { available: false, availableAt: 60_000 } };
    expect(ids(orderCandidates('sticky_user', FOUR, contextOf(cooling, { userKey: user })))).toEqual([...order.slice(1), order[0]]);
    expect(stickyFirst(FOUR, user)).toBe(order[0]);
    // Only the cooling endpoint's users move meanwhile.
    const shifted = USERS.filter((u) => stickyFirst(FOUR, u, cooling) !== stickyFirst(FOUR, u));
    expect(shifted.every((u) => stickyFirst(FOUR, u) === order[0])).toBe(true);
  });
});

function ids(list: readonly Candidate[]): string[] {
  return list.map((candidate) => candidate.id);
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
