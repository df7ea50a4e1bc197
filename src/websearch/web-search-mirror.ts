/**
 * The web search settings in memory, so a request that searches never reads the database. Writes
 * through this replica refresh it at once; other replicas' writes are picked up by polling the
 * tables' version (see web-search.repo.ts) and reloading the rows when it moved.
 */
import type { Polled } from '../lifecycle.js';
import { GLOBAL_OWNER, type StoredProvider, type StoredWebSearch, type WebSearchMode, type WebSearchRepo } from './web-search.repo.js';

export class WebSearchMirror implements Polled {
  private state: StoredWebSearch = { mode: null, providers: [] };
  private byOwner = new Map<string, StoredProvider>();
  private loadedVersion = '';
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly repo: Pick<WebSearchRepo, 'load' | 'version'>) {}

  /** Disabled until an admin chooses a mode. */
  mode(): WebSearchMode {
    return this.state.mode?.mode ?? 'disabled';
  }

  modeUpdatedAt(): number | null {
    return this.state.mode?.updatedAt ?? null;
  }

  /** The gateway's provider (`global`) or a member's own (their user id). */
  provider(owner: string): StoredProvider | undefined {
    return this.byOwner.get(owner);
  }

  /** Members with a provider of their own. */
  usersConfigured(): number {
    return this.byOwner.size - (this.byOwner.has(GLOBAL_OWNER) ? 1 : 0);
  }

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
    const version = await this.repo.version();
    if (version === this.loadedVersion) return;
    this.state = await this.repo.load();
    this.byOwner = new Map(this.state.providers.map((provider) => [provider.owner, provider]));
    this.loadedVersion = version;
  }
}
