/**
 * What both loops (whole messages and streams) do with one finished model turn: find its calls of
 * the search tool, show them to the client as server tool calls, and build the next call's body
 * with the turn and the search results appended. Pure.
 */
import type { MessagesBody } from '../upstreams/types.js';
import type { SearchCall } from './search-round.js';
import { queryOf } from './search-round.js';
import { serverToolUseBlock } from './result-blocks.js';
import { followUpToolChoice } from './server-tool.js';

type Json = Record<string, unknown>;

const isToolUse = (block: unknown): block is Json & { id: string } =>
  typeof block === 'object' && block !== null && (block as Json).type === 'tool_use' && typeof (block as Json).id === 'string';

export function searchCallsOf(blocks: readonly unknown[], toolName: string): SearchCall[] {
  return blocks.filter((block) => isToolUse(block) && block.name === toolName).map((block) => ({ id: (block as Json).id as string, input: (block as Json).input }));
}

/** The client's own tools called in the same turn: the client must run them, so the loop stops there. */
export function callsClientTools(blocks: readonly unknown[], toolName: string): boolean {
  return blocks.some((block) => isToolUse(block) && block.name !== toolName);
}

/** A model block as the client sees it: a search call becomes Anthropic's server tool call. */
export function clientBlockOf(block: unknown, toolName: string, clientId: (id: string) => string): unknown {
  if (!isToolUse(block) || block.name !== toolName) return block;
  return serverToolUseBlock(clientId(block.id), toolName, queryOf(block.input));
}

export function followUpBody(body: MessagesBody, turn: readonly unknown[], toolResults: readonly Json[]): MessagesBody {
  const messages = [...(Array.isArray(body.messages) ? body.messages : []), { role: 'assistant', content: turn }, { role: 'user', content: toolResults }];
  return { ...body, messages, ...(body.tool_choice === undefined ? {} : { tool_choice: followUpToolChoice(body.tool_choice) }) };
}
