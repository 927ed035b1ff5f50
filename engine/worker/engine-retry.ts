/**
 * A worker's calls to the engine outlive a short outage: while the engine
 * restarts, or its Postgres or Redis is down (503), a call is tried again
 * with backoff instead of failing the queue message — a failed message is
 * not delivered again, so the job would wait for the redriver's last net.
 */
import { unavailableService } from '../connection-error.js';
import { WeftError } from '../errors.js';

/** The engine could not answer now but will: it is unreachable (fetch failed), or says 503, or its database is down. */
export function isTransient(error: unknown): boolean {
  if (error instanceof WeftError) return error.status === 503;
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  return unavailableService(error) !== null;
}

export interface RetryOptions {
  /** Give up (and throw the last error) after this long. */
  forMs: number;
  /** Give up at once when this turns true (the worker is closing). */
  stopped?: () => boolean;
}

export async function withEngineRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const giveUpAt = Date.now() + options.forMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error) || Date.now() + delay > giveUpAt || options.stopped?.()) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
