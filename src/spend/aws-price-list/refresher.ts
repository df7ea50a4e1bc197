/**
 * The scheduled "Refresh from AWS": once per interval (default daily), counted from the last time
 * the table got AWS prices, so restarts and replicas do not multiply the calls. Runs never
 * overlap (the next one is scheduled when the last has finished) and the timer never holds the
 * process open.
 */

export interface AwsPriceRefresherOptions {
  refresh: () => Promise<unknown>;
  /** When any replica last wrote AWS prices (epoch ms), or null. */
  lastRefreshedAt: () => Promise<number | null>;
  /** Asked at each run: e.g. only while a Bedrock endpoint is configured, as there is nothing to price otherwise. */
  enabled: () => boolean;
  intervalMs: number;
  /**
   * The first check waits this long after start (default five minutes), so a gateway that
   * crash-loops does not hammer the Price List API and a short-lived one never calls it.
   */
  firstDelayMs?: number;
  now?: () => number;
  onError: (error: unknown) => void;
}

export interface AwsPriceRefresher {
  start(): void;
  /** Stops the timer and waits for a run under way. */
  close(): Promise<void>;
}

const FIVE_MINUTES = 5 * 60_000;
/** A failed run (AWS unreachable, credentials expired) is retried sooner than a whole interval. */
const RETRY_MS = 60 * 60_000;

export function createAwsPriceRefresher(options: AwsPriceRefresherOptions): AwsPriceRefresher {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  function schedule(delayMs: number): void {
    if (closed) return;
    timer = setTimeout(() => void (running = check().finally(() => (running = undefined))), Math.max(0, delayMs));
    timer.unref();
  }

  async function check(): Promise<void> {
    let next = options.intervalMs;
    try {
      if (options.enabled()) {
        const last = await options.lastRefreshedAt();
        const due = last === null ? 0 : last + options.intervalMs - now();
        if (due > 0) next = due;
        else await options.refresh();
      }
    } catch (error) {
      options.onError(error);
      next = Math.min(options.intervalMs, RETRY_MS);
    }
    schedule(next);
  }

  return {
    start() {
      if (timer || closed) return;
      schedule(options.firstDelayMs ?? FIVE_MINUTES);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
