/**
 * How a replica mirrors a small table (or a few) whose rows can also be deleted: poll a cheap
 * version of the whole (a count and sum of `updated_at`, a counter row...) and reload every row
 * only when it moved. A deletion moves the version, which TableMirror's `updated_at` watermark
 * cannot see. Refreshes run one at a time, so a slow reload never lands after a newer one.
 */
import type { Polled } from '../lifecycle.js';

export abstract class VersionedMirror<Version extends string | number> implements Polled {
  private loadedVersion: Version | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();

  /** The tables' current version: one cheap query. */
  protected abstract version(): Promise<Version>;
  /** Reads every row and replaces the mirror's state. */
  protected abstract reload(): Promise<void>;

  /** Reloads when the tables changed (here or on another replica); one refresh at a time. */
  refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.refreshNow());
    this.refreshing = next.catch(() => {});
    return next;
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async refreshNow(): Promise<void> {
    const version = await this.version();
    if (version === this.loadedVersion) return;
    await this.reload();
    this.loadedVersion = version;
  }
}
