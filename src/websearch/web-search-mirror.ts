/**
 * The web search settings in memory, so a request that searches never reads the database. Writes
 * through this replica refresh it at once; other replicas' writes are picked up by polling the
 * tables' version (see web-search.repo.ts) and reloading the rows when it moved.
 */
import { VersionedMirror } from '../store/versioned-mirror.js';
import { GLOBAL_OWNER, type StoredProvider, type StoredWebSearch, type WebSearchMode, type WebSearchRepo } from './web-search.repo.js';

export class WebSearchMirror extends VersionedMirror<string> {
  private state: StoredWebSearch = { mode: null, providers: [] };
  private byOwner = new Map<string, StoredProvider>();

  constructor(private readonly repo: Pick<WebSearchRepo, 'load' | 'version'>) {
    super();
  }

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

  protected version(): Promise<string> {
    return this.repo.version();
  }

  protected async reload(): Promise<void> {
    this.state = await this.repo.load();
    this.byOwner = new Map(this.state.providers.map((provider) => [provider.owner, provider]));
  }
}
