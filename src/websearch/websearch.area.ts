/**
 * Web search on Bedrock (spec §9): the settings (mode, the gateway's provider, members' own),
 * mirrored in memory and polled so no request reads the database, the admin service behind the
 * admin API, and the wrapper the data plane puts around a Bedrock endpoint's `messages()`.
 */
import type { OutboundGuard } from '../config/outbound-guard.js';
import type { Logger } from 'pino';
import type { SecretBox } from '../config/secret-box.js';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import type { SearchObserver } from './search-round.js';
import { createWebSearchGateway } from './web-search-gateway.js';
import { WebSearchMirror } from './web-search-mirror.js';
import { createWebSearchRepo } from './web-search.repo.js';
import { createWebSearchService } from './web-search.service.js';

export interface WebSearchDeps {
  readonly settings: Settings;
  readonly store: Store;
  readonly box: SecretBox;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  /** Every search the gateway ran, for the metrics. */
  readonly onSearch: (provider: string, ok: boolean) => void;
  /** The SSRF guard: provider URLs are the admin's (or, per-user mode, a member's) to name. */
  readonly outbound: OutboundGuard;
}

export async function createWebSearch(deps: WebSearchDeps) {
  const { box, log } = deps;
  const fetchFn = deps.outbound.fetch;
  const repo = createWebSearchRepo(deps.store.db);
  const mirror = await deps.lifecycle.polled('web search settings', new WebSearchMirror(repo));
  const observer: SearchObserver = {
    searched(provider, ok, error) {
      deps.onSearch(provider, ok);
      // The provider's message names the status and its own error text, never the key or the query.
      if (!ok) log.warn({ provider, error }, 'web search failed');
    },
  };
  return {
    gateway: createWebSearchGateway({ mirror, openKey: (sealed) => box.open(sealed), fetch: fetchFn, observer }),
    service: createWebSearchService({
      repo,
      mirror,
      seal: (key) => box.seal(key),
      open: (sealed) => box.open(sealed),
      fetch: fetchFn,
      outbound: deps.outbound,
      pricePerSearchUsd: deps.settings.webSearchPriceUsd,
    }),
  };
}

export type WebSearch = Awaited<ReturnType<typeof createWebSearch>>;
