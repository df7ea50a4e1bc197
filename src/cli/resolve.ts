/**
 * Turning what a person types (`<id|prefix>`, `<id|name>`, a model filter) into records. Pure, so
 * the ambiguity rules are unit-tested: an exact id always wins; a prefix must be unambiguous.
 */
import type { EndpointRecord, KeyRecord, PricingRow } from './admin-types.js';
import { CliError } from './errors.js';

export const KEY_PREFIX = 'sk-ccag-';
// "ccag keys revoke s" must not revoke the only key there is.
export const MIN_PREFIX_CHARS = 4;

interface Revocable {
  id: string;
  prefix: string;
  status: string;
}

/** How to name one kind of key in messages: `{ prefix: 'sk-ccag-', noun: 'key', list: 'ccag keys list --all' }`. */
export interface KeyKind {
  prefix: string;
  noun: string;
  list: string;
}

const VIRTUAL_KEYS: KeyKind = { prefix: KEY_PREFIX, noun: 'key', list: 'ccag keys list --all' };

/**
 * A key by id or by an unambiguous prefix (with or without the kind's `sk-ccag-`-style prefix).
 * An exact id always wins; revoked keys linger in listings, so a prefix naming one live key means
 * that key.
 */
export function findKeyOf<T extends Revocable>(keys: readonly T[], reference: string, kind: KeyKind = VIRTUAL_KEYS): T {
  const exact = keys.find((key) => key.id === reference);
  if (exact) return exact;

  const bare = reference.startsWith(kind.prefix) ? reference.slice(kind.prefix.length) : reference;
  if (bare.length < MIN_PREFIX_CHARS) {
    throw new CliError(`no ${kind.noun} has the id "${reference}"; to match by prefix give at least ${MIN_PREFIX_CHARS} characters after ${kind.prefix}`);
  }
  const matches = keys.filter((key) => key.prefix.startsWith(`${kind.prefix}${bare}`) || key.prefix.startsWith(bare));
  const live = matches.filter((key) => key.status !== 'revoked');
  const candidates = live.length > 0 ? live : matches;
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new CliError(`no ${kind.noun} matches "${reference}"; see "${kind.list}"`);
  throw new CliError(`"${reference}" matches ${candidates.length} ${kind.noun}s (${candidates.map((key) => key.id).join(', ')}); give the id`);
}

export const findKey = (keys: readonly KeyRecord[], reference: string): KeyRecord => findKeyOf(keys, reference);

export function findEndpoint(endpoints: readonly EndpointRecord[], reference: string): EndpointRecord {
  const exact = endpoints.find((endpoint) => endpoint.id === reference) ?? endpoints.find((endpoint) => endpoint.name === reference);
  if (exact) return exact;
  const folded = endpoints.filter((endpoint) => endpoint.name.toLowerCase() === reference.toLowerCase());
  if (folded.length === 1) return folded[0]!;
  if (folded.length > 1) throw new CliError(`"${reference}" matches ${folded.length} endpoints by name; give the id`);
  throw new CliError(`no endpoint has the id or name "${reference}"; see "ccag endpoints list"`);
}

/**
 * Rows for a model filter. A row matches when its prefix starts with the filter (`claude-sonnet`
 * lists every Sonnet row) or the filter starts with its prefix (a full model id such as
 * `claude-sonnet-4-5-20250929` shows the row that prices it). A filter without a dot ignores the
 * Bedrock part of row prefixes (`us.anthropic.`, `anthropic.`), so one filter lists a model's
 * prices on every provider; a filter with a dot (`eu.anthropic.claude`) is compared as typed.
 */
export function filterPricing(rows: readonly PricingRow[], filter: string | undefined): PricingRow[] {
  const sorted = [...rows].sort((a, b) => a.model_prefix.localeCompare(b.model_prefix));
  if (!filter) return sorted;
  const wanted = filter.toLowerCase();
  const compareWhole = wanted.includes('.');
  return sorted.filter((row) => {
    const whole = row.model_prefix.toLowerCase();
    const prefix = compareWhole ? whole : whole.slice(whole.lastIndexOf('.') + 1);
    return prefix.startsWith(wanted) || wanted.startsWith(prefix);
  });
}
