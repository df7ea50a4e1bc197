/**
 * A value an upstream learns from its own API (Bedrock's inference profiles, the Anthropic model
 * list) and keeps in memory: fetched on first use, refreshed in the background, read without
 * waiting. Routing asks on every request, so reads never do I/O; a failed refresh keeps the last
 * good value, because a transient error must not make an endpoint forget what it serves.
 */

export interface RefreshedValueOptions<T> {
  fetch(signal: AbortSignal): Promise<T>;
  onError(err: unknown): void;
  refreshMs: number;
  /** A hung call would otherwise block every later refresh. */
  timeoutMs?: number;
}

export class RefreshedValue<T> {
  #value: T | undefined;
  #first: Promise<void> | undefined;
  #settled = false;
  #timer: NodeJS.Timeout | undefined;
  #inflight: AbortController | undefined;
  #closed = false;

  constructor(private readonly options: RefreshedValueOptions<T>) {}

  /** The last value fetched, or undefined while none has been; starts fetching on first use. */
  current(): T | undefined {
    this.#start();
    return this.#value;
  }

  /** Resolves when the first fetch has succeeded or failed. */
  first(): Promise<void> {
    return this.#start();
  }

  /** The first fetch has succeeded or failed. */
  get settled(): boolean {
    return this.#settled;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#inflight?.abort();
  }

  #start(): Promise<void> {
    if (this.#closed) return this.#first ?? Promise.resolve();
    if (!this.#first) {
      this.#first = this.#refresh().finally(() => (this.#settled = true));
      this.#timer = setInterval(() => void this.#refresh(), this.options.refreshMs);
      // Background refresh must not keep the process alive on shutdown.
      this.#timer.unref();
    }
    return this.#first;
  }

  async #refresh(): Promise<void> {
    if (this.#closed || this.#inflight) return;
    const controller = new AbortController();
    this.#inflight = controller;
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 30_000);
    try {
      const value = await this.options.fetch(controller.signal);
      if (!this.#closed) this.#value = value;
    } catch (err) {
      if (!this.#closed) this.options.onError(err);
    } finally {
      clearTimeout(timeout);
      this.#inflight = undefined;
    }
  }
}
