/**
 * Writes endpoint events off the request path: `record()` only pushes to a bounded buffer, and a
 * timer flushes it about once a second (and once more on close). A failed flush keeps its rows for
 * the next try; past the bound the oldest rows go first and are counted as dropped, because a
 * statistics row is not worth the memory of a long database outage (unlike the spend ledger).
 */
import type { EndpointEvent, EndpointEventsRepo } from './endpoint-events.repo.js';

export interface EndpointEventRecorderOptions {
  readonly repo: Pick<EndpointEventsRepo, 'insertMany'>;
  readonly flushIntervalMs?: number;
  /** Rows kept in memory at most; older ones are dropped beyond it. */
  readonly maxBuffered?: number;
  readonly onFlushError?: (error: unknown) => void;
}

export interface EndpointEventRecorder {
  /** Queues an event: synchronous, O(1), never throws. */
  record(event: EndpointEvent): void;
  /** Writes what is buffered; on failure the rows stay for the next flush. */
  flush(): Promise<void>;
  start(): void;
  /** Stops the timer and flushes once more. */
  close(): Promise<void>;
  readonly stats: { readonly buffered: number; readonly written: number; readonly dropped: number; readonly flushErrors: number };
}

export function createEndpointEventRecorder(options: EndpointEventRecorderOptions): EndpointEventRecorder {
  const flushIntervalMs = options.flushIntervalMs ?? 1_000;
  const maxBuffered = options.maxBuffered ?? 10_000;
  let buffer: EndpointEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  const counters = { written: 0, dropped: 0, flushErrors: 0 };

  function trim(): void {
    const excess = buffer.length - maxBuffered;
    if (excess <= 0) return;
    buffer.splice(0, excess);
    counters.dropped += excess;
  }

  async function writeBuffered(): Promise<void> {
    if (buffer.length === 0) return;
    const rows = buffer;
    buffer = [];
    try {
      await options.repo.insertMany(rows);
      counters.written += rows.length;
    } catch (error) {
      counters.flushErrors += 1;
      // Older rows first, so the bound drops the oldest of both.
      buffer = rows.concat(buffer);
      trim();
      options.onFlushError?.(error);
    }
  }

  // One flush at a time: a slow database must not get overlapping batches of the same rows.
  function flush(): Promise<void> {
    flushing ??= writeBuffered().finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  return {
    record(event) {
      buffer.push(event);
      trim();
    },
    flush,
    start() {
      if (timer) return;
      timer = setInterval(() => void flush(), flushIntervalMs);
      timer.unref();
    },
    async close() {
      clearInterval(timer);
      timer = undefined;
      await flushing;
      await flush();
    },
    stats: {
      get buffered() {
        return buffer.length;
      },
      get written() {
        return counters.written;
      },
      get dropped() {
        return counters.dropped;
      },
      get flushErrors() {
        return counters.flushErrors;
      },
    },
  };
}
