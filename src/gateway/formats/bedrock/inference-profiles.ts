/**
 * Bedrock's ListInferenceProfiles (`GET /inference-profiles`) and GetInferenceProfile
 * (`GET /inference-profiles/{id}`) answered from the models a caller may use (their route's models,
 * and the profile ids their fleet policy allows). Claude Code in
 * Bedrock mode lists SYSTEM_DEFINED profiles to pick its default models (the first id starting
 * with its region's geo, e.g. `us.`, holding the model's Anthropic id) and, in 2.1.19x, asks
 * GetInferenceProfile for the foundation model behind a profile before CountTokens. Pure.
 *
 * Every model is offered under each geo a client may look for: the gateway invokes a profile id
 * through its endpoint's own geo (src/upstreams/model-names.ts), so which geo the client picked
 * does not decide where the request runs.
 */
import { anthropicIdFor, baseModelIdOf, isBedrockName, parseArn } from '../../../upstreams/model-names.js';
import { SEED_MODELS } from '../../../upstreams/bedrock/model-table.js';
import type { ModelInfo } from '../../../upstreams/types.js';

/** The geos Claude Code maps regions to (us-gov, jp and au in 2.1.33x). */
export const PROFILE_GEOS: readonly string[] = ['us', 'eu', 'apac', 'jp', 'au', 'us-gov', 'global'];
const MAX_PAGE = 1000;
/** Not a real account: the ARNs only have to parse, and must not suggest one of the operator's. */
const ACCOUNT = '000000000000';

export interface InferenceProfileSummary {
  inferenceProfileName: string;
  inferenceProfileId: string;
  inferenceProfileArn: string;
  description: string;
  status: 'ACTIVE';
  type: 'SYSTEM_DEFINED';
  models: { modelArn: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface ProfileListing {
  inferenceProfileSummaries: InferenceProfileSummary[];
  nextToken?: string;
}

export interface ProfileOptions {
  /** The region written into ARNs. */
  readonly region: string;
  readonly geos?: readonly string[];
  /** Whether the caller's fleet policy allows invoking this profile id; absent: every profile. */
  readonly allows?: (profileId: string) => boolean;
}

/** ListInferenceProfiles' query: `maxResults`, `nextToken`, `type` (what the SDK's typeEquals sends). */
export interface ProfileQuery {
  readonly maxResults?: string;
  readonly nextToken?: string;
  readonly type?: string;
}

/** The Bedrock foundation-model id for a model the caller may use, or undefined. */
function foundationModelOf(id: string): string | undefined {
  if (isBedrockName(id)) return baseModelIdOf(id);
  return SEED_MODELS[id] ?? `anthropic.${id}`;
}

function summary(model: ModelInfo, base: string, geo: string, options: ProfileOptions): InferenceProfileSummary {
  const id = `${geo}.${base}`;
  const geoName = geo === 'global' ? 'Global' : geo.toUpperCase();
  return {
    inferenceProfileName: `${geoName} ${model.display_name}`,
    inferenceProfileId: id,
    inferenceProfileArn: `arn:aws:bedrock:${options.region}:${ACCOUNT}:inference-profile/${id}`,
    description: `Routes requests to ${model.display_name} through the gateway.`,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
    models: [{ modelArn: `arn:aws:bedrock:${options.region}::foundation-model/${base}` }],
    createdAt: model.created_at,
    updatedAt: model.created_at,
  };
}

export function inferenceProfiles(models: readonly ModelInfo[], options: ProfileOptions): InferenceProfileSummary[] {
  const seen = new Set<string>();
  const profiles: InferenceProfileSummary[] = [];
  for (const geo of options.geos ?? PROFILE_GEOS) {
    for (const model of models) {
      const base = foundationModelOf(model.id);
      if (!base || seen.has(`${geo}.${base}`)) continue;
      seen.add(`${geo}.${base}`);
      // Per profile id, not per model: an allowlist of `us.anthropic.*` admits the us. profiles only.
      if (options.allows && !options.allows(`${geo}.${base}`)) continue;
      profiles.push(summary(model, base, geo, options));
    }
  }
  return profiles;
}

/** One page of ListInferenceProfiles; `nextToken` is the offset of the next page. */
export function listInferenceProfiles(models: readonly ModelInfo[], query: ProfileQuery, options: ProfileOptions): ProfileListing {
  // The gateway has no application inference profiles to show.
  if (query.type !== undefined && query.type !== 'SYSTEM_DEFINED') return { inferenceProfileSummaries: [] };
  const all = inferenceProfiles(models, options);
  const start = Math.max(0, Number.parseInt(query.nextToken ?? '0', 10) || 0);
  const size = Math.min(MAX_PAGE, Math.max(1, Number.parseInt(query.maxResults ?? String(MAX_PAGE), 10) || MAX_PAGE));
  const end = start + size;
  return { inferenceProfileSummaries: all.slice(start, end), ...(end < all.length ? { nextToken: String(end) } : {}) };
}

/** GetInferenceProfile by id or ARN: the profile this gateway lists under that id, if any. */
export function getInferenceProfile(models: readonly ModelInfo[], identifier: string, options: ProfileOptions): InferenceProfileSummary | undefined {
  const arn = parseArn(identifier);
  const id = arn?.resource === 'inference-profile' ? arn.id : identifier;
  const base = baseModelIdOf(id);
  if (!base || base === id || (options.allows && !options.allows(id))) return undefined;
  const geo = id.slice(0, id.length - base.length - 1);
  const anthropicId = anthropicIdFor(base);
  const model = models.find((m) => foundationModelOf(m.id) === base || m.id === anthropicId);
  return model ? summary(model, base, geo, { ...options, geos: [geo] }) : undefined;
}
