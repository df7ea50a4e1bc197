/**
 * Which Bedrock id serves a client's model name. Pure: the caller passes what discovery found.
 *
 * Rules (spec §2): Bedrock ids, inference-profile ids and ARNs pass as-is; Anthropic ids match
 * exactly, then by date-stripped name, never by prefix — `claude-opus-4` is not `claude-opus-4-1`,
 * and guessing a bigger model would bill the wrong price.
 */
import { anthropicIdFor, createdAtFor, displayNameFor, SEED_MODELS, stripDate, stripGeoPrefix } from './model-table.js';
import type { ModelInfo } from '../types.js';

export interface ModelCatalog {
  /** Anthropic id → Bedrock foundation-model id. */
  readonly models: ReadonlyMap<string, string>;
  /** Date-stripped Anthropic id → the newest dated id it stands for. */
  readonly aliases: ReadonlyMap<string, string>;
  /** System-defined inference profile ids, or undefined while discovery has not succeeded. */
  readonly profiles: ReadonlySet<string> | undefined;
}

export interface ResolvedModel {
  /** The name the client sent, which replies carry back. */
  readonly clientModel: string;
  /** What to invoke: an inference profile id, a foundation-model id or an ARN. */
  readonly modelId: string;
  /** The foundation-model id CountTokens needs; undefined where it cannot be known. */
  readonly baseModelId: string | undefined;
  /** The client asked for the 1M context window (`[1m]` suffix). */
  readonly longContext: boolean;
}

export function buildCatalog(discoveredProfiles: readonly string[] | undefined): ModelCatalog {
  const models = new Map<string, string>(Object.entries(SEED_MODELS));
  for (const profile of discoveredProfiles ?? []) {
    const base = stripGeoPrefix(profile);
    const anthropicId = anthropicIdFor(base);
    if (anthropicId && !models.has(anthropicId)) models.set(anthropicId, base);
  }
  const aliases = new Map<string, string>();
  // Sorted so that, should two snapshots share a name, the newer date wins the alias.
  for (const id of [...models.keys()].sort()) {
    const alias = stripDate(id);
    if (alias !== id) aliases.set(alias, id);
  }
  return { models, aliases, profiles: discoveredProfiles ? new Set(discoveredProfiles) : undefined };
}

/** Regions → inference-profile geos, most specific first. Unknown geos get `global` only. */
export function geoPrefixesFor(region: string): string[] {
  if (region.startsWith('us-gov-')) return ['us-gov'];
  if (region.startsWith('us-') || region.startsWith('ca-')) return ['us'];
  if (region.startsWith('eu-')) return ['eu'];
  if (region === 'ap-northeast-1' || region === 'ap-northeast-3') return ['jp', 'apac'];
  if (region === 'ap-southeast-2' || region === 'ap-southeast-4') return ['au', 'apac'];
  if (region.startsWith('ap-')) return ['apac'];
  return [];
}

/** The prefixes to try for an endpoint: its configured one, else those of its region. */
export function routingPrefixes(region: string, routingPrefix: string | undefined): string[] {
  const configured = routingPrefix?.trim().replace(/\.$/, '');
  return configured ? [configured] : geoPrefixesFor(region);
}

const ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/;
const BEDROCK_ID = /^(?:[a-z][a-z-]*\.)?anthropic\.[a-z0-9]/;
const LONG_CONTEXT = /\[1m\]$/i;

/** The foundation-model id behind a client-supplied Bedrock id or ARN, where there is one. */
export function baseModelIdOf(modelId: string): string | undefined {
  const arn = ARN.exec(modelId);
  if (!arn) return BEDROCK_ID.test(modelId) ? stripGeoPrefix(modelId) : undefined;
  const [, resource, id = ''] = arn;
  if (resource === 'foundation-model') return id;
  if (resource === 'inference-profile' && BEDROCK_ID.test(id)) return stripGeoPrefix(id);
  // Application inference profiles hide their model; provisioned and custom models are not foundation models.
  return undefined;
}

function chooseProfile(base: string, prefixes: readonly string[], profiles: ReadonlySet<string> | undefined): string {
  if (!profiles) return `${prefixes[0] ?? 'global'}.${base}`;
  for (const prefix of [...prefixes, 'global']) {
    if (profiles.has(`${prefix}.${base}`)) return `${prefix}.${base}`;
  }
  // No profile: older models and invitation-only ones are invoked in-region by their own id.
  return base;
}

export function resolveModel(clientModel: string, catalog: ModelCatalog, prefixes: readonly string[]): ResolvedModel | undefined {
  const longContext = LONG_CONTEXT.test(clientModel);
  const name = clientModel.replace(LONG_CONTEXT, '').trim();
  if (ARN.test(name) || BEDROCK_ID.test(name)) {
    return { clientModel, modelId: name, baseModelId: baseModelIdOf(name), longContext };
  }
  const anthropicId = catalog.models.has(name) ? name : (catalog.aliases.get(stripDate(name)) ?? (catalog.models.has(stripDate(name)) ? stripDate(name) : undefined));
  const base = anthropicId === undefined ? undefined : catalog.models.get(anthropicId);
  if (!base) return undefined;
  return { clientModel, modelId: chooseProfile(base, prefixes, catalog.profiles), baseModelId: base, longContext };
}

/** Models this endpoint can serve: with discovery, those having a profile; without, the whole table. */
export function availableModels(catalog: ModelCatalog): ModelInfo[] {
  const bases = catalog.profiles ? new Set([...catalog.profiles].map(stripGeoPrefix)) : undefined;
  const infos: ModelInfo[] = [];
  for (const [id, base] of catalog.models) {
    if (bases && !bases.has(base)) continue;
    infos.push({ id, display_name: displayNameFor(id), type: 'model', created_at: createdAtFor(id) });
  }
  // Newest first, as the Anthropic API lists them. Undated ids have no date to sort by, so the
  // order is the table's (oldest first) reversed, with models only discovery knows leading.
  return infos.reverse();
}
