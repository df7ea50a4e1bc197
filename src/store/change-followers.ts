/**
 * What re-reads its state when a change is announced (see change-bus.ts): every polled mirror,
 * plus the few caches that poll on their own timer. Each follower's refresh is coalesced: while
 * one runs, any number of announcements queue exactly one more, so a change that lands during a
 * read is not missed, and a burst of writes (a SCIM client provisioning a thousand users) costs
 * a few reloads per mirror rather than a thousand. Queued refreshes start at least
 * `REFRESH_GAP_MS` after the previous one, so even a long burst reloads a mirror at most a few
 * times a second (some reload whole tables), and the first change of a burst applies at once.
 */
export const REFRESH_GAP_MS = 250;

export class ChangeFollowers {
  private readonly refreshes: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly onError: (what: string, error: unknown) => void) {}

  /** Registers a refresh to run on each announced change. */
  follow(what: string, refresh: () => Promise<void>): void {
    this.refreshes.push(this.coalesced(refresh, (error) => this.onError(what, error)));
  }

  /** Another replica (or this one) changed something, or the channel is back and changes may have been missed. */
  refreshAll(): void {
    if (this.stopped) return;
    for (const refresh of this.refreshes) refresh();
  }

  /** At shutdown, before the mirrors stop and the database closes under them. */
  stop(): void {
    this.stopped = true;
  }

  private coalesced(refresh: () => Promise<void>, onError: (error: unknown) => void): () => void {
    let running = false;
    let again = false;
    const run = async (): Promise<void> => {
      running = true;
      for (;;) {
        again = false;
        const startedAt = Date.now();
        await refresh().catch(onError);
        if (!again || this.stopped) break;
        const wait = startedAt + REFRESH_GAP_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      running = false;
    };
    return () => {
      if (running) again = true;
      else void run();
    };
  }
}
