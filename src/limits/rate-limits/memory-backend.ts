/**
 * Rate-limit counters in this process, for a single replica. JavaScript runs one admission at a
 * time, so checking and recording without an await in between is atomic.
 */
import { msUntilRoom, SLOT_RETRY_MS, WINDOW_MS, windowFits, type AdmitResult, type LimitLine, type RateLimitBackend } from './backend.js';

interface Entry {
  readonly id: string;
  /** Sliding windows: when the request was admitted (or ended); slots: when the slot expires. */
  readonly at: number;
  readonly amount: number;
}

export function createMemoryBackend(): RateLimitBackend {
  const counters = new Map<string, Entry[]>();

  /** The line's live entries; forgets expired ones (and the whole counter once it is empty). */
  function live(line: LimitLine, now: number): Entry[] {
    const cutoff = line.kind === 'concurrency' ? now : now - WINDOW_MS;
    const entries = (counters.get(line.key) ?? []).filter((entry) => entry.at > cutoff);
    if (entries.length === 0) counters.delete(line.key);
    else counters.set(line.key, entries);
    return entries;
  }

  const weight = (entries: readonly Entry[]) => entries.reduce((sum, entry) => sum + entry.amount, 0);

  function record(line: LimitLine, entry: Entry): void {
    const entries = counters.get(line.key);
    if (entries) entries.push(entry);
    else counters.set(line.key, [entry]);
  }

  function remove(id: string, line: LimitLine): void {
    const entries = counters.get(line.key);
    if (entries) counters.set(line.key, entries.filter((entry) => entry.id !== id));
  }

  return {
    async admit(id, lines, now, slotTtlMs): Promise<AdmitResult> {
      const used: number[] = [];
      for (const [index, line] of lines.entries()) {
        const entries = live(line, now);
        const before = weight(entries);
        if (line.kind === 'concurrency') {
          if (before + 1 > line.limit) return { ok: false, refusedIndex: index, retryAfterMs: SLOT_RETRY_MS };
        } else if (!windowFits(before, line.limit, line.amount)) {
          return { ok: false, refusedIndex: index, retryAfterMs: msUntilRoom(entries, before, line.limit, line.amount, now) };
        }
        used.push(before + line.amount);
      }
      for (const line of lines) record(line, { id, at: line.kind === 'concurrency' ? now + slotTtlMs : now, amount: line.amount });
      return { ok: true, used };
    },

    async finish(id, lines, actualTokens, now) {
      for (const line of lines) {
        if (line.kind === 'rpm') continue;
        remove(id, line);
        if (line.kind === 'tpm' && actualTokens > 0) record(line, { id, at: now, amount: actualTokens });
      }
    },

    async release(id, lines) {
      for (const line of lines) remove(id, line);
    },
  };
}
