/**
 * Team names for the relay's `ccag.team.name` attribute, held in memory so that enriching a batch
 * never reads the database. The whole (small) teams table is re-read every 30 seconds: a renamed
 * team shows its new name in telemetry within that, which is plenty for a label.
 */
import type { Polled } from '../../lifecycle.js';

export const TEAM_NAMES_POLL_MS = 30_000;

export class TeamNames implements Polled {
  private names: ReadonlyMap<string, string> = new Map();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly load: () => Promise<ReadonlyMap<string, string>>) {}

  of(teamId: string | null): string | undefined {
    return teamId === null ? undefined : this.names.get(teamId);
  }

  async refresh(): Promise<void> {
    this.names = await this.load();
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
