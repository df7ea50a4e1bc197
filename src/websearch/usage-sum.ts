/**
 * The usage of a looped request: every model call's tokens added up, plus the searches. Pure.
 * The client (and the gateway's meter) sees one message, so its usage must be the whole cost.
 */
import type { PriorUsage } from '../upstreams/types.js';

type Json = Record<string, unknown>;

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);
const object = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

/** One call's usage as it streams: message_start's, then message_delta's fields replace it. */
export class CallUsage {
  input = 0;
  output = 0;
  cacheRead = 0;
  cacheWrite = 0;
  write5m = 0;
  write1h = 0;

  update(value: unknown): void {
    const usage = object(value);
    if (!usage) return;
    this.input = count(usage.input_tokens) ?? this.input;
    this.output = count(usage.output_tokens) ?? this.output;
    this.cacheRead = count(usage.cache_read_input_tokens) ?? this.cacheRead;
    this.cacheWrite = count(usage.cache_creation_input_tokens) ?? this.cacheWrite;
    const split = object(usage.cache_creation);
    this.write5m = count(split?.ephemeral_5m_input_tokens) ?? this.write5m;
    this.write1h = count(split?.ephemeral_1h_input_tokens) ?? this.write1h;
  }
}

export class UsageSum {
  private readonly total = new CallUsage();

  add(call: CallUsage): void {
    this.total.input += call.input;
    this.total.output += call.output;
    this.total.cacheRead += call.cacheRead;
    this.total.cacheWrite += call.cacheWrite;
    // A call without the split wrote at the default 5-minute TTL.
    const split = call.write5m + call.write1h;
    this.total.write5m += split === 0 ? call.cacheWrite : call.write5m;
    this.total.write1h += split === 0 ? 0 : call.write1h;
  }

  /** The calls so far, for a reply that cannot carry them (a later call's error). */
  prior(webSearches: number): PriorUsage {
    const t = this.total;
    return { inputTokens: t.input, outputTokens: t.output, cacheReadTokens: t.cacheRead, cacheWrite5mTokens: t.write5m, cacheWrite1hTokens: t.write1h, webSearches };
  }

  /** Anthropic's usage object for the whole request. */
  usage(webSearchRequests: number): Json {
    const t = this.total;
    return {
      input_tokens: t.input,
      output_tokens: t.output,
      cache_read_input_tokens: t.cacheRead,
      cache_creation_input_tokens: t.cacheWrite,
      cache_creation: { ephemeral_5m_input_tokens: t.write5m, ephemeral_1h_input_tokens: t.write1h },
      server_tool_use: { web_search_requests: webSearchRequests },
    };
  }
}
