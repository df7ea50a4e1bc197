/**
 * The grammar of the model names clients send, shared by every upstream. Pure, no I/O, no SDK:
 * the Anthropic upstream reads Bedrock names too (Bedrock-format clients can be routed to it), and
 * must not load the AWS SDK to do so.
 *
 * Names: Anthropic ids with or without a release date (`claude-sonnet-4-5-20250929`,
 * `claude-sonnet-4-5`), Bedrock foundation-model ids (`anthropic.claude-…-v1:0`), inference-profile
 * ids (`us.anthropic.…`, `global.anthropic.…`), ARNs, and on any of them the `[1m]` suffix asking
 * for the 1M-token context window.
 */

/** The beta that turns the 1M context window on; what the `[1m]` suffix stands for upstream. */
export const LONG_CONTEXT_BETA = 'context-1m-2025-08-07';

export const DATE_SUFFIX = /-(\d{4})(\d{2})(\d{2})$/;
const LONG_CONTEXT = /\[1m\]$/i;
const ARN = /^arn:aws[a-z-]*:bedrock:([^:]*):([^:]*):([a-z-]+)\/(.+)$/;
const BEDROCK_ID = /^(?:[a-z][a-z-]*\.)?anthropic\.[a-z0-9]/;
const GEO_PREFIX = /^[a-z][a-z-]*\.(?=anthropic\.)/;

/** `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`; undated ids are returned unchanged. */
export function stripDate(modelId: string): string {
  return modelId.replace(DATE_SUFFIX, '');
}

/** `us.anthropic.claude-…` / `global.anthropic.claude-…` → `anthropic.claude-…`. */
export function stripGeoPrefix(bedrockId: string): string {
  return bedrockId.replace(GEO_PREFIX, '');
}

/**
 * The Anthropic id a Bedrock foundation-model id stands for (`anthropic.claude-x-v1:0` →
 * `claude-x`), or undefined for non-Claude models. Bedrock ids are the Anthropic id plus a version
 * suffix, so this inverts the model table (a test holds every row of it to that).
 */
export function anthropicIdFor(bedrockBaseId: string): string | undefined {
  const match = /^anthropic\.(claude-[a-z0-9-]+?)(?:-v\d+(?::\d+)?)?$/.exec(bedrockBaseId);
  return match?.[1];
}

/** The name without its `[1m]` suffix, and whether it had one. */
export function splitLongContext(clientModel: string): { name: string; longContext: boolean } {
  // Trimmed first: a settings file's `"claude-opus-4-6[1m] "` still asks for the 1M window.
  const trimmed = clientModel.trim();
  const longContext = LONG_CONTEXT.test(trimmed);
  return { name: longContext ? trimmed.replace(LONG_CONTEXT, '').trim() : trimmed, longContext };
}

export interface BedrockArn {
  readonly region: string;
  readonly account: string;
  /** `foundation-model`, `inference-profile`, `application-inference-profile`, `provisioned-model`, ... */
  readonly resource: string;
  readonly id: string;
}

export function parseArn(name: string): BedrockArn | undefined {
  const match = ARN.exec(name);
  if (!match) return undefined;
  const [, region = '', account = '', resource = '', id = ''] = match;
  return { region, account, resource, id };
}

/** A Bedrock foundation-model id or system inference-profile id (not an ARN). */
export function isBedrockId(name: string): boolean {
  return BEDROCK_ID.test(name);
}

/** A system inference-profile id: a Bedrock id with a geo prefix. */
export function isGeoProfileId(name: string): boolean {
  return GEO_PREFIX.test(name);
}

/** The foundation-model id behind a Bedrock id or ARN, where there is one. */
export function baseModelIdOf(modelId: string): string | undefined {
  const arn = parseArn(modelId);
  if (!arn) return isBedrockId(modelId) ? stripGeoPrefix(modelId) : undefined;
  if (arn.resource === 'foundation-model') return arn.id;
  if (arn.resource === 'inference-profile' && isBedrockId(arn.id)) return stripGeoPrefix(arn.id);
  // Application inference profiles hide their model; provisioned and custom models are not foundation models.
  return undefined;
}

/** A name only Bedrock understands: a Bedrock id, a profile id or an ARN. */
export function isBedrockName(name: string): boolean {
  return isBedrockId(name) || parseArn(name) !== undefined;
}

/**
 * The Anthropic id a client's model name stands for, `[1m]` removed: Anthropic ids as they are,
 * Bedrock ids, profile ids and ARNs by the model they name. Undefined for a Bedrock name whose
 * model cannot be read from it (an application inference profile, a provisioned model).
 */
export function anthropicIdOf(clientModel: string): string | undefined {
  const { name } = splitLongContext(clientModel);
  if (!isBedrockName(name)) return name;
  const base = baseModelIdOf(name);
  return base === undefined ? undefined : anthropicIdFor(base);
}
