/**
 * Earlier searches in a conversation the client sends back, made readable for Bedrock. Pure.
 * In Anthropic's format a search lives inside one assistant turn (`server_tool_use` then
 * `web_search_tool_result`, then more text); with a regular tool the assistant turn must end at
 * the tool call and the result comes back in a user turn. So each such turn is split there, and
 * turns of the same role that end up adjacent are joined (Bedrock wants them alternating).
 */
import { resultText } from './result-blocks.js';

type Json = Record<string, unknown>;
interface Message {
  role: string;
  content: unknown;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function hasSearchBlocks(message: unknown): boolean {
  return isObject(message) && message.role === 'assistant' && Array.isArray(message.content) &&
    message.content.some((block) => isObject(block) && (block.type === 'server_tool_use' || block.type === 'web_search_tool_result'));
}

/** One assistant turn with searches as the alternating turns Bedrock takes. */
function splitTurn(content: readonly unknown[]): Message[] {
  const turns: Message[] = [];
  let assistant: unknown[] = [];
  let results: unknown[] = [];
  const flushResults = () => {
    if (results.length === 0) return;
    turns.push({ role: 'assistant', content: assistant }, { role: 'user', content: results });
    assistant = [];
    results = [];
  };
  for (const block of content) {
    if (isObject(block) && block.type === 'web_search_tool_result') {
      results.push({ type: 'tool_result', tool_use_id: block.tool_use_id, content: resultText(block.content), ...(Array.isArray(block.content) ? {} : { is_error: true }) });
      continue;
    }
    flushResults();
    if (isObject(block) && block.type === 'server_tool_use') assistant.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input ?? {} });
    else assistant.push(block);
  }
  flushResults();
  if (assistant.length > 0) turns.push({ role: 'assistant', content: assistant });
  return turns;
}

const asBlocks = (content: unknown): unknown[] => (Array.isArray(content) ? content : [{ type: 'text', text: String(content ?? '') }]);

/** The messages with every earlier search as a regular tool call; the array itself when there is none. */
export function historyForBedrock(messages: unknown): unknown {
  if (!Array.isArray(messages) || !messages.some(hasSearchBlocks)) return messages;
  const out: Message[] = [];
  for (const message of messages as Message[]) {
    const turns = hasSearchBlocks(message) ? splitTurn(message.content as unknown[]) : [message];
    for (const turn of turns) {
      const last = out[out.length - 1];
      if (last && last.role === turn.role) last.content = [...asBlocks(last.content), ...asBlocks(turn.content)];
      else out.push({ ...turn });
    }
  }
  return out;
}
