/**
 * Which Bedrock id serves a client's model name, and whether this endpoint serves it at all. Pure:
 * the caller passes what discovery found.
 *
 * Rules (spec §2): Anthropic ids match exactly, then by date-stripped name, never by prefix —
 * `claude-opus-4` is not `claude-opus-4-1`, and guessing a bigger model would bill the wrong price.
 * A profile id (`us.anthropic.…`) is invoked as sent where this endpoint can (its own geo, or
 * `global`); otherwise it names a model, which this endpoint reaches through its own geo, so an
 * `eu-west-1` endpoint invokes `eu.anthropic.…`. A bare foundation-model id asks for in-region
 * invocation and an ARN names one resource, so both are invoked as sent.
 */
import { anthropicIdFor, baseModelIdOf, isBedrockId, isGeoProfileId, parseArn, splitLongContext, stripDate, stripGeoPrefix } from '../model-names.js';
import { createdAtFor, displayNameFor, SEED_MODELS } from './model-table.js';
import type { ModelInfo } from '../types.js';

export interface ModelCatalog {
  /** Anthropic id → Bedrock foundation-model id. */
  readonly models: ReadonlyMap<string, string>;
  /** Date-stripped Anthropic id → the newest dated id it stands for. */
  readonly aliases: ReadonlyMap<string, string>;
  /** System-defined inference profile ids, or undefined while discovery has not succeeded. */
  readonly profiles: ReadonlySet<string> | undefined;
  /** Foundation-model ids the endpoint serves: those with a discovered profile, else the table's. */
  readonly servedBases: ReadonlySet<string>;
}

export interface ResolvedModel {
  /** The name the client sent, which replies carry back. */
  readonly clientModel: string;
  /** What to invoke: an inference profile id, a foundation-model id or an ARN. */
  readonly modelId: string;
  /** The foundation-model id CountTokens needs; undefined where it cannot be known. */
  readonly baseModelId: string | undefined;
  /**
   * The id the reply reports for pricing: `modelId`, except that an application inference profile
   * configured for the model is priced as the profile id it stands in for (its ARN names no model).
   */
  readonly pricedModel: string;
  /** The client asked for the 1M context window (`[1m]` suffix). */
  readonly longContext: boolean;
}

/**
 * An endpoint's application inference profiles (`inferenceProfiles`: Anthropic id, with or
 * without date → ARN), looked up both ways.
 */
export class ApplicationProfiles {
  readonly #byModel = new Map<string, string>();
  readonly #byUndatedModel = new Map<string, string>();
  readonly #modelByArn = new Map<string, string>();

  constructor(configured: Readonly<Record<string, string>> | undefined) {
    for (const [model, arn] of Object.entries(configured ?? {})) {
      this.#byModel.set(model, arn);
      this.#byUndatedModel.set(stripDate(model), arn);
      this.#modelByArn.set(arn, model);
    }
  }

  /** The ARN configured for an Anthropic id: exact, then date-stripped on both sides. */
  arnFor(anthropicId: string | undefined): string | undefined {
    if (anthropicId === undefined) return undefined;
    return this.#byModel.get(anthropicId) ?? this.#byUndatedModel.get(stripDate(anthropicId));
  }

  /** The Anthropic id an ARN was configured for, when it is one of this endpoint's. */
  modelOf(arn: string): string | undefined {
    return this.#modelByArn.get(arn);
  }
}

const NO_APPLICATION_PROFILES = new ApplicationProfiles(undefined);

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
  const servedBases = new Set(discoveredProfiles ? discoveredProfiles.map(stripGeoPrefix) : models.values());
  return { models, aliases, profiles: discoveredProfiles ? new Set(discoveredProfiles) : undefined, servedBases };
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

function chooseProfile(base: string, prefixes: readonly string[], profiles: ReadonlySet<string> | undefined): string {
  if (!profiles) return `${prefixes[0] ?? 'global'}.${base}`;
  for (const prefix of [...prefixes, 'global']) {
    if (profiles.has(`${prefix}.${base}`)) return `${prefix}.${base}`;
  }
  // No profile: older models and invitation-only ones are invoked in-region by their own id.
  return base;
}

/**
 * A client's profile id this endpoint can invoke as sent: one of its own geos, or `global` (which
 * every region reaches), and held by the account as far as discovery knows.
 */
function invokableHere(profileId: string, prefixes: readonly string[], profiles: ReadonlySet<string> | undefined): boolean {
  const prefix = profileId.slice(0, profileId.indexOf('.'));
  return (prefix === 'global' || prefixes.includes(prefix)) && (profiles === undefined || profiles.has(profileId));
}

/** The foundation-model id of an Anthropic id: exact, then date-stripped, never by prefix. */
function baseOfAnthropicId(name: string, catalog: ModelCatalog): string | undefined {
  const undated = stripDate(name);
  const anthropicId = catalog.models.has(name) ? name : (catalog.aliases.get(undated) ?? (catalog.models.has(undated) ? undated : undefined));
  return anthropicId === undefined ? undefined : catalog.models.get(anthropicId);
}

/** The foundation-model id a non-ARN name stands for, whether Anthropic or Bedrock. */
function baseOf(name: string, catalog: ModelCatalog): string | undefined {
  return isBedrockId(name) ? stripGeoPrefix(name) : baseOfAnthropicId(name, catalog);
}

export function resolveModel(
  clientModel: string,
  catalog: ModelCatalog,
  prefixes: readonly string[],
  applications: ApplicationProfiles = NO_APPLICATION_PROFILES,
): ResolvedModel | undefined {
  const { name, longContext } = splitLongContext(clientModel);
  if (parseArn(name)) {
    // One of this endpoint's application profiles: its model is known, so it counts and prices as that model.
    const configuredFor = applications.modelOf(name);
    const base = configuredFor === undefined ? baseModelIdOf(name) : baseOfAnthropicId(configuredFor, catalog);
    const pricedModel = configuredFor !== undefined && base !== undefined ? chooseProfile(base, prefixes, catalog.profiles) : name;
    return { clientModel, modelId: name, baseModelId: base, pricedModel, longContext };
  }
  const base = baseOf(name, catalog);
  if (!base) return undefined;
  const invoked = isBedrockId(name) && (!isGeoProfileId(name) || invokableHere(name, prefixes, catalog.profiles)) ? name : chooseProfile(base, prefixes, catalog.profiles);
  const arn = applications.arnFor(anthropicIdFor(base));
  return { clientModel, modelId: arn ?? invoked, baseModelId: base, pricedModel: invoked, longContext };
}

/**
 * Whether this endpoint serves a client's model name, from what it knows now. An ARN names a
 * resource of one region; anything else is served when its foundation model is, or when the
 * operator configured an application profile for it.
 */
export function servesModel(clientModel: string, catalog: ModelCatalog, region: string, applications: ApplicationProfiles = NO_APPLICATION_PROFILES): boolean {
  const { name } = splitLongContext(clientModel);
  const arn = parseArn(name);
  if (arn) return arn.region === region || applications.modelOf(name) !== undefined;
  const base = baseOf(name, catalog);
  if (!base) return false;
  return catalog.servedBases.has(base) || applications.arnFor(anthropicIdFor(base)) !== undefined;
}

/**
 * Models this endpoint can serve: with discovery, those having a profile; without, the whole
 * table; and in both cases those with an application inference profile configured.
 */
export function availableModels(catalog: ModelCatalog, applications: ApplicationProfiles = NO_APPLICATION_PROFILES): ModelInfo[] {
  const infos: ModelInfo[] = [];
  for (const [id, base] of catalog.models) {
    if (!catalog.servedBases.has(base) && applications.arnFor(id) === undefined) continue;
    infos.push({ id, display_name: displayNameFor(id), type: 'model', created_at: createdAtFor(id) });
  }
  // Newest first, as the Anthropic API lists them. Undated ids have no date to sort by, so the
  // order is the table's (oldest first) reversed, with models only discovery knows leading.
  return infos.reverse();
}
