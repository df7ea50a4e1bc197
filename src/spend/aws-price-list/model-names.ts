/**
 * Price List product names → the Anthropic model id the gateway prices by. Pure.
 *
 * The Price List names Claude by marketing name, not by model id: the Marketplace offer
 * (`AmazonBedrockFoundationModels`) in `servicename`, e.g. "Claude Sonnet 4.5 (Amazon Bedrock
 * Edition)" and, for some models, "Claude 4.6 Sonnet (Amazon Bedrock Edition)"; the older
 * `AmazonBedrock` offer in `model`, e.g. "Claude 3 Haiku". Anthropic's ids put the version after
 * the family from Claude 4 on (`claude-sonnet-4-5`) and before it earlier (`claude-3-5-haiku`).
 */

const FAMILIES = new Set(['opus', 'sonnet', 'haiku', 'fable', 'mythos', 'instant']);
/** Words a name may carry beyond family and version that are part of the id. */
const ID_WORDS = new Set(['preview']);
const VERSION = /^\d+(?:\.\d+)*$/;

/**
 * `claude-sonnet-4-5` for "Claude Sonnet 4.5 (Amazon Bedrock Edition)"; undefined for anything
 * that is not a Claude model with a family (Claude 2.x and unknown wording are left alone rather
 * than guessed, so they can never overwrite another model's price).
 */
export function claudeModelOf(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const words = name.replace(/\([^)]*\)/g, ' ').trim().toLowerCase().split(/\s+/);
  if (words[0] !== 'claude') return undefined;
  let family: string | undefined;
  let version: string | undefined;
  const extra: string[] = [];
  for (const word of words.slice(1)) {
    if (FAMILIES.has(word) && family === undefined) family = word;
    else if (VERSION.test(word) && version === undefined) version = word.replace(/\./g, '-');
    else if (ID_WORDS.has(word)) extra.push(word);
    else return undefined;
  }
  if (family === undefined) return undefined;
  const major = version === undefined ? undefined : Number(version.split('-')[0]);
  const parts = major !== undefined && major < 4 ? ['claude', version, family] : ['claude', family, version];
  return [...parts.filter((part) => part !== undefined), ...extra].join('-');
}
