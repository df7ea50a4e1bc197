/**
 * The `web_search_*` server tool of a Messages request, and the regular tool Bedrock gets in its
 * place. Pure. Bedrock has no server tools: a request carrying one is refused there, so the
 * gateway swaps it for a plain tool with the same name that takes `{query}` and answers the
 * model's calls itself (src/websearch/search-round.ts).
 */
import type { MessagesBody } from '../upstreams/types.js';
import { historyForBedrock } from './history.js';

/** Every dated version: `web_search_20250305` (what Claude Code 2.1.197 sends) and later ones. */
const WEB_SEARCH_TYPE = /^web_search_\d{8}$/;

/** Anthropic's own cap is the model's judgement; ours keeps a client that sets none from looping for long. */
export const DEFAULT_MAX_USES = 10;

export interface WebSearchTool {
  /** The tool's name, `web_search` in every published version. */
  readonly name: string;
  readonly maxUses: number;
  readonly allowedDomains: readonly string[];
  readonly blockedDomains: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : []);

/** The request's web search server tool, or undefined (the common case: checked once per request). */
export function webSearchToolOf(body: MessagesBody): WebSearchTool | undefined {
  const tools = body.tools;
  if (!Array.isArray(tools)) return undefined;
  for (const tool of tools) {
    if (!isObject(tool) || typeof tool.type !== 'string' || !WEB_SEARCH_TYPE.test(tool.type)) continue;
    const maxUses = typeof tool.max_uses === 'number' && Number.isInteger(tool.max_uses) && tool.max_uses > 0 ? tool.max_uses : DEFAULT_MAX_USES;
    return {
      name: typeof tool.name === 'string' && tool.name !== '' ? tool.name : 'web_search',
      maxUses,
      allowedDomains: strings(tool.allowed_domains),
      blockedDomains: strings(tool.blocked_domains),
    };
  }
  return undefined;
}

/** The regular tool the model calls instead; the description is what tells it when to search. */
export function replacementTool(tool: WebSearchTool): Json {
  return {
    name: tool.name,
    description:
      'Search the web for current information. Returns result titles, URLs, ages and excerpts. ' +
      'Use it for anything that may have changed after your training data, and cite the URLs you use.',
    input_schema: {
      type: 'object',
      properties: { query: { type: 'string', description: 'The search query' } },
      required: ['query'],
    },
  };
}

/**
 * The body for the loop's first Bedrock call: the server tool replaced, earlier searches in the
 * history turned into regular tool calls. Everything else is the client's.
 */
export function bedrockBody(body: MessagesBody, tool: WebSearchTool): MessagesBody {
  const tools = (body.tools as unknown[]).map((entry) => (isObject(entry) && typeof entry.type === 'string' && WEB_SEARCH_TYPE.test(entry.type) ? replacementTool(tool) : entry));
  return { ...body, tools, messages: historyForBedrock(body.messages) };
}

/**
 * The tool choice for a follow-up call. Claude Code forces the first call to search
 * (`{type:"tool",name:"web_search"}`); kept, that would force a search on every call until
 * max_uses runs out, so later calls let the model decide.
 */
export function followUpToolChoice(choice: unknown): unknown {
  if (!isObject(choice) || (choice.type !== 'tool' && choice.type !== 'any')) return choice;
  const { type: _type, name: _name, ...rest } = choice;
  return { ...rest, type: 'auto' };
}
