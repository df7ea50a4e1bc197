/**
 * What the mock upstreams answer, shared by the mock Anthropic API and the mock Bedrock runtime so
 * both speak the same conversation in their own wire format. Tests steer a reply with directives
 * in the last user message (the only thing a Claude Code CLI test controls):
 *
 *   [[usage in=120 out=40 cr=10 cw5=20 cw1h=30]]  token counts reported in usage
 *   [[text Hello there]]                           assistant text (default "Hello from the mock.")
 *   [[tool Bash]] / [[tool mcp__github__search]]   answer with a tool_use block (stop_reason tool_use)
 *   [[error 529 overloaded_error Overloaded]]      fail before the first byte
 *   [[midstream-error]]                            fail after the first text delta
 *   [[pause 1500]]                                 silence (ms) after the first text delta
 *   [[delay 20]]                                   delay (ms) between stream events
 *   [[chunks 50]]                                  split the text into this many deltas
 *   [[unified 5h=0.42 7d=0.08]]                    subscription windows (Anthropic mock: anthropic-ratelimit-unified-*)
 *   [[repeat 100]]                                 send the text deltas this many times over (a large reply)
 *   [[fault hang]]                                 never answer (no status line, connection left open)
 *   [[fault reset]]                                reset the connection (TCP RST) after the first text delta
 *   [[fault malformed]]                            a frame that does not parse after the first text delta (mock-faults.ts)
 *   [[fault bad-crc]] / [[fault truncated-prelude]]  Bedrock only: a corrupt event-stream frame after the first delta
 */

export interface MockUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export interface MockTurn {
  text: string;
  toolName?: string;
  usage: MockUsage;
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  error?: { status: number; type: string; message: string };
  midstreamError: boolean;
  pauseMs: number;
  delayMs: number;
  chunks: number;
  /** Used share of the subscription windows, sent as `anthropic-ratelimit-unified-<window>-utilization`. */
  unified?: Partial<Record<'5h' | '7d', number>>;
  /** How many times the text deltas are sent. */
  repeat?: number;
  /** A fault the mock commits instead of a clean reply (mock-faults.ts). */
  fault?: UpstreamFault;
}

export type UpstreamFault = 'hang' | 'reset' | 'malformed' | 'bad-crc' | 'truncated-prelude';
const FAULTS: readonly string[] = ['hang', 'reset', 'malformed', 'bad-crc', 'truncated-prelude'] satisfies UpstreamFault[];

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

let toolUseCounter = 0;

/** Text of the last user message, whatever content shape the client used. */
export function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    const content = message.content;
    if (typeof content === 'string') return content;
    if (Array.isArray(content)) {
      return content
        .map((block: Record<string, unknown>) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
        .join('\n');
    }
  }
  return '';
}

function directive(text: string, name: string): string | undefined {
  const match = new RegExp(`\\[\\[${name}(?: ([^\\]]*))?\\]\\]`).exec(text);
  return match ? (match[1] ?? '') : undefined;
}

function numberArg(args: string, key: string, fallback: number): number {
  const match = new RegExp(`(?:^|\\s)${key}=(\\d+)`).exec(args);
  return match ? Number(match[1]) : fallback;
}

/** `5h=0.42 7d=0.08` → { '5h': 0.42, '7d': 0.08 }. */
function unifiedArgs(args: string): MockTurn['unified'] {
  const windows: NonNullable<MockTurn['unified']> = {};
  for (const [, window, share] of args.matchAll(/(?:^|\s)(5h|7d)=(\d+(?:\.\d+)?)/g)) windows[window as '5h' | '7d'] = Number(share);
  return windows;
}

export function turnFor(body: Record<string, unknown>): MockTurn {
  const text = lastUserText(body);
  const usageArgs = directive(text, 'usage') ?? '';
  const cw5 = numberArg(usageArgs, 'cw5', 0);
  const cw1h = numberArg(usageArgs, 'cw1h', 0);
  const usage: MockUsage = {
    input_tokens: numberArg(usageArgs, 'in', 25),
    output_tokens: numberArg(usageArgs, 'out', 12),
    cache_read_input_tokens: numberArg(usageArgs, 'cr', 0),
    cache_creation_input_tokens: cw5 + cw1h,
    cache_creation: { ephemeral_5m_input_tokens: cw5, ephemeral_1h_input_tokens: cw1h },
  };
  const errorArgs = directive(text, 'error');
  let error: MockTurn['error'];
  if (errorArgs !== undefined) {
    const [status = '500', type = 'api_error', ...message] = errorArgs.split(' ');
    error = { status: Number(status), type, message: message.join(' ') || 'Internal server error' };
  }
  const toolName = directive(text, 'tool');
  const fault = directive(text, 'fault');
  if (fault !== undefined && !FAULTS.includes(fault)) throw new Error(`unknown mock fault: ${fault}`);
  return {
    text: directive(text, 'text') ?? 'Hello from the mock.',
    ...(toolName ? { toolName } : {}),
    usage,
    stopReason: toolName ? 'tool_use' : 'end_turn',
    ...(error ? { error } : {}),
    midstreamError: directive(text, 'midstream-error') !== undefined,
    pauseMs: Number(directive(text, 'pause') ?? 0),
    delayMs: Number(directive(text, 'delay') ?? 0),
    chunks: Math.max(1, Number(directive(text, 'chunks') ?? 3)),
    ...(directive(text, 'unified') !== undefined ? { unified: unifiedArgs(directive(text, 'unified')!) } : {}),
    repeat: Math.max(1, Number(directive(text, 'repeat') ?? 1)),
    ...(fault ? { fault: fault as UpstreamFault } : {}),
  };
}

function splitText(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length > 0 ? pieces : [''];
}

function newToolUseId(): string {
  // Unique ids: Claude Code loops when a tool_use id repeats.
  toolUseCounter += 1;
  return `toolu_mock_${Date.now().toString(36)}_${toolUseCounter}`;
}

/** The Anthropic SSE events of a successful streamed turn, in order. */
export function streamEvents(turn: MockTurn, model: string, messageId: string): SseEvent[] {
  const startUsage = { ...turn.usage, output_tokens: 1 };
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { id: messageId, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage },
      },
    },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
  ];
  const pieces = splitText(turn.text, turn.chunks);
  for (const piece of Array.from({ length: turn.repeat ?? 1 }, () => pieces).flat()) {
    events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } } });
  }
  events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } });
  if (turn.toolName) {
    events.push(
      {
        event: 'content_block_start',
        data: { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: newToolUseId(), name: turn.toolName, input: {} } },
      },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"command":"echo hi"}' } } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 1 } },
    );
  }
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: turn.stopReason, stop_sequence: null },
        usage: {
          input_tokens: turn.usage.input_tokens,
          cache_creation_input_tokens: turn.usage.cache_creation_input_tokens,
          cache_read_input_tokens: turn.usage.cache_read_input_tokens,
          output_tokens: turn.usage.output_tokens,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

/** The non-streaming Messages API body of the same turn. */
export function messageBody(turn: MockTurn, model: string, messageId: string): Record<string, unknown> {
  const content: Array<Record<string, unknown>> = [{ type: 'text', text: turn.text }];
  if (turn.toolName) content.push({ type: 'tool_use', id: newToolUseId(), name: turn.toolName, input: { command: 'echo hi' } });
  return {
    id: messageId,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: turn.stopReason,
    stop_sequence: null,
    usage: turn.usage,
  };
}

/** A deterministic token count for count_tokens: one token per four bytes of the JSON body. */
export function countTokensFor(body: Record<string, unknown>): number {
  return Math.max(1, Math.ceil(JSON.stringify(body.messages ?? []).length / 4));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
