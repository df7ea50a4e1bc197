/**
 * The searches of one client request: each model turn that ends calling the search tool is a
 * round; its calls run concurrently through the provider, within the request's `max_uses`, and
 * become the blocks the client sees and the tool results the model reads next.
 */
import { filterHits } from './domains.js';
import type { SearchProvider } from './providers/types.js';
import { SearchProviderError } from './providers/types.js';
import { serverToolUseId, toolResultFor, webSearchResultBlock, type SearchOutcome } from './result-blocks.js';
import type { WebSearchTool } from './server-tool.js';

/** Longer queries are refused before reaching a provider: they are prose, not searches. */
export const MAX_QUERY_LENGTH = 500;

/** A model's call of the search tool, by the model's own id. */
export interface SearchCall {
  readonly id: string;
  readonly input: unknown;
}

export interface RoundResult {
  /** `web_search_tool_result` blocks for the client, in call order. */
  readonly clientBlocks: Record<string, unknown>[];
  /** `tool_result` blocks for the model's next turn. */
  readonly toolResults: Record<string, unknown>[];
  /** Searches that reached the provider in this round. */
  readonly ran: number;
}

export interface SearchObserver {
  /** Each search that reached the provider: `ok` false when it failed. */
  searched(provider: string, ok: boolean, error?: string): void;
}

export function queryOf(input: unknown): string {
  const query = (input as { query?: unknown } | null)?.query;
  return typeof query === 'string' ? query.trim() : '';
}

export class SearchSession {
  /** Searches that returned results: what the request is billed for (errored searches are free). */
  succeeded = 0;
  private used = 0;
  private refusedRounds = 0;
  private readonly clientIds = new Map<string, string>();

  constructor(
    readonly tool: WebSearchTool,
    private readonly provider: SearchProvider,
    private readonly maxResults: number,
    private readonly observer: SearchObserver,
  ) {}

  /** The `srvtoolu_` id the client sees for the model's call `id` (the same each time it is asked). */
  clientId(id: string): string {
    let clientId = this.clientIds.get(id);
    if (!clientId) this.clientIds.set(id, (clientId = serverToolUseId()));
    return clientId;
  }

  async round(calls: readonly SearchCall[], signal: AbortSignal): Promise<RoundResult> {
    let ran = 0;
    const outcomes = await Promise.all(
      calls.map((call): Promise<SearchOutcome> | SearchOutcome => {
        const query = queryOf(call.input);
        if (query === '') return { ok: false, code: 'invalid_input' };
        if (query.length > MAX_QUERY_LENGTH) return { ok: false, code: 'query_too_long' };
        if (this.used >= this.tool.maxUses) return { ok: false, code: 'max_uses_exceeded' };
        this.used += 1;
        ran += 1;
        return this.search(query, signal);
      }),
    );
    if (ran === 0) this.refusedRounds += 1;
    return {
      clientBlocks: calls.map((call, i) => webSearchResultBlock(this.clientId(call.id), outcomes[i]!)),
      toolResults: calls.map((call, i) => toolResultFor(call.id, outcomes[i]!)),
      ran,
    };
  }

  /**
   * Whether the model gets another turn after a round. One round in which nothing could run (the
   * limit reached) still lets it answer from what it has; a second one ends the request, which
   * bounds the loop without depending on `tool_choice: none`.
   */
  mayContinue(): boolean {
    return this.refusedRounds < 2;
  }

  private async search(query: string, signal: AbortSignal): Promise<SearchOutcome> {
    try {
      const hits = await this.provider.search({ query, maxResults: this.maxResults, allowedDomains: this.tool.allowedDomains, blockedDomains: this.tool.blockedDomains, signal });
      this.succeeded += 1;
      this.observer.searched(this.provider.type, true);
      return { ok: true, hits: filterHits(hits, this.tool.allowedDomains, this.tool.blockedDomains) };
    } catch (error) {
      if (signal.aborted) throw error;
      this.observer.searched(this.provider.type, false, (error as Error).message);
      return { ok: false, code: error instanceof SearchProviderError ? error.code : 'unavailable' };
    }
  }
}
