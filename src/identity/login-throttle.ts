/**
 * Limits password guessing: failed logins are counted per account and per client address in a
 * sliding window; past the limit every attempt is refused until the window moves on, whether
 * or not the password is right.
 */
export interface LoginThrottleOptions {
  windowMs: number;
  maxPerAccount: number;
  maxPerAddress: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: LoginThrottleOptions = { windowMs: 15 * 60_000, maxPerAccount: 5, maxPerAddress: 20 }) {}

  /** Seconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfter(account: string, address: string, now = Date.now()): number {
    const waits = [
      this.wait(`a:${account}`, this.options.maxPerAccount, now),
      this.wait(`ip:${address}`, this.options.maxPerAddress, now),
    ];
    return Math.max(...waits);
  }

  recordFailure(account: string, address: string, now = Date.now()): void {
    for (const key of [`a:${account}`, `ip:${address}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
  }

  recordSuccess(account: string): void {
    this.failures.delete(`a:${account}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
  }

  private wait(key: string, max: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length === 0) this.failures.delete(key);
    if (times.length < max) return 0;
    const oldest = times[times.length - max] ?? now;
    return Math.max(1, Math.ceil((oldest + this.options.windowMs - now) / 1000));
  }
}
