/**
 * Requests being served, so shutdown can wait for them (and, past the grace period, abort them:
 * an aborted stream is still billed for what it streamed).
 */
export class InFlight {
  private readonly controllers = new Set<AbortController>();
  private idleWaiters: Array<() => void> = [];

  get size(): number {
    return this.controllers.size;
  }

  add(controller: AbortController): void {
    this.controllers.add(controller);
  }

  delete(controller: AbortController): void {
    this.controllers.delete(controller);
    if (this.controllers.size === 0) {
      for (const resolve of this.idleWaiters) resolve();
      this.idleWaiters = [];
    }
  }

  /** Resolves true when every request finished within `timeoutMs`, false when they were aborted. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.controllers.size === 0) return true;
    const idle = new Promise<true>((resolve) => this.idleWaiters.push(() => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    if (!finished) {
      for (const controller of this.controllers) controller.abort(new Error('gateway shutting down'));
      await idle;
    }
    return finished;
  }
}
