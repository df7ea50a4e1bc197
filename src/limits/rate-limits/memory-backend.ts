/**
 * Rate-limit counters in this process, for a single replica. JavaScript runs one admission at a
 * time, so checking and recording without an await in between is atomic. Each counter keeps its
 * entries in time order (a Map keeps insertion order, and entries are added at `now`, or at
 * `now` + a constant TTL for slots) with a running total, so an admission costs the entries that
 * expire since the last one, not the whole window.
 */
import { msUntilRoom, SLOT_RETRY_MS, WINDOW_MS, windowFits, type AdmitResult, type LimitLine, type RateLimitBackend } from './backend.js';

interface Entry {
  /** Sliding windows: when the request was admitted (or ended); slots: when the slot expires. */
  readonly at: number;
  readonly amount: number;
}

interface Counter {
  readonly entries: Map<string, Entry>;
  total: number;
}

export function createMemoryBackend(): RateLimitBackend {
  const counters = new Map<string, Counter>();

  /** The line's counter with expired entries dropped (and the counter forgotten once empty). */
  function live(line: LimitLine, now: number): Counter {
    const cutoff = line.kind === 'concurrency' ? now : now - WINDOW_MS;
    const counter = counters.get(line.key) ?? { entries: new Map<string, Entry>(), total: 0 };
    for (const [id, entry] of counter.entries) {
      if (entry.at > cutoff) break;
      counter.entries.delete(id);
      counter.total -= entry.amount;
    }
    if (counter.entries.size === 0) counters.delete(line.key);
    return counter;
  }

  function record(line: LimitLine, id: string, entry: Entry): void {
    let counter = counters.get(line.key);
    if (!counter) counters.set(line.key, (counter = { entries: new Map(), total: 0 }));
    counter.entries.set(id, entry);
    counter.total += entry.amount;
  }

  function remove(id: string, line: LimitLine): void {
    const counter = counters.get(line.key);
    const entry = counter?.entries.get(id);
    if (!counter || !entry) return;
    counter.entries.delete(id);
    counter.total -= entry.amount;
  }

  return {
    async admit(id, lines, now, slotTtlMs): Promise<AdmitResult> {
      const used: number[] = [];
      for (const [index, line] of lines.entries()) {
        const counter = live(line, now);
        const before = counter.total;
        if (line.kind === 'concurrency') {
          if (before + 1 > line.limit) return { ok: false, refusedIndex: index, retryAfterMs: SLOT_RETRY_MS };
        } else if (!windowFits(before, line.limit, line.amount)) {
          return { ok: false, refusedIndex: index, retryAfterMs: msUntilRoom([...counter.entries.values()], before, line.limit, line.amount, now) };
        }
        used.push(before + line.amount);
      }
      for (const line of lines) record(line, id, { at: line.kind === 'concurrency' ? now + slotTtlMs : now, amount: line.amount });
      return { ok: true, used };
    },

    async finish(id, lines, actualTokens, now) {
      for (const line of lines) {
        if (line.kind === 'rpm') continue;
        remove(id, line);
        if (line.kind === 'tpm' && actualTokens > 0) record(line, id, { at: now, amount: actualTokens });
      }
    },

    async release(id, lines) {
      for (const line of lines) remove(id, line);
    },
  };
}
