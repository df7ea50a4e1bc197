/**
 * Team names for the relay's `ccag.team.name` attribute, held in memory so that enriching a batch
 * does not read the database. The whole (small) teams table is re-read every 30 seconds, which is
 * soon enough for a renamed team's label. A team this replica has not seen yet (created since the
 * last read) triggers one early read, awaited so that its first batch is labelled too; each team id
 * does so at most every 5 seconds, so callers of a team that no longer exists cannot turn it into
 * a read per batch (ids come from authenticated principals, so there are only as many as teams).
 */
import type { Polled } from '../../lifecycle.js';

export const TEAM_NAMES_POLL_MS = 30_000;
const UNKNOWN_TEAM_REREAD_MS = 5_000;

export class TeamNames implements Polled {
  private names: ReadonlyMap<string, string> = new Map();
  private readonly missedAt = new Map<string, number>();
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
    if (known !== undefined) return known;
    const now = this.clock();
    if (now - (this.missedAt.get(teamId) ?? Number.NEGATIVE_INFINITY) >= UNKNOWN_TEAM_REREAD_MS) {
      this.missedAt.set(teamId, now);
      await this.refresh().catch(this.onError);
    } else if (this.reading) await this.reading.catch(() => undefined); // its failure is reported by the caller that started it
    return this.names.get(teamId);
  }

  /** One read at a time: misses arriving together share it. */
  refresh(): Promise<void> {
    this.reading ??= (async () => {
      try {
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
