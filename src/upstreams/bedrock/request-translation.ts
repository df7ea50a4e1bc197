/**
 * Messages API request → Bedrock InvokeModel body. Pure. Bedrock takes the model in the path and
 * the stream choice from the operation, so both leave the body; betas travel in the body because
 * Bedrock ignores the `anthropic-beta` header.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { LONG_CONTEXT_BETA } from '../model-names.js';
import type { MessagesBody } from '../types.js';

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';
/** Bedrock rejects request tags and their beta outright; they are a first-party API feature. */
export const REQUEST_TAGS_BETA = 'request-tags-2026-08-21';

/** Betas from the `anthropic-beta` header (comma-separated, possibly repeated) and the body. */
export function requestedBetas(headers: IncomingHttpHeaders, body: MessagesBody): string[] {
  const header = headers['anthropic-beta'];
  const fromHeader = (Array.isArray(header) ? header : header === undefined ? [] : [header]).flatMap((value) => value.split(','));
  const fromBody = Array.isArray(body.anthropic_beta) ? body.anthropic_beta.filter((b): b is string => typeof b === 'string') : [];
  return [...fromHeader, ...fromBody];
}

export interface TranslateOptions {
  /** The client asked for the 1M context window through the `[1m]` model suffix. */
  longContext: boolean;
  /** Betas known to be rejected for this endpoint and model. */
  withheldBetas?: ReadonlySet<string>;
  /** count_tokens requests carry no max_tokens, which InvokeModel bodies require. */
  ensureMaxTokens?: boolean;
}

export interface TranslatedRequest {
  body: Record<string, unknown>;
  /** The betas the body carries, in order. */
  betas: string[];
}

export function translateRequest(headers: IncomingHttpHeaders, body: MessagesBody, options: TranslateOptions): TranslatedRequest {
  const { model: _model, stream: _stream, tags: _tags, anthropic_beta: _betas, ...rest } = body;
  const wanted = [...requestedBetas(headers, body), ...(options.longContext ? [LONG_CONTEXT_BETA] : [])];
  const betas = [...new Set(wanted.map((b) => b.trim()).filter((b) => b !== '' && b !== REQUEST_TAGS_BETA && !options.withheldBetas?.has(b)))];
  const out: Record<string, unknown> = { ...rest, anthropic_version: BEDROCK_ANTHROPIC_VERSION };
  if (betas.length > 0) out.anthropic_beta = betas;
  if (options.ensureMaxTokens && out.max_tokens === undefined) out.max_tokens = 1;
  return { body: out, betas };
}
