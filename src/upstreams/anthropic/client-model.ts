/**
 * Model names the Anthropic API does not know, made ones it does. Bedrock-format clients (Claude
 * Code with CLAUDE_CODE_USE_BEDROCK=1) can be routed to an Anthropic endpoint, and they name
 * models the Bedrock way (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`); the `[1m]` suffix is a
 * client-side convention the API spells as a beta. Such a request is sent with the Anthropic id,
 * and the reply carries the client's name back, as Bedrock's replies do. Pure, no I/O.
 *
 * Everything else, the common case, is not touched here: the raw bytes go through verbatim.
 */
import { anthropicIdOf, isBedrockName, LONG_CONTEXT_BETA, splitLongContext } from '../model-names.js';

export interface ModelRename {
  /** The name the client sent, which replies carry back. */
  readonly clientModel: string;
  /** The Anthropic id sent upstream (and priced). */
  readonly upstreamModel: string;
  readonly longContext: boolean;
}

/**
 * How a client's model name must change for the Anthropic API: undefined when it goes as sent,
 * null when it names nothing the API can serve (an application inference profile ARN).
 */
export function renameFor(clientModel: string): ModelRename | null | undefined {
  const { name, longContext } = splitLongContext(clientModel);
  if (!longContext && !isBedrockName(name)) return undefined;
  const upstreamModel = anthropicIdOf(name);
  return upstreamModel ? { clientModel, upstreamModel, longContext } : null;
}

/** The client's headers with the 1M-context beta added, when the suffix asked for it. */
export function withLongContextBeta(headers: Record<string, string>, rename: ModelRename): Record<string, string> {
  if (!rename.longContext) return headers;
  const betas = (headers['anthropic-beta'] ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (betas.includes(LONG_CONTEXT_BETA)) return headers;
  return { ...headers, 'anthropic-beta': [...betas, LONG_CONTEXT_BETA].join(',') };
}

/** The request body with the Anthropic id; the inbound body is left as it is. */
export function renamedBody(body: Record<string, unknown>, rename: ModelRename): Buffer {
  return Buffer.from(JSON.stringify({ ...body, model: rename.upstreamModel }));
}
