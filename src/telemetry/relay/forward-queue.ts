/**
 * The relay's buffer between clients and collectors. Bounded twice — batches and bytes, counting
 * the ones being sent — so a collector that is slow or down costs a fixed amount of memory and
 * the clients see no difference: when full, `offer` refuses at once and the caller counts the
 * drop. At most `concurrency` sends run at a time, so a burst cannot open a connection per batch.
 */
export interface QueuedBatch {
  readonly bytes: Buffer;
}

export interface ForwardQueueOptions<B extends QueuedBatch> {
  readonly maxBatches: number;
  readonly maxBytes: number;
  readonly concurrency: number;
  /** Sends one batch and accounts for its outcome itself; must not reject. Aborted at shutdown. */
  readonly send: (batch: B, shutdown: AbortSignal) => Promise<void>;
  /** A batch still waiting when the queue closed. */
  readonly onAbandoned: (batch: B) => void;
}

export class ForwardQueue<B extends QueuedBatch> {
  private readonly waiting: B[] = [];
  private heldBytes = 0;
  private sending = 0;
  private closed = false;
  private readonly shutdown = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: ForwardQueueOptions<B>) {}

  /** Batches waiting or being sent. */
  get depth(): number {
    return this.waiting.length + this.sending;
  }

  /** Whether a batch of `bytes` would be taken now; lets callers skip decoding what would be dropped. */
  hasRoom(bytes = 0): boolean {
    return !this.closed && this.depth < this.options.maxBatches && this.heldBytes + bytes <= this.options.maxBytes;
  }

  /** Queues the batch, or answers false (full, or closed) without keeping it. */
  offer(batch: B): boolean {
    if (!this.hasRoom(batch.bytes.length)) return false;
    this.waiting.push(batch);
    this.heldBytes += batch.bytes.length;
    this.pump();
    return true;
  }

  private pump(): void {
    while (this.sending < this.options.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.shift()!;
      this.sending += 1;
      void this.options.send(batch, this.shutdown.signal).finally(() => {
        this.sending -= 1;
        this.heldBytes -= batch.bytes.length;
        this.pump();
        if (this.depth === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private idle(): Promise<void> {
    return this.depth === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Takes no more batches and sends what it holds for up to `drainMs`; then abandons what still
   * waits and aborts the sends in flight (their `send` reports them), and resolves once they end.
   */
  async close(drainMs: number): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
    clearTimeout(timer);
    for (const batch of this.waiting.splice(0)) {
      this.heldBytes -= batch.bytes.length;
      this.options.onAbandoned(batch);
    }
    this.shutdown.abort();
    await this.idle();
  }
}
