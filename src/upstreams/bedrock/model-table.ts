/**
 * What CCAG knows about Claude on Bedrock before asking the account: Anthropic model id → Bedrock
 * foundation-model id. Discovery (ListInferenceProfiles) adds models released after this table;
 * the table wins where both know a model, because Bedrock ids carry version suffixes (`-v1:0`,
 * `-v1`, none) that cannot be derived from the Anthropic id.
 */
import { DATE_SUFFIX, stripDate } from '../model-names.js';

/** Oldest first: model listings show this order reversed. */
export const SEED_MODELS: Readonly<Record<string, string>> = Object.freeze({
  'claude-3-5-haiku-20241022': 'anthropic.claude-3-5-haiku-20241022-v1:0',
  'claude-3-7-sonnet-20250219': 'anthropic.claude-3-7-sonnet-20250219-v1:0',
  'claude-sonnet-4-20250514': 'anthropic.claude-sonnet-4-20250514-v1:0',
  'claude-opus-4-20250514': 'anthropic.claude-opus-4-20250514-v1:0',
  'claude-opus-4-1-20250805': 'anthropic.claude-opus-4-1-20250805-v1:0',
  'claude-sonnet-4-5-20250929': 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-haiku-4-5-20251001': 'anthropic.claude-haiku-4-5-20251001-v1:0',
  'claude-opus-4-5-20251101': 'anthropic.claude-opus-4-5-20251101-v1:0',
  'claude-opus-4-6': 'anthropic.claude-opus-4-6-v1',
  'claude-sonnet-4-6': 'anthropic.claude-sonnet-4-6',
  'claude-opus-4-7': 'anthropic.claude-opus-4-7',
  'claude-opus-4-8': 'anthropic.claude-opus-4-8',
  'claude-opus-5': 'anthropic.claude-opus-5',
  'claude-opus-5-5': 'anthropic.claude-opus-5-5',
  'claude-sonnet-5': 'anthropic.claude-sonnet-5',
  'claude-sonnet-5-5': 'anthropic.claude-sonnet-5-5',
  'claude-haiku-5-5': 'anthropic.claude-haiku-5-5',
  'claude-fable-5': 'anthropic.claude-fable-5',
  'claude-fable-5-1': 'anthropic.claude-fable-5-1',
  'claude-mythos-5': 'anthropic.claude-mythos-5',
  'claude-mythos-5-1': 'anthropic.claude-mythos-5-1',
  'claude-mythos-preview': 'anthropic.claude-mythos-preview',
});

/** "Claude Sonnet 4.5", "Claude Sonnet 3.7", "Claude Mythos Preview": Anthropic's naming order. */
export function displayNameFor(anthropicId: string): string {
  const parts = stripDate(anthropicId).replace(/^claude-/, '').split('-');
  const words = parts.filter((p) => !/^\d+$/.test(p)).map((p) => p.charAt(0).toUpperCase() + p.slice(1));
  const version = parts.filter((p) => /^\d+$/.test(p)).join('.');
  return ['Claude', ...words, ...(version ? [version] : [])].join(' ');
}

/** Undated ids have no release date to show; a fixed one keeps `created_at` valid and stable. */
const UNDATED_CREATED_AT = '2025-01-01T00:00:00Z';

export function createdAtFor(anthropicId: string): string {
  const match = DATE_SUFFIX.exec(anthropicId);
  return match ? `${match[1]}-${match[2]}-${match[3]}T00:00:00Z` : UNDATED_CREATED_AT;
}
