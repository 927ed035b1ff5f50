/**
 * Counts failed sign-in attempts per key in a fixed window; past the limit,
 * sign-in answers 429 until the window ends.
 *
 * Two stores: in Redis (what Weft uses: every engine process shares the
 * count, so running several processes does not multiply the limit) and in
 * memory (for a single process and for tests).
 */
import type { Redis } from 'ioredis';

export interface FailureLimiter {
  /** Seconds until the key may try again; 0 when it may try now. */
  retryAfter(key: string): Promise<number>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export interface AttemptLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

/** Shared by all engine processes: one Redis key per limited key, expiring with its window. */
export class RedisAttemptLimiter implements FailureLimiter {
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(
    private readonly redis: Redis,
    /** Key prefix, e.g. `weft:sign-in:user`. */
    private readonly prefix: string,
    options: AttemptLimiterOptions = {},
  ) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
  }

  async retryAfter(key: string): Promise<number> {
    const [count, ttl] = await this.redis.multi().get(this.key(key)).pttl(this.key(key)).exec().then((r) => (r ?? []).map(([, v]) => v));
    return Number(count ?? 0) >= this.maxFailures && Number(ttl) > 0 ? Math.ceil(Number(ttl) / 1000) : 0;
  }

  async fail(key: string): Promise<void> {
    // The window starts with the first failure: NX keeps later failures from extending it.
    await this.redis.multi().incr(this.key(key)).pexpire(this.key(key), this.windowMs, 'NX').exec();
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }
}

/** In one process's memory. */
export class AttemptLimiter implements FailureLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: AttemptLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  async retryAfter(key: string): Promise<number> {
    const entry = this.current(key);
    return entry && entry.count >= this.maxFailures ? Math.ceil((entry.resetAt - this.now()) / 1000) : 0;
  }

  async fail(key: string): Promise<void> {
    const entry = this.current(key) ?? { count: 0, resetAt: this.now() + this.windowMs };
    entry.count += 1;
    this.failures.set(key, entry);
    if (this.failures.size > 10_000) this.prune();
  }

  async reset(key: string): Promise<void> {
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
