/**
 * The inference profiles an endpoint's account can invoke, learned with ListInferenceProfiles on
 * first use and refreshed in the background. Discovery is an optimisation, never a dependency:
 * when it fails (e.g. the role lacks bedrock:ListInferenceProfiles) the model table alone decides.
 */
import { buildCatalog, type ModelCatalog } from './model-map.js';

const LIST_TIMEOUT_MS = 30_000;

export interface DiscoveryOptions {
  list(signal: AbortSignal): Promise<string[]>;
  log: { warn(obj: object, msg: string): void };
  refreshMs?: number;
  /** How long the first request waits for the first answer before using the table alone. */
  firstWaitMs?: number;
}

export class ProfileDiscovery {
  #catalog: ModelCatalog = buildCatalog(undefined);
  #first: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inflight: AbortController | undefined;
  #firstSettled = false;
  #closed = false;

  constructor(private readonly options: DiscoveryOptions) {}

  /**
   * The catalog as it is now, without waiting: routing asks on every request and cannot await.
   * Starts discovery if nothing has yet, so the next request knows the account's profiles.
   */
  current(): ModelCatalog {
    this.#start();
    return this.#catalog;
  }

  /** The catalog, after the first discovery attempt has had its chance. */
  async catalog(): Promise<ModelCatalog> {
    if (this.#firstSettled) return this.#catalog;
    const first = this.#start();
    let timeout: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timeout = setTimeout(resolve, this.options.firstWaitMs ?? 5_000);
    });
    await Promise.race([first, waited]).finally(() => clearTimeout(timeout));
    return this.#catalog;
  }

  #start(): Promise<void> {
    if (!this.#first && !this.#closed) {
      this.#first = this.#refresh().finally(() => (this.#firstSettled = true));
      const refreshMs = this.options.refreshMs ?? 10 * 60_000;
      this.#timer = setInterval(() => void this.#refresh(), refreshMs);
      // Background refresh must not keep the process alive on shutdown.
      this.#timer.unref();
    }
    return this.#first ?? Promise.resolve();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#inflight?.abort();
  }

  async #refresh(): Promise<void> {
    if (this.#closed || this.#inflight) return;
    const controller = new AbortController();
    this.#inflight = controller;
    // A hung call would otherwise block every later refresh.
    const timeout = setTimeout(() => controller.abort(), LIST_TIMEOUT_MS);
    try {
      const profiles = await this.options.list(controller.signal);
      if (!this.#closed) this.#catalog = buildCatalog(profiles);
    } catch (err) {
      if (!this.#closed) this.options.log.warn({ err }, 'Bedrock inference profile discovery failed; using the built-in model table');
    } finally {
      clearTimeout(timeout);
      this.#inflight = undefined;
    }
  }
}
