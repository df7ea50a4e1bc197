/**
 * The inference profiles an endpoint's account can invoke, learned with ListInferenceProfiles on
 * first use and refreshed in the background. Discovery is an optimisation, never a dependency:
 * when it fails (e.g. the role lacks bedrock:ListInferenceProfiles) the model table alone decides.
 */
import { RefreshedValue } from '../refreshed-value.js';
import { buildCatalog, type ModelCatalog } from './model-map.js';

export interface DiscoveryOptions {
  list(signal: AbortSignal): Promise<string[]>;
  log: { warn(obj: object, msg: string): void };
  refreshMs?: number;
  /** How long the first request waits for the first answer before using the table alone. */
  firstWaitMs?: number;
}

const TABLE_ONLY = buildCatalog(undefined);

export class ProfileDiscovery {
  readonly #catalog: RefreshedValue<ModelCatalog>;

  constructor(private readonly options: DiscoveryOptions) {
    this.#catalog = new RefreshedValue({
      fetch: async (signal) => buildCatalog(await options.list(signal)),
      onError: (err) => options.log.warn({ err }, 'Bedrock inference profile discovery failed; using the built-in model table'),
      refreshMs: options.refreshMs ?? 10 * 60_000,
    });
  }

  /**
   * The catalog as it is now, without waiting: routing asks on every request and cannot await.
   * Starts discovery if nothing has yet, so later requests know the account's profiles.
   */
  current(): ModelCatalog {
    return this.#catalog.current() ?? TABLE_ONLY;
  }

  /** The catalog, after the first discovery attempt has had its chance. */
  async catalog(): Promise<ModelCatalog> {
    if (!this.#catalog.settled) {
      let timeout: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, this.options.firstWaitMs ?? 5_000);
      });
      await Promise.race([this.#catalog.first(), waited]).finally(() => clearTimeout(timeout));
    }
    return this.current();
  }

  close(): void {
    this.#catalog.close();
  }
}
