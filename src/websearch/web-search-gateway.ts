/**
 * Where the data plane meets web search: wraps an endpoint's `messages()` for one request. A
 * request without a `web_search_*` server tool, or bound for the Anthropic API (which runs the
 * tool natively), goes straight to the upstream; a Bedrock request with one runs the search loop
 * with the provider the mode says, or is refused with a 400 saying what to do. The loop's reply is
 * Anthropic SSE or JSON like any upstream's, so relay (both client formats), metering and
 * settlement are unchanged.
 */
import { ApiError } from '../errors.js';
import type { InboundRequest, Upstream, UpstreamReply } from '../upstreams/types.js';
import { messageLoop } from './message-loop.js';
import { settingsOf } from './provider-input.js';
import { createProvider } from './providers/index.js';
import type { Fetch } from './providers/types.js';
import { SearchSession, type SearchObserver } from './search-round.js';
import { bedrockBody, webSearchToolOf, type WebSearchTool } from './server-tool.js';
import { streamLoop } from './stream-loop.js';
import type { WebSearchMirror } from './web-search-mirror.js';
import { GLOBAL_OWNER, type StoredProvider } from './web-search.repo.js';

export interface WebSearchGateway {
  messages(upstream: Upstream, request: InboundRequest, caller: { readonly userId: string }): Promise<UpstreamReply>;
}

export interface WebSearchGatewayDeps {
  readonly mirror: Pick<WebSearchMirror, 'mode' | 'provider'>;
  /** Opens a sealed API key (config.box). */
  readonly openKey: (sealed: string) => string;
  readonly fetch: Fetch;
  readonly observer: SearchObserver;
}

const refused = (message: string) => new ApiError('invalid_request', message);

export function createWebSearchGateway(deps: WebSearchGatewayDeps): WebSearchGateway {
  function providerFor(userId: string): StoredProvider {
    switch (deps.mirror.mode()) {
      case 'disabled':
        throw refused('Web search is disabled on this gateway for Amazon Bedrock models. An administrator can enable it in the portal (Gateway → Web search) or with "ccag web-search set --mode global --provider <type> --api-key-stdin".');
      case 'global': {
        const provider = deps.mirror.provider(GLOBAL_OWNER);
        if (!provider) throw refused('Web search is set to use one provider for everyone, but none is configured yet. An administrator sets it in the portal (Gateway → Web search) or with "ccag web-search set --provider <type> --api-key-stdin".');
        return provider;
      }
      case 'per_user': {
        const provider = deps.mirror.provider(userId);
        if (!provider) throw refused('Web search on this gateway uses each member\'s own search provider, and you have not set one. Set it in the portal (Settings → Web search) or with "ccag web-search mine set --provider <type> --api-key-stdin".');
        return provider;
      }
    }
  }

  async function loop(upstream: Upstream, request: InboundRequest, tool: WebSearchTool, stored: StoredProvider): Promise<UpstreamReply> {
    const session = new SearchSession(tool, createProvider(settingsOf(stored, deps.openKey), deps.fetch), stored.maxResults, deps.observer);
    const body = bedrockBody(request.body, tool);
    const call = (next: typeof body) => upstream.messages({ ...request, body: next });
    const first = await call(body);
    // The first call's failure is returned as it is, so dispatch can still fail over.
    if (first.status !== 200) return first;
    const ctx = { session, signal: request.signal, call };
    return request.body.stream === true ? streamLoop(ctx, first, body) : messageLoop(ctx, first, body);
  }

  return {
    async messages(upstream, request, caller) {
      if (upstream.kind !== 'bedrock') return upstream.messages(request);
      const tool = webSearchToolOf(request.body);
      if (!tool) return upstream.messages(request);
      return loop(upstream, request, tool, providerFor(caller.userId));
    },
  };
}
