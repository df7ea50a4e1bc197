/**
 * What re-reads its state when a change is announced (see change-bus.ts): every polled mirror,
 * plus the few caches that poll on their own timer. Each follower's refresh is coalesced: while
 * one runs, any number of announcements queue exactly one more, so a change that lands during a
 * read is not missed, and a burst of writes (a SCIM client provisioning a thousand users) costs
 * two reloads per mirror rather than a thousand.
 */
export class ChangeFollowers {
  private readonly refreshes: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly onError: (what: string, error: unknown) => void) {}

  /** Registers a refresh to run on each announced change. */
  follow(what: string, refresh: () => Promise<void>): void {
    this.refreshes.push(coalesced(refresh, (error) => this.onError(what, error)));
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
}

function coalesced(refresh: () => Promise<void>, onError: (error: unknown) => void): () => void {
  let running = false;
  let again = false;
  async function run(): Promise<void> {
    running = true;
    do {
      again = false;
      await refresh().catch(onError);
    } while (again);
    running = false;
  }
  return () => {
    if (running) again = true;
    else void run();
  };
}
