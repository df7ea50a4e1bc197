/**
 * Folds the parsed pieces of a Messages API response (SSE events or a whole body) into usage
 * figures. Pure; the wire handling is the meter's.
 */

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

const tokens = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export class UsageTally {
  inputTokens = 0;
  outputTokens = 0;
  cacheReadTokens = 0;
  cacheWrite5mTokens = 0;
  cacheWrite1hTokens = 0;
  stopReason: string | null = null;
  errorType: string | null = null;
  /** The error's message, for the operator's `upstream error` log line. */
  errorMessage: string | null = null;
  readonly toolNames: string[] = [];
  /** `message_start` seen: usage so far is the prompt's, output still open. */
  sawStart = false;
  /** The final usage arrived (`message_delta`, or a whole body). */
  sawFinal = false;
  /** Bytes of streamed text / JSON / thinking, for estimating the output of a cut stream. */
  streamedBytes = 0;
  private blockSearches = 0;
  private reportedSearches: number | undefined;

  /** Web searches billed: the final usage's count (errored searches are free), else the blocks seen. */
  get webSearches(): number {
    return this.reportedSearches ?? this.blockSearches;
  }

  /** One parsed SSE event. */
  event(data: Json): void {
    switch (data.type) {
      case 'message_start':
        this.sawStart = true;
        this.usage(object(data.message)?.usage, false);
        break;
      case 'message_delta':
        this.sawFinal = true;
        this.stopReason = text(object(data.delta)?.stop_reason) ?? this.stopReason;
        this.usage(data.usage, true);
        break;
      case 'content_block_start':
        this.block(data.content_block);
        break;
      case 'content_block_delta': {
        // Only deltas that came without an `event:` line are parsed; the meter counts the rest.
        const delta = object(data.delta);
        this.streamedBytes += (text(delta?.text) ?? text(delta?.partial_json) ?? text(delta?.thinking) ?? '').length;
        break;
      }
      case 'error':
        this.error(data.error);
        break;
    }
  }

  /** A whole non-streaming body: a message or an error. */
  message(body: Json): void {
    if (body.type === 'error') {
      this.error(body.error);
      return;
    }
    this.stopReason = text(body.stop_reason) ?? null;
    if (Array.isArray(body.content)) for (const block of body.content) this.block(block);
    if (object(body.usage)) {
      this.sawFinal = true;
      this.usage(body.usage, true);
    }
  }

  private error(value: unknown): void {
    this.errorType = text(object(value)?.type) ?? 'error';
    this.errorMessage = text(object(value)?.message) ?? null;
  }

  /** Usage is cumulative: fields present replace what an earlier event said. */
  private usage(value: unknown, final: boolean): void {
    const usage = object(value);
    if (!usage) return;
    this.inputTokens = tokens(usage.input_tokens) ?? this.inputTokens;
    this.outputTokens = tokens(usage.output_tokens) ?? this.outputTokens;
    this.cacheReadTokens = tokens(usage.cache_read_input_tokens) ?? this.cacheReadTokens;
    const split = object(usage.cache_creation);
    const write5m = tokens(split?.ephemeral_5m_input_tokens);
    const write1h = tokens(split?.ephemeral_1h_input_tokens);
    const written = tokens(usage.cache_creation_input_tokens);
    if (write5m !== undefined || write1h !== undefined) {
      this.cacheWrite5mTokens = write5m ?? 0;
      this.cacheWrite1hTokens = write1h ?? 0;
    } else if (written !== undefined) {
      // A total without the split (message_delta carries only the total, older APIs never split):
      // keep the 1-hour share already known and bill the rest at the default 5-minute TTL.
      this.cacheWrite1hTokens = Math.min(this.cacheWrite1hTokens, written);
      this.cacheWrite5mTokens = written - this.cacheWrite1hTokens;
    }
    // message_start reports 0 searches before any ran; only the final count is the billed one.
    if (final) this.reportedSearches = tokens(object(usage.server_tool_use)?.web_search_requests) ?? this.reportedSearches;
  }

  private block(value: unknown): void {
    const block = object(value);
    const name = text(block?.name);
    if (!block || name === undefined) return;
    if (block.type === 'tool_use') this.toolNames.push(name);
    else if (block.type === 'server_tool_use' && name === 'web_search') this.blockSearches += 1;
  }
}
