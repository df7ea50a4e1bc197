/**
 * Model patterns of a policy's allowlist: `*` matches any run of characters, everything else is
 * literal, case-insensitive. A pattern is tried against the name the client sent and against the
 * Anthropic model it stands for, so `claude-sonnet-4*` admits `claude-sonnet-4-5`,
 * `us.anthropic.claude-sonnet-4-5-20250929-v1:0` and their `[1m]` variants, while a Bedrock-only
 * pattern (`us.anthropic.*`, an application inference profile ARN) still works on the raw name.
 */
import { anthropicIdOf, splitLongContext } from '../upstreams/model-names.js';

const compiled = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (!regexp) {
    const body = pattern
      .trim()
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regexp = new RegExp(`^${body}$`, 'i');
    // Patterns come from a handful of policies; the cache cannot grow past what admins typed.
    compiled.set(pattern, regexp);
  }
  return regexp;
}

/** The names a client's model is known by: as sent, without `[1m]`, and the Anthropic id behind it. */
export function namesOf(clientModel: string): string[] {
  const { name } = splitLongContext(clientModel);
  const anthropic = anthropicIdOf(clientModel);
  return [...new Set([clientModel, name, ...(anthropic === undefined ? [] : [anthropic])])];
}

export function modelMatches(patterns: readonly string[], clientModel: string): boolean {
  const names = namesOf(clientModel);
  return patterns.some((pattern) => {
    const regexp = patternRegExp(pattern);
    return names.some((name) => regexp.test(name));
  });
}

/** A pattern admins may save: non-empty, printable, at most 200 characters. */
export const MODEL_PATTERN = /^[\x21-\x7e]{1,200}$/;
