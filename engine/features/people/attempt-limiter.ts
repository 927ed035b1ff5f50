/**
 * Counts sign-in attempts per key in a fixed window; past the limit, sign-in
 * answers 429 until the window ends.
 *
 * An attempt is taken (counted) atomically BEFORE the password is verified,
 * and only while the key is under its limit. Checking first and counting the
 * failure after the verification let 20 concurrent wrong passwords all be
 * tried: each one checked the count before any had failed. A success gives
 * its attempt back (or clears the key), so only failures hold a key off.
 *
 * Two stores: in Redis (what Weft uses: every engine process shares the
 * count, so running several processes does not multiply the limit) and in
 * memory (for a single process and for tests).
 */
import type { RedisClient } from '../../queue/redis.js';

export interface Limiter {
  /**
   * Counts one attempt if the key is under its limit and answers 0; at the
   * limit, counts nothing and answers the seconds until the key may try again.
   */
  take(key: string): Promise<number>;
  /** Gives back one attempt taken (it succeeded, or it was not made). */
  refund(key: string): Promise<void>;
  /** Forgets the key's attempts. */
  reset(key: string): Promise<void>;
}

export interface AttemptLimiterOptions {
  maxAttempts?: number;
  windowMs?: number;
  now?: () => number;
}

const DEFAULT_WINDOW_MS = 15 * 60 * 1000;

// One script per operation, so a check and its count are one step for Redis:
// no other process's attempt can come in between. The window starts with the
// first attempt (PEXPIRE only when the key is new) and is never extended.
const TAKE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl <= 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    ttl = tonumber(ARGV[2])
  end
  return ttl
end
redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

// Never below zero, and never bringing back a key whose window has ended.
const REFUND = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Shared by all engine processes: one Redis key per limited key, expiring with its window. */
export class RedisAttemptLimiter implements Limiter {
  private readonly maxAttempts: number;
  private readonly windowMs: number;

  constructor(
    private readonly redis: RedisClient,
    /** Key prefix, e.g. `weft:sign-in:user`. */
    private readonly prefix: string,
    options: AttemptLimiterOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  }

  async take(key: string): Promise<number> {
    const ttl = Number(await this.redis.eval(TAKE, 1, this.key(key), this.maxAttempts, this.windowMs));
    return ttl > 0 ? Math.ceil(ttl / 1000) : 0;
  }

  async refund(key: string): Promise<void> {
    await this.redis.eval(REFUND, 1, this.key(key));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }

  private key(key: string): string {
    return `${this.prefix}:${key}`;
  }
}

/** In one process's memory. Synchronous inside each call, so concurrent requests cannot interleave a check and its count. */
export class AttemptLimiter implements Limiter {
  private readonly attempts = new Map<string, { count: number; resetAt: number }>();
  private readonly maxAttempts: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: AttemptLimiterOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.now = options.now ?? Date.now;
  }

  async take(key: string): Promise<number> {
    const entry = this.current(key) ?? { count: 0, resetAt: this.now() + this.windowMs };
    if (entry.count >= this.maxAttempts) return Math.ceil((entry.resetAt - this.now()) / 1000);
    entry.count += 1;
    this.attempts.set(key, entry);
    if (this.attempts.size > 10_000) this.prune();
    return 0;
  }

  async refund(key: string): Promise<void> {
    const entry = this.current(key);
    if (entry && entry.count > 0) entry.count -= 1;
  }

  async reset(key: string): Promise<void> {
    this.attempts.delete(key);
  }

  private current(key: string) {
    const entry = this.attempts.get(key);
    if (entry && entry.resetAt <= this.now()) {
      this.attempts.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    for (const key of this.attempts.keys()) this.current(key);
  }
}
