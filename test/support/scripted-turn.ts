/**
 * Model turns a test scripts block by block (text, tool calls with their input), for the mock
 * upstreams when the directive vocabulary of mock-script.ts is not enough: a web search loop needs
 * the model to call the replaced `web_search` tool with a query, then answer from its results.
 * The same turn as Anthropic SSE events or as a whole Messages body.
 */
import type { MockUsage, SseEvent } from './mock-script.js';

export type ScriptedBlock = { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown> };

export interface ScriptedTurn {
  content: ScriptedBlock[];
  /** Default: tool_use when a block calls a tool, else end_turn. */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens';
  usage?: Partial<Pick<MockUsage, 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'>>;
  /** The mock answers only once this resolves (to prove a client got earlier output first). */
  holdUntil?: Promise<void>;
  /** Instead of the turn, the upstream's error before the first byte (an AWS exception name and message on Bedrock). */
  awsError?: { readonly name: string; readonly message: string };
}

let counter = 0;
/** Unique per call: Claude Code loops when a tool_use id repeats. */
const toolUseId = () => `toolu_scripted_${process.pid}_${(counter += 1)}`;

function usageOf(turn: ScriptedTurn): MockUsage {
  const write = turn.usage?.cache_creation_input_tokens ?? 0;
  return {
    input_tokens: turn.usage?.input_tokens ?? 25,
    output_tokens: turn.usage?.output_tokens ?? 12,
    cache_read_input_tokens: turn.usage?.cache_read_input_tokens ?? 0,
    cache_creation_input_tokens: write,
    cache_creation: { ephemeral_5m_input_tokens: write, ephemeral_1h_input_tokens: 0 },
  };
}

const stopReasonOf = (turn: ScriptedTurn) => turn.stopReason ?? (turn.content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');

function withIds(turn: ScriptedTurn): Array<Record<string, unknown>> {
  return turn.content.map((block) => (block.type === 'tool_use' ? { ...block, id: toolUseId() } : { ...block }));
}

export function scriptedEvents(turn: ScriptedTurn, model: string, messageId: string): SseEvent[] {
  const usage = usageOf(turn);
  const events: SseEvent[] = [
    { event: 'message_start', data: { type: 'message_start', message: { id: messageId, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } } },
  ];
  withIds(turn).forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } });
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } } });
    } else {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } } });
      const json = JSON.stringify(block.input);
      // Split in two, as models stream tool input in pieces.
      for (const part of [json.slice(0, 5), json.slice(5)]) events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push(
    {
      event: 'message_delta',
      data: { type: 'message_delta', delta: { stop_reason: stopReasonOf(turn), stop_sequence: null }, usage: { input_tokens: usage.input_tokens, cache_creation_input_tokens: usage.cache_creation_input_tokens, cache_read_input_tokens: usage.cache_read_input_tokens, output_tokens: usage.output_tokens } },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}

export function scriptedMessage(turn: ScriptedTurn, model: string, messageId: string): Record<string, unknown> {
  return { id: messageId, type: 'message', role: 'assistant', model, content: withIds(turn), stop_reason: stopReasonOf(turn), stop_sequence: null, usage: usageOf(turn) };
}
