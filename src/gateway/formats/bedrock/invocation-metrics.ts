/**
 * `amazon-bedrock-invocationMetrics`, which Bedrock adds to the last event of a stream, computed
 * from the usage the Anthropic events report: message_start carries the input side (and the
 * first output count), message_delta the running output count.
 */

export const METRICS_KEY = 'amazon-bedrock-invocationMetrics';

export interface InvocationMetrics {
  inputTokenCount: number;
  outputTokenCount: number;
  invocationLatency: number;
  firstByteLatency: number;
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

interface Usage {
  input_tokens?: unknown;
  output_tokens?: unknown;
  cache_read_input_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export class UsageTally {
  private input = 0;
  private output = 0;
  private cacheRead: number | undefined;
  private cacheWrite: number | undefined;

  /** Reads the usage of a message_start or message_delta event. */
  observe(event: Record<string, unknown>): void {
    const usage = (event.type === 'message_start' ? (event.message as { usage?: Usage } | undefined)?.usage : (event.usage as Usage | undefined)) ?? {};
    // message_delta restates input counts on some models; the latest report wins.
    this.input = count(usage.input_tokens) ?? this.input;
    this.output = count(usage.output_tokens) ?? this.output;
    this.cacheRead = count(usage.cache_read_input_tokens) ?? this.cacheRead;
    this.cacheWrite = count(usage.cache_creation_input_tokens) ?? this.cacheWrite;
  }

  metrics(invocationLatency: number, firstByteLatency: number): InvocationMetrics {
    return {
      inputTokenCount: this.input,
      outputTokenCount: this.output,
      invocationLatency: Math.round(invocationLatency),
      firstByteLatency: Math.round(firstByteLatency),
      ...(this.cacheRead !== undefined ? { cacheReadInputTokenCount: this.cacheRead } : {}),
      ...(this.cacheWrite !== undefined ? { cacheWriteInputTokenCount: this.cacheWrite } : {}),
    };
  }
}
