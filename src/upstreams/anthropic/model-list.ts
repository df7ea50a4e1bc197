/**
 * The models an Anthropic endpoint lists (GET /v1/models), kept in memory so routing can ask
 * whether the endpoint serves a model without a call. Until the first listing answers (or when
 * listing fails) nothing is known, and the endpoint is taken to serve every Claude model.
 */
import { anthropicIdOf, stripDate } from '../model-names.js';
import { RefreshedValue } from '../refreshed-value.js';

/** One listing: ids as listed, and each date-stripped name → the newest listed id behind it. */
export class KnownModels {
  readonly #ids: ReadonlySet<string>;
  readonly #byUndated = new Map<string, string>();

  constructor(ids: readonly string[]) {
    this.#ids = new Set(ids);
    // Sorted so that the newest snapshot of a name wins it.
    for (const id of [...ids].sort()) this.#byUndated.set(stripDate(id), id);
  }

  /** The listed id for an Anthropic id: exact, then by date-stripped name, never by prefix. */
  match(anthropicId: string): string | undefined {
    return this.#ids.has(anthropicId) ? anthropicId : this.#byUndated.get(stripDate(anthropicId));
  }
}

export interface ModelListOptions {
  list(signal: AbortSignal): Promise<string[]>;
  log?: { warn(obj: object, msg: string): void };
  refreshMs?: number;
}

export class ModelList {
  readonly #known: RefreshedValue<KnownModels>;

  constructor(options: ModelListOptions) {
    this.#known = new RefreshedValue({
      fetch: async (signal) => new KnownModels(await options.list(signal)),
      onError: (err) => options.log?.warn({ err }, 'Anthropic model listing failed; routing every Claude model to this endpoint'),
      refreshMs: options.refreshMs ?? 10 * 60_000,
    });
  }

  /** The current listing, or undefined while none has answered; starts listing on first use. */
  current(): KnownModels | undefined {
    return this.#known.current();
  }

  /** Whether the endpoint serves a client's model name (Anthropic, Bedrock or ARN), from memory. */
  serves(clientModel: string): boolean {
    const anthropicId = anthropicIdOf(clientModel);
    if (!anthropicId) return false;
    const known = this.current();
    return known === undefined || known.match(anthropicId) !== undefined;
  }

  close(): void {
    this.#known.close();
  }
}
