/**
 * Team names for the relay's `ccag.team.name` attribute, held in memory so that enriching a batch
 * does not read the database. The whole (small) teams table is re-read every 30 seconds, which is
 * soon enough for a renamed team's label. A team this replica has not seen yet (created since the
 * last read) triggers one early read, awaited so that its first batch is labelled too; such reads
 * happen at most every 5 seconds, so callers of a team that no longer exists cannot turn them
 * into a read per batch.
 */
import type { Polled } from '../../lifecycle.js';

export const TEAM_NAMES_POLL_MS = 30_000;
const UNKNOWN_TEAM_REREAD_MS = 5_000;

export class TeamNames implements Polled {
  private names: ReadonlyMap<string, string> = new Map();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly load: () => Promise<ReadonlyMap<string, string>>,
    private readonly onError: (error: unknown) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  async nameOf(teamId: string | null): Promise<string | undefined> {
    if (teamId === null) return undefined;
    const known = this.names.get(teamId);
    if (known !== undefined || this.clock() - this.readAt < UNKNOWN_TEAM_REREAD_MS) return known;
    await this.refresh().catch(this.onError);
    return this.names.get(teamId);
  }

  /** One read at a time: misses arriving together share it. */
  refresh(): Promise<void> {
    this.reading ??= (async () => {
      try {
        this.readAt = this.clock();
        this.names = await this.load();
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
