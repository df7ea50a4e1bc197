/**
 * How a replica mirrors a table in memory: read every row once, then poll the rows whose version
 * (an `updated_at`) moved since the last one seen. Rows written in the same millisecond as a poll
 * could be missed by a strict `>`, so each poll re-reads a short overlap window; applying a row
 * twice is harmless, so that closes the gap. Subclasses say what a row means (`apply`), and
 * apply their own process's writes at once, before any poll. Refreshes run one at a time: a poll
 * and an announced change (change-bus.ts) reading at once could otherwise land out of order, an
 * older read applied over a newer one (a revoked key briefly active again).
 */
const OVERLAP_MS = 2000;

export abstract class TableMirror<Row> {
  private watermark = 0;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly changedSince: (since: number) => Promise<Row[]>,
    /** A row's version; a join may contribute several (a key moves when its owner does). */
    private readonly versionOf: (row: Row) => number,
  ) {}

  /** Takes one row into the mirror: one this process just wrote, or one a poll found. */
  abstract apply(row: Row): void;

  /** Applies the rows changed since the last refresh (all of them on the first call); one refresh at a time. */
  refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.refreshNow());
    this.refreshing = next.catch(() => {});
    return next;
  }

  private async refreshNow(): Promise<void> {
    const since = this.watermark === 0 ? -1 : this.watermark - OVERLAP_MS;
    for (const row of await this.changedSince(since)) {
      this.apply(row);
      this.watermark = Math.max(this.watermark, this.versionOf(row));
    }
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
