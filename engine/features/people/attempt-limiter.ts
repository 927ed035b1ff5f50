/**
 * Counts failed sign-in attempts per key (user name + client address) in a
 * fixed window; past the limit, sign-in answers 429 until the window ends.
 * In memory, per engine process: several processes each allow the limit.
 */
export interface AttemptLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export class AttemptLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: AttemptLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the key may try again; 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.current(key);
    return entry && entry.count >= this.maxFailures ? Math.ceil((entry.resetAt - this.now()) / 1000) : 0;
  }

  fail(key: string): void {
    const entry = this.current(key) ?? { count: 0, resetAt: this.now() + this.windowMs };
    entry.count += 1;
    this.failures.set(key, entry);
    if (this.failures.size > 10_000) this.prune();
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string) {
    const entry = this.failures.get(key);
    if (entry && entry.resetAt <= this.now()) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    for (const key of this.failures.keys()) this.current(key);
  }
}
