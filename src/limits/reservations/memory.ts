/**
 * Budget reservations held in this process, for a gateway without Redis (one replica). Every
 * check-and-write runs synchronously between two awaits, so concurrent requests on the event loop
 * see each other's holds: under the default rule only one of them can be admitted past the cap's
 * last remainder, and under the strict rule none can take committed spend past the cap. Only seeding a new counter from the
 * ledger awaits, and it happens before the critical section, once per counter.
 */
import { randomUUID } from 'node:crypto';
import type { CounterStanding, ReserveLine, ReserveResult, Reservations } from '../contracts.js';
import { COUNTER_MARGIN_MS, refusedByCap } from './common.js';

interface Counter {
  spentMicros: number;
  /** Live reservations on this counter: id → amount and when it stops counting. */
  readonly held: Map<string, { readonly amountMicros: number; readonly until: number }>;
  readonly forgetAt: number;
}

interface Reservation {
  readonly keys: readonly string[];
  /** Kept past its ttl, so a request slower than the ttl still settles its real cost. */
  readonly forgetAt: number;
}

export function createMemoryReservations(clock: () => number = Date.now): Reservations {
  const counters = new Map<string, Counter>();
  const reservations = new Map<string, Reservation>();
  // Concurrent first uses of a counter share one seed() call, so the ledger is read once.
  const seeding = new Map<string, Promise<Counter>>();

  function purge(now: number): void {
    for (const [key, counter] of counters) {
      if (counter.forgetAt <= now) {
        counters.delete(key);
        continue;
      }
      for (const [id, hold] of counter.held) if (hold.until <= now) counter.held.delete(id);
    }
    for (const [id, reservation] of reservations) if (reservation.forgetAt <= now) reservations.delete(id);
  }

  /** Lapsed holds may still be in the map (purging runs before awaits); they do not count. */
  function standingOf(counter: Counter, now: number): CounterStanding {
    let reservedMicros = 0;
    for (const hold of counter.held.values()) if (hold.until > now) reservedMicros += hold.amountMicros;
    return { spentMicros: counter.spentMicros, reservedMicros };
  }

  /** The line's counter, seeded from the ledger on first use. */
  function counterFor(line: ReserveLine): Counter | Promise<Counter> {
    const existing = counters.get(line.key);
    if (existing) return existing;
    let pending = seeding.get(line.key);
    if (!pending) {
      pending = line
        .seed()
        .then((spentMicros) => {
          const counter: Counter = counters.get(line.key) ?? { spentMicros, held: new Map(), forgetAt: line.expiresAt + COUNTER_MARGIN_MS };
          counters.set(line.key, counter);
          return counter;
        })
        .finally(() => seeding.delete(line.key));
      seeding.set(line.key, pending);
    }
    return pending;
  }

  /**
   * The lines' counters. Forgetting old counters happens before the await, so a counter seeded
   * meanwhile is not dropped before this call uses it.
   */
  function countersFor(lines: readonly ReserveLine[]): Promise<Counter[]> {
    purge(clock());
    return Promise.all(lines.map(counterFor));
  }

  return {
    async reserve(lines, amountMicros, ttlMs): Promise<ReserveResult> {
      const found = await countersFor(lines);
      // Critical section: from here to the return, nothing awaits.
      const now = clock();
      const before = found.map((counter) => standingOf(counter, now));
      const refusedIndex = lines.findIndex((line, i) => refusedByCap(before[i]!, amountMicros, line));
      if (refusedIndex >= 0) return { ok: false, refusedIndex, before };
      const id = randomUUID();
      for (const counter of found) counter.held.set(id, { amountMicros, until: now + ttlMs });
      reservations.set(id, { keys: lines.map((line) => line.key), forgetAt: Math.max(now + ttlMs, ...found.map((counter) => counter.forgetAt)) });
      return { ok: true, id, before };
    },

    async settle(id, actualMicros) {
      const now = clock();
      purge(now);
      const reservation = reservations.get(id);
      if (!reservation) return [];
      reservations.delete(id);
      const after: CounterStanding[] = [];
      for (const key of reservation.keys) {
        const counter = counters.get(key);
        if (!counter) continue;
        counter.held.delete(id);
        counter.spentMicros += actualMicros;
        after.push(standingOf(counter, now));
      }
      return after;
    },

    async release(id) {
      purge(clock());
      const reservation = reservations.get(id);
      if (!reservation) return;
      reservations.delete(id);
      for (const key of reservation.keys) counters.get(key)?.held.delete(id);
    },

    async standing(line) {
      const [counter] = await countersFor([line]);
      return standingOf(counter!, clock());
    },
  };
}
